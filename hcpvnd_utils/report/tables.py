"""The report's tables (the .docx table, the province's .xlsx, the charts' bars), drawn from the
frames the analyst gets too (``ReportData.frames``: ``hc.frames.figures`` and
``hc.frames.monthly``) with pandas: a pivot, a groupby, a total — no counting by hand, so the
report and the analysis notebook cannot disagree.

Cells hold plain Python values (int, float, date, None): openpyxl writes them as numbers and
dates, the .docx formats them (``text.table_number``).
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from ..delivery.figures import NO_RESPONSE
from ..ledger.schema import RESPONSES
from ..periods import short_date
from ..records import EVENT_TITLES, EVENTS
from .data import ReportData

RESULTS_HEADERS = ["STT", "Đơn vị", *EVENT_TITLES.values(), "Tổng số thư"]


def unit_title(unit_type: str, name: str) -> str:
    """'Xã Phước Quang' (a table cell starts with a capital)."""
    text = f"{unit_type} {name}"
    return text[:1].upper() + text[1:]


def table_figures(data: ReportData) -> pd.DataFrame:
    """The results table's figures, with ``documents``: letters as sheets of paper (one letter
    for twins; ``letters`` counts the registrations given one, as the dispatch's cases)."""
    figures = in_results_table(data.frames.figures)
    return figures.assign(
        documents=figures["letters"] - figures["shared_cases"] + figures["shared_letters"]
    )


def in_results_table(figures: pd.DataFrame) -> pd.DataFrame:
    """The figures of the units in the results table: those implementing by the period's end,
    and any unit with letters in the ledger."""
    sent = figures.groupby("unit", observed=True)["letters"].transform("sum")
    return figures[figures["implementing"] | (sent > 0)]


def letters_pivot(figures: pd.DataFrame) -> pd.DataFrame:
    """Letters (sheets of paper, when ``table_figures`` says) per unit (rows, the units file's
    order) and event (columns), ints."""
    values = "documents" if "documents" in figures.columns else "letters"
    table = figures.pivot_table(index="unit", columns="event", values=values,
                                aggfunc="sum", observed=True)  # fmt: skip
    table = table.reindex(columns=list(EVENTS), fill_value=0).fillna(0).astype("int64")
    names = figures.drop_duplicates("unit").set_index("unit")
    table.index = [
        unit_title(names.at[key, "unit_type"], names.at[key, "unit_name"]) for key in table.index
    ]
    return table


def short_names(figures: pd.DataFrame) -> list[str]:
    """'Phước Quang', … in the order of ``letters_pivot``'s rows (the charts' labels)."""
    return [str(n) for n in figures.drop_duplicates("unit")["unit_name"]]


def results_rows(data: ReportData) -> tuple[list[str], list[list]]:
    """STT | Đơn vị | Khai sinh | Kết hôn | Khai tử | Tổng số thư, with the 'Tổng cộng' row."""
    table = letters_pivot(table_figures(data))
    table["total"] = table.sum(axis=1)
    rows = [[i, title, *map(int, counts)] for i, (title, counts) in
            enumerate(zip(table.index, table.to_numpy()), start=1)]  # fmt: skip
    rows.append(["", "Tổng cộng", *map(int, table.sum(axis=0).to_numpy())])
    return list(RESULTS_HEADERS), rows


def registrations_rows(data: ReportData) -> tuple[list[str], list[list]]:
    """Per unit and event: registrations, the cases given a letter (the dispatch's count: a
    letter for twins is two cases, where Bảng 1 counts it once, as a sheet of paper), the rows
    with a data error, those outside the scheme and the share."""
    verb = data.verb()  # "gửi" only when every letter was handed over
    headers = [
        "STT", "Đơn vị", "Loại đăng ký", "Số trường hợp đăng ký", f"Số trường hợp đã {verb} thư",
        "Dữ liệu có lỗi", "Không thuộc diện", f"Tỷ lệ {verb} thư (%)",
    ]  # fmt: skip
    figures = table_figures(data)
    number = figures["unit"].cat.remove_unused_categories().cat.codes + 1
    rows = [
        [int(n), unit_title(f.unit_type, f.unit_name), EVENT_TITLES[f.event], _value(f.registrations),
         int(f.letters), _value(f.rejected), _value(f.not_eligible), _value(f.coverage)]
        for n, f in zip(number, figures.itertuples(index=False))
    ]  # fmt: skip
    return headers, rows


def delivery_rows(data: ReportData) -> tuple[list[str], list[list]]:
    """Per unit of the results table: letters made, handed over and the share, the families'
    responses (and "Chưa ghi": handed over, no response written), the letters waiting and those
    late; the 'Tổng cộng' row."""
    days = data.delivery_days
    headers = [
        "STT", "Đơn vị", "Số thư đã làm", "Đã trao", "Tỷ lệ đã trao (%)", "Tích cực",
        "Bình thường", "Tiêu cực", "Không ý kiến", "Chưa ghi", "Chưa trao",
        f"Chưa trao quá {days} ngày",
    ]  # fmt: skip
    names = table_figures(data).drop_duplicates("unit")
    columns = ["letters", "handed", *RESPONSES, NO_RESPONSE, "waiting", "late"]
    per_unit = data.frames.delivery.groupby("unit", sort=False)[columns].sum()
    per_unit = per_unit.reindex([str(u) for u in names["unit"]], fill_value=0)
    titles = [unit_title(t, n) for t, n in zip(names["unit_type"], names["unit_name"])]
    rows = [[i, title, *_delivery_cells(counts)]
            for i, (title, counts) in enumerate(zip(titles, per_unit.to_dict("records")), 1)]  # fmt: skip
    rows.append(["", "Tổng cộng", *_delivery_cells(per_unit.sum().to_dict())])
    return headers, rows


def _delivery_cells(counts: dict) -> list:
    made, handed = int(counts["letters"]), int(counts["handed"])
    share = round(100.0 * handed / made, 1) if made else None
    # the responses and the letters handed over without one add up to the letters handed over
    responses = [int(counts[code]) for code in (*RESPONSES, NO_RESPONSE)]
    return [made, handed, share, *responses, int(counts["waiting"]), int(counts["late"])]


def late_rows(data: ReportData) -> tuple[list[str], list[list]]:
    """The late letters, for the units' clerks: references and days, never a name."""
    headers = ["STT", "Mã thư", "Đơn vị", "Loại thư", "Ngày làm thư", "Số ngày chờ"]
    names = {u.key: u.title for u in data.units}
    rows = [
        [i, late["reference"], names.get(late["unit"], late["unit"]),
         EVENT_TITLES.get(late["event"], late["event"]), late["made_on"], int(late["days"])]
        for i, late in enumerate(data.late, start=1)
    ]  # fmt: skip
    return headers, rows


def rollout_rows(data: ReportData) -> tuple[list[str], list[list]]:
    headers = [
        "STT", "Đơn vị", "Thí điểm", "Ngày ban hành kế hoạch", "Ngày ra mắt mô hình",
        "Ngày bắt đầu gửi thư", f"Đã triển khai đến ngày {short_date(data.period.end)}",
    ]  # fmt: skip
    units = data.frames.figures.drop_duplicates("unit")
    rows = [
        [i, unit_title(u.unit_type, u.unit_name), "x" if u.pilot else "", _day(u.plan_issued),
         _day(u.launch), _day(u.letters_start), "x" if u.implementing else ""]
        for i, u in enumerate(units.itertuples(index=False), start=1)
    ]  # fmt: skip
    return headers, rows


def monthly_rows(data: ReportData) -> tuple[list[str], list[list]]:
    """Tháng | Khai sinh | Kết hôn | Khai tử | Tổng số thư, a row per month from January."""
    months = data.frames.months
    totals = months.sum(axis=1)
    rows = [
        [month_label(label), *map(int, counts), int(total)]
        for label, counts, total in zip(months.index, months.to_numpy(), totals)
    ]
    return ["Tháng", *EVENT_TITLES.values(), "Tổng số thư"], rows


def month_label(label: str) -> str:
    """'2024-03' → '3/2024', '2024-01' → '01/2024' (months 1-2 keep their zero)."""
    year, month = label.split("-")
    return f"{month if int(month) < 3 else int(month)}/{year}"


def _value(value):
    """A cell: an int or a float as itself, an unknown figure as None (an empty cell)."""
    if pd.isna(value):
        return None
    return float(value) if isinstance(value, float) else int(value)


def _day(value) -> date | None:
    return None if pd.isna(value) else value.date()
