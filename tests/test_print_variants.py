"""Print files holding letters of several templates (issue #17): the event's own letter, its
variants and an A5 card, in registration order, each on its own page with its template's page,
styles, lists, headers, pictures and footnotes — read back with python-docx and LibreOffice."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
import word_templates
from docx import Document
from docx.shared import Mm
from lxml import etree

from hcpvnd_utils import letterfields, pdf
from hcpvnd_utils.letters.engine import CompiledTemplate
from hcpvnd_utils.letters.printfile import print_file_bytes, write_print_file
from hcpvnd_utils.letters.templates import SAMPLE_RECORDS, SAMPLE_UNIT, extract_text

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "templates"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
needs_soffice = pytest.mark.skipif(pdf.find_soffice() is None, reason="LibreOffice not installed")
CHILDREN = ["Nguyễn Minh Khôi", "Trần Gia Hân", "Lê Bảo Ngọc", "Phạm Đức Anh", "Võ Thị Mai"]


def context(index: int, **changes) -> dict:
    values = {**SAMPLE_RECORDS["khai_sinh"], "child_full_name": CHILDREN[index], **changes}
    return letterfields.letter_context("khai_sinh", values, SAMPLE_UNIT, {}, values["reg_date"])


def template(name: str) -> CompiledTemplate:
    return CompiledTemplate.from_path(SHIPPED / f"{name}.docx")


def png(width: int = 4, height: int = 4) -> bytes:
    """A tiny red PNG (no imaging library needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + (chunk(b"IEND", b""))
    )


@pytest.fixture(scope="module")
def office_template(tmp_path_factory) -> CompiledTemplate:
    """A commune's own variant made in Word's default document: Calibri 11 (not the shipped
    Times New Roman 14), a logo and a field in its header, a picture, a numbered list and a
    footnote in its body, Letter paper."""
    folder = tmp_path_factory.mktemp("office")
    (folder / "logo.png").write_bytes(png())
    doc = word_templates.blank()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(216), Mm(279)
    header = section.header.paragraphs[0]
    header.add_run().add_picture(str(folder / "logo.png"), width=Mm(8))
    header.add_run("Thư gửi {{ kinh_gui }}")
    doc.add_paragraph("Thiệp mừng cháu {{ ho_ten_tre }}")
    doc.add_picture(str(folder / "logo.png"), width=Mm(20))
    for text in ("Điều một {{ ho_ten_tre }}", "Điều hai"):
        doc.add_paragraph(text, style="List Number")
    word_templates.footnote(doc, "Ghi chú", "Chú thích cho cháu {{ ho_ten_tre }}")
    doc.save(str(folder / "khai_sinh_rieng.docx"))
    return CompiledTemplate.from_path(folder / "khai_sinh_rieng.docx")


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.testzip() is None
        return {name: zf.read(name) for name in zf.namelist()}


def test_letters_of_three_templates_keep_their_order_and_their_pages():
    own, twins, card = (
        template("khai_sinh"),
        template("khai_sinh_sinh_doi"),
        template("khai_sinh_thiep"),
    )
    chosen = [own, card, twins, card, own]
    data = print_file_bytes(chosen, [context(i) for i in range(5)])
    doc = Document(io.BytesIO(data))
    sizes = [(round(s.page_width.mm), round(s.page_height.mm)) for s in doc.sections]
    assert sizes == [(210, 297), (148, 210), (210, 297), (148, 210), (210, 297)]
    text = extract_text(data)
    positions = [text.index(name) for name in CHILDREN]
    assert positions == sorted(positions)  # the order given: the registrations'
    assert text.count("THƯ CHÚC MỪNG") == 3  # the cards have no header block
    each = [extract_text(t.render_bytes(context(i))) for i, t in enumerate(chosen)]
    assert text == "\n".join(each)  # every letter as its own template makes it


def test_another_templates_styles_lists_pictures_headers_and_notes_come_with_it(office_template):
    own = template("khai_sinh")
    chosen = [own, office_template, own, office_template]
    data = print_file_bytes(chosen, [context(i) for i in range(4)])
    files = parts(data)
    doc = Document(io.BytesIO(data))
    # pictures: every relationship points at a part of the file
    rels = etree.fromstring(files["word/_rels/document.xml.rels"])
    for rel in rels:
        if rel.get("TargetMode") != "External":
            assert "word/" + rel.get("Target") in files, rel.get("Target")
    body = etree.fromstring(files["word/document.xml"])
    embeds = body.findall(".//{http://schemas.openxmlformats.org/drawingml/2006/main}blip")
    assert len(embeds) == 2 and all(
        "media/" in next(r.get("Target") for r in rels if r.get("Id") == e.get(
            "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"))
        for e in embeds
    )  # fmt: skip
    # its headers: each of its letters its own, with the logo
    headers = [s.header.paragraphs[0].text for s in doc.sections]
    assert headers[1] == f"Thư gửi {context(1)['kinh_gui']}" and headers[3].startswith("Thư gửi")
    assert headers[0] == headers[2] == ""  # its own empty header, not the letter before's
    assert not any(s.header.is_linked_to_previous for s in doc.sections)
    # its look: its own paragraphs keep Calibri 11, the shipped letters Times New Roman 14
    mine = next(p for p in doc.paragraphs if p.text.startswith("Thiệp mừng cháu"))
    ours = next(p for p in doc.paragraphs if p.text.startswith("Ủy ban nhân dân xã"))
    assert mine.style.name != ours.style.name
    sizes = {p: _size(p, doc) for p in (mine, ours)}
    assert (sizes[mine], sizes[ours]) == (11.0, 14.0)
    # its numbered list restarts in each of its letters; its footnotes are each letter's own
    numbers = [p._p.pPr.numPr.numId.val for p in doc.paragraphs if p.text.startswith("Điều một")]
    assert len(set(numbers)) == 2
    notes = etree.fromstring(files["word/footnotes.xml"])
    texts = {n.get(f"{W}id"): "".join(n.itertext()) for n in notes.iter(f"{W}footnote")}
    refs = [r.get(f"{W}id") for r in body.iter(f"{W}footnoteReference")]
    assert [texts[r] for r in refs] == [f"Chú thích cho cháu {CHILDREN[i]}" for i in (1, 3)]
    sizes = [(round(s.page_width.mm), round(s.page_height.mm)) for s in doc.sections]
    assert sizes == [(210, 297), (216, 279), (210, 297), (216, 279)]


def _size(paragraph, doc) -> float:
    """The font size a paragraph's text shows, from its style chain and the document defaults."""
    style = paragraph.style
    while style is not None:
        if style.font.size is not None:
            return style.font.size.pt
        style = style.base_style
    defaults = doc.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}sz")
    return int(defaults.get(f"{W}val")) / 2


@needs_soffice
def test_libreoffice_prints_each_letter_and_card_on_its_own_page_at_its_size(tmp_path,
                                                                             office_template):  # fmt: skip
    long_names = {"mother_full_name": "Tôn Nữ Hoàng Thị Phương Thảo Nguyên",
                  "father_full_name": "Nguyễn Phước Bửu Hoàng Long Thiên"}  # fmt: skip
    contexts = [context(i, **long_names) for i in range(4)]
    chosen = [template("khai_sinh_thiep"), template("khai_sinh"), template("khai_sinh_thiep"),
              office_template]  # fmt: skip
    path = tmp_path / "ban_in_khai_sinh.docx"
    write_print_file(chosen, contexts, path)
    converted = pdf.convert([path])
    made = converted.pdfs[path]
    info = pdf_pages(made)
    assert [size for size in info] == [(148, 210), (210, 297), (148, 210), (216, 279)]
    text = " ".join(pdf.pdf_text(made).split())
    for name in (*CHILDREN[:4], "Tôn Nữ Hoàng Thị Phương Thảo Nguyên"):
        assert name in text  # nothing cut off by the card's exact sizes
    assert "Cao Thị Thu Trang" in text and "{{" not in text


def pdf_pages(path: Path) -> list[tuple[int, int]]:
    """Page sizes in mm, from the PDF's MediaBoxes (pdfinfo would do it too)."""
    import re
    import subprocess

    out = subprocess.run(["pdfinfo", "-f", "1", "-l", "99", str(path)], capture_output=True,
                         text=True, check=True).stdout  # fmt: skip
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", out)
    return [(round(float(w) * 25.4 / 72), round(float(h) * 25.4 / 72)) for w, h in sizes]
