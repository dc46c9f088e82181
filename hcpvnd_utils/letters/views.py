"""What the per-unit notebook displays: the accounting, the rows without a letter, the letters.

Plain tables (``tables.Table``), no pandas: the per-unit notebook starts a fresh kernel for every
unit, and pandas alone would cost more than the rest of the run.
"""

from __future__ import annotations

from ..records import EVENT_TITLES
from ..tables import Table
from ..validate.accounting import accounting_table


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
