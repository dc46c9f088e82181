"""The Word file the analyst writes her narrative in: ``hcpvnd narrative new``.

Written once, never over an existing file, at ``inputs/narratives/<period label>.docx`` (district)
or ``<period label>_<unit>.docx``, with the report's own page and fonts (Decree 30), a short
instruction (not composed), the table "Thông tin văn bản" and one "Heading 1" per section with the
placeholder the draft shows. When the report already has a YAML narrative, its content is copied
in (the analyst then removes the YAML file: two narratives for one report stop the run).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from docx.enum.text import WD_COLOR_INDEX
from docx.shared import Cm, Pt

from .. import layout, messages
from ..config import load_units
from ..periods import Period, parse_period, short_date
from .data import issuer_for
from .document import new_document, save
from .narrative import SETTING_KEYS, Narrative, load_narrative, placeholder
from .styles import heading_styles, instruction_style
from .wordnarrative import (
    GUIDE_HEAD,
    GUIDE_TITLE,
    INSTRUCTIONS,
    SECTION_TITLES,
    SETTING_ROWS,
    SETTINGS_NOTE,
    SETTINGS_TITLE,
)


@dataclass
class NarrativeFile:
    """What ``new_narrative`` did: the file, whether it wrote it, and what to tell the user."""

    path: Path
    created: bool
    messages: list[str] = field(default_factory=list)


def new_narrative(period: Period | str, unit: str | None = None, inputs=None) -> NarrativeFile:
    """Write the Word narrative of a report (``unit`` None: the district's), never over a file
    that exists; a YAML narrative of the same report is copied in."""
    period = period if isinstance(period, Period) else parse_period(period)
    inputs = layout.resolve(inputs, layout.inputs_dir())
    _, issuer, _ = issuer_for(load_units(layout.units_file(inputs)), unit)
    target = layout.narrative_file(inputs, period.label, unit, ".docx")
    hints = {"period_arg": period.argument, "unit_arg": f" --unit {unit}" if unit else "",
             "inputs_arg": inputs_option(inputs)}  # fmt: skip
    existing = [
        p for p in layout.narrative_files(inputs, period.label, unit) if p.suffix != ".yaml"
    ]
    if existing:
        return NarrativeFile(existing[0], False, [messages.render("I-NARR-02", path=existing[0])])
    yaml = layout.narrative_file(inputs, period.label, unit)
    told = load_narrative(yaml) if yaml.is_file() else None
    annexes = layout.annex_dir(inputs, period.label, unit).relative_to(inputs.parent)
    write_skeleton(target, f"{issuer.area}, kỳ {period.vietnamese()}", annexes, told)
    done = NarrativeFile(target, True, [messages.render("I-NARR-01", path=target, **hints)])
    if told is not None:
        done.messages.append(messages.render("I-NARR-03", yaml=yaml))
    return done


def inputs_option(inputs: Path) -> str:
    """' --inputs DIR' when the inputs are not the project's own: the report must read the
    narrative from where it was written (quoted when the path holds a space)."""
    inputs = Path(inputs).resolve()
    if inputs == layout.inputs_dir().resolve():
        return ""
    text = str(inputs)
    return f' --inputs "{text}"' if any(c.isspace() for c in text) else f" --inputs {text}"


def write_skeleton(target: Path, about: str, annexes: Path, told: Narrative | None = None) -> Path:
    """The skeleton at ``target``: ``about`` names the report ("huyện Tuy Phước, kỳ …"),
    ``annexes`` the folder of its annexes as shown (inputs/narratives/<period label>)."""
    doc = new_document()
    heading_styles(doc)
    guide = instruction_style(doc)
    first = doc.paragraphs[0] if doc.paragraphs else doc.add_paragraph()
    first.style = guide
    first.add_run(f"{GUIDE_TITLE} {about.upper()}").bold = True
    doc.add_paragraph(GUIDE_HEAD, style=guide).runs[0].bold = True
    for number, text in enumerate(INSTRUCTIONS, start=1):
        doc.add_paragraph(f"{number}. {text.format(annexes=annexes.as_posix() + '/')}", style=guide)
    _settings(doc, guide, told)
    for key, title in SECTION_TITLES.items():
        doc.add_heading(title, level=1)
        _section_body(doc, key, told)
    return save(doc, target)


def _settings(doc, guide, told: Narrative | None) -> None:
    doc.add_heading(SETTINGS_TITLE, level=1)
    doc.add_paragraph(SETTINGS_NOTE, style=guide)
    table = doc.add_table(rows=1 + len(SETTING_ROWS), cols=3)
    table.style = doc.styles["Table Grid"]
    for cell, text in zip(table.rows[0].cells, ("Mục", "Nội dung", "Ghi chú")):
        cell.paragraphs[0].add_run(text).bold = True
    values = _setting_values(told)
    for row, (key, title) in zip(table.rows[1:], SETTING_ROWS.items()):
        row.cells[0].text = title
        lines = values.get(key, [])
        row.cells[1].text = lines[0] if lines else ""
        for line in lines[1:]:
            row.cells[1].add_paragraph(line)
        note = row.cells[2].paragraphs[0]
        note.style = guide
        note.add_run(SETTING_KEYS[key][:1].upper() + SETTING_KEYS[key][1:])
    for row in table.rows:
        for cell, width in zip(row.cells, (4.0, 6.5, 6.0)):
            cell.width = Cm(width)


def _setting_values(told: Narrative | None) -> dict[str, list[str]]:
    if told is None:
        return {}
    return {
        "so_van_ban": [told.number] if told.number else [],
        "ngay_bao_cao": [short_date(told.day)] if told.day else [],
        "noi_nhan": list(told.recipients),
        "luu": [told.archive] if told.archive else [],
    }


def _section_body(doc, key: str, told: Narrative | None) -> None:
    written = told.paragraphs(key) if told is not None else None
    if written is not None:  # copied from the YAML narrative ([] = written empty)
        for text in written:
            doc.add_paragraph(text)
        return
    run = doc.add_paragraph().add_run(placeholder(key))
    run.italic, run.font.size = True, Pt(14)
    run.font.highlight_color = WD_COLOR_INDEX.YELLOW
