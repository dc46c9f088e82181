"""Reporting periods: 2024-09, 2024-Q3, 2024, 2024-03-01..2024-05-31 (inclusive)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

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

    def vietnamese(self) -> str:
        """'từ ngày 01/3/2024 đến ngày 31/5/2024' — the style of the dispatch."""
        return f"từ ngày {short_date(self.start)} đến ngày {short_date(self.end)}"


def short_date(day: date) -> str:
    """Administrative short date: 01/3/2024, 09/01/2024 (months 1-2 keep their zero)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{day.day:02d}/{month}/{day.year}"


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
        if m := re.fullmatch(r"(\d{4}-\d{2}-\d{2})\s*\.\.\s*(\d{4}-\d{2}-\d{2})", value):
            start, end = date.fromisoformat(m[1]), date.fromisoformat(m[2])
            if start <= end:
                return Period(start, end, f"{start.isoformat()}_{end.isoformat()}")
    except ValueError:
        pass
    raise PeriodError("E-PERIOD-01", value=value)
