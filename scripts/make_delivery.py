"""Fill in the sample's delivery sheets as the communes would (synthetic, deterministic).

    python scripts/make_delivery.py --outputs outputs --period 2024-03-01..2024-05-31

Each unit's ``<outputs>/<period>/<unit>/so_giao_thu.xlsx`` (written by the letters run) is
filled in and saved in place, as a clerk fills it in Excel, for ``hcpvnd delivery import``:

- the pilot period (2024-03-01..2024-05-31): every letter handed over, every response positive
  or neutral, none negative — what the 2024 dispatch says ("hầu hết các trường hợp đều có phản
  ánh tích cực … chưa nhận được phản ánh tiêu cực nào");
- any other period: the letters of registrations up to a month before the period's end mostly
  handed over, the later ones partly, so that the report shows letters still waiting.

Everything is chosen from a hash of each letter's reference: the same sheet is always filled the
same way, and a sheet already filled is left untouched (the file is not saved again), so running
it twice changes nothing. A handing-over day is the day the letter was made plus 0-4 days, never
after ``--today`` (the demo makes its letters today, so they are handed over today).
"""

from __future__ import annotations

import argparse
import hashlib
from datetime import date, datetime, timedelta
from pathlib import Path

from openpyxl import load_workbook

PILOT = "2024-03-01_2024-05-31"
SHEET = "so_giao_thu.xlsx"
DATA_SHEET = "Sổ giao thư"
HEADERS = {  # the sheet's headers (hcpvnd_utils.delivery.vocabulary.COLUMNS)
    "reference": "Mã thư", "reg_date": "Ngày đăng ký", "made_on": "Ngày làm thư",
    "handed_on": "Ngày trao thư", "channel": "Cách trao", "role": "Người trao",
    "response": "Phản ánh của gia đình", "note": "Ghi chú",
}  # fmt: skip
CHANNELS = ["Trao tận tay"] * 6 + ["Qua thôn, tổ dân phố"] * 3 + ["Bưu điện"]
ROLES = ["Cán bộ tư pháp – hộ tịch"] * 4 + ["Hội LHPN"] * 3 + ["Trưởng thôn, tổ trưởng TDP"] * 2
ROLES += ["Lãnh đạo UBND xã"]
NOTES = ["", "", "", "", "", "", "Gia đình cảm ơn UBND xã", "Trao cùng giấy khai sinh",
         "Trao tại bộ phận một cửa", "Gia đình đi vắng, trao lần hai"]  # fmt: skip


def pick(reference: str, salt: str, choices: list):
    digest = hashlib.sha256(f"{salt}|{reference}".encode()).digest()
    return choices[int.from_bytes(digest[:4], "big") % len(choices)]


def handed(reference: str, period_label: str, reg_date: date | None, end: date) -> bool:
    """Whether the sample's commune has handed this letter over."""
    if period_label == PILOT:
        return True
    recent = reg_date is None or reg_date > end - timedelta(days=31)
    share = 40 if recent else 92  # percent handed over
    return pick(reference, "handed", list(range(100))) < share


def fill_sheet(path: Path, period_label: str, end: date, today: date) -> int:
    """Fill one sheet in place; returns how many rows were filled (0: the file is untouched)."""
    book = load_workbook(path)
    sheet = book[DATA_SHEET]
    header_row, columns = _header(sheet)
    filled = 0
    for row in range(header_row + 1, sheet.max_row + 1):
        cell = lambda key, r=row: sheet.cell(r, columns[key])  # noqa: E731
        reference = cell("reference").value
        if not reference or cell("handed_on").value is not None:
            continue  # not a letter's row, or filled already
        reg_date = _day(cell("reg_date").value)
        if not handed(str(reference), period_label, reg_date, end):
            continue
        made = _day(cell("made_on").value) or today
        cell("handed_on").value = min(
            made + timedelta(days=pick(reference, "day", range(5))), today
        )
        cell("channel").value = pick(reference, "channel", CHANNELS)
        cell("role").value = pick(reference, "role", ROLES)
        cell("response").value = _response(str(reference), period_label)
        cell("note").value = pick(reference, "note", NOTES) or None
        filled += 1
    if filled:
        book.save(path)
    return filled


def _response(reference: str, period_label: str) -> str:
    if period_label == PILOT:  # the dispatch: mostly positive, none negative
        return pick(reference, "response", ["Tích cực"] * 17 + ["Bình thường"] * 3)
    weights = {"Tích cực": 80, "Bình thường": 14, "Không ý kiến": 5, "Tiêu cực": 1}
    return pick(reference, "response", [r for r, n in weights.items() for _ in range(n)])


def _header(sheet) -> tuple[int, dict[str, int]]:
    for row in range(1, 31):
        found = {sheet.cell(row, c).value: c for c in range(1, sheet.max_column + 1)}
        if HEADERS["reference"] in found:
            return row, {key: found[title] for key, title in HEADERS.items()}
    raise SystemExit(f"{sheet.title}: no header row")


def _day(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outputs", required=True, type=Path)
    parser.add_argument("--period", required=True, help="2024-03-01..2024-05-31, 2024-09, …")
    parser.add_argument("--today", type=date.fromisoformat, default=date.today())
    args = parser.parse_args()
    label = args.period.replace("..", "_")
    end = _period_end(args.period)
    sheets = sorted((args.outputs / label).glob(f"*/{SHEET}"))
    for path in sheets:
        count = fill_sheet(path, label, end, args.today)
        print(f"{path.parent.name}: {count} dòng điền mới")


def _period_end(text: str) -> date:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from hcpvnd_utils.periods import parse_period

    return parse_period(text).end


if __name__ == "__main__":
    main()
