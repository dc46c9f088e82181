"""Print files: many letters in one .docx, each on its own page, lists restarting per letter."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
import word_templates
from docx import Document
from lxml import etree

from hcpvnd_utils import pdf
from hcpvnd_utils.letters import printfile
from hcpvnd_utils.letters.engine import CompiledTemplate
from hcpvnd_utils.letters.printfile import print_file_bytes, write_print_file
from hcpvnd_utils.letters.templates import extract_text, sample_context

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "data" / "templates"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CHILDREN = ["Nguyễn Minh Khôi", "Trần Gia Hân", "Lê Bảo Ngọc", "Phạm Đức Anh", "Võ Thị Mai"]


def contexts(n: int) -> list[dict]:
    """n birth letters, the second one without a father."""
    out = []
    for index in range(n):
        context = sample_context("khai_sinh") | {
            "ho_ten_tre": CHILDREN[index],
            "kinh_gui": f"Gia đình số {index + 1}",
        }
        if index == 1:
            context |= {"co_cha": False, "ho_ten_cha": "", "danh_xung_cha": ""}
        out.append(context)
    return out


def document_xml(data: bytes) -> etree._Element:
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))


@pytest.fixture(scope="module")
def birth() -> CompiledTemplate:
    return CompiledTemplate.from_path(ROOT / "templates" / "khai_sinh.docx")


@pytest.mark.parametrize("n", [1, 2, 5])
def test_each_letter_starts_a_new_section_and_appears_once(birth, tmp_path, n):
    path = tmp_path / "in_khai_sinh.docx"
    write_print_file(birth, contexts(n), path)
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # written atomically
    doc = Document(path)  # opens with python-docx
    breaks = document_xml(path.read_bytes()).findall(f".//{W}pPr/{W}sectPr")
    assert len(breaks) == n - 1
    assert len(doc.sections) == n
    for section in doc.sections:  # every letter keeps the template's page: A4, Decree 30 margins
        assert section.start_type in (None, 2)  # 2 = WD_SECTION.NEW_PAGE (the default)
        assert (round(section.page_width.mm), round(section.left_margin.mm)) == (210, 30)
    text = extract_text(path)
    assert text.count("THƯ CHÚC MỪNG") == n
    for index in range(n):
        assert text.count(CHILDREN[index]) == 1
    assert "{{" not in text and "{%" not in text


def test_letters_keep_their_order_and_own_addressing(birth):
    text = extract_text(print_file_bytes(birth, contexts(3)))
    positions = [text.index(name) for name in CHILDREN[:3]]
    assert positions == sorted(positions)
    letters = text.split("THƯ CHÚC MỪNG")[1:]
    assert "Kính gửi: Gia đình số 2" in letters[1]  # the letter without a father
    assert "Kính gửi: Anh Nguyễn Văn Cường và chị Trần Thị Bích Ngọc" in letters[0]


def test_one_letter_print_file_matches_the_single_letter(birth):
    context = contexts(1)[0]
    assert extract_text(print_file_bytes(birth, [context])) == extract_text(
        birth.render_bytes(context)
    )


def test_numbered_lists_restart_in_each_letter():
    template = CompiledTemplate.from_path(FIXTURES / "numbered_list.docx")
    data = print_file_bytes(template, contexts(3))
    body = document_xml(data)
    numbering = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/numbering.xml"))
    nums = {n.get(f"{W}numId"): n for n in numbering.iter(f"{W}num")}
    per_letter, current = [], None
    for paragraph in body.iter(f"{W}p"):
        num = paragraph.find(f"{W}pPr/{W}numPr/{W}numId")
        if "Thư gửi" in "".join(paragraph.itertext()):
            current = []
            per_letter.append(current)
        elif num is not None:
            current.append(num.get(f"{W}val"))
    assert [len(ids) for ids in per_letter] == [3, 3, 3]
    ids = [letter[0] for letter in per_letter]
    assert len(set(ids)) == 3 and all(len(set(letter)) == 1 for letter in per_letter)
    abstract = {nums[i].find(f"{W}abstractNumId").get(f"{W}val") for i in ids}
    assert len(abstract) == 1  # same list style, new counters
    for later in ids[1:]:
        assert nums[later].find(f"{W}lvlOverride/{W}startOverride").get(f"{W}val") == "1"


def test_bookmarks_are_unique_across_letters():
    template = CompiledTemplate.from_path(FIXTURES / "numbered_list.docx")
    body = document_xml(print_file_bytes(template, contexts(3)))
    names = [b.get(f"{W}name") for b in body.iter(f"{W}bookmarkStart")]
    ids = [b.get(f"{W}id") for b in body.iter(f"{W}bookmarkStart")]
    assert len(names) == 3 and len(set(names)) == 3 and len(set(ids)) == 3


def test_headers_with_fields_get_a_copy_per_letter(tmp_path):
    template = CompiledTemplate.from_path(FIXTURES / "header_field.docx")
    path = tmp_path / "print.docx"
    write_print_file(template, contexts(3), path)
    doc = Document(path)
    headers = [section.header.paragraphs[0].text for section in doc.sections]
    assert headers == [f"Thư gửi Gia đình số {i}" for i in (1, 2, 3)]
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None
        types = zf.read("[Content_Types].xml").decode()
    assert len(re.findall(r"/word/header1_l\d\.xml", types)) == 3


def test_print_file_needs_letters(birth, tmp_path):
    with pytest.raises(ValueError):
        write_print_file(birth, [], tmp_path / "empty.docx")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "last_paragraph",
    [
        "<w:p><w:r><w:t>Ký tên</w:t></w:r></w:p>",
        "<w:p><w:pPr/><w:r><w:t>Ký tên</w:t></w:r></w:p>",
        '<w:p w:rsidR="1"><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:t>Ký tên</w:t></w:r></w:p>',
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Ký tên</w:t></w:r></w:p></w:tc></w:tr></w:tbl>",
    ],
)
def test_section_break_goes_into_the_last_paragraph_or_after_a_table(last_paragraph):
    sect = '<w:sectPr><w:type w:val="continuous"/><w:pgSz w:w="11906" w:h="16838"/></w:sectPr>'
    xml = printfile._end_section("<w:p><w:r><w:t>Thư</w:t></w:r></w:p>" + last_paragraph, sect)
    root = etree.fromstring(f'<w:body xmlns:w="{W[1:-1]}">{xml}</w:body>')
    breaks = root.findall(f".//{W}pPr/{W}sectPr")
    assert len(breaks) == 1 and breaks[0].find(f"{W}type") is None  # a new page, not continuous
    assert all(len(p.findall(f"{W}pPr")) <= 1 for p in root.iter(f"{W}p"))
    assert "".join(root.itertext()).endswith("Ký tên")
    assert (
        len(root.findall(f"{W}p")) == 2 and root[-1].tag == f"{W}p"
    )  # a table gets a paragraph after it


# ---------------------------------------------------------------- fields of each letter


def _notes_by_id(data: bytes) -> dict[str, str]:
    notes = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/footnotes.xml"))
    return {
        note.get(f"{W}id"): "".join(t.text or "" for t in note.iter(f"{W}t"))
        for note in notes.iter(f"{W}footnote")
    }


def test_each_letter_keeps_its_own_footnotes(tmp_path):
    doc = word_templates.blank()
    word_templates.footnote(doc, "Cháu {{ ho_ten_tre }}", "Ghi chú về cháu {{ ho_ten_tre }}")
    doc.save(str(tmp_path / "khai_sinh.docx"))
    data = print_file_bytes(CompiledTemplate.from_path(tmp_path / "khai_sinh.docx"), contexts(3))

    notes = _notes_by_id(data)
    references = [r.get(f"{W}id") for r in document_xml(data).iter(f"{W}footnoteReference")]
    assert [notes[r] for r in references] == [f"Ghi chú về cháu {c}" for c in CHILDREN[:3]]
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        rels = zf.read("word/_rels/document.xml.rels").decode()
        assert rels.count("relationships/footnotes") == 1 and zf.testzip() is None


@pytest.mark.skipif(pdf.find_soffice() is None, reason="LibreOffice not installed")
def test_a_title_shown_by_a_bound_content_control_is_each_letters_own(tmp_path):
    """Word (and LibreOffice) fill a content control bound to the Title property from the
    file's one core.xml: each letter must show its own title, not the first letter's."""
    doc = word_templates.lines(word_templates.blank(), "Kính gửi: {{ kinh_gui }}")
    doc.core_properties.title = "Thư gửi cháu {{ ho_ten_tre }}"
    word_templates.bound_title(doc, "Thư gửi cháu {{ ho_ten_tre }}")
    doc.save(str(tmp_path / "khai_sinh.docx"))
    template = CompiledTemplate.from_path(tmp_path / "khai_sinh.docx")
    single, several = tmp_path / "mot_thu.docx", tmp_path / "ban_in.docx"
    template.write(contexts(1)[0], single)
    write_print_file(template, contexts(3), several)

    converted = pdf.convert([single, several])
    pages = [" ".join(pdf.pdf_text(converted.pdfs[p]).split()) for p in (single, several)]

    assert f"Thư gửi cháu {CHILDREN[0]}" in pages[0]
    assert all(f"Thư gửi cháu {child}" in pages[1] for child in CHILDREN[:3])
    assert "{{" not in pages[0] + pages[1]
