"""The report as a Word document laid out per Decree 30/2020 (Nghị định 30/2020/NĐ-CP).

A4 portrait; margins top/bottom 20 mm, left 30 mm, right 15 mm; Times New Roman (ascii, hAnsi,
eastAsia and cs) 14 pt; the header block as a borderless two-column table with its two rules;
"Số:     /BC-UBND" and the italic place-and-date line; "BÁO CÁO" and its subject line; "Kính gửi";
the body; "Nơi nhận:" (bold italic 12, list 11) beside the signature block; page numbers centred in
the top margin from page 2. A draft carries "DỰ THẢO" in the header of every page, in a paragraph
of its own style, which approval removes.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from ..safeio import atomic_write_bytes
from ..wording import admin_decimal, date_line
from .data import ReportData
from .narrative import PLACEHOLDER_START
from .tables import delivery_rows, results_rows
from .text import (
    Block,
    Narrative,
    body_blocks,
    closing,
    intro,
    recipients,
    subject_line,
    table_number,
)

FONT = "Times New Roman"
BODY_PT = 14
TEXT_WIDTH_CM = 16.5  # 210 mm - 30 mm - 15 mm
MARK_STYLE = "HcpvndDuThao"  # ASCII: the style id Word and LibreOffice see
MARK_TEXT = "DỰ THẢO"
ANCHOR = "hcpvnd_"  # bookmark of the empty paragraph where the analyst's Word content goes
LEFT_COL_CM, RIGHT_COL_CM = 6.5, 10.0
CELL_PADDING_CM = 0.38
# schema order (ECMA-376): what may follow w:pBdr in w:pPr and w:tblBorders in w:tblPr
_AFTER_PBDR = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
_AFTER_TBLBORDERS = (
    "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription",
    "w:tblPrChange",
)  # fmt: skip


# ---------------------------------------------------------------- page, fonts, small helpers


def new_document() -> Document:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)
    section.different_first_page_header_footer = True
    _default_font(doc)
    return doc


def _default_font(doc: Document) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    _all_fonts(normal.element.get_or_add_rPr())
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if rpr is not None:
            _all_fonts(rpr)


def _all_fonts(rpr) -> None:
    """Times New Roman for Latin, East Asian and complex scripts, so Word never substitutes."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)


def _run(paragraph, text: str, size=BODY_PT, bold=False, italic=False):
    run = paragraph.add_run(text)
    run.font.name = FONT
    run.font.size = Pt(size)
    run.bold, run.italic = bold or None, italic or None
    _all_fonts(run._element.get_or_add_rPr())
    return run


def _para(container, text="", *, size=BODY_PT, bold=False, italic=False, align="center",
          before=0, after=0, indent_cm=None):  # fmt: skip
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.alignment = {
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }[align]
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    fmt.line_spacing = 1.0
    if indent_cm is not None:
        fmt.first_line_indent = Cm(indent_cm)
    if text:
        _run(paragraph, text, size, bold, italic)
    return paragraph


def _rule(container, length_cm: float, width_cm: float) -> None:
    """A solid line of ``length_cm``, centred in ``width_cm``: an empty paragraph with a bottom
    border between equal indents."""
    paragraph = _para(container)
    side = max((width_cm - length_cm) / 2, 0)
    fmt = paragraph.paragraph_format
    fmt.left_indent = fmt.right_indent = Cm(side)
    fmt.line_spacing = Pt(3)  # exact: the line sits just under the text above
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    border.append(bottom)
    paragraph._p.get_or_add_pPr().insert_element_before(border, *_AFTER_PBDR)


def _borderless(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.insert_element_before(borders, *_AFTER_TBLBORDERS)


def _set_widths(table, widths_cm: list[float]) -> None:
    """Column widths for Word (cell widths) and LibreOffice (the table grid)."""
    table.autofit = False
    for column, width in zip(table.columns, widths_cm):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm):
            cell.width = Cm(width)


def _two_columns(doc, left_cm: float, right_cm: float, rows: int = 1):
    table = doc.add_table(rows=rows, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _borderless(table)
    _set_widths(table, [left_cm, right_cm])
    for cell in table._cells:
        cell._tc.remove(cell.paragraphs[0]._p)  # cells start with an empty paragraph
    return table


# ---------------------------------------------------------------- the parts of the page


def header_block(doc, data: ReportData, narrative: Narrative, report_day: date) -> None:
    table = _two_columns(doc, LEFT_COL_CM, RIGHT_COL_CM, rows=2)
    left, right = table.rows[0].cells
    _para(left, "ỦY BAN NHÂN DÂN", size=13, bold=True)
    _para(left, data.issuer.body, size=13, bold=True)
    _rule(left, 2.2, LEFT_COL_CM - CELL_PADDING_CM)
    _para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12, bold=True)
    _para(right, "Độc lập - Tự do - Hạnh phúc", size=13, bold=True)
    _rule(right, 5.6, RIGHT_COL_CM - CELL_PADDING_CM)
    number_cell, date_cell = table.rows[1].cells
    number = narrative.number or "     "
    _para(number_cell, f"Số: {number}/BC-UBND", size=13, before=6)
    _para(date_cell, date_line(data.issuer.place, report_day), size=14, italic=True, before=6)


def title_block(doc, data: ReportData) -> None:
    _para(doc, "BÁO CÁO", size=BODY_PT, bold=True, before=18)
    _para(doc, subject_line(data), size=BODY_PT, bold=True)
    _rule(doc, 5.0, TEXT_WIDTH_CM)
    _para(doc, f"Kính gửi: {data.issuer.recipient}.", size=BODY_PT, before=12, after=12)


def body_paragraph(doc, text: str, *, bold=False, italic=False):
    paragraph = _para(doc, text, bold=bold, italic=italic, align="justify", after=6, indent_cm=1.0)
    paragraph.paragraph_format.line_spacing = 1.15
    return paragraph


def placeholder_paragraph(doc, text: str):
    paragraph = body_paragraph(doc, "")
    run = _run(paragraph, text, italic=True)
    run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    return paragraph


# the body's tables: their rows (``tables``), column widths (cm) and font size
TABLES = {
    "results": (results_rows, [1.5, 5.0, 2.3, 2.3, 2.3, 2.6], 13),
    "delivery": (delivery_rows, [0.9, 2.6, 1.3, 1.2, 1.4, 1.2, 1.4, 1.2, 1.3, 1.2, 1.2, 1.6], 10),
}


def results_table(doc, data: ReportData, caption: str, key: str = "results") -> None:
    _para(
        doc, caption, size=13, bold=True, before=6, after=6
    ).paragraph_format.keep_with_next = True
    make_rows, widths, size = TABLES[key]
    headers, rows = make_rows(data)
    table = doc.add_table(rows=1 + len(rows), cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _set_widths(table, widths)
    for r, values in enumerate([headers, *rows]):
        total_row = r == len(rows)
        for c, value in enumerate(values):
            cell = table.rows[r].cells[c]
            align = "left" if c == 1 and r > 0 else "center"
            paragraph = cell.paragraphs[0]
            paragraph.alignment = (
                WD_ALIGN_PARAGRAPH.LEFT if align == "left" else WD_ALIGN_PARAGRAPH.CENTER
            )
            _run(paragraph, _cell_text(value), size=size, bold=(r == 0 or total_row))
    _para(doc, "", size=6)


def _cell_text(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return admin_decimal(value, 1)
    return table_number(value) if isinstance(value, int) else str(value)


def chart(doc, path: Path, caption: str) -> None:
    paragraph = _para(doc, before=6)
    paragraph.paragraph_format.keep_with_next = True  # with its caption
    paragraph.add_run().add_picture(str(path), width=Cm(15.5))
    _para(doc, caption, size=13, italic=True, after=6)


def signature_block(doc, data: ReportData, narrative: Narrative) -> None:
    table = _two_columns(doc, 8.0, 8.5)
    left, right = table.rows[0].cells
    _para(left, "Nơi nhận:", size=12, bold=True, italic=True, align="left", before=12)
    for line in recipients(data, narrative):
        _para(left, line, size=11, align="left")
    signer = data.issuer.signer
    _para(right, signer.authority, size=14, bold=True, before=12)
    for line in signer.title_lines:
        _para(right, line, size=14, bold=True)
    for _ in range(4):  # room for the signature and the seal
        _para(right, "")
    _para(right, signer.name, size=14, bold=True)


def page_headers(doc, draft: bool) -> None:
    """First page: only the draft mark; later pages: the mark and the page number."""
    section = doc.sections[0]
    first, other = section.first_page_header, section.header
    first.is_linked_to_previous = other.is_linked_to_previous = False
    for header in (first, other):
        paragraph = header.paragraphs[0]
        if draft:
            _draft_mark(doc, paragraph)
    number = other.add_paragraph() if draft else other.paragraphs[0]
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_field(number)


def _mark_style(doc):
    styles = doc.styles
    if MARK_STYLE not in [s.name for s in styles]:
        from docx.enum.style import WD_STYLE_TYPE

        style = styles.add_style(MARK_STYLE, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
    return styles[MARK_STYLE]


def _draft_mark(doc, paragraph) -> None:
    paragraph.style = _mark_style(doc)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = _run(paragraph, MARK_TEXT, size=14, bold=True)
    run.font.color.rgb = RGBColor(0xC5, 0x30, 0x30)
    _run(
        paragraph, " – chưa duyệt, không ban hành", size=11, italic=True
    ).font.color.rgb = RGBColor(0xC5, 0x30, 0x30)


def _page_field(paragraph) -> None:
    run = _run(paragraph, "", size=BODY_PT)
    for kind in ("begin", "instr", "separate", "end"):  # no cached result: the viewer counts
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = " PAGE "
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)


# ---------------------------------------------------------------- the whole document


def build_report(
    data: ReportData,
    narrative: Narrative,
    charts: dict[str, Path],
    *,
    report_day: date,
    draft: bool = True,
) -> Document:
    doc = new_document()
    page_headers(doc, draft)
    header_block(doc, data, narrative, report_day)
    title_block(doc, data)
    if narrative.composed("can_cu"):
        anchor_paragraph(doc, "can_cu")
    for text in intro(data, narrative):
        body_paragraph(doc, text)
    for block in body_blocks(data, narrative, list(charts)):
        _render(doc, data, block, charts)
    body_paragraph(doc, closing(data)).paragraph_format.keep_with_next = True
    signature_block(doc, data, narrative)
    doc.core_properties.title = subject_line(data)
    doc.core_properties.author = data.issuer.committee
    return doc


def _render(doc, data: ReportData, block: Block, charts: dict[str, Path]) -> None:
    if block.kind in ("h1", "h2"):  # a heading never ends a page
        heading = body_paragraph(doc, block.text, bold=True, italic=block.kind == "h2")
        heading.paragraph_format.keep_with_next = True
    elif block.kind == "placeholder":
        placeholder_paragraph(doc, block.text)
    elif block.kind == "table":
        results_table(doc, data, block.text, block.key or "results")
    elif block.kind == "chart":
        chart(doc, charts[block.key], block.text)
    elif block.kind == "composed":
        anchor_paragraph(doc, block.key)
    else:
        body_paragraph(doc, block.text)


def anchor_paragraph(doc, key: str):
    """An empty paragraph bookmarked ``hcpvnd_<key>``: ``compose`` puts the analyst's content
    for ``key`` there, then removes it."""
    paragraph = doc.add_paragraph()
    for tag in ("w:bookmarkStart", "w:bookmarkEnd"):
        mark = OxmlElement(tag)
        mark.set(qn("w:id"), str(len(doc.element.body)))
        if tag == "w:bookmarkStart":
            mark.set(qn("w:name"), ANCHOR + key)
        paragraph._p.append(mark)
    return paragraph


def save(doc: Document, path: Path) -> Path:
    buffer = io.BytesIO()
    doc.save(buffer)
    return atomic_write_bytes(Path(path), buffer.getvalue())


# ---------------------------------------------------------------- reading back


def remove_draft_mark(doc: Document) -> int:
    """Empty every paragraph in the draft-mark style (headers and body); returns how many."""
    removed = 0
    for paragraph in _all_paragraphs(doc):
        if paragraph.style is not None and paragraph.style.name == MARK_STYLE:
            for run in list(paragraph.runs):
                run._r.getparent().remove(run._r)
            paragraph.style = doc.styles["Normal"]
            removed += 1
    return removed


def _all_paragraphs(doc: Document):
    """The paragraphs of every page header defined (annex sections inherit the first's), then
    those of the body."""
    for section in doc.sections:
        for part in (section.first_page_header, section.header):
            if not part.is_linked_to_previous:
                yield from part.paragraphs
    yield from doc.paragraphs


def placeholders_left(doc: Document) -> int:
    """How many paragraphs still say "[Phần này do chuyên viên viết: …]", those in tables and
    composed from the analyst's Word included."""
    texts = ("".join(p.itertext()) for p in doc.element.body.iter(qn("w:p")))
    return sum(PLACEHOLDER_START in text for text in texts)


def has_draft_mark(doc: Document) -> bool:
    return any(MARK_TEXT in p.text for p in _all_paragraphs(doc))


def extract_text(doc: Document) -> str:
    """The document as lines of text, in reading order: headers, then paragraphs and tables
    (a row as 'cell | cell', a cell's paragraphs joined with ' / '); a picture is '[hình]'."""
    section = doc.sections[0]
    lines = [f"[đầu trang 1] {_header_text(section.first_page_header)}".rstrip()]
    lines.append(f"[đầu trang] {_header_text(section.header)}".rstrip())
    for element in doc.element.body.iterchildren():
        if element.tag == qn("w:p"):
            lines.append(_paragraph_text(element))
        elif element.tag == qn("w:tbl"):
            lines += _table_lines(element)
    return "\n".join(line for line in lines if line.strip()) + "\n"


def _header_text(header) -> str:
    return " ".join(p.text.strip() for p in header.paragraphs if p.text.strip())


def _paragraph_text(p) -> str:
    text = "".join(t.text or "" for t in p.iter(qn("w:t")))
    if next(p.iter(qn("w:drawing")), None) is not None:
        text = (text + " [hình]").strip()
    return text


def _table_lines(tbl) -> list[str]:
    lines = []
    for tr in tbl.iter(qn("w:tr")):
        cells = []
        for tc in tr.iter(qn("w:tc")):
            parts = [_paragraph_text(p) for p in tc.iter(qn("w:p"))]
            cells.append(" / ".join(part for part in parts if part.strip()))
        lines.append(" | ".join(cells))
    return lines
