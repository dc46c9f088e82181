"""Checking registers without making letters (``hcpvnd validate``): every row of the chosen units
(or files) classified as a run would — rows whose letter the ledger already records count as
already sent, as ``hcpvnd letters`` would say; the ledger is read, never created — and the rows
that would get no letter written to kiem_tra_<unit>_<period>.xlsx (kiem_tra_<period>.xlsx for
every unit).

The workbook keeps the full messages (it lies under the protected outputs/); what the console may
show is the caller's business (``messages.console_text`` leaves cell values out).
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .. import layout
from ..config import Unit, UnitsConfig
from ..errors import InputFileError
from ..ingest.files import file_label, read_file, read_unit
from ..ledger.book import Ledger
from ..periods import Period
from ..records import REJECTED, IngestResult, Outcome
from .accounting import accounting
from .rejected import write_check
from .rules import classify
from .scope import relevant_records, sending_period, stated_periods

WHOLE_RANGE = Period(date(1900, 1, 1), date(2999, 12, 31), "tat-ca")


@dataclass
class Checked:
    """One group checked: a unit's folder, or the files given."""

    label: str  # what the accounting table is about: "Đơn vị …", or the files given
    unit: str  # the unit's name, "" for files checked without a unit
    read: IngestResult
    outcomes: list[Outcome]

    @property
    def counts(self) -> dict:
        return accounting(self.outcomes)


@dataclass
class CheckResult:
    groups: list[Checked]
    workbook: Path
    period: Period = field(default=WHOLE_RANGE)

    @property
    def exit_code(self) -> int:
        """0 every row usable, 1 some rows rejected, 2 a file unreadable."""
        if any(c.read.file_problems for c in self.groups):
            return 2
        return 1 if any(o.status == REJECTED for c in self.groups for o in c.outcomes) else 0


def check(
    config: UnitsConfig,
    inputs: Path,
    outputs: Path,
    *,
    unit: str | None = None,
    period: Period | None = None,
    files: Sequence[Path] = (),
    ledger: Path | None = None,
    today: date | None = None,
) -> CheckResult:
    """Classify every row of ``files`` (or of each unit's folder, one unit with ``unit``) for
    ``period`` (every date when None) and write the workbook of rows without a letter. With
    ``ledger`` (an existing file), registrations it records as sent are already sent."""
    _refuse_missing_files(files)
    scope = period or WHOLE_RANGE
    groups = []
    with ExitStack() as stack:
        book = stack.enter_context(Ledger(ledger)) if ledger and Path(ledger).is_file() else None
        for label, chosen, read in _groups(config, inputs, unit, files):
            records = relevant_records(read, scope) if period else read.records
            within = sending_period(chosen, scope) if chosen else scope
            ledger_knows = book is not None and chosen is not None
            outcomes = classify(
                records, within, config.settings, today=today or date.today(),
                stated=stated_periods(read), sent=book.lookup(chosen) if ledger_knows else None,
                families=book.families(chosen) if ledger_knows else None,
                known=book.identities(chosen) if ledger_knows else None,
                held=book.holders(chosen) if ledger_knows else None,
            )  # fmt: skip
            groups.append(Checked(label, chosen.name if chosen else "", read, outcomes))
    workbook = layout.check_workbook(outputs, scope.label, unit)
    parts = [(c.unit, c.outcomes, c.read.file_problems, c.read.warnings) for c in groups]
    write_check(workbook, parts)
    return CheckResult(groups, workbook, scope)


def _refuse_missing_files(files: Sequence[Path]) -> None:
    """A file named on the command line that is not there, or is a folder: say that, not that
    the file is damaged."""
    for path in map(Path, files):
        if path.is_dir():
            raise InputFileError("E-FILE-11", file=path)
        if not path.exists():
            raise InputFileError("E-FILE-10", file=path)


def _groups(config: UnitsConfig, inputs: Path, unit: str | None, files: Sequence[Path]):
    if files:
        read = IngestResult()
        for path in files:
            read.extend(read_file(Path(path)))
        chosen: Unit | None = config.unit(unit) if unit else None
        return [(", ".join(file_label(p) for p in files), chosen, read)]
    units = [config.unit(unit)] if unit else list(config.units.values())
    return [(f"Đơn vị {u.name}", u, read_unit(inputs, u.key)) for u in units]
