#!/usr/bin/env python
"""How fast the analyst's frames are built (``hcpvnd_utils.frames``): the sample year (13 units,
≈ 2,300 register rows, run for real) and a 100,000-row district year (synthetic rows through the
real rules, ledger and summary writer; no .docx is rendered, the frames never read them).

Prints figures; asserts nothing. Goals (issue 15): a district year in < 0.5 s per frame, a
100,000-row year in < 5 s. Each frame is timed on its first call in a fresh process (the cost an
analyst pays when the notebook opens, pandas already imported) and as the median of three more.

    .venv/bin/python benchmarks/bench_frames.py [--rows 100000] [--sample-outputs DIR]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hcpvnd_utils import layout
from hcpvnd_utils.config import load_units
from hcpvnd_utils.periods import parse_period

YEAR = parse_period("2024")
SHARES = {"khai_sinh": 0.5, "ket_hon": 0.24, "khai_tu": 0.26}  # the district's mix (domain §7)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--sample-outputs", type=Path, help="reuse a folder made by a former run")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-frames-") as folder:
        work = Path(folder)
        sample = args.sample_outputs or sample_year(work / "sample")
        show("Sample year 2024 (13 units, real run)", sample)
        started = time.perf_counter()
        big = big_year(work / "big", args.rows)
        print(f"\n({args.rows:,}-row year written in {time.perf_counter() - started:.0f} s)")
        show(f"Synthetic year 2024, {args.rows:,} rows", big)
    return 0


def show(title: str, outputs: Path) -> None:
    out = subprocess.run([sys.executable, __file__, "--measure", str(outputs)], check=True,
                         capture_output=True, text=True, cwd=ROOT).stdout  # fmt: skip
    figures = json.loads(out.strip().splitlines()[-1])
    print(f"\n{title}: {outputs}")
    for name, (rows, first, median) in figures.items():
        print(f"  frames.{name:<14} {rows:7,d} rows  first call {first:5.2f} s  "
              f"median of 3 {median:5.2f} s")  # fmt: skip


def measure(outputs: Path) -> dict:
    """In a fresh process: each frame's first call, then the median of three more."""
    import pandas  # noqa: F401 - imported before timing: the notebook's kernel has it already

    from hcpvnd_utils import frames

    found = {}
    where = {"outputs": outputs, "ledger": outputs / layout.LEDGER_NAME}
    for name in ("registrations", "letters", "figures"):
        build = getattr(frames, name)
        started = time.perf_counter()
        table = build(YEAR.argument, **where)
        first = time.perf_counter() - started
        again = []
        for _ in range(3):
            started = time.perf_counter()
            build(YEAR.argument, **where)
            again.append(time.perf_counter() - started)
        found[name] = (len(table), first, statistics.median(again))
    return found


def sample_year(outputs: Path) -> Path:
    """Every unit of the sample, run for the year 2024 in this process (letters included)."""
    from hcpvnd_utils.letters.run import run_unit

    config = load_units(layout.units_file())
    started = time.perf_counter()
    for unit in config.sending_units(YEAR.start, YEAR.end):
        run_unit(unit.key, YEAR, outputs=outputs, today=date(2025, 1, 15))
    print(f"(sample year run in {time.perf_counter() - started:.0f} s)")
    return outputs


def big_year(outputs: Path, rows: int) -> Path:
    """``rows`` synthetic register rows spread over the 13 units: classified by the real rules,
    recorded in a real ledger (a letter per eligible row: rows are dated from the unit's letters
    start, so nearly every row has one) and written to each unit's
    summary.json and rows.jsonl.gz by the real writers."""
    from hcpvnd_utils.ledger.book import Ledger
    from hcpvnd_utils.letters.files import LetterPlan, MadeLetter, letter_name
    from hcpvnd_utils.letters.run import build_summary, row_entries
    from hcpvnd_utils.records import LETTER
    from hcpvnd_utils.rowsfile import write_rows
    from hcpvnd_utils.safeio import atomic_write_json
    from hcpvnd_utils.validate.rules import classify
    from hcpvnd_utils.validate.scope import sending_period

    config = load_units(layout.units_file())
    units = list(config.units.values())
    randomness = random.Random(15)
    with Ledger(outputs / layout.LEDGER_NAME) as book:
        for index, unit in enumerate(units):
            share = rows // len(units) + (1 if index < rows % len(units) else 0)
            records = synthetic_rows(unit, share, randomness)
            outcomes = classify(records, sending_period(unit, YEAR), config.settings,
                                today=date(2025, 1, 15))  # fmt: skip
            run_id = book.start_run(unit, YEAR)
            folder = layout.unit_folder(outputs, YEAR.label, unit.key)
            chosen = [o.record for o in outcomes if o.status == LETTER]
            made = []
            for record, reg_id in zip(chosen, book.record_registrations(unit, chosen)):
                relative = folder.letter_relative(record.event, letter_name(record))
                book.record_letter(reg_id, f"{folder.prefix}{relative}", "0" * 64, run_id)
                plan = LetterPlan(record.event, record, folder.path / relative, relative, {}, True)
                made.append(MadeLetter(plan, "0" * 64))
            summary = build_summary(unit, YEAR, outcomes, made, [])
            atomic_write_json(folder.summary, summary)
            write_rows(folder.rows_file, row_entries(outcomes), folder.summary)
            book.finish_run(run_id, "ok", summary["counts"])
    return outputs


def synthetic_rows(unit, count: int, randomness: random.Random) -> list:
    from hcpvnd_utils.records import Record

    found = []
    numbers = dict.fromkeys(SHARES, 0)
    first = max(YEAR.start, unit.rollout.letters_start or YEAR.start)  # rows that get letters
    days = (YEAR.end - first).days + 1
    for row in range(count):
        event = randomness.choices(list(SHARES), weights=list(SHARES.values()))[0]
        numbers[event] += 1
        registered = first + timedelta(days=randomness.randrange(days))
        values = {"reg_no": str(numbers[event]), "reg_date": registered, "reg_book": "01/2024"}
        if event == "khai_sinh":
            values |= {"child_full_name": "Nguyễn Văn An",
                       "child_dob": registered - timedelta(days=randomness.randrange(60))}  # fmt: skip
        elif event == "ket_hon":
            values |= {"husband_full_name": "Trần Văn Bình", "wife_full_name": "Lê Thị Hoa"}
        else:
            values |= {"deceased_full_name": "Phạm Văn Cường",
                       "death_date": registered - timedelta(days=randomness.randrange(30))}  # fmt: skip
        if randomness.random() < 0.01:
            values.pop("reg_date")  # a data error now and then (E-REQ-01)
        found.append(Record(event, f"{event}_2024.xlsx", "DS", row + 2, values))
    return found


if __name__ == "__main__":
    sys.exit(main())
