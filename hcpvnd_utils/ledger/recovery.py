"""The ledger against the files on disk: which letter files a killed run left (``reconcile``),
which file the naming before schema 2 gave to two registrations (``shared_files``), and putting
back what ``hcpvnd ledger rebuild`` finds (``restore``). A part of ``book.Ledger``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..config import Unit
from ..periods import now_iso
from ..safeio import TEMP_SUFFIX
from .rows import LETTER_ROW, UNIT_WHERE, key_ref, relative, unit_id
from .schema import PURGED


@dataclass
class Reconciliation:
    partial: list[Path] = field(default_factory=list)  # temporary files: delete
    unrecorded: list[Path] = field(default_factory=list)  # complete, no ledger row: replace
    missing: list[dict] = field(default_factory=list)  # ledger letters whose file is gone


class Recovery:
    """Ledger methods about the files on disk (mixed into ``book.Ledger``)."""

    def restore(self, unit: Unit, entry: dict) -> None:
        """A registration and its letter, as ``hcpvnd ledger rebuild`` found them on disk:
        ``entry`` has key (event, book, number), reg_date, file, sha256, created_at, status,
        source, and maybe row_hash, subject_hash and family (a ``FamilyKey``), letter_ref
        and variant (unknown: "", None, the registration's own key, '')."""
        family = entry.get("family")
        with self._write() as db:
            db.execute(
                "INSERT INTO registrations (scheme, unit_code, unit_key, event, book, reg_no,"
                " reg_date, first_seen, source_file, source_row, row_hash, subject_hash,"
                " family_id_hash, family_hash, family_year_hash)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (*unit_id(unit), unit.key, *entry["key"], entry["reg_date"], now_iso(),
                 entry["source"], entry.get("row_hash", ""), entry.get("subject_hash"),
                 *((family.pid, family.name, family.year) if family else (None,) * 3)),
            )  # fmt: skip
            reg_id = self._registration_id(unit, entry["key"])
            db.execute(
                "INSERT INTO letters (registration_id, file, sha256, created_at, status,"
                " letter_ref, variant) VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (registration_id) DO NOTHING",
                (reg_id, relative(entry["file"]), entry["sha256"], entry["created_at"],
                 entry["status"], entry.get("letter_ref") or key_ref(entry["key"]),
                 entry.get("variant") or ""),
            )  # fmt: skip

    def known_letters(self, unit: Unit) -> tuple[set[str], set[tuple]]:
        """What the ledger knows of the letters of ``unit`` (its scheme and code, or its key:
        a unit renamed by a reorganisation keeps its folders): the files of its letters (every
        status) and the keys (event, book, number) of its registrations with a letter."""
        rows = self._rows(
            "SELECT l.file, r.event, r.book, r.reg_no FROM letters l"
            " JOIN registrations r ON r.id = l.registration_id"
            f" WHERE ({UNIT_WHERE}) OR r.unit_key = ?",
            (*unit_id(unit), unit.key),
        )
        return {r["file"] for r in rows}, {(r["event"], r["book"], r["reg_no"]) for r in rows}

    def rebuilt_at(self, unit: Unit) -> str | None:
        """When ``hcpvnd ledger rebuild`` recorded the unit's letters (ISO), None if it never
        did: the letter files it matched with nothing were seen then (W-LEDGER-02)."""
        row = self._db.execute(
            f"SELECT max(first_seen) FROM registrations r WHERE (({UNIT_WHERE}) OR r.unit_key = ?)"
            " AND r.source_row IS NULL",  # ``restore`` alone records no row
            (*unit_id(unit), unit.key),
        ).fetchone()
        return row[0] if row else None

    def letter_count(self) -> int:
        """Letters recorded, every status: 0 for a ledger that never made one."""
        return self._db.execute("SELECT COUNT(*) FROM letters").fetchone()[0]

    def shared_files(self, unit: Unit, prefix: str) -> list[list[dict]]:
        """Letters under ``prefix`` recorded for more than one letter: what the naming before
        schema 2 could do (a later letter written over an earlier family's). One letter for
        several registrations (twins: one ref) is not that."""
        rows = self._rows(
            LETTER_ROW + f"WHERE {UNIT_WHERE} AND l.file IN (SELECT file FROM letters GROUP BY"
            " file HAVING COUNT(DISTINCT coalesce(letter_ref, id)) > 1) ORDER BY l.file, l.id",
            unit_id(unit),
        )
        groups: dict[str, list[dict]] = {}
        for row in rows:
            if row["file"].startswith(prefix):
                groups.setdefault(row["file"], []).append(row)
        return list(groups.values())

    def reconcile(self, unit: Unit, outputs_dir: Path, letters_dir: Path) -> Reconciliation:
        """Compare a letters folder with the ledger (see the protocol in the module docstring)."""
        outputs_dir, letters_dir = Path(outputs_dir), Path(letters_dir)
        prefix = letters_dir.relative_to(outputs_dir).as_posix() + "/"
        known = {
            row["file"]: row
            for row in self._rows(LETTER_ROW + "WHERE " + UNIT_WHERE, unit_id(unit))
            if row["file"].startswith(prefix)
        }
        found = Reconciliation()
        for path in sorted(letters_dir.rglob("*")) if letters_dir.is_dir() else []:
            relative = path.relative_to(outputs_dir).as_posix()
            if path.name.endswith(TEMP_SUFFIX):
                found.partial.append(path)
            elif path.suffix == ".docx" and relative not in known:
                found.unrecorded.append(path)
        found.missing = [
            row for file, row in known.items()
            if row["status"] != PURGED and not (outputs_dir / file).is_file()
        ]  # fmt: skip
        return found
