"""Make the fixture templates of this folder, each named after the behaviour it provokes.

    .venv/bin/python tests/data/templates/make_fixtures.py

The .docx files are committed; rerun this only to change them.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

HERE = Path(__file__).resolve().parent
W = nsdecls("w")


def run(text: str, bold=False) -> str:
    props = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return f'<w:r {W}>{props}<w:t xml:space="preserve">{text}</w:t></w:r>'


def paragraph_xml(inner: str, props: str = "") -> str:
    return f"<w:p {W}>{props}{inner}</w:p>"


def add_xml(doc, xml: str) -> None:
    """Append a raw paragraph/table before the body's final sectPr."""
    doc.element.body.sectPr.addprevious(parse_xml(xml))


def simple_merge(name: str) -> str:
    written = f"&quot;{name}&quot;" if " " in name else name  # Word quotes names with spaces
    return (
        f'<w:fldSimple {W} w:instr=" MERGEFIELD {written} \\* MERGEFORMAT ">'
        f"<w:r><w:rPr><w:b/></w:rPr><w:t>«{name}»</w:t></w:r></w:fldSimple>"
    )


def complex_merge(instruction_parts: list[str], shown: str) -> str:
    """A complex field as Word writes it, the instruction split over several runs."""
    char = '<w:r><w:fldChar w:fldCharType="{}"/></w:r>'
    instr = "".join(
        f'<w:r><w:instrText xml:space="preserve">{p}</w:instrText></w:r>' for p in instruction_parts
    )
    result = f"<w:r><w:rPr><w:i/></w:rPr><w:t>{shown}</w:t></w:r>"
    return char.format("begin") + instr + char.format("separate") + result + char.format("end")


def mergefield_template() -> Document:
    doc = Document()
    add_xml(doc, paragraph_xml(run("Kính gửi: ") + simple_merge("kinh_gui")))
    complex_name = complex_merge(
        [" MERGEFIELD  ", '"Họ tên trẻ"', " \\* MERGEFORMAT "], "«Họ tên trẻ»"
    )
    add_xml(
        doc,
        paragraph_xml(
            run("Cháu ")
            + complex_name
            + run(", sinh ngày ")
            + simple_merge("ngay_sinh_tre")
            + run(".")
        ),
    )
    upper = complex_merge([" MERGEFIELD ten_xa \\* Upper "], "«ten_xa»")
    add_xml(doc, paragraph_xml(run("XÃ ") + upper))
    around = complex_merge([' MERGEFIELD ho_ten_cha \\b "Cha: " \\f "." '], "«ho_ten_cha»")
    add_xml(doc, paragraph_xml(around))
    doc.add_paragraph("Trân trọng!")
    return doc


def mergefield_unknown_template() -> Document:
    doc = Document()
    add_xml(doc, paragraph_xml(run("Ông nội: ") + simple_merge("Tên ông nội")))
    return doc


def numbered_list_template() -> Document:
    doc = Document()
    bookmark = '<w:bookmarkStart w:id="0" w:name="_GoBack"/><w:bookmarkEnd w:id="0"/>'
    add_xml(doc, paragraph_xml(bookmark + run("Thư gửi {{ kinh_gui }}")))
    for text in ("Điều một {{ ho_ten_tre }}", "Điều hai", "Điều ba"):
        doc.add_paragraph(text, style="List Number")
    return doc


def header_field_template() -> Document:
    doc = Document()
    doc.sections[0].header.paragraphs[0].text = "Thư gửi {{ kinh_gui }}"
    doc.add_paragraph("Cháu {{ ho_ten_tre }} sinh ngày {{ ngay_sinh_tre }}.")
    return doc


def table_row_template() -> Document:
    doc = Document()
    table = doc.add_table(rows=3, cols=2)
    cells = [("{%tr if co_cha %}", ""), ("Cha", "{{ ho_ten_cha }}"), ("{%tr endif %}", "")]
    for row, (left, right) in zip(table.rows, cells):
        row.cells[0].text, row.cells[1].text = left, right
    doc.add_paragraph("Mẹ: {{ ho_ten_me }}")
    return doc


def split_runs_template() -> Document:
    """What Word does after a clerk retypes part of a tag: one tag over several runs."""
    doc = Document()
    add_xml(
        doc, paragraph_xml(run("Cháu {{ ho_") + run("ten_", bold=True) + run("tre }} chào đời."))
    )
    add_xml(doc, paragraph_xml(run("{%p if co_") + run("cha %}")))
    doc.add_paragraph("Cha: {{ ho_ten_cha }}")
    doc.add_paragraph("{%p endif %}")
    return doc


def if_across_table_template() -> Document:
    """An {% if %} opened in a table cell and closed after the table: the letter's XML breaks
    when the condition is false."""
    doc = Document()
    table = doc.add_table(rows=1, cols=1)
    table.rows[0].cells[0].text = "{% if co_cha %}Cha: {{ ho_ten_cha }}"
    doc.add_paragraph("{% endif %}Mẹ: {{ ho_ten_me }}")
    return doc


def plain_template(*lines: str) -> Document:
    doc = Document()
    for line in lines:
        doc.add_paragraph(line)
    return doc


def main() -> None:
    fixtures = {
        "broken_tag.docx": plain_template(
            "Kính gửi: {{ kinh_gui }}", "{% if co_cha %}Cha: {{ ho_ten_cha }}"
        ),
        "unclosed_brace.docx": plain_template("Cháu {{ ho_ten_tre }", "Trân trọng!"),
        "if_across_table.docx": if_across_table_template(),
        "unknown_field.docx": plain_template(
            "Kính gửi: {{ kinh_gui }}",
            "Ông nội: {{ ho_ten_ong_noi }}",
            "Người mất: {{ ho_ten_nguoi_mat }}",
            "Cháu {{ ho_ten_tr }}",
        ),
        "fails_on_data.docx": plain_template("Cháu {{ ho_ten_tre.lay_ten() }}"),
        "cheerful_condolence.docx": plain_template(
            "Kính gửi: {{ kinh_gui }}", "Chúc gia đình vui vẻ!"
        ),
        "mergefield.docx": mergefield_template(),
        "mergefield_unknown.docx": mergefield_unknown_template(),
        "numbered_list.docx": numbered_list_template(),
        "header_field.docx": header_field_template(),
        "table_row_condition.docx": table_row_template(),
        "split_runs.docx": split_runs_template(),
    }
    for name, doc in fixtures.items():
        doc.save(HERE / name)
    (HERE / "not_a_docx.docx").write_text(
        "Đây là tệp văn bản, không phải Word.\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
