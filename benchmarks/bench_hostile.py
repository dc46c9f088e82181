"""Figures for the hostile corpus (issue #12): what reading the crafted workbooks costs, and
runs killed at random moments then run again. Printed, never asserted.

- peak memory: each crafted file of tests/data/bad read by ``ingest.read_file`` in a fresh
  process (its own high-water mark, VmHWM), with what it ended in;
- kill and rerun: ``run_unit`` for Phước Nghĩa's year 2024 (every event, ~100 letters) killed
  with SIGKILL after a random delay, then run again to the end, N times into one outputs folder
  with its letters cleared between rounds; each round compares the letters on disk and in the
  ledger with a reference run: duplicates (two files or ledger rows for one registration) and
  missing letters are counted.

    .venv/bin/python benchmarks/bench_hostile.py [--kills 20] [--seed 12]
"""

from __future__ import annotations

import argparse
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BAD = ROOT / "tests" / "data" / "bad"
CRAFTED = [
    "xlsx_cell_at_XFD1048576.xlsx",
    "xlsx_cell_at_XFD8000.xlsx",
    "xlsx_shared_strings_declare_4000000000.xlsx",
    "xlsx_sheet_part_declares_3_9_gigabytes.xlsx",
    "xlsx_styles_part_declares_3_9_gigabytes.xlsx",
    "xls_cell_at_IV65536.xls",
    "csv_unterminated_quote_row_95_of_100.csv",
    # what a small file declares (bomb_bad.py): .ods repeats, merges, HTML spans
    "ods_cell_repeated_over_2000_rows_and_16384_columns.ods",
    "ods_data_row_repeated_to_the_sheet_end.ods",
    "ods_register_below_a_million_empty_rows_and_a_wide_row.ods",
    "ods_register_as_libreoffice_saves_it.ods",
    "xlsx_9_merges_down_to_row_1048576.xlsx",
    "xlsx_60_merges_down_to_row_1048576.xlsx",
    "xlsx_60_merges_stacked_over_a_million_rows.xlsx",
    "xls_merges_stacked_over_65536_rows.xls",
    "html_colspan_and_rowspan_200_on_every_cell.xls",
    "xlsx_a_million_rows_without_references.xlsx",
]
READ = """
import sys
from pathlib import Path
from hcpvnd_utils.ingest.files import read_file
read = read_file(Path(sys.argv[1]))
print(",".join(p.code for p in read.file_problems) or f"{len(read.records)} rows")
peak = [l for l in Path("/proc/self/status").read_text().splitlines() if l.startswith("VmHWM")]
print(int(peak[0].split()[1]) // 1024 if peak else -1)
"""
RUN = """
import sys
from hcpvnd_utils.letters.run import run_unit
run_unit("phuoc-nghia", "2024", outputs=sys.argv[1])
"""


def peak_memory() -> None:
    print("Reading the crafted files (a fresh process each; VmHWM):")
    for name in CRAFTED:
        done = subprocess.run([sys.executable, "-c", READ, str(BAD / name)], cwd=ROOT,
                              capture_output=True, text=True)  # fmt: skip
        ended, peak = (done.stdout.split("\n") + ["", ""])[:2]
        size = (BAD / name).stat().st_size
        print(f"  {name:48} {size / 1024:6.1f} KB  peak {peak:>4} MB  {ended or done.stderr[-80:]}")


def letters(outputs: Path) -> tuple[Counter, Counter]:
    """(files per registration number, ledger letter rows per registration)."""
    folder = outputs / "2024" / "phuoc-nghia"
    on_disk = Counter(p.relative_to(folder).as_posix() for p in folder.glob("letters/*/*.docx"))
    with sqlite3.connect(outputs / "ledger.sqlite") as db:
        rows = Counter(db.execute("SELECT registration_id FROM letters").fetchall())
    return on_disk, rows


def kill_and_rerun(kills: int, seed: int) -> None:
    from hcpvnd_utils.letters.run import run_unit

    chance = random.Random(seed)
    scratch = Path(tempfile.mkdtemp(prefix="hcpvnd-kill-"))
    try:
        started = time.perf_counter()
        reference = run_unit("phuoc-nghia", "2024", outputs=scratch / "reference")
        reference_time = time.perf_counter() - started
        expected = {x["file"] for x in reference.summary["letters"]}
        started = time.perf_counter()  # a whole run in its own process: the window to kill in
        subprocess.run([sys.executable, "-c", RUN, str(scratch / "timed")], cwd=ROOT, check=True)
        window = time.perf_counter() - started
        duplicates = missing = extra = signals = partial = 0
        for _ in range(kills):
            out = scratch / "killed"
            shutil.rmtree(out, ignore_errors=True)
            runner = subprocess.Popen([sys.executable, "-c", RUN, str(out)], cwd=ROOT)
            time.sleep(chance.uniform(0.1, window))
            runner.send_signal(signal.SIGKILL)
            runner.wait()
            signals += 1
            written = len(list(out.glob("2024/phuoc-nghia/letters/*/*")))
            partial += 0 < written < len(expected) or (
                written == len(expected) and not list(out.glob("2024/phuoc-nghia/summary.json"))
            )
            if chance.random() < 0.5:  # half the time, killed twice before the rerun
                runner = subprocess.Popen([sys.executable, "-c", RUN, str(out)], cwd=ROOT)
                time.sleep(chance.uniform(0.2, 1.5))
                runner.send_signal(signal.SIGKILL)
                runner.wait()
                signals += 1
            run_unit("phuoc-nghia", "2024", outputs=out)
            on_disk, rows = letters(out)
            duplicates += sum(n - 1 for n in rows.values() if n > 1)
            missing += len(expected - set(on_disk))
            extra += len(set(on_disk) - expected)
        print(f"Kill and rerun: {kills} rounds, {signals} SIGKILLs ({partial} rounds killed "
              f"mid-run: letters written, run not finished; {len(expected)} letters each, "
              f"a whole run {window:.1f} s, reference "
              f"{reference_time:.1f} s): {duplicates} duplicates, {missing} missing, "
              f"{extra} letter files not in the reference")  # fmt: skip
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description="hostile-corpus figures")
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    peak_memory()
    kill_and_rerun(args.kills, args.seed)


if __name__ == "__main__":
    main()
