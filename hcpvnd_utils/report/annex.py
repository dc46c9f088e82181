"""The report's annexes (Phụ lục), each on a new page after the signature.

Phụ lục I is the report's own: per unit and kind of registration, the registrations, the cases
given a letter, the rows with a data error, those outside the scheme and the share; then, when
letters were made, their delivery per unit (section 5's table) — landscape when its columns
need the width. Then the analyst's annexes, ``inputs/narratives/<period label>/
phu_luc_*.docx`` in name order (.doc, .odt, .rtf converted), their first line in the Title or
Heading 1 style being their title, landscape when she made them so. The district report may end
with the communes' own approved reports (``--annex-unit-reports``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

from .. import layout, messages
from ..periods import Period, short_date
from ..records import EVENT_TITLES
from ..safeio import read_json
from ..wording import admin_decimal, admin_number
from .compose import insert_piece
from .data import DISTRICT, ReportData
from .document import TEXT_WIDTH_CM, _para, _run, _set_widths
from .tables import delivery_rows, registrations_rows
from .text import ROMAN, table_number
from .wordfile import open_word, refuse_review_marks
from .wordnarrative import Levels, Piece, text_of

LANDSCAPE_WIDTH_CM = 25.2  # 297 mm - 30 mm - 15 mm
WORD_SUFFIXES = (".docx", ".doc", ".odt", ".rtf")
# Phụ lục I: the columns and their widths (cm); wider than the portrait text: landscape
OWN_COLUMNS = (1.2, 4.6, 2.6, 3.0, 2.6, 2.6, 3.0, 2.8)
# and the letters' delivery per unit (as section 5's table, in the annex's width)
DELIVERY_COLUMNS = (1.2, 4.2, 2.0, 1.8, 2.2, 1.8, 2.0, 1.8, 2.0, 1.8, 1.8, 2.6)
NOT_KNOWN = "–"


@dataclass
class Annex:
    """An annex page: its title and the analyst's content (None: the report's own tables)."""

    title: str
    piece: Piece | None = None
    landscape: bool = False


def add_annexes(doc, data: ReportData, narrative, report_day: date) -> None:
    """Phụ lục I, then the analyst's annexes and the units' reports, each on a new page."""
    own = Annex(_own_title(data), None, sum(OWN_COLUMNS) > TEXT_WIDTH_CM)
    for number, annex in enumerate([own, *narrative.annexes]):
        width = _new_page(doc, annex.landscape)
        _title(doc, ROMAN[number] if number < len(ROMAN) else str(number + 1), annex.title)
        _attached_to(doc, data, narrative, report_day)
        if annex.piece is None:
            _own_table(doc, data)
            _delivery_table(doc, data)
            continue
        anchor = doc.add_paragraph()._p
        insert_piece(doc, annex.piece, anchor, width)
        anchor.getparent().remove(anchor)


def _own_title(data: ReportData) -> str:
    each = " của từng đơn vị" if data.scope == DISTRICT else ""
    return f"Số liệu đăng ký hộ tịch và gửi thư{each}, {data.period.vietnamese()}"


def _new_page(doc, landscape: bool) -> float:
    """A new section from a new page (the page numbers and the draft mark go on); returns the
    text width."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    ending = section._sectPr.getprevious()  # the paragraph that closes the previous section
    if ending is not None and ending.tag == qn("w:p"):
        ending.get_or_add_pPr()
        _tiny(ending)
    section.different_first_page_header_footer = False
    short, long = Mm(210), Mm(297)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    return LANDSCAPE_WIDTH_CM if landscape else TEXT_WIDTH_CM


def _tiny(p) -> None:
    """The empty paragraph that ends a section takes no room (it never pushes a page)."""
    rpr = p.pPr.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        p.pPr.insert_element_before(rpr, "w:sectPr", "w:pPrChange")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "2")
    rpr.append(size)


def _title(doc, number: str, title: str) -> None:
    _para(doc, f"Phụ lục {number}", bold=True).paragraph_format.keep_with_next = True
    if title:
        _para(doc, title.upper(), bold=True).paragraph_format.keep_with_next = True


def _attached_to(doc, data: ReportData, narrative, report_day: date) -> None:
    number = narrative.number or "     "
    text = (
        f"(Kèm theo Báo cáo số {number}/BC-UBND ngày {short_date(report_day)} "
        f"của {data.issuer.committee})"
    )
    _para(doc, text, italic=True, after=12).paragraph_format.keep_with_next = True


def _own_table(doc, data: ReportData) -> None:
    headers, rows = registrations_rows(data)
    units = len(rows) // 3
    totals = _totals(rows) if units > 1 else []  # one unit: its rows are the totals
    table = doc.add_table(rows=1 + len(rows) + len(totals), cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _set_widths(table, list(OWN_COLUMNS))
    _repeat_header(table.rows[0])
    for r, values in enumerate([headers, *rows, *totals]):
        bold = r == 0 or r > len(rows)
        for c, value in enumerate(values):
            paragraph = table.rows[r].cells[c].paragraphs[0]
            paragraph.alignment = (
                WD_ALIGN_PARAGRAPH.LEFT if c == 1 and r else WD_ALIGN_PARAGRAPH.CENTER
            )
            _run(paragraph, _cell(value, c == len(headers) - 1), size=12, bold=bold)
    for first in range(1, 1 + len(rows) + len(totals), 3):  # STT and unit over their three rows
        for c in (0, 1):
            merged = table.cell(first, c).merge(table.cell(first + 2, c))
            for extra in merged.paragraphs[1:]:  # the same value three times: keep one
                extra._p.getparent().remove(extra._p)
    if any(v is None for row in rows for v in row[3:]):
        note = (
            "Dấu “–”: chưa có kết quả làm thư của đơn vị trong kỳ (chưa có số trường hợp đăng ký)."
        )
        _para(doc, note, size=12, italic=True, align="left", before=6)


def _delivery_table(doc, data: ReportData) -> None:
    """The letters' delivery and the families' responses per unit (when letters were made):
    what section 5 says, unit by unit, for the communes to check."""
    headers, rows = delivery_rows(data)
    if not rows or not rows[-1][2]:  # the total of letters made
        return
    if len(rows) == 2:  # one unit: its row is the total
        rows = rows[:1]
    caption = "Tình hình trao thư và phản ánh của gia đình theo đơn vị"
    _para(doc, caption, bold=True, before=12, after=6).paragraph_format.keep_with_next = True
    table = doc.add_table(rows=1 + len(rows), cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _set_widths(table, list(DELIVERY_COLUMNS))
    _repeat_header(table.rows[0])
    for r, values in enumerate([headers, *rows]):
        for c, value in enumerate(values):
            paragraph = table.rows[r].cells[c].paragraphs[0]
            paragraph.alignment = (
                WD_ALIGN_PARAGRAPH.LEFT if c == 1 and r else WD_ALIGN_PARAGRAPH.CENTER
            )
            total = r == len(rows) and r > 1
            _run(paragraph, _cell(value, c == 4), size=12, bold=r == 0 or total)


def _totals(rows: list[list]) -> list[list]:
    """Tổng cộng, per kind of registration: the units whose figures are known."""
    out = []
    for event, title in enumerate(EVENT_TITLES.values()):
        mine = rows[event::3]
        known = [r for r in mine if r[3] is not None]
        cases, sent = sum(r[3] for r in known), sum(r[4] for r in known)
        rate = round(100.0 * sent / cases, 1) if cases else None
        out.append([
            "", "Tổng cộng", title, cases if known else None,
            sum(r[4] for r in mine), sum(r[5] or 0 for r in known) if known else None,
            sum(r[6] or 0 for r in known) if known else None, rate,
        ])  # fmt: skip
    return out


def _cell(value, rate: bool) -> str:
    if value is None:
        return NOT_KNOWN
    if rate and isinstance(value, float):
        return admin_decimal(value, 1)
    return table_number(value) if isinstance(value, int) else str(value)


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:tblHeader"))


# ---------------------------------------------------------------- the analyst's annexes


def read_annexes(inputs: Path, period: Period, unit: str | None, narrative) -> None:
    """The analyst's annex files of a report into ``narrative`` (annexes, documents, notes)."""
    for path in layout.annex_files(inputs, period.label, unit):
        if path.suffix.lower() not in WORD_SUFFIXES:
            narrative.notes.append(messages.render("W-NARR-05", file=path))
            continue
        word = open_word(path)
        refuse_review_marks(word, lambda e: "phụ lục")
        title, elements = _title_and_content(word)
        landscape = _is_landscape(word.document)
        narrative.annexes.append(Annex(title, Piece(title, elements, word), landscape))
        narrative.documents.append(
            {"file": f"{path.parent.name}/{path.name}", "sha256": word.sha256}
        )
        narrative.notes += word.notes


def _title_and_content(word) -> tuple[str, list]:
    elements = [e for e in word.document.element.body.iterchildren() if e.tag != qn("w:sectPr")]
    levels = Levels(word.document)
    for index, element in enumerate(elements):
        if element.tag != qn("w:p") or not text_of(element).strip():
            continue
        style = element.find(qn("w:pPr") + "/" + qn("w:pStyle"))
        titled = style is not None and style.get(qn("w:val")).lower() == "title"
        if titled or levels.level(element) == 1:
            return " ".join(text_of(element).split()), elements[index + 1 :]
        break
    return "", elements


def _is_landscape(document) -> bool:
    size = document.element.body.find(qn("w:sectPr") + "/" + qn("w:pgSz"))
    if size is None:
        return False
    width, height = int(size.get(qn("w:w"), "0")), int(size.get(qn("w:h"), "0"))
    return size.get(qn("w:orient")) == "landscape" or width > height


# ---------------------------------------------------------------- the units' own reports


def read_unit_reports(outputs: Path, data: ReportData, narrative) -> None:
    """The approved reports of the units the district report covers, as annexes (their own
    annexes left out: Phụ lục I has every unit); W-NARR-06 names the units without one."""
    if data.scope != DISTRICT:
        what = data.issuer.area
        narrative.notes.append(messages.render("I-NARR-04", what=what))
        return
    missing = []
    for unit in data.implementing():
        final = _approved_report(outputs, data.period, unit.key)
        if final is None:
            missing.append(unit)
            continue
        word = open_word(final)
        elements = _main_part(word.document)
        title = f"Báo cáo của {unit.full_name}"
        narrative.annexes.append(Annex(title, Piece(title, elements, word)))
        narrative.documents.append({"file": f"{unit.key}/{final.name}", "sha256": word.sha256})
    if missing:
        names = ", ".join(u.full_name for u in missing)
        narrative.notes.append(
            messages.render(
                "W-NARR-06",
                count=admin_number(len(missing)),
                names=names,
                period_arg=data.period.argument,
            )
        )


def _approved_report(outputs: Path, period: Period, key: str) -> Path | None:
    folder = layout.report_folder(outputs, period.label, key)
    current = (read_json(folder.approvals) or {}).get("current") or {}
    final = folder.path / current["document"] if current.get("document") else None
    return final if final is not None and final.is_file() else None


def _main_part(document) -> list:
    """The report up to the end of its first section (its own annexes follow)."""
    elements = []
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:sectPr"):
            break
        elements.append(element)
        if element.find(qn("w:pPr") + "/" + qn("w:sectPr")) is not None:
            break
    return elements
