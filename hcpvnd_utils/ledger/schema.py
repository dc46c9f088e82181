"""The ledger's file: its schema, and opening it so several processes can share it safely
(WAL journal, busy timeout; owner-only file mode, as everything under outputs/)."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

SCHEMA_VERSION = 1
BUSY_TIMEOUT_S = 30
MADE, FINAL, PURGED = "made", "final", "purged"
LETTER_STATUSES = (MADE, FINAL, PURGED)  # every one of them means "sent"
RUNNING, OK, FAILED, INTERRUPTED = "running", "ok", "failed", "interrupted"
RUN_STATUSES = (RUNNING, OK, FAILED, INTERRUPTED)

SCHEMA = f"""
CREATE TABLE registrations (
    id INTEGER PRIMARY KEY,
    scheme TEXT NOT NULL,
    unit_code INTEGER NOT NULL,
    unit_key TEXT NOT NULL,
    event TEXT NOT NULL,
    book TEXT NOT NULL,
    reg_no TEXT NOT NULL,
    reg_date TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    source_file TEXT NOT NULL,
    source_row INTEGER,
    row_hash TEXT NOT NULL,
    UNIQUE (scheme, unit_code, event, book, reg_no)
);
CREATE INDEX registrations_by_date ON registrations (reg_date);
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    scheme TEXT NOT NULL,
    unit_code INTEGER NOT NULL,
    unit_key TEXT NOT NULL,
    period TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL CHECK (status IN {RUN_STATUSES}),
    counts_json TEXT,
    process_id INTEGER NOT NULL,
    host TEXT NOT NULL
);
CREATE UNIQUE INDEX one_running_run_per_unit ON runs (scheme, unit_code) WHERE status = 'running';
CREATE TABLE letters (
    id INTEGER PRIMARY KEY,
    registration_id INTEGER NOT NULL UNIQUE REFERENCES registrations (id),
    file TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    created_at TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN {LETTER_STATUSES}),
    run_id INTEGER REFERENCES runs (id),
    final_at TEXT,
    purged_at TEXT
);
PRAGMA user_version = {SCHEMA_VERSION};
"""


def connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)  # no effect on an existing one
    if not path.exists():  # owner-only; SQLite gives the -wal and -shm files the same mode
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
    _use_wal(db)
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA foreign_keys = ON")
    return db


def _use_wal(db: sqlite3.Connection) -> None:
    """Switch to WAL. The switch ignores the busy timeout when several processes open a new
    file at once, so it is retried here until the timeout."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            db.execute("PRAGMA journal_mode = WAL")
            return  # WAL, or the journal a file system without WAL support allows
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
        time.sleep(0.02)


def process_alive(pid: int) -> bool:
    """Whether a process of this machine still runs (Windows: without signalling it)."""
    if os.name == "nt":
        import ctypes

        kernel = ctypes.windll.kernel32
        handle = kernel.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return ctypes.GetLastError() == 5  # access denied: it exists
        code = ctypes.c_ulong()
        kernel.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
