"""Hostile narratives and annexes: each ends in a coded Vietnamese message or a correct report,
never a traceback. Tracked changes and comments are refused (a signed report must not carry
them); .doc, .odt and .rtf are converted with LibreOffice when it is there, else the analyst is
told how to save as .docx; password-protected, corrupt, foreign and oversized files are refused."""

from __future__ import annotations

import importlib.util
import random
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from narrative_fixtures import (
    copy_to,
    report,
    requires_soffice,
    section_heading,
    soffice_convert,
    text,
    write,
)
from report_fixtures import PILOT, pilot_place

from hcpvnd_utils import pdf
from hcpvnd_utils.cli.main import main
from hcpvnd_utils.errors import HcpvndError
from hcpvnd_utils.report.document import extract_text

DATA = Path(__file__).parent / "data"


@pytest.fixture
def place(tmp_path):
    return pilot_place(tmp_path)


def narrative_path(place) -> Path:
    return place["inputs"] / "narratives" / f"{PILOT.label}.docx"


def refused(place, code: str) -> str:
    with pytest.raises(HcpvndError) as caught:
        report(place)
    assert caught.value.code == code, caught.value.message
    assert "Traceback" not in caught.value.message
    return caught.value.message


def _cfb(streams: dict) -> bytes:
    spec = importlib.util.spec_from_file_location("make_fixtures", DATA / "make_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module._cfb(streams)


# ---------------------------------------------------------------- what a signed report must not carry


def _tracked(doc) -> None:
    paragraph = section_heading(doc, "han_che")._p.getnext()
    inserted = (
        f'<w:ins {nsdecls("w")} w:id="91" w:author="Chuyên viên" w:date="2024-06-01T09:00:00Z">'
        "<w:r><w:t>thêm sau</w:t></w:r></w:ins>"
    )
    paragraph.append(parse_xml(inserted))


def _deleted(doc) -> None:
    paragraph = section_heading(doc, "nhiem_vu")._p.getnext()
    removed = (
        f'<w:del {nsdecls("w")} w:id="92" w:author="Chuyên viên" w:date="2024-06-01T09:00:00Z">'
        "<w:r><w:delText>đã xóa</w:delText></w:r></w:del>"
    )
    paragraph.append(parse_xml(removed))


def _reformatted(doc) -> None:
    run = section_heading(doc, "han_che")._p.getnext().xpath("./w:r")[0]
    change = (
        f'<w:rPrChange {nsdecls("w")} w:id="93" w:author="Chuyên viên" '
        'w:date="2024-06-01T09:00:00Z"><w:rPr/></w:rPrChange>'
    )
    run.get_or_add_rPr().append(parse_xml(change))


@pytest.mark.parametrize("change", [_tracked, _deleted, _reformatted], ids=["ins", "del", "format"])
def test_tracked_changes_not_accepted_are_refused_naming_the_section(place, change):
    write(place["inputs"], {"han_che": text("Thư gửi chậm."), "nhiem_vu": text("Nhân rộng.")},
          edit=change)  # fmt: skip
    message = refused(place, "E-NARR-04")
    assert "Chấp nhận mọi thay đổi" in message and str(narrative_path(place)) in message
    assert "phần “III.2. Tồn tại, hạn chế”" in message or "phần “IV." in message


def test_comments_left_in_are_refused(place):
    def comment(doc):
        paragraph = section_heading(doc, "han_che")._p.getnext()
        runs = [r for r in doc.paragraphs if r._p is paragraph][0].runs
        doc.add_comment(runs, text="Xem lại số liệu", author="Trưởng phòng")

    write(place["inputs"], {"han_che": text("Thư gửi chậm.")}, edit=comment)
    message = refused(place, "E-NARR-05")
    assert "Xóa mọi ghi chú" in message and "phần “III.2. Tồn tại, hạn chế”" in message


def test_an_annex_with_tracked_changes_is_refused_too(place):
    write(place["inputs"], {})
    annex = Document()
    annex.add_paragraph("Phụ lục thử", style="Title")
    paragraph = annex.add_paragraph("Nội dung")
    paragraph._p.append(parse_xml(
        f'<w:ins {nsdecls("w")} w:id="1" w:author="A" w:date="2024-06-01T09:00:00Z">'
        "<w:r><w:t>x</w:t></w:r></w:ins>"
    ))  # fmt: skip
    target = place["inputs"] / "narratives" / PILOT.label / "phu_luc_01.docx"
    target.parent.mkdir(parents=True)
    annex.save(str(target))
    assert str(target) in refused(place, "E-NARR-04")


# ---------------------------------------------------------------- files that are not a .docx


def _workbook(path: Path) -> None:
    openpyxl.Workbook().save(path)


@pytest.mark.parametrize(
    "make, code",
    [
        (
            lambda p: p.write_bytes(
                _cfb({"EncryptionInfo": b"\x04\x00" * 8, "EncryptedPackage": b"\x00" * 64})
            ),
            "E-NARR-03",
        ),  # fmt: skip
        (lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]), "E-NARR-02"),
        (lambda p: p.write_bytes(b""), "E-NARR-02"),
        (lambda p: p.write_text("Nhận định viết trong Notepad", encoding="utf-8"), "E-NARR-02"),
        (_workbook, "E-NARR-02"),
    ],
    ids=["password_protected", "truncated_zip", "zero_bytes", "text_renamed", "xlsx_renamed"],
)
def test_a_file_that_cannot_be_read_is_refused_in_vietnamese(place, make, code):
    path = write(place["inputs"], {})
    make(path)
    message = refused(place, code)
    assert str(path) in message and ".docx" in message


def test_a_file_over_the_size_limit_is_refused_with_how_to_compress_pictures(place):
    path = write(place["inputs"], {})
    with path.open("r+b") as handle:  # a sparse file: the size is what is checked
        handle.truncate(101 * 2**20)
    message = refused(place, "E-NARR-08")
    assert "101 MB" in message and "Nén ảnh" in message


@requires_soffice()
@pytest.mark.parametrize("suffix", [".odt", ".rtf", ".doc"])
def test_doc_odt_and_rtf_are_converted_with_libreoffice(place, tmp_path, suffix):
    source = write(place["inputs"], {"han_che": lambda w: w.numbered(["Chậm.", "Thiếu."])})
    converted = soffice_convert(source, suffix, tmp_path)
    source.unlink()
    copy_to(converted, source.with_suffix(suffix))
    written = report(place)
    assert any(m.startswith("[I-NARR-05]") and suffix in m for m in written.messages)
    text_ = extract_text(Document(str(written.draft)))
    assert "2. Tồn tại, hạn chế\nChậm.\nThiếu.\n3. Nguyên nhân" in text_


@requires_soffice()
def test_a_word_97_file_saved_with_the_docx_name_is_converted_too(place, tmp_path):
    source = write(place["inputs"], {"han_che": text("Chậm.")})
    legacy = soffice_convert(source, ".doc", tmp_path)
    source.write_bytes(legacy.read_bytes())
    assert "2. Tồn tại, hạn chế\nChậm." in extract_text(Document(str(report(place).draft)))


def _odt(path: Path) -> None:
    """An OpenDocument text as LibreOffice writes one (its first entry says what it is)."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")


def test_without_libreoffice_an_odt_says_how_to_save_as_docx(place, monkeypatch):
    source = write(place["inputs"], {})
    source.unlink()
    _odt(source.with_suffix(".odt"))
    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    message = refused(place, "E-NARR-06")
    assert "OpenDocument (.odt)" in message and "Lưu thành (Save As)" in message


def test_an_annex_that_is_not_a_word_file_is_left_out_and_said(place):
    write(place["inputs"], {})
    folder = place["inputs"] / "narratives" / PILOT.label
    folder.mkdir()
    (folder / "phu_luc_01_bang.xlsx").write_bytes(b"")
    (folder / "~$phu_luc_02.docx").write_bytes(b"lock")  # Word's lock file: not an annex
    written = report(place)
    (note,) = [m for m in written.messages if m.startswith("[W-NARR-05]")]
    assert "phu_luc_01_bang.xlsx" in note


# ---------------------------------------------------------------- 50 MB of pictures


def _noise(path: Path, seed: int, side: int = 1300) -> Path:
    from PIL import Image

    pixels = random.Random(seed).randbytes(side * side * 3)  # incompressible
    Image.frombytes("RGB", (side, side), pixels).save(path)
    return path


@pytest.mark.slow
def test_fifty_megabytes_of_pictures_make_a_correct_report(place, tmp_path):
    images = [_noise(tmp_path / f"anh_{i}.png", i) for i in range(11)]

    def photos(w):
        w.paragraph("Ảnh hội nghị ra mắt mô hình:")
        for image in images:
            w.picture(image, 15)

    path = write(place["inputs"], {"chi_dao": photos})
    assert path.stat().st_size > 50 * 2**20
    written = report(place)
    doc = Document(str(written.draft))
    assert len(doc.inline_shapes) == 3 + 11
    assert written.draft.stat().st_size > 50 * 2**20
    assert "Ảnh hội nghị ra mắt mô hình:" in extract_text(doc)


# ---------------------------------------------------------------- through the command


@pytest.mark.slow
def test_the_report_command_says_the_problem_and_exits_2_without_a_traceback(place, capsys):
    write(place["inputs"], {}, edit=_tracked)
    code = main(["report", "--period", PILOT.argument, "--inputs", str(place["inputs"]),
                 "--outputs", str(place["outputs"])])  # fmt: skip
    shown = capsys.readouterr()
    assert code == 2
    assert "[E-NARR-04]" in shown.err and "Traceback" not in shown.out + shown.err


# ---------------------------------------------------------------- narratives not made from the skeleton

WRITER_FLAT_ODT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" office:version="1.3"
 office:mimetype="application/vnd.oasis.opendocument.text"><office:body><office:text>
<text:h text:outline-level="1">Ưu điểm</text:h>
<text:p>Nhiều ưu điểm<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation>
<text:note-body><text:p>Chú thích viết trong LibreOffice.</text:p></text:note-body></text:note>.</text:p>
<text:list><text:list-item><text:p>Một</text:p></text:list-item>
<text:list-item><text:p>Hai</text:p></text:list-item></text:list>
<text:h text:outline-level="1">Tồn tại, hạn chế</text:h>
<text:list><text:list-item><text:p>Ba</text:p></text:list-item>
<text:list-item><text:p>Bốn</text:p></text:list-item></text:list>
</office:text></office:body></office:document>"""


@requires_soffice()
def test_a_narrative_written_from_scratch_in_libreoffice_is_composed(place, tmp_path):
    """Its own headings, lists and footnote, and the values LibreOffice writes that python-docx
    does not know (w:jc "start"): composed, and the sections it lacks are said."""
    flat = tmp_path / "nhan_dinh.fodt"
    flat.write_text(WRITER_FLAT_ODT, encoding="utf-8")
    copy_to(soffice_convert(flat, ".docx", tmp_path), narrative_path(place))
    written = report(place)
    assert any(m.startswith("[W-NARR-01]") and "III.3. Nguyên nhân" in m for m in written.messages)
    doc = Document(str(written.draft))
    text_ = extract_text(doc)
    assert (
        "1. Ưu điểm\nNhiều ưu điểm.\nMột\nHai\n2. Tồn tại, hạn chế\nBa\nBốn\n3. Nguyên nhân"
        in text_
    )
    footnotes = next(
        r.target_part for r in doc.part.rels.values() if r.reltype.endswith("/footnotes")
    )
    assert "Chú thích viết trong LibreOffice." in footnotes.blob.decode("utf-8")


def test_headings_inside_a_content_control_still_count(place):
    def controlled(doc):
        heading = section_heading(doc, "han_che")._p
        content = heading.getnext()
        sdt = parse_xml(f"<w:sdt {nsdecls('w')}><w:sdtPr/><w:sdtContent/></w:sdt>")
        heading.addprevious(sdt)
        sdt[1].append(heading)
        sdt[1].append(content)

    write(place["inputs"], {"han_che": text("Trong ô nội dung.")}, edit=controlled)
    written = report(place)
    assert not [m for m in written.messages if m.startswith("[W-")]
    assert "2. Tồn tại, hạn chế\nTrong ô nội dung.\n3." in extract_text(
        Document(str(written.draft))
    )


# ---------------------------------------------------------------- packages with broken references


def _rewrite(path: Path, drop=(), edit=None) -> None:
    """The .docx with some parts dropped and document.xml edited (what other tools leave)."""
    with zipfile.ZipFile(path) as archive:
        entries = [(i.filename, archive.read(i)) for i in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            if name in drop:
                continue
            if name == "word/_rels/document.xml.rels":
                data = re.sub(rb"<Relationship[^>]*(?:%s)[^>]*/>" % b"|".join(
                    re.escape(Path(d).name.encode()) for d in drop), b"", data) if drop else data  # fmt: skip
            if name == "word/document.xml" and edit:
                data = edit(data)
            archive.writestr(name, data)


def _footnote_without_note(doc) -> None:
    paragraph = section_heading(doc, "han_che")._p.getnext()
    paragraph.append(parse_xml(f'<w:r {nsdecls("w")}><w:footnoteReference w:id="5"/></w:r>'))


def test_a_footnote_reference_without_its_footnote_and_a_missing_numbering_part_compose(place):
    path = write(place["inputs"], {"han_che": lambda w: w.numbered(["Chậm.", "Thiếu."])},
                 edit=_footnote_without_note)  # fmt: skip
    _rewrite(path, drop=("word/numbering.xml",))
    text_ = extract_text(Document(str(report(place).draft)))
    assert "2. Tồn tại, hạn chế\nChậm.\nThiếu.\n3. Nguyên nhân" in text_


def test_a_picture_whose_image_is_missing_from_the_file_is_said_by_section(place, tmp_path):
    from PIL import Image

    image = tmp_path / "anh.png"
    Image.new("RGB", (40, 40)).save(image)
    path = write(place["inputs"], {"nguyen_nhan": lambda w: w.picture(image, 5)})
    _rewrite(path, edit=lambda xml: re.sub(rb'r:embed="rId\d+"', b'r:embed="rId999"', xml))
    message = refused(place, "E-NARR-10")
    assert "phần “III.3. Nguyên nhân”" in message and str(path) in message
