"""Which letters a run writes, under which file names, and writing them crash-safely.

File names are ASCII, lowercase and stable across reruns: ``letters/<event>/<no>_<slug>.docx``
where <no> is the registration number and <slug> the name of the person the letter is about.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..config import Unit
from ..layout import UnitFolder
from ..records import ALREADY_SENT, EVENTS, LETTER, Outcome, Record
from ..safeio import atomic_write_bytes
from ..textnorm import fold
from ..wording import letter_context

SUBJECT_FIELDS = {
    "khai_sinh": ("child_full_name",),
    "ket_hon": ("husband_full_name", "wife_full_name"),
    "khai_tu": ("deceased_full_name",),
}
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
    number = str(record.get("reg_no", "")).strip()
    number = number.zfill(3) if number.isdigit() else ascii_slug(number, 20)
    names = [str(record.get(f, "")) for f in SUBJECT_FIELDS[record.event] if record.get(f)]
    return f"{number}_{ascii_slug(' '.join(names))}"


def plan_letters(
    outcomes: list[Outcome],
    unit: Unit,
    settings: dict,
    folder: UnitFolder,
    today: date | None = None,
) -> list[LetterPlan]:
    """Plans for this run's letters, plus the existing letters of rows already sent into the
    same folder (so the print file of a rerun is complete). Sorted by event, date, number."""
    plans: list[LetterPlan] = []
    taken: dict[str, int] = {}
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
        stem = letter_name(record)
        key = f"{record.event}/{stem}"
        if key in taken:  # same number in another book: keep both, named apart
            stem = f"{stem}_{ascii_slug(record.book, 12)}"
        taken[key] = taken.get(key, 0) + 1
        relative = folder.letter_relative(record.event, stem)
        path = folder.path / relative
        if outcome.status == ALREADY_SENT and not path.exists():
            continue  # sent from another period's folder: nothing to print here
        day = today if settings.get("letter_date") == "run" and today else record.reg_date
        context = letter_context(record.event, record.values, unit, settings, day or date.today())
        plans.append(
            LetterPlan(record.event, record, path, relative, context, outcome.status == LETTER)
        )
    return plans


def _number(record: Record) -> tuple[int, str]:
    text = str(record.get("reg_no", ""))
    return (int(text), text) if text.isdigit() else (10**9, text)


def write_letters(plans: list[LetterPlan], compiled: dict, book, unit: Unit, run_id, outputs: Path):
    """Write each new letter, then record it: the ledger row follows the file, never precedes it."""
    made = []
    for plan in plans:
        if not plan.new:
            continue
        data = compiled[plan.event].render_bytes(plan.context)
        atomic_write_bytes(plan.path, data)
        reg_id = book.record_registration(unit, plan.record)
        relative = plan.path.relative_to(outputs).as_posix()
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
