"""The outputs of hcpvnd before issue #17 (ledger schema 2), kept to test the upgrade in place.

Made once, with the code of main at e2a015a (the last commit before ledger schema 3), by
``python tests/data/ledger_v2/make_ledger_v2.py`` run from a checkout of that commit; the files
it wrote are committed next to it (``inputs/``, ``outputs/``) and must not be regenerated with
later code: they are what a district office has on disk today. Synthetic people only.

What it holds (Phước Thành, births of November 2024): one child (no. 50) and twins (nos. 51 and
52: the same mother, birth year and day of birth), for whom that code made two letters, each
congratulating the parents on one child.
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
          "Họ tên mẹ", "Năm sinh mẹ", "Họ tên cha", "Nơi cư trú"]  # fmt: skip
PLACE = "Thôn Phổ Trạch, xã Phước Thành"
NOVEMBER = [
    ["1", "01/2024", "50", "04/11/2024", "Lê Văn Bình", "10/10/2024", "Nam", "Phan Thị Mai",
     "1996", "Lê Văn Cường"],
    ["2", "01/2024", "51", "05/11/2024", "Nguyễn Minh An", "20/10/2024", "Nữ", "Trần Thị Hoa",
     "1995", "Nguyễn Văn Hùng"],
    ["3", "01/2024", "52", "05/11/2024", "Nguyễn Minh Khôi", "20/10/2024", "Nam", "Trần Thị Hoa",
     "1995", "Nguyễn Văn Hùng"],
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
    (folder / "khai_sinh_t11.csv").write_text(_csv(NOVEMBER), encoding="utf-8")
    run_unit(UNIT, "2024-11", inputs=inputs, outputs=outputs)
    with sqlite3.connect(outputs / "ledger.sqlite") as db:  # one file: no -wal beside it
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for extra in outputs.glob("ledger.sqlite-*"):
        extra.unlink()
    print(f"schema-2 outputs written to {outputs}")


if __name__ == "__main__":
    main()
