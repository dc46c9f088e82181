"""Reporting periods (2024-09, 2024-Q3, 2024, 2024-03-01..2024-05-31, inclusive), and how a
date and a moment are written for a Vietnamese reader."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime

from .errors import PeriodError


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    label: str  # folder name: 2024-11, 2024-Q3, 2024, 2024-03-01_2024-05-31

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    def overlaps(self, start: date, end: date) -> bool:
        return start <= self.end and end >= self.start

    def as_dict(self) -> dict:
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}

    @property
    def argument(self) -> str:
        """The text that parses back to this period: '2024-09', '2024-03-01..2024-05-31'."""
        return self.label.replace("_", "..")

    def vietnamese(self) -> str:
        """'từ ngày 01/3/2024 đến ngày 31/5/2024' — the style of the dispatch."""
        return f"từ ngày {short_date(self.start)} đến ngày {short_date(self.end)}"


def short_date(day: date) -> str:
    """Administrative short date: 01/3/2024, 09/01/2024 (months 1-2 keep their zero)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{day.day:02d}/{month}/{day.year}"


def now_iso() -> str:
    """This moment, with the machine's offset: '2024-06-05T09:05:12+07:00' (files and ledger)."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


def spoken_moment(moment: str | datetime) -> str:
    """A moment as a clerk says it, in this machine's time: '09:05 ngày 05/6/2024'. Text that is
    not a moment is returned as it is."""
    try:
        when = moment if isinstance(moment, datetime) else datetime.fromisoformat(moment)
    except (TypeError, ValueError):
        return str(moment)
    if when.tzinfo is not None:
        when = when.astimezone()
    return f"{when:%H:%M} ngày {short_date(when.date())}"


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_period(text: str) -> Period:
    value = str(text).strip()
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})", value):
            year, month = int(m[1]), int(m[2])
            return Period(date(year, month, 1), _month_end(year, month), f"{year}-{month:02d}")
        if m := re.fullmatch(r"(\d{4})-[Qq]([1-4])", value):
            year, quarter = int(m[1]), int(m[2])
            first = 3 * quarter - 2
            return Period(date(year, first, 1), _month_end(year, first + 2), f"{year}-Q{quarter}")
        if m := re.fullmatch(r"(\d{4})", value):
            year = int(m[1])
            return Period(date(year, 1, 1), date(year, 12, 31), str(year))
        # from..to, or the folder name the tool itself gives such a period (from_to)
        if m := re.fullmatch(r"(\d{4}-\d{2}-\d{2})\s*(?:\.\.|_)\s*(\d{4}-\d{2}-\d{2})", value):
            start, end = date.fromisoformat(m[1]), date.fromisoformat(m[2])
            if start > end:
                raise PeriodError(
                    "E-PERIOD-02", value=value, start=short_date(start), end=short_date(end),
                    swapped=f"{end.isoformat()}..{start.isoformat()}",
                )  # fmt: skip
            return Period(start, end, f"{start.isoformat()}_{end.isoformat()}")
    except ValueError:
        pass
    raise PeriodError("E-PERIOD-01", value=value)
