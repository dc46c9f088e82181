"""Build the default letter templates in templates/ (reproducible; the .docx are committed).

    .venv/bin/python scripts/build_templates.py [--out templates]

The three letters (khai_sinh, ket_hon, khai_tu), their variants (khai_sinh_sinh_doi: twins and
triplets; ket_hon_nuoc_ngoai: a foreign spouse; khai_tu_tre_em: a child's death;
khai_tu_cao_tuoi: an elder's) and the A5 cards (<event>_thiep).

Letters: layout per Nghị định 30/2020/NĐ-CP: A4, margins top/bottom 20 mm, left 30 mm, right
15 mm, Times New Roman 14 (ascii, hAnsi, eastAsia and cs fonts), the header block as a
borderless two-column table (issuing body left, national motto right, each with its rule), the
place-and-date line in italics, title, "Kính gửi: …", body, signature block from the units file.
Cards: A5 portrait card stock with its own printed design: no header block, the text in a
borderless table of exact sizes at a fixed place (CARD: margins, row heights, column widths;
templates/README.md says how to measure a card and change them). Fields are docxtpl tags named
in templates/README.md.
"""

from __future__ import annotations

import argparse
import io
import zipfile
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

FONT = "Times New Roman"
CENTER, JUSTIFY = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY
LEFT_CELL, RIGHT_CELL = Mm(62), Mm(103)  # 165 mm of text width: 210 - 30 - 15
SIGNATURE_INDENT = Mm(75)
FIXED_TIME = datetime(2025, 1, 1)
KEPT_STYLES = (
    "Normal",
    "TableGrid",
    "Header",
    "Footer",
    "ListParagraph",
    "ListNumber",
    "ListBullet",
)
PPR_AFTER_BORDER = ("w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc", "w:rPr")  # schema order

# (title, addressee paragraphs, body paragraphs, closing) per event. A body paragraph is a list
# of runs; a run is text, or ("b", text) for bold. Tags are docxtpl's: {{ field }}, {%p if %}.
ADDRESS = [
    "{%p if dia_chi %}",
    [("i", "Địa chỉ: {{ dia_chi }}")],
    "{%p endif %}",
]
LETTERS = {
    "khai_sinh": (
        "THƯ CHÚC MỪNG",
        [
            "{%p if co_cha and co_me %}",
            [
                "Kính gửi: ",
                ("b", "{{ danh_xung_cha|capitalize }} {{ ho_ten_cha }} và "),
                ("b", "{{ danh_xung_me }} {{ ho_ten_me }}"),
            ],
            "{%p else %}",
            ["Kính gửi: ", ("b", "{{ kinh_gui }}")],
            "{%p endif %}",
            *ADDRESS,
        ],
        [
            [
                "{{ ten_ubnd }} vui mừng được tin {{ nguoi_nhan }} vừa đón cháu ",
                ("b", "{{ ho_ten_tre }}"),
                (
                    " chào đời ngày {{ ngay_sinh_tre }} và đã đăng ký khai sinh cho cháu"
                    " ngày {{ ngay_dang_ky }}."
                ),
            ],
            [
                (
                    "Nhân dịp này, Ủy ban nhân dân {{ loai_don_vi }} xin gửi tới gia đình lời chúc"
                    " mừng chân thành. Chúc cháu luôn khỏe mạnh, bình an, lớn lên trong tình yêu"
                    " thương của gia đình và sự quan tâm của cộng đồng; chúc {{ nguoi_nhan }} thật"
                    " nhiều sức khỏe và niềm vui."
                ),
            ],
        ],
        "Trân trọng!",
    ),
    "ket_hon": (
        "THƯ CHÚC MỪNG",
        [["Kính gửi: ", ("b", "{{ kinh_gui }}")], *ADDRESS],
        [
            [
                (
                    "Ngày {{ ngay_dang_ky }}, {{ nguoi_nhan }} đã đăng ký kết hôn tại {{ ten_ubnd }}."
                    " Thay mặt lãnh đạo {{ loai_don_vi }}, chúng tôi xin gửi tới {{ nguoi_nhan }} lời"
                    " chúc mừng tốt đẹp nhất."
                ),
            ],
            [
                (
                    "Chúc {{ nguoi_nhan }} luôn yêu thương, tôn trọng và đồng hành cùng nhau, xây"
                    " dựng gia đình ấm no, bình đẳng, tiến bộ, hạnh phúc; chúc hai bên gia đình"
                    " nhiều sức khỏe và niềm vui."
                ),
            ],
        ],
        "Trân trọng!",
    ),
    "khai_tu": (
        "THƯ CHIA BUỒN",
        [["Kính gửi: ", ("b", "{{ kinh_gui }}")], *ADDRESS],
        [
            [
                "{{ ten_ubnd }} vô cùng thương tiếc nhận được tin ",
                ("b", "{{ nguoi_mat }}"),
                " đã qua đời ngày {{ ngay_mat }}.",
            ],
            [
                (
                    "Trước sự mất mát to lớn này, Ủy ban nhân dân {{ loai_don_vi }} xin gửi tới"
                    " {{ nguoi_nhan }} lời chia buồn sâu sắc nhất. Mong gia đình giữ gìn sức khỏe,"
                    " sớm vượt qua nỗi đau thương."
                ),
            ],
        ],
        "Xin thành kính phân ưu.",
    ),
}
CONDOLENCE_ADDRESS = [["Kính gửi: ", ("b", "{{ kinh_gui }}")], *ADDRESS]
VARIANTS = {
    # twins, triplets: one letter naming every child (so_tre >= 2)
    "khai_sinh_sinh_doi": (
        "THƯ CHÚC MỪNG",
        LETTERS["khai_sinh"][1],
        [
            [
                "{{ ten_ubnd }} vui mừng được tin {{ nguoi_nhan }} vừa đón {{ so_tre_bang_chu }}"
                " cháu ",
                ("b", "{{ ho_ten_tre }}"),
                (
                    " chào đời ngày {{ ngay_sinh_tre }} và đã đăng ký khai sinh cho các cháu"
                    " ngày {{ ngay_dang_ky }}."
                ),
            ],
            [
                (
                    "Nhân dịp này, Ủy ban nhân dân {{ loai_don_vi }} xin gửi tới gia đình lời chúc"
                    " mừng chân thành. Chúc các cháu luôn khỏe mạnh, bình an, cùng nhau lớn lên"
                    " trong tình yêu thương của gia đình và sự quan tâm của cộng đồng; chúc"
                    " {{ nguoi_nhan }} thật nhiều sức khỏe và niềm vui để chăm sóc các cháu."
                ),
            ],
        ],
        "Trân trọng!",
    ),
    # a spouse of another nationality (co_nguoi_nuoc_ngoai)
    "ket_hon_nuoc_ngoai": (
        "THƯ CHÚC MỪNG",
        LETTERS["ket_hon"][1],
        [
            LETTERS["ket_hon"][2][0],
            [
                (
                    "Chúc {{ nguoi_nhan }} luôn yêu thương, tôn trọng, thấu hiểu và đồng hành cùng"
                    " nhau, xây dựng gia đình ấm no, bình đẳng, tiến bộ, hạnh phúc; cùng vun đắp"
                    " tình thân giữa hai bên gia đình, hai nền văn hóa. Chúc hai bên gia đình"
                    " nhiều sức khỏe và niềm vui."
                ),
            ],
        ],
        "Trân trọng!",
    ),
    # a child's death (tuoi_nguoi_mat < 16): "cháu", "đã ra đi"
    "khai_tu_tre_em": (
        "THƯ CHIA BUỒN",
        CONDOLENCE_ADDRESS,
        [
            [
                "{{ ten_ubnd }} vô cùng xúc động và thương tiếc nhận được tin ",
                ("b", "{{ nguoi_mat }}"),
                " đã ra đi ngày {{ ngay_mat }}.",
            ],
            [
                (
                    "Trước nỗi đau mất mát quá lớn này, Ủy ban nhân dân {{ loai_don_vi }} xin gửi"
                    " tới {{ nguoi_nhan }} lời chia buồn sâu sắc nhất. Mong gia đình giữ gìn sức"
                    " khỏe, cùng nhau vượt qua những ngày đau buồn này."
                ),
            ],
        ],
        "Xin thành kính phân ưu.",
    ),
    # an elder's death (tuoi_nguoi_mat >= 80): "cụ", "tạ thế"
    "khai_tu_cao_tuoi": (
        "THƯ CHIA BUỒN",
        CONDOLENCE_ADDRESS,
        [
            [
                "{{ ten_ubnd }} vô cùng thương tiếc nhận được tin ",
                ("b", "{{ nguoi_mat }}"),
                " đã tạ thế ngày {{ ngay_mat }}.",
            ],
            [
                (
                    "Sự ra đi của {{ nguoi_mat }} là niềm tiếc thương lớn đối với gia đình, họ"
                    " hàng. Ủy ban nhân dân {{ loai_don_vi }} xin gửi tới {{ nguoi_nhan }} lời chia"
                    " buồn sâu sắc nhất; kính mong gia đình giữ gìn sức khỏe, sớm vượt qua nỗi đau"
                    " thương."
                ),
            ],
        ],
        "Xin thành kính phân ưu.",
    ),
}
TITLES = {
    "khai_sinh": "Thư chúc mừng khai sinh",
    "ket_hon": "Thư chúc mừng kết hôn",
    "khai_tu": "Thư chia buồn",
    "khai_sinh_sinh_doi": "Thư chúc mừng khai sinh (sinh đôi, sinh ba)",
    "ket_hon_nuoc_ngoai": "Thư chúc mừng kết hôn (có người nước ngoài)",
    "khai_tu_tre_em": "Thư chia buồn (trẻ em)",
    "khai_tu_cao_tuoi": "Thư chia buồn (người cao tuổi)",
    "khai_sinh_thiep": "Thiệp chúc mừng khai sinh (A5)",
    "ket_hon_thiep": "Thiệp chúc mừng kết hôn (A5)",
    "khai_tu_thiep": "Thiệp chia buồn (A5)",
}

# The card: A5 portrait; the text block where the card stock leaves room for it (mm). Change
# these to fit a commune's own card (templates/README.md: "Thiệp in sẵn").
CARD = {
    "page": (148, 210),  # width, height
    "margins": {"top": 62, "bottom": 8, "left": 14, "right": 14},  # the text block's place
    "rows": (16, 70, 52),  # "Kính gửi", the text, date line and signature (exact heights)
    "signature_column": 72,  # the right-hand column of the last row (the left one is empty)
    "size": 13,  # points
}
CARD_TEXT = {
    "khai_sinh": [
        [
            "{{ ten_ubnd }} vui mừng được tin {{ nguoi_nhan }} vừa đón ",
            ("b", "{{ cac_chau }}"),
            " chào đời ngày {{ ngay_sinh_tre }}.",
        ],
        [
            "Chúc {% if co_nhieu_tre %}các cháu{% else %}cháu{% endif %} luôn khỏe mạnh, bình an,"
            " lớn lên trong tình yêu thương của gia đình; chúc gia đình thật nhiều sức khỏe và"
            " hạnh phúc.",
        ],
    ],
    "ket_hon": [
        [
            "Nhân dịp {{ nguoi_nhan }} đăng ký kết hôn ngày {{ ngay_dang_ky }}, {{ ten_ubnd }} xin"
            " gửi tới {{ nguoi_nhan }} lời chúc mừng tốt đẹp nhất.",
        ],
        [
            "Chúc {{ nguoi_nhan }} trăm năm hạnh phúc, xây dựng gia đình ấm no, bình đẳng, tiến"
            " bộ, hạnh phúc.",
        ],
    ],
    "khai_tu": [
        [
            "{{ ten_ubnd }} vô cùng thương tiếc nhận được tin ",
            ("b", "{{ nguoi_mat }}"),
            " đã qua đời ngày {{ ngay_mat }}.",
        ],
        [
            "Xin gửi tới {{ nguoi_nhan }} lời chia buồn sâu sắc nhất. Xin thành kính phân ưu.",
        ],
    ],
}


def set_fonts(element, size: float | None = None) -> None:
    """Times New Roman for every script (ascii, hAnsi, eastAsia, cs) on an rPr's owner."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    if size:
        for tag in ("w:sz", "w:szCs"):
            node = rpr.find(qn(tag))
            if node is None:
                node = OxmlElement(tag)
                rpr.append(node)
            node.set(qn("w:val"), str(int(size * 2)))


def setup_document() -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(14)
    set_fonts(normal.element, 14)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "vi-VN")
    normal.element.get_or_add_rPr().append(lang)
    fmt = normal.paragraph_format
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(6), 1.15
    body = doc.element.body
    for paragraph in list(body.iterchildren(qn("w:p"))):
        body.remove(paragraph)
    return doc


def add_runs(paragraph, runs, size: float | None = None, bold=False, italic=False) -> None:
    for run in [runs] if isinstance(runs, (str, tuple)) else runs:
        style, text = run if isinstance(run, tuple) else ("", run)
        r = paragraph.add_run(text)
        r.bold = bold or "b" in style or None
        r.italic = italic or "i" in style or None
        if size:
            r.font.size = Pt(size)


def line(container, runs, align=CENTER, size=None, bold=False, italic=False, after=0, before=0):
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.alignment, fmt.space_after, fmt.space_before = align, Pt(after), Pt(before)
    add_runs(paragraph, runs, size, bold, italic)
    return paragraph


def rule(cell, width_mm: float, cell_mm: float) -> None:
    """A short solid line: an empty 2 pt paragraph with a bottom border, indented to width."""
    paragraph = line(cell, [], size=2)
    fmt = paragraph.paragraph_format
    fmt.left_indent = fmt.right_indent = Mm((cell_mm - width_mm) / 2)
    fmt.line_spacing, fmt.line_spacing_rule = Pt(2), WD_LINE_SPACING.EXACTLY
    border, bottom = OxmlElement("w:pBdr"), OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "auto")):
        bottom.set(qn(f"w:{key}"), value)
    border.append(bottom)
    ppr = paragraph._p.get_or_add_pPr()
    ppr.insert_element_before(border, *PPR_AFTER_BORDER)
    mark, size = OxmlElement("w:rPr"), OxmlElement("w:sz")  # the paragraph mark: 2 pt high
    size.set(qn("w:val"), "4")
    mark.append(size)
    ppr.append(mark)


def borderless(table) -> None:
    props = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        node = OxmlElement(f"w:{edge}")
        node.set(qn("w:val"), "nil")
        borders.append(node)
    props.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook")


def header_block(doc) -> None:
    table = doc.add_table(rows=1, cols=2)
    table.alignment, table.autofit = WD_TABLE_ALIGNMENT.CENTER, False
    borderless(table)
    left, right = table.rows[0].cells
    for column, cell, width in zip(
        table._tbl.tblGrid.iterchildren(), (left, right), (LEFT_CELL, RIGHT_CELL)
    ):
        column.w = cell.width = width  # Word reads the cell width, LibreOffice the grid
        cell._tc.remove(cell.paragraphs[0]._p)
    line(left, "{{ co_quan }}", size=13, bold=True)
    line(left, "{{ don_vi_in_hoa }}", size=13, bold=True)
    rule(left, 18, 58)
    line(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=13, bold=True)
    line(right, "Độc lập - Tự do - Hạnh phúc", size=13, bold=True)
    rule(right, 57, 99)
    line(right, "{{ ngay_thang }}", italic=True, before=8)


def signature_block(doc) -> None:
    def sign_line(text, before=0, after=0):
        paragraph = line(doc, text, bold=True, before=before, after=after)
        paragraph.paragraph_format.left_indent = SIGNATURE_INDENT

    sign_line("{{ tham_quyen_ky }}", before=12)
    sign_line("{{ chuc_vu_ky }}")
    line(doc, "{%p if chuc_vu_ky_2 %}")
    sign_line("{{ chuc_vu_ky_2 }}")
    line(doc, "{%p endif %}")
    sign_line("{{ nguoi_ky }}", before=80)


def build_letter(name: str) -> Document:
    title, addressee, body, closing = {**LETTERS, **VARIANTS}[name]
    doc = setup_document()
    header_block(doc)
    line(doc, title, bold=True, before=24, after=12)
    for runs in addressee:
        line(doc, runs, after=6)
    for runs in body:
        paragraph = line(doc, runs, align=JUSTIFY, after=6, before=6 if runs is body[0] else 0)
        paragraph.paragraph_format.first_line_indent = Mm(12.7)
    line(doc, closing, align=JUSTIFY).paragraph_format.first_line_indent = Mm(12.7)
    signature_block(doc)
    finish(doc, name)
    return doc


def finish(doc, name: str) -> None:
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = TITLES[name], "hcpvnd", "hcpvnd"
    props.created = props.modified = FIXED_TIME
    props.revision, props.comments = 1, ""
    slim(doc)


def build_card(event: str) -> Document:
    """A5 card: a borderless table of exact sizes where the card stock leaves room for text."""
    doc = setup_document()
    section = doc.sections[0]
    section.page_width, section.page_height = (Mm(x) for x in CARD["page"])
    margins = CARD["margins"]
    section.top_margin, section.bottom_margin = Mm(margins["top"]), Mm(margins["bottom"])
    section.left_margin, section.right_margin = Mm(margins["left"]), Mm(margins["right"])
    width = CARD["page"][0] - margins["left"] - margins["right"]
    right = CARD["signature_column"]
    table = doc.add_table(rows=3, cols=2)
    table.alignment, table.autofit = WD_TABLE_ALIGNMENT.LEFT, False
    borderless(table)
    for column, size in zip(table._tbl.tblGrid.iterchildren(), (width - right, right)):
        column.w = Mm(size)
    for row, height in zip(table.rows, CARD["rows"]):
        row.height, row.height_rule = Mm(height), WD_ROW_HEIGHT_RULE.EXACTLY
        for cell, size in zip(row.cells, (width - right, right)):
            cell.width = Mm(size)
    size = CARD["size"]
    addressee = table.cell(0, 0).merge(table.cell(0, 1))
    text = table.cell(1, 0).merge(table.cell(1, 1))
    signature = table.cell(2, 1)
    for cell in (addressee, text, signature):
        cell._tc.remove(cell.paragraphs[0]._p)
    line(addressee, ["Kính gửi: ", ("b", "{{ kinh_gui }}")], align=JUSTIFY, size=size)
    for runs in CARD_TEXT[event]:
        paragraph = line(text, runs, align=JUSTIFY, size=size, after=4)
        paragraph.paragraph_format.first_line_indent = Mm(8)
    line(signature, "{{ ngay_thang }}", size=size - 2, italic=True, after=4)
    for field in ("{{ tham_quyen_ky }}", "{{ chuc_vu_ky }}"):
        line(signature, field, size=size - 1, bold=True)
    line(signature, "{%p if chuc_vu_ky_2 %}", size=size - 1)
    line(signature, "{{ chuc_vu_ky_2 }}", size=size - 1, bold=True)
    line(signature, "{%p endif %}", size=size - 1)
    line(signature, "{{ nguoi_ky }}", size=size - 1, bold=True, before=40)
    tail = line(doc, [], size=1)  # the card ends here: the next letter starts a new page
    tail.paragraph_format.line_spacing, tail.paragraph_format.line_spacing_rule = (
        Pt(1),
        WD_LINE_SPACING.EXACTLY,
    )
    finish(doc, f"{event}_thiep")
    return doc


def slim(doc) -> None:
    """python-docx's default package carries a thumbnail of another document, a second styles
    part and 160 table and heading styles: keep what a one-page letter uses (Word still offers
    every built-in style), so each letter is small and quick to open."""
    package_rels = doc.part.package.rels
    for rel_id, rel in list(package_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package_rels.pop(rel_id)
    for rel_id, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith(("/stylesWithEffects", "/customXml")):
            doc.part.rels.pop(rel_id)
    styles = doc.styles.element
    by_id = {style.get(qn("w:styleId")): style for style in styles.findall(qn("w:style"))}
    keep, todo = set(), list(KEPT_STYLES)
    while todo:  # the kept styles and every style they are based on or linked to
        style = by_id.get(todo.pop())
        if style is None or style.get(qn("w:styleId")) in keep:
            continue
        keep.add(style.get(qn("w:styleId")))
        todo += [
            ref.get(qn("w:val"))
            for tag in ("w:basedOn", "w:link", "w:next")
            for ref in style.findall(qn(tag))
        ]
    for style_id, style in by_id.items():
        if style_id not in keep and style.get(qn("w:default")) != "1":
            styles.remove(style)
    default_fonts(styles)


def default_fonts(styles) -> None:
    """docDefaults: Times New Roman 14 instead of the theme's fonts (theme attributes would win)."""
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    for tag in ("w:sz", "w:szCs"):
        rpr.find(qn(tag)).set(qn("w:val"), "28")
    rpr.find(qn("w:lang")).set(qn("w:val"), "vi-VN")


def reproducible(data: bytes) -> bytes:
    """The same zip bytes on every build: fixed entry times, same order."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            zout.writestr(entry, zin.read(info), compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parents[1] / "templates"
    )
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    built = {name: build_letter for name in (*LETTERS, *VARIANTS)}
    built.update({f"{event}_thiep": lambda name: build_card(name[: -len("_thiep")])
                  for event in CARD_TEXT})  # fmt: skip
    for name, build in built.items():
        buffer = io.BytesIO()
        build(name).save(buffer)
        target = args.out / f"{name}.docx"
        target.write_bytes(reproducible(buffer.getvalue()))
        print(target)


if __name__ == "__main__":
    main()
