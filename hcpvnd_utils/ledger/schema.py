"""The ledger's file: its schema, upgrading an older one in place, and opening it so several
processes can share it safely (WAL journal, busy timeout; owner-only file mode, as everything
under outputs/).

Schema versions (``PRAGMA user_version``):
1. registrations, runs, letters.
2. registration numbers normalised as ``records.normalize_number`` makes them ("5.0", "05/2024"
   and "5" are one number); ``subject_hash`` (``Record.subject_hash``: who the letter is about,
   hashed; NULL for registrations recorded before) and an index to find a registration by
   event, number and date whatever its book is called; an index on letter files (one file, one
   registration).
3. one letter for several registrations (twins): ``letters.letter_ref`` names the letter
   ("<event>|<book>|<number>" of its first registration: every registration it is for has a
   row with the same ref and file; before, each letter's own registration) and
   ``letters.variant`` the template variant it was made with ('' the event's own template);
   ``registrations.family_id_hash`` / ``family_hash`` / ``family_year_hash`` (``records.FamilyKey``:
   a birth's mother and day of birth, hashed; NULL for other events and for births recorded
   before), indexed, so a twin in a later file or period finds its family's letter.
4. the letters' delivery (``deliveries``: handed over on, channel, role, the family's response,
   a note; one row per letter), the values a later import replaced (``delivery_history``) and
   the delivery sheets imported (``delivery_imports``). An older ledger gains the three tables
   on first use; nothing else changes.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

from ..records import normalize_number
from ..safeio import private_dir

SCHEMA_VERSION = 4
BUSY_TIMEOUT_S = 30
MADE, FINAL, PURGED = "made", "final", "purged"
LETTER_STATUSES = (MADE, FINAL, PURGED)  # every one of them means "sent"
RUNNING, OK, FAILED, INTERRUPTED = "running", "ok", "failed", "interrupted"
RUN_STATUSES = (RUNNING, OK, FAILED, INTERRUPTED)
# How a letter was handed over and what the family said (``delivery.vocabulary`` has the words)
CHANNELS = ("tan_tay", "qua_thon", "buu_dien", "khac")
ROLES = ("tu_phap", "lanh_dao", "hoi_phu_nu", "truong_thon", "buu_dien", "khac")
RESPONSES = ("tich_cuc", "binh_thuong", "tieu_cuc", "khong_y_kien")

DELIVERY_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS delivery_imports (
    id INTEGER PRIMARY KEY,
    scheme TEXT NOT NULL,
    unit_code INTEGER NOT NULL,
    unit_key TEXT NOT NULL,
    period TEXT NOT NULL,
    file TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    saved_at TEXT,
    imported_at TEXT NOT NULL,
    counts_json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS delivery_imports_by_unit
    ON delivery_imports (scheme, unit_code, imported_at);
CREATE TABLE IF NOT EXISTS deliveries (
    letter_id INTEGER PRIMARY KEY REFERENCES letters (id),
    handed_on TEXT NOT NULL,
    channel TEXT CHECK (channel IN {CHANNELS}),
    role TEXT CHECK (role IN {ROLES}),
    response TEXT CHECK (response IN {RESPONSES}),
    note TEXT,
    import_id INTEGER NOT NULL REFERENCES delivery_imports (id),
    sheet TEXT NOT NULL,
    row INTEGER NOT NULL,
    saved_at TEXT,
    recorded_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS delivery_history (
    id INTEGER PRIMARY KEY,
    letter_id INTEGER NOT NULL REFERENCES letters (id),
    handed_on TEXT,
    channel TEXT,
    role TEXT,
    response TEXT,
    note TEXT,
    import_id INTEGER REFERENCES delivery_imports (id),
    sheet TEXT,
    row INTEGER,
    saved_at TEXT,
    recorded_at TEXT,
    replaced_at TEXT NOT NULL,
    replaced_by INTEGER NOT NULL REFERENCES delivery_imports (id)
);
CREATE INDEX IF NOT EXISTS delivery_history_by_letter ON delivery_history (letter_id);
"""

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
    subject_hash TEXT,
    family_id_hash TEXT,
    family_hash TEXT,
    family_year_hash TEXT,
    UNIQUE (scheme, unit_code, event, book, reg_no)
);
CREATE INDEX registrations_by_date ON registrations (reg_date);
CREATE INDEX registrations_by_day ON registrations (scheme, unit_code, event, reg_no, reg_date);
CREATE INDEX registrations_by_family ON registrations (scheme, unit_code, family_hash);
CREATE INDEX registrations_by_mother ON registrations (scheme, unit_code, family_id_hash);
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
    purged_at TEXT,
    letter_ref TEXT,
    variant TEXT NOT NULL DEFAULT ''
);
CREATE INDEX letters_by_file ON letters (file);
CREATE INDEX letters_by_ref ON letters (letter_ref);
{DELIVERY_SCHEMA}
PRAGMA user_version = {SCHEMA_VERSION};
"""

UPGRADE_1_TO_2 = """
ALTER TABLE registrations ADD COLUMN subject_hash TEXT;
CREATE INDEX IF NOT EXISTS registrations_by_day
    ON registrations (scheme, unit_code, event, reg_no, reg_date);
CREATE INDEX IF NOT EXISTS letters_by_file ON letters (file);
"""

UPGRADE_2_TO_3 = """
ALTER TABLE registrations ADD COLUMN family_id_hash TEXT;
ALTER TABLE registrations ADD COLUMN family_hash TEXT;
ALTER TABLE registrations ADD COLUMN family_year_hash TEXT;
CREATE INDEX IF NOT EXISTS registrations_by_family ON registrations (scheme, unit_code, family_hash);
CREATE INDEX IF NOT EXISTS registrations_by_mother ON registrations (scheme, unit_code, family_id_hash);
ALTER TABLE letters ADD COLUMN letter_ref TEXT;
ALTER TABLE letters ADD COLUMN variant TEXT NOT NULL DEFAULT '';
UPDATE letters SET letter_ref = (
    SELECT r.event || '|' || r.book || '|' || r.reg_no FROM registrations r
    WHERE r.id = letters.registration_id);
CREATE INDEX IF NOT EXISTS letters_by_ref ON letters (letter_ref)
"""


def upgrade(db: sqlite3.Connection, found: int) -> int:
    """Bring a ledger of schema ``found`` to SCHEMA_VERSION inside the caller's transaction.
    Returns how many registrations could not take their normalised key because another
    registration has it already (the same registration recorded twice by the old key)."""
    clashes = 0
    if found < 2:
        for statement in filter(str.strip, UPGRADE_1_TO_2.split(";")):
            db.execute(statement)
        clashes += _normalise_keys(db)
    if found < 3:  # after the keys are normalised: a letter's ref is its registration's key
        for statement in filter(str.strip, UPGRADE_2_TO_3.split(";")):
            db.execute(statement)
    if found < 4:
        for statement in filter(str.strip, DELIVERY_SCHEMA.split(";")):
            db.execute(statement)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    return clashes


def _normalise_keys(db: sqlite3.Connection) -> int:
    """Registrations recorded under "5.0", "05/2024", "07A" take the key today's rows get."""
    clashes = 0
    rows = db.execute("SELECT id, book, reg_no, reg_date FROM registrations").fetchall()
    for reg_id, book, number, day in rows:
        # books were normalised by schema 1 already ("01/2024" -> "1/2024"): numbers only
        years = {str(day)[:4], str(book).rsplit("/", 1)[-1]}
        new_number = normalize_number(number, years) or number
        if new_number == number:
            continue
        try:
            db.execute("UPDATE registrations SET reg_no = ? WHERE id = ?", (new_number, reg_id))
        except sqlite3.IntegrityError:
            clashes += 1
    return clashes


def connect(path: Path) -> sqlite3.Connection:
    private_dir(path.parent)
    if not path.exists():  # owner-only; SQLite gives the -wal and -shm files the same mode
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
    _use_wal(db)
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA secure_delete = ON")  # a purged name leaves no copy in a free page
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
