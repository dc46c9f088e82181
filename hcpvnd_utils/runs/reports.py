"""Running the report notebook: one report (``hcpvnd report``), and the reports at the end of a
batch (those whose units are all done, each without its PDF, then every draft's PDF in one
soffice call). The notebook tells its runner what it did in a small JSON file next to its
executed copy (``review.drafting.report_from_notebook``): the runner reads that, never the
notebook's cells.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .. import layout, messages
from ..config import UnitsConfig, load_units
from ..periods import Period
from ..report.build import CURRENT, report_keys
from ..report.data import issuer_for, read_summary_counts
from ..review.drafting import RESULT_ENV
from ..review.record import command_hints, describe
from ..safeio import read_json
from .notebook import run_project_notebook

NOTEBOOK_NAME = "district_report.ipynb"


def run_report_notebook(
    period: Period,
    *,
    unit: str | None,
    inputs: Path,
    outputs: Path,
    ledger: Path,
    narrative: Path | None = None,
    pdf: bool = True,
    annex_unit_reports: bool = False,
):
    """Run notebooks/district_report.ipynb with papermill; the executed copy, its log and what the
    run did (``bao_cao_<key>.json``, see ``notebook_record``) go to
    ``<outputs>/<period label>/report/notebooks/``. ``pdf`` False: no PDF preview (the caller
    converts); ``annex_unit_reports``: the units' approved reports as annexes. Returns (the
    run's Execution, executed copy); never raises for a failed run."""
    executed = layout.report_notebook(Path(outputs).resolve(), period.label, unit)
    record = executed.with_suffix(".json")
    record.unlink(missing_ok=True)  # a failed run must not pass for the last good one
    parameters = {
        "period": period.argument,
        "unit": unit or "",
        "inputs": str(Path(inputs).resolve()),
        "outputs": str(Path(outputs).resolve()),
        "ledger": str(Path(ledger).resolve()),
        "narrative": str(Path(narrative).resolve()) if narrative else "",
        "pdf": bool(pdf),
        "annex_unit_reports": bool(annex_unit_reports),
    }
    execution = run_project_notebook(NOTEBOOK_NAME, executed, parameters, {RESULT_ENV: str(record)})
    return execution, executed


def notebook_record(executed: Path) -> dict | None:
    """What a report notebook run did (``ReportResult.record``), or None when it left nothing."""
    return read_json(Path(executed).with_suffix(".json"))


def report_title(config: UnitsConfig, key: str | None) -> str:
    """'báo cáo tổng hợp của huyện Tuy Phước' (key None), 'báo cáo của xã Phước Quang'."""
    if key is None and config.aggregator:
        agg = config.aggregator
        return f"báo cáo tổng hợp của {agg.type} {agg.name}"
    if key is None:
        return "báo cáo tổng hợp"
    return f"báo cáo của {config.unit(key).full_name}"


def missing_summaries(config: UnitsConfig, period: Period, outputs: Path, key: str | None) -> list:
    """The units a report covers that send letters in the period but have no summary.json of
    that period yet (their registrations would be missing from the report)."""
    _, _, covered = issuer_for(config, key)
    return [
        unit
        for unit in covered
        if unit.sending_in(period.start, period.end)
        and read_summary_counts(
            layout.unit_folder(outputs, period.label, unit.key).summary, unit, period
        ) is None
    ]  # fmt: skip


def reports_due(config: UnitsConfig, period: Period, outputs: Path,
                units: Sequence[str] | None = None) -> tuple[list[str | None], list[str]]:  # fmt: skip
    """The reports a batch builds now and, for each one it leaves alone, why (I-REPORT-04).

    A report is (re)built only when every unit it covers that sends letters in the period has its
    summary for the period: after ``--units k1,k2`` the district report waits for the others
    rather than replacing a draft with one that misses them. With ``units``, the communes'
    own reports (post-2025) are those of the units asked for."""
    keys = report_keys(config, period)
    if units:
        keys = [key for key in keys if key is None or key in units]
    due, waiting = [], []
    for key in keys:
        missing = missing_summaries(config, period, outputs, key)
        if not missing:
            due.append(key)
            continue
        what = describe(key, config.unit(key).full_name if key else None)
        waiting.append(
            messages.render(
                "I-REPORT-04",
                **command_hints(what, period, key),
                count=len(missing),
                names=", ".join(u.full_name for u in missing),
                keys=",".join(u.key for u in missing),
            )
        )
    return due, waiting


@dataclass
class NotebookReport:
    """One report notebook run of a batch, as the batch prints it."""

    key: str | None  # None: the district report
    title: str  # "báo cáo tổng hợp của huyện Tuy Phước"
    executed: Path
    ok: bool
    error: str = ""  # the run's message when the notebook failed
    status: str = ""  # ReportResult.status; "" when the run left no record
    draft: Path | None = None
    final: Path | None = None
    pdfs: list[Path] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)

    @property
    def warned(self) -> bool:
        """A warning to look at: figures (W-REPORT-…) or the analyst's files (W-NARR-…)."""
        return any(m.startswith(("[W-REPORT-", "[W-NARR-")) for m in self.messages)

    def lines(self) -> list[str]:
        """The headline, the report's notices (as ``hcpvnd report`` shows them), the PDF."""
        title = self.title[:1].upper() + self.title[1:]
        if self.status == CURRENT and self.final:
            head = f"{title} (đã duyệt, không thay đổi): {self.final}"
        elif self.draft:
            head = f"{title} (dự thảo): {self.draft}"
        else:
            head = f"{title}: {self.executed}"
        return [
            head, *self.messages, *(f"Bản xem trước PDF: {pdf}" for pdf in self.pdfs),
        ]  # fmt: skip


def run_report_notebooks(period: Period, keys: Sequence[str | None], *, inputs: Path,
                         outputs: Path, ledger: Path) -> tuple[list[NotebookReport], list[str]]:  # fmt: skip
    """The report notebooks of a batch, each without its PDF, then the PDFs of every draft they
    wrote in ONE soffice call. Returns the runs and the conversion's messages."""
    config = load_units(layout.units_file(inputs))
    runs = []
    for key in keys:
        execution, executed = run_report_notebook(
            period, unit=key, inputs=inputs, outputs=outputs, ledger=ledger, pdf=False
        )
        run = NotebookReport(key, report_title(config, key), executed, execution.status == "ok")
        if not run.ok:
            run.error = execution.message
        else:
            _fill_from_record(run)
        runs.append(run)
    drafts = [run.draft for run in runs if run.draft]
    if not drafts:
        return runs, []
    from ..pdf import convert

    done = convert(drafts)
    for run in runs:
        if run.draft in done.pdfs:
            run.pdfs = [done.pdfs[run.draft]]
    return runs, done.messages


def _fill_from_record(run: NotebookReport) -> None:
    record = notebook_record(run.executed)
    if record is None:  # a notebook that does not call report_from_notebook
        return
    run.status = record.get("status", "")
    run.draft = Path(record["draft"]) if record.get("draft") else None
    run.final = Path(record["final"]) if record.get("final") else None
    run.pdfs = [Path(p) for p in record.get("pdfs", [])]
    run.messages = list(record.get("messages", []))
