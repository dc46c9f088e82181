"""What the per-unit notebook displays: the accounting, what must still be done about letters
already made (in no print file…), the rows without a letter, the letters.

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
    """One line per letter: a letter for twins shows both registration numbers; the template
    it was made with (the event's own, or a variant's)."""
    made: dict[str, list[dict]] = {}
    for entry in result.summary["letters"]:
        made.setdefault(entry.get("letter_ref") or entry["file"], []).append(entry)
    rows = [
        [i, EVENT_TITLES[x[0]["event"]], ", ".join(e["registration_no"] for e in x),
         x[0]["registration_date"], _template(x[0]), x[0]["file"]]
        for i, x in enumerate(list(made.values())[:MAX_SHOWN], start=1)
    ]  # fmt: skip
    headers = ["STT", "Sự kiện", "Số ĐK", "Ngày ĐK", "Mẫu thư", "Tệp thư"]
    cases = len(result.summary["letters"])
    title = f"Thư đã làm trong lần chạy này ({_n(len(made))}"
    title += f" thư cho {_n(cases)} trường hợp)" if cases != len(made) else ")"
    if len(made) > len(rows):
        title += f", {_n(len(rows))} thư đầu"
    return Table(headers, rows, title, "Không có thư mới.")


def notices(result) -> Table:
    """What the run found about letters beyond its rows, each with the command that puts it
    right: letters in no print file (W-PRINT-01), a letter file given to several registrations
    (W-LEDGER-01). Counts, folders and commands: no name."""
    from .notices import CODES

    rows = [[w.code, w.message.removeprefix(f"[{w.code}] ")] for w in result.warnings
            if w.code in CODES]  # fmt: skip
    return Table(["Mã", "Cần làm thêm"], rows, "Thư cần làm thêm",
                 "Không có: mọi thư đã làm đều có trong tệp in.")  # fmt: skip


def _template(entry: dict) -> str:
    variant = entry.get("variant") or ""
    return f"{entry['event']}_{variant}" if variant else entry["event"]


def _n(number: int) -> str:
    return f"{number:,}".replace(",", ".")
