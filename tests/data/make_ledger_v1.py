"""Write ``ledger_v1.sqlite``: a ledger as the version of issue 15 makes it (schema version 1),
kept as it is so that later versions are tested on a ledger they did not write.

Run from the repository: ``.venv/bin/python tests/data/make_ledger_v1.py`` — only while the
ledger's schema is still version 1; after a schema change the committed file is the fixture.
Two units of the 2024 sample: Phước Quang (a pilot run, five letters: three made, one final, one
purged) and Phước Nghĩa (two letters, no run recorded).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from hcpvnd_utils.config import load_units
from hcpvnd_utils.ledger.book import Ledger
from hcpvnd_utils.ledger.schema import SCHEMA_VERSION
from hcpvnd_utils.periods import parse_period
from hcpvnd_utils.records import Record

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
TARGET = HERE / "ledger_v1.sqlite"
PILOT = parse_period("2024-03-01..2024-05-31")
LETTERS = {  # unit: [(event, number, registration date)]
    "phuoc-quang": [
        ("khai_sinh", "1", date(2024, 3, 4)), ("khai_sinh", "2", date(2024, 3, 18)),
        ("ket_hon", "1", date(2024, 4, 9)), ("khai_tu", "1", date(2024, 5, 20)),
        ("khai_sinh", "3", date(2024, 6, 3)),
    ],
    "phuoc-nghia": [("ket_hon", "7", date(2024, 3, 12)), ("khai_tu", "2", date(2024, 4, 1))],
}  # fmt: skip


def main() -> None:
    assert SCHEMA_VERSION == 1, "the committed ledger_v1.sqlite is the fixture now"
    config = load_units(ROOT / "inputs" / "units.yaml")
    TARGET.unlink(missing_ok=True)
    with Ledger(TARGET) as book:
        for key, letters in LETTERS.items():
            unit = config.unit(key)
            run_id = book.start_run(unit, PILOT) if key == "phuoc-quang" else None
            for row, (event, number, day) in enumerate(letters, start=7):
                values = {"reg_no": number, "reg_date": day, "reg_book": "01/2024"}
                reg_id = book.record_registration(unit, Record(event, "x.xlsx", "S", row, values))
                file = f"{PILOT.label}/{key}/letters/{event}/{number:0>3}_x.docx"
                book.record_letter(reg_id, file, "0" * 64, run_id)
            if run_id:
                book.finish_run(run_id, "ok", {})
                book.mark_final(unit, PILOT, [("ket_hon", "1/2024", "1")])
                purged = book.sent(unit, ("khai_tu", "1/2024", "1"))
                book.mark_purged([purged["letter_id"]])


if __name__ == "__main__":
    main()
