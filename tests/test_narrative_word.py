"""The analyst's narrative written in Word: the skeleton, and each section composed into the report
at its place, as written (bold, lists, a table, a footnote, a picture), in the report's fonts.

Every narrative here is a real .docx written from the skeleton ``hcpvnd narrative new`` makes and
read back by the report; where layout matters, the draft is rendered by LibreOffice."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from narrative_fixtures import report, requires_soffice, skeleton, soffice_convert, text, write
from report_fixtures import PILOT, pilot_place

from hcpvnd_utils import layout
from hcpvnd_utils.errors import HcpvndError
from hcpvnd_utils.pdf import convert, pdf_text
from hcpvnd_utils.report.document import extract_text
from hcpvnd_utils.report.narrative import NARRATIVE_KEYS
from hcpvnd_utils.report.skeleton import new_narrative
from hcpvnd_utils.report.wordnarrative import SECTION_TITLES, heading_key
from hcpvnd_utils.review import approve as approval

PLACEHOLDER = "[Phần này do chuyên viên viết"


@pytest.fixture
def place(tmp_path):
    return pilot_place(tmp_path)


def draft_text(result) -> str:
    return extract_text(Document(str(result.draft)))


def after(text: str, first: str, then: str) -> bool:
    return first in text and then in text and text.index(first) < text.index(then)


def codes(result) -> list[str]:
    return [m[1 : m.index("]")] for m in result.messages if m.startswith("[")]


def picture(tmp_path: Path, name="anh.png", size=(600, 300)) -> Path:
    from PIL import Image

    path = tmp_path / name
    Image.new("RGB", size, (40, 90, 160)).save(path)
    return path


# ---------------------------------------------------------------- the skeleton


def test_the_skeleton_has_the_reports_layout_and_one_heading_per_section(place):
    done = new_narrative(PILOT, None, place["inputs"])
    assert done.created and done.path == place["inputs"] / "narratives" / f"{PILOT.label}.docx"
    assert done.messages[0].startswith("[I-NARR-01] Đã tạo tệp nhận định")
    doc = Document(str(done.path))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (round(section.left_margin.mm), round(section.right_margin.mm)) == (30, 15)
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size.pt == 14
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["Thông tin văn bản", *SECTION_TITLES.values()]
    for key in NARRATIVE_KEYS:  # under each heading, the placeholder the draft shows
        placeholder = f"{PLACEHOLDER}: {NARRATIVE_KEYS[key]}.]"
        texts = [p.text for p in doc.paragraphs]
        assert texts[texts.index(SECTION_TITLES[key]) + 1] == placeholder
    assert "Hướng dẫn:" in [p.text for p in doc.paragraphs[:3]]


def test_the_skeleton_is_written_once_and_never_over_the_analysts_file(place):
    path = skeleton(place["inputs"])
    doc = Document(str(path))
    doc.add_paragraph("Đã viết.")
    doc.save(str(path))
    before = path.read_bytes()
    again = new_narrative(PILOT, None, place["inputs"])
    assert not again.created and again.path == path
    assert again.messages[0].startswith("[I-NARR-02]") and "không ghi đè" in again.messages[0]
    assert path.read_bytes() == before


def test_a_communes_narrative_has_its_own_file(place):
    done = new_narrative(PILOT, "phuoc-quang", place["inputs"])
    assert done.path.name == f"{PILOT.label}_phuoc-quang.docx"
    assert layout.narrative_file(place["inputs"], PILOT.label, "phuoc-quang", ".docx") == done.path
    assert "XÃ PHƯỚC QUANG" in Document(str(done.path)).paragraphs[0].text


def test_an_untouched_skeleton_makes_the_draft_without_a_narrative(place):
    skeleton(place["inputs"])
    written = report(place)
    assert not [m for m in written.messages if m.startswith("[W-")]
    text = draft_text(written)
    assert text.count(PLACEHOLDER) == 7  # every section but the optional opening
    assert not any(m.startswith("[I-REPORT-02]") for m in written.messages)
    # said when the draft is made, not first when the leader approves (E-APPROVE-02)
    assert any(m.startswith("[I-REPORT-05] Bản dự thảo còn 07 phần") for m in written.messages)


def test_a_yaml_narrative_is_copied_into_the_skeleton_and_then_two_files_stop_the_run(place):
    yaml = place["inputs"] / "narratives" / f"{PILOT.label}.yaml"
    yaml.write_text(
        json.dumps({"han_che": "Thiếu kinh phí in thư.", "luu": "K4", "so_van_ban": "07"},
                   ensure_ascii=False), encoding="utf-8",
    )  # fmt: skip
    done = new_narrative(PILOT, None, place["inputs"])
    assert any(m.startswith("[I-NARR-03]") and str(yaml) in m for m in done.messages)
    with pytest.raises(HcpvndError) as caught:
        report(place)
    assert caught.value.code == "E-NARR-01"
    assert str(yaml) in caught.value.message and str(done.path) in caught.value.message
    yaml.unlink()
    text = draft_text(report(place))
    assert "Thiếu kinh phí in thư." in text and "Số: 07/BC-UBND" in text and "Lưu: VT, K4." in text


# ---------------------------------------------------------------- composition


def _rich(tmp_path):
    def chi_dao(w):
        w.paragraph(
            "Huyện ban hành ", ("Kế hoạch số 01/KH-UBND", "b"), " và ", ("hướng dẫn", "i"), "."
        )
        w.bullets(["Tuyên truyền trên loa xã;", "Hội nghị ra mắt mô hình."])
        w.table([["Hình thức", "Số lượt"], ["Loa truyền thanh", "24"], ["Hội nghị", "2"]])

    def uu_diem(w):
        w.numbered(["Thư trao kịp thời.", "Lời văn trang trọng."])
        w.picture(picture(tmp_path), 30)  # wider than the page: scaled to the text

    def han_che(w):
        noted = w.paragraph("Một số thư gửi chậm")
        from narrative_fixtures import add_footnote

        add_footnote(w.doc, noted, "Theo sổ theo dõi của 02 xã.")
        w.numbered(["Khai tử muộn.", "Dữ liệu có sai sót."])

    return {"chi_dao": chi_dao, "danh_gia_uu_diem": uu_diem, "han_che": han_che}


def test_each_section_is_composed_at_its_place_after_the_figures_of_its_part(place, tmp_path):
    write(place["inputs"], _rich(tmp_path))
    written = report(place)
    text = draft_text(written)
    assert after(text, "Biểu đồ 1. Tỷ lệ xã", "Huyện ban hành Kế hoạch số 01/KH-UBND và hướng dẫn.")
    assert after(text, "Hội nghị ra mắt mô hình.", "II. KẾT QUẢ THỰC HIỆN")
    assert "Hình thức | Số lượt\nLoa truyền thanh | 24\nHội nghị | 2" in text
    assert after(
        text, "1. Ưu điểm\nThư trao kịp thời.\nLời văn trang trọng.", "2. Tồn tại, hạn chế"
    )
    assert after(text, "2. Tồn tại, hạn chế\nMột số thư gửi chậm", "3. Nguyên nhân")
    assert text.count(PLACEHOLDER) == 4  # phan_anh, nguyen_nhan, nhiem_vu, de_xuat
    assert "Viết nội dung của mỗi phần" not in text  # the instruction is not composed


def test_formatting_footnotes_pictures_and_tables_are_kept_in_the_reports_fonts(place, tmp_path):
    write(place["inputs"], _rich(tmp_path))
    doc = Document(str(report(place).draft))
    runs = {r.text: r for p in doc.paragraphs for r in p.runs}
    assert runs["Kế hoạch số 01/KH-UBND"].bold and runs["hướng dẫn"].italic
    pictures = [s for s in doc.inline_shapes]
    assert len(pictures) == 4  # three charts and hers
    assert max(s.width.cm for s in pictures) <= 16.5  # hers was 30 cm wide
    footnotes = next(
        r.target_part for r in doc.part.rels.values() if r.reltype.endswith("/footnotes")
    )
    assert "Theo sổ theo dõi của 02 xã." in footnotes.blob.decode("utf-8")
    assert doc.element.body.xpath(".//w:footnoteReference")
    fonts = doc.element.body.xpath(".//w:rFonts")
    assert fonts and {f.get(qn("w:ascii")) for f in fonts} == {"Times New Roman"}
    names = [s.name for s in doc.styles]
    assert len(names) == len(set(names))
    assert not [n for n in names if re.search(r"\(\d+\)$|_\d+$", n or "")]


def test_text_typed_over_the_placeholder_loses_its_yellow_and_italics(place):
    """Word keeps the look of what a selection replaced: her sentence typed over the
    placeholder is italic on yellow in her file, and must not be so in the signed report."""
    typed = "Các xã trao thư kịp thời, gia đình đón nhận trân trọng."

    def type_over(doc):
        run = next(r for p in doc.paragraphs for r in p.runs if r.text.startswith(PLACEHOLDER))
        assert run.italic and run.font.highlight_color is not None  # the skeleton's look
        run.text = typed

    write(place["inputs"], {}, edit=type_over)
    doc = Document(str(report(place).draft))
    (run,) = [r for p in doc.paragraphs for r in p.runs if r.text == typed]
    assert not run.italic and run.font.highlight_color is None


def test_fonts_from_another_document_become_the_reports(place):
    """Text pasted from elsewhere: Arial at 11 pt, a theme font, a quote style in Calibri, a
    blue Heading 2 of her own: in the report, Times New Roman at the body's size, black."""

    def pasted(w):
        w.paragraph("Tiểu mục của chuyên viên", style="Heading 2")
        para = w.paragraph("Đoạn dán từ trang web.")
        run = para.runs[0]
        run.font.name, run.font.size = "Arial", Pt(11)
        rfonts = run._r.rPr.rFonts
        rfonts.set(qn("w:asciiTheme"), "minorHAnsi")
        w.paragraph("Trích dẫn ý kiến người dân.", style="Quote")

    def calibri_quote(doc):
        quote = doc.styles["Quote"]
        quote.font.name = "Calibri"

    write(place["inputs"], {"phan_anh": pasted}, edit=calibri_quote)
    doc = Document(str(report(place).draft))
    runs = {r.text: r for p in doc.paragraphs for r in p.runs}
    pasted_run = runs["Đoạn dán từ trang web."]
    fonts = pasted_run._r.rPr.rFonts
    assert {fonts.get(qn(a)) for a in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")} == {
        "Times New Roman"
    }
    assert fonts.get(qn("w:asciiTheme")) is None and pasted_run.font.size is None  # 14 pt Normal
    heading = next(p for p in doc.paragraphs if p.text == "Tiểu mục của chuyên viên")
    assert heading.style.name == "Heading 2"
    assert (
        heading.style.font.name == "Times New Roman"
        and str(heading.style.font.color.rgb) == "000000"
    )
    quote = next(p for p in doc.paragraphs if p.text == "Trích dẫn ý kiến người dân.")
    assert effective_font(quote.style) == "Times New Roman"


def effective_font(style) -> str | None:
    """The font a style gives (its own, else the style it is based on)."""
    while style is not None:
        if style.font.name:
            return style.font.name
        style = style.base_style
    return None


@requires_soffice()
def test_numbered_lists_restart_in_each_section_in_the_rendered_draft(place, tmp_path):
    write(place["inputs"], _rich(tmp_path))
    draft = report(place).draft
    (pdf,) = convert([draft]).pdfs.values()
    lines = [line.strip() for line in pdf_text(pdf).splitlines()]
    first = next(i for i, line in enumerate(lines) if line.endswith("Thư trao kịp thời."))
    later = next(i for i, line in enumerate(lines) if line.endswith("Khai tử muộn."))
    assert lines[first].startswith("1.") and lines[later].startswith("1.")
    assert any(line.startswith("2.") and line.endswith("Dữ liệu có sai sót.") for line in lines)


@requires_soffice()
def test_a_narrative_saved_by_libreoffice_composes_with_the_reports_styles(place, tmp_path):
    path = write(place["inputs"], _rich(tmp_path))
    resaved = soffice_convert(path, ".docx", tmp_path)
    path.write_bytes(resaved.read_bytes())
    written = report(place)
    assert not [m for m in written.messages if m.startswith("[W-")], written.messages
    text = draft_text(written)
    assert "Thư trao kịp thời." in text and "Loa truyền thanh | 24" in text
    names = [s.name for s in Document(str(written.draft)).styles]
    assert len(names) == len(set(names))
    assert not [n for n in names if re.search(r"\(\d+\)$", n or "")]


def test_the_opening_ending_with_a_comma_joins_the_reports_first_sentence(place):
    write(place["inputs"], {"can_cu": text("Thực hiện Kế hoạch số ", ("01/KH-UBND", "b"), ",")})
    text_ = draft_text(report(place))
    assert "Thực hiện Kế hoạch số 01/KH-UBND, Ủy ban nhân dân huyện Tuy Phước báo cáo" in text_


def test_part_v_written_empty_is_left_out(place):
    write(place["inputs"], {"de_xuat": lambda w: None})
    assert "ĐỀ XUẤT, KIẾN NGHỊ" not in draft_text(report(place))


def test_the_settings_table_gives_number_date_recipients_and_archive(place):
    def settings(doc):
        table = next(t for t in doc.tables if t.rows[0].cells[0].text == "Mục")
        values = {"Số văn bản": "15/BC-UBND", "Ngày báo cáo": "ngày 03 tháng 6 năm 2024",
                  "Lưu (đơn vị soạn thảo)": "K4"}  # fmt: skip
        for row in table.rows[1:]:
            if row.cells[0].text in values:
                row.cells[1].text = values[row.cells[0].text]
            if row.cells[0].text == "Nơi nhận thêm":
                row.cells[1].text = "CT, các PCT UBND huyện"
                row.cells[1].add_paragraph("- Văn phòng UBND tỉnh (b/c);")

    write(place["inputs"], {}, edit=settings)
    text_ = draft_text(report(place))
    assert "Số: 15/BC-UBND | Tuy Phước, ngày 03 tháng 6 năm 2024" in text_
    assert "- CT, các PCT UBND huyện; / - Văn phòng UBND tỉnh (b/c); / - Lưu: VT, K4." in text_


def test_a_date_that_is_not_a_date_is_refused_by_row(place):
    def settings(doc):
        table = next(t for t in doc.tables if t.rows[0].cells[0].text == "Mục")
        next(r for r in table.rows if r.cells[0].text == "Ngày báo cáo").cells[1].text = "31/6/2024"

    write(place["inputs"], {}, edit=settings)
    with pytest.raises(HcpvndError) as caught:
        report(place)
    assert caught.value.code == "E-NARR-09"
    assert "“Ngày báo cáo”: “31/6/2024” không phải ngày" in caught.value.message


# ---------------------------------------------------------------- headings


@pytest.mark.parametrize(
    "heading, key",
    [
        ("III.2. Tồn tại, hạn chế", "han_che"),
        ("2. TỒN TẠI, HẠN CHẾ", "han_che"),
        ("Hạn chế", "han_che"),
        (unicodedata.normalize("NFD", "Nguyên nhân của tồn tại, hạn chế"), "nguyen_nhan"),
        ("IV - Phương hướng, nhiệm vụ năm 2025", "nhiem_vu"),
        ("V. Đề xuất, kiến nghị", "de_xuat"),
        ("1. Ưu điểm", "danh_gia_uu_diem"),
        ("Thông tin văn bản", "thong_tin"),
        ("III. Đánh giá chung", None),
        ("Vì sao thư gửi chậm", None),
    ],
)
def test_headings_are_recognised_by_their_words(heading, key):
    assert heading_key(heading) == key


def test_a_renamed_heading_names_the_missing_section_keeps_its_placeholder_and_places_the_text(
    place,
):
    def rename(doc):
        from narrative_fixtures import section_heading

        heading = section_heading(doc, "han_che")
        heading.text = "III.2. Khó khăn, vướng mắc"

    write(place["inputs"], {"han_che": text("Thiếu kinh phí in thư.")}, edit=rename)
    written = report(place)
    missing = next(m for m in written.messages if m.startswith("[W-NARR-01]"))
    assert "“III.2. Tồn tại, hạn chế”" in missing and "Phần này do chuyên viên viết" in missing
    placed = next(m for m in written.messages if m.startswith("[W-NARR-02]"))
    assert "“III.2. Khó khăn, vướng mắc”" in placed and "thành mục 4" in placed
    text_ = draft_text(written)
    assert f"2. Tồn tại, hạn chế\n{PLACEHOLDER}: tồn tại, hạn chế.]" in text_
    assert after(text_, "4. Khó khăn, vướng mắc\nThiếu kinh phí in thư.", "IV. PHƯƠNG HƯỚNG")
    with pytest.raises(HcpvndError) as caught:
        approval.approve(PILOT, None, "Lê Minh Khang", place["outputs"], pdf=False)
    assert caught.value.code == "E-APPROVE-02"


def test_a_deleted_heading_names_the_section_and_its_placeholder_stays(place):
    def delete(doc):
        from narrative_fixtures import section_heading

        heading = section_heading(doc, "nhiem_vu")._p
        heading.getnext().getparent().remove(heading.getnext())  # its placeholder
        heading.getparent().remove(heading)

    write(place["inputs"], {}, edit=delete)
    written = report(place)
    (missing,) = [m for m in written.messages if m.startswith("[W-NARR-01]")]
    assert "“IV. Phương hướng, nhiệm vụ thời gian tới”" in missing
    assert f"{PLACEHOLDER}: phương hướng, nhiệm vụ thời gian tới.]" in draft_text(written)


def test_a_heading_typed_as_plain_text_still_names_its_section(place):
    def plain(doc):
        from narrative_fixtures import section_heading

        section_heading(doc, "nguyen_nhan").style = doc.styles["Normal"]

    write(place["inputs"], {"nguyen_nhan": text("Người dân chưa quen.")}, edit=plain)
    written = report(place)
    assert "3. Nguyên nhân\nNgười dân chưa quen." in draft_text(written)
    assert not [m for m in written.messages if m.startswith("[W-")]


def test_a_line_repeating_a_sections_title_is_text_not_a_second_heading(place):
    def plain_twin(doc):  # the same title typed twice as plain text: the later one is text
        from narrative_fixtures import section_heading

        section_heading(doc, "nhiem_vu").style = doc.styles["Normal"]
        doc.add_paragraph("Phương hướng, nhiệm vụ")
        doc.add_paragraph("Giữ nhịp gửi thư.")

    write(place["inputs"], {
        "han_che": text("Tồn tại, hạn chế"),  # under its own heading, in the Normal style
        "nguyen_nhan": lambda w: (w.paragraph(("Nguyên nhân:", "b")),
                                  w.paragraph("Do thiếu nhân lực.")),
        "nhiem_vu": text("Tiếp tục gửi thư."),
    }, edit=plain_twin)  # fmt: skip
    written = report(place)
    body = draft_text(written)
    assert "2. Tồn tại, hạn chế\nTồn tại, hạn chế\n" in body
    assert "3. Nguyên nhân\nNguyên nhân:\nDo thiếu nhân lực." in body
    assert "Tiếp tục gửi thư." in body and "Phương hướng, nhiệm vụ\nGiữ nhịp gửi thư." in body
    assert f"{PLACEHOLDER}: tồn tại" not in body and f"{PLACEHOLDER}: nguyên nhân" not in body
    assert not [m for m in written.messages if m.startswith(("[W-NARR-01]", "[W-NARR-03]"))]


def test_text_written_before_the_first_heading_is_said_not_lost_silently(place):
    def before(doc):
        doc.paragraphs[0].insert_paragraph_before("Ý kiến viết nhầm chỗ.")

    write(place["inputs"], {}, edit=before)
    written = report(place)
    (note,) = [m for m in written.messages if m.startswith("[W-NARR-04]")]
    assert "Ý kiến viết nhầm chỗ." in note
    assert "Ý kiến viết nhầm chỗ." not in draft_text(written)


def test_text_typed_in_the_grey_instruction_style_is_said_too(place):
    def typed_after_the_guide(doc):  # Enter at the end of a guide line keeps its style
        guide = next(p for p in doc.paragraphs if p.text.startswith("3. Phần nào chưa viết"))
        guide.insert_paragraph_before("Nhận xét chung của phòng.", style=guide.style)

    write(place["inputs"], {}, edit=typed_after_the_guide)
    (note,) = [m for m in report(place).messages if m.startswith("[W-NARR-04]")]
    assert "Nhận xét chung của phòng." in note


def test_decomposed_unicode_is_composed_as_nfc(place):
    nfd = unicodedata.normalize("NFD", "Người dân đón nhận thư với sự cảm động.")
    write(place["inputs"], {"phan_anh": text(nfd)})
    text_ = draft_text(report(place))
    assert unicodedata.normalize("NFC", nfd) in text_ and nfd not in text_


def test_a_section_written_twice_is_joined_in_order_and_said(place):
    def twice(doc):
        doc.add_heading("Ưu điểm", level=1)
        doc.add_paragraph("Ưu điểm thứ hai.")

    write(place["inputs"], {"danh_gia_uu_diem": text("Ưu điểm thứ nhất.")}, edit=twice)
    written = report(place)
    assert any(m.startswith("[W-NARR-03]") for m in written.messages)
    assert "1. Ưu điểm\nƯu điểm thứ nhất.\nƯu điểm thứ hai.\n2. Tồn tại" in draft_text(written)


def test_a_placeholder_left_inside_a_composed_table_blocks_approval(place):
    def with_table(w):
        w.table([["Việc", "Kết quả"], ["Tuyên truyền", f"{PLACEHOLDER}: số lượt.]"]])

    write(
        place["inputs"], {key: text("Đã viết.") for key in NARRATIVE_KEYS} | {"chi_dao": with_table}
    )
    report(place)
    with pytest.raises(HcpvndError) as caught:
        approval.approve(PILOT, None, "Lê Minh Khang", place["outputs"], pdf=False)
    assert caught.value.code == "E-APPROVE-02"


# ---------------------------------------------------------------- the command, the shipped example


def test_the_narrative_new_command_writes_once_and_says_where(place, capsys):
    from hcpvnd_utils.cli.main import main

    options = ["--period", PILOT.argument, "--inputs", str(place["inputs"])]
    assert main(["narrative", "new", *options]) == 0
    shown = capsys.readouterr().out
    target = place["inputs"] / "narratives" / f"{PILOT.label}.docx"
    assert f"[I-NARR-01] Đã tạo tệp nhận định {target}" in shown and target.is_file()
    # the report reads the narrative where it was written: the --inputs given (before: left out,
    # so the report looked in the project's inputs/ and found no narrative)
    assert f"hcpvnd report --period 2024-03-01..2024-05-31 --inputs {place['inputs']}." in shown
    assert main(["narrative", "new", *options]) == 0
    assert "[I-NARR-02]" in capsys.readouterr().out
    assert main(["narrative", "new", *options, "--unit", "phuoc-quangg"]) == 2
    assert "[E-CONF-03]" in capsys.readouterr().err


def test_the_hint_after_narrative_new_gives_the_unit_and_the_inputs_it_was_given(place, tmp_path):
    import shutil

    inputs = tmp_path / "dữ liệu xã"  # a folder name with a space: quoted
    shutil.copytree(place["inputs"], inputs)
    done = new_narrative(PILOT, "phuoc-quang", inputs)
    assert done.messages[0].endswith(
        f'hcpvnd report --period {PILOT.argument} --unit phuoc-quang --inputs "{inputs}".'
    )


def test_the_shipped_pilot_narrative_is_what_its_generator_writes():
    import make_narrative

    assert make_narrative.main(["--check"]) == 0


def test_the_shipped_pilot_narrative_leaves_no_placeholder_and_composes_a_list_and_a_table(place):
    from report_fixtures import INPUTS_2024

    written = report({"inputs": INPUTS_2024, "outputs": place["outputs"]})
    assert not [m for m in written.messages if m.startswith(("[W-", "[I-REPORT-02]"))]
    doc = Document(str(written.draft))
    text_ = extract_text(doc)
    assert PLACEHOLDER not in text_ and "minh họa" in text_
    assert "Tờ gấp tại bộ phận một cửa | 500 | phát cho người đến đăng ký" in text_
    assert "1. Ưu điểm\nThư được trao cùng giấy tờ hộ tịch" in text_
    assert "Phụ lục II\nDANH MỤC VĂN BẢN TRIỂN KHAI MÔ HÌNH (MINH HỌA)" in text_
    numbered = doc.element.body.xpath(".//w:p[w:pPr/w:numPr]")
    assert len(numbered) >= 3 + 3 + 2 + 3  # bullets, strengths, shortcomings, tasks


def test_a_narrative_given_that_does_not_exist_names_the_files_beside_it(place):
    written = skeleton(place["inputs"])  # the .docx the analyst wrote in
    typo = written.with_suffix(".doc")  # --narrative typed with the wrong ending
    with pytest.raises(HcpvndError) as caught:
        report(place, narrative=typo)
    assert caught.value.code == "E-REPORT-05"
    assert f"Trong thư mục đó có: {written.name}" in str(caught.value)
    assert "UTF-8" not in str(caught.value)  # the advice for a file that exists but is broken


def test_a_draft_with_every_section_written_has_no_unwritten_part_to_announce(place):
    write(place["inputs"], {key: text(f"Nội dung {key}.") for key in NARRATIVE_KEYS})
    written = report(place)
    assert PLACEHOLDER not in draft_text(written)
    assert not any(m.startswith("[I-REPORT-05]") for m in written.messages)
