"""Dates as clerks write them: always day first; impossible dates refused."""

from datetime import date, datetime

import pytest

from hcpvnd_utils.ingest.dates import DateError, parse_date, parse_year, stated_period

SEP_5 = date(2024, 9, 5)


@pytest.mark.parametrize(
    "value",
    [
        SEP_5,
        datetime(2024, 9, 5, 14, 30),
        "05/09/2024",
        "5/9/2024",
        "05/9/2024",
        "05-09-2024",
        "05.09.2024",
        " 05 / 09 / 2024 ",
        "2024-09-05",
        "2024-09-05 00:00:00",
        "ngày 05 tháng 9 năm 2024",
        "Ngày 5 tháng 09 năm 2024",
        "ngay 05 thang 9 nam 2024",
        "14 giờ 30 phút, ngày 05/9/2024",
        "vào lúc 14 giờ 30 phút ngày 05 tháng 9 năm 2024",
        "14h30 ngày 05/9/2024",
        "05/9/2024 14:30",
        45540,
        45540.0,
        "45540",
    ],
)
def test_every_written_form_of_5_september_2024(value):
    assert parse_date(value) == SEP_5


@pytest.mark.parametrize(
    ("value", "day"),
    [("01/02/2024", date(2024, 2, 1)), ("12/11/2024", date(2024, 11, 12)),
     ("29/02/2024", date(2024, 2, 29))],
)  # fmt: skip
def test_day_comes_first(value, day):
    assert parse_date(value) == day


@pytest.mark.parametrize(
    "value",
    ["31/11/2024", "29/02/2023", "32/1/2024", "0/1/2024", "15/13/2024", "05/9/24", "abc",
     "1985", "9/2024", "12.5", 12.5, 100, True, "2024-02-30", "05/09/0024"],
)  # fmt: skip
def test_what_is_not_a_full_date_is_refused(value):
    with pytest.raises(DateError):
        parse_date(value)


@pytest.mark.parametrize("value", [None, "", "   "])
def test_an_empty_cell_is_no_date(value):
    assert parse_date(value) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1985", 1985), (1985, 1985), (1985.0, 1985), ("năm 1985", 1985), ("9/1985", 1985),
     ("tháng 9 năm 1985", 1985), ("05/03/1985", date(1985, 3, 5)), (date(1985, 3, 5), date(1985, 3, 5))],
)  # fmt: skip
def test_a_year_alone_where_the_register_keeps_only_a_year(value, expected):
    assert parse_date(value, allow_year=True) == expected


@pytest.mark.parametrize(
    ("value", "year"),
    [("1985", 1985), (date(1985, 3, 5), 1985), ("05/03/1985", 1985), (1990.0, 1990),
     ("khoảng 1985", 1985)],
)  # fmt: skip
def test_birth_year(value, year):
    assert parse_year(value) == year


@pytest.mark.parametrize("value", ["85", "13/1985", "1700", "năm tám lăm"])
def test_bad_birth_year(value):
    with pytest.raises(DateError):
        parse_year(value)


@pytest.mark.parametrize(
    ("title", "period"),
    [
        ("Từ ngày 01/9/2024 đến ngày 30/9/2024", (date(2024, 9, 1), date(2024, 9, 30))),
        ("(Từ 01/3/2024 đến 31/5/2024)", (date(2024, 3, 1), date(2024, 5, 31))),
        ("TỪ NGÀY 01/01/2024 ĐẾN NGÀY 31/12/2024", (date(2024, 1, 1), date(2024, 12, 31))),
        ("Tháng 9 năm 2024", (date(2024, 9, 1), date(2024, 9, 30))),
        ("THÁNG 02/2024", (date(2024, 2, 1), date(2024, 2, 29))),
        ("Quý III/2024", (date(2024, 7, 1), date(2024, 9, 30))),
        ("Năm 2024", (date(2024, 1, 1), date(2024, 12, 31))),
        ("Tuy Phước, ngày 30 tháng 9 năm 2024", None),
        ("DANH SÁCH ĐĂNG KÝ KHAI SINH", None),
        ("Từ ngày 30/9/2024 đến ngày 01/9/2024", None),
    ],
)
def test_period_stated_in_a_title_row(title, period):
    assert stated_period(title) == period
