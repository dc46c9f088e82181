"""Word's mail-merge fields as Word evaluates them: switches, IF rules, refusals with the field
and its paragraph named, names after export headers, templates saved by LibreOffice."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from word_templates import Xml, add, blank, field, if_field, merge, paragraph

from hcpvnd_utils.errors import TemplateError
from hcpvnd_utils.letters import wordformat
from hcpvnd_utils.letters.engine import BrokenTemplate, CompiledTemplate
from hcpvnd_utils.letters.fieldcodes import top_fields
from hcpvnd_utils.letters.fields import ON_THE_PAGE
from hcpvnd_utils.letters.templates import (
    check_template,
    compile_for_run,
    extract_text,
    sample_context,
)

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
EXAMPLES_FROM_THE_STANDARD = [  # ECMA-376 §17.16.4.2 and Word's help
    ("9", "00.00", "09.00"),
    ("15", "$###", "$ 15"),
    ("2456800", "$#,###,###", "$2,456,800"),
    ("95.4", "$###.00", "$ 95.40"),
    ("-80", "-##", "-80"),
    ("80", "-##", " 80"),
    ("10", "+##", "+10"),
    ("-10", "+##", "-10"),
    ("33", "##%", "33%"),
    ("1245.65", "$#,##0.00;-$#,##0.00", "$1,245.65"),
    ("-1245.65", "$#,##0.00;($#,##0.00)", "($1,245.65)"),
    ("0", "0.00;-0.00;'không'", "không"),
]


@pytest.mark.parametrize(("value", "picture", "shown"), EXAMPLES_FROM_THE_STANDARD)
def test_numeric_pictures_as_the_standard_shows_them(value, picture, shown):
    assert wordformat.word_number(value, picture) == shown


@pytest.mark.parametrize(
    ("value", "picture", "shown"),
    [
        ("1234", "#,##0", "1,234"),
        ("1234", "#.##0", "1.234"),  # the Vietnamese way of grouping thousands
        ("1234567", "#.##0", "1.234.567"),
        ("1234,5", "#.##0,00", "1.234,50"),
        ("7", "000", "007"),
        ("101", "'Số' 000", "Số 101"),
        ("01/2024", "000", "01/2024"),  # not a number: printed as it is
        ("", "000", ""),
    ],
)
def test_numeric_pictures_of_an_office(value, picture, shown):
    assert wordformat.word_number(value, picture) == shown


@pytest.mark.parametrize(
    ("value", "picture", "shown"),
    [
        ("02/9/2024", "dd/MM/yyyy", "02/09/2024"),
        ("02/9/2024", "d/M/yy", "2/9/24"),
        ("02/9/2024", "dd 'tháng' MM 'năm' yyyy", "02 tháng 09 năm 2024"),
        ("04/11/2024", "'ngày' d 'tháng' M 'năm' yyyy", "ngày 4 tháng 11 năm 2024"),
        ("04/11/2024", "dddd, d MMMM yyyy", "Thứ Hai, 4 tháng Mười Một 2024"),
        ("01/01/2025", "ddd d MMM", "T4 1 thg 1"),
        ("2024-10-15", "dd.MM.yyyy", "15.10.2024"),
        ("không rõ", "dd/MM/yyyy", "không rõ"),  # not a date: printed as it is, as Word does
        ("31/02/2024", "dd/MM/yyyy", "31/02/2024"),
        ("04/8/2024", "DD/MM/YYYY", "04/08/2024"),  # Word reads D as d and Y as y
        ("04/8/2024", "D MMMM YYYY", "4 tháng Tám 2024"),
        ("04/8/2024", "Dddd, d/M/yY", "Chủ Nhật, 4/8/24"),
    ],
)
def test_date_pictures_with_vietnamese_words(value, picture, shown):
    assert wordformat.word_date(value, picture) == shown


@pytest.mark.parametrize(
    ("value", "case", "shown"),
    [
        ("anh Lê Văn Tám", "firstcap", "Anh Lê Văn Tám"),  # the rest is left as it is
        ("nguyễn thị hường", "caps", "Nguyễn Thị Hường"),
        ("NGUYỄN", "caps", "NGUYỄN"),  # Word's Caps does not lower the rest
        ("xã phước thành", "upper", "XÃ PHƯỚC THÀNH"),
        ("ĐẶNG", "lower", "đặng"),
    ],
)
def test_case_switches_change_only_the_letters_word_changes(value, case, shown):
    assert wordformat.word_case(value, case) == shown


@pytest.mark.parametrize(
    ("left", "operator", "right", "result"),
    [
        ("Nam", "=", "Nam", True),
        ("nam", "=", "Nam", False),  # Word's comparison counts the case
        ("09", "=", "9", True),  # two numbers compare as numbers
        ("101", ">", "99", True),
        ("101", "<", "99", False),
        ("abc", ">", "abd", False),
        ("Trần Thị Bích Ngọc", "=", "Trần*", True),
        ("Nữ", "<>", "N?", False),
        ("", "=", "", True),
        ("x", "<=", "x", True),
    ],
)
def test_if_compares_as_word_does(left, operator, right, result):
    assert wordformat.word_compare(left, operator, right) is result


# ---------------------------------------------------------------- fields in templates


def _template(tmp_path: Path, *paragraphs: str, name: str = "khai_sinh.docx") -> Path:
    doc = blank()
    for xml in paragraphs:
        add(doc, xml)
    path = tmp_path / name
    doc.save(str(path))
    return path


def _text(path: Path, **changes) -> list[str]:
    context = sample_context("khai_sinh") | changes
    return extract_text(CompiledTemplate.from_path(path).render_bytes(context)).splitlines()


def test_an_office_rule_for_ong_ba_prints_for_each_letter(tmp_path):
    rule = if_field(merge("gioi_tinh_tre"), "=", '"Nam"', '"cháu trai"', '"cháu gái"')
    path = _template(tmp_path, paragraph("Gia đình vừa đón ", rule, " chào đời."))
    assert _text(path) == ["Gia đình vừa đón cháu trai chào đời."]
    assert _text(path, gioi_tinh_tre="Nữ") == ["Gia đình vừa đón cháu gái chào đời."]
    assert CompiledTemplate.from_path(path).fields == {"gioi_tinh_tre"}  # listed: the check sees it


def test_the_text_of_an_if_and_of_before_after_switches_is_printed_once_escaped(tmp_path):
    path = _template(
        tmp_path,
        paragraph(merge("ho_ten_cha", '\\b "Ông & Bà " \\f " <cha>"')),
        paragraph(if_field(merge("co_cha"), "=", '"True"', '"Cha & mẹ"', '"Mẹ <một mình>"')),
    )
    assert _text(path) == ["Ông & Bà Nguyễn Văn Cường <cha>", "Cha & mẹ"]
    assert _text(path, co_cha=False, ho_ten_cha="") == ["", "Mẹ <một mình>"]


def test_yes_no_fields_print_dung_sai_and_rules_compare_them_as_the_readme_says(tmp_path):
    path = _template(
        tmp_path,
        paragraph(if_field(merge("co_cha"), "=", '"Đúng"', '"cha và mẹ"', '"mẹ"')),
        paragraph(if_field(merge("co_me"), "<>", '"sai"', '"có mẹ"', '"không"')),
        paragraph(if_field(merge("co_cha"), "=", '"True"', '"có cha"', '"không"')),
        paragraph("Cha: ", merge("co_cha"), ", nhiều trẻ: ", merge("co_nhieu_tre")),
        paragraph(
            "{{ co_cha }} {% if co_cha == 'đúng' %}có{% endif %}"
            "{% if so_tre == 1 %} một cháu{% endif %}{% if so_tre != 1 %} các cháu{% endif %}"
        ),
    )
    assert _text(path) == ["cha và mẹ", "có mẹ", "có cha", "Cha: Đúng, nhiều trẻ: Sai",
                           "Đúng có một cháu"]  # fmt: skip
    other = sample_context("khai_sinh", flags=False)
    changed = {k: other[k] for k in ("co_cha", "co_me", "co_nhieu_tre", "so_tre")}
    assert _text(path, **changed) == ["mẹ", "không", "không", "Cha: Sai, nhiều trẻ: Đúng",
                                      "Sai  các cháu"]  # fmt: skip


def test_an_if_without_its_false_text_prints_nothing_when_false(tmp_path):
    path = _template(
        tmp_path, paragraph("A", if_field(merge("co_cha"), "=", '"True"', '" có cha"'))
    )
    assert _text(path) == ["A có cha"] and _text(path, co_cha=False) == ["A"]


@pytest.mark.parametrize(
    ("instruction", "named"),
    [
        (" NEXT ", "{ NEXT }"),
        (" NEXTIF so_dang_ky > 1 ", "{ NEXTIF so_dang_ky > 1 }"),
        (' SKIPIF "a" = "b" ', '{ SKIPIF "a" = "b" }'),
        (' ASK ten "Nhập tên:" ', '{ ASK ten "Nhập tên:" }'),
        (' FILLIN "Nhập tên:" ', '{ FILLIN "Nhập tên:" }'),
        (" DATABASE \\d x.xlsx ", "{ DATABASE \\d x.xlsx }"),
        (" MERGEREC ", "{ MERGEREC }"),
        (' DATE \\@ "dd/MM/yyyy" ', '{ DATE \\@ "dd/MM/yyyy" }'),
        (" INCLUDETEXT thu.docx ", "{ INCLUDETEXT thu.docx }"),
        (" GREETINGLINE ", "{ GREETINGLINE }"),
        (" = 2 + 2 ", "{ = 2 + 2 }"),
        (" MERGEFIELD so_dang_ky \\* CardText ", "{ MERGEFIELD so_dang_ky \\* CardText }"),
        (" MERGEFIELD so_dang_ky \\# x## ", "{ MERGEFIELD so_dang_ky \\# x## }"),
        (" MERGEFIELD so_dang_ky \\z ", "{ MERGEFIELD so_dang_ky \\z }"),
        (' IF "a" "b" ', '{ IF "a" "b" }'),
    ],
)
def test_a_field_we_do_not_evaluate_is_refused_naming_it_and_its_paragraph(
    tmp_path, instruction, named
):
    path = _template(
        tmp_path,
        paragraph("Kính gửi: ", merge("kinh_gui")),
        paragraph("Ghi chú ", field(instruction, shown="x")),
    )
    (problem,) = check_template(path, "khai_sinh")
    assert problem.code == "E-TPL-07" and problem.severity == "error"
    assert f"trường Word {named}" in problem.message
    assert "đoạn “Ghi chú x”" in problem.message and "Alt+F9" in problem.message
    with pytest.raises(BrokenTemplate):
        CompiledTemplate.from_path(path)  # the engine alone never leaves the field in a letter


def test_a_refused_field_stops_the_run_before_any_letter(tmp_path):
    _template(tmp_path, paragraph("Ghi chú ", field(" ASK ten ", shown="x")))
    with pytest.raises(TemplateError) as stopped:
        compile_for_run(tmp_path, "phuoc-thanh", ["khai_sinh"])
    assert "[E-TPL-07]" in str(stopped.value) and "{ ASK ten }" in str(stopped.value)


def test_fields_the_page_computes_stay_and_merge_fields_inside_them_are_refused(tmp_path):
    page = _template(tmp_path, paragraph("Trang ", field(" PAGE ", shown="1")))
    assert check_template(page, "khai_sinh") == []
    data = CompiledTemplate.from_path(page).render_bytes(sample_context("khai_sinh"))
    body = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert "> PAGE </w:instrText>" in body  # Word and LibreOffice number the pages
    link = _template(
        tmp_path, paragraph(field(' HYPERLINK "', merge("dia_chi"), '" ', shown="x")), name="x.docx"
    )
    (problem,) = check_template(link, "khai_sinh")
    assert problem.code == "E-TPL-07" and "MERGEFIELD" in problem.message


@pytest.mark.parametrize("name", ["None", "True", "False", "self", "not", "loop", "range", "if"])
def test_a_merge_field_named_like_a_template_word_is_an_unknown_field(tmp_path, name):
    path = _template(tmp_path, paragraph("Giá trị: ", merge(name)))
    (problem,) = check_template(path, "khai_sinh")
    assert problem.code == "E-TPL-02" and f"trường “{name}”" in problem.message
    assert "expected" not in problem.message and "None" not in problem.message.replace("“None”", "")


def test_merge_fields_named_after_export_headers_are_read_through_the_aliases(tmp_path):
    path = _template(
        tmp_path,
        paragraph("Cháu ", merge("Họ_và_tên"), " sinh ngày ", merge("Ngày_sinh"), "."),
        paragraph("Đăng ký ngày ", merge("Ngày_ĐK"), ", số ", merge("Số_ĐK"), "."),
    )
    (warning,) = check_template(path, "khai_sinh")
    assert warning.code == "W-TPL-02" and warning.severity == "warning"
    for shown in ("«Họ_và_tên» → {{ ho_ten_tre }}", "«Ngày_ĐK» → {{ ngay_dang_ky }}",
                  "«Ngày_sinh» → {{ ngay_sinh_tre }}", "«Số_ĐK» → {{ so_dang_ky }}"):  # fmt: skip
        assert shown in warning.message
    compiled = compile_for_run(tmp_path, "phuoc-thanh", ["khai_sinh"])["khai_sinh"]
    text = extract_text(compiled.render_bytes(sample_context("khai_sinh")))
    assert text.splitlines() == [
        "Cháu Nguyễn Minh Khôi sinh ngày 15/10/2024.",
        "Đăng ký ngày 04/11/2024, số 101.",
    ]


def test_the_same_header_means_the_person_of_the_letter(tmp_path):
    path = _template(tmp_path, paragraph(merge("Họ_và_tên")), name="khai_tu.docx")
    (warning,) = check_template(path, "khai_tu")
    assert "«Họ_và_tên» → {{ ho_ten_nguoi_mat }}" in warning.message


def test_a_merge_template_saved_by_libreoffice_is_flagged(tmp_path):
    path = _template(tmp_path, paragraph(merge("ho_ten_tre", "\\* Upper")))
    saved = tmp_path / "saved" / "khai_sinh.docx"
    saved.parent.mkdir()
    shutil.copy(path, saved)
    _replace_part(saved, "docProps/app.xml", b'<?xml version="1.0"?><Properties xmlns="'
                  b'http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
                  b"<Application>LibreOffice/7.4.7.2</Application></Properties>")  # fmt: skip
    assert check_template(path, "khai_sinh") == []
    (warning,) = check_template(saved, "khai_sinh")
    assert warning.code == "W-TPL-03" and "LibreOffice" in warning.message


def _replace_part(path: Path, name: str, data: bytes) -> None:
    with zipfile.ZipFile(path) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    parts[name] = data
    with zipfile.ZipFile(path, "w") as zf:
        for part, content in parts.items():
            zf.writestr(part, content)


def test_typographic_quotes_in_a_field_code_are_quotes(tmp_path):
    """Word's AutoCorrect may turn the quotes of a rule typed by hand into “ ”."""
    rule = if_field(merge("gioi_tinh_tre"), "=", "“Nam”", "“cháu trai”", "“cháu gái”")
    path = _template(tmp_path, paragraph("Gia đình vừa đón ", rule, "."))
    assert _text(path) == ["Gia đình vừa đón cháu trai."]
    assert _text(path, gioi_tinh_tre="Nữ") == ["Gia đình vừa đón cháu gái."]


def test_a_footer_with_only_page_numbers_stays_as_it_is(tmp_path):
    doc = blank()
    doc.add_paragraph("Cháu {{ ho_ten_tre }}")
    footer = doc.sections[0].footer.paragraphs[0]._p
    page = field(" PAGE ", shown="1").xml
    for element in etree.fromstring(f'<w:p xmlns:w="{W_NS}">{page}</w:p>'):
        footer.append(element)
    doc.save(str(tmp_path / "khai_sinh.docx"))
    compiled = CompiledTemplate.from_path(tmp_path / "khai_sinh.docx")
    assert not any(name.startswith("word/footer") for name in compiled.templates)  # not per letter


def test_the_offices_merge_letter_of_templates_readme_works_as_it_says(tmp_path):
    """templates/README.md, “Dùng mẫu trộn thư có sẵn của Word”: the example, as Word saves it."""
    rule = if_field(
        merge("Giới_tính"), "=", '"Nam"', '"cháu trai"', '"cháu gái"', shown="cháu trai"
    )
    path = _template(
        tmp_path,
        paragraph("Kính gửi: ", merge("Họ_tên_cha"), " và ", merge("Họ_tên_mẹ")),
        paragraph("UBND xã vui mừng được tin gia đình vừa đón ", rule),
        paragraph(merge("Họ_và_tên"), ", sinh ngày ", merge("Ngày_sinh"), "."),
    )
    (warning,) = check_template(path, "khai_sinh")
    readme = (Path(__file__).resolve().parents[1] / "templates" / "README.md").read_text("utf-8")
    mapped = warning.message.split("tệp xuất: ", 1)[1].split(". Kiểm tra")[0].split(", ")
    assert warning.code == "W-TPL-02" and len(mapped) == 3
    for pair in mapped:
        assert f"`{pair}`" in readme, pair
    compiled = compile_for_run(tmp_path, "phuoc-thanh", ["khai_sinh"])["khai_sinh"]
    letter = extract_text(compiled.render_bytes(sample_context("khai_sinh", flags=False)))
    assert letter.splitlines() == [
        "Kính gửi: Nguyễn Văn Cường và Trần Thị Bích Ngọc",
        "UBND xã vui mừng được tin gia đình vừa đón cháu gái",
        "Nguyễn Minh Khôi và Nguyễn Minh An, sinh ngày 15/10/2024.",  # the other branch: twins
    ]


def test_a_tag_typed_inside_a_word_rule_is_refused_not_printed(tmp_path):
    rule = if_field(merge("co_cha"), "=", '"True"', '"Cha: {{ ho_ten_cha }}"', '""')
    (problem,) = check_template(_template(tmp_path, paragraph(rule)), "khai_sinh")
    assert problem.code == "E-TPL-07" and "Insert Merge Field" in problem.message


def test_a_field_that_never_ends_is_refused(tmp_path):
    broken = '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    broken += '<w:r><w:instrText xml:space="preserve"> MERGEFIELD ho_ten_tre </w:instrText></w:r>'
    path = _template(tmp_path, paragraph("Cháu ", Xml(broken)), paragraph("Hết."))
    (problem,) = check_template(path, "khai_sinh")
    assert problem.code == "E-TPL-07" and "không có phần kết thúc" in problem.message


# ---------------------------------------------------------------- any template an office makes

PIECES = ["{{", "}}", "{%", "%}", "{#", "#}", "{", "}", "{%p if co_cha %}", "{%p endif %}",
          "{{ kinh_gui }}", "{%tr if co_me %}", "{%tc for c in 'ab' %}", "{{r ", "{{p ", "|e",
          '"', "'", "&", "<", "-%}", "{%-", "{_{", "}_}", "{% if co_cha %}", "{% endif %}",
          "{{ self }}", "x", " ", "Cháu", "{% hm %}", "{% vm %}", "{% colspan 2 %}"]  # fmt: skip
INSTRUCTIONS = [" MERGEFIELD ho_ten_tre ", " IF ", ' = "Nam" "a" "b" ', " NEXT ", " \\* Upper ",
                ' \\@ "dd/MM" ', ' \\# "0" ', " QUOTE ", '"', " PAGE ", " ASK x "]  # fmt: skip
TEXTS = st.lists(st.sampled_from(PIECES), min_size=1, max_size=6).map("".join)
FIELDS = st.lists(st.sampled_from(INSTRUCTIONS), min_size=1, max_size=3)


@settings(max_examples=40, deadline=None)
@given(texts=st.lists(TEXTS, min_size=1, max_size=4), fields=st.lists(FIELDS, max_size=2))
def test_any_template_gives_sound_letters_or_a_coded_problem(tmp_path_factory, texts, fields):
    """Whatever an office types: the check says what is wrong (never a traceback), and a
    template it accepts gives sound letters with no Word field of the merge left in them."""
    doc = blank()
    for text in texts:
        doc.add_paragraph(text)
    for parts in fields:
        add(doc, paragraph("Trường ", field(*parts[:1], merge("gioi_tinh_tre"), *parts[1:])))
    path = tmp_path_factory.mktemp("any") / "khai_sinh.docx"
    doc.save(str(path))
    problems = check_template(path, "khai_sinh")
    assert all(re.match(r"\[[EW]-TPL-\d\d\] ", p.message) for p in problems)
    if any(p.severity == "error" for p in problems):
        return
    compiled = compile_for_run(path.parent, "phuoc-thanh", ["khai_sinh"])["khai_sinh"]
    for flags in (True, False):
        data = compiled.render_bytes(sample_context("khai_sinh", flags))
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            body = etree.fromstring(zf.read("word/document.xml"))  # sound XML
        left = {f.kind() for f in top_fields(body)} - ON_THE_PAGE
        assert left == set()


@pytest.mark.parametrize("kind", [" DOCPROPERTY Title ", " TITLE ", " PAGE "])
def test_a_merge_field_nested_in_a_field_we_keep_is_refused(tmp_path, kind):
    path = _template(tmp_path, paragraph("T ", field(kind, merge("ho_ten_tre"), shown="r")))
    (problem,) = check_template(path, "khai_sinh")
    assert problem.code == "E-TPL-07" and "MERGEFIELD lồng bên trong" in problem.message
