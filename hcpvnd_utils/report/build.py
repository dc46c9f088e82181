"""Building a report's draft: the figures, the analyst's narrative, and the files a reviewer reads.

``load_story`` reads the analyst's narrative (Word, or the older YAML) and her annexes;
``report_document`` is the whole .docx: ours (``document``), her Word sections composed in
(``compose``), the annexes (``annex``). ``write_draft`` writes ``<outputs>/<period label>/report/
<key>/du_thao/``: the .docx marked DỰ THẢO, the tables (.xlsx), the charts (.png) and
``so_lieu.json``, the snapshot it was built from (figures, narrative with the sha256 of every
Word file, date, and their sha256, which an approval records). It never writes ``da_duyet/``:
whether a draft is needed at all, and approving it, are the review's (``review``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from .. import layout, messages
from ..config import UnitsConfig
from ..layout import ReportFolder
from ..periods import Period, now_iso
from ..safeio import atomic_write_json, private_dir, read_json, sha256_file
from ..tables import Table
from ..wording import admin_number
from .data import DISTRICT, ReportData, ReportError, canonical_sha256
from .skeleton import inputs_option
from .tables import results_rows
from .text import Narrative, load_narrative, table_number

# A run's status names where its report is to be read: the draft folder, the approved one, or a
# new draft because the approved figures changed.
DRAFT, CURRENT, CHANGED = layout.DRAFT_DIR, layout.FINAL_DIR, "thay_doi_sau_duyet"


@dataclass
class ReportResult:
    period: Period
    key: str
    status: str  # DRAFT (draft written), CURRENT (approved, unchanged), CHANGED after approval
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
        title = f"Số thư đã {self.data.verb()}, {self.data.period.vietnamese()}"
        return Table(headers, shown, title)

    def notice(self) -> str:
        return "\n".join(self.messages)

    def record(self) -> dict:
        """What a run did, for the command that ran the notebook (JSON-ready): it prints this,
        never what the notebook's cells showed."""
        table = self.table
        return {
            "key": self.key,
            "status": self.status,
            "title": self.data.issuer.area,
            "draft": str(self.draft) if self.draft else None,
            "final": str(self.final) if self.final else None,
            "pdfs": [str(p) for p in self.pdfs],
            "messages": list(self.messages),
            "table": {"title": table.title, "headers": table.headers, "rows": table.rows},
        }

    def chart_images(self) -> list:
        from IPython.display import Image

        return [Image(filename=str(path), width=720) for path in self.charts.values()]


def report_keys(config: UnitsConfig, period: Period) -> list[str | None]:
    """The reports a period needs: [None] (the district's) when the units file has a district,
    else the key of every unit sending letters in the period (each commune reports itself)."""
    if config.aggregator:
        return [None]
    return [u.key for u in config.sending_units(period.start, period.end)]


def load_story(source, inputs: Path, period: Period, unit: str | None) -> tuple[Narrative, list]:
    """The narrative (Word or YAML, with the analyst's annexes) and, when there is none, the
    file it should be written in (a note). Two narrative files for one report stop the run."""
    if source is None:
        found = layout.narrative_files(inputs, period.label, unit)
        if len(found) > 1:
            files = ", ".join(str(path) for path in found)
            raise ReportError("E-NARR-01", count=admin_number(len(found)), files=files)
        story = _read_narrative(found[0]) if found else Narrative()
        notes = [] if found else [layout.narrative_file(inputs, period.label, unit, ".docx")]
    elif isinstance(source, dict):
        story, notes = load_narrative(source), []
    else:
        story, notes = _read_narrative(Path(source).expanduser().resolve()), []
    from .annex import read_annexes

    read_annexes(inputs, period, unit, story)
    return story, notes


def _read_narrative(path: Path) -> Narrative:
    if not path.is_file():
        near = sorted(p.name for p in path.parent.glob(f"{path.stem}.*") if p.is_file())
        hint = f" Trong thư mục đó có: {', '.join(near[:5])}." if near else ""
        raise ReportError("E-REPORT-05", path=path, hint=hint)
    if path.suffix.lower() in (".yaml", ".yml"):
        return load_narrative(path)
    from .wordnarrative import read_word_narrative

    return read_word_narrative(path)


def report_document(data: ReportData, story: Narrative, charts: dict, *, report_day: date,
                    draft: bool = True):  # fmt: skip
    """The whole report: ours (``document``), the analyst's Word sections composed in
    (``compose``), the annexes (``annex``)."""
    from .annex import add_annexes
    from .compose import compose_sections, finish
    from .document import build_report

    document = build_report(data, story, charts, report_day=report_day, draft=draft)
    compose_sections(document, story)
    add_annexes(document, data, story, report_day)
    finish(document)
    return document


def snapshot(data: ReportData, story: Narrative, today: date | None) -> dict:
    """What a draft is built from, with the sha256 an approval compares."""
    figures = data.as_dict()
    told = story.as_dict()
    return {
        "figures": figures,
        "figures_sha256": canonical_sha256(figures),
        "narrative": told,
        "narrative_sha256": canonical_sha256(told),
        "report_day": (story.day or today or date.today()).isoformat(),
    }


def write_draft(
    result: ReportResult, story: Narrative, snapshot: dict, notes: list, config: UnitsConfig
) -> None:
    """The draft's files under ``du_thao/`` and the snapshot they were built from."""
    from .charts import report_charts, save_charts
    from .document import save
    from .workbook import write_tables

    data, where = result.data, ReportFolder(result.folder)
    folder = private_dir(where.draft_dir, root=where.outputs)
    result.charts = save_charts(report_charts(data), folder)
    result.xlsx = write_tables(data, where.tables)
    draft = where.draft
    result.messages += _keep_hand_edits(draft, where)
    draft.with_suffix(".pdf").unlink(missing_ok=True)  # an old preview must not pass for this draft
    report_day = date.fromisoformat(snapshot["report_day"])
    document = report_document(data, story, result.charts, report_day=report_day)
    result.draft = save(document, draft)
    where.old_skeleton.unlink(missing_ok=True)
    result.messages += story.notes
    if notes:
        command = _new_narrative_command(data, notes[0])
        result.messages.append(messages.render("I-REPORT-02", path=notes[0], command=command))
    snapshot.update(
        warnings=list(data.notes),  # approval asks the leader to accept these knowingly
        draft=draft.name,
        draft_sha256=sha256_file(draft),
        final=where.final_name,
        copies=[result.xlsx.name, *(p.name for p in result.charts.values())],
        built_at=now_iso(),
        units_file=str(config.path),
    )
    atomic_write_json(where.snapshot, snapshot, sort_keys=True)


def _new_narrative_command(data: ReportData, target: Path) -> str:
    """'hcpvnd narrative new --period … [--unit …] [--inputs …]' for the file ``target``."""
    command = f"hcpvnd narrative new --period {data.period.argument}"
    if data.scope != DISTRICT:
        command += f" --unit {data.key}"
    return command + inputs_option(target.parent.parent)


def _keep_hand_edits(draft: Path, where: ReportFolder) -> list[str]:
    """A draft edited in Word since we wrote it is kept aside, never overwritten."""
    before = read_json(where.snapshot) or {}
    if not draft.is_file() or sha256_file(draft) == before.get("draft_sha256"):
        return []
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    kept = where.hand_edited(stamp)
    draft.replace(kept)
    return [messages.render("W-REPORT-02", file=draft.name, kept=kept)]


__all__ = [
    "ReportResult",
    "load_story",
    "report_document",
    "report_keys",
    "snapshot",
    "write_draft",
]
