"""Run the per-unit notebook for every unit that sends letters in a period, in parallel.

One long-lived runner: a pool of worker processes (one per core by default, ``pool``) that
stay warm between units; each unit still gets a fresh kernel (see runs.notebook). A unit that fails,
whatever the cause, fails alone. ``<outputs>/<period label>/batch.json`` (``record``) records
every unit's status after each unit: units still "pending" or "failed" are what
``rerun_failed=True`` runs again.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from .. import layout
from ..config import Unit, UnitsConfig, load_units
from ..messages import render
from ..periods import Period, short_date
from ..validate.scope import check_validity
from . import notebook as unit_notebook
from .notebook import UnitRun
from .pool import Job, failed_run, run_parallel
from .record import FAILED, OK, PENDING, SKIPPED, BatchError, BatchRecord

__all__ = ["BatchError", "BatchResult", "BatchWatcher", "run_batch"]


class BatchWatcher(Protocol):
    """Who follows a batch as it runs (the command line shows a progress bar): told when it
    starts, after each unit, and when it ends."""

    def start(self, label: str, units: list[str], jobs: int) -> None: ...
    def update(self, run: UnitRun) -> None: ...
    def close(self) -> None: ...


@dataclass
class BatchResult:
    period: Period
    path: Path  # batch.json
    runs: list[UnitRun] = field(default_factory=list)  # this invocation's units, skipped included
    # unit key -> what its run said of letters beyond its rows (W-PRINT-01: letters in no print
    # file; W-LEDGER-01: a letter file given to several registrations), each with its command
    notices: dict[str, list[str]] = field(default_factory=dict)

    def _keys(self, status: str) -> list[str]:
        return [run.unit for run in self.runs if run.status == status]

    @property
    def ok(self) -> list[str]:
        return self._keys(OK)

    @property
    def failed(self) -> list[str]:
        return self._keys(FAILED)

    @property
    def skipped(self) -> list[str]:
        return self._keys(SKIPPED)

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def report(self) -> str:
        """What the CLI prints at the end, in Vietnamese."""
        counts = f"{len(self.ok)} đơn vị xong, {len(self.failed)} đơn vị lỗi"
        lines = [
            f"Kỳ {self.period.label}: {counts}, {len(self.skipped)} đơn vị bỏ qua. {self.path}"
        ]
        lines += [f"  {run.unit}: {run.message}" for run in self.runs if run.status == FAILED]
        if self.failed:
            lines.append("Sửa các lỗi trên rồi chạy lại với --rerun-failed.")
        if self.notices:
            lines.append("Cần làm thêm (mỗi cảnh báo nói số thư và lệnh cần chạy):")
            lines += [f"  {unit}: {text}" for unit, texts in self.notices.items() for text in texts]
        return "\n".join(lines)


def run_batch(
    period: Period,
    *,
    units: list[str] | None = None,
    jobs: int | None = None,
    inputs: Path,
    outputs: Path,
    ledger: Path,
    rerun_failed: bool = False,
    units_file: Path | None = None,
    progress: BatchWatcher | None = None,
    timeout: int = unit_notebook.CELL_TIMEOUT,
    notebook: Path | None = None,
) -> BatchResult:
    """Run the per-unit notebook for the chosen units (all by default) of the units file that
    send letters in `period`; the others are recorded as skipped. ``progress`` is told of
    each unit as it ends."""
    config = load_units(units_file or layout.units_file(inputs))
    check_validity(config, period)  # the other hierarchy's period: refuse before any kernel
    record = BatchRecord.load(Path(outputs).resolve(), period.label, required=rerun_failed)
    chosen = _chosen_units(config, units, record if rerun_failed else None)
    sending = {unit.key for unit in config.sending_units(period.start, period.end)}
    skipped = [_skipped(config.unit(key), period) for key in chosen if key not in sending]
    to_run = [key for key in chosen if key in sending]
    notebook = Path(notebook or layout.notebooks_dir() / unit_notebook.NOTEBOOK_NAME)
    jobs = max(1, min(jobs or _cores(), len(to_run) or 1))
    runtime = Path(tempfile.mkdtemp(prefix="hcpvnd-b-"))  # a killed worker leaves nothing behind
    where = [Path(p).resolve() for p in (inputs, outputs, ledger, notebook)]
    job = Job(period, *where, timeout, jobs, runtime)
    try:
        record.begin(config, job, rerun_failed, to_run, skipped)
        if progress is not None:
            progress.start(period.label, to_run, jobs)
        runs = _run_recorded(to_run, job, record, progress)
    finally:
        shutil.rmtree(runtime, ignore_errors=True)
    order = {key: i for i, key in enumerate(chosen)}
    runs = sorted(skipped + runs, key=lambda run: order[run.unit])
    done = [config.unit(run.unit) for run in runs if run.status == OK]
    return BatchResult(period, record.path, runs, _notices(done, period, job))


def _notices(units: list[Unit], period: Period, job: Job) -> dict[str, list[str]]:
    """unit key -> the notices of its letters as they stand once every unit has run (the
    letters of another period's folder in no print file, a letter file shared by mistake)."""
    from ..ledger.book import Ledger
    from ..letters.notices import unit_notices

    if not units or not job.ledger.is_file():
        return {}
    found: dict[str, list[str]] = {}
    with Ledger(job.ledger) as book:
        for unit in units:
            texts = [p.message for p in unit_notices(book, unit, period, job.outputs)]
            if texts:
                found[unit.key] = texts
    return found


def _run_recorded(to_run: list[str], job: Job, record: BatchRecord, display) -> list:
    """Run the units, recording each in batch.json as it ends; on Ctrl-C the unfinished ones
    are recorded as failed (so --rerun-failed takes them) before the interrupt goes on."""
    runs: list[UnitRun] = []

    def finished(run: UnitRun) -> None:
        runs.append(run)
        record.update(run)
        if display is not None:
            display.update(run)

    try:
        run_parallel(to_run, job, finished)
    except KeyboardInterrupt:
        for key in to_run:
            if record.status(key) == PENDING:
                record.update(failed_run(key, job, "E-BATCH-02"))
        raise
    finally:
        record.finish()
        if display is not None:
            display.close()
    return runs


def _chosen_units(config: UnitsConfig, units: list[str] | None, previous) -> list[str]:
    """The units asked for, in units-file order; with `previous`, only those it left undone."""
    keys = list(config.units)
    if units and list(units) != ["all"]:
        asked = {key.strip() for key in units if key.strip()}
        for key in sorted(asked):
            config.unit(key)  # an unknown key stops the batch with the list of known ones
        keys = [key for key in keys if key in asked]
    if previous is not None:
        keys = [key for key in keys if previous.status(key) in (FAILED, PENDING)]
    return keys


def _skipped(unit: Unit, period: Period) -> UnitRun:
    start = unit.rollout.letters_start
    since = f"bắt đầu gửi thư từ ngày {short_date(start)}" if start else "chưa có ngày bắt đầu"
    name = unit.full_name[:1].upper() + unit.full_name[1:]
    message = render("I-BATCH-01", name=name, label=period.label, since=since)
    return UnitRun(unit.key, SKIPPED, 0.0, None, None, None, message)


def _cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1
