"""The compile-once engine: golden letters, escaping, docxtpl parity, MERGEFIELD, atomic writes.

Golden texts are re-read with python-docx (never compared as bytes). After an intended wording
change, regenerate them with HCPVND_UPDATE_GOLDEN=1 and review the diff.
"""

from __future__ import annotations

import io
import os
import re
import unicodedata
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docxtpl import DocxTemplate, Listing, RichText
from lxml import etree
from markupsafe import Markup

from hcpvnd_utils import letterfields
from hcpvnd_utils.letters.engine import BrokenTemplate, CompiledTemplate
from hcpvnd_utils.letters.templates import (
    SAMPLE_DATE,
    SAMPLE_RECORDS,
    SAMPLE_UNIT,
    extract_text,
    sample_context,
)

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "templates"
FIXTURES = Path(__file__).resolve().parent / "data" / "templates"
GOLDEN = Path(__file__).resolve().parent / "golden"
SETTINGS = {"address_style": "anh_chi"}


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def values(event: str, **changes) -> dict:
    merged = {**SAMPLE_RECORDS[event], **changes}
    return {k: v for k, v in merged.items() if v is not None}


CASES = {
    "khai_sinh_cha_me": ("khai_sinh", values("khai_sinh")),
    "khai_sinh_khong_cha": (
        "khai_sinh",
        values("khai_sinh", father_full_name=None, father_birth_year=None),
    ),
    "khai_sinh_nfd": (
        "khai_sinh",
        values(
            "khai_sinh",
            child_full_name=nfd("Đặng Thị Thùy Dương"),
            mother_full_name=nfd("Lê Thị Hường"),
            father_full_name=nfd("Đặng Quốc Việt"),
            mother_residence=nfd("xóm Trung, thôn Lục Lễ"),
        ),
    ),
    "ket_hon": ("ket_hon", values("ket_hon")),
    "khai_tu": ("khai_tu", values("khai_tu")),
    "khai_tu_khong_nguoi_khai": (
        "khai_tu",
        values(
            "khai_tu", declarant_full_name=None, declarant_relation=None, declarant_residence=None
        ),
    ),
}


@pytest.fixture(scope="module")
def compiled() -> dict[str, CompiledTemplate]:
    return {
        event: CompiledTemplate.from_path(SHIPPED / f"{event}.docx")
        for event in ("khai_sinh", "ket_hon", "khai_tu")
    }


def render_case(compiled, case: str) -> str:
    event, record = CASES[case]
    context = letterfields.letter_context(event, record, SAMPLE_UNIT, SETTINGS, SAMPLE_DATE)
    return extract_text(compiled[event].render_bytes(context))


def docxtpl_text(path: Path, context: dict) -> str:
    template = DocxTemplate(path)
    template.render(context, autoescape=True)
    buffer = io.BytesIO()
    template.save(buffer)
    return extract_text(buffer.getvalue())


# ---------------------------------------------------------------- golden letters


@pytest.mark.parametrize("case", CASES)
def test_golden_text(compiled, case):
    text = render_case(compiled, case)
    golden = GOLDEN / f"{case}.txt"
    if os.environ.get("HCPVND_UPDATE_GOLDEN"):
        golden.write_text(text + "\n", encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8").rstrip("\n")


@pytest.mark.parametrize("case", CASES)
def test_no_tag_or_missing_value_marker_left(compiled, case):
    text = render_case(compiled, case)
    assert unicodedata.is_normalized("NFC", text)
    for leftover in ("{{", "}}", "{%", "%}", "None", "nan", "NaT", "«", "»"):
        assert leftover not in text, leftover
    assert not re.search(r"\bvà\s*$", text, re.MULTILINE)  # no dangling "và"
    assert "  " not in text


def test_birth_without_father_never_mentions_him(compiled):
    text = render_case(compiled, "khai_sinh_khong_cha")
    assert "Kính gửi: Chị Trần Thị Bích Ngọc" in text.splitlines()
    assert "Nguyễn Văn Cường" not in text and "cha" not in text.lower().split()


def test_death_without_declarant_is_addressed_to_the_family(compiled):
    assert "Kính gửi: Gia đình cụ Võ Thị Lài" in render_case(compiled, "khai_tu_khong_nguoi_khai")


@pytest.mark.parametrize("case", ["khai_tu", "khai_tu_khong_nguoi_khai"])
def test_condolence_letter_is_sober(compiled, case):
    text = render_case(compiled, case).lower()
    assert "chúc" not in text and "!" not in text and not re.search(r"\bvui\b", text)
    for word in ("tuổi", "hưởng thọ", "nguyên nhân", "siêu thoát", "vãng sanh"):
        assert word not in text


# ---------------------------------------------------------------- escaping


@pytest.mark.parametrize(
    "value",
    ["Thôn 1 & 2 <Khu A>", "{{ 7*7 }}", "{% raw %}", "{%p if co_cha %}", "MERGEFIELD ho_ten_tre",
     "«ho_ten_tre»", "a\"b'c", "]]></w:t><w:t>"],
)  # fmt: skip
def test_values_print_literally(compiled, value):
    context = sample_context("khai_sinh") | {"dia_chi": value}
    data = compiled["khai_sinh"].render_bytes(context)
    etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))  # still sound XML
    assert f"Địa chỉ: {value}" in extract_text(data).splitlines()
    if "7*7" in value:
        assert "49" not in extract_text(data)


def test_control_characters_and_none_in_a_context_keep_the_document_sound(compiled):
    context = sample_context("ket_hon") | {"dia_chi": "thôn 1\x00\x0b\nxã 2", "nguoi_nhan": None}
    data = compiled["ket_hon"].render_bytes(context)
    text = extract_text(data)
    assert "Địa chỉ: thôn 1 xã 2" in text.splitlines() and "None" not in text


# ---------------------------------------------------------------- same output as docxtpl


@pytest.mark.parametrize("event", ["khai_sinh", "ket_hon", "khai_tu"])
@pytest.mark.parametrize("flags", [True, False])
def test_same_text_as_docxtpl_on_shipped_templates(compiled, event, flags):
    context = sample_context(event, flags) | {"dia_chi": "Thôn 1 & 2 <Khu A> {{ 7*7 }}"}
    ours = extract_text(compiled[event].render_bytes(context))
    assert ours == docxtpl_text(SHIPPED / f"{event}.docx", context)


@pytest.mark.parametrize(
    "name", ["split_runs.docx", "table_row_condition.docx", "numbered_list.docx"]
)
@pytest.mark.parametrize("flags", [True, False])
def test_same_text_as_docxtpl_on_fixtures(name, flags):
    context = sample_context("khai_sinh", flags)
    ours = extract_text(CompiledTemplate.from_path(FIXTURES / name).render_bytes(context))
    assert ours == docxtpl_text(FIXTURES / name, context)


def test_table_row_condition_removes_the_row():
    template = CompiledTemplate.from_path(FIXTURES / "table_row_condition.docx")
    with_father = Document(io.BytesIO(template.render_bytes(sample_context("khai_sinh"))))
    without = Document(io.BytesIO(template.render_bytes(sample_context("khai_sinh", False))))
    assert [len(with_father.tables[0].rows), len(without.tables[0].rows)] == [1, 0]


def test_header_fields_are_rendered():
    template = CompiledTemplate.from_path(FIXTURES / "header_field.docx")
    doc = Document(io.BytesIO(template.render_bytes(sample_context("khai_sinh"))))
    assert (
        doc.sections[0].header.paragraphs[0].text
        == "Thư gửi Anh Nguyễn Văn Cường và chị Trần Thị Bích Ngọc"
    )


# ---------------------------------------------------------------- MERGEFIELD templates


def test_mergefield_template_renders():
    template = CompiledTemplate.from_path(FIXTURES / "mergefield.docx")
    assert template.fields == {"kinh_gui", "ho_ten_tre", "ngay_sinh_tre", "ten_xa", "ho_ten_cha"}
    assert template.merge_fields["ho_ten_tre"] == "Họ tên trẻ"
    full = extract_text(template.render_bytes(sample_context("khai_sinh"))).splitlines()
    assert full == [
        "Kính gửi: Anh Nguyễn Văn Cường và chị Trần Thị Bích Ngọc",
        "Cháu Nguyễn Minh Khôi, sinh ngày 15/10/2024.",
        "XÃ PHƯỚC THÀNH",
        "Cha: Nguyễn Văn Cường.",
        "Trân trọng!",
    ]
    no_father = sample_context("khai_sinh") | {"ho_ten_cha": ""}
    assert "Cha:" not in extract_text(
        template.render_bytes(no_father)
    )  # \b text goes with its field


def test_mergefield_result_keeps_the_field_formatting():
    data = CompiledTemplate.from_path(FIXTURES / "mergefield.docx").render_bytes(
        sample_context("khai_sinh")
    )
    runs = [r for p in Document(io.BytesIO(data)).paragraphs for r in p.runs]
    assert next(r for r in runs if r.text == "Nguyễn Minh Khôi").italic  # the «…» result was italic
    assert b"MERGEFIELD" not in zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")


# ---------------------------------------------------------------- files


@pytest.mark.parametrize("durable", [True, False])
def test_write_is_atomic_and_replaces(compiled, tmp_path, durable):
    target = tmp_path / "001_nguyen_minh_khoi.docx"
    target.write_bytes(b"old")
    compiled["khai_sinh"].write(sample_context("khai_sinh"), target, durable=durable)
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temporary file left
    assert "THƯ CHÚC MỪNG" in extract_text(target)


@pytest.mark.parametrize("durable", [True, False])
def test_failed_write_leaves_no_partial_file_and_keeps_the_old_one(
    compiled, tmp_path, monkeypatch, durable
):
    target = tmp_path / "letter.docx"
    target.write_bytes(b"the letter already sent")

    def disk_full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("hcpvnd_utils.safeio.os.replace", disk_full)
    with pytest.raises(OSError):
        compiled["khai_sinh"].write(sample_context("khai_sinh"), target, durable=durable)
    assert [p.name for p in tmp_path.iterdir()] == ["letter.docx"]
    assert target.read_bytes() == b"the letter already sent"


def test_output_is_a_complete_deterministic_docx(compiled):
    context = sample_context("khai_tu")
    first, second = (compiled["khai_tu"].render_bytes(context) for _ in range(2))
    assert first == second  # same record, same bytes (a ledger's sha256 is stable)
    with zipfile.ZipFile(io.BytesIO(first)) as zf, zipfile.ZipFile(SHIPPED / "khai_tu.docx") as tpl:
        assert zf.testzip() is None
        assert sorted(zf.namelist()) == sorted(tpl.namelist())
        for name in tpl.namelist():
            if name != "word/document.xml":
                assert zf.read(name) == tpl.read(name), name


def test_not_a_docx_is_refused():
    with pytest.raises(BrokenTemplate) as caught:
        CompiledTemplate.from_path(FIXTURES / "not_a_docx.docx")
    assert caught.value.kind == "not_docx"


# ---------------------------------------------------------------- escaped exactly once


def _one_line_template(tmp_path, *texts: str) -> CompiledTemplate:
    document = Document()
    for text in texts:
        document.add_paragraph(text)
    document.save(str(tmp_path / "t.docx"))
    return CompiledTemplate.from_path(tmp_path / "t.docx")


HOSTILE_VALUES = ["Thôn 1 & 2 <Khu A>", "x\ny & z", "x\ty<z", nfd("Hường & cộng sự"), "a &amp; b"]


def _printed(value: str) -> str:
    """The documented cleaning: NFC, control characters and runs of whitespace one space."""
    text = unicodedata.normalize("NFC", value)
    return re.sub(r"\s+", " ", text) if not value.isprintable() or text != value else value


@pytest.mark.parametrize("value", HOSTILE_VALUES)
@pytest.mark.parametrize(
    "tag", ["{{ v }}", "{{ v|e }}", "{{ v|safe }}", "{{ v|forceescape }}", "{{ v|e|e }}",
            "{{ v|e|trim }}", "{{ (v ~ '')|e }}", "{{ v|striptags|e }}"],
)  # fmt: skip
def test_a_value_is_escaped_exactly_once_whatever_filter_it_went_through(tmp_path, tag, value):
    template = _one_line_template(tmp_path, f"[{tag}]")
    data = template.render_bytes({"v": value})
    etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    expected = _printed(value)
    if "striptags" in tag:  # the filter reads its value as markup: tags and entities go
        expected = Markup(expected).striptags()
    assert extract_text(data) == f"[{expected}]"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (RichText("Lê & Bà <A>", bold=True), "Lê & Bà <A>"),
        (Listing("thôn 1 & 2\nxã B"), "thôn 1 & 2 xã B"),
        (Markup("A &amp; B"), "A & B"),
    ],
    ids=["RichText", "Listing", "Markup"],
)
def test_docxtpl_objects_print_their_text_inside_the_run(tmp_path, value, shown):
    template = _one_line_template(tmp_path, "Giá trị: {{ v }}.", "Rich: {{r v }}.")
    text = extract_text(template.render_bytes({"v": value})).splitlines()
    assert text == [f"Giá trị: {shown}.", f"Rich: {shown}."]


@pytest.mark.parametrize("tag", ["{{r ho_ten_tre }}", "{{p ho_ten_tre }}", "{{tc ho_ten_tre }}"])
def test_docxtpl_value_tags_print_plain_text_where_typed_with_its_formatting(tmp_path, tag):
    document = Document()
    document.add_paragraph("Cháu ").add_run(tag).bold = True
    document.save(str(tmp_path / "t.docx"))
    data = CompiledTemplate.from_path(tmp_path / "t.docx").render_bytes(sample_context("khai_sinh"))
    paragraph = Document(io.BytesIO(data)).paragraphs[0]
    assert paragraph.text == "Cháu Nguyễn Minh Khôi"
    assert [run.bold for run in paragraph.runs if "Khôi" in run.text] == [True]


def test_an_ampersand_in_a_tags_text_is_the_character(tmp_path):
    template = _one_line_template(
        tmp_path,
        'Gửi: {{ quyen_so|default("Ông & Bà", true) }}',
        '{% if dia_chi == "R&D" %}đúng{% else %}sai{% endif %}',
        "{{ 'a<b' if dia_chi|length > 1 else '' }}",
    )
    text = extract_text(template.render_bytes({"quyen_so": "", "dia_chi": "R&D"}))
    assert text.splitlines() == ["Gửi: Ông & Bà", "đúng", "a<b"]


def test_document_properties_render_like_the_body(tmp_path):
    document = Document()
    document.add_paragraph("Kính gửi: {{ kinh_gui }}")
    document.core_properties.title = "Thư gửi {{ ho_ten_tre }} & gia đình"
    document.core_properties.subject = "{{ ten_don_vi }}"
    document.core_properties.comments = "Mẫu của {{ ten_xa }}"
    document.save(str(tmp_path / "t.docx"))
    template = CompiledTemplate.from_path(tmp_path / "t.docx")
    assert {"ho_ten_tre", "ten_don_vi", "ten_xa"} <= template.fields
    properties = Document(
        io.BytesIO(template.render_bytes(sample_context("khai_sinh")))
    ).core_properties
    assert properties.title == "Thư gửi Nguyễn Minh Khôi & gia đình"
    assert properties.subject == "xã Phước Thành"
    assert properties.comments == "Mẫu của Phước Thành"


def test_after_a_column_loop_the_grid_has_a_column_per_cell(tmp_path):
    document = Document()
    table = document.add_table(rows=1, cols=3)
    for cell, text in zip(
        table.rows[0].cells, ["{%tc for c in cot %}", "{{ c }}", "{%tc endfor %}"]
    ):
        cell.text = text
    document.save(str(tmp_path / "t.docx"))
    template = CompiledTemplate.from_path(tmp_path / "t.docx")
    for columns in (["A"], ["A", "B", "C", "D", "E"]):
        body = etree.fromstring(
            zipfile.ZipFile(io.BytesIO(template.render_bytes({"cot": columns}))).read(
                "word/document.xml"
            )
        )
        w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
        grid = body.findall(f".//{w}tblGrid/{w}gridCol")
        assert len(grid) == len(columns) == len(body.findall(f".//{w}tr/{w}tc"))
        assert sum(int(g.get(f"{w}w")) for g in grid) == pytest.approx(
            sum(int(g.get(f"{w}w")) for g in Document(tmp_path / "t.docx").tables[0]._tbl.tblGrid),
            abs=len(columns),
        )


@pytest.mark.parametrize(
    "tag", ["{{ self }}", "{{ range }}", "{{ lipsum }}", "{{ cycler }}", "{{ None }}", "{{ true }}"]
)
def test_a_template_word_is_never_printed_as_a_value(tmp_path, tag):
    from hcpvnd_utils.letters.templates import check_template

    document = Document()
    document.add_paragraph(f"Cháu {tag}")
    document.save(str(tmp_path / "khai_sinh.docx"))
    (problem,) = check_template(tmp_path / "khai_sinh.docx", "khai_sinh")
    assert problem.code in ("E-TPL-01", "E-TPL-02") and problem.severity == "error"
    assert "not a value" not in problem.message and "TemplateReference" not in problem.message
