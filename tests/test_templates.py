"""Templates: the field catalogue, unit overrides, and checks that stop a run before any letter."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml import parse_xml
from word_templates import (
    add,
    content_control,
    custom_property,
    edit_package,
    field,
    footnote,
    paragraph,
    text_box,
)

from hcpvnd_utils import letterfields
from hcpvnd_utils.errors import TemplateError
from hcpvnd_utils.letters import templates
from hcpvnd_utils.letters.run import run_unit
from hcpvnd_utils.records import EVENTS

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "templates"
FIXTURES = Path(__file__).resolve().parent / "data" / "templates"


def fixture(name: str) -> Path:
    return FIXTURES / name


def hcpvnd(*args):
    """The command as a clerk runs it: (exit code, what it printed, its errors)."""
    proc = subprocess.run([sys.executable, "-m", "hcpvnd_utils", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, encoding="utf-8")  # fmt: skip
    return proc.returncode, proc.stdout, proc.stderr


@pytest.fixture
def templates_dir(tmp_path) -> Path:
    """A copy of the shipped templates the test may change."""
    folder = tmp_path / "templates"
    shutil.copytree(SHIPPED, folder, ignore=shutil.ignore_patterns("*.md"))
    return folder


# ---------------------------------------------------------------- the catalogue


@pytest.mark.parametrize("event", EVENTS)
def test_catalogue_examples_are_what_wording_gives(event):
    """The catalogue (and README) cannot drift from letter_context: same names, same values."""
    produced = letterfields.letter_context(
        event, templates.SAMPLE_RECORDS[event], templates.SAMPLE_UNIT, {}, templates.SAMPLE_DATE
    )
    assert produced == templates.sample_context(event)


@pytest.mark.parametrize("event", EVENTS)
def test_readme_lists_every_field_with_its_example(event):
    readme = (SHIPPED / "README.md").read_text(encoding="utf-8")
    for name, (_description, example) in templates.field_catalogue(event).items():
        assert f"`{name}`" in readme, name
        if isinstance(example, str):
            assert example in readme, (name, example)


@pytest.mark.parametrize("event", EVENTS)
def test_shipped_templates_pass_the_check_and_use_only_known_fields(event):
    path = SHIPPED / f"{event}.docx"
    assert templates.check_template(path, event) == []
    compiled = templates.compile_for_run(SHIPPED, "phuoc-thanh", [event])[event]
    assert compiled.fields <= set(templates.field_catalogue(event))


def test_birth_template_shows_clerks_how_paragraph_conditions_work():
    text = "\n".join(p.text for p in Document(SHIPPED / "khai_sinh.docx").paragraphs)
    assert "{%p if co_cha and co_me %}" in text and "{%p else %}" in text and "{%p endif %}" in text


@pytest.mark.parametrize("event", EVENTS)
def test_shipped_templates_page_setup_follows_decree_30(event):
    doc = Document(SHIPPED / f"{event}.docx")
    section = doc.sections[0]
    mm = 36000  # EMU per millimetre
    assert (round(section.page_width / mm), round(section.page_height / mm)) == (210, 297)
    assert (
        20 <= round(section.top_margin / mm) <= 25 and 20 <= round(section.bottom_margin / mm) <= 25
    )
    assert (
        30 <= round(section.left_margin / mm) <= 35 and 15 <= round(section.right_margin / mm) <= 20
    )
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size.pt == 14
    fonts = normal.element.rPr.rFonts
    for script in ("ascii", "hAnsi", "eastAsia", "cs"):
        assert fonts.get(
            f"{{http://schemas.openxmlformats.org/wordprocessingml/2006/main}}{script}"
        ) == ("Times New Roman")
    header = doc.tables[0]
    assert header.cell(0, 1).paragraphs[0].text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert header.cell(0, 1).paragraphs[1].text == "Độc lập - Tự do - Hạnh phúc"
    date_line = next(p for p in header.cell(0, 1).paragraphs if "ngay_thang" in p.text)
    assert all(run.italic for run in date_line.runs)


# ---------------------------------------------------------------- locating


def test_unit_override_wins_over_the_default(templates_dir):
    own = templates_dir / "phuoc-thanh" / "khai_sinh.docx"
    own.parent.mkdir()
    shutil.copy(fixture("split_runs.docx"), own)
    assert templates.template_for(templates_dir, "phuoc-thanh", "khai_sinh") == own
    assert (
        templates.template_for(templates_dir, "phuoc-thanh", "ket_hon")
        == templates_dir / "ket_hon.docx"
    )
    assert (
        templates.template_for(templates_dir, "phuoc-son", "khai_sinh")
        == templates_dir / "khai_sinh.docx"
    )
    compiled = templates.compile_for_run(templates_dir, "phuoc-thanh")
    assert compiled["khai_sinh"].path == own


@pytest.mark.parametrize(
    "name, event", [("khai_sinh.docx", "khai_sinh"), ("khai_tu.docx", "khai_tu"), ("x.docx", None)]
)
def test_event_of(name, event):
    assert templates.event_of(Path(name)) == event


# ---------------------------------------------------------------- checks


@pytest.mark.parametrize(
    "name, code, must_mention",
    [
        ("broken_tag.docx", "E-TPL-01", ["{% if co_cha %}", "endif"]),
        ("unclosed_brace.docx", "E-TPL-01", ["{{ ho_ten_tre }"]),
        ("if_across_table.docx", "E-TPL-01", ["Mẹ:"]),
        ("fails_on_data.docx", "E-TPL-01", ["“Cháu {{ ho_ten_tre.lay_ten() }}”", "lay_ten"]),
        ("unknown_field.docx", "E-TPL-02", ["“ho_ten_ong_noi”"]),
        ("unknown_field.docx", "E-TPL-02", ["“ho_ten_nguoi_mat”", "khai tử"]),
        ("unknown_field.docx", "E-TPL-02", ["“ho_ten_tr”", "“ho_ten_tre”"]),
        ("mergefield_unknown.docx", "E-TPL-02", ["“Tên ông nội”"]),
        ("not_a_docx.docx", "E-TPL-03", []),
    ],
)
def test_check_names_code_template_and_field(name, code, must_mention):
    problems = templates.check_template(fixture(name), "khai_sinh")
    assert problems, name
    matching = [p for p in problems if p.code == code and all(m in p.message for m in must_mention)]
    assert matching, [p.message for p in problems]
    problem = matching[0]
    assert problem.message.startswith(f"[{code}] ")
    assert name in problem.message and problem.file == name
    assert problem.severity == "error"


def test_missing_template_is_reported():
    problems = templates.check_template(FIXTURES / "khai_sinh_missing.docx", "khai_sinh")
    assert [p.code for p in problems] == ["E-TPL-04"]
    assert "khai_sinh_missing.docx" in problems[0].message


def test_condolence_template_with_wishes_gets_a_warning_not_an_error(templates_dir):
    problems = templates.check_template(fixture("cheerful_condolence.docx"), "khai_tu")
    assert {p.code for p in problems} == {"W-TPL-01"}
    assert all(p.severity == "warning" for p in problems)
    shutil.copy(fixture("cheerful_condolence.docx"), templates_dir / "khai_tu.docx")
    assert "khai_tu" in templates.compile_for_run(templates_dir, "phuoc-thanh")


@pytest.mark.parametrize("name", ["split_runs.docx", "mergefield.docx", "table_row_condition.docx"])
def test_fixtures_that_must_pass(name):
    assert templates.check_template(fixture(name), "khai_sinh") == []


def test_a_run_with_broken_templates_stops_listing_every_problem(templates_dir):
    own = templates_dir / "phuoc-thanh"
    own.mkdir()
    shutil.copy(fixture("broken_tag.docx"), own / "khai_sinh.docx")
    shutil.copy(fixture("not_a_docx.docx"), templates_dir / "khai_tu.docx")
    with pytest.raises(TemplateError) as caught:
        templates.compile_for_run(templates_dir, "phuoc-thanh")
    error = caught.value
    assert error.code == "E-TPL-05"
    assert [p.code for p in error.problems] == ["E-TPL-01", "E-TPL-03"]
    assert "phuoc-thanh/khai_sinh.docx" in str(error) and "khai_tu.docx" in str(error)
    assert "chưa tạo thư nào" in str(error)
    # another unit, with the defaults only, is stopped by the broken default khai_tu alone
    with pytest.raises(TemplateError) as other:
        templates.compile_for_run(templates_dir, "phuoc-son")
    assert [p.code for p in other.value.problems] == ["E-TPL-03"]


def test_check_all_walks_defaults_and_unit_overrides(templates_dir):
    own = templates_dir / "phuoc-thanh"
    own.mkdir()
    shutil.copy(fixture("unknown_field.docx"), own / "khai_sinh.docx")
    (own / "~$ai_sinh.docx").write_bytes(b"Word lock file")
    problems = templates.check_all(templates_dir)
    assert {p.code for p in problems} == {"E-TPL-02"}
    assert all(p.file == "phuoc-thanh/khai_sinh.docx" for p in problems)


@pytest.mark.parametrize("name", ["Khai_sinh.docx", "khai_sinh.DOCX", "khai_sinh.docx.docx"])
def test_a_units_template_named_almost_right_is_a_warning_naming_the_expected_name(
    templates_dir, name
):
    own = templates_dir / "phuoc-thanh"
    own.mkdir()
    shutil.copy(SHIPPED / "khai_sinh.docx", own / name)

    problems = templates.check_all(templates_dir)

    assert [(p.code, p.severity, p.file) for p in problems] == [
        ("W-TPL-07", "warning", f"phuoc-thanh/{name}")
    ]
    assert "phuoc-thanh/khai_sinh.docx" in problems[0].message
    assert "mẫu chung khai_sinh.docx" in problems[0].message


def test_a_template_folder_that_is_no_units_key_is_a_warning_suggesting_the_key(templates_dir):
    from hcpvnd_utils.config import UnitsConfig

    for folder in ("phuoc-thnah", "Phước Thành", "anh"):
        (templates_dir / folder).mkdir()
    shutil.copy(SHIPPED / "khai_sinh.docx", templates_dir / "phuoc-thnah" / "khai_sinh.docx")
    shutil.copy(SHIPPED / "khai_tu.docx", templates_dir / "Phước Thành" / "khai_tu.docx")
    (templates_dir / "anh" / "logo.png").write_bytes(b"png")  # not templates: nothing to say
    config = UnitsConfig(Path("units.yaml"), "vn-admin-pre-2025", "Bình Định", 52, "UBND tỉnh",
                         {"phuoc-thanh": templates.SAMPLE_UNIT}, None)  # fmt: skip

    problems = templates.misplaced_folders(templates_dir, config)

    assert [(p.code, p.severity) for p in problems] == [("W-TPL-06", "warning")] * 2
    assert all("Có phải “phuoc-thanh”?" in p.message for p in problems)
    assert "templates/phuoc-thnah/" in problems[1].message


def test_check_paths_for_the_command_line(templates_dir):
    own = templates_dir / "phuoc-thanh"
    own.mkdir()
    shutil.copy(fixture("broken_tag.docx"), own / "khai_sinh.docx")
    renamed = templates_dir / "mau_moi.docx"
    shutil.copy(SHIPPED / "khai_sinh.docx", renamed)
    everything = templates.check_paths(None, templates_dir)
    assert [(p.code, p.file) for p in everything] == [("E-TPL-01", "phuoc-thanh/khai_sinh.docx")]
    given = templates.check_paths([str(own / "khai_sinh.docx"), str(renamed)], templates_dir)
    assert [(p.code, p.file) for p in given] == [
        ("E-TPL-01", "phuoc-thanh/khai_sinh.docx"),
        ("E-TPL-06", "mau_moi.docx"),
    ]
    assert "khai_sinh.docx, ket_hon.docx, khai_tu.docx" in given[1].message
    assert templates.check_paths([str(templates_dir / "ket_hon.docx")], templates_dir) == []


def _template_with(tmp_path, *paragraphs: str) -> Path:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    path = tmp_path / "khai_sinh.docx"
    document.save(str(path))
    return path


@pytest.mark.parametrize(
    "tag, hint",
    [
        ("{{ ho_ten_tre.abc }}", "trường không có phần “.abc”"),  # would print a blank name
        ("{{ ho_ten_tre | hoa }}", "không có bộ lọc “hoa”"),
    ],
)
def test_a_tag_that_would_print_nothing_is_an_error_said_in_vietnamese(tmp_path, tag, hint):
    path = _template_with(tmp_path, "Kính gửi: {{ kinh_gui }}", f"Cháu {tag} vừa chào đời")

    (problem,) = templates.check_template(path, "khai_sinh")

    assert problem.code == "E-TPL-01" and hint in problem.message
    assert f"“Cháu {tag} vừa chào đời”" in problem.message
    assert "attribute" not in problem.message and "filter named" not in problem.message


def test_a_units_own_template_saved_as_doc_stops_the_run_instead_of_using_the_default(
    templates_dir,
):
    own = templates_dir / "phuoc-thanh"
    own.mkdir()
    (own / "khai_sinh.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)  # OLE

    with pytest.raises(TemplateError) as stopped:
        templates.compile_for_run(templates_dir, "phuoc-thanh")

    assert "phuoc-thanh/khai_sinh.doc" in str(stopped.value)
    assert [p.code for p in templates.check_all(templates_dir)] == ["E-TPL-03"]


# ---------------------------------------------------------------- paragraphs that would vanish


def test_a_one_brace_typo_in_a_units_condolence_template_stops_the_run(templates_dir):
    """Found trying it as a new user would: every letter lacked its Kính gửi and Địa chỉ."""
    own = templates_dir / "phuoc-thanh"
    own.mkdir()
    document = Document(templates_dir / "khai_tu.docx")
    greeting = next(p for p in document.paragraphs if "{{ kinh_gui }}" in p.text)
    run = next(r for r in greeting.runs if "kinh_gui" in r.text)
    run.text = run.text.replace("{{ kinh_gui }}", "{{ kinh_gui }")
    document.save(str(own / "khai_tu.docx"))

    problems = templates.check_all(templates_dir)

    assert [(p.code, p.file) for p in problems] == [("E-TPL-01", "phuoc-thanh/khai_tu.docx")]
    assert "“Kính gửi: {{ kinh_gui }”" in problems[0].message
    assert "thẻ {{ chưa được đóng bằng }}" in problems[0].message
    with pytest.raises(TemplateError):
        templates.compile_for_run(templates_dir, "phuoc-thanh", ["khai_tu"])


@pytest.mark.parametrize(
    ("paragraph", "detail"),
    [
        ("Kính gửi: { kinh_gui }}", "thừa dấu đóng }}"),
        ("Kính gửi: {{ kinh_gui }} }", "dấu ngoặc { hoặc } đứng lẻ"),
        ("Cháu {% if co_cha có cha", "thẻ {% chưa được đóng bằng %}"),
        ("Cháu {# ghi chú", "thẻ {# chưa được đóng bằng #}"),
        ("Địa chỉ: {{ dia_chi }} {%p if co_cha %}", "đoạn có thẻ {%p if co_cha %}"),
    ],
)
def test_a_broken_paragraph_is_refused_naming_it(tmp_path, paragraph, detail):
    path = _template_with(tmp_path, "Kính gửi: {{ kinh_gui }}", paragraph, "{%p endif %}")
    problems = templates.check_template(path, "khai_sinh")
    assert problems and all(p.code == "E-TPL-01" for p in problems)
    assert any(f"“{paragraph}”" in p.message and detail in p.message for p in problems), [
        p.message for p in problems
    ]


def test_a_table_row_holding_tr_tag_and_text_is_refused(tmp_path):
    document = Document()
    table = document.add_table(rows=2, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "{%tr if co_cha %}", "Cha"
    table.rows[1].cells[0].text = "{%tr endif %}"
    document.save(str(tmp_path / "khai_sinh.docx"))
    (problem,) = templates.check_template(tmp_path / "khai_sinh.docx", "khai_sinh")
    assert problem.code == "E-TPL-01" and "dòng bảng có thẻ {%tr if co_cha %}" in problem.message


def test_a_paragraph_no_sample_letter_shows_is_refused(tmp_path):
    path = _template_with(
        tmp_path, "Kính gửi:", "Xin chào {%- if co_cha %} {{ ho_ten_cha }}{% endif %}", "Hết."
    )
    (problem,) = templates.check_template(path, "khai_sinh")
    assert problem.code == "E-TPL-08" and "“Xin chào {%- if co_cha %}" in problem.message


def test_conditional_paragraphs_of_either_branch_are_not_vanishing(tmp_path):
    path = _template_with(
        tmp_path,
        "{%p if gioi_tinh_tre == 'Nữ' %}",
        "Chúc cháu gái ngoan.",
        "{%p else %}",
        "Chúc cháu trai ngoan.",
        "{%p endif %}",
        "Cháu {% if co_cha %}có cha{% endif %}.",
    )
    assert templates.check_template(path, "khai_sinh") == []


# ---------------------------------------------------------------- where the check looks


def test_a_folder_without_templates_is_not_all_usable(tmp_path):
    for folder in (tmp_path / "empty", tmp_path / "missing"):
        (tmp_path / "empty").mkdir(exist_ok=True)
        problems = templates.check_all(folder)
        assert [p.code for p in problems] == ["E-TPL-04"] * 3
        assert [Path(p.file).name for p in problems] == [f"{e}.docx" for e in EVENTS]


def test_a_template_name_is_looked_for_in_the_templates_folder(
    templates_dir, tmp_path, monkeypatch
):
    shutil.copy(fixture("unclosed_brace.docx"), templates_dir / "khai_sinh.docx")
    monkeypatch.chdir(tmp_path)
    (problem,) = templates.check_paths(["khai_sinh.docx"], templates_dir)
    assert problem.code == "E-TPL-01" and problem.file == "khai_sinh.docx"
    (missing,) = templates.check_paths(["phuoc-son/ket_hon.docx"], templates_dir)
    assert missing.code == "E-TPL-04" and "phuoc-son/ket_hon.docx" in missing.message


def test_a_paragraph_for_data_the_samples_do_not_have_is_not_vanishing(tmp_path):
    """A condolence letter with its own words for a child: the samples never meet it."""
    path = _template_with(
        tmp_path,
        "Kính gửi: {{ kinh_gui }}",
        "{%p if danh_xung_nguoi_mat == 'cháu' %}",
        "Vô cùng thương tiếc cháu {{ ho_ten_nguoi_mat }}.",
        "{%p endif %}",
        "{% if danh_xung_nguoi_mat == 'cháu' %}Cháu ra đi khi còn nhỏ.{% endif %}",
    )
    assert templates.check_template(path, "khai_tu") == []


@pytest.mark.parametrize(
    "tag",
    [
        "{{ ho_ten_tre.__class__.__mro__[1].__subclasses__() }}",
        "{{ ho_ten_tre.__init__.__globals__ }}",
        "{% set x = ho_ten_tre.__class__ %}{{ x }}",
    ],
)
def test_a_template_cannot_reach_python_itself(tmp_path, tag):
    """A template is a file from outside: a tag reaching into Python's objects is refused by the
    check and stops a run before any letter (the engine renders in jinja's sandbox)."""
    import docx

    path = tmp_path / "khai_sinh.docx"
    document = docx.Document()
    document.add_paragraph(f"Kính gửi {tag}")
    document.save(path)
    problems = templates.check_template(path, "khai_sinh")
    assert [p.code for p in problems] == ["E-TPL-01"]
    assert "không được phép" in problems[0].message


# ---------------------------------------------------------------- every part of a template

UNIT, PERIOD = "phuoc-son", "2024-07"  # the sample unit and month with condolence letters


def _header(text: str, first_page: bool = False):
    def build(document):
        section = document.sections[0]
        section.different_first_page_header_footer = first_page
        (section.first_page_header if first_page else section.header).paragraphs[0].text = text

    return build


def _runs_in_footer(*pieces: str):
    """Text typed in pieces (Word splits what a clerk types over runs)."""

    def build(document):
        footer = document.sections[0].footer.paragraphs[0]
        for piece in pieces:
            footer.add_run(piece)

    return build


def _in_part(kind: str, xml: str):
    def build(document):
        section = document.sections[0]
        container = {"header": section.header, "footer": section.footer}[kind]
        container._element.append(parse_xml(xml))

    return build


def _core(name: str, text: str):
    return lambda document: setattr(document.core_properties, name, text)


def _company(text: str):
    def after(path):
        edit_package(
            path, "docProps/app.xml", lambda xml: xml.replace("</Properties>",
                                                              f"<Company>{text}</Company></Properties>")
        )  # fmt: skip

    return after


def _note(kind: str, text: str):
    return lambda document: footnote(document, "Gia đình xin ghi nhận.", text, kind)


def _own_condolence_template(templates_dir: Path, build=None, after=None) -> Path:
    """The shipped condolence template, changed as an office would (``build`` on the document,
    ``after`` on the saved file), as phuoc-son's own."""
    document = Document(templates_dir / "khai_tu.docx")
    if build:
        build(document)
    path = templates_dir / UNIT / "khai_tu.docx"
    path.parent.mkdir(exist_ok=True)
    document.save(str(path))
    if after:
        after(path)
    return path


# (build, after, where the message says the text is, the text)
BROKEN_PARTS = {
    "header": (_header("Thư gửi { kinh_gui }}"), None, "đoạn trong phần đầu trang",
               "Thư gửi { kinh_gui }}"),
    "first-page header": (_header("{{ ho_ten_nguoi_mat }", first_page=True), None,
                          "đoạn trong phần đầu trang", "{{ ho_ten_nguoi_mat }"),
    "footer, typo split over runs": (_runs_in_footer("Kính gửi {", "{ kinh_gui }"), None,
                                     "đoạn trong phần chân trang", "Kính gửi {{ kinh_gui }"),
    "footnote": (_note("footnote", "Kính viếng { ho_ten_nguoi_mat }}"), None,
                 "đoạn trong phần chú thích cuối trang", "Kính viếng { ho_ten_nguoi_mat }}"),
    "endnote": (_note("endnote", "Kính viếng {% if tuoi_nguoi_mat"), None,
                "đoạn trong phần chú thích cuối văn bản", "Kính viếng {% if tuoi_nguoi_mat"),
    "text box in the body": (lambda d: add(d, text_box("Thư gửi { kinh_gui }}")), None,
                             "đoạn trong hộp văn bản", "Thư gửi { kinh_gui }}"),
    "text box in a header": (_in_part("header", text_box("Kính gửi: {{ kinh_gui }")), None,
                             "đoạn trong hộp văn bản ở phần đầu trang", "Kính gửi: {{ kinh_gui }"),
    "content control in a footer": (_in_part("footer", content_control("{ dia_chi }}")), None,
                                    "đoạn trong phần chân trang", "{ dia_chi }}"),
    "title": (_core("title", "Thư gửi { kinh_gui }}"), None,
              "thuộc tính tài liệu “Tiêu đề” (Tệp › Thông tin)", "Thư gửi { kinh_gui }}"),
    "comments": (_core("comments", "Chia buồn {% if co_con"), None,
                 "thuộc tính tài liệu “Chú thích” (Tệp › Thông tin)", "Chia buồn {% if co_con"),
    "company": (None, _company("UBND { ten_don_vi }}"),
                "thuộc tính tài liệu “Công ty” (Tệp › Thông tin)", "UBND { ten_don_vi }}"),
    "custom property": (None, lambda path: custom_property(path, "Người nhận", "{{ kinh_gui }"),
                        "thuộc tính tài liệu “Người nhận” (Tệp › Thông tin)", "{{ kinh_gui }"),
}  # fmt: skip


@pytest.mark.parametrize("kind", BROKEN_PARTS)
def test_a_broken_tag_in_any_part_is_refused_before_any_letter(templates_dir, tmp_path, kind):
    """A one-brace typo outside the body (no complete {{ in the part's XML) was never checked:
    the check said all templates are usable and every letter printed the typo."""
    build, after, where, text = BROKEN_PARTS[kind]
    _own_condolence_template(templates_dir, build, after)

    (problem,) = templates.check_all(templates_dir)
    assert (problem.code, problem.file) == ("E-TPL-01", f"{UNIT}/khai_tu.docx")
    assert f"thẻ trường bị hỏng ở {where} “{text}”" in problem.message

    code, out, _ = hcpvnd("templates", "check", "--templates-dir", templates_dir)
    assert code == 2 and problem.message in out and "đều dùng được" not in out
    outputs = tmp_path / "out"
    with pytest.raises(TemplateError) as stopped:
        run_unit(UNIT, PERIOD, outputs=outputs, templates=templates_dir)
    assert problem.message in stopped.value.message
    assert not list(outputs.rglob("*.docx"))


def test_broken_tags_in_several_parts_are_all_listed(templates_dir):
    def build(document):
        _header("Thư gửi { kinh_gui }}")(document)
        _runs_in_footer("{", "{ dia_chi }")(document)
        document.add_paragraph("Kính viếng {{ ho_ten_nguoi_mat }")
        document.core_properties.subject = "Chia buồn { kinh_gui }}"

    _own_condolence_template(templates_dir, build)
    found = {
        p.message.split(" ở ", 1)[1].split(" “")[0] for p in templates.check_all(templates_dir)
    }
    assert found == {"đoạn trong phần đầu trang", "đoạn trong phần chân trang", "đoạn",
                     "thuộc tính tài liệu"}  # fmt: skip


def _letter_parts(path: Path) -> dict[str, str]:
    """The visible text of every part of a letter (runs' text; properties' text)."""
    with zipfile.ZipFile(path) as zf:
        return {
            name: re.sub(r"<[^>]+>", "", zf.read(name).decode("utf-8"))
            for name in zf.namelist()
            if re.fullmatch(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml"
                            r"|docProps/(core|app|custom)\.xml", name)
        }  # fmt: skip


GUID = "{4B3D6F1A-2C5E-4A7B-9C1D-0E2F3A4B5C6D}"  # Word and add-ins keep such ids in properties


def test_sound_tags_in_every_part_print_in_every_letter(templates_dir, tmp_path):
    """The same parts with sound tags — one split over runs, as Word saves what a clerk types
    in pieces (it was never rendered outside the body) — pass the check and print in every
    letter of a real run; an identifier in a custom property is not a stray brace."""

    def build(document):
        _header("Thư gửi {{ kinh_gui }}")(document)
        _runs_in_footer("{", "{ ten_ubnd }}")(document)
        _in_part("header", text_box("Tin buồn: {{ nguoi_mat }}"))(document)
        _note("footnote", "Kính viếng {{ ho_ten_nguoi_mat }}")(document)
        document.core_properties.title = "Chia buồn {{ kinh_gui }}"

    _own_condolence_template(
        templates_dir,
        build,
        lambda p: custom_property(p, "Nơi gửi", "{{ ten_don_vi }}", _NewReviewCycle=GUID),
    )
    own = templates_dir / UNIT
    for variant in ("tre_em", "cao_tuoi"):  # the sample's rules choose these for some letters
        shutil.copy(own / "khai_tu.docx", own / f"khai_tu_{variant}.docx")
    assert templates.check_all(templates_dir) == []

    result = run_unit(UNIT, PERIOD, outputs=tmp_path / "out", templates=templates_dir)
    letters = sorted((tmp_path / "out").rglob("letters/khai_tu/*.docx"))
    assert len(letters) == result.summary["counts"]["khai_tu"]["letters"] > 0
    for letter in letters:
        parts = _letter_parts(letter)
        text = "\n".join(parts.values())
        assert "{" not in text.replace(GUID, "") and "}" not in text.replace(GUID, ""), letter.name
        header = "".join(v for k, v in parts.items() if k.startswith("word/header"))
        assert re.search(r"Thư gửi \w", header), letter.name
        assert "Tin buồn: " in header
        footer = "".join(v for k, v in parts.items() if k.startswith("word/footer"))
        assert "Ủy ban nhân dân xã Phước Sơn" in footer
        assert "Kính viếng " in parts["word/footnotes.xml"]
        assert "Chia buồn " in parts["docProps/core.xml"]
        assert "xã Phước Sơn" in parts["docProps/custom.xml"]


def test_a_vanishing_paragraph_and_an_unknown_field_outside_the_body_name_their_part(
    templates_dir,
):
    def build(document):
        _header("Xin chào {%- if huong_tho %} {{ kinh_gui }}{% endif %}")(document)
        _runs_in_footer("Ông {", "{ ho_ten_ong_noi }}")(document)

    _own_condolence_template(templates_dir, build)
    messages = [p.message for p in templates.check_all(templates_dir)]
    assert any("trường “ho_ten_ong_noi” ở phần chân trang không có" in m for m in messages), (
        messages
    )

    def vanishing(document):
        _header("Kính gửi:")(document)
        document.sections[0].header.add_paragraph(
            "Xin chào {%- if huong_tho %} {{ kinh_gui }}{% endif %}"
        )

    _own_condolence_template(templates_dir, vanishing)
    (vanished,) = templates.check_all(templates_dir)
    assert vanished.code == "E-TPL-08"
    assert "đoạn trong phần đầu trang “Xin chào {%- if huong_tho %}" in vanished.message


def test_a_condolence_letters_footer_with_wishes_gets_the_warning_naming_it(templates_dir):
    """The tone check read the body only: a footer's “Chúc mừng!” passed in every letter."""
    _own_condolence_template(templates_dir, _runs_in_footer("Chúc gia đình vui vẻ!"))
    problems = templates.check_all(templates_dir)
    assert {p.code for p in problems} == {"W-TPL-01"}
    assert all(
        "ở đoạn trong phần chân trang “Chúc gia đình vui vẻ!”" in p.message for p in problems
    )
    code, out, _ = hcpvnd("templates", "check", "--templates-dir", templates_dir)
    assert code == 1 and "[W-TPL-01]" in out and "phần chân trang" in out


def test_a_refused_word_field_in_a_header_names_the_header(templates_dir):
    header = paragraph("Ngày in: ", field(" DATE \\@ dd/MM/yyyy ", shown="01/01/2024"))
    _own_condolence_template(templates_dir, _in_part("header", header))
    (problem,) = templates.check_all(templates_dir)
    assert problem.code == "E-TPL-07"
    assert "khai_tu.docx: đoạn trong phần đầu trang “Ngày in: " in problem.message


def test_a_run_says_its_units_template_is_misnamed_or_in_a_misspelt_folder(templates_dir, tmp_path):
    (templates_dir / UNIT).mkdir()
    shutil.copy(SHIPPED / "khai_tu.docx", templates_dir / UNIT / "Khai_tu.docx")
    (templates_dir / "phuoc-sno").mkdir()
    shutil.copy(SHIPPED / "khai_sinh.docx", templates_dir / "phuoc-sno" / "khai_sinh.docx")
    (templates_dir / "phuoc-thnah").mkdir()  # another unit's typo: not this run's business
    shutil.copy(SHIPPED / "khai_sinh.docx", templates_dir / "phuoc-thnah" / "khai_sinh.docx")

    result = run_unit(UNIT, PERIOD, outputs=tmp_path / "out", templates=templates_dir)

    said = [(p.code, p.file) for p in result.warnings if p.code in ("W-TPL-06", "W-TPL-07")]
    assert said == [("W-TPL-07", f"{UNIT}/Khai_tu.docx"), ("W-TPL-06", "templates/phuoc-sno/")]
