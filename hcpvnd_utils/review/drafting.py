"""A report as its reviewers see it: ``run_report`` keeps an approved report while its figures and
narrative are unchanged, and otherwise writes a new draft (``report.build``) beside it and says
why. ``run_reports`` does every report of a period; ``report_from_notebook`` is what the report
notebook calls (``runs.reports`` runs that notebook).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from .. import layout, messages
from ..config import load_units
from ..layout import Places
from ..periods import Period, parse_period
from ..report.build import (
    CHANGED,
    CURRENT,
    DRAFT,
    ReportResult,
    load_story,
    report_keys,
    snapshot,
    write_draft,
)
from ..report.data import collect
from ..report.document import placeholders_left
from ..safeio import atomic_write_json
from .record import Approval, command_hints, describe, state, state_messages

# Set by the notebook's runner for its kernel: the file where the run says what it did (kept
# out of the parameters: a clerk running the notebook in JupyterLab has no use for it).
RESULT_ENV = "HCPVND_REPORT_RESULT"


def run_report(
    period: Period | str,
    *,
    unit: str | None = None,
    inputs: Path | str | None = None,
    outputs: Path | str | None = None,
    ledger: Path | str | None = None,
    narrative: Path | str | dict | None = None,
    pdf: bool = True,
    pdf_extra: Sequence[Path] = (),
    today: date | None = None,
    annex_unit_reports: bool = False,
) -> ReportResult:
    """The report of the district (``unit`` None) or of one unit for one period. ``pdf_extra``:
    more documents (print files) to convert in the same soffice call. ``annex_unit_reports``:
    the units' approved reports as annexes of the district report."""
    period = period if isinstance(period, Period) else parse_period(period)
    where = Places.resolve(inputs, outputs, ledger)
    config = load_units(where.units_file)
    data = collect(config, period, unit, ledger=where.ledger, outputs=where.outputs)
    story, notes = load_story(narrative, where.inputs, period, unit)
    if annex_unit_reports:
        from ..report.annex import read_unit_reports

        read_unit_reports(where.outputs, data, story)
    folder = layout.report_folder(where.outputs, period.label, data.key)
    result = ReportResult(period, data.key, DRAFT, folder.path, data)
    result.messages += data.notes
    figures = snapshot(data, story, today)
    found = state(folder.path, figures["figures_sha256"], figures["narrative_sha256"])
    what = describe(unit, data.issuer.area)
    if found.status == CURRENT:
        _show_approved(result, found.approval)
        result.messages += state_messages(found, what, period, unit, None)
        return _convert(result, [], pdf_extra) if pdf and pdf_extra else result
    write_draft(result, story, figures, notes, config)
    if found.status == CHANGED:
        result.status = CHANGED
        result.messages += state_messages(found, what, period, unit, result.draft)
    else:
        hints = command_hints(what, period, unit)
        result.messages.append(messages.render("I-REPORT-03", **hints, file=result.draft))
        from docx import Document

        left = placeholders_left(Document(str(result.draft)))
        if left:  # said now, not first at approval (E-APPROVE-02)
            result.messages.append(messages.render("I-REPORT-05", count=f"{left:02d}"))
    return _convert(result, [result.draft], pdf_extra) if pdf else result


def _show_approved(result: ReportResult, approval: Approval) -> None:
    """An approved, unchanged report: point at its files, write nothing."""
    final_dir = approval.final_path.parent
    result.status, result.final = CURRENT, approval.final_path
    charts = layout.ReportFolder.charts_in(final_dir)
    result.charts = {key: path for key, path in charts.items() if path.is_file()}
    result.xlsx = layout.ReportFolder.tables_in(final_dir)
    pdf = approval.final_path.with_suffix(".pdf")
    result.pdfs = [pdf] if pdf.is_file() else []


def _convert(result: ReportResult, documents: list, extra, others=()) -> ReportResult:
    """PDFs of ``documents`` and ``extra`` in one soffice call; each report in ``others`` gets
    the PDF of its own draft."""
    from ..pdf import convert

    done = convert([*documents, *map(Path, extra)])
    for each in (result, *others):
        each.pdfs = [pdf for doc, pdf in done.pdfs.items() if doc == each.draft] or each.pdfs
    result.messages += done.messages
    return result


def run_reports(period: Period | str, *, inputs=None, outputs=None, ledger=None, pdf=True,
                pdf_extra=(), today: date | None = None) -> list[ReportResult]:  # fmt: skip
    """Every report of a period: the district report when the units file has a district (2024
    hierarchy), else one report per unit sending letters (post-2025: communes report to the
    province). PDFs of every report (and ``pdf_extra``) in one soffice call."""
    period = period if isinstance(period, Period) else parse_period(period)
    config = load_units(Places.resolve(inputs).units_file)
    keys = report_keys(config, period)
    common = {"inputs": inputs, "outputs": outputs, "ledger": ledger, "today": today}
    results = [run_report(period, unit=key, pdf=False, **common) for key in keys]
    if pdf:
        drafts = [r.draft for r in results if r.draft]
        if drafts or pdf_extra:
            _convert(results[0], drafts, pdf_extra, results[1:])
    return results


def report_from_notebook(period: str, unit: str = "", inputs: str = "", outputs: str = "",
                         ledger: str = "", narrative: str = "", pdf: bool = True,
                         annex_unit_reports: bool = False) -> ReportResult:  # fmt: skip
    """``run_report`` with the notebook's scalar parameters ('' means the default); the runner
    gets what the run did in the file $HCPVND_REPORT_RESULT."""
    result = run_report(
        period, unit=unit or None, inputs=inputs or None, outputs=outputs or None,
        ledger=ledger or None, narrative=narrative or None, pdf=pdf,
        annex_unit_reports=annex_unit_reports,
    )  # fmt: skip
    target = os.environ.get(RESULT_ENV)
    if target:
        atomic_write_json(Path(target), result.record(), sort_keys=True)
    return result


__all__ = ["RESULT_ENV", "report_from_notebook", "run_report", "run_reports"]
