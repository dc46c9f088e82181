from datetime import date

import pytest

from hcpvnd_utils.errors import PeriodError
from hcpvnd_utils.periods import parse_period, short_date


@pytest.mark.parametrize(
    "text, start, end, label",
    [
        ("2024-09", date(2024, 9, 1), date(2024, 9, 30), "2024-09"),
        ("2024-2", date(2024, 2, 1), date(2024, 2, 29), "2024-02"),
        ("2024-Q3", date(2024, 7, 1), date(2024, 9, 30), "2024-Q3"),
        ("2024-q4", date(2024, 10, 1), date(2024, 12, 31), "2024-Q4"),
        ("2024", date(2024, 1, 1), date(2024, 12, 31), "2024"),
        (
            "2024-03-01..2024-05-31",
            date(2024, 3, 1),
            date(2024, 5, 31),
            "2024-03-01_2024-05-31",
        ),
    ],
)
def test_accepted_periods(text, start, end, label):
    period = parse_period(text)
    assert (period.start, period.end, period.label) == (start, end, label)


@pytest.mark.parametrize(
    "text",
    ["2024-13", "2024-Q5", "09/2024", "", "2024-02-30..2024-03-01"],
)
def test_refused_periods_say_which_forms_work(text):
    with pytest.raises(PeriodError) as caught:
        parse_period(text)
    assert caught.value.code == "E-PERIOD-01"
    assert "2024-Q3" in caught.value.message


def test_period_bounds_are_inclusive():
    period = parse_period("2024-03-01..2024-05-31")
    assert date(2024, 3, 1) in period and date(2024, 5, 31) in period
    assert date(2024, 6, 1) not in period


@pytest.mark.parametrize(
    "day, text",
    [
        (date(2024, 3, 1), "01/3/2024"),
        (date(2024, 1, 9), "09/01/2024"),
        (date(2024, 11, 25), "25/11/2024"),
    ],
)
def test_short_dates_follow_the_dispatch(day, text):
    assert short_date(day) == text


def test_a_reversed_period_says_to_swap_the_dates():
    with pytest.raises(PeriodError) as caught:
        parse_period("2024-05-31..2024-03-01")
    assert caught.value.code == "E-PERIOD-02"
    assert "ngày bắt đầu 31/5/2024 sau ngày kết thúc 01/3/2024" in caught.value.message
    assert "2024-03-01..2024-05-31" in caught.value.message


def test_the_tools_own_folder_label_is_a_period():
    for text in ("2024-09-01..2024-09-30", "2024-03-01..2024-05-31"):
        period = parse_period(text)
        assert parse_period(period.label) == period  # 2024-09-01_2024-09-30, as in outputs/
