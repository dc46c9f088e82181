"""How fast ingest reads a large register export, against pandas.read_excel on the same file.

Writes (in a temporary folder) a 50,000-row birth export with title rows above the header,
reads it with ``ingest.read_file`` and with ``pandas.read_excel`` (its default engine, header
row given), and prints rows per second and the ratio. Then reads a 100,000-row export in a
fresh process and prints the time and peak memory. Figures only: nothing is asserted.

    .venv/bin/python benchmarks/bench_ingest.py [--rows 50000] [--big-rows 100000]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
import warnings
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook

HEADER = ["STT", "Số ĐK", "Ngày ĐK", "Họ và tên", "Ngày sinh", "Giới tính",
          "Số định danh cá nhân", "Họ tên mẹ", "Năm sinh mẹ", "Nơi cư trú", "Họ tên cha",
          "Năm sinh cha", "Dân tộc", "Quốc tịch", "Ghi chú"]  # fmt: skip
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Hoàng", "Thanh", "Đức", "Kim"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Hà", "Hùng", "Lan", "Liên", "Phúc", "Quang", "Tâm", "Yến"]
HAMLETS = ["Phổ Trạch", "Quảng Tín", "Mỹ Lợi", "Vinh Thạnh", "Lộc Thượng", "Định Thiện Đông"]


def _name(rng: random.Random, middle: str | None = None) -> str:
    return f"{rng.choice(SURNAMES)} {middle or rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def write_export(path: Path, rows: int, seed: int = 7) -> None:
    """A birth export as the shared software writes it: two title rows, one header row."""
    rng = random.Random(seed)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Khai sinh")
    sheet.append(["DANH SÁCH ĐĂNG KÝ KHAI SINH"])
    sheet.append(["Từ ngày 01/01/2024 đến ngày 31/12/2024"])
    sheet.append([])
    sheet.append(HEADER)
    start = date(2024, 1, 1)
    for number in range(1, rows + 1):
        registered = start + timedelta(days=rng.randrange(366))
        born = registered - timedelta(days=rng.randrange(1, 60))
        hamlet = rng.choice(HAMLETS)
        sheet.append([
            number, str(number), registered, _name(rng), born, rng.choice(["Nam", "Nữ"]),
            f"099{rng.randrange(10**9):09d}", _name(rng, "Thị"), rng.randrange(1980, 2004),
            f"Thôn {hamlet}, xã Phước Thành, huyện Tuy Phước, tỉnh Bình Định", _name(rng, "Văn"),
            rng.randrange(1978, 2002), "Kinh", "Việt Nam", "",
        ])  # fmt: skip
    sheet.append(["Tổng cộng", rows])
    sheet.append(["Người lập biểu"])
    workbook.save(path)


def _timed(function, *args, **kwargs):
    began = time.perf_counter()
    value = function(*args, **kwargs)
    return value, time.perf_counter() - began


def compare(path: Path, rows: int) -> None:
    import pandas

    from hcpvnd_utils.ingest import files as ingest

    result, ours = _timed(ingest.read_file, path)
    with warnings.catch_warnings():  # pandas 3 announces a change of its default engine
        warnings.simplefilter("ignore")
        frame, theirs = _timed(pandas.read_excel, path, header=3)
    assert len(result.records) == rows, (len(result.records), result.file_problems)
    print(f"ingest.read_file    {rows / ours:>10,.0f} rows/s  ({ours:.2f} s, {rows:,} records)")
    print(
        f"pandas.read_excel   {rows / theirs:>10,.0f} rows/s  ({theirs:.2f} s, {len(frame):,} rows)"
    )
    print(f"ratio (ours/pandas) {theirs / ours:>10.2f}x")
    # For context only: pandas on the same Rust reader, without any of ingest's work.
    _, fast = _timed(pandas.read_excel, path, header=3, engine="calamine")
    print(f"  (pandas.read_excel engine='calamine': {rows / fast:,.0f} rows/s)")


MEASURE = """
import json, sys, time, tracemalloc
from pathlib import Path
from hcpvnd_utils.ingest import files as ingest


def high_water():  # this process's peak resident memory, in KiB
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


before = high_water()
began = time.perf_counter()
result = ingest.read_file(Path(sys.argv[1]))
seconds = time.perf_counter() - began
after = high_water()
del result
tracemalloc.start()
result = ingest.read_file(Path(sys.argv[1]))
current, peak = tracemalloc.get_traced_memory()
print(json.dumps({"records": len(result.records), "seconds": seconds, "python_peak": peak,
                  "python_kept": current, "rss_before": before, "rss_max": after}))
"""


def measure_big(path: Path) -> None:
    """Time and peak memory in a fresh process: once plain (time, resident memory, which
    includes the Rust reader), once under tracemalloc (Python objects only)."""
    output = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path)], check=True, capture_output=True, text=True
    ).stdout
    f = json.loads(output)
    mib = 1024 * 1024
    print(f"ingest.read_file: {f['records']:,} records in {f['seconds']:.2f} s "
          f"({f['records'] / f['seconds']:,.0f} rows/s)")  # fmt: skip
    print(f"  peak resident memory: {f['rss_max'] / 1024:,.0f} MiB "
          f"({f['rss_before'] / 1024:,.0f} MiB after imports)")  # fmt: skip
    print(f"  Python objects (tracemalloc): peak {f['python_peak'] / mib:,.0f} MiB, "
          f"of which the records kept {f['python_kept'] / mib:,.0f} MiB")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--big-rows", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "khai_sinh_2024.xlsx"
        write_export(path, args.rows)
        print(f"{args.rows:,}-row export ({path.stat().st_size / 1e6:.1f} MB), same run:")
        compare(path, args.rows)
        big = Path(folder) / "khai_sinh_big.xlsx"
        write_export(big, args.big_rows, seed=11)
        print(f"\n{args.big_rows:,}-row export ({big.stat().st_size / 1e6:.1f} MB):")
        measure_big(big)


if __name__ == "__main__":
    main()
