"""The ledger read for the analyst (``frames``): read-only, never creating, upgrading or locking
the file, so a notebook can look at the ledger while a batch writes it.

A ledger written by an earlier version (a column or a table it did not have yet: the letters'
refs and variants before schema 3, the deliveries before schema 4) is read all the same: the
missing column comes back empty (NULL). Rows are returned as tuples with their column names, for
a DataFrame to take them whole (100,000 letters in a fraction of a second); no pandas here, the
letters' kernel imports this package too.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..storage import reason
from .book import LedgerError
from .schema import BUSY_TIMEOUT_S, SCHEMA_VERSION

# (table alias, column, name in the result): the letters with their registration and run
LETTER_COLUMNS = (
    ("l", "id", "letter_id"),
    ("l", "registration_id", "registration_id"),
    ("r", "scheme", "scheme"),
    ("r", "unit_code", "unit_code"),
    ("r", "unit_key", "unit_key"),
    ("r", "event", "event"),
    ("r", "book", "book"),
    ("r", "reg_no", "number"),
    ("r", "reg_date", "reg_date"),
    ("l", "created_at", "made_at"),
    ("l", "status", "status"),
    ("l", "run_id", "run"),
    ("u", "period", "run_period"),
    ("l", "final_at", "final_at"),
    ("l", "purged_at", "purged_at"),
    ("l", "letter_ref", "letter_ref"),
    ("l", "variant", "variant"),
    ("d", "handed_on", "handed_on"),
    ("d", "channel", "channel"),
    ("d", "role", "role"),
    ("d", "response", "response"),
)
_TABLES = {"l": "letters", "r": "registrations", "u": "runs", "d": "deliveries"}
_JOINS = {
    "u": "LEFT JOIN runs u ON u.id = l.run_id",
    "d": "LEFT JOIN deliveries d ON d.letter_id = l.id",
}


@dataclass
class LetterRows:
    """What the ledger holds for a span of registration dates."""

    columns: list[str] = field(default_factory=lambda: [c[2] for c in LETTER_COLUMNS])
    rows: list[tuple] = field(default_factory=list)
    found: bool = True  # False: there is no ledger file (nothing was created)
    version: int = SCHEMA_VERSION
    # (scheme, unit code) -> the last time a delivery sheet of the unit was imported
    checked: dict[tuple[str, int], str] = field(default_factory=dict)


def letter_rows(path: Path, start: date, end: date) -> LetterRows:
    """Every letter whose registration is dated in [start, end], with its registration and the
    run that made it. A missing file gives no rows (``found`` False); a file that is not a
    ledger, or one from a newer version, raises LedgerError (E-LEDGER-01, E-LEDGER-02)."""
    path = Path(path)
    if not path.is_file():
        return LetterRows(found=False)
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                             timeout=BUSY_TIMEOUT_S)  # fmt: skip
    except sqlite3.Error as exc:
        raise LedgerError("E-LEDGER-01", path=path, detail=reason(exc, path)) from None
    try:
        return _read(db, path, start, end)
    except sqlite3.Error as exc:
        raise LedgerError("E-LEDGER-01", path=path, detail=reason(exc, path)) from None
    finally:
        db.close()


def _read(db: sqlite3.Connection, path: Path, start: date, end: date) -> LetterRows:
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise LedgerError("E-LEDGER-02", path=path, found=version, known=SCHEMA_VERSION)
    present = {alias: _columns(db, table) for alias, table in _TABLES.items()}
    if not present["l"] or not present["r"]:  # an empty file: no letter was ever recorded
        return LetterRows(version=version)
    selected = [
        f"{alias}.{column}" if column in present[alias] else "NULL"
        for alias, column, _ in LETTER_COLUMNS
    ]
    joins = " ".join(join for alias, join in _JOINS.items() if present[alias])
    sql = (
        f"SELECT {', '.join(selected)} FROM letters l"
        f" JOIN registrations r ON r.id = l.registration_id {joins}"
        " WHERE r.reg_date BETWEEN ? AND ? ORDER BY l.id"
    )
    rows = db.execute(sql, (start.isoformat(), end.isoformat())).fetchall()
    return LetterRows(rows=rows, version=version, checked=_checked(db))


def _checked(db: sqlite3.Connection) -> dict[tuple[str, int], str]:
    """When each unit's delivery sheets were last imported (none before schema 4)."""
    if not _columns(db, "delivery_imports"):
        return {}
    rows = db.execute(
        "SELECT scheme, unit_code, MAX(imported_at) FROM delivery_imports GROUP BY scheme, unit_code"
    ).fetchall()
    return {(scheme, code): moment for scheme, code, moment in rows}


def _columns(db: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
