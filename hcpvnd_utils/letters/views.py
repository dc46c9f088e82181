"""What the per-unit notebook displays: the accounting, the rows without a letter, the letters.

Plain tables (``tables.Table``), no pandas: the per-unit notebook starts a fresh kernel for every
unit, and pandas alone would cost more than the rest of the run. Every table is bounded (the
first MAX_SHOWN rows, and how many there are in all): the executed notebook of a
1,048,575-row export stays a few hundred kilobytes; the full list is in rejected.xlsx.
"""

from __future__ import annotations

from ..records import EVENT_TITLES
from ..tables import Table
from ..validate.accounting import accounting_table


def accounting(result) -> Table:
    summary = result.summary
    period = result.period.vietnamese()
    return accounting_table(summary["counts"], f"Đơn vị {result.unit.name}, {period}")


MAX_SHOWN = 1000


def rejected(result) -> Table:
    counts = result.summary["counts"].values()
    total = sum(c["rows"] - c["letters"] for c in counts) + len(result.file_problems)
    rows = [
        [
            EVENT_TITLES.get(r["event"], ""),
            r["file"],
            r["sheet"],
            r["row"],
            r["column"],
            r["message"],
        ]
        for r in result.summary["rejected"][:MAX_SHOWN]
    ]
    headers = ["Sự kiện", "Tệp", "Trang", "Dòng", "Cột", "Lý do"]
    title = "Các dòng không gửi thư"
    if total > len(rows):
        title += f" ({_n(len(rows))} dòng đầu trong {_n(total)}; đủ cả trong rejected.xlsx)"
    return Table(headers, rows, title, "Không có dòng nào bị loại.")


def letters(result) -> Table:
    made = result.summary["letters"]
    rows = [
        [i, EVENT_TITLES[x["event"]], x["registration_no"], x["registration_date"], x["file"]]
        for i, x in enumerate(made[:MAX_SHOWN], start=1)
    ]
    headers = ["STT", "Sự kiện", "Số ĐK", "Ngày ĐK", "Tệp thư"]
    title = f"Thư đã làm trong lần chạy này ({_n(len(made))})"
    if len(made) > len(rows):
        title += f", {_n(len(rows))} thư đầu"
    return Table(headers, rows, title, "Không có thư mới.")


def _n(number: int) -> str:
    return f"{number:,}".replace(",", ".")
