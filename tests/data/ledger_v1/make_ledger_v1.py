"""The outputs of hcpvnd before issue #12 (ledger schema 1), kept to test the upgrade in place.

Made once, with the code of main at 330e408 (the last commit before the ledger schema 2), by
``.venv/bin/python tests/data/ledger_v1/make_ledger_v1.py`` from a checkout of that commit; the
files it wrote are committed next to it (``inputs/``, ``outputs/``) and must not be regenerated
with later code: they are what a district office has on disk today. Synthetic people only.

What it holds (Phước Thành, births):
- 2024-09: numbers as a CSV re-export and clerks spell them ("5.0", "07A", "12/2024"), and one
  number (20) in two books, both in one run;
- 2024-10: a first run with book 01/2024 no. 30, then a second run of the same month after a
  registration of book 02/2024 no. 30 (same child's name, registered earlier) was added: the old
  naming gave the new letter the first one's file name, overwrote it, and the ledger points both
  registrations at one file (issue #12, point 1).
"""

from __future__ import annotations

import shutil
import sqlite3
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(ROOT))

from hcpvnd_utils.letters.run import run_unit  # noqa: E402

UNIT = "phuoc-thanh"
HEADER = ["STT", "Quyển số", "Số ĐK", "Ngày ĐK", "Họ và tên", "Ngày sinh", "Giới tính",
          "Họ tên mẹ", "Nơi cư trú"]  # fmt: skip
PLACE = "Thôn Phổ Trạch, xã Phước Thành"
SEPTEMBER = [
    ["1", "01/2024", "5.0", "02/09/2024", "Lê Văn An", "01/08/2024", "Nam", "Nguyễn Thị Lan"],
    ["2", "01/2024", "07A", "03/09/2024", "Trần Thị Bích", "02/08/2024", "Nữ", "Bùi Thị Mai"],
    ["3", "01/2024", "12/2024", "04/09/2024", "Đặng Thị Giang", "03/08/2024", "Nữ", "Hồ Thị Oanh"],
    ["4", "01/2024", "20", "05/09/2024", "Phạm Minh Châu", "04/08/2024", "Nam", "Đỗ Thị Ngọc"],
    ["5", "02/2024", "20", "06/09/2024", "Phạm Minh Châu", "05/08/2024", "Nam", "Lý Thị Phượng"],
]  # fmt: skip
OCTOBER_FIRST = [
    ["1", "01/2024", "30", "10/10/2024", "Võ Văn Dũng", "01/09/2024", "Nam", "Mai Thị Quyên"],
]  # fmt: skip
OCTOBER_ADDED = [
    ["2", "02/2024", "30", "07/10/2024", "Võ Văn Dũng", "02/09/2024", "Nam", "Nguyễn Thị Lan"],
]  # fmt: skip


def _csv(rows: list[list[str]]) -> str:
    lines = [",".join(HEADER)] + [",".join([*row, f'"{PLACE}"']) for row in rows]
    return "\r\n".join(lines) + "\r\n"


def main() -> None:
    inputs, outputs = HERE / "inputs", HERE / "outputs"
    shutil.rmtree(inputs, ignore_errors=True)
    shutil.rmtree(outputs, ignore_errors=True)
    folder = inputs / UNIT
    folder.mkdir(parents=True)
    shutil.copy(ROOT / "inputs" / "units.yaml", inputs / "units.yaml")
    (folder / "khai_sinh_t9.csv").write_text(_csv(SEPTEMBER), encoding="utf-8")
    (folder / "khai_sinh_t10.csv").write_text(_csv(OCTOBER_FIRST), encoding="utf-8")
    run_unit(UNIT, "2024-09", inputs=inputs, outputs=outputs)
    run_unit(UNIT, "2024-10", inputs=inputs, outputs=outputs)
    (folder / "khai_sinh_t10.csv").write_text(_csv(OCTOBER_FIRST + OCTOBER_ADDED), "utf-8")
    run_unit(UNIT, "2024-10", inputs=inputs, outputs=outputs)
    with sqlite3.connect(outputs / "ledger.sqlite") as db:  # one file: no -wal beside it
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for extra in outputs.glob("ledger.sqlite-*"):
        extra.unlink()
    print(f"schema-1 outputs written to {outputs}")


if __name__ == "__main__":
    main()
