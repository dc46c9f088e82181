"""The runner's pool: worker processes that stay warm between units, each unit in a fresh
kernel (see runs.notebook). A unit that kills its worker process fails alone: the units that shared
the broken pool are run again, one at a time, in a new one.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
from collections import deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from .. import layout
from ..messages import render
from ..periods import Period
from . import notebook
from .notebook import UnitRun
from .record import FAILED


@dataclass(frozen=True)
class Job:
    """What every worker needs to run one unit (picklable)."""

    period: Period
    inputs: Path
    outputs: Path
    ledger: Path
    notebook: Path
    timeout: int
    jobs: int
    runtime_dir: Path  # the kernels' socket folders; removed with the batch


def failed_run(key: str, job: Job, code: str, **fields) -> UnitRun:
    """A unit whose run did not report back (its worker died, or the batch was stopped)."""
    folder = layout.unit_folder(job.outputs, job.period.label, key)
    executed, log = folder.executed(job.notebook.name), folder.run_log
    message = render(code, unit=key, log=log, **fields)
    notebook.mark_failed(executed, message)
    return UnitRun(key, FAILED, 0.0, None, log if log.is_file() else None, None, message)


def run_parallel(keys: list[str], job: Job, finished: Callable[[UnitRun], None]) -> None:
    """Run every unit, at most `jobs` at once. If a worker process dies, the units it may have
    taken down are run again one at a time, so only the unit that kills its worker fails."""
    if not keys:
        return
    queue, suspects, alone = deque(_largest_first(keys, job.inputs)), deque(), set()
    in_flight: dict[Future, str] = {}
    pool = _new_pool(job.jobs)
    try:
        while queue or suspects or in_flight:
            # the pool can break between two waits (a worker died while another unit ended);
            # then submit refuses, and the unit goes back to wait for the new pool
            broken = not _submit(pool, in_flight, queue, suspects, alone, job)
            if in_flight:
                done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                broken = _collect(done, in_flight, suspects, alone, job, finished) or broken
            if not broken:
                continue
            _collect(wait(in_flight)[0], in_flight, suspects, alone, job, finished)
            pool.shutdown(wait=True)
            pool = _new_pool(job.jobs)
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown(wait=True)


def _largest_first(keys: list[str], inputs: Path) -> list[str]:
    """Units with the most input first, so that no long unit is left running alone at the end."""

    def size(key: str) -> int:
        try:
            return sum(f.stat().st_size for f in (inputs / key).rglob("*") if f.is_file())
        except OSError:
            return 0

    return sorted(keys, key=size, reverse=True)


def _submit(pool, in_flight, queue, suspects, alone, job) -> bool:
    """Start what may start now; False when the pool is broken (the unit is put back)."""
    if suspects:  # after a worker died: one unit at a time until every suspect has run
        if in_flight:
            return True
        started = _start(pool, in_flight, suspects, job)
        if started:
            alone.add(started)
        return bool(started)
    while queue and len(in_flight) < job.jobs:
        if not _start(pool, in_flight, queue, job):
            return False
    return True


def _start(pool, in_flight, waiting: deque, job) -> str | None:
    """Submit the next waiting unit; None (and the unit back in front) if the pool is broken."""
    key = waiting.popleft()
    try:
        in_flight[pool.submit(_run_unit, key, job)] = key
    except BrokenProcessPool:
        waiting.appendleft(key)
        return None
    return key


def _collect(done, in_flight, suspects, alone, job, finished) -> bool:
    """Hand finished runs on; True when the pool broke (a worker process died)."""
    broken = False
    for future in done:
        key = in_flight.pop(future)
        try:
            finished(future.result())
        except BrokenProcessPool:
            broken = True
            if key in alone:
                finished(failed_run(key, job, "E-BATCH-03"))
            else:
                suspects.append(key)
        except Exception as exc:  # noqa: BLE001 - e.g. a result that could not be sent back
            finished(failed_run(key, job, "E-BATCH-04", detail=type(exc).__name__))
    return broken


def _new_pool(jobs: int) -> ProcessPoolExecutor:
    # spawn: the same behaviour on Linux, macOS and Windows, and no fork of a threaded runner
    context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(jobs, mp_context=context, initializer=_warm_worker)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Ctrl-C or an error in the runner: stop the workers now; each stops its kernel."""
    processes = list(getattr(pool, "_processes", {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout=10)


def _warm_worker() -> None:
    """Runs once in each worker: Ctrl-C is the runner's to handle, SIGTERM stops the run
    cleanly (the kernel is shut down), and the heavy imports are paid once, not per unit."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit_on_signal)
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)  # no "Task exception" noise on stop
    import nbclient  # noqa: F401
    import papermill  # noqa: F401

    notebook._kernel_manager_class()


def _exit_on_signal(signum, frame):
    raise SystemExit(128 + signum)


def _run_unit(key: str, job: Job) -> UnitRun:
    """In a worker: one unit, never raising."""
    try:
        return notebook.run_unit_notebook(
            key,
            job.period,
            inputs=job.inputs,
            outputs=job.outputs,
            ledger=job.ledger,
            timeout=job.timeout,
            notebook=job.notebook,
            runtime_dir=job.runtime_dir,
        )
    except Exception as exc:  # noqa: BLE001 - a bug of ours must not stop the other units
        return failed_run(key, job, "E-BATCH-04", detail=type(exc).__name__)
