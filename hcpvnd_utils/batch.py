"""Run the per-unit notebook for every unit that sends letters in a period, in parallel.

One long-lived runner: a pool of worker processes (one per core by default) that stay warm
between units; each unit still gets a fresh kernel (see nbrun). A unit that fails, whatever the
cause, fails alone. ``<outputs>/<period label>/batch.json`` records every unit's status and is
rewritten (atomically) after each unit, so an interrupted batch shows what is left to do:
units still "pending" or "failed" are what ``rerun_failed=True`` runs again. Paths inside
batch.json are relative to its folder, so the outputs folder can be moved or copied whole.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from . import nbrun, paths
from .config import Unit, UnitsConfig, load_units
from .errors import HcpvndError
from .messages import register, render
from .nbrun import UnitRun
from .periods import Period, short_date
from .safeio import atomic_write_text

BATCH_FILE = "batch.json"
OK, FAILED, SKIPPED, PENDING = "ok", "failed", "skipped", "pending"

register(
    {
        "E-BATCH-01": "Chưa có kết quả chạy hàng loạt cho kỳ {label} (không thấy tệp {path}). Chạy lệnh hcpvnd batch cho kỳ này một lần, không kèm --rerun-failed.",
        "E-BATCH-02": "Đợt chạy bị dừng trước khi đơn vị {unit} chạy xong. Chạy lại với --rerun-failed.",
        "E-BATCH-03": "Tiến trình chạy đơn vị {unit} bị dừng đột ngột (có thể do thiếu bộ nhớ). Xem nhật ký {log} rồi chạy lại với --rerun-failed.",
        "E-BATCH-04": "Lỗi trong chương trình khi chạy đơn vị {unit} ({detail}). Chạy lại với --rerun-failed; nếu vẫn lỗi, gửi tệp {log} cho người phụ trách kỹ thuật.",
        "E-BATCH-05": "Tệp {path} hỏng, không đọc được ({detail}). Xóa tệp này rồi chạy lại cả kỳ (không kèm --rerun-failed).",
        "E-BATCH-06": "Không ghi được tệp {path} ({detail}). Kiểm tra quyền ghi và chỗ trống trên đĩa rồi chạy lại.",
        "I-BATCH-01": "{name} chưa gửi thư trong kỳ {label} ({since}). Bỏ qua.",
    }
)


class BatchError(HcpvndError):
    """A batch that cannot run: no batch.json to rerun from, or one we cannot read or write."""


@dataclass
class BatchResult:
    period: Period
    path: Path  # batch.json
    runs: list[UnitRun] = field(default_factory=list)  # this invocation's units, skipped included

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
        return "\n".join(lines)


@dataclass(frozen=True)
class _Job:
    """What every worker needs to run one unit (picklable)."""

    period: Period
    inputs: Path
    outputs: Path
    ledger: Path
    notebook: Path
    timeout: int
    jobs: int
    runtime_dir: Path  # the kernels' socket folders; removed with the batch


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
    progress: bool = True,
    timeout: int = nbrun.CELL_TIMEOUT,
    notebook: Path | None = None,
) -> BatchResult:
    """Run the per-unit notebook for the chosen units (all by default) of the units file that
    send letters in `period`; the others are recorded as skipped."""
    config = load_units(units_file or paths.units_file(inputs))
    from .run import check_validity

    check_validity(config, period)  # the other hierarchy's period: refuse before any kernel
    path = Path(outputs).resolve() / period.label / BATCH_FILE
    record = _Record.load(path, required=rerun_failed, label=period.label)
    chosen = _chosen_units(config, units, record if rerun_failed else None)
    sending = {unit.key for unit in config.sending_units(period.start, period.end)}
    skipped = [_skipped(config.unit(key), period) for key in chosen if key not in sending]
    to_run = [key for key in chosen if key in sending]
    notebook = Path(notebook or paths.notebooks_dir() / nbrun.NOTEBOOK_NAME)
    jobs = max(1, min(jobs or _cores(), len(to_run) or 1))
    runtime = Path(tempfile.mkdtemp(prefix="hcpvnd-b-"))  # a killed worker leaves nothing behind
    where = [Path(p).resolve() for p in (inputs, outputs, ledger, notebook)]
    job = _Job(period, *where, timeout, jobs, runtime)
    try:
        record.begin(config, job, rerun_failed, to_run, skipped)
        runs = _run_recorded(to_run, job, record, _Progress(period.label, to_run, jobs, progress))
    finally:
        shutil.rmtree(runtime, ignore_errors=True)
    order = {key: i for i, key in enumerate(chosen)}
    return BatchResult(period, path, sorted(skipped + runs, key=lambda run: order[run.unit]))


def _run_recorded(to_run: list[str], job: _Job, record: _Record, display: _Progress) -> list:
    """Run the units, recording each in batch.json as it ends; on Ctrl-C the unfinished ones
    are recorded as failed (so --rerun-failed takes them) before the interrupt goes on."""
    runs: list[UnitRun] = []

    def finished(run: UnitRun) -> None:
        runs.append(run)
        record.update(run)
        display.update(run)

    try:
        _run_parallel(to_run, job, finished)
    except KeyboardInterrupt:
        for key in to_run:
            if record.status(key) == PENDING:
                record.update(_failed(key, job, "E-BATCH-02"))
        raise
    finally:
        record.finish()
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


def _failed(key: str, job: _Job, code: str, **fields) -> UnitRun:
    """A unit whose run did not report back (its worker died, or the batch was stopped)."""
    folder = job.outputs / job.period.label / key / "notebooks"
    executed, log = folder / job.notebook.name, folder / "run.log"
    message = render(code, unit=key, log=log, **fields)
    nbrun.mark_failed(executed, message)
    return UnitRun(key, FAILED, 0.0, None, log if log.is_file() else None, None, message)


def _cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


# --- the pool -----------------------------------------------------------------------------------


def _run_parallel(keys: list[str], job: _Job, finished) -> None:
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
        if not in_flight:
            key = suspects.popleft()
            try:
                in_flight[pool.submit(_run_unit, key, job)] = key
            except BrokenProcessPool:
                suspects.appendleft(key)
                return False
            alone.add(key)
        return True
    while queue and len(in_flight) < job.jobs:
        key = queue.popleft()
        try:
            in_flight[pool.submit(_run_unit, key, job)] = key
        except BrokenProcessPool:
            queue.appendleft(key)
            return False
    return True


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
                finished(_failed(key, job, "E-BATCH-03"))
            else:
                suspects.append(key)
        except Exception as exc:  # noqa: BLE001 - e.g. a result that could not be sent back
            finished(_failed(key, job, "E-BATCH-04", detail=type(exc).__name__))
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

    nbrun._kernel_manager_class()


def _exit_on_signal(signum, frame):
    raise SystemExit(128 + signum)


def _run_unit(key: str, job: _Job) -> UnitRun:
    """In a worker: one unit, never raising."""
    try:
        return nbrun.run_unit_notebook(
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
        return _failed(key, job, "E-BATCH-04", detail=type(exc).__name__)


# --- batch.json ---------------------------------------------------------------------------------


class _Record:
    """batch.json: the state of every unit for the period, rewritten after each unit."""

    def __init__(self, path: Path, data: dict):
        self.path, self.data = path, data
        self.units: dict[str, dict] = {entry["unit"]: entry for entry in data.get("units", [])}

    @classmethod
    def load(cls, path: Path, *, required: bool, label: str) -> _Record:
        """The previous batch.json; a plain batch starts afresh when there is none or it is
        unreadable, a rerun of the failed units cannot."""
        if required and not path.is_file():
            raise BatchError("E-BATCH-01", label=label, path=path)
        try:
            data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
            return cls(path, data if isinstance(data.get("units"), list) else {})
        except (OSError, ValueError, AttributeError, KeyError, TypeError) as exc:
            if required:
                raise BatchError("E-BATCH-05", path=path, detail=type(exc).__name__) from None
            return cls(path, {})

    def status(self, key: str) -> str | None:
        return self.units.get(key, {}).get("status")

    def begin(self, config: UnitsConfig, job: _Job, rerun_failed, to_run, skipped) -> None:
        self.data = {
            "period": {"label": job.period.label, **job.period.as_dict()},
            "units_file": str(Path(config.path).resolve()),
            "inputs": str(job.inputs),
            "outputs": str(job.outputs),
            "ledger": str(job.ledger),
            "notebook": str(job.notebook),
            "jobs": job.jobs,
            "rerun_failed": rerun_failed,
            "started": _now(),
            "finished": None,
        }
        for key in to_run:
            self.units[key] = {"unit": key, "status": PENDING, "message": ""}
        for run in skipped:
            self.update(run, write=False)
        known = [key for key in config.units if key in self.units]
        self.units = {key: self.units[key] for key in known + sorted(set(self.units) - set(known))}
        self.write()

    def update(self, run: UnitRun, write: bool = True) -> None:
        self.units[run.unit] = {
            "unit": run.unit,
            "status": run.status,
            "duration": round(run.duration, 2),
            "failed_cell": run.failed_cell.as_dict() if run.failed_cell else None,
            "message": run.message,
            "notebook": self._relative(run.notebook_path),
            "log": self._relative(run.log_path),
            "letters": _letters_made(run),
            "finished": _now(),
        }
        if write:
            self.write()

    def finish(self) -> None:
        if self.data:
            self.data["finished"] = _now()
            self.write()

    def write(self) -> None:
        counts = dict.fromkeys((OK, FAILED, SKIPPED, PENDING), 0)
        for entry in self.units.values():
            counts[entry["status"]] = counts.get(entry["status"], 0) + 1
        body = {**self.data, "counts": counts, "units": list(self.units.values())}
        try:
            atomic_write_text(self.path, json.dumps(body, ensure_ascii=False, indent=1) + "\n")
        except OSError as exc:  # read-only or full disk: stop the batch with a message
            raise BatchError("E-BATCH-06", path=self.path, detail=type(exc).__name__) from None

    def _relative(self, path: Path | None) -> str | None:
        if path is None:
            return None
        try:
            return Path(path).relative_to(self.path.parent).as_posix()
        except ValueError:
            return str(path)


def _letters_made(run: UnitRun) -> int | None:
    """How many letters this run made, from the summary.json it wrote (None when unknown)."""
    if run.status != OK or run.notebook_path is None:
        return None
    summary = run.notebook_path.parent.parent / "summary.json"
    try:
        if summary.stat().st_mtime < time.time() - run.duration - 2:
            return None  # an older run's summary
        return len(json.loads(summary.read_text(encoding="utf-8"))["letters"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


# --- progress -----------------------------------------------------------------------------------


class _Progress:
    """Progress on stderr: a bar on a terminal, one line per unit otherwise. Shows unit keys,
    counts and message codes only: never a name from a register."""

    def __init__(self, label: str, units: list[str], jobs: int, enabled: bool):
        self.stream = sys.stderr
        self.total, self.done, self.failed = len(units), 0, 0
        self.enabled = enabled and self.total > 0
        self.tty = self.enabled and self.stream.isatty()
        self.say(f"Kỳ {label}: chạy {self.total} đơn vị, {jobs} tiến trình song song.")
        self.draw("")

    def say(self, text: str) -> None:
        if self.enabled:
            self.stream.write(("\r\033[K" if self.tty else "") + text + "\n")
            self.stream.flush()

    def update(self, run: UnitRun) -> None:
        self.done += 1
        self.failed += run.status == FAILED
        seconds = f"{run.duration:.1f}".replace(".", ",")
        result = "xong" if run.status == OK else f"LỖI {run.message}"
        if not self.tty or run.status == FAILED:
            self.say(f"[{self.done}/{self.total}] {run.unit} ({seconds} giây): {result}")
        self.draw(run.unit)

    def draw(self, last: str) -> None:
        if self.tty:
            bar = "█" * (24 * self.done // self.total)
            counts = f"thành công {self.done - self.failed} · lỗi {self.failed}"
            self.stream.write(f"\r\033[K{bar:·<24} {self.done}/{self.total} · {counts} · {last}")
            self.stream.flush()

    def close(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()
