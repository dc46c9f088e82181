"""The letters' delivery in the ledger: when each letter was handed over, how, by whom, what the
family said, and a note (``deliveries``); the values an import replaced (``delivery_history``);
and the delivery sheets imported (``delivery_imports``). A part of ``book.Ledger``.

A letter is found by its reference (``rows.letter_reference``), made from its registration's
key, so the references a delivery sheet printed stay valid after a ledger is rebuilt. An import
is one transaction: each row the sheet gives is compared with what the ledger holds *inside*
that transaction (two offices importing at once cannot both think a row is new), and ends
``recorded`` (new or changed: the old values go to the history), ``unchanged`` or ``older``
(the ledger's values came from a copy of the sheet saved later than this one: never replaced
by an older copy).

The note is the only free text: it may name someone, so a purge empties the notes of the
letters it purges (``clear_notes``), history included.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from ..config import Unit
from ..periods import now_iso
from .rows import letter_reference, unit_id
from .schema import MADE

RECORDED, UNCHANGED, OLDER = "recorded", "unchanged", "older"
FIELDS = ("handed_on", "channel", "role", "response", "note")

LETTERS_WITH_KEYS = """
SELECT l.id AS letter_id, l.created_at, l.status, r.scheme, r.unit_code, r.unit_key, r.event,
       r.book, r.reg_no, r.reg_date
FROM letters l JOIN registrations r ON r.id = l.registration_id
"""
DELIVERY_ROW = """
SELECT d.letter_id, d.handed_on, d.channel, d.role, d.response, d.note, d.saved_at, d.sheet,
       d.row, d.recorded_at, i.file AS source_file
FROM deliveries d LEFT JOIN delivery_imports i ON i.id = d.import_id
"""


@dataclass(frozen=True)
class Handover:
    """One row of a delivery sheet, checked: the letter it is about and what it says."""

    letter_id: int
    handed_on: str  # ISO day
    channel: str | None
    role: str | None
    response: str | None
    note: str | None
    sheet: str
    row: int

    def values(self) -> tuple:
        return (self.handed_on, self.channel, self.role, self.response, self.note)


@dataclass(frozen=True)
class SheetImport:
    """The file a set of rows comes from."""

    unit: Unit
    period: str  # the sheet's period label
    file: str  # its name as the clerk sees it
    sha256: str
    saved_at: str | None  # when the workbook says it was last saved (ISO), if it says


class Deliveries:
    """Ledger methods about the letters' delivery (mixed into ``book.Ledger``)."""

    def letters_by_reference(self) -> dict[str, dict]:
        """Every letter of every unit by its reference: its id, unit (scheme, code, key), event,
        book, number, registration date, when it was made and its status."""
        rows = self._rows(LETTERS_WITH_KEYS)
        return {
            letter_reference(r["scheme"], r["unit_code"], r["event"], r["book"], r["reg_no"]): r
            for r in rows
        }

    def deliveries_of(self, unit: Unit) -> dict[int, dict]:
        """The delivery the ledger records for each letter of the unit, by letter id."""
        rows = self._rows(
            DELIVERY_ROW + " JOIN letters l ON l.id = d.letter_id"
            " JOIN registrations r ON r.id = l.registration_id WHERE r.scheme = ? AND r.unit_code = ?",
            unit_id(unit),
        )
        return {row["letter_id"]: row for row in rows}

    def delivery_history(self, letter_id: int) -> list[dict]:
        """The values imports replaced for a letter, oldest first."""
        return self._rows(
            "SELECT * FROM delivery_history WHERE letter_id = ? ORDER BY id", (letter_id,)
        )

    def delivery_imports(self, unit: Unit | None = None) -> list[dict]:
        """The sheets imported (of one unit), in order."""
        where, params = ("WHERE scheme = ? AND unit_code = ?", unit_id(unit)) if unit else ("", ())
        return self._rows(f"SELECT * FROM delivery_imports {where} ORDER BY id", params)

    def record_handovers(
        self, source: SheetImport, rows: list[Handover], others: dict[str, int]
    ) -> list[str]:
        """Record a sheet's rows in one transaction; the outcome of each (RECORDED, UNCHANGED,
        OLDER), in order. ``others``: the file's other rows, already ``unchanged`` (nothing
        filled in) or ``rejected``. The import itself is recorded when a row was, or when this
        file was never imported before (the same file twice changes nothing)."""
        with self._write() as db:
            current = _current(db, [row.letter_id for row in rows])
            outcomes = [_outcome(row, current.get(row.letter_id), source) for row in rows]
            changed = [row for row, outcome in zip(rows, outcomes) if outcome == RECORDED]
            if changed or not _seen(db, source):
                unchanged = others.get(UNCHANGED, 0) + outcomes.count(UNCHANGED)
                rejected = others.get("rejected", 0) + outcomes.count(OLDER)
                counts = {
                    "rows": len(changed) + unchanged + rejected,
                    "recorded": len(changed),
                    "unchanged": unchanged,
                    "rejected": rejected,
                }
                import_id = _log(db, source, counts)
                for row in changed:
                    _write_row(db, row, current.get(row.letter_id), source, import_id)
        return outcomes

    def clear_notes(self, letter_ids: Iterable[int]) -> None:
        """Empty the delivery notes of these letters (a purge): dates, channels, roles and
        responses stay, for the reports."""
        ids = [(letter_id,) for letter_id in letter_ids]
        with self._write() as db:
            db.executemany("UPDATE deliveries SET note = NULL WHERE letter_id = ?", ids)
            db.executemany("UPDATE delivery_history SET note = NULL WHERE letter_id = ?", ids)


def _current(db, letter_ids: list[int]) -> dict[int, dict]:
    found: dict[int, dict] = {}
    wanted = sorted(set(letter_ids))
    for start in range(0, len(wanted), 500):  # SQLite's limit on the parameters of a query
        chunk = wanted[start : start + 500]
        marks = ",".join("?" * len(chunk))
        cursor = db.execute(f"SELECT * FROM deliveries WHERE letter_id IN ({marks})", chunk)
        names = [column[0] for column in cursor.description]
        found.update({row[0]: dict(zip(names, row)) for row in cursor.fetchall()})
    return found


def _outcome(row: Handover, current: dict | None, source: SheetImport) -> str:
    if current is not None and tuple(current[f] for f in FIELDS) == row.values():
        return UNCHANGED
    older = current and current["saved_at"] and source.saved_at
    if older and source.saved_at < current["saved_at"]:
        return OLDER
    return RECORDED


def _seen(db, source: SheetImport) -> bool:
    return (
        db.execute(
            "SELECT 1 FROM delivery_imports WHERE scheme = ? AND unit_code = ? AND sha256 = ?",
            (*unit_id(source.unit), source.sha256),
        ).fetchone()
        is not None
    )


def _log(db, source: SheetImport, counts: dict) -> int:
    return db.execute(
        "INSERT INTO delivery_imports (scheme, unit_code, unit_key, period, file, sha256,"
        " saved_at, imported_at, counts_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (*unit_id(source.unit), source.unit.key, source.period, source.file, source.sha256,
         source.saved_at, now_iso(), json.dumps(counts, sort_keys=True)),
    ).lastrowid  # fmt: skip


def _write_row(db, row: Handover, old: dict | None, source: SheetImport, import_id: int):
    now = now_iso()
    if old is not None:
        db.execute(
            "INSERT INTO delivery_history (letter_id, handed_on, channel, role, response, note,"
            " import_id, sheet, row, saved_at, recorded_at, replaced_at, replaced_by)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (row.letter_id, *(old[f] for f in FIELDS), old["import_id"], old["sheet"],
             old["row"], old["saved_at"], old["recorded_at"], now, import_id),
        )  # fmt: skip
    db.execute(
        "INSERT INTO deliveries (letter_id, handed_on, channel, role, response, note, import_id,"
        " sheet, row, saved_at, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (letter_id) DO UPDATE SET handed_on = excluded.handed_on,"
        " channel = excluded.channel, role = excluded.role, response = excluded.response,"
        " note = excluded.note, import_id = excluded.import_id, sheet = excluded.sheet,"
        " row = excluded.row, saved_at = excluded.saved_at, recorded_at = excluded.recorded_at",
        (row.letter_id, *row.values(), import_id, row.sheet, row.row, source.saved_at, now),
    )
    # a letter for twins is one sheet of paper with a ledger row per registration (one file):
    # handed over once, for all of them
    db.execute(
        "INSERT INTO deliveries (letter_id, handed_on, channel, role, response, note, import_id,"
        " sheet, row, saved_at, recorded_at) SELECT s.id, d.handed_on, d.channel, d.role,"
        " d.response, d.note, d.import_id, d.sheet, d.row, d.saved_at, d.recorded_at"
        " FROM deliveries d JOIN letters l ON l.id = d.letter_id"
        " JOIN letters s ON s.file = l.file AND s.id != l.id WHERE d.letter_id = ?"
        " ON CONFLICT (letter_id) DO UPDATE SET handed_on = excluded.handed_on,"
        " channel = excluded.channel, role = excluded.role, response = excluded.response,"
        " note = excluded.note, import_id = excluded.import_id, sheet = excluded.sheet,"
        " row = excluded.row, saved_at = excluded.saved_at, recorded_at = excluded.recorded_at",
        (row.letter_id,),
    )


def remakable(row: dict | None) -> bool:
    """Whether ``--regenerate`` may remake a letter (``Ledger.sent``'s row): made, neither
    final, purged nor handed over."""
    return row is None or (row["status"] == MADE and not row.get("handed_on"))


def handed_over(db, reg_id: int) -> bool:
    """Whether the ledger records the delivery of this registration's letter."""
    found = db.execute(
        "SELECT 1 FROM deliveries d JOIN letters l ON l.id = d.letter_id"
        " WHERE l.registration_id = ?",
        (reg_id,),
    ).fetchone()
    return found is not None
