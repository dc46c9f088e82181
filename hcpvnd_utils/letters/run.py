"""One unit, one period: ingest → validate → letters → print files → rejected.xlsx → summary.json.

This is the library call behind the per-unit notebook and ``hcpvnd letters``. Crash safety: each
letter is written under a temporary name and renamed, and its ledger row is committed only once
the file is in place, so a run killed at any point and rerun ends with one letter per
registration.
"""

from __future__ import annotations

import heapq
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .. import layout
from ..config import Unit, load_units
from ..errors import HcpvndError, InputFileError, Problem
from ..ingest.files import read_unit
from ..layout import Places, UnitFolder
from ..ledger.book import Ledger
from ..ledger.guard import rebuild_args, require_ledger
from ..periods import Period, parse_period
from ..records import ALREADY_SENT, EVENTS, LETTER, NOT_ELIGIBLE, IngestResult, Outcome
from ..rowsfile import MAX_LISTED, write_rows
from ..safeio import atomic_write_json, private_dir
from ..storage import StorageError
from ..tables import Table
from ..validate.accounting import accounting, check_invariant
from ..validate.rejected import UNREADABLE, action_first, write_rejected
from ..validate.rules import classify
from ..validate.scope import check_validity, relevant_records, sending_period, stated_periods
from . import views
from .files import (
    LetterPlan,
    children_named_as_one,
    flag_unsure_honorifics,
    plan_letters,
    write_letters,
)
from .notices import shared_letter_files, unprinted

# Outcomes whose registration is recorded in the ledger (the others have no trustworthy key).
SEEN = (LETTER, NOT_ELIGIBLE, ALREADY_SENT)


@dataclass
class RunResult:
    """What one unit's run did; in a notebook, its tables show what a clerk checks."""

    unit: Unit
    period: Period
    out_dir: Path
    summary: dict
    outcomes: list[Outcome] = field(default_factory=list)
    file_problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    print_files: dict[str, Path] = field(default_factory=dict)

    def accounting_table(self) -> Table:
        """Rows read and what became of them, per event."""
        return views.accounting(self)

    def notices_table(self) -> Table:
        """Letters already made that still need something done (in no print file…), each with
        the command to run."""
        return views.notices(self)

    def rejected_table(self) -> Table:
        """The rows without a letter, each with where it is and why."""
        return views.rejected(self)

    def letters_table(self) -> Table:
        """The letters this run made."""
        return views.letters(self)


@dataclass
class NothingChosen:
    """The per-unit notebook opened as committed: no unit and no period chosen, nothing made."""

    note: str = (
        "Chưa chọn xã và kỳ: ghi mã xã vào unit (ví dụ phuoc-quang) và kỳ vào period (ví dụ "
        "2024-09) trong ô tham số ở trên, rồi chạy lại (Run › Run All Cells)."
    )

    def _table(self, title: str) -> Table:
        return Table(["Ghi chú"], [], title, self.note)

    def accounting_table(self) -> Table:
        return self._table("Chưa làm thư")

    def notices_table(self) -> Table:
        return self._table("Thư cần làm thêm")

    def rejected_table(self) -> Table:
        return self._table("Các dòng không gửi thư")

    def letters_table(self) -> Table:
        return self._table("Thư đã làm")


def letters_from_notebook(
    unit: str, period: str, inputs: str = "", outputs: str = "", ledger: str = "",
    regenerate: bool = False,
) -> RunResult | NothingChosen:  # fmt: skip
    """``run_unit`` with the notebook's scalar parameters ('' means the default). Neither unit
    nor period given: nothing is made (the notebook as committed). Only one of them given — a
    parameter misspelt on papermill's command line keeps its empty default — is refused
    (E-NB-11) before anything is read: letters are never made from parameters nobody gave."""
    missing = [name for name, value in (("unit", unit), ("period", period)) if not value]
    if len(missing) == 2:
        return NothingChosen()
    if missing:
        raise HcpvndError("E-NB-11", missing=missing[0])
    return run_unit(
        unit, period, inputs=inputs or None, outputs=outputs or None, ledger=ledger or None,
        regenerate=regenerate,
    )  # fmt: skip


def run_unit(
    unit_key: str,
    period: str | Period,
    *,
    inputs=None,
    outputs=None,
    ledger=None,
    templates=None,
    regenerate: bool = False,
    today: date | None = None,
) -> RunResult:
    """Make the letters of one unit for one period and write its summary."""
    where = Places.resolve(inputs, outputs, ledger, templates)
    config = load_units(where.units_file)
    unit = config.unit(unit_key)
    period = period if isinstance(period, Period) else parse_period(period)
    check_validity(config, period)
    rules = config.rules_for(unit.key)
    compiled = _compile_templates(where.templates, unit.key, rules)  # a broken one stops us here
    compiled.notices += _misplaced_folders(where.templates, config, unit.key)
    read = read_unit(where.inputs, unit.key)
    folder = layout.unit_folder(where.outputs, period.label, unit.key)
    try:
        private_dir(folder.path, root=where.outputs)
        _stop_on_unreadable_files(unit, read, folder)
        args = rebuild_args(where.outputs, where.ledger, where.inputs)
        require_ledger(where.ledger, where.outputs, args, unit, where.inputs)  # before any file
        with Ledger(where.ledger) as book:
            run_id = book.start_run(unit, period)
            try:
                result = _make(book, run_id, unit, period, config, read, compiled, where, folder,
                               regenerate=regenerate, today=today)  # fmt: skip
            except BaseException:
                with suppress(HcpvndError):  # a full disk may refuse this too: the next run
                    book.finish_run(run_id, "failed", None)  # takes over a dead run's claim
                raise
            book.finish_run(run_id, "ok", result.summary["counts"])
    except OSError as exc:  # disk full, read-only or no permission: said in Vietnamese
        raise StorageError.from_os(exc) from None
    return result


def _make(book, run_id, unit, period, config, read, compiled, where, folder, *, regenerate, today):
    """Classify, record, write the letters, print files, rejected.xlsx and summary.json."""
    _clear_partial_files(book, unit, where.outputs, folder)
    sent = book.lookup(unit, regenerate=regenerate, within=folder.prefix)
    outcomes = classify(
        relevant_records(read, period), sending_period(unit, period), config.settings,
        sent=sent, today=today, stated=stated_periods(read), known=book.identities(unit),
        families=book.families(unit, within=folder.prefix), held=book.holders(unit),
    )  # fmt: skip
    _flag_changed_rows(book, unit, outcomes)
    book.record_registrations(unit, [o.record for o in outcomes if o.status in SEEN])
    _tie_to_family_letters(book, unit, outcomes)
    notices: list[Problem] = [*compiled.notices]  # a template the run cannot use (W-TPL-07)
    plans = plan_letters(outcomes, unit, config.settings, folder, book, today=today,
                         rules=config.rules_for(unit.key), notices=notices)  # fmt: skip
    flag_unsure_honorifics(plans)
    notices += children_named_as_one(plans, compiled)
    made = write_letters(plans, compiled, book, unit, run_id, where.outputs)
    _remove_unrecorded(book, unit, where.outputs, folder)
    shared = shared_letter_files(book, unit, period, folder)  # the print file has them all
    print_files = _print_files(plans, made, compiled, folder, {event for event, _ in shared})
    notices += [*(p for _, p in shared), *unprinted(book, unit, where.outputs)]
    notices += _delivery_sheet(book, unit, period, plans, folder, made)
    summary = build_summary(unit, period, outcomes, made, read.file_problems)
    warnings = [*read.warnings, *notices]
    write_rejected(folder.rejected, outcomes, read.file_problems, warnings)
    atomic_write_json(folder.summary, summary)
    write_rows(folder.rows_file, row_entries(outcomes), folder.summary)  # names the summary
    return RunResult(
        unit, period, folder.path, summary, outcomes, read.file_problems, warnings, print_files,
    )  # fmt: skip


def build_summary(unit, period, outcomes, made, file_problems) -> dict:
    counts = accounting(outcomes)
    check_invariant(counts)
    for event in EVENTS:  # letters for several registrations (twins…): how many of them
        counts[event]["shared_letters"] = sum(
            1 for letter in made if letter.event == event and len(letter.plan.records) > 1
        )
    return {
        "unit": unit.key,
        "period": period.as_dict(),
        "counts": {event: counts[event] for event in EVENTS},
        "letters": [entry for letter in made for entry in letter.summary_entries()],
        "rejected": listed_reasons(outcomes, file_problems),
    }


def listed_reasons(outcomes, file_problems, limit: int = MAX_LISTED) -> list[dict]:
    """The rows without a letter (and the files not read) as summary.json lists them, in the
    order of rejected.xlsx: the files not read and the rows the clerk must fix first, those
    already sent last (``action_first``, each group in the order read); all of them up to
    ``limit``, beyond it the first. Only the entries listed are ever built (a 1,000,000-row
    export: a thousand dicts, not a million); every row is in the rows file (``row_entries``)."""

    def ranked():
        for i, problem in enumerate(file_problems):
            yield (action_first(UNREADABLE), i, None, problem)
        for i, o in enumerate(outcomes, start=len(file_problems)):
            if o.status != LETTER and o.problem:
                yield (action_first(o.status), i, o, None)

    chosen = heapq.nsmallest(limit, ranked(), key=lambda x: (x[0], x[1]))
    return [
        _reason_entry(o) if o is not None else {"event": "", **problem.as_dict()}
        for _, _, o, problem in chosen
    ]


def _reason_entry(o: Outcome) -> dict:
    return {"event": o.record.event, **o.problem.as_dict(), "outcome": o.status,
            **o.record.registration_fields()}  # fmt: skip


def row_entries(outcomes):
    """Every row the run read, one entry each, in the order read (the rows file's lines): a
    letter's row with its outcome and where it is; a row without a letter as summary.json
    lists it. Made one at a time, for a writer that streams them."""
    for o in outcomes:
        if o.status != LETTER and o.problem:
            yield _reason_entry(o)
        else:
            record = o.record
            yield {"event": record.event, "outcome": o.status, "file": record.file,
                   "sheet": record.sheet, "row": record.row, **record.registration_fields()}  # fmt: skip


def _compile_templates(templates_dir: Path, unit_key: str, rules: dict):
    from .templates import compile_for_run

    return compile_for_run(templates_dir, unit_key, EVENTS, rules)


def _misplaced_folders(templates_dir: Path, config, unit_key: str) -> list[Problem]:
    from .templates import misplaced_folders

    return misplaced_folders(templates_dir, config, unit_key)


def _stop_on_unreadable_files(unit: Unit, read: IngestResult, folder: UnitFolder) -> None:
    """A file that cannot be read has rows nobody can count: make no letter until it is fixed,
    so that every row is accounted for when the letters are made."""
    if not read.file_problems:
        return
    write_rejected(folder.rejected, [], read.file_problems, read.warnings)
    details = "\n".join(f"  {p.message}" for p in read.file_problems)
    raise InputFileError(
        "E-FILE-07", unit=unit.name, count=len(read.file_problems), details=details
    )


def _flag_changed_rows(book: Ledger, unit: Unit, outcomes: list[Outcome]) -> None:
    """A row corrected after its letter was made (a misspelt name…): say so, the letter stays."""
    for outcome in outcomes:
        if outcome.status == ALREADY_SENT and book.changed(unit, outcome.record):
            outcome.record.warnings.append(
                outcome.record.problem("W-CHANGED-01", severity="warning")
            )


def _tie_to_family_letters(book: Ledger, unit: Unit, outcomes: list[Outcome]) -> None:
    """A twin registered after the family's letter was made in another period, marked final or
    handed over (R-FAMILY-02): that letter is its letter too, so the case is not counted as one
    without a letter."""
    for outcome in outcomes:
        if outcome.shares and outcome.shares.get("letter_id"):
            book.tie_to_letter(unit, outcome.record, outcome.shares)


def _clear_partial_files(book: Ledger, unit: Unit, outputs: Path, folder: UnitFolder) -> None:
    """A run killed while writing leaves temporary files: remove them before anything else."""
    for partial in book.reconcile(unit, outputs, folder.path).partial:
        partial.unlink(missing_ok=True)


def _remove_unrecorded(book: Ledger, unit: Unit, outputs: Path, folder: UnitFolder) -> None:
    """Letters a killed run wrote but never recorded, that this run did not write again (the
    row was corrected, or left the export): not sent, so not kept (the ledger's protocol)."""
    for leftover in book.reconcile(unit, outputs, folder.letters()).unrecorded:
        leftover.unlink(missing_ok=True)


def _print_files(plans: list[LetterPlan], made, compiled, folder: UnitFolder, forced=()):
    """One print file per event with every letter of the folder. Rewritten when this run made
    letters, when it is missing, or when it is older than a letter (a run killed before its
    print file), or for the ``forced`` events; otherwise left untouched, so a rerun changes no
    file."""
    from .printfile import write_print_file

    files: dict[str, Path] = {}
    new_events = {letter.event for letter in made} | set(forced)
    for event in EVENTS:
        in_folder = [p for p in plans if p.event == event and p.path.exists()]
        target = folder.print_file(event)
        if in_folder and (event in new_events or _stale(target, in_folder)):
            target.with_suffix(".pdf").unlink(missing_ok=True)  # a preview of the old file
            templates = [compiled.template(event, p.variant) for p in in_folder]
            write_print_file(templates, [p.context for p in in_folder], target)
        if target.exists():
            files[event] = target
    return files


def _delivery_sheet(book, unit, period, plans: list[LetterPlan], folder: UnitFolder, made):
    """The folder's delivery sheet (so_giao_thu.xlsx), one row per letter of its print files:
    written when this run made letters or when there is none (``delivery.prepare``)."""
    from ..delivery.prepare import sheet_for_run

    letters = [(p.record, p.context) for p in plans if p.path.exists()]
    return sheet_for_run(folder, unit, period, letters, book, made_any=bool(made))


def _stale(target: Path, plans: list[LetterPlan]) -> bool:
    if not target.exists():
        return True
    return max(p.path.stat().st_mtime_ns for p in plans) > target.stat().st_mtime_ns


__all__ = ["MAX_LISTED", "NothingChosen", "RunResult", "letters_from_notebook", "run_unit"]
