"""The outputs of hcpvnd before issue #14 (ledger schema 2), kept to test the upgrade in place.

Made once, with the code of main at e2a015a (the last commit before the ledger schemas 3 and
4; 4 adds the letters' delivery), by
``.venv/bin/python tests/data/ledger_v2_events/make_ledger_v2_events.py``; the files it wrote are committed next to it (``inputs/``, ``outputs/``) and must not be regenerated
with later code: they are what a district office has on disk today. Synthetic people only.

What it holds (Phước Thành, September 2024): three births, one marriage and one death, made by
one run; the marriage's letter then marked final (``hcpvnd finalize`` marks a whole period: here
only that letter, through the ledger). No delivery sheet: that version wrote none.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(ROOT))

from hcpvnd_utils.config import load_units  # noqa: E402
from hcpvnd_utils.ledger.book import Ledger  # noqa: E402
from hcpvnd_utils.ledger.schema import SCHEMA_VERSION  # noqa: E402
from hcpvnd_utils.letters.run import run_unit  # noqa: E402
from hcpvnd_utils.periods import parse_period  # noqa: E402

UNIT = "phuoc-thanh"
PLACE = "Thôn Phổ Trạch, xã Phước Thành"
FILES = {
    "khai_sinh_t9.csv": (
        ["STT", "Quyển số", "Số ĐK", "Ngày ĐK", "Họ và tên", "Ngày sinh", "Giới tính",
         "Họ tên mẹ", "Họ tên cha", "Nơi cư trú"],
        [["1", "01/2024", "5", "02/09/2024", "Lê Văn An", "01/08/2024", "Nam", "Nguyễn Thị Lan",
          "Lê Văn Bình"],
         ["2", "01/2024", "6", "03/09/2024", "Trần Thị Bích", "02/08/2024", "Nữ", "Bùi Thị Mai",
          "Trần Văn Cường"],
         ["3", "01/2024", "7", "04/09/2024", "Đặng Thị Giang", "03/08/2024", "Nữ", "Hồ Thị Oanh",
          "Đặng Văn Hải"]],
    ),
    "ket_hon_t9.csv": (
        ["STT", "Quyển số", "Số ĐK", "Ngày ĐK", "Họ tên chồng", "Ngày sinh chồng", "Họ tên vợ",
         "Ngày sinh vợ", "Nơi cư trú"],
        [["1", "01/2024", "3", "10/09/2024", "Phạm Minh Châu", "04/08/1996", "Đỗ Thị Ngọc",
          "05/06/1998"]],
    ),
    "khai_tu_t9.csv": (
        ["STT", "Quyển số", "Số ĐK", "Ngày ĐK", "Họ tên người chết", "Ngày sinh", "Giới tính",
         "Ngày chết", "Người đi khai tử", "Quan hệ", "Nơi cư trú"],
        [["1", "01/2024", "2", "12/09/2024", "Võ Văn Dũng", "01/01/1940", "Nam", "08/09/2024",
          "Võ Thị Lan", "Con gái"]],
    ),
}  # fmt: skip


def _csv(header: list[str], rows: list[list[str]]) -> str:
    lines = [",".join(header)] + [",".join([*row, f'"{PLACE}"']) for row in rows]
    return "\r\n".join(lines) + "\r\n"


def main() -> None:
    assert SCHEMA_VERSION == 2, "the committed ledger_v2 outputs are the fixture now"
    inputs, outputs = HERE / "inputs", HERE / "outputs"
    shutil.rmtree(inputs, ignore_errors=True)
    shutil.rmtree(outputs, ignore_errors=True)
    (inputs / UNIT).mkdir(parents=True)
    shutil.copy(ROOT / "inputs" / "units.yaml", inputs / "units.yaml")
    for name, (header, rows) in FILES.items():
        (inputs / UNIT / name).write_text(_csv(header, rows), encoding="utf-8")
    result = run_unit(UNIT, "2024-09", inputs=inputs, outputs=outputs)
    made = {event: counts["letters"] for event, counts in result.summary["counts"].items()}
    assert made == {"khai_sinh": 3, "ket_hon": 1, "khai_tu": 1}, made
    unit = load_units(inputs / "units.yaml").unit(UNIT)
    with Ledger(outputs / "ledger.sqlite") as book:
        book.mark_final(unit, parse_period("2024-09"), [("ket_hon", "1/2024", "3")])
        book.checkpoint()


if __name__ == "__main__":
    main()
