#!/usr/bin/env python
"""How fast the batch runs: the sample month with --jobs 1 and --jobs 2, and a province-sized
month of 135 synthetic units. Prints figures; asserts nothing.

    python benchmarks/bench_batch.py                     # sample 2024-09, then 135 units
    python benchmarks/bench_batch.py --period 2024-10 --province-units 0

Goals (issue 4 §3): parallel efficiency >= 80 % on 2 cores; a unit's run <= 2 s including the
kernel start; 135 units <= 3 minutes on 2 cores. The anchor, measured in the same run: a plain
`papermill.execute_notebook` of a trivial notebook (default engine, TCP kernel).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hcpvnd_utils import layout as paths
from hcpvnd_utils.config import load_units
from hcpvnd_utils.periods import parse_period
from hcpvnd_utils.runs import batch
from hcpvnd_utils.runs import notebook as nbrun

TRIVIAL = ROOT / "tests" / "data" / "notebooks" / "ok.ipynb"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--period", default="2024-09")
    parser.add_argument("--province-units", type=int, default=135, help="0 to skip")
    parser.add_argument("--province-inputs", type=Path, help="reuse a folder made by a former run")
    parser.add_argument("--keep", type=Path, help="keep the generated province inputs here")
    parser.add_argument("--repeat", type=int, default=5, help="trivial runs per measure")
    args = parser.parse_args(argv)
    period = parse_period(args.period)
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores, load average {load()}")
    print("(other work on the machine slows the parallel runs most: compare CPU and wall)\n")
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as folder:
        work = Path(folder)
        overhead(work, args.repeat)
        notebook_imports()
        sample_month(work, period)
        if args.province_units:
            province_month(work, period, args.province_units, args.province_inputs, args.keep)
    return 0


def overhead(work: Path, repeat: int) -> float:
    """Per-run overhead: a notebook that does nothing, ours against plain papermill."""
    import papermill

    def ours() -> float:
        start = time.perf_counter()
        result = nbrun.execute_notebook(
            TRIVIAL, work / "t" / "ok.ipynb", {}, log_path=work / "t" / "run.log", cwd=work
        )
        assert result.status == "ok", result.message
        return time.perf_counter() - start

    def anchor() -> float:
        start = time.perf_counter()
        with quiet_stderr():  # its kernel inherits our stderr and warns about TCP there
            papermill.execute_notebook(str(TRIVIAL), str(work / "a.ipynb"), progress_bar=False)
        return time.perf_counter() - start

    ours(), anchor()  # imports and disk caches warm
    mine = statistics.median(ours() for _ in range(repeat))
    plain = statistics.median(anchor() for _ in range(repeat))
    print("Per-run overhead (trivial notebook, median of", repeat, "runs)")
    print(f"  hcpvnd nbrun (fresh kernel, IPC) {mine:6.2f} s")
    print(f"  plain papermill (anchor, TCP)    {plain:6.2f} s   ratio {mine / plain:.2f}\n")
    return mine


@contextmanager
def quiet_stderr():
    saved, null = os.dup(2), os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(null)
        os.close(saved)


def notebook_imports() -> None:
    """What `import hcpvnd_utils as hc; hc.run_unit` costs a fresh kernel, and whether it drags
    pandas or matplotlib in."""
    code = (
        "import sys, time; t = time.perf_counter(); import hcpvnd_utils as hc; hc.run_unit; "
        "print(round(time.perf_counter() - t, 3), 'pandas' in sys.modules, "
        "'matplotlib' in sys.modules)"
    )
    command = [sys.executable, "-c", code]
    out = subprocess.run(command, check=False, capture_output=True, text=True, cwd=ROOT)
    if out.returncode:
        print("Notebook imports: failed:", out.stderr.strip().splitlines()[-1:], "\n")
        return
    seconds, pandas, matplotlib = out.stdout.split()
    print(
        f"Notebook imports (hc.run_unit): {seconds} s; pandas {pandas}, matplotlib {matplotlib}\n"
    )


def cpu_seconds() -> float:
    """CPU used so far by this process and its finished children (workers, their kernels)."""
    try:
        import resource
    except ImportError:  # Windows
        return float("nan")
    mine, children = (
        resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return mine.ru_utime + mine.ru_stime + children.ru_utime + children.ru_stime


def load() -> str:
    return f"{os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "n/a"


def timed_batch(inputs: Path, outputs: Path, period, jobs: int) -> tuple[float, list, float]:
    shutil.rmtree(outputs, ignore_errors=True)  # every run makes the same letters
    cpu = cpu_seconds()
    start = time.perf_counter()
    result = batch.run_batch(
        period,
        jobs=jobs,
        inputs=inputs,
        outputs=outputs,
        ledger=outputs / "ledger.sqlite",
        progress=None,
    )
    wall = time.perf_counter() - start
    cpu = cpu_seconds() - cpu
    runs = [run for run in result.runs if run.status != "skipped"]
    failed = [run.unit for run in runs if run.status == "failed"]
    if failed:
        print(f"  !! failed units: {', '.join(failed)}")
    return wall, runs, cpu


def report(label: str, wall: float, runs: list, cpu: float) -> None:
    durations = [run.duration for run in runs] or [0.0]
    print(
        f"  {label:<9} {wall:6.1f} s wall  {len(runs):3d} units  per unit: mean "
        f"{statistics.mean(durations):.2f} s, max {max(durations):.2f} s, "
        f"CPU {cpu / max(len(runs), 1):.2f} s  (load {load()})"
    )


def sample_month(work: Path, period) -> None:
    inputs = paths.inputs_dir()
    print(f"Sample month {period.label} ({inputs})")
    wall1, runs1, cpu1 = timed_batch(inputs, work / "out1", period, jobs=1)
    report("--jobs 1", wall1, runs1, cpu1)
    wall2, runs2, cpu2 = timed_batch(inputs, work / "out2", period, jobs=2)
    report("--jobs 2", wall2, runs2, cpu2)
    if runs1:
        efficiency = wall1 / (2 * wall2)
        print(f"  parallel efficiency on 2 workers: {efficiency:.0%} (goal >= 80 %)")
        mean = statistics.mean(run.duration for run in runs1)
        print(f"  goal per unit <= 2 s (mean at --jobs 1): {'met' if mean <= 2 else 'NOT met'}\n")


def province_month(work: Path, period, count: int, reuse: Path | None, keep: Path | None) -> None:
    print(f"Province-sized month: {count} synthetic units, {period.label}")
    inputs = reuse or make_province(keep or work / "province", count, period)
    wall, runs, cpu = timed_batch(inputs, work / "out-province", period, jobs=2)
    report("--jobs 2", wall, runs, cpu)
    print(f"  goal {count} units <= 180 s: {'met' if wall <= 180 else 'NOT met'}")


def make_province(folder: Path, count: int, period) -> Path:
    """A units file of `count` units built on the sample's, and their registers from
    scripts/make_sample.py (all units sending letters in the period)."""
    sample = load_units(paths.units_file())
    template = (paths.inputs_dir() / "units.yaml").read_text(encoding="utf-8")
    head = template.split("\nunits:")[0]
    lines = [head, "units:"]
    models = list(sample.units.values())
    for number in range(count):
        model = models[number % len(models)]
        signer = model.signer
        key = f"xa-{number + 1:03d}"
        lines += [
            f"  {key}:",
            f"    code: {30000 + number}",
            "    type: xã",
            f"    name: {model.name} {number + 1}",
            f"    signer: {{authority: {signer.authority}, title: CHỦ TỊCH, name: {signer.name}}}",
            f"    rollout: {{letters_start: {period.start.replace(month=1).isoformat()}}}",
        ]
    inputs = folder / "inputs"
    inputs.mkdir(parents=True)
    units_file = inputs / "units.yaml"
    units_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    start = time.perf_counter()
    command = [sys.executable, str(ROOT / "scripts" / "make_sample.py"), "--units", str(units_file),
               "--out", str(inputs), "--end", period.end.isoformat()]  # fmt: skip
    subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
    print(f"  (generated {count} units' registers in {time.perf_counter() - start:.1f} s)")
    return inputs


if __name__ == "__main__":
    sys.exit(main())
