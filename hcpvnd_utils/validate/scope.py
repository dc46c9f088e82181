"""Which rows a period's run looks at, and the part of the period a unit sends letters in.

A units file covers one hierarchy for a span of time; a sheet belongs to a period when it says so
or when one of its rows does; a unit sends letters from its ``letters_start``.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from ..config import Unit, UnitsConfig
from ..errors import ConfigError
from ..periods import Period, short_date
from ..records import IngestResult, Record


def check_validity(config: UnitsConfig, period: Period) -> None:
    """A units file describes one hierarchy for a span of time (Tuy Phước's 13 units until
    30/6/2025, its 4 new communes after): a period outside it belongs to the other file."""
    start, end = config.valid_from, config.valid_to
    if (start and period.end < start) or (end and period.start > end):
        raise ConfigError(
            "E-CONF-04", path=config.path, period=period.vietnamese(),
            start=short_date(start) if start else "…", end=short_date(end) if end else "nay",
        )  # fmt: skip


def stated_periods(read: IngestResult) -> dict:
    """(file, sheet) -> (start, end) that the sheet's title rows state ("Từ ngày … đến ngày …").

    A title that every dated row of its sheet contradicts is last month's title copied over,
    not rows of another period: it is set aside (W-PERIOD-03 on each row), and the rows are
    judged by their own registration dates. Before, every row was "out of period", no letter."""
    stated = {(s.name, s.sheet): (s.stated_start, s.stated_end) for s in read.sources}
    by_sheet = _by_sheet(read)
    for sheet, (start, end) in list(stated.items()):
        dated = [r for r in by_sheet.get(sheet, ()) if r.reg_date]
        if not (start and end and dated) or any(start <= r.reg_date <= end for r in dated):
            continue
        del stated[sheet]
        for record in dated:
            if not any(w.code == "W-PERIOD-03" for w in record.warnings):
                record.warnings.append(record.problem(
                    "W-PERIOD-03", "reg_date", severity="warning",
                    start=short_date(start), end=short_date(end),
                ))  # fmt: skip
    return stated


def _by_sheet(read: IngestResult) -> dict[tuple[str, str], list[Record]]:
    by_sheet: dict[tuple[str, str], list[Record]] = {}
    for record in read.records:
        by_sheet.setdefault((record.file, record.sheet), []).append(record)
    return by_sheet


def relevant_records(read: IngestResult, period: Period) -> list[Record]:
    """Rows of the sheets that belong to this period.

    A sheet belongs when its stated period ("Từ ngày … đến ngày …") or the month its file is
    named after ("khai_tu_2024-09.csv", "KS T9-2024.xlsx") overlaps ours, or when one of its
    rows is registered within ours, or when none of its rows has a readable date (so that its
    problems are shown). Its other rows then count as out of period: a file whose dates were
    all misread (month first, a stale title) is counted and said, never left out unseen.
    """
    stated = stated_periods(read)
    keep: list[Record] = []
    for sheet, rows in _by_sheet(read).items():
        start, end = stated.get(sheet, (None, None))
        dates = [r.reg_date for r in rows if r.reg_date]
        named = named_month(sheet[0])
        if (
            (start and end and period.overlaps(start, end))
            or (named and period.overlaps(*named))
            or any(d in period for d in dates)
            or not dates
        ):
            keep += rows
    return keep


# A month in a file's name: 2024-09, 2024_9, 202409, 09-2024, T9-2024, tháng 9 năm 2024.
_YEAR_MONTH = re.compile(r"(?<!\d)(20\d\d)[-_. ]?(0[1-9]|1[0-2])(?!\d)")
_MONTH_YEAR = re.compile(
    r"(?:^|[^0-9a-z])(?:t|thang)?[-_. ]?(0?[1-9]|1[0-2])[-_. ]+(?:nam[-_. ]+)?(20\d\d)(?!\d)"
)


def named_month(file_name: str) -> tuple[date, date] | None:
    """The first and last day of the month a file's name gives, or None."""
    from ..textnorm import ascii_slug

    text = ascii_slug(file_name.rsplit(".", 1)[0]).replace("_", "-")
    if found := _YEAR_MONTH.search(text):
        year, month = int(found[1]), int(found[2])
    elif found := _MONTH_YEAR.search(text):
        year, month = int(found[2]), int(found[1])
    else:
        return None
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def sending_period(unit: Unit, period: Period) -> Period:
    """The part of the period in which the unit sends letters (from its letters_start)."""
    begin = unit.rollout.letters_start
    if begin is None or begin <= period.start:
        return period
    return Period(min(begin, period.end + timedelta(days=1)), period.end, period.label)
