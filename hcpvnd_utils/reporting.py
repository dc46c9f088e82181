"""The report's entry points: ``run_report`` (one report), ``run_reports`` (every report of a
period: the district's, or one per commune where there is no district), ``approve``, and
``report_from_notebook`` (what the report notebook calls; report_runs runs the notebook).

A run writes the draft under ``<outputs>/<period label>/report/<key>/du_thao/``: the .docx marked
DỰ THẢO, its PDF preview, the tables (.xlsx), the charts (.png) and ``so_lieu.json``, the
snapshot it was built from. It never writes ``da_duyet/`` (see ``approval``).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from . import approval as approvals
from . import messages, paths
from .approval import CHANGED, CURRENT, DRAFT_DIR, SNAPSHOT, Approval
from .config import UnitsConfig, load_units
from .periods import Period, parse_period
from .report_data import (
    DISTRICT,
    ReportData,
    canonical_sha256,
    collect,
)
from .report_text import Narrative, load_narrative, narrative_skeleton, results_rows, table_number
from .safeio import atomic_write_text, private_dir
from .tables import Table

messages.register(
    {
        "I-REPORT-02": "Chưa có tệp nhận định {path}: các phần đánh giá, nhiệm vụ, đề xuất để chỗ "
        "“[Phần này do chuyên viên viết: …]”. Tệp mẫu để điền: {skeleton}.",
        "W-REPORT-02": "Bản dự thảo {file} đã được sửa bằng tay sau khi lập; đã giữ lại bản đó ở "
        "{kept} trước khi lập bản dự thảo mới.",
        "I-REPORT-03": "Đã lập bản dự thảo báo cáo {what} kỳ {period}: {file}. Xem lại rồi duyệt: "
        'hcpvnd approve --period {period_arg}{unit_arg} --by "Họ và tên".',
    }
)

NOTEBOOK_NAME = "district_report.ipynb"
# Set by the notebook's runner for its kernel: the file where the run says what it did (kept
# out of the parameters: a clerk running the notebook in JupyterLab has no use for it).
RESULT_ENV = "HCPVND_REPORT_RESULT"


@dataclass
class ReportResult:
    period: Period
    key: str
    status: str  # "du_thao" (draft written), "da_duyet" (approved, unchanged), CHANGED
    folder: Path
    data: ReportData
    draft: Path | None = None
    final: Path | None = None
    pdfs: list[Path] = field(default_factory=list)
    xlsx: Path | None = None
    charts: dict[str, Path] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)

    @property
    def table(self) -> Table:
        headers, rows = results_rows(self.data)
        shown = [[table_number(v) if isinstance(v, int) else v for v in row] for row in rows]
        return Table(headers, shown, f"Số thư đã gửi, {self.data.period.vietnamese()}")

    def notice(self) -> str:
        return "\n".join(self.messages)

    def record(self) -> dict:
        """What a run did, for the command that ran the notebook (JSON-ready)."""
        return {
            "key": self.key,
            "status": self.status,
            "title": self.data.issuer.area,
            "draft": str(self.draft) if self.draft else None,
            "final": str(self.final) if self.final else None,
            "pdfs": [str(p) for p in self.pdfs],
            "messages": list(self.messages),
        }

    def chart_images(self) -> list:
        from IPython.display import Image

        return [Image(filename=str(path), width=720) for path in self.charts.values()]


def report_folder(outputs: Path, period: Period, key: str) -> Path:
    return Path(outputs) / period.label / "report" / key


def default_narrative(inputs: Path, period: Period, unit: str | None) -> Path:
    """inputs/narratives/<period label>.yaml (district) or <period label>_<unit>.yaml."""
    name = f"{period.label}.yaml" if unit is None else f"{period.label}_{unit}.yaml"
    return Path(inputs) / "narratives" / name


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
) -> ReportResult:
    """The report of the district (``unit`` None) or of one unit for one period. ``pdf_extra``:
    more documents (print files) to convert in the same soffice call."""
    period = period if isinstance(period, Period) else parse_period(period)
    inputs = paths.resolve(inputs, paths.inputs_dir())
    outputs = paths.resolve(outputs, paths.outputs_dir())
    ledger = paths.resolve(ledger, paths.default_ledger(outputs))
    config = load_units(paths.units_file(inputs))
    data = collect(config, period, unit, ledger=ledger, outputs=outputs)
    story, notes = _narrative(narrative, inputs, period, unit)
    result = ReportResult(
        period, data.key, "du_thao", report_folder(outputs, period, data.key), data
    )
    result.messages += data.notes
    snapshot = _snapshot(data, story, today)
    found = approvals.state(result.folder, snapshot["figures_sha256"], snapshot["narrative_sha256"])
    what = approvals.describe(unit, data.issuer.area)
    if found.status == CURRENT:
        _show_approved(result, found.approval)
        result.messages += approvals.state_messages(found, what, period, unit, None)
        return _convert(result, [], pdf_extra) if pdf and pdf_extra else result
    _write_draft(result, story, snapshot, notes, config)
    if found.status == CHANGED:
        result.status = CHANGED
        result.messages += approvals.state_messages(found, what, period, unit, result.draft)
    else:
        where = approvals.command_hints(what, period, unit)
        result.messages.append(messages.render("I-REPORT-03", **where, file=result.draft))
    return _convert(result, [result.draft], pdf_extra) if pdf else result


def _show_approved(result: ReportResult, approval: Approval) -> None:
    """An approved, unchanged report: point at its files, write nothing."""
    from .charts import FILE_NAMES

    final_dir = approval.final_path.parent
    result.status, result.final = CURRENT, approval.final_path
    result.charts = {k: final_dir / n for k, n in FILE_NAMES.items() if (final_dir / n).is_file()}
    result.xlsx = next(iter(sorted(final_dir.glob("bang_so_lieu_*.xlsx"))), None)
    pdf = approval.final_path.with_suffix(".pdf")
    result.pdfs = [pdf] if pdf.is_file() else []


def _narrative(source, inputs: Path, period: Period, unit: str | None) -> tuple[Narrative, list]:
    """The narrative and, when there is none, the note saying where to write it."""
    if source is None:
        default = default_narrative(inputs, period, unit)
        if default.is_file():
            return load_narrative(default), []
        return Narrative(), [default]
    if isinstance(source, dict):
        return load_narrative(source), []
    return load_narrative(Path(source).expanduser().resolve()), []


def _snapshot(data: ReportData, story: Narrative, today: date | None) -> dict:
    figures = data.as_dict()
    told = story.as_dict()
    return {
        "figures": figures,
        "figures_sha256": canonical_sha256(figures),
        "narrative": told,
        "narrative_sha256": canonical_sha256(told),
        "report_day": (story.day or today or date.today()).isoformat(),
    }


def _write_draft(
    result: ReportResult, story: Narrative, snapshot: dict, notes: list, config
) -> None:
    from .charts import report_charts, save_charts
    from .report_docx import build_report, save
    from .report_xlsx import write_tables

    data, folder = result.data, private_dir(result.folder / DRAFT_DIR)
    stem = f"bao_cao_{data.key}_{data.period.label}"
    result.charts = save_charts(report_charts(data), folder)
    result.xlsx = write_tables(data, folder / f"bang_so_lieu_{data.key}_{data.period.label}.xlsx")
    draft = folder / f"{stem}_du_thao.docx"
    result.messages += _keep_hand_edits(draft, folder)
    draft.with_suffix(".pdf").unlink(missing_ok=True)  # an old preview must not pass for this draft
    report_day = date.fromisoformat(snapshot["report_day"])
    document = build_report(data, story, result.charts, report_day=report_day, draft=True)
    result.draft = save(document, draft)
    (folder / "nhan_dinh_mau.yaml").unlink(missing_ok=True)
    if notes:
        text = narrative_skeleton(data.period, data.issuer.area, notes[0])
        skeleton = atomic_write_text(folder / "nhan_dinh_mau.yaml", text)
        result.messages.append(messages.render("I-REPORT-02", path=notes[0], skeleton=skeleton))
    snapshot.update(
        warnings=list(data.notes),  # approval asks the leader to accept these knowingly
        draft=draft.name,
        draft_sha256=approvals.sha256_file(draft),
        final=f"{stem}.docx",
        copies=[result.xlsx.name, *(p.name for p in result.charts.values())],
        built_at=datetime.now().astimezone().isoformat(timespec="seconds"),
        units_file=str(config.path),
    )
    approvals.write_json(folder / SNAPSHOT, snapshot)


def _keep_hand_edits(draft: Path, folder: Path) -> list[str]:
    """A draft edited in Word since we wrote it is kept aside, never overwritten."""
    before = approvals.read_json(folder / SNAPSHOT) or {}
    if not draft.is_file() or approvals.sha256_file(draft) == before.get("draft_sha256"):
        return []
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    kept = draft.with_name(f"{draft.stem}_sua_tay_{stamp}.docx")
    draft.replace(kept)
    return [messages.render("W-REPORT-02", file=draft.name, kept=kept)]


def _convert(result: ReportResult, documents: list, extra, others=()) -> ReportResult:
    """PDFs of ``documents`` and ``extra`` in one soffice call; each report in ``others`` gets
    the PDF of its own draft."""
    from .pdf import convert

    done = convert([*documents, *map(Path, extra)])
    for each in (result, *others):
        each.pdfs = [pdf for doc, pdf in done.pdfs.items() if doc == each.draft] or each.pdfs
    result.messages += done.messages
    return result


def report_keys(config: UnitsConfig, period: Period) -> list[str | None]:
    """The reports a period needs: [None] (the district's) when the units file has a district,
    else the key of every unit sending letters in the period (each commune reports itself)."""
    if config.aggregator:
        return [None]
    return [u.key for u in config.sending_units(period.start, period.end)]


def run_reports(period: Period | str, *, inputs=None, outputs=None, ledger=None, pdf=True,
                pdf_extra=(), today: date | None = None) -> list[ReportResult]:  # fmt: skip
    """What a batch runs at the end: the district report when the units file has a district
    (2024 hierarchy), else one report per unit sending letters (post-2025: communes report to
    the province). PDFs of every report (and ``pdf_extra``) in one soffice call."""
    period = period if isinstance(period, Period) else parse_period(period)
    config = load_units(paths.units_file(paths.resolve(inputs, paths.inputs_dir())))
    keys = report_keys(config, period)
    common = {"inputs": inputs, "outputs": outputs, "ledger": ledger, "today": today}
    results = [run_report(period, unit=key, pdf=False, **common) for key in keys]
    if pdf:
        drafts = [r.draft for r in results if r.draft]
        if drafts or pdf_extra:
            _convert(results[0], drafts, pdf_extra, results[1:])
    return results


def approve(period: Period | str, unit: str | None, by: str, outputs: Path | str | None = None,
            *, pdf: bool = True, accept_warnings: bool = False) -> Approval:  # fmt: skip
    """Approve the current draft of a report (see ``approval.approve``)."""
    outputs = paths.resolve(outputs, paths.outputs_dir())
    return approvals.approve(period, unit, by, outputs, pdf=pdf, accept_warnings=accept_warnings)


def report_from_notebook(period: str, unit: str = "", inputs: str = "", outputs: str = "",
                         ledger: str = "", narrative: str = "", pdf: bool = True) -> ReportResult:  # fmt: skip
    """``run_report`` with the notebook's scalar parameters ('' means the default); the runner
    gets what the run did in the file $HCPVND_REPORT_RESULT."""
    result = run_report(
        period, unit=unit or None, inputs=inputs or None, outputs=outputs or None,
        ledger=ledger or None, narrative=narrative or None, pdf=pdf,
    )  # fmt: skip
    target = os.environ.get(RESULT_ENV)
    if target:
        approvals.write_json(Path(target), result.record())
    return result


def approve_cli(args) -> int:
    """``hcpvnd approve --period P [--unit KEY] --by "Họ và tên" [--accept-warnings]``."""
    approval = approve(
        args.period, args.unit, args.by, args.outputs, accept_warnings=args.accept_warnings
    )
    print("\n".join(approval.messages))
    return 1 if any(m.startswith("[W-") for m in approval.messages) else 0


def print_result(result: ReportResult) -> None:
    """For the command line: the table and every message."""
    print(result.table.to_text())
    print()
    for line in result.messages:
        print(line)
    for path in result.pdfs:
        print(f"Bản xem trước PDF: {path}")


__all__ = [
    "DISTRICT",
    "ReportResult",
    "approve",
    "approve_cli",
    "print_result",
    "report_from_notebook",
    "run_report",
    "run_reports",
]
