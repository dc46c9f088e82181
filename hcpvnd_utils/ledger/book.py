"""The SQLite record of registrations seen, letters made and runs: no letter is ever sent twice.

The ledger holds no personal data: a registration is its unit (scheme + code), event, book,
number and date, where it was first seen (file and row) and a hash of the row's values, so a row
changed later can be detected without keeping names.

Crash-safe protocol for a letter (the pipeline's side):

1. ``reg_id = ledger.record_registration(unit, record)`` (committed, idempotent).
2. Render to ``<final name> + TEMP_SUFFIX`` in the same folder, flush and fsync, then
   ``os.replace`` it to the final name (atomic). Names are stable: they depend on the
   registration only, never on the order of the run (``sent`` gives the name a
   registration already has, for ``--regenerate``).
3. ``ledger.record_letter(reg_id, file_rel, sha256, run_id)`` (committed in its own transaction).

A run killed between 2 and 3 leaves a complete file with no ledger row. The ledger is the truth:
that registration was not sent, so the rerun classifies it ``letter`` again, renders it under the
same name and replaces the file, then records it. ``reconcile`` lists, for a letters folder, the
temporary files to delete (a kill during 2), the complete files without a ledger row (the rerun
replaces them; those still unrecorded after the rerun are removed by the pipeline), and the
ledger's letters whose file is gone (deleted by hand: still counted as sent).

Several processes may write at once (WAL journal, 30 s busy timeout, every write in a
``BEGIN IMMEDIATE`` transaction). At most one run per unit is ``running`` (a partial unique
index); ``start_run`` refuses a second one while the first process is alive, and takes over the
run of a process that died.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Self

from ..config import Unit
from ..periods import Period, now_iso, spoken_moment
from ..records import EVENTS, RENUMBERED_EVENTS, FamilyKey, Record
from .deliveries import Deliveries, handed_over, remakable
from .errors import LedgerError, RunInProgress, open_error, write_error
from .recovery import Reconciliation, Recovery
from .rows import (
    IN_PERIOD,
    KEY_WHERE,
    LETTER_ROW,
    UNIT_WHERE,
    checked_key,
    iso,
    nameless,
    owner,
    ref_of,
    relative,
    row_hash,
    row_key,
    unit_id,
)
from .schema import (
    FINAL,
    INTERRUPTED,
    LETTER_STATUSES,
    MADE,
    PURGED,
    RUN_STATUSES,
    RUNNING,
    SCHEMA,
    SCHEMA_VERSION,
    connect,
    process_alive,
    upgrade,
)
from .shared import SharedLetters

__all__ = ["Ledger", "LedgerError", "Reconciliation", "RunInProgress", "row_hash"]


class Ledger(Recovery, SharedLetters, Deliveries):
    def __init__(self, path: Path):
        self.path = Path(path)
        self.clashes = 0  # registrations an upgrade found recorded twice (see schema.upgrade)
        try:
            self._db = connect(self.path)
            self._migrate()
        except (sqlite3.Error, OSError) as exc:
            raise open_error(exc, self.path) from None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    def _migrate(self) -> None:
        found = self._db.execute("PRAGMA user_version").fetchone()[0]
        if found > SCHEMA_VERSION:
            raise LedgerError("E-LEDGER-02", path=self.path, found=found, known=SCHEMA_VERSION)
        if found == SCHEMA_VERSION:
            return
        with self._write() as db:  # several processes may create or upgrade it at once
            found = db.execute("PRAGMA user_version").fetchone()[0]
            if found == 0:
                for statement in filter(str.strip, SCHEMA.split(";")):
                    db.execute(statement)
            elif found < SCHEMA_VERSION:
                self.clashes = upgrade(db, found)

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taking the write lock at once so the busy timeout applies."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise write_error(exc, self.path) from None
        try:
            yield self._db
            self._db.execute("COMMIT")
        except BaseException as exc:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            if isinstance(exc, (sqlite3.OperationalError, sqlite3.DatabaseError)) and not (
                isinstance(exc, sqlite3.IntegrityError)
            ):
                raise write_error(exc, self.path) from None
            raise

    def _rows(self, sql: str, params: Iterable = ()) -> list[dict]:
        try:
            cursor = self._db.execute(sql, tuple(params))
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row)) for row in cursor.fetchall()]
        except sqlite3.DatabaseError as exc:  # damaged pages show only when read
            raise write_error(exc, self.path) from None

    # -- runs -----------------------------------------------------------------------------------

    def start_run(self, unit: Unit, period: Period) -> int:
        """A new run of ``unit``; refuses (RunInProgress) while another live process runs it."""
        with self._write() as db:
            self._release_dead_run(db, unit)
            cursor = db.execute(
                "INSERT INTO runs (scheme, unit_code, unit_key, period, period_start, period_end,"
                " started_at, status, process_id, host) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (*unit_id(unit), unit.key, period.label, period.start.isoformat(),
                 period.end.isoformat(), now_iso(), RUNNING, os.getpid(), socket.gethostname()),
            )  # fmt: skip
            return cursor.lastrowid

    def refuse_live_run(self, unit: Unit) -> None:
        """E-LEDGER-03 while another live process runs ``unit`` (reads only): its letter files
        not yet recorded are its own, not a sign of another unit's ledger."""
        running = self._rows(
            "SELECT id, started_at, process_id, host FROM runs"
            " WHERE scheme = ? AND unit_code = ? AND status = ?",
            (*unit_id(unit), RUNNING),
        )
        if not running:
            return
        run = running[0]
        pid, host = run["process_id"], run["host"]
        if host == socket.gethostname() and (pid == os.getpid() or not process_alive(pid)):
            return
        raise RunInProgress(
            "E-LEDGER-03", unit=unit.key, run_id=run["id"], started=spoken_moment(run["started_at"]),
            pid=pid, host=host,
        )  # fmt: skip

    def _release_dead_run(self, db: sqlite3.Connection, unit: Unit) -> None:
        running = db.execute(
            "SELECT id, started_at, process_id, host FROM runs"
            " WHERE scheme = ? AND unit_code = ? AND status = ?",
            (*unit_id(unit), RUNNING),
        ).fetchone()
        if running is None:
            return
        run_id, started, pid, host = running
        mine = host == socket.gethostname() and pid == os.getpid()  # abandoned by this process
        if host == socket.gethostname() and (mine or not process_alive(pid)):
            db.execute(
                "UPDATE runs SET status = ?, finished_at = ? WHERE id = ?",
                (INTERRUPTED, now_iso(), run_id),
            )
            return
        raise RunInProgress(
            "E-LEDGER-03", unit=unit.key, run_id=run_id, started=spoken_moment(started), pid=pid,
            host=host,
        )  # fmt: skip

    def finish_run(self, run_id: int, status: str, counts: dict | None) -> None:
        if status not in RUN_STATUSES or status == RUNNING:
            raise ValueError(f"run status must be one of {RUN_STATUSES[1:]}, not {status!r}")
        with self._write() as db:
            db.execute(
                "UPDATE runs SET status = ?, finished_at = ?, counts_json = ? WHERE id = ?",
                (status, now_iso(), json.dumps(counts, ensure_ascii=False, sort_keys=True), run_id),
            )

    def run(self, run_id: int) -> dict | None:
        rows = self._rows("SELECT * FROM runs WHERE id = ?", (run_id,))
        return rows[0] if rows else None

    # -- registrations --------------------------------------------------------------------------

    def record_registration(self, unit: Unit, record: Record) -> int:
        """The registration's id, inserting it the first time it is seen (idempotent)."""
        return self.record_registrations(unit, [record])[0]

    def record_registrations(self, unit: Unit, records: Iterable[Record]) -> list[int]:
        """Ids of several registrations, in one transaction. Only validated rows belong here."""
        ids = []
        with self._write() as db:
            for record in records:
                key = checked_key(record)
                family = record.family_key() or FamilyKey(None, None, None)
                db.execute(
                    "INSERT INTO registrations (scheme, unit_code, unit_key, event, book, reg_no,"
                    " reg_date, first_seen, source_file, source_row, row_hash, subject_hash,"
                    " family_id_hash, family_hash, family_year_hash)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (scheme, unit_code, event, book, reg_no) DO UPDATE SET"
                    " row_hash = CASE row_hash WHEN '' THEN excluded.row_hash ELSE row_hash END,"
                    " subject_hash = coalesce(subject_hash, excluded.subject_hash),"
                    " family_id_hash = coalesce(family_id_hash, excluded.family_id_hash),"
                    " family_hash = coalesce(family_hash, excluded.family_hash),"
                    " family_year_hash = coalesce(family_year_hash, excluded.family_year_hash)",
                    (*unit_id(unit), unit.key, *key, iso(record.get("reg_date")), now_iso(),
                     record.file, record.row, row_hash(record), record.subject_hash(),
                     family.pid, family.name, family.year),
                )  # fmt: skip
                ids.append(self._registration_id(unit, key))
        return ids

    def identities(self, unit: Unit):
        """The ``known`` callable for ``validate.classify``: for a row whose own key the ledger
        does not hold with the row's registration date, the key of a registration of the same
        event, number and date (its book spelt otherwise, or not exported), the one with a
        letter first; None when there is none (the row is its own key)."""

        def known(own: tuple, day: tuple) -> tuple | None:
            event, number, registered, subject = day
            mine = self._rows(
                "SELECT reg_date FROM registrations r WHERE " + KEY_WHERE, (*unit_id(unit), *own)
            )
            if mine and mine[0]["reg_date"] == registered:
                return None
            rows = self._rows(
                "SELECT r.event, r.book, r.reg_no FROM registrations r"
                " LEFT JOIN letters l ON l.registration_id = r.id"
                f" WHERE {UNIT_WHERE} AND r.event = ? AND r.reg_no = ? AND r.reg_date = ?"
                " AND (r.subject_hash = ? OR r.subject_hash IS NULL)"
                " ORDER BY l.id IS NULL, r.subject_hash IS NULL, r.id LIMIT 1",
                (*unit_id(unit), event, number, registered, subject),
            )
            if not rows and event in RENUMBERED_EVENTS:
                rows = self._rows(  # the same marriage or death recorded under another number
                    "SELECT r.event, r.book, r.reg_no FROM registrations r"
                    " LEFT JOIN letters l ON l.registration_id = r.id"  # by the day's index:
                    " WHERE +r.scheme = ? AND +r.unit_code = ? AND +r.event = ?"  # not the unit's
                    " AND r.reg_date = ?"
                    " AND r.subject_hash = ? ORDER BY l.id IS NULL, r.id LIMIT 1",
                    (*unit_id(unit), event, registered, subject),
                )
            return row_key(rows[0]) if rows else None

        return known

    def holders(self, unit: Unit):
        """The ``held`` callable for ``validate.classify``: the registration recorded under a
        key (its reg_date, subject_hash, and its letter's file and status, None without
        one), or None. Tells a registration from another family given the same key."""

        def held(key: tuple) -> dict | None:
            rows = self._rows(
                "SELECT r.reg_date, r.subject_hash, l.file, l.status FROM registrations r"
                " LEFT JOIN letters l ON l.registration_id = r.id WHERE " + KEY_WHERE,
                (*unit_id(unit), *key),
            )
            return rows[0] if rows else None

        return held

    def _registration_id(self, unit: Unit, key: tuple) -> int | None:
        row = self._db.execute(
            "SELECT id FROM registrations r WHERE " + KEY_WHERE, (*unit_id(unit), *key)
        ).fetchone()
        return row[0] if row else None

    def refresh(self, unit: Unit, record: Record) -> None:
        """The letter was remade from this row: it is now the row the ledger knows (its values,
        its people and its registration date: a name corrected, then a date, is still the same
        registration)."""
        with self._write() as db:
            db.execute(
                "UPDATE registrations SET row_hash = ?, subject_hash = ?,"
                " reg_date = coalesce(?, reg_date) WHERE " + KEY_WHERE.replace("r.", ""),
                (row_hash(record), record.subject_hash(), iso(record.get("reg_date")),
                 *unit_id(unit), *record.registration_key()),
            )  # fmt: skip

    def changed(self, unit: Unit, record: Record) -> bool:
        """True when the registration was first seen with other values than this row's (a
        ledger rebuilt from the letters on disk does not know them: "")."""
        row = self._db.execute(
            "SELECT row_hash FROM registrations r WHERE " + KEY_WHERE,
            (*unit_id(unit), *record.registration_key()),
        ).fetchone()
        return row is not None and row[0] not in ("", row_hash(record))

    # -- letters --------------------------------------------------------------------------------

    def record_letter(
        self, reg_id: int, file_rel: str | Path, sha256: str, run_id: int | None, status=MADE,
        *, letter_ref: str | None = None, variant: str = "",
    ) -> int:  # fmt: skip
        """Record (or, for ``--regenerate``, replace) the letter of a registration; its own
        transaction. A replaced letter keeps its first made date (``created_at``). A final or
        purged letter is never replaced. ``letter_ref``: the letter this registration's is (a
        letter for several registrations has one ref, one file); by default the registration's
        own key."""
        if status not in LETTER_STATUSES:
            raise ValueError(f"letter status must be one of {LETTER_STATUSES}, not {status!r}")
        file = relative(file_rel)
        with self._write() as db:
            old = db.execute(
                "SELECT status FROM letters WHERE registration_id = ?", (reg_id,)
            ).fetchone()
            if old and old[0] != MADE:
                raise ValueError(f"registration {reg_id} has a {old[0]} letter; it is not remade")
            if handed_over(db, reg_id):
                raise ValueError(f"registration {reg_id}'s letter was handed over; not remade")
            letter_ref = letter_ref or self._own_ref(db, reg_id)
            holder = ref_of(db, file)
            if holder not in (None, letter_ref):  # one file is one letter, for ever
                raise ValueError(f"{file} is the letter {holder}, not {letter_ref}")
            made = now_iso()
            letter_id = db.execute(
                "INSERT INTO letters (registration_id, file, sha256, created_at, status, run_id,"
                " letter_ref, variant) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (registration_id) DO UPDATE SET"
                " file = excluded.file, sha256 = excluded.sha256,"
                " status = excluded.status, run_id = excluded.run_id,"
                " letter_ref = excluded.letter_ref, variant = excluded.variant RETURNING id",
                (reg_id, file, sha256, made, status, run_id, letter_ref, variant),
            ).fetchone()[0]
            # a twin tied to this letter by a later run (R-FAMILY-02) has the same file: its
            # row follows the file when the letter is remade. A remade letter keeps the day it
            # was first made (``created_at``): hand-overs typed since then stay valid and the
            # days to the letter do not restart.
            db.execute(
                "UPDATE letters SET sha256 = ? WHERE file = ? AND id != ?",
                (sha256, file, letter_id),
            )
            return letter_id

    def letter_owner(self, file_rel: str | Path) -> int | None:
        """The (first) registration whose letter is (or, purged, was) this file, or None."""
        return owner(self._db, relative(file_rel))

    def sent(self, unit: Unit, key: tuple) -> dict | None:
        """The letter made for this registration (status made, final or purged: all mean sent),
        with its file, sha256, created_at, status and the day it was handed over (None when no
        delivery is recorded); None when it has none."""
        rows = self._rows(LETTER_ROW + "WHERE " + KEY_WHERE, (*unit_id(unit), *key))
        return rows[0] if rows else None

    def regenerable(self, unit: Unit, key: tuple) -> bool:
        """--regenerate remakes letters not yet marked final (nor purged) nor handed over."""
        return remakable(self.sent(unit, key))

    def lookup(self, unit: Unit, *, regenerate: bool = False, within: str = ""):
        """The ``sent`` callable for ``validate.classify``; with ``regenerate``, made letters
        whose file lies under ``within`` (the run's folder, relative to outputs) are not counted
        as sent, so they are remade under the same file name. A letter another period's run
        made stays sent: remaking it here would leave it in that run's print file as well. A
        letter handed over stays too: the family has it, a new one would be a second letter."""

        def sent(key: tuple) -> dict | None:
            row = self.sent(unit, key)
            mine = str(row["file"]).startswith(within) if row else False
            return None if row and regenerate and remakable(row) and mine else row

        return sent

    def letters_of(self, unit: Unit) -> list[dict]:
        """Every letter of the unit, whatever its period."""
        return self._rows(LETTER_ROW + f"WHERE {UNIT_WHERE} ORDER BY l.file", unit_id(unit))

    def letters_for(self, unit: Unit, period: Period) -> list[dict]:
        """The unit's letters whose registration date lies in the period."""
        return self._rows(
            LETTER_ROW + f"WHERE {UNIT_WHERE} AND {IN_PERIOD} ORDER BY r.event, r.reg_date, l.file",
            (*unit_id(unit), period.start.isoformat(), period.end.isoformat()),
        )

    def counts(self, period: Period, units: Iterable[Unit] | None = None) -> dict:
        """{unit_key: {event: letters}} for registrations dated in the period (purged letters
        still count). With ``units``, every one of them is present, zeros included."""
        rows = self._db.execute(
            "SELECT r.scheme, r.unit_code, r.unit_key, r.event, COUNT(*)"
            f" FROM letters l JOIN registrations r ON r.id = l.registration_id WHERE {IN_PERIOD}"
            " GROUP BY r.scheme, r.unit_code, r.unit_key, r.event",
            (period.start.isoformat(), period.end.isoformat()),
        ).fetchall()
        wanted = {unit_id(unit): unit.key for unit in units} if units is not None else None
        result = {key: dict.fromkeys(EVENTS, 0) for key in (wanted or {}).values()}
        for scheme, code, unit_key, event, count in rows:
            if wanted is not None and (scheme, code) not in wanted:
                continue
            per_event = result.setdefault(unit_key, dict.fromkeys(EVENTS, 0))
            per_event[event] = per_event.get(event, 0) + count
        return result

    def mark_final(self, unit: Unit, period: Period, keys: Iterable[tuple] | None = None) -> int:
        """Mark the unit's made letters of the period (or only those of ``keys``) final: printed
        and handed over, never remade. Returns how many were marked."""
        wanted = None if keys is None else {tuple(key) for key in keys}
        rows = [
            row
            for row in self.letters_for(unit, period)
            if row["status"] == MADE and (wanted is None or row_key(row) in wanted)
        ]
        return self._set_status(self._whole_letters(rows), FINAL, "final_at")

    def mark_purged(self, letter_ids: Iterable[int]) -> int:
        """The files were deleted (``hcpvnd purge``); the rows, counts and hashes stay, and the
        file name loses the person's name: ``…/120_huynh_my_ly.docx`` becomes
        ``…/120_<first 12 hex digits of its sha256>.docx``."""
        ids = list(letter_ids)
        with self._write() as db:
            for letter_id in ids:
                row = db.execute(
                    "SELECT file, sha256 FROM letters WHERE id = ?", (letter_id,)
                ).fetchone()
                if row is None:
                    continue
                db.execute(
                    "UPDATE letters SET status = ?, purged_at = ?, file = ? WHERE id = ?",
                    (PURGED, now_iso(), nameless(*row), letter_id),
                )
        self.clear_notes(ids)  # a note may name someone: the purge takes it too
        return len(ids)

    def _set_status(self, ids: list[int], status: str, stamp: str) -> int:
        with self._write() as db:
            for letter_id in ids:
                db.execute(
                    f"UPDATE letters SET status = ?, {stamp} = ? WHERE id = ?",
                    (status, now_iso(), letter_id),
                )
        return len(ids)

    def checkpoint(self) -> None:
        """Copy the write-ahead log into the file and empty it (best effort: another reader
        may hold it), so rows rewritten by a purge leave no old copy behind."""
        try:
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.DatabaseError:
            pass

    def letters_created_before(self, moment: datetime | date) -> list[dict]:
        """Letters not yet purged, made before ``moment`` (for ``hcpvnd purge --before``)."""
        return self._rows(
            LETTER_ROW + "WHERE l.status != ? AND l.created_at < ? ORDER BY l.created_at",
            (PURGED, moment.isoformat()),
        )
