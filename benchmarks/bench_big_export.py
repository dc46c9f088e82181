"""Time and peak memory for the hostile corpus's 100,000-row export (tests/data/bad/make_bad.py).

Each figure comes from a fresh process, so peak memory is that step's own:
- ingest: ``ingest.read_file`` on the export (wall time; peak RSS of the process; the Python heap
  peak measured again under tracemalloc, which slows the read, so its time is not used);
- anchor: ``pandas.read_excel`` (calamine engine) on the same file, in the same way;
- run: ``run.run_unit`` over a two-day period (the test's), which validates all 100,000 rows and
  writes rejected.xlsx and summary.json with the 99,9xx rows out of the period.
Figures only: nothing is asserted.

    .venv/bin/python benchmarks/bench_big_export.py [--rows 100000]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _generator():
    path = ROOT / "tests" / "data" / "bad" / "make_bad.py"
    spec = importlib.util.spec_from_file_location("make_bad", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _peak_rss_mb() -> float:
    scale = 1024 if sys.platform != "darwin" else 1024 * 1024  # Linux: KiB, macOS: bytes
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 1e6


def measure(step: str, folder: Path, traced: bool) -> dict:
    """One step in this (fresh) process."""
    import tracemalloc

    export = folder / "inputs" / "phuoc-thanh" / "export_100000_rows.xlsx"
    if traced:
        tracemalloc.start()
    started = time.perf_counter()
    if step == "ingest":
        from hcpvnd_utils.ingest import files as ingest

        rows = len(ingest.read_file(export).records)
    elif step == "anchor":
        import pandas

        rows = len(pandas.read_excel(export, engine="calamine", header=1))
    else:
        from hcpvnd_utils.letters.run import run_unit

        result = run_unit("phuoc-thanh", _generator().BIG_PERIOD, inputs=folder / "inputs",
                          outputs=folder / "outputs")  # fmt: skip
        rows = sum(c["rows"] for c in result.summary["counts"].values())
    seconds = time.perf_counter() - started
    heap = tracemalloc.get_traced_memory()[1] / 1e6 if traced else None
    return {"rows": rows, "seconds": seconds, "rss_mb": _peak_rss_mb(), "heap_mb": heap}


def _child(step: str, folder: Path, traced: bool = False) -> dict:
    shutil.rmtree(folder / "outputs", ignore_errors=True)
    command = [sys.executable, __file__, "--step", step, "--folder", str(folder)]
    out = subprocess.run(command + (["--traced"] if traced else []), cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout  # fmt: skip
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--step", choices=["ingest", "anchor", "run"])
    parser.add_argument("--folder", type=Path)
    parser.add_argument("--traced", action="store_true")
    args = parser.parse_args()
    if args.step:
        print(json.dumps(measure(args.step, args.folder, args.traced)))
        return
    folder = Path(tempfile.mkdtemp(prefix="hcpvnd-bench-"))
    try:
        (folder / "inputs" / "phuoc-thanh").mkdir(parents=True)
        shutil.copy(ROOT / "inputs" / "units.yaml", folder / "inputs")
        started = time.perf_counter()
        export = folder / "inputs" / "phuoc-thanh" / "export_100000_rows.xlsx"
        _generator().write_big_export(export, args.rows)
        written = time.perf_counter() - started
        print(f"export: {args.rows:,} rows, {export.stat().st_size / 1e6:.1f} MB, "
              f"written in {written:.1f} s")  # fmt: skip
        for step, title in (("ingest", "ingest.read_file"), ("anchor", "pandas.read_excel"),
                            ("run", "run_unit (2-day period)")):  # fmt: skip
            timed = _child(step, folder)
            heap = _child(step, folder, traced=True)["heap_mb"] if step != "run" else None
            rate = timed["rows"] / timed["seconds"]
            line = (f"{title:26} {timed['seconds']:6.2f} s  {rate:9,.0f} rows/s  "
                    f"peak RSS {timed['rss_mb']:6.0f} MB")  # fmt: skip
            print(line + (f"  Python heap peak {heap:5.0f} MB" if heap else ""))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
