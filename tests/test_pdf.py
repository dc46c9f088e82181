"""PDF previews with LibreOffice: one soffice call for all documents, PDFs next to them, the
Vietnamese text intact; without LibreOffice, a Vietnamese hint and no PDF (never a failure).

The conversion tests skip only when soffice is absent (CI installs libreoffice-writer-nogui,
fonts-liberation2 and poppler-utils for pdftotext)."""

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from report_fixtures import INPUTS_2024, PILOT, PILOT_LETTERS, record_letters

from hcpvnd_utils import messages, pdf
from hcpvnd_utils.review import drafting as reporting

needs_soffice = pytest.mark.skipif(
    pdf.find_soffice() is None, reason="LibreOffice (soffice) is not installed"
)


def small_docx(path, text):
    doc = Document()
    doc.add_paragraph(text)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def text_of(path) -> str:
    text = pdf.pdf_text(path)
    assert text is not None, "pdftotext is missing: install poppler-utils"
    return text


def test_without_libreoffice_the_tool_says_how_to_get_it_and_carries_on(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    document = small_docx(tmp_path / "a.docx", "Thư chúc mừng")
    result = pdf.convert([document])
    assert result.pdfs == {} and result.calls == 0 and not result.available
    assert result.messages[0].startswith("[W-PDF-01] Không tìm thấy LibreOffice")
    assert "make pdf-tools" in result.messages[0]
    install = "sudo apt-get install libreoffice-writer-nogui libreoffice-calc-nogui fonts-liberation2 poppler-utils"
    assert install in result.messages[0]
    assert "Windows" in result.messages[0]


def test_the_install_hint_names_the_packages_of_make_pdf_tools_and_the_readme():
    root = Path(__file__).resolve().parents[1]
    makefile = (root / "Makefile").read_text(encoding="utf-8")
    packages = re.search(r"^PDF_PACKAGES\s*:=\s*(.+)$", makefile, re.M)[1].strip()
    hint = messages.render(pdf.INSTALL_HINT_CODE)
    assert f"apt-get install {packages}”" in hint
    readme = " ".join((root / "README.md").read_text(encoding="utf-8").split())
    assert f"apt-get install {packages}" in readme


def test_a_report_run_without_libreoffice_still_writes_the_docx(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    record_letters(tmp_path / "ledger.sqlite", {"phuoc-quang": {"khai_sinh": 2}})
    result = reporting.run_report(PILOT, inputs=INPUTS_2024, outputs=tmp_path, narrative={},
                                  today=date(2024, 6, 5))  # fmt: skip
    assert result.draft.is_file() and result.pdfs == []
    assert any(m.startswith("[W-PDF-01]") for m in result.messages)


@needs_soffice
def test_times_new_roman_resolves_to_liberation_serif():
    if shutil.which("fc-match") is None:
        pytest.skip("no fontconfig on this machine (Windows): Times New Roman is the real font")
    assert pdf.font_warning() is None, "install fonts-liberation2"


@needs_soffice
def test_all_documents_in_one_call_even_with_the_same_name(tmp_path):
    first = small_docx(
        tmp_path / "phuoc-quang" / "ban_in_khai_sinh.docx", "Xã Phước Quang: thư chúc mừng"
    )
    second = small_docx(
        tmp_path / "phuoc-nghia" / "ban_in_khai_sinh.docx", "Xã Phước Nghĩa: thư chia buồn"
    )
    result = pdf.convert([first, second])
    assert result.calls == 1 and result.messages == []
    assert result.pdfs == {first: first.with_suffix(".pdf"), second: second.with_suffix(".pdf")}
    assert "Phước Quang" in text_of(result.pdfs[first])
    assert "Phước Nghĩa: thư chia buồn" in text_of(result.pdfs[second])


@needs_soffice
def test_the_report_pdf_carries_the_vietnamese_text_and_the_draft_mark(tmp_path):
    record_letters(tmp_path / "ledger.sqlite", PILOT_LETTERS)
    extra = small_docx(tmp_path / "extra" / "ban_in_ket_hon.docx", "Trăm năm hạnh phúc")
    result = reporting.run_report(PILOT, inputs=INPUTS_2024, outputs=tmp_path, narrative={},
                                  pdf_extra=[extra], today=date(2024, 6, 5))  # fmt: skip
    assert result.pdfs == [result.draft.with_suffix(".pdf")]
    assert extra.with_suffix(".pdf").is_file()  # converted in the same call
    text = " ".join(text_of(result.pdfs[0]).split())
    for expected in (
        "ỦY BAN NHÂN DÂN", "HUYỆN TUY PHƯỚC", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc", "Tuy Phước, ngày 05 tháng 6 năm 2024", "DỰ THẢO",
        "54 trường hợp đăng ký khai sinh", "Phước Nghĩa", "Tổng cộng", "Nơi nhận:",
    ):  # fmt: skip
        assert expected in text


@needs_soffice
def test_an_unconvertible_file_is_named_and_the_others_still_convert(tmp_path):
    broken = tmp_path / "hong.docx"
    broken.write_bytes(b"PK\x03\x04 not really a docx")
    good = small_docx(tmp_path / "tot.docx", "Thư chúc mừng")
    result = pdf.convert([broken, good])
    assert result.calls == 1 and good in result.pdfs
    if broken not in result.pdfs:
        assert any(m.startswith("[W-PDF-03]") and "hong.docx" in m for m in result.messages)


@needs_soffice
@pytest.mark.slow
def test_letters_with_pdf_previews_every_print_file_and_a_rebuilt_one_loses_its_old_pdf(
    tmp_path, capsys
):
    from hcpvnd_utils.cli.main import main
    from hcpvnd_utils.letters.run import run_unit

    outputs = tmp_path / "outputs"
    code = main(["letters", "--unit", "phuoc-son", "--period", "2024-07", "--outputs",
                 str(outputs), "--pdf"])  # fmt: skip
    shown = capsys.readouterr().out

    assert code == 0
    folder = outputs / "2024-07" / "phuoc-son"
    pdfs = sorted(folder.glob("ban_in_*.pdf"))
    assert [p.stem for p in pdfs] == sorted(p.stem for p in folder.glob("ban_in_*.docx"))
    assert all(f"Bản xem trước PDF: {p}" in shown for p in pdfs)
    assert "Kính gửi" in text_of(folder / "ban_in_khai_sinh.pdf")

    run_unit("phuoc-son", "2024-07", outputs=outputs, regenerate=True)  # print files rebuilt
    assert not list(folder.glob("ban_in_*.pdf"))  # no preview of an older print file
