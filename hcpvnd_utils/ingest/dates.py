"""Dates as clerks write them. Always day first.

Accepted: real Excel dates and date-times, Excel serial numbers, ``dd/mm/yyyy``, ``d/m/yyyy``,
``dd-mm-yyyy``, ``dd.mm.yyyy``, ``yyyy-mm-dd``, "ngày 05 tháng 9 năm 2024", a time of day in
front or behind ("14 giờ 30 phút, ngày 05/9/2024", "05/9/2024 14:30"), and, where the register
keeps only a year (parents' birth years, old birth dates), "1985" or "9/1985" as the year.
Two-digit years are refused: "05/9/24" could be 1924 or 2024.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta

from ..textnorm import clean_text, strip_accents

MIN_YEAR, MAX_YEAR = 1850, 2100
_EXCEL_EPOCH = date(1899, 12, 30)
# Serial numbers of 1 Jan 1950 .. 31 Dec 2100: a bare number in a date column is an Excel date
# whose cell lost its date format. Anything else is not a date.
_MIN_SERIAL, _MAX_SERIAL = 18264, 73415

_TIME = re.compile(
    r"(?:(?:vao\s+)?luc\s+)?\b\d{1,2}\s*(?:gio|h|g)\s*(?:\d{1,2}\s*(?:phut|p|')?)?"
    r"|\b\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:am|pm|sa|ch)?"
)
_NOISE = re.compile(r"\b(?:vao\s+luc|luc|ngay|sang|trua|chieu|toi|dem|khoang)\b|[,;()]")
_NUMERIC = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2,4})")
_WORDS = re.compile(r"(\d{1,2})\s*thang\s*(\d{1,2})\s*(?:nam|[/.\-])\s*(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_MONTH_YEAR = re.compile(r"(?:thang\s*)?(\d{1,2})\s*(?:[/.\-]|nam)\s*(\d{4})")
_YEAR = re.compile(r"(?:nam\s*)?(\d{4})")


class DateError(ValueError):
    """The value is not a date (or not a year where a year is allowed)."""


def _checked(year: int, month: int, day: int) -> date:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DateError(f"year {year} out of range")
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise DateError(str(exc)) from None


def _year(year: int) -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DateError(f"year {year} out of range")
    return year


def from_serial(serial: float) -> date:
    """Excel's 1900 date system, as Excel shows it (serial 45540 → 2024-09-05)."""
    if not _MIN_SERIAL <= serial <= _MAX_SERIAL:
        raise DateError("number is not a date")
    return _EXCEL_EPOCH + timedelta(days=int(serial))


def _parse_number(value: float, allow_year: bool) -> date | int:
    if allow_year and float(value).is_integer() and MIN_YEAR <= value <= MAX_YEAR:
        return int(value)
    return from_serial(value)


def _parse_text(text: str, allow_year: bool) -> date | int:
    key = strip_accents(text).strip()
    if match := _ISO.fullmatch(key):
        return _checked(int(match[1]), int(match[2]), int(match[3]))
    key = _NOISE.sub(" ", _TIME.sub(" ", key))
    key = re.sub(r"\s+", " ", key).strip(" .")
    for pattern in (_WORDS, _NUMERIC):
        if match := pattern.fullmatch(key):
            day, month, year = (int(part) for part in match.groups())
            if len(match[3]) != 4:
                raise DateError("two-digit year")
            return _checked(year, month, day)
    if allow_year:
        if match := _MONTH_YEAR.fullmatch(key):
            if not 1 <= int(match[1]) <= 12:
                raise DateError("month out of range")
            return _year(int(match[2]))
        if match := _YEAR.fullmatch(key):
            return _year(int(match[1]))
    raise DateError("not a date")


def parse_date(value: object, *, allow_year: bool = False) -> date | int | None:
    """A ``date`` (or, with ``allow_year``, an ``int`` year); ``None`` for an empty cell.

    Raises ``DateError`` for anything else, including impossible dates like 31/11/2024.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return _checked(value.year, value.month, value.day)
    if isinstance(value, date):
        return _checked(value.year, value.month, value.day)
    if isinstance(value, bool):
        raise DateError("not a date")
    if isinstance(value, (int, float)):
        return _parse_number(value, allow_year)
    text = clean_text(value)
    if not text:
        return None
    if re.fullmatch(r"\d+(?:\.0+)?", text):
        number = float(text)
        if allow_year and 1000 <= number <= 9999:
            return _year(int(number))
        if len(text.split(".")[0]) == 5:
            return from_serial(number)
    return _parse_text(text, allow_year)


def parse_year(value: object) -> int | None:
    """A birth year from "1985", 1985, a full date (its year) or "9/1985"."""
    parsed = parse_date(value, allow_year=True)
    return parsed.year if isinstance(parsed, date) else parsed


_RANGE = re.compile(r"\btu(?: ngay)?\s+(.+?)\s+den(?: het)?(?: ngay)?\s+(.+)$")
_STATED_MONTH = re.compile(r"\bthang\s*(\d{1,2})\s*(?:nam|/|-|\.)\s*(\d{4})\b")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_STATED_QUARTER = re.compile(r"\bquy\s*(i{1,3}|iv|[1-4])\s*(?:nam|/|-|\.)\s*(\d{4})\b")
_DATE_LINE = re.compile(r"\bngay\s*\d{0,2}\s*thang\b")
_STATED_YEAR = re.compile(r"\bnam\s*(\d{4})\b")


def _month_bounds(year: int, first: int, last: int) -> tuple[date, date]:
    return date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1])


def stated_period(text: object) -> tuple[date, date] | None:
    """The period a title row states: "Từ ngày 01/9/2024 đến ngày 30/9/2024", "Tháng 9 năm
    2024", "Quý III/2024", "Năm 2024"; None when it states none."""
    key = re.sub(r"[()\[\]:,;]", " ", strip_accents(clean_text(text)))
    key = re.sub(r"\s+", " ", key).strip()
    try:
        if match := _RANGE.search(key):
            start, end = parse_date(match[1]), parse_date(match[2])
            return (start, end) if start and end and start <= end else None
        if _DATE_LINE.search(key):  # "Tuy Phước, ngày 30 tháng 9 năm 2024" dates a document
            return None
        if match := _STATED_MONTH.search(key):
            month = int(match[1])
            return _month_bounds(_year(int(match[2])), month, month)
        if match := _STATED_QUARTER.search(key):
            quarter = _ROMAN.get(match[1]) or int(match[1])
            return _month_bounds(_year(int(match[2])), 3 * quarter - 2, 3 * quarter)
        if match := _STATED_YEAR.search(key):
            return _month_bounds(_year(int(match[1])), 1, 12)
    except (DateError, ValueError):
        return None
    return None
