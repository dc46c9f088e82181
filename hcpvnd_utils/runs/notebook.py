"""Run one notebook with papermill in a fresh kernel, and say in Vietnamese how it ended.

Safe to run many at once: every run gets its own kernel, talking over IPC sockets in a private
folder (no TCP port races, papermill #511), its own working directory passed to the kernel (never
a process-wide chdir) and absolute paths as parameters. Success is judged by the exception
papermill or nbclient raises, never by the output notebook: a killed kernel or a cell timeout
leaves a notebook that looks complete, so a failed run gets a banner at its top.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import shutil
import sys
import tempfile
import time
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .. import layout, runlock
from ..config import UNIT_KEY
from ..errors import HcpvndError
from ..layout import HISTORY_DIR
from ..messages import render
from ..periods import Period, now_iso
from ..safeio import FILE_MODE, atomic_write_text, private_dir
from ..storage import StorageError, os_reason
from .parameters import unknown_parameters

NOTEBOOK_NAME = "unit_letters.ipynb"
KERNEL_NAME = "python3"
CELL_TIMEOUT = 600  # seconds one cell may run
START_TIMEOUT = 60  # seconds the kernel may take to start
FAILED_TAG = "hcpvnd-run-failed"
INJECTED_TAG = "injected-parameters"
KEPT_RUNS = 10
CLERK_CODE = re.compile(r"^\[[A-Z]+(?:-[A-Z0-9]+)+\] ")


@dataclass(frozen=True)
class FailedCell:
    index: int  # position in the notebook as its author sees it (0 = first cell)
    source: str  # first line of the cell's code

    def as_dict(self) -> dict:
        return {"index": self.index, "source": self.source}


@dataclass(frozen=True)
class Execution:
    """How one notebook run ended."""

    status: str  # "ok" or "failed"
    duration: float  # seconds, kernel start included
    failed_cell: FailedCell | None = None
    message: str = ""  # Vietnamese, with a stable code; "" when ok


@dataclass(frozen=True)
class UnitRun:
    """One unit's run of the per-unit notebook (also what batch.json records per unit)."""

    unit: str
    status: str  # "ok", "failed" or "skipped"
    duration: float
    notebook_path: Path | None  # the executed copy, None when none was written
    log_path: Path | None
    failed_cell: FailedCell | None = None
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def run_unit_notebook(
    unit_key: str,
    period: Period,
    *,
    inputs: Path,
    outputs: Path,
    ledger: Path,
    regenerate: bool = False,
    timeout: int = CELL_TIMEOUT,
    start_timeout: int = START_TIMEOUT,
    notebook: Path | None = None,
    runtime_dir: Path | None = None,
) -> UnitRun:
    """Run the per-unit notebook for one unit and period; the executed copy and run.log are kept
    under <outputs>/<period label>/<unit>/notebooks/. Never raises for a failed run."""
    if not UNIT_KEY.match(unit_key):  # the key names folders: nothing that could leave them
        return UnitRun(unit_key, "failed", 0.0, None, None, None, render("E-NB-09", unit=unit_key))
    source = Path(notebook or layout.notebooks_dir() / NOTEBOOK_NAME).resolve()
    folder = layout.unit_folder(Path(outputs).resolve(), period.label, unit_key)
    executed, log_path = folder.executed(source.name), folder.run_log
    with suppress(OSError):  # a folder made 0755 before (a clone's outputs/) is closed too;
        private_dir(folder.notebooks, root=Path(outputs).resolve())  # a failure is said below
    parameters = {
        "unit": unit_key,
        "period": period.argument,
        "inputs": str(Path(inputs).resolve()),
        "outputs": str(Path(outputs).resolve()),
        "ledger": str(Path(ledger).resolve()),
        "regenerate": bool(regenerate),
    }
    root = layout.project_root()
    result = execute_notebook(
        source,
        executed,
        parameters,
        log_path=log_path,
        cwd=root,
        timeout=timeout,
        start_timeout=start_timeout,
        env={"HCPVND_HOME": str(root)},
        runtime_dir=runtime_dir,
    )
    return UnitRun(
        unit=unit_key,
        status=result.status,
        duration=result.duration,
        notebook_path=executed if executed.is_file() else None,
        log_path=log_path if log_path.is_file() else None,
        failed_cell=result.failed_cell,
        message=result.message,
    )


def run_project_notebook(name: str, executed: Path, parameters: dict, env=None) -> Execution:
    """One of the project's notebooks (``notebooks/<name>``) run from the project's top folder,
    its log next to the executed copy (``.log``). Never raises for a failed run."""
    root = layout.project_root()
    return execute_notebook(
        layout.notebooks_dir() / name,
        executed,
        parameters,
        log_path=executed.with_suffix(".log"),
        cwd=root,
        env={"HCPVND_HOME": str(root), **(env or {})},
    )


def execute_notebook(
    source: Path,
    executed: Path,
    parameters: dict,
    *,
    log_path: Path,
    cwd: Path,
    timeout: int = CELL_TIMEOUT,
    start_timeout: int = START_TIMEOUT,
    env: dict[str, str] | None = None,
    runtime_dir: Path | None = None,
) -> Execution:
    """Execute `source` into `executed` with `parameters` in a fresh kernel started in `cwd`;
    the kernel's own output goes to `log_path`; its sockets live in a new folder under
    `runtime_dir` (default: the system's temporary folder). Never raises for a failed run."""
    started = time.perf_counter()
    refused = unknown_parameters(Path(source), parameters)  # papermill would only warn
    if refused:
        return Execution("failed", time.perf_counter() - started, None, refused)
    context = _Context(Path(source), Path(executed), Path(log_path), timeout, start_timeout)
    folder = context.executed.parent
    try:
        private_dir(folder)
        # a second run of the same notebook record waits for nothing and touches nothing: the
        # first run's executed copy and log stay its own
        with runlock.exclusive(folder / f".{context.executed.stem}.lock") as mine:
            if not mine:
                message = render("E-NB-10", folder=folder)
                return Execution("failed", time.perf_counter() - started, None, message)
            return _execute(context, parameters, cwd, env, runtime_dir, started)
    except OSError as exc:  # read-only or full disk, or a file where a folder should be
        message = render("E-NB-08", folder=folder, detail=os_reason(exc))
        return Execution("failed", time.perf_counter() - started, None, message)


def _execute(context: _Context, parameters: dict, cwd, env, runtime_dir, started) -> Execution:
    _prepare(context, parameters)
    tracker = _CellTracker()
    failed_cell, message = None, render("E-NB-07")  # what stays true if we are stopped midway
    with _run_log(context.log_path) as log:
        try:
            _check_readable(context.source)
            run_dir = Path(tempfile.mkdtemp(prefix="hcpvnd-k-", dir=runtime_dir))
            try:
                _papermill(context, parameters, log, cwd, tracker, run_dir, env or {})
            finally:
                shutil.rmtree(run_dir, ignore_errors=True)
            failed_cell, message = None, ""
        except Exception as exc:  # noqa: BLE001 - every failure becomes a message
            failed_cell, message = _explain(exc, tracker, context)
        finally:
            duration = time.perf_counter() - started
            _finish(log, context, message, duration)
    return Execution("failed" if message else "ok", duration, failed_cell, message)


@contextmanager
def _run_log(path: Path):
    """The run log, open for appending; on a full disk it is cut short, never a reason to
    raise (the run's message is returned all the same)."""
    log = open(path, "a", encoding="utf-8")
    try:
        yield log
    finally:
        try:
            log.close()
        except OSError:
            pass


@dataclass(frozen=True)
class _Context:
    """The files of one run, and what a failure message names."""

    source: Path
    executed: Path
    log_path: Path
    timeout: int
    start_timeout: int


def _prepare(context: _Context, parameters: dict) -> None:
    private_dir(context.log_path.parent)
    _keep_previous(context)  # an earlier run's copy must not pass for this one, nor be lost
    for path in (context.log_path, context.executed):  # owner-only from the first byte: a run
        _private_file(path)  # killed midway leaves them so (papermill keeps the mode it finds)
    lines = [f"hcpvnd: chạy {context.source} lúc {now_iso()}"]
    lines += [f"  {name} = {value!r}" for name, value in parameters.items()]
    context.log_path.write_text("\n".join(lines) + "\n\n", encoding="utf-8")


def _private_file(path: Path) -> None:
    """An empty file readable by its owner only (0600 on POSIX)."""
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, FILE_MODE))
    if os.name == "posix":
        os.chmod(path, FILE_MODE)


def _keep_previous(context: _Context) -> None:
    """Move the previous run's executed copy and log to lich_su/<when it ran>/: a rerun that
    finds every letter sent must not erase the record of the run that made them. The last
    KEPT_RUNS are kept (they hold personal data, like everything under outputs/)."""
    earlier = [p for p in (context.executed, context.log_path) if p.is_file()]
    if not earlier:
        return
    history = context.executed.parent / HISTORY_DIR
    when = datetime.fromtimestamp(max(p.stat().st_mtime for p in earlier))
    stamp = f"{when:%Y%m%d-%H%M%S}-{context.executed.stem}"
    target = history / stamp
    number = 1
    while target.exists():
        number += 1
        target = history / f"{stamp}-{number}"
    private_dir(target)
    for path in earlier:
        path.replace(target / path.name)
    runs = sorted(p for p in history.glob(f"*-{context.executed.stem}*") if p.is_dir())
    for old in runs[:-KEPT_RUNS]:
        shutil.rmtree(old, ignore_errors=True)


def _finish(log, context: _Context, message: str, duration: float) -> None:
    status = "failed" if message else "ok"
    with suppress(OSError):  # a full disk: the message still reaches the caller
        log.write(f"\nhcpvnd: kết thúc lúc {now_iso()}, {status}, {duration:.2f} giây\n")
        if message:
            log.write(f"{message}\n")
        log.flush()
    if message:
        mark_failed(context.executed, message)
    for path in (context.executed, context.log_path):
        if os.name == "posix" and path.is_file():
            os.chmod(path, FILE_MODE)


class _CellTracker:
    """nbclient's on_cell_start hook: remembers the cell being run (papermill marks a cell that
    killed its kernel as "completed", so its metadata cannot be trusted)."""

    def __init__(self):
        self.cell = None
        self.index: int | None = None
        self.injected = 0

    def __call__(self, cell, cell_index: int, **_):
        if INJECTED_TAG in cell.metadata.get("tags", []):
            self.injected += 1
        self.cell, self.index = cell, cell_index - self.injected

    def failed_cell(self) -> FailedCell | None:
        if self.cell is None:
            return None
        lines = [line.strip() for line in self.cell.source.splitlines() if line.strip()]
        first = lines[0] if lines else ""
        return FailedCell(max(self.index, 0), first[:80] + ("…" if len(first) > 80 else ""))


class _NotebookUnreadable(Exception):
    pass


def _check_readable(source: Path) -> None:
    import nbformat

    try:
        nbformat.read(source, as_version=4)
    except FileNotFoundError:
        raise _NotebookUnreadable("không có tệp") from None
    except (OSError, ValueError, nbformat.ValidationError) as exc:
        raise _NotebookUnreadable(type(exc).__name__) from None


def _papermill(context: _Context, parameters, log, cwd, tracker, run_dir: Path, env) -> None:
    import papermill
    from traitlets.config import Config

    settings = _kernel_settings(run_dir, context, env)
    with _papermill_logs_to(log):
        papermill.execute_notebook(
            str(context.source),
            str(context.executed),
            parameters=parameters,
            kernel_name=KERNEL_NAME,
            progress_bar=False,
            stdout_file=log,
            stderr_file=log,
            start_timeout=context.start_timeout,
            execution_timeout=context.timeout,
            kernel_manager_class=_kernel_manager_class(),
            config=Config({_kernel_manager_class().__name__: settings}),
            resources={"metadata": {"path": str(cwd)}},
            on_cell_start=tracker,
            shutdown_kernel="immediate",
        )


def _kernel_settings(run_dir: Path, context: _Context, env: dict[str, str]) -> dict:
    import zmq

    settings = {
        "connection_file": str(run_dir / "kernel.json"),
        "log_path": str(context.log_path),
        "kernel_env": {"PYDEVD_DISABLE_FILE_VALIDATION": "1", **env},
    }
    if zmq.has("ipc") and os.name != "nt":
        settings["transport"] = "ipc"  # sockets are files in run_dir: no port to race for
    return settings


@functools.cache
def _kernel_manager_class():
    """A kernel manager for one run: this Python (not whatever 'python3' kernelspec is
    installed), IPC sockets in the run folder, the kernel's stdout/stderr to the run log.
    (Built on first use: importing jupyter_client costs 0.2 s that `hcpvnd --help` need not pay.)"""
    from jupyter_client.kernelspec import KernelSpec
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import Dict, Unicode, default

    class RunKernelManager(AsyncKernelManager):
        log_path = Unicode("", config=True)
        kernel_env = Dict(config=True)

        @default("context")
        def _context_default(self):
            # One zmq context per worker process, never collected: a manager's own context,
            # collected later with a dead kernel's sockets still open, can block for ever in
            # Context.term() (seen as a hung batch worker).
            import zmq.asyncio

            self._created_context = False
            return zmq.asyncio.Context.instance()

        @property
        def kernel_spec(self):
            if self._kernel_spec is None:
                argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
                self._kernel_spec = KernelSpec(
                    argv=argv, display_name="Python (hcpvnd)", language="python",
                    env=dict(self.kernel_env),
                )  # fmt: skip
            return self._kernel_spec

        async def start_kernel(self, **kw):
            with open(self.log_path, "ab") as log:  # noqa: ASYNC230 - a local file, instant
                kw.update(stdout=log, stderr=log)
                await super().start_kernel(**kw)

    return RunKernelManager


@contextmanager
def _papermill_logs_to(stream):
    """Send papermill's and nbclient's log lines to the run log instead of the console."""
    logger = logging.getLogger("papermill")
    handler = logging.StreamHandler(stream)
    saved = (logger.level, logger.propagate)
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(saved[0])
        logger.propagate = saved[1]


def _explain(exc: Exception, tracker: _CellTracker, context: _Context) -> tuple:
    """The failing cell and a Vietnamese message for whatever stopped the run."""
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    cell = tracker.failed_cell()
    where = {
        "notebook": context.source.name,
        "executed": str(context.executed),
        "log": str(context.log_path),
        "cell": cell.index + 1 if cell else "?",
        "source": cell.source if cell else "",
    }
    if isinstance(exc, _NotebookUnreadable):
        return None, render("E-NB-05", notebook=context.source, detail=str(exc))
    if isinstance(exc, PapermillExecutionError):
        if CLERK_CODE.match(exc.evalue or "") and exc.ename in _clerk_error_names():
            return cell, exc.evalue  # our own error: its message is already for the clerk
        return cell, render("E-NB-01", ename=exc.ename, **where)
    if isinstance(exc, CellTimeoutError):
        return cell, render("E-NB-03", timeout=context.timeout, **where)
    if isinstance(exc, DeadKernelError):
        return cell, render("E-NB-02", **where)
    if cell is None and isinstance(exc, (RuntimeError, TimeoutError)):
        return None, render("E-NB-04", timeout=context.start_timeout, **where)
    if isinstance(exc, OSError):  # papermill could not write the executed copy
        return cell, StorageError.from_os(exc, context.executed).message
    return cell, render("E-NB-06", detail=type(exc).__name__, **where)


def _clerk_error_names() -> set[str]:
    names, todo = set(), [HcpvndError]
    while todo:
        kind = todo.pop()
        names.add(kind.__name__)
        todo.extend(kind.__subclasses__())
    return names


def mark_failed(executed: Path, message: str) -> None:
    """A banner at the top of the executed copy, so nobody takes it for a good run."""
    import nbformat

    if not executed.is_file():
        return
    try:
        nb = nbformat.read(executed, as_version=4)
    except ValueError:  # cut short (full disk, or killed mid-write): not a record of anything
        executed.unlink(missing_ok=True)
        return
    except OSError:
        return
    try:
        banner = nbformat.v4.new_markdown_cell(f"**Lần chạy này không thành công.** {message}")
        banner.metadata["tags"] = [FAILED_TAG]
        nb.cells.insert(0, banner)
        nb.metadata["hcpvnd"] = {"status": "failed", "message": message}
        atomic_write_text(executed, nbformat.writes(nb))  # a full disk keeps the copy whole
    except (OSError, ValueError):
        pass  # the run already failed; the message is in the log and the result
