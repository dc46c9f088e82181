"""The report's words: figures from the ledger and the summaries in administrative style, only
what the data shows, and the analyst's placeholders where the data cannot speak."""

import dataclasses
import unicodedata
from datetime import date

import pytest
from report_fixtures import INPUTS_2024, PILOT, pilot_data, record_letters, write_summary

from hcpvnd_utils.config import load_units
from hcpvnd_utils.errors import HcpvndError
from hcpvnd_utils.periods import parse_period
from hcpvnd_utils.report.data import collect
from hcpvnd_utils.report.tables import results_rows
from hcpvnd_utils.report.text import (
    NARRATIVE_KEYS,
    Narrative,
    body_blocks,
    closing,
    load_narrative,
    period_phrase,
    recipients,
    subject_line,
)

ANALYST_KEYS = [k for k in NARRATIVE_KEYS if k != "can_cu"]


def text_of(data, narrative=None, charts=("by_unit", "by_month", "rollout")) -> str:
    blocks = body_blocks(data, narrative or Narrative(), list(charts))
    return "\n".join(b.text for b in blocks)


def test_pilot_headline_says_what_the_2024_dispatch_said(tmp_path):
    text = text_of(pilot_data(tmp_path, delivered=True))  # every letter handed over
    assert (
        "Từ ngày 01/3/2024 đến ngày 31/5/2024, 02 xã (Phước Quang và Phước Nghĩa) đã gửi Thư chúc "
        "mừng cho 54 trường hợp đăng ký khai sinh, 62 trường hợp đăng ký kết hôn và gửi 21 Thư "
        "chia buồn đối với 21 trường hợp đăng ký khai tử; tổng cộng 137 thư."
    ) in text
    assert "Đã gửi 54 thư (xã Phước Quang: 30; xã Phước Nghĩa: 24)." in text
    assert "Đã gửi 21 thư (xã Phước Quang: 12; xã Phước Nghĩa: 09)." in text


def test_rollout_counts_plans_units_implementing_and_the_target(tmp_path):
    text = text_of(pilot_data(tmp_path))
    assert "thí điểm tại 02 xã (Phước Quang và Phước Nghĩa), từ ngày 01/3/2024." in text
    # plans issued by 31/5/2024: the two pilots (05/02) and Phước Hòa, Phước Lộc, Phước Sơn
    assert "Đến ngày 31/5/2024, 05/13 xã, thị trấn đã ban hành kế hoạch thực hiện mô hình" in text
    assert "(Phước Quang, Phước Hòa, Phước Sơn, Phước Lộc và Phước Nghĩa)" in text
    assert (
        "02/13 xã, thị trấn đã triển khai gửi thư (Phước Quang và Phước Nghĩa), đạt 15,4%." in text
    )
    assert (
        "Theo mục tiêu đến ngày 01/9/2024 đạt 100% xã, thị trấn triển khai thực hiện mô hình"
        in text
    )
    assert "còn 11 xã, thị trấn chưa triển khai gửi thư" in text


def test_after_the_target_date_the_report_says_whether_it_was_reached(tmp_path):
    year = pilot_data(tmp_path, period=parse_period("2024"))
    assert "13/13 xã, thị trấn đã triển khai gửi thư, đạt 100%, đạt mục tiêu." in text_of(year)
    late = dataclasses.replace(year.units[0], letters_start=date(2024, 10, 1))
    year.units[0] = late
    assert (
        "12/13 xã, thị trấn đã triển khai gửi thư, đạt 92,3%, chưa đạt mục tiêu (chưa triển khai: Tuy Phước)."
        in text_of(year)
    )


@pytest.mark.parametrize(
    "births, expected",
    [(1405, "1.405 trường hợp đăng ký khai sinh"), (9, "09 trường hợp đăng ký khai sinh"),
     (54, "54 trường hợp đăng ký khai sinh")],
)  # fmt: skip
def test_counts_in_administrative_style(tmp_path, births, expected):
    data = pilot_data(tmp_path, letters={"phuoc-quang": {"khai_sinh": births}})
    assert expected in text_of(data)


def test_no_letters_is_said_plainly(tmp_path):
    data = pilot_data(tmp_path, letters={})
    assert "chưa có thư nào được làm (theo sổ theo dõi thư)" in text_of(data)


def test_placeholders_for_everything_the_data_cannot_say(tmp_path):
    text = text_of(pilot_data(tmp_path))
    for key in ANALYST_KEYS:
        assert f"[Phần này do chuyên viên viết: {NARRATIVE_KEYS[key]}.]" in text
    for claim in ("tích cực", "hài lòng", "hiệu quả", "khó khăn", "đánh giá cao"):
        assert claim not in text, f"an invented judgement: {claim}"


def test_narrative_file_fills_the_sections(tmp_path):
    path = tmp_path / "2024-03-01_2024-05-31.yaml"
    nfd = unicodedata.normalize("NFD", "Các gia đình đánh giá cao sự quan tâm của chính quyền.")
    path.write_text(
        "so_van_ban: 15\n"
        "luu: K4\n"
        'noi_nhan: ["CT, các PCT UBND huyện"]\n'
        f'phan_anh: "{nfd}"\n'
        "danh_gia_uu_diem: |\n  Thư được gửi kịp thời.\n  Người dân đón nhận.\n"
        "han_che: Một số xã chưa ban hành kế hoạch.\n"
        "nguyen_nhan: Chưa bố trí kinh phí.\n"
        "nhiem_vu:\n  - Nhân rộng mô hình.\n  - Kiểm tra việc gửi thư.\n"
        'de_xuat: ""\n',
        encoding="utf-8",
    )
    narrative = load_narrative(path)
    data = pilot_data(tmp_path)
    text = text_of(data, narrative)
    assert text.count("[Phần này do chuyên viên viết") == 1  # only chi_dao, not given
    assert f"[Phần này do chuyên viên viết: {NARRATIVE_KEYS['chi_dao']}.]" in text
    assert "Các gia đình đánh giá cao sự quan tâm của chính quyền." in text  # NFC
    assert "Thư được gửi kịp thời.\nNgười dân đón nhận." in text
    assert "Nhân rộng mô hình.\nKiểm tra việc gửi thư." in text
    assert "ĐỀ XUẤT, KIẾN NGHỊ" not in text  # written empty: no section V
    assert narrative.number == "15"
    assert recipients(data, narrative) == [
        "- Như trên;",
        "- CT, các PCT UBND huyện;",
        "- Lưu: VT, K4.",
    ]


def test_a_narrative_key_with_a_typo_is_refused_by_name(tmp_path):
    path = tmp_path / "n.yaml"
    path.write_text("han_chee: Thiếu kinh phí.\n", encoding="utf-8")
    with pytest.raises(HcpvndError) as caught:
        load_narrative(path)
    assert caught.value.code == "E-REPORT-02"
    assert "không có mục “han_chee”" in str(caught.value)


def test_registrations_and_rows_without_a_letter_come_from_the_summaries(tmp_path):
    write_summary(tmp_path, PILOT, "phuoc-quang",
                  {"khai_sinh": {"rows": 35, "letters": 30, "rejected": 1, "not_eligible": 1,
                                 "out_of_period": 2, "duplicates": 1}})  # fmt: skip
    data = pilot_data(tmp_path, unit="phuoc-quang")
    text = text_of(data)
    assert (
        "Theo danh sách đăng ký của xã Phước Quang, trong kỳ có 32 trường hợp đăng ký khai sinh; "
        "số thư đã làm đạt 93,8%; chưa làm thư: 01 trường hợp dữ liệu có lỗi cần sửa, "
        "01 trường hợp không thuộc diện gửi thư."
    ) in text  # letters made, none handed over yet: "làm", never "gửi"


def test_a_summary_of_another_period_is_not_used(tmp_path):
    write_summary(tmp_path, PILOT, "phuoc-quang", {"khai_sinh": {"rows": 35}})
    summary = tmp_path / PILOT.label / "phuoc-quang" / "summary.json"
    summary.write_text(
        summary.read_text(encoding="utf-8").replace("2024-05-31", "2024-05-30"), encoding="utf-8"
    )
    data = pilot_data(tmp_path, unit="phuoc-quang")
    assert data.units[0].registrations is None
    (note,) = [note for note in data.notes if "W-REPORT-05" in note]
    # a commune's report asks for that commune's run, not the whole district's batch
    assert "“hcpvnd letters --unit phuoc-quang --period 2024-03-01..2024-05-31”" in note


def test_letters_come_from_the_ledger_by_registration_date(tmp_path):
    ledger = tmp_path / "ledger.sqlite"
    record_letters(
        ledger,
        {"phuoc-quang": {"khai_sinh": 3}},
        days=[date(2024, 2, 29), date(2024, 3, 1), date(2024, 6, 1)],
    )
    config = load_units(INPUTS_2024 / "units.yaml")
    data = collect(config, PILOT, None, ledger=ledger, outputs=tmp_path)
    assert data.totals() == {"khai_sinh": 1, "ket_hon": 0, "khai_tu": 0}
    assert [label for label, _ in data.months] == [
        "2024-01",
        "2024-02",
        "2024-03",
        "2024-04",
        "2024-05",
    ]
    assert data.months[1][1]["khai_sinh"] == 1


def test_a_missing_ledger_is_reported_and_not_created(tmp_path):
    config = load_units(INPUTS_2024 / "units.yaml")
    data = collect(config, PILOT, None, ledger=tmp_path / "none.sqlite", outputs=tmp_path)
    assert not (tmp_path / "none.sqlite").exists()
    assert data.totals() == {"khai_sinh": 0, "ket_hon": 0, "khai_tu": 0}
    assert any(note.startswith("[W-REPORT-04]") for note in data.notes)


def test_results_table_has_the_units_implementing_and_a_total_row(tmp_path):
    headers, rows = results_rows(pilot_data(tmp_path))
    assert headers == ["STT", "Đơn vị", "Khai sinh", "Kết hôn", "Khai tử", "Tổng số thư"]
    assert rows == [
        [1, "Xã Phước Quang", 30, 35, 12, 77],
        [2, "Xã Phước Nghĩa", 24, 27, 9, 60],
        ["", "Tổng cộng", 54, 62, 21, 137],
    ]


@pytest.mark.parametrize(
    "text, expected",
    [("2024", "năm 2024"), ("2024-Q3", "quý III năm 2024"), ("2024-11", "tháng 11 năm 2024"),
     ("2025-01", "tháng 01 năm 2025"), ("2024-01-01..2024-06-30", "6 tháng đầu năm 2024"),
     ("2024-03-01..2024-05-31", "từ ngày 01/3/2024 đến ngày 31/5/2024")],
)  # fmt: skip
def test_period_phrases(text, expected):
    assert period_phrase(parse_period(text)) == expected


def test_subject_and_closing_name_the_issuer_and_the_recipient(tmp_path):
    district = pilot_data(tmp_path)
    assert subject_line(district) == (
        "Kết quả thực hiện mô hình “Hành chính phục vụ người dân” trên địa bàn huyện Tuy Phước "
        "từ ngày 01/3/2024 đến ngày 31/5/2024"
    )
    assert closing(district).endswith(
        "Ủy ban nhân dân huyện Tuy Phước kính báo cáo Ủy ban nhân dân tỉnh Bình Định./."
    )
    commune = pilot_data(tmp_path, unit="phuoc-quang")
    assert closing(commune).endswith(
        "Ủy ban nhân dân xã Phước Quang kính báo cáo Ủy ban nhân dân huyện Tuy Phước./."
    )


def test_a_commune_report_tells_its_own_rollout(tmp_path):
    text = text_of(pilot_data(tmp_path, unit="phuoc-quang"), charts=["by_month"])
    assert (
        "Ủy ban nhân dân xã Phước Quang đã ban hành kế hoạch thực hiện mô hình ngày 05/02/2024, "
        "tổ chức ra mắt mô hình ngày 01/3/2024 và bắt đầu gửi thư từ ngày 01/3/2024."
    ) in text
    assert "Xã Phước Quang là đơn vị thực hiện thí điểm mô hình." in text
    assert (
        "Từ ngày 01/3/2024 đến ngày 31/5/2024, Ủy ban nhân dân xã Phước Quang đã làm Thư chúc mừng cho 30 trường hợp"
        in text
    )


def test_end_to_end_the_pilot_units_make_the_dispatch_figures(tmp_path):
    """The shipped sample, the two pilot communes run for the pilot period, then the district
    report: 54 birth, 62 marriage and 21 condolence letters from 02 communes, as in 2024."""
    from delivery_fixtures import everything_handed, fill
    from docx import Document

    from hcpvnd_utils.delivery.importer import import_sheets
    from hcpvnd_utils.letters.run import run_unit
    from hcpvnd_utils.report.document import extract_text
    from hcpvnd_utils.review import drafting as reporting

    ledger = tmp_path / "ledger.sqlite"
    sheets = []
    for unit in ("phuoc-quang", "phuoc-nghia"):
        result = run_unit(
            unit, PILOT, inputs=INPUTS_2024, outputs=tmp_path, ledger=ledger, today=date(2024, 6, 5)
        )
        sheets.append(result.out_dir / "so_giao_thu.xlsx")

    def report() -> str:
        result = reporting.run_report(PILOT, inputs=INPUTS_2024, outputs=tmp_path, ledger=ledger,
                                      narrative={}, pdf=False, today=date(2024, 6, 5))  # fmt: skip
        assert not [m for m in result.messages if m.startswith("[W-REPORT")]
        return extract_text(Document(str(result.draft)))

    made = report()  # letters made, none handed over yet: the data does not say "sent"
    assert (
        "Từ ngày 01/3/2024 đến ngày 31/5/2024, 02 xã (Phước Quang và Phước Nghĩa) đã làm Thư chúc "
        "mừng cho 54 trường hợp đăng ký khai sinh, 62 trường hợp đăng ký kết hôn và làm 21 Thư "
        "chia buồn đối với 21 trường hợp đăng ký khai tử; tổng cộng 137 thư."
    ) in made
    assert "đã gửi" not in made.lower() and "Số thư đã gửi" not in made
    assert "Chưa có thông tin về việc trao thư cho người dân" in made
    for sheet in sheets:  # the communes fill in their delivery sheets; the district imports them
        fill(sheet, everything_handed())
    assert import_sheets(sheets, inputs=INPUTS_2024, outputs=tmp_path).exit_code == 0
    text = report()
    assert (
        "Từ ngày 01/3/2024 đến ngày 31/5/2024, 02 xã (Phước Quang và Phước Nghĩa) đã gửi Thư chúc "
        "mừng cho 54 trường hợp đăng ký khai sinh, 62 trường hợp đăng ký kết hôn và gửi 21 Thư "
        "chia buồn đối với 21 trường hợp đăng ký khai tử; tổng cộng 137 thư."
    ) in text
    assert " | Tổng cộng | 54 | 62 | 21 | 137" in text
    assert "Theo danh sách đăng ký của các đơn vị, trong kỳ có" in text  # from the summaries
    assert "đã trao 137/137 thư (100%)" in text and "chưa ghi nhận phản ánh tiêu cực nào" in text
    assert "Bảng 1. Số thư đã gửi theo đơn vị và loại thư" in text


def test_a_narrative_file_that_is_not_yaml_says_where_in_vietnamese(tmp_path):
    path = tmp_path / "n.yaml"
    path.write_text("han_che: [Thiếu kinh phí\n", encoding="utf-8")
    with pytest.raises(HcpvndError) as caught:
        load_narrative(path)
    assert caught.value.code == "E-REPORT-02"
    assert "sai cú pháp ở dòng 2" in str(caught.value) and "Error" not in str(caught.value)


def test_a_period_before_any_unit_started_says_so_instead_of_a_silent_zero_report(tmp_path):
    data = pilot_data(tmp_path, letters={}, period=parse_period("2023"))
    (note,) = [n for n in data.notes if n.startswith("[W-REPORT-07]")]
    assert "chưa đơn vị nào bắt đầu gửi thư" in note and "từ ngày 01/3/2024" in note
    assert not any("W-REPORT-07" in n for n in pilot_data(tmp_path / "pilot").notes)
