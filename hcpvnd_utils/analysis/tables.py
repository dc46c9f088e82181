"""The analysis notebook's tables: DataFrames with Vietnamese headers, drawn from the frames
(``hcpvnd_utils.frames``) with pandas. Each works on an empty frame (a period with no run yet)
and gives the table with its headers and no rows, never a KeyError."""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd

from .. import messages
from ..periods import parse_period
from ..records import EVENT_TITLES, EVENTS, REJECTED
from ..report.tables import in_results_table, month_label

TOTAL = "Tổng cộng"


@dataclass
class Notes:
    """The frames' notes on their sources, shown as a list (or as 'no note')."""

    lines: list[str]

    def _repr_html_(self) -> str:
        if not self.lines:
            return "<p>Không có ghi chú: số liệu đầy đủ.</p>"
        items = "".join(f"<li>{html.escape(line)}</li>" for line in self.lines)
        return f"<p><b>Ghi chú về số liệu</b></p><ul>{items}</ul>"

    def __repr__(self) -> str:
        return "\n".join(self.lines) or "Không có ghi chú: số liệu đầy đủ."


def notes(*frames: pd.DataFrame) -> Notes:
    from ..frames import notes as frame_notes

    return Notes(frame_notes(*frames))


def period_of(frame: pd.DataFrame):
    return parse_period(frame.attrs["period"])


def named(frame: pd.DataFrame, keys) -> list[str]:
    """The units' names ('Phước Quang') for their keys, from the frame's ``attrs``."""
    names = frame.attrs.get("units", {})
    return [names.get(str(key), str(key)) for key in keys]


def coverage(figures: pd.DataFrame) -> pd.DataFrame:
    """Per unit and event: registrations, letters, letters / registrations (%, the report's own
    figure), and the total; <NA> where a unit has no run of the period (registrations unknown).
    The units are those of the report's table: implementing by the period's end, or with letters."""
    values = {"Đăng ký": "registrations", "Thư": "letters", "Tỷ lệ (%)": "coverage"}
    figures = in_results_table(figures)
    wide = figures.pivot(index="unit", columns="event", values=list(values.values()))
    wide = wide.reindex(columns=pd.MultiIndex.from_product([list(values.values()), EVENTS]))
    table = pd.DataFrame({
        (EVENT_TITLES[event], title): wide[(column, event)]
        for event in EVENTS for title, column in values.items()
    })  # fmt: skip
    total = table.sum(min_count=1)
    for event in EVENTS:
        known = figures[(figures["event"] == event) & figures["registrations"].notna()]
        total[(EVENT_TITLES[event], "Tỷ lệ (%)")] = _percent(known["letters"].sum(),
                                                             known["registrations"].sum())  # fmt: skip
    table.index = named(figures, table.index)
    table.loc[TOTAL] = total
    table = table.astype({c: ("Float64" if c[1] == "Tỷ lệ (%)" else "Int64") for c in table})
    table.columns = pd.MultiIndex.from_tuples(table.columns)
    table.index.name = "Đơn vị"
    return table


def _percent(part: int, whole: int):
    """part / whole in %, one decimal as the report rounds it; <NA> when whole is 0."""
    return round(100.0 * int(part) / int(whole), 1) if whole else pd.NA


def timeliness(letters: pd.DataFrame) -> pd.DataFrame:
    """Days from registration to letter, per unit: letters, median, the 90th percentile (nine
    letters in ten are made within that many days), the longest; and the whole."""
    days = letters["days_to_letter"].astype("Float64")
    by_unit = days.groupby(letters["unit"], observed=True)
    table = pd.DataFrame({
        "Số thư": by_unit.count(),
        "Trung vị (ngày)": by_unit.median(),
        "90% thư trong vòng (ngày)": by_unit.quantile(0.9),
        "Lâu nhất (ngày)": by_unit.max(),
    })  # fmt: skip
    table.index = named(letters, table.index)
    whole = [days.count(), days.median(), days.quantile(0.9), days.max()]
    table.loc[TOTAL] = [pd.NA if pd.isna(v) else v for v in whole]
    table = table.astype("Float64").round(1).astype({"Số thư": "Int64"})
    table.index.name = "Đơn vị"
    return table


def by_month(letters: pd.DataFrame) -> pd.DataFrame:
    """Letters per month of registration within the period, by event, with the month's total."""
    from ..frames import monthly

    period = period_of(letters)
    table = monthly(letters, period.start, period.end)
    table.columns = [EVENT_TITLES[e] for e in table.columns]
    table["Tổng số thư"] = table.sum(axis=1)
    table.index = [month_label(label) for label in table.index]
    table.index.name = "Tháng"
    return table


def reasons(registrations: pd.DataFrame, outcome: str = REJECTED) -> pd.DataFrame:
    """Rows without a letter for ``outcome`` (default: data errors, what clerks get wrong) by
    code and unit, the most frequent code first, with what the code means."""
    rows = registrations[registrations["outcome"] == outcome]
    table = pd.crosstab(rows["code"].astype(str), rows["unit"].astype(str))
    table = table.reindex(columns=[u for u in registrations["unit"].cat.categories
                                   if u in table.columns])  # fmt: skip
    table.columns = named(registrations, table.columns)
    table["Tổng"] = table.sum(axis=1).astype("int64")
    table = table.sort_values("Tổng", ascending=False, kind="stable")
    table.insert(0, "Nội dung", [_meaning(code) for code in table.index])
    table.index.name = "Mã"
    return table


def _meaning(code: str) -> str:
    return messages.outline(code) if code in messages.CATALOG else ""


def rollout(figures: pd.DataFrame) -> pd.DataFrame:
    """Each unit's rollout (pilot, plan issued, launch, letters start, implementing by the
    period's end), and the share implementing against the target."""
    units = figures.drop_duplicates("unit").set_index("unit_name")
    table = pd.DataFrame({
        "Thí điểm": units["pilot"].map({True: "x", False: ""}),
        "Ban hành kế hoạch": units["plan_issued"].dt.date,
        "Ra mắt mô hình": units["launch"].dt.date,
        "Bắt đầu gửi thư": units["letters_start"].dt.date,
        "Đã triển khai": units["implementing"].map({True: "x", False: ""}),
    })  # fmt: skip
    table.index.name = "Đơn vị"
    return table


def rollout_share(figures: pd.DataFrame) -> str:
    """'02/13 xã, thị trấn đã triển khai gửi thư đến ngày 31/5/2024 (15,4%); mục tiêu 100% đến
    ngày 01/9/2024.'"""
    from ..periods import short_date
    from ..report.data import kinds_phrase
    from ..wording import admin_number, admin_percent

    units = figures.drop_duplicates("unit")
    doing, total = int(units["implementing"].sum()), len(units)
    kinds = kinds_phrase(units["unit_type"].astype(str)) or "đơn vị"
    share = admin_percent(100.0 * doing / total) if total else admin_percent(0)
    end = short_date(period_of(figures).end)
    text = f"{admin_number(doing)}/{admin_number(total)} {kinds} đã triển khai gửi thư đến ngày {end} ({share})"
    target, goal = figures.attrs.get("target_date"), figures.attrs.get("target_share", 100)
    return text + (f"; mục tiêu {goal}% đến ngày {short_date(target)}." if target else ".")
