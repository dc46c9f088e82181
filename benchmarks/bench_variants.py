"""Letters/s of a whole letters run with the shipped variant rules on, and with them off.

    .venv/bin/python benchmarks/bench_variants.py [--births 400] [--deaths 200]

One synthetic export per event for one commune and month: births with a set of twins every
tenth family (one letter for both), deaths at every age (children, elders); a run with the
units file as shipped (``letters:`` chooses sinh_doi, tre_em, cao_tuoi) against a run with the
``letters:`` section removed (every letter from its event's own template). Each in fresh
outputs, best of 3; the figure is letters (files) per second of ``run_unit``, print files
included. Prints figures only.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hcpvnd_utils.letters.run import run_unit  # noqa: E402

UNIT = "phuoc-thanh"
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Đặng", "Bùi", "Hồ"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hạnh", "Khôi", "Lan", "Mai", "Ngọc", "Phúc"]
BIRTHS = ["STT", "Quyển số", "Số ĐK", "Ngày ĐK", "Họ và tên", "Ngày sinh", "Giới tính",
          "Họ tên mẹ", "Năm sinh mẹ", "Họ tên cha", "Nơi cư trú"]  # fmt: skip
DEATHS = ["STT", "Quyển số", "Số ĐK", "Ngày ĐK", "Họ tên người chết", "Ngày sinh", "Giới tính",
          "Ngày chết", "Người đi khai tử", "Quan hệ", "Nơi cư trú"]  # fmt: skip
HOME = '"Thôn Phổ Trạch, xã Phước Thành"'


def _name(rng: random.Random, middle: str) -> str:
    return f"{rng.choice(SURNAMES)} {middle} {rng.choice(GIVEN)} {rng.choice(GIVEN)}"


def births(n: int, rng: random.Random) -> list[str]:
    rows, number = [], 1
    while len(rows) < n:
        mother, father = _name(rng, "Thị"), _name(rng, "Văn")
        year = str(rng.randrange(1985, 2002))
        born = date(2024, 9, 10) + timedelta(days=rng.randrange(20))
        for _ in range(2 if number % 10 == 0 else 1):  # twins every tenth family
            day = date(2024, 10, 1) + timedelta(days=rng.randrange(30))
            rows.append(",".join([str(len(rows) + 1), "01/2024", str(len(rows) + 1),
                                  day.strftime("%d/%m/%Y"), _name(rng, "Minh"),
                                  born.strftime("%d/%m/%Y"), rng.choice(["Nam", "Nữ"]), mother,
                                  year, father, HOME]))  # fmt: skip
        number += 1
    return rows[:n]


def deaths(n: int, rng: random.Random) -> list[str]:
    rows = []
    for i in range(n):
        died = date(2024, 10, 1) + timedelta(days=rng.randrange(25))
        born = date(died.year - rng.randrange(1, 100), rng.randrange(1, 13), 1)
        rows.append(",".join([str(i + 1), "01/2024", str(i + 1),
                              (died + timedelta(days=3)).strftime("%d/%m/%Y"),
                              _name(rng, "Văn"), born.strftime("%d/%m/%Y"), "Nam",
                              died.strftime("%d/%m/%Y"), _name(rng, "Thị"), "Con gái", HOME]))  # fmt: skip
    return rows


def inputs(folder: Path, n_births: int, n_deaths: int, *, rules: bool) -> Path:
    rng = random.Random(17)
    (folder / UNIT).mkdir(parents=True)
    units = (ROOT / "inputs" / "units.yaml").read_text(encoding="utf-8")
    if not rules:
        units = re.sub(r"(?ms)^letters:\n.*?(?=^\S)", "", units)
    (folder / "units.yaml").write_text(units, encoding="utf-8")
    for name, header, rows in (("khai_sinh_t10.csv", BIRTHS, births(n_births, rng)),
                               ("khai_tu_t10.csv", DEATHS, deaths(n_deaths, rng))):  # fmt: skip
        text = "\r\n".join([",".join(header), *rows]) + "\r\n"
        (folder / UNIT / name).write_text(text, encoding="utf-8")
    return folder


def one_run(source: Path, scratch: Path) -> tuple[float, int, dict]:
    outputs = scratch / "outputs"
    shutil.rmtree(outputs, ignore_errors=True)
    started = time.perf_counter()
    result = run_unit(UNIT, "2024-10", inputs=source, outputs=outputs, today=date(2025, 1, 15))
    took = time.perf_counter() - started
    entries = result.summary["letters"]
    variants: dict[str, int] = {}
    for _file, variant in {(e["file"], e.get("variant") or "") for e in entries}:
        variants[variant or "(mẫu chính)"] = variants.get(variant or "(mẫu chính)", 0) + 1
    assert not result.summary["rejected"], result.summary["rejected"][:3]
    return took, len({e["file"] for e in entries}), variants


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--births", type=int, default=400)
    parser.add_argument("--deaths", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for rules in (False, True):
            source = inputs(tmp / f"inputs_{rules}", args.births, args.deaths, rules=rules)
            runs = [one_run(source, tmp) for _ in range(3)]
            took, letters, variants = min(runs)
            label = "variants on " if rules else "variants off"
            shown = ", ".join(f"{k}: {v}" for k, v in sorted(variants.items()))
            print(f"{label}: {letters} letters in {took:.2f} s = {letters / took:6.0f} letters/s"
                  f"   ({shown})")  # fmt: skip


if __name__ == "__main__":
    main()
