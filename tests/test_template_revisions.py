"""A template edited with Track Changes on, with comments, or kept as a Word mail-merge main
document: letters are made from the accepted version, without comments or merge settings."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from hcpvnd_utils.letters import templates
from hcpvnd_utils.letters.catalogue import sample_context

W = nsdecls("w")
WHO = 'w:author="Cán bộ" w:date="2024-08-20T08:00:00Z"'


def _deleted_paragraph(text: str, rid: int) -> str:
    """A whole paragraph deleted with Track Changes on: its text and its paragraph mark."""
    return (
        f'<w:p {W}><w:pPr><w:rPr><w:del w:id="{rid}" {WHO}/></w:rPr></w:pPr>'
        f'<w:del w:id="{rid + 1}" {WHO}><w:r><w:delText xml:space="preserve">{text}'
        "</w:delText></w:r></w:del></w:p>"
    )


def _tracked_template(tmp_path: Path) -> Path:
    document = Document()
    body = document.element.body
    paragraphs = [
        f'<w:p {W}><w:commentRangeStart w:id="7"/><w:r><w:t xml:space="preserve">Kính gửi: '
        '{{ kinh_gui }}</w:t></w:r><w:commentRangeEnd w:id="7"/>'
        '<w:r><w:commentReference w:id="7"/></w:r></w:p>',
        _deleted_paragraph("{%p if dia_chi == 'không có' %}", 10),
        f'<w:p {W}><w:r><w:t xml:space="preserve">Cháu {{{{ ho_ten_tre }}}}</w:t></w:r>'
        f'<w:ins w:id="20" {WHO}><w:r><w:t xml:space="preserve"> chào đời</w:t></w:r></w:ins>'
        f'<w:del w:id="21" {WHO}><w:r><w:delText xml:space="preserve"> ra đời</w:delText>'
        "</w:r></w:del></w:p>",
        _deleted_paragraph("{%p endif %}", 30),
        f'<w:p {W}><w:r><w:rPr><w:b/><w:rPrChange w:id="40" {WHO}><w:rPr/></w:rPrChange>'
        "</w:rPr><w:t>Trân trọng!</w:t></w:r></w:p>",
    ]
    for xml in paragraphs:
        body.insert(len(body) - 1, parse_xml(xml))
    path = tmp_path / "khai_sinh.docx"
    document.save(str(path))
    return path


def _letter(folder: Path) -> bytes:
    compiled = templates.compile_for_run(folder, "x", ["khai_sinh"])["khai_sinh"]
    return compiled.render_bytes(sample_context("khai_sinh"))


def test_letters_from_a_template_with_tracked_changes_use_the_accepted_version(tmp_path):
    _tracked_template(tmp_path)
    context = sample_context("khai_sinh")

    letter = _letter(tmp_path)

    text = templates.extract_text(letter)
    assert text.split("\n")[-3:] == [
        f"Kính gửi: {context['kinh_gui']}",
        f"Cháu {context['ho_ten_tre']} chào đời",
        "Trân trọng!",
    ]
    xml = zipfile.ZipFile(io.BytesIO(letter)).read("word/document.xml").decode()
    for mark in ("<w:del ", "<w:ins ", "delText", "rPrChange", "commentRangeStart",
                 "commentReference", "{%"):  # fmt: skip
        assert mark not in xml
    assert "<w:b/>" in xml  # the formatting as it is now stays


def test_check_says_a_tracked_template_is_usable_with_a_notice(tmp_path):
    path = _tracked_template(tmp_path)

    problems = templates.check_template(path, "khai_sinh")

    assert [(p.code, p.severity) for p in problems] == [("W-TPL-05", "warning")]
    assert "Track Changes" in problems[0].message and "chấp nhận" in problems[0].message


def test_a_template_without_changes_has_no_notice(tmp_path):
    document = Document()
    document.add_paragraph("Kính gửi: {{ kinh_gui }}")
    path = tmp_path / "khai_sinh.docx"
    document.save(str(path))

    assert templates.check_template(path, "khai_sinh") == []


def test_letters_from_a_mail_merge_main_document_carry_no_merge_settings(tmp_path):
    document = Document()
    document.add_paragraph("Kính gửi: {{ kinh_gui }}")
    source = tmp_path / "plain.docx"
    document.save(str(source))
    merge = (
        '<w:mailMerge><w:mainDocumentType w:val="formLetters"/><w:linkToQuery/>'
        '<w:dataType w:val="native"/><w:connectString w:val="Data Source=C:\\HoTich\\ds.xlsx"/>'
        '<w:query w:val="SELECT * FROM `Sheet1$` "/><w:dataSource r:id="rIdMerge"/></w:mailMerge>'
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns='
        '"http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id='
        '"rIdMerge" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'mailMergeSource" Target="file:///C:\\HoTich\\ds.xlsx" TargetMode="External"/>'
        "</Relationships>"
    )
    path = tmp_path / "khai_sinh.docx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(path, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "word/settings.xml":
                text = data.decode()
                start = text.index(">", text.index("<w:settings")) + 1
                data = (text[:start] + merge + text[start:]).encode()
            zout.writestr(info, data)
        zout.writestr("word/_rels/settings.xml.rels", rels)
    source.unlink()

    letter = zipfile.ZipFile(io.BytesIO(_letter(tmp_path)))

    assert b"mailMerge>" not in letter.read("word/settings.xml")
    assert b"HoTich" not in letter.read("word/_rels/settings.xml.rels")
