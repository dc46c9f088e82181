#!/usr/bin/env python
"""How fast delivery sheets are written and imported (``hcpvnd delivery import``): one unit's
10,000 letters of a year in one sheet, every row filled in as a clerk returns it.

The ledger holds the 10,000 letters (recorded through the Ledger API, real SQLite); the sheet is
written by the sheet writer a letters run uses, with every row filled in; then it is imported
(all recorded, one transaction), imported again (all unchanged, nothing written) and imported
with every response changed (all recorded, the old values to the history). Prints figures;
asserts nothing. Goal (issue 14): a 10,000-row sheet imported in well under a minute on a
commune's PC.

    .venv/bin/python benchmarks/bench_delivery.py [--rows 10000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hcpvnd_utils import layout
from hcpvnd_utils.config import load_units
from hcpvnd_utils.delivery.importer import import_sheets
from hcpvnd_utils.delivery.sheet import SheetInfo, SheetLetter, write_sheet
from hcpvnd_utils.ledger.book import Ledger
from hcpvnd_utils.ledger.rows import letter_reference
from hcpvnd_utils.periods import parse_period
from hcpvnd_utils.records import Record

YEAR = parse_period("2024")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    unit = load_units(ROOT / "inputs" / "units.yaml").unit("phuoc-thanh")
    with tempfile.TemporaryDirectory(prefix="bench-delivery-") as folder:
        outputs = Path(folder)
        started = time.perf_counter()
        letters = ledger_with_letters(outputs, unit, args.rows)
        print(f"Ledger with {args.rows:,} letters: {time.perf_counter() - started:.1f} s")
        sheet = layout.unit_folder(outputs, YEAR.label, unit.key).delivery_sheet
        sheet.parent.mkdir(parents=True, exist_ok=True)
        for title, response in (("import", "Tích cực"), ("same file again", "Tích cực"),
                                ("every response changed", "Bình thường")):  # fmt: skip
            if title != "same file again":
                started = time.perf_counter()
                write_sheet(sheet, SheetInfo.of(unit, YEAR), letters, filled(letters, response))
                written = time.perf_counter() - started
                print(f"Sheet of {args.rows:,} rows written: {written:.1f} s "
                      f"({sheet.stat().st_size / 1e6:.1f} MB)")  # fmt: skip
            started = time.perf_counter()
            (each,) = import_sheets([sheet], outputs=outputs).files
            took = time.perf_counter() - started
            print(f"  {title}: {took:.1f} s ({each.rows / took:,.0f} rows/s) — "
                  f"{each.recorded:,} recorded, {each.unchanged:,} unchanged, "
                  f"{each.rejected:,} rejected")  # fmt: skip
    return 0


def ledger_with_letters(outputs: Path, unit, count: int) -> list[SheetLetter]:
    records = [Record("khai_sinh", "x.xlsx", "S", i + 7,
                      {"reg_no": str(i + 1), "reg_date": date(2024, 1 + i % 12, 1 + i % 28)})
               for i in range(count)]  # fmt: skip
    with Ledger(outputs / "ledger.sqlite") as book:
        for i, reg_id in enumerate(book.record_registrations(unit, records)):
            book.record_letter(reg_id, f"{YEAR.label}/{unit.key}/letters/khai_sinh/{i:05d}.docx",
                               "0" * 64, None)  # fmt: skip
    return [
        SheetLetter(letter_reference(unit.scheme, unit.code, "khai_sinh", "1/2024", str(i + 1)),
                    "khai_sinh", str(i + 1), r.reg_date, "Anh Lê Văn A và chị Trần Thị B",
                    "thôn Phổ Trạch, xã Phước Thành", date.today())
        for i, r in enumerate(records)
    ]  # fmt: skip


def filled(letters: list[SheetLetter], response: str) -> dict:
    return {
        x.reference: {"handed_on": date.today().strftime("%d/%m/%Y"), "channel": "Trao tận tay",
                      "role": "Hội LHPN", "response": response, "note": "trao tại nhà"}
        for x in letters
    }  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
