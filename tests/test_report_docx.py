"""The report document read back from the .docx: Decree 30 layout, the header block, the
numbers, the signature, the draft mark, and the golden text of the pilot report."""

from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from report_fixtures import (
    INPUTS_2024,
    INPUTS_2025,
    PILOT,
    check_golden,
    pilot_data,
    record_letters,
)

from hcpvnd_utils.config import load_units
from hcpvnd_utils.report.build import report_document
from hcpvnd_utils.report.charts import report_charts, save_charts
from hcpvnd_utils.report.data import collect
from hcpvnd_utils.report.document import (
    MARK_TEXT,
    extract_text,
    has_draft_mark,
    remove_draft_mark,
    save,
)
from hcpvnd_utils.report.text import Narrative, load_narrative

DAY = date(2024, 6, 5)


@pytest.fixture(scope="module")
def pilot_charts(tmp_path_factory) -> dict:
    """The pilot's charts, drawn once for the module (their pixels are test_charts' business)."""
    folder = tmp_path_factory.mktemp("charts")
    return save_charts(report_charts(pilot_data(folder)), folder)


def make(tmp_path, data, charts, *, narrative=None, day=DAY, draft=True) -> Document:
    wanted = ("by_unit", "by_month", "rollout") if data.scope == "district" else ("by_month",)
    charts = {key: charts[key] for key in wanted}
    doc = report_document(data, narrative or Narrative(), charts, report_day=day, draft=draft)
    path = save(doc, tmp_path / f"{data.key}.docx")
    return Document(str(path))  # read back what was written


@pytest.fixture
def district(tmp_path, pilot_charts):
    return make(tmp_path, pilot_data(tmp_path), pilot_charts)


def signature_table(doc):
    """The 'Nơi nhận:' | signature table (the annexes follow it)."""
    return next(t for t in doc.tables if t.rows[0].cells[0].text.startswith("Nơi nhận:"))


def cell_runs(cell):
    return [
        (run.text, run.bold, run.italic, run.font.size.pt)
        for p in cell.paragraphs
        for run in p.runs
    ]


def test_page_is_a4_with_decree_30_margins(district):
    section = district.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    mm = {
        side: round(getattr(section, f"{side}_margin").mm, 1)
        for side in ("top", "bottom", "left", "right")
    }
    assert 20 <= mm["top"] <= 25 and 20 <= mm["bottom"] <= 25
    assert 30 <= mm["left"] <= 35 and 15 <= mm["right"] <= 20


def test_times_new_roman_everywhere_including_east_asian_and_complex_scripts(district):
    normal = district.styles["Normal"]
    assert normal.font.name == "Times New Roman" and 13 <= normal.font.size.pt <= 14
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        assert fonts.get(qn(attr)) == "Times New Roman"
    runs = [r for p in district.paragraphs for r in p.runs if r.text.strip()]
    assert runs and all(r.font.name == "Times New Roman" for r in runs)
    assert all(
        r._element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "Times New Roman" for r in runs
    )


def test_header_block_is_a_borderless_two_column_table(district):
    header = district.tables[0]
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert all(b.get(qn("w:val")) == "nil" for b in borders)
    left, right = header.rows[0].cells
    assert cell_runs(left)[:2] == [
        ("ỦY BAN NHÂN DÂN", True, None, 13),
        ("HUYỆN TUY PHƯỚC", True, None, 13),
    ]
    assert [t for t, *_ in cell_runs(right)] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    assert all(bold for _, bold, *_ in cell_runs(right))
    rules = [
        p
        for cell in (left, right)
        for p in cell.paragraphs
        if p._p.find(".//" + qn("w:pBdr")) is not None
    ]
    assert len(rules) == 2  # the rule under the issuing body and the one under the motto
    number, dated = header.rows[1].cells
    assert number.text == "Số:      /BC-UBND"
    assert cell_runs(dated) == [("Tuy Phước, ngày 05 tháng 6 năm 2024", None, True, 14)]


@pytest.mark.parametrize(
    "day, expected",
    [(date(2025, 1, 3), "ngày 03 tháng 01 năm 2025"), (date(2024, 11, 25), "ngày 25 tháng 11 năm 2024"),
     (date(2024, 2, 9), "ngày 09 tháng 02 năm 2024"), (date(2019, 6, 29), "ngày 29 tháng 6 năm 2019")],
)  # fmt: skip
def test_date_line_zero_padding(tmp_path, pilot_charts, day, expected):
    doc = make(tmp_path, pilot_data(tmp_path), pilot_charts, day=day)
    assert doc.tables[0].rows[1].cells[1].text == f"Tuy Phước, {expected}"


def test_configured_number_and_archive_code(tmp_path, pilot_charts):
    narrative = load_narrative({"so_van_ban": "07", "luu": "K4"})
    doc = make(tmp_path, pilot_data(tmp_path), pilot_charts, narrative=narrative)
    assert doc.tables[0].rows[1].cells[0].text == "Số: 07/BC-UBND"
    assert "- Lưu: VT, K4." in signature_table(doc).rows[0].cells[0].text


def test_title_subject_and_recipient(district):
    texts = [p.text for p in district.paragraphs]
    title = next(p for p in district.paragraphs if p.text == "BÁO CÁO")
    assert title.runs[0].bold and title.alignment == 1  # centred
    assert (
        "Kết quả thực hiện mô hình “Hành chính phục vụ người dân” trên địa bàn huyện Tuy Phước "
        "từ ngày 01/3/2024 đến ngày 31/5/2024"
    ) in texts
    assert "Kính gửi: Ủy ban nhân dân tỉnh Bình Định." in texts


def test_results_table_with_total_row(district):
    table = district.tables[1]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows == [
        ["STT", "Đơn vị", "Khai sinh", "Kết hôn", "Khai tử", "Tổng số thư"],
        ["1", "Xã Phước Quang", "30", "35", "12", "77"],
        ["2", "Xã Phước Nghĩa", "24", "27", "9", "60"],
        ["", "Tổng cộng", "54", "62", "21", "137"],
    ]
    assert all(run.bold for cell in table.rows[-1].cells for p in cell.paragraphs for run in p.runs)


def test_closing_recipients_and_signature(district):
    closing = [p.text for p in district.paragraphs if p.text.endswith("./.")]
    assert len(closing) == 1 and "kính báo cáo Ủy ban nhân dân tỉnh Bình Định./." in closing[0]
    left, right = signature_table(district).rows[0].cells
    received = left.paragraphs
    assert (received[0].text, received[0].runs[0].bold, received[0].runs[0].italic) == (
        "Nơi nhận:",
        True,
        True,
    )
    assert received[0].runs[0].font.size.pt == 12
    assert [p.text for p in received[1:]] == ["- Như trên;", "- Lưu: VT, VP."]
    assert all(p.runs[0].font.size.pt == 11 for p in received[1:])
    signed = [p.text for p in right.paragraphs if p.text]
    assert signed == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Lê Minh Khang"]
    assert all(r.bold for p in right.paragraphs for r in p.runs if r.text)


def test_page_numbers_from_page_two_and_the_draft_mark_on_every_page(district):
    section = district.sections[0]
    assert section.different_first_page_header_footer
    first, later = section.first_page_header, section.header
    assert "PAGE" not in first._element.xml and "PAGE" in later._element.xml
    assert MARK_TEXT in first.paragraphs[0].text and MARK_TEXT in later.paragraphs[0].text
    assert has_draft_mark(district)


def test_removing_the_mark_leaves_the_page_numbers(district, tmp_path):
    assert remove_draft_mark(district) == 2
    path = save(district, tmp_path / "final.docx")
    final = Document(str(path))
    assert not has_draft_mark(final)
    assert MARK_TEXT not in extract_text(final)
    assert "PAGE" in final.sections[0].header._element.xml


def test_charts_are_embedded(district):
    assert len(district.inline_shapes) == 3
    captions = [p.text for p in district.paragraphs if p.text.startswith("Biểu đồ")]
    assert captions == [
        "Biểu đồ 1. Tỷ lệ xã, thị trấn triển khai mô hình",
        "Biểu đồ 2. Số thư theo đơn vị và loại thư",
        "Biểu đồ 3. Số thư theo tháng năm 2024",
    ]


def test_golden_text_of_the_pilot_district_report(district):
    text = extract_text(district)
    for leftover in ("{{", "None", "nan"):
        assert leftover not in text
    check_golden("report_pilot_district.txt", text)


def test_golden_text_of_a_commune_report_with_its_narrative(tmp_path, pilot_charts):
    narrative = load_narrative(Path(__file__).parent / "data" / "report_narrative_phuoc_quang.yaml")
    data = pilot_data(tmp_path, unit="phuoc-quang")
    doc = make(tmp_path, data, pilot_charts, narrative=narrative, day=narrative.day)
    text = extract_text(doc)
    assert "[Phần này do chuyên viên viết" not in text
    check_golden("report_pilot_phuoc_quang.txt", text)


def test_commune_report_header_and_recipient_in_both_hierarchies(tmp_path, pilot_charts):
    commune = make(tmp_path, pilot_data(tmp_path, unit="dieu-tri"), pilot_charts)
    assert commune.tables[0].rows[0].cells[0].paragraphs[1].text == "THỊ TRẤN DIÊU TRÌ"
    assert "Kính gửi: Ủy ban nhân dân huyện Tuy Phước." in [p.text for p in commune.paragraphs]
    signed = [p.text for p in signature_table(commune).rows[0].cells[1].paragraphs if p.text]
    assert signed == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Thị Mỹ Hạnh"]
    record_letters(tmp_path / "l2025.sqlite", {"tuy-phuoc-bac": {"khai_tu": 2}}, inputs=INPUTS_2025,
                   days=[date(2025, 8, 4)])  # fmt: skip
    config = load_units(INPUTS_2025 / "units.yaml")
    from hcpvnd_utils.periods import parse_period

    data = collect(
        config,
        parse_period("2025-Q3"),
        "tuy-phuoc-bac",
        ledger=tmp_path / "l2025.sqlite",
        outputs=tmp_path,
    )
    after = make(tmp_path, data, pilot_charts, day=date(2025, 10, 3))
    assert after.tables[0].rows[0].cells[0].paragraphs[1].text == "XÃ TUY PHƯỚC BẮC"
    assert after.tables[0].rows[1].cells[1].text == "Tuy Phước Bắc, ngày 03 tháng 10 năm 2025"
    texts = [p.text for p in after.paragraphs]
    assert "Kính gửi: Ủy ban nhân dân tỉnh Gia Lai." in texts
    assert any("làm 02 Thư chia buồn đối với 02 trường hợp đăng ký khai tử" in t for t in texts)
    assert PILOT.label not in extract_text(after)


def test_a_batch_makes_the_district_report_or_one_report_per_commune(tmp_path):
    from hcpvnd_utils.review import drafting as reporting

    record_letters(tmp_path / "ledger.sqlite", {"phuoc-quang": {"khai_sinh": 1}})
    before = reporting.run_reports(PILOT, inputs=INPUTS_2024, outputs=tmp_path,
                                   pdf=False, today=DAY)  # fmt: skip
    assert [r.key for r in before] == ["huyen-tuy-phuoc"]
    q3 = "2025-Q3"
    record_letters(tmp_path / "ledger.sqlite", {"tuy-phuoc-dong": {"ket_hon": 2}}, inputs=INPUTS_2025,
                   days=[date(2025, 8, 4)])  # fmt: skip
    after = reporting.run_reports(q3, inputs=INPUTS_2025, outputs=tmp_path, pdf=False, today=DAY)
    assert [r.key for r in after] == [
        "tuy-phuoc",
        "tuy-phuoc-bac",
        "tuy-phuoc-dong",
        "tuy-phuoc-tay",
    ]
    assert all(r.draft.parent.parent.parent.name == "report" for r in after)
    dong = Document(str(after[2].draft))
    assert "Kính gửi: Ủy ban nhân dân tỉnh Gia Lai." in [p.text for p in dong.paragraphs]
