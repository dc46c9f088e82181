"""A period's run: the per-unit notebooks in parallel (``batch``), then the report notebook(s) of
the period (``reports``) — what ``hcpvnd batch`` and ``make demo`` do.

No report while a unit has failed (a report missing a unit would undercount); after ``units``,
a report waits until every unit it covers has run for the period (I-REPORT-04 says which).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..config import load_units
from ..layout import units_file
from ..periods import Period
from .batch import BatchResult, BatchWatcher, run_batch
from .reports import NotebookReport, reports_due, run_report_notebooks


@dataclass
class PeriodResult:
    batch: BatchResult
    waiting: list[str] = field(default_factory=list)  # I-REPORT-04: reports left for later
    reports: list[NotebookReport] = field(default_factory=list)
    pdf_notices: list[str] = field(default_factory=list)  # the PDF conversion's messages

    @property
    def held(self) -> bool:
        """No report was made: a unit failed."""
        return bool(self.batch.failed)

    @property
    def exit_code(self) -> int:
        """0 all done; 1 some unit or report failed (the others are complete) or a report has
        a warning to look at (W-REPORT-…, e.g. figures changed after approval)."""
        status = self.batch.exit_code
        for report in self.reports:
            if not report.ok or report.warned:
                status = max(status, 1)
        return status


def run_period(
    period: Period,
    *,
    inputs: Path,
    outputs: Path,
    ledger: Path,
    units: list[str] | None = None,
    jobs: int | None = None,
    rerun_failed: bool = False,
    progress: BatchWatcher | None = None,
    before_reports: Callable[[BatchResult], None] | None = None,
) -> PeriodResult:
    """The per-unit notebooks in parallel, then the report notebook(s) for the period, every
    draft's PDF in one soffice call. ``before_reports``: called once the units are done and
    before the reports (``make demo`` imports the sample's delivery sheets there)."""
    batch = run_batch(
        period, units=units, jobs=jobs, inputs=inputs, outputs=outputs, ledger=ledger,
        rerun_failed=rerun_failed, progress=progress,
    )  # fmt: skip
    result = PeriodResult(batch)
    if result.held:
        return result
    if before_reports is not None:
        before_reports(batch)
    config = load_units(units_file(inputs))
    keys, result.waiting = reports_due(config, period, outputs, units)
    result.reports, result.pdf_notices = run_report_notebooks(
        period, keys, inputs=inputs, outputs=outputs, ledger=ledger
    )
    return result
