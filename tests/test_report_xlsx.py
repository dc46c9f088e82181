"""The report's tables as an .xlsx for the province's forms: a sheet per table, Vietnamese
headers, numbers as numbers and dates as dates."""

from datetime import datetime

from openpyxl import load_workbook
from report_fixtures import PILOT, pilot_data, write_summary

from hcpvnd_utils.report.workbook import write_tables


def rows(sheet):
    return [list(r) for r in sheet.iter_rows(min_row=3, values_only=True)]


def test_a_sheet_per_table_with_vietnamese_headers_and_real_numbers(tmp_path):
    write_summary(tmp_path, PILOT, "phuoc-quang", {"khai_sinh": {"rows": 31, "not_eligible": 1}})
    path = write_tables(pilot_data(tmp_path), tmp_path / "bang.xlsx")
    book = load_workbook(path)
    assert book.sheetnames == [
        "Thư theo đơn vị",
        "Đăng ký và thư",
        "Thư theo tháng",
        "Tiến độ triển khai",
    ]
    results = rows(book["Thư theo đơn vị"])
    assert results == [
        ["STT", "Đơn vị", "Khai sinh", "Kết hôn", "Khai tử", "Tổng số thư"],
        [1, "Xã Phước Quang", 30, 35, 12, 77],
        [2, "Xã Phước Nghĩa", 24, 27, 9, 60],
        [None, "Tổng cộng", 54, 62, 21, 137],
    ]
    assert book["Thư theo đơn vị"]["A1"].value.startswith(  # made, not handed over: "làm"
        "Số thư đã làm theo đơn vị và loại thư, từ ngày 01/3/2024"
    )
    registered = rows(book["Đăng ký và thư"])
    assert registered[0][3:] == ["Số trường hợp đăng ký", "Số trường hợp đã làm thư", "Dữ liệu có lỗi",
                                 "Không thuộc diện", "Tỷ lệ làm thư (%)"]  # fmt: skip
    assert registered[1] == [1, "Xã Phước Quang", "Khai sinh", 31, 30, 0, 1, 96.8]
    assert registered[4][3] is None  # Phước Nghĩa: no summary, no registrations
    monthly = rows(book["Thư theo tháng"])
    assert [r[0] for r in monthly[1:]] == ["01/2024", "02/2024", "3/2024", "4/2024", "5/2024"]
    rollout = rows(book["Tiến độ triển khai"])
    assert len(rollout) == 1 + 13
    quang = next(r for r in rollout if r[1] == "Xã Phước Quang")
    assert quang[2] == "x" and quang[3] == datetime(2024, 2, 5) and quang[6] == "x"
    assert book["Tiến độ triển khai"]["D9"].number_format == "DD/MM/YYYY"
