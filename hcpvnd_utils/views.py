"""What the per-unit notebook displays: the accounting, the rows without a letter, the letters."""

from __future__ import annotations

from .records import COUNT_NAMES, EVENT_TITLES, EVENTS
from .tables import Table

COUNT_TITLES = {
    "rows": "Số dòng",
    "letters": "Gửi thư",
    "rejected": "Lỗi dữ liệu",
    "out_of_period": "Ngoài kỳ",
    "duplicates": "Trùng",
    "not_eligible": "Không thuộc diện",
    "already_sent": "Đã gửi trước",
}
COUNT_ORDER = ["rows", *COUNT_NAMES.values()]


def accounting_table(counts: dict, title: str = "") -> Table:
    """Rows = letters + every reason, per event, with a total line."""
    rows = []
    totals = dict.fromkeys(COUNT_ORDER, 0)
    for event in EVENTS:
        figures = counts.get(event, {})
        rows.append([EVENT_TITLES[event], *(figures.get(k, 0) for k in COUNT_ORDER)])
        for k in COUNT_ORDER:
            totals[k] += figures.get(k, 0)
    rows.append(["Tổng cộng", *(totals[k] for k in COUNT_ORDER)])
    return Table(["Sự kiện", *(COUNT_TITLES[k] for k in COUNT_ORDER)], rows, title)


def units_accounting_table(per_unit: list[tuple[str, dict]], title: str = "") -> Table:
    """Several units in one table: a line per unit and event that had rows (a district of 13
    units would otherwise print 13 tables, most of them zeros), and the total."""
    rows, totals = [], dict.fromkeys(COUNT_ORDER, 0)
    for unit, counts in per_unit:
        for event in EVENTS:
            figures = counts.get(event, {})
            if figures.get("rows", 0):
                rows.append([unit, EVENT_TITLES[event], *(figures.get(k, 0) for k in COUNT_ORDER)])
                for k in COUNT_ORDER:
                    totals[k] += figures.get(k, 0)
    rows.append(["Tổng cộng", "", *(totals[k] for k in COUNT_ORDER)])
    headers = ["Đơn vị", "Sự kiện", *(COUNT_TITLES[k] for k in COUNT_ORDER)]
    return Table(headers, rows, title)


def accounting(result) -> Table:
    summary = result.summary
    period = result.period.vietnamese()
    return accounting_table(summary["counts"], f"Đơn vị {result.unit.name}, {period}")


def rejected(result) -> Table:
    rows = [
        [
            EVENT_TITLES.get(r["event"], ""),
            r["file"],
            r["sheet"],
            r["row"],
            r["column"],
            r["message"],
        ]
        for r in result.summary["rejected"]
    ]
    headers = ["Sự kiện", "Tệp", "Trang", "Dòng", "Cột", "Lý do"]
    return Table(headers, rows, "Các dòng không gửi thư", "Không có dòng nào bị loại.")


def letters(result) -> Table:
    rows = [
        [i, EVENT_TITLES[x["event"]], x["registration_no"], x["registration_date"], x["file"]]
        for i, x in enumerate(result.summary["letters"], start=1)
    ]
    headers = ["STT", "Sự kiện", "Số ĐK", "Ngày ĐK", "Tệp thư"]
    return Table(headers, rows, f"Thư đã làm trong lần chạy này ({len(rows)})", "Không có thư mới.")
