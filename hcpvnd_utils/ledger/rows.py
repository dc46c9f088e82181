"""The ledger's rows: the SQL every query shares, and the values a row is made of (keys, hashes,
letter file names) — no personal data in any of them."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import date, datetime
from pathlib import Path, PurePosixPath

from ..config import Unit
from ..records import Record

LETTER_ROW = """
SELECT l.id AS letter_id, l.registration_id, l.file, l.sha256, l.created_at, l.status, l.run_id,
       l.letter_ref, l.variant, r.event, r.book, r.reg_no, r.reg_date, d.handed_on
FROM letters l JOIN registrations r ON r.id = l.registration_id
LEFT JOIN deliveries d ON d.letter_id = l.id
"""
UNIT_WHERE = "r.scheme = ? AND r.unit_code = ?"
KEY_WHERE = UNIT_WHERE + " AND r.event = ? AND r.book = ? AND r.reg_no = ?"
IN_PERIOD = "r.reg_date BETWEEN ? AND ?"


# A letter's reference, as the delivery sheet prints it: the event, the unit's code, the
# registration's book and number, and two check characters (an alphabet without 0/O, 1/I).
EVENT_CODES = {"khai_sinh": "KS", "ket_hon": "KH", "khai_tu": "KT"}
CHECK_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def letter_reference(scheme: str, unit_code: int, event: str, book: str, number: str) -> str:
    """``KS-21964-1/2024-15-7X``: who the letter is for, readable by a clerk (the event, the
    unit's code, book 1/2024, number 15) and the same for ever — made from the registration's
    key, never from the ledger's row ids, so a ledger rebuilt from the letters gives every letter
    the reference its sheet already printed. The two check characters (from the scheme too)
    turn a mistyped number into an unknown reference instead of another family's letter."""
    text = f"{scheme}|{unit_code}|{event}|{book}|{number}"
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    check = "".join(CHECK_ALPHABET[b % len(CHECK_ALPHABET)] for b in digest[:2])
    return f"{EVENT_CODES.get(event, event)}-{unit_code}-{book}-{number}-{check}".upper()


def reference_key(text) -> str:
    """A reference as typed, compared: capitals, no spaces, every dash a hyphen."""
    folded = str(text or "").upper().replace("\u2013", "-").replace("\u2014", "-")
    return "".join(folded.split())


def row_hash(record: Record) -> str:
    """sha256 of the row's values, keys sorted: detects a changed row without storing it."""
    text = json.dumps(record.values, sort_keys=True, ensure_ascii=False, default=plain)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def unit_id(unit: Unit) -> tuple[str, int]:
    return (unit.scheme, unit.code)


def checked_key(record: Record) -> tuple[str, str, str]:
    key = record.registration_key()
    if not all(key) or iso(record.get("reg_date")) is None:
        raise ValueError(f"{record!r} has no usable registration key; validate it first")
    return key


def nameless(file: str, sha256: str) -> str:
    """A letter's file name without the person's name in it (kept for a purged letter)."""
    path = PurePosixPath(file)
    number = path.stem.split("_", 1)[0]
    return str(path.with_name(f"{number}_{sha256[:12]}{path.suffix}"))


def owner(db: sqlite3.Connection, file: str) -> int | None:
    row = db.execute(
        "SELECT registration_id FROM letters WHERE file = ? ORDER BY id LIMIT 1", (file,)
    ).fetchone()
    return row[0] if row else None


def ref_of(db: sqlite3.Connection, file: str) -> str | None:
    """The letter a file is (its ``letter_ref``), or None when no letter has that file."""
    row = db.execute(
        "SELECT letter_ref FROM letters WHERE file = ? ORDER BY id LIMIT 1", (file,)
    ).fetchone()
    return row[0] if row else None


def key_ref(key: tuple) -> str:
    """A letter's reference from its first registration's key: "khai_sinh|1/2024|15"."""
    return "|".join(str(part) for part in key)


def row_key(row: dict) -> tuple[str, str, str]:
    return (row["event"], row["book"], row["reg_no"])


def iso(value) -> str | None:
    if isinstance(value, datetime):
        value = value.date()
    return value.isoformat() if isinstance(value, date) else None


def plain(value) -> str:
    return iso(value) or str(value)


def relative(file_rel: str | Path) -> str:
    native, path = Path(file_rel), PurePosixPath(Path(file_rel).as_posix())
    if native.is_absolute() or native.drive or ".." in path.parts or not path.name:
        raise ValueError(f"letter file must be relative to the outputs folder: {file_rel}")
    return path.as_posix()
