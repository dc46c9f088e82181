"""Which letters a run writes, under which file names and templates, and writing them
crash-safely.

A letter is for one registration, or for several (twins: ``Outcome.group``): one file, named
after its first registration, recorded in the ledger for each of them under one ``letter_ref``.
Its template is the event's own, or the variant the units file's rules choose for it
(``variants.choose`` on ``letterfields.letter_facts``).

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
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..config import Unit
from ..errors import Problem
from ..layout import UnitFolder
from ..ledger.rows import key_ref
from ..letterfields import letter_context, letter_facts
from ..records import ALREADY_SENT, EVENTS, LETTER, SUBJECT_FIELDS, Outcome, Record
from ..safeio import atomic_write_bytes
from ..textnorm import ascii_slug
from ..validate.keys import other_registration
from ..variants import choose
from .catalogue import MULTI_CHILD_FIELDS

TAG_LENGTH = 6


@dataclass
class LetterPlan:
    event: str
    record: Record
    path: Path  # absolute
    relative: str  # relative to the unit's output folder, with forward slashes
    context: dict
    new: bool  # False: the letter exists from an earlier run (kept for the print file)
    records: list[Record] = field(default_factory=list)  # every registration it is for
    variant: str = ""  # the template variant ('' the event's own template)
    ref: str = ""  # the ledger's letter_ref

    def __post_init__(self):
        self.records = self.records or [self.record]
        self.ref = self.ref or key_ref(self.record.registration_key())


@dataclass
class MadeLetter:
    plan: LetterPlan
    sha256: str

    @property
    def event(self) -> str:
        return self.plan.event

    def summary_entries(self) -> list[dict]:
        """The letter in summary.json, one entry per registration it is for: its file, the
        registration (no name), the row it was made from (``source_file``, ``sheet``, ``row``:
        ``file`` is the letter's own), the letter (``letter_ref``, shared by the registrations
        of one letter), how many registrations it is for, and its template ``variant``."""
        plan = self.plan
        return [
            {
                "event": plan.event,
                "file": plan.relative,
                **record.registration_fields(),
                "source_file": record.file,
                "sheet": record.sheet,
                "row": record.row,
                "letter_ref": plan.ref,
                "covers": len(plan.records),
                "variant": plan.variant,
            }
            for record in plan.records
        ]

    def summary_entry(self) -> dict:
        return self.summary_entries()[0]


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
    rules: dict | None = None,
    notices: list[Problem] | None = None,
) -> list[LetterPlan]:
    """Plans for this run's letters, plus the existing letters of rows already sent into the
    same folder (so the print file of a rerun is complete). Sorted by event, date, number —
    registration order, whatever the variant. ``book``: the ledger, which says the name a
    letter already has and whose a file is. ``rules``: the variant rules per event.
    ``notices`` receives W-PRINT-02 for a letter for several registrations that this run's
    rows do not all give (it cannot be printed again from them)."""
    plans: list[LetterPlan] = []
    taken: set[str] = set()
    for status, records in _letters_of(outcomes, unit, book, notices):
        ref, recorded, holder = _identity(records, unit, book)
        relative = _relative(holder, recorded, folder, status)
        if relative is None:
            continue  # sent from another period's folder: nothing to print here
        if status == LETTER:
            relative = _free(relative, folder, book, taken, ref)
        taken.add(relative)
        path = folder.path / relative
        if status == ALREADY_SENT and not path.exists():
            continue  # deleted by hand or purged: nothing to print
        plans.append(_plan(records, status, ref, recorded, path, relative, unit, settings,
                           today, rules))  # fmt: skip
    return plans


def _plan(records, status, ref, recorded, path, relative, unit, settings, today, rules):
    first, others = records[0], [r.values for r in records[1:]]
    event = first.event
    latest = max(records, key=lambda r: r.reg_date or date.min)
    day = _letter_day(latest, settings, today, recorded, status)
    context = letter_context(event, first.values, unit, settings, day, others)
    variant = choose((rules or {}).get(event), letter_facts(event, first.values, settings, others))
    if status == ALREADY_SENT and recorded is not None:
        variant = recorded.get("variant") or ""
    return LetterPlan(event, first, path, relative, context, status == LETTER, list(records),
                      variant, ref)  # fmt: skip


def _letters_of(outcomes, unit, book, notices) -> list[tuple[str, list[Record]]]:
    """(status, registrations) of each letter, in registration order: a letter for several
    registrations once, with all of them; a letter sent already only when this run's rows
    give every registration it is for."""
    found, groups, sent = [], set(), {}
    for outcome in outcomes:
        if outcome.status == LETTER and outcome.group:
            if id(outcome.group) not in groups:
                groups.add(id(outcome.group))
                found.append((LETTER, list(outcome.group)))
        elif outcome.status == LETTER:
            found.append((LETTER, [outcome.record]))
        elif outcome.status == ALREADY_SENT:
            row = book.sent(unit, outcome.record.registration_key())
            if row is not None:  # R-FAMILY rows have no letter of their own
                sent.setdefault(row.get("letter_ref") or row["file"], []).append(outcome.record)
    for ref, records in sent.items():
        whole = book.covers(unit, ref)  # 0 for a letter recorded without a ref: itself alone
        if whole <= len(records):
            found.append((ALREADY_SENT, sorted(records, key=_order)))
        elif notices is not None:
            notices.append(records[0].problem("W-PRINT-02", "reg_no", severity="warning",
                                              count=whole, present=len(records)))  # fmt: skip
    found.sort(key=lambda item: (EVENTS.index(item[1][0].event), *_order(item[1][0])))
    return found


def _order(record: Record) -> tuple:
    return (record.reg_date or date.min, _number(record))


def _identity(records: list[Record], unit: Unit, book) -> tuple[str, dict | None, Record]:
    """The letter's ref, the ledger's row of its letter (None for a new one) and the
    registration holding it: a letter made before keeps its ref and name (--regenerate), a
    new one takes its first registration's."""
    for record in records:
        row = book.sent(unit, record.registration_key())
        if row is not None:
            return row.get("letter_ref") or key_ref(record.registration_key()), row, record
    return key_ref(records[0].registration_key()), None, records[0]


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


def _free(relative: str, folder: UnitFolder, book, taken: set[str], ref: str) -> str:
    """``relative``, or the first of ``<stem>_2``, ``<stem>_3``… that no other letter has
    (the ledger's files, and this run's): a letter never replaces another's."""
    stem, suffix = relative.rsplit(".", 1)
    candidate, number = relative, 1
    while candidate in taken or book.letter_ref_of(folder.prefix + candidate) not in (None, ref):
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
    made, held = [], book.holders(unit)
    for plan in plans:
        if not plan.new:
            continue
        for record in plan.records:  # classify refuses these rows (E-KEY-01); checked again
            row = held(record.registration_key())
            if row is not None and other_registration(record, row):
                raise ValueError(f"{record!r} is not the registration its key holds")
        reg_ids = book.record_registrations(unit, plan.records)
        relative = plan.path.relative_to(outputs).as_posix()
        if book.letter_ref_of(relative) not in (None, plan.ref):  # planned apart; checked again
            raise ValueError(f"{relative} belongs to another letter")
        data = compiled.template(plan.event, plan.variant).render_bytes(plan.context)
        atomic_write_bytes(plan.path, data)
        earlier = [book.sent(unit, record.registration_key()) for record in plan.records]
        digest = hashlib.sha256(data).hexdigest()
        for reg_id, record, before in zip(reg_ids, plan.records, earlier):
            book.record_letter(reg_id, relative, digest, run_id, letter_ref=plan.ref,
                               variant=plan.variant)  # fmt: skip
            if before:
                book.refresh(unit, record)
        for old in {row["file"] for row in earlier if row and row["file"] != relative}:
            if not book.file_users(old):
                # --regenerate after a corrected name: the new letter replaces the old one
                (outputs / old).unlink(missing_ok=True)
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


def children_named_as_one(plans: list[LetterPlan], compiled) -> list[Problem]:
    """W-TPL-04 per template: this run's letters for several children made with a template
    that has none of the fields for several children (it says "cháu A và B")."""
    counts: dict[str, int] = {}
    fields: dict[int, bool] = {}
    for plan in plans:
        if not plan.new or len(plan.records) < 2:
            continue
        template = compiled.template(plan.event, plan.variant)
        if id(template) not in fields:
            fields[id(template)] = bool(template.fields & set(MULTI_CHILD_FIELDS))
        if not fields[id(template)]:
            name = template.path.name if template.path else plan.event
            counts[name] = counts.get(name, 0) + 1
    return [
        Problem.make("W-TPL-04", severity="warning", count=count, template=name)
        for name, count in counts.items()
    ]
