"""Which letters a run writes, under which file names, and writing them crash-safely.

File names are ASCII, lowercase and belong to one registration for ever:
``letters/<event>/<no>_<slug>_<tag>.docx`` where <no> is the registration number, <slug> the
name of the person the letter is about and <tag> six hex digits of the sha256 of the
registration key (event, book, number). Two books with the same number and name, or a later run
that sees them in another order, never share a name. A letter already made keeps the name the
ledger records for it (names made before this scheme included), and no letter is ever written
over a file the ledger gives to another registration.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..config import Unit
from ..layout import UnitFolder
from ..records import ALREADY_SENT, EVENTS, LETTER, SUBJECT_FIELDS, Outcome, Record
from ..safeio import atomic_write_bytes
from ..textnorm import fold
from ..wording import letter_context

TAG_LENGTH = 6
MAX_SLUG = 60


@dataclass
class LetterPlan:
    event: str
    record: Record
    path: Path  # absolute
    relative: str  # relative to the unit's output folder, with forward slashes
    context: dict
    new: bool  # False: the letter exists from an earlier run (kept for the print file)


@dataclass
class MadeLetter:
    plan: LetterPlan
    sha256: str

    @property
    def event(self) -> str:
        return self.plan.event

    def summary_entry(self) -> dict:
        """The letter in summary.json: its file, the registration (no name), and the row it was
        made from (``source_file``, ``sheet``, ``row``: ``file`` is the letter's own)."""
        record = self.plan.record
        return {
            "event": self.plan.event,
            "file": self.plan.relative,
            **record.registration_fields(),
            "source_file": record.file,
            "sheet": record.sheet,
            "row": record.row,
        }


def ascii_slug(text: str, limit: int = MAX_SLUG) -> str:
    """'Nguyễn Thị Đào' -> 'nguyen_thi_dao' (safe on Windows and in zip files)."""
    return fold(text).replace(" ", "_")[:limit].rstrip("_") or "x"


def letter_name(record: Record) -> str:
    """``<no>_<slug>_<tag>``: the registration's own name, whatever else a run holds."""
    event, book, number = record.registration_key()
    tag = hashlib.sha256(f"{event}|{book}|{number}".encode()).hexdigest()[:TAG_LENGTH]
    return f"{_base(number, record)}_{tag}"


def _base(number: str, record: Record) -> str:
    shown = number.zfill(3)[:20] if number.isdigit() else ascii_slug(number, 20)
    names = [str(record.get(f, "")) for f in SUBJECT_FIELDS[record.event] if record.get(f)]
    return f"{shown}_{ascii_slug(' '.join(names))}"


def names_for(record: Record) -> set[str]:
    """Every name this registration's letter may carry: today's, and those of the naming
    before it (the number as written, the book's slug added on a clash within a run)."""
    raw = str(record.get("reg_no", "")).strip()
    old = _base(raw, record)
    return {letter_name(record), old, f"{old}_{ascii_slug(record.book, 12)}"}


def plan_letters(
    outcomes: list[Outcome],
    unit: Unit,
    settings: dict,
    folder: UnitFolder,
    book,
    today: date | None = None,
) -> list[LetterPlan]:
    """Plans for this run's letters, plus the existing letters of rows already sent into the
    same folder (so the print file of a rerun is complete). Sorted by event, date, number.
    ``book``: the ledger, which says the name a letter already has and whose a file is."""
    plans: list[LetterPlan] = []
    taken: set[str] = set()
    chosen = [o for o in outcomes if o.status in (LETTER, ALREADY_SENT)]
    chosen.sort(
        key=lambda o: (
            EVENTS.index(o.record.event),
            o.record.reg_date or date.min,
            _number(o.record),
        )
    )
    for outcome in chosen:
        record = outcome.record
        recorded = book.sent(unit, record.registration_key())
        relative = _relative(record, recorded, folder, outcome.status)
        if relative is None:
            continue  # sent from another period's folder: nothing to print here
        if outcome.status == LETTER:
            relative = _free(relative, folder, book, taken, recorded)
        taken.add(relative)
        path = folder.path / relative
        if outcome.status == ALREADY_SENT and not path.exists():
            continue  # deleted by hand or purged: nothing to print
        day = _letter_day(record, settings, today, recorded, outcome.status)
        context = letter_context(record.event, record.values, unit, settings, day)
        plans.append(
            LetterPlan(record.event, record, path, relative, context, outcome.status == LETTER)
        )
    return plans


def _relative(record, recorded, folder: UnitFolder, status: str) -> str | None:
    """The letter's file relative to the unit folder: the one the ledger records when it lies
    in this folder (a sent letter, or one --regenerate remakes for an unchanged name), else a
    new name; None for a sent letter of another folder."""
    mine = recorded and str(recorded["file"]).startswith(folder.prefix)
    if status == ALREADY_SENT:
        return str(recorded["file"])[len(folder.prefix) :] if mine else None
    if mine and Path(recorded["file"]).stem in names_for(record):
        return str(recorded["file"])[len(folder.prefix) :]
    return folder.letter_relative(record.event, letter_name(record))


def _free(relative: str, folder: UnitFolder, book, taken: set[str], recorded) -> str:
    """``relative``, or the first of ``<stem>_2``, ``<stem>_3``… that no other registration's
    letter has (the ledger's files, and this run's): a letter never replaces another's."""
    own = recorded["registration_id"] if recorded else None
    stem, suffix = relative.rsplit(".", 1)
    candidate, number = relative, 1
    while candidate in taken or book.letter_owner(folder.prefix + candidate) not in (None, own):
        number += 1
        candidate = f"{stem}_{number}.{suffix}"
    return candidate


def _letter_day(record, settings, today, recorded, status) -> date:
    """The date the letter bears: its registration's, or with letter_date "run" the day it
    was made (for a letter made by an earlier run, that run's day, as in its file)."""
    if settings.get("letter_date") != "run":
        return record.reg_date or today or date.today()
    if status == ALREADY_SENT and recorded and recorded.get("created_at"):
        return date.fromisoformat(str(recorded["created_at"])[:10])
    return today or date.today()


def _number(record: Record) -> tuple[int, str]:
    text = record.registration_key()[2]
    return (int(text), text) if text.isdigit() else (10**9, text)


def write_letters(plans: list[LetterPlan], compiled: dict, book, unit: Unit, run_id, outputs: Path):
    """Write each new letter, then record it: the ledger row follows the file, never precedes it."""
    made = []
    for plan in plans:
        if not plan.new:
            continue
        reg_id = book.record_registration(unit, plan.record)
        relative = plan.path.relative_to(outputs).as_posix()
        if book.letter_owner(relative) not in (None, reg_id):  # planned apart; checked again
            raise ValueError(f"{relative} belongs to another registration")
        data = compiled[plan.event].render_bytes(plan.context)
        atomic_write_bytes(plan.path, data)
        earlier = book.sent(unit, plan.record.registration_key())
        digest = hashlib.sha256(data).hexdigest()
        book.record_letter(reg_id, relative, digest, run_id)
        if earlier:
            book.refresh(unit, plan.record)
        if earlier and earlier["file"] != relative:
            # --regenerate after a corrected name: the new letter replaces the old one
            (outputs / earlier["file"]).unlink(missing_ok=True)
        made.append(MadeLetter(plan, digest))
    return made


def flag_unsure_honorifics(plans: list[LetterPlan]) -> int:
    """A condolence letter calls the declarant "Ông/Bà" when no column says their sex: warn
    (W-SEX-02) on each new one, so the clerk can add the sex and remake it. Returns how many."""
    flagged = 0
    for plan in plans:
        if plan.new and plan.context.get("danh_xung_nguoi_khai") == "ông/bà":
            plan.record.warnings.append(
                plan.record.problem("W-SEX-02", "declarant_full_name", severity="warning")
            )
            flagged += 1
    return flagged
