"""One unit, one period: ingest → validate → letters → print files → rejected.xlsx → summary.json.

This is the library call behind the per-unit notebook and ``hcpvnd letters``. Crash safety: each
letter is written under a temporary name and renamed, and its ledger row is committed only once
the file is in place, so a run killed at any point and rerun ends with one letter per
registration.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from . import ingest, paths, validate
from .config import Unit, UnitsConfig, load_units
from .errors import ConfigError, HcpvndError, InputFileError, Problem
from .ledger import Ledger
from .letterfiles import LetterPlan, plan_letters, write_letters
from .periods import Period, parse_period, short_date
from .records import (
    ALREADY_SENT,
    COUNT_NAMES,
    EVENTS,
    LETTER,
    NOT_ELIGIBLE,
    IngestResult,
    Outcome,
    Record,
)
from .rejected import write_rejected
from .safeio import atomic_write_json, private_dir
from .storage import StorageError

# Outcomes whose registration is recorded in the ledger (the others have no trustworthy key).
SEEN = (LETTER, NOT_ELIGIBLE, ALREADY_SENT)


@dataclass
class RunResult:
    unit: Unit
    period: Period
    out_dir: Path
    summary: dict
    outcomes: list[Outcome] = field(default_factory=list)
    file_problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    print_files: dict[str, Path] = field(default_factory=dict)


@dataclass(frozen=True)
class RunPaths:
    inputs: Path
    outputs: Path
    ledger: Path
    templates: Path

    @classmethod
    def resolve(cls, inputs=None, outputs=None, ledger=None, templates=None) -> RunPaths:
        out = paths.resolve(outputs, paths.outputs_dir())
        return cls(
            inputs=paths.resolve(inputs, paths.inputs_dir()),
            outputs=out,
            ledger=paths.resolve(ledger, paths.default_ledger(out)),
            templates=paths.resolve(templates, paths.templates_dir()),
        )


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
    where = RunPaths.resolve(inputs, outputs, ledger, templates)
    config = load_units(paths.units_file(where.inputs))
    unit = config.unit(unit_key)
    period = period if isinstance(period, Period) else parse_period(period)
    check_validity(config, period)
    compiled = _compile_templates(where.templates, unit.key)  # a broken template stops us here
    read = ingest.read_unit(where.inputs, unit.key)
    try:
        out_dir = private_dir(where.outputs / period.label / unit.key)
        _stop_on_unreadable_files(unit, read, out_dir)
        with Ledger(where.ledger) as book:
            run_id = book.start_run(unit, period)
            try:
                result = _make(book, run_id, unit, period, config, read, compiled, where, out_dir,
                               regenerate=regenerate, today=today)  # fmt: skip
            except BaseException:
                with suppress(HcpvndError):  # a full disk may refuse this too: the next run
                    book.finish_run(run_id, "failed", None)  # takes over a dead run's claim
                raise
            book.finish_run(run_id, "ok", result.summary["counts"])
    except OSError as exc:  # disk full, read-only or no permission: said in Vietnamese
        raise StorageError.from_os(exc) from None
    return result


def _make(book, run_id, unit, period, config, read, compiled, where, out_dir, *, regenerate, today):
    """Classify, record, write the letters, print files, rejected.xlsx and summary.json."""
    _clear_partial_files(book, unit, where.outputs, out_dir)
    sent = book.lookup(unit, regenerate=regenerate, within=f"{period.label}/{unit.key}/")
    outcomes = validate.classify(
        relevant_records(read, period), sending_period(unit, period), config.settings,
        sent=sent, today=today, stated=stated_periods(read),
    )  # fmt: skip
    _flag_changed_rows(book, unit, outcomes)
    book.record_registrations(unit, [o.record for o in outcomes if o.status in SEEN])
    plans = plan_letters(outcomes, unit, config.settings, out_dir, today=today)
    made = write_letters(plans, compiled, book, unit, run_id, where.outputs)
    print_files = _print_files(plans, made, compiled, out_dir)
    summary = build_summary(unit, period, outcomes, made, read.file_problems)
    write_rejected(out_dir / "rejected.xlsx", outcomes, read.file_problems, read.warnings)
    atomic_write_json(out_dir / "summary.json", summary)
    return RunResult(
        unit, period, out_dir, summary, outcomes, read.file_problems, read.warnings, print_files
    )


def check_validity(config: UnitsConfig, period: Period) -> None:
    """A units file describes one hierarchy for a span of time (Tuy Phước's 13 units until
    30/6/2025, its 4 new communes after): a period outside it belongs to the other file."""
    start, end = config.valid_from, config.valid_to
    if (start and period.end < start) or (end and period.start > end):
        raise ConfigError(
            "E-CONF-04", path=config.path, period=period.vietnamese(),
            start=short_date(start) if start else "…", end=short_date(end) if end else "nay",
        )  # fmt: skip


def relevant_records(read: IngestResult, period: Period) -> list[Record]:
    """Rows of the sheets that belong to this period.

    A sheet belongs when its stated period ("Từ ngày … đến ngày …") overlaps ours, or when one
    of its rows is registered within ours, or when none of its rows has a readable date (so that
    its problems are shown). Its other rows then count as out of period.
    """
    by_sheet: dict[tuple[str, str], list[Record]] = {}
    for record in read.records:
        by_sheet.setdefault((record.file, record.sheet), []).append(record)
    stated = {(s.name, s.sheet): (s.stated_start, s.stated_end) for s in read.sources}
    keep: list[Record] = []
    for sheet, rows in by_sheet.items():
        start, end = stated.get(sheet, (None, None))
        dates = [r.reg_date for r in rows if r.reg_date]
        if (
            (start and end and period.overlaps(start, end))
            or any(d in period for d in dates)
            or not dates
        ):
            keep += rows
    return keep


def stated_periods(read: IngestResult) -> dict:
    return {(s.name, s.sheet): (s.stated_start, s.stated_end) for s in read.sources}


def sending_period(unit: Unit, period: Period) -> Period:
    """The part of the period in which the unit sends letters (from its letters_start)."""
    begin = unit.rollout.letters_start
    if begin is None or begin <= period.start:
        return period
    return Period(min(begin, period.end + timedelta(days=1)), period.end, period.label)


def build_summary(unit, period, outcomes, made, file_problems) -> dict:
    counts = validate.accounting(outcomes)
    validate.check_invariant(counts)
    rejected = [
        {"event": o.record.event, **o.problem.as_dict()}
        for o in outcomes
        if o.status != LETTER and o.problem is not None
    ]
    rejected += [{"event": "", **p.as_dict()} for p in file_problems]
    return {
        "unit": unit.key,
        "period": period.as_dict(),
        "counts": {event: counts[event] for event in EVENTS},
        "letters": [letter.summary_entry() for letter in made],
        "rejected": rejected,
    }


def _compile_templates(templates_dir: Path, unit_key: str):
    from .templates import compile_for_run

    return compile_for_run(templates_dir, unit_key, EVENTS)


def _stop_on_unreadable_files(unit: Unit, read: IngestResult, out_dir: Path) -> None:
    """A file that cannot be read has rows nobody can count: make no letter until it is fixed,
    so that every row is accounted for when the letters are made."""
    if not read.file_problems:
        return
    write_rejected(out_dir / "rejected.xlsx", [], read.file_problems, read.warnings)
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


def _clear_partial_files(book: Ledger, unit: Unit, outputs: Path, out_dir: Path) -> None:
    """A run killed while writing leaves temporary files: remove them before anything else."""
    for partial in book.reconcile(unit, outputs, out_dir).partial:
        partial.unlink(missing_ok=True)


def _print_files(plans: list[LetterPlan], made, compiled, out_dir: Path) -> dict[str, Path]:
    """One print file per event with every letter of the folder. Rewritten when this run made
    letters, when it is missing, or when it is older than a letter (a run killed before its
    print file); otherwise left untouched, so a rerun changes no file."""
    from .printfile import write_print_file

    files = {}
    new_events = {letter.event for letter in made}
    for event in EVENTS:
        in_folder = [p for p in plans if p.event == event and p.path.exists()]
        target = out_dir / f"ban_in_{event}.docx"
        if in_folder and (event in new_events or _stale(target, in_folder)):
            target.with_suffix(".pdf").unlink(missing_ok=True)  # a preview of the old file
            write_print_file(compiled[event], [p.context for p in in_folder], target)
        if target.exists():
            files[event] = target
    return files


def _stale(target: Path, plans: list[LetterPlan]) -> bool:
    if not target.exists():
        return True
    return max(p.path.stat().st_mtime_ns for p in plans) > target.stat().st_mtime_ns


def load_config(inputs=None) -> UnitsConfig:
    return load_units(paths.units_file(paths.resolve(inputs, paths.inputs_dir())))


__all__ = ["COUNT_NAMES", "RunResult", "run_unit"]
