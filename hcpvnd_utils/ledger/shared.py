"""One letter for several registrations (twins), and a birth's family: the ledger's methods
about them (mixed into ``book.Ledger``). A letter is its ``letter_ref``: every registration it
is for has a row with that ref and the letter's file; a family is found by the hashes of
``records.FamilyKey`` (no name, no ID number kept)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ..config import Unit
from ..records import FamilyKey
from .rows import KEY_WHERE, UNIT_WHERE, key_ref, ref_of, relative, unit_id
from .schema import MADE


class SharedLetters:
    """Ledger methods about letters for several registrations and births' families."""

    def families(self, unit: Unit, within: str = ""):
        """The ``families`` callable for ``validate.classify``: the unit's birth registrations
        of the same family (``FamilyKey.same_mother``), each with its letter (id, file, sha256,
        status, created_at, run, ref, variant, the day it was handed over; None without a
        letter) and "mine": the letter lies under ``within`` (the run's folder, relative to
        outputs)."""

        def lookup(key: FamilyKey) -> list[dict]:
            rows = self._rows(
                "SELECT r.event, r.book, r.reg_no, r.subject_hash, r.family_id_hash, r.family_hash,"
                " r.family_year_hash, l.id AS letter_id, l.file, l.sha256, l.status, l.created_at,"
                " l.run_id, l.letter_ref, l.variant,"
                " (SELECT d.handed_on FROM deliveries d WHERE d.letter_id = l.id) AS handed_on"
                " FROM registrations r LEFT JOIN letters l ON l.registration_id = r.id"
                f" WHERE {UNIT_WHERE} AND r.event = 'khai_sinh'"
                " AND (r.family_hash = ? OR r.family_id_hash = ?) ORDER BY r.id",
                (*unit_id(unit), key.name, key.pid),
            )
            found = []
            for row in rows:
                theirs = FamilyKey(
                    row["family_id_hash"], row["family_hash"], row["family_year_hash"]
                )
                if key.same_mother(theirs):
                    mine = bool(within) and str(row["file"] or "").startswith(within)
                    found.append({**row, "mine": mine})
            return found

        return lookup

    def tie_to_letter(self, unit: Unit, record, letter: dict) -> bool:
        """Record that the family's letter ``letter`` (a ``families`` row) is this registration's
        too: a twin registered after the letter of the other was made, printed or handed over
        (R-FAMILY-02). The family has one letter for both, so the registration is not left
        without one (the report would count it as a case with no letter). Its row is a copy of
        the letter's (file, made at, status, ref, variant) and of its delivery. False when the
        registration already has a letter of its own (it is left as it is)."""
        with self._write() as db:
            reg = db.execute(
                f"SELECT r.id FROM registrations r WHERE {KEY_WHERE}",
                (*unit_id(unit), *record.registration_key()),
            ).fetchone()
            if reg is None:
                return False
            made = db.execute(
                "INSERT INTO letters (registration_id, file, sha256, created_at, status, run_id,"
                " letter_ref, variant) SELECT ?, file, sha256, created_at, status, run_id,"
                " letter_ref, variant FROM letters WHERE id = ?"
                " ON CONFLICT (registration_id) DO NOTHING RETURNING id",
                (reg[0], letter["letter_id"]),
            ).fetchone()
            if made is None:
                return False
            db.execute(
                "INSERT INTO deliveries (letter_id, handed_on, channel, role, response, note,"
                " import_id, sheet, row, saved_at, recorded_at) SELECT ?, handed_on, channel,"
                " role, response, note, import_id, sheet, row, saved_at, recorded_at"
                " FROM deliveries WHERE letter_id = ?",
                (made[0], letter["letter_id"]),
            )
            return True

    def letter_ref_of(self, file_rel: str | Path) -> str | None:
        """The letter (its ref) this file is, or None when no letter has it."""
        return ref_of(self._db, relative(file_rel))

    def covers(self, unit: Unit, letter_ref: str) -> int:
        """How many registrations a letter of the unit is for (1, or 2 for twins…). A ref is
        the key of a registration ("khai_sinh|1/2024|5"): every commune has one like it, so it
        names a letter only within its unit."""
        row = self._db.execute(
            "SELECT COUNT(*) FROM letters l JOIN registrations r ON r.id = l.registration_id"
            f" WHERE l.letter_ref = ? AND {UNIT_WHERE}",
            (letter_ref, *unit_id(unit)),
        ).fetchone()
        return row[0]

    def file_users(self, file_rel: str | Path) -> int:
        """How many registrations' letters are this file."""
        row = self._db.execute(
            "SELECT COUNT(*) FROM letters WHERE file = ?", (relative(file_rel),)
        ).fetchone()
        return row[0]

    @staticmethod
    def _own_ref(db: sqlite3.Connection, reg_id: int) -> str:
        row = db.execute(
            "SELECT event, book, reg_no FROM registrations WHERE id = ?", (reg_id,)
        ).fetchone()
        if row is None:
            raise ValueError(f"no registration {reg_id}")
        return key_ref(row)

    def _whole_letters(self, rows: list[dict]) -> list[int]:
        """The ids of ``rows`` and of every other registration's row of the same letters (a
        letter for twins is final, or not, as one)."""
        ids = {row["letter_id"] for row in rows}
        for file in {row["file"] for row in rows if row.get("file")}:  # one file, one letter:
            ids |= {  # its ref alone would also name other communes' letters
                r[0]
                for r in self._db.execute(
                    "SELECT id FROM letters WHERE file = ? AND status = ?", (file, MADE)
                )
            }
        return sorted(ids)
