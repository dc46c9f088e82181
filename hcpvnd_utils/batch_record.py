"""batch.json: the state of every unit of a period's batch, rewritten (atomically) after each
unit, so an interrupted batch shows what is left to do. Paths inside are relative to its
folder, so the outputs folder can be moved or copied whole.
"""

from __future__ import annotations

import json
import time
from datetime import datetime
from pathlib import Path

from .config import UnitsConfig
from .errors import HcpvndError
from .messages import register
from .nbrun import UnitRun
from .safeio import atomic_write_text
from .storage import os_reason

BATCH_FILE = "batch.json"
OK, FAILED, SKIPPED, PENDING = "ok", "failed", "skipped", "pending"

register(
    {
        "E-BATCH-01": "Chưa có kết quả chạy hàng loạt cho kỳ {label} (không thấy tệp {path}). Chạy lệnh hcpvnd batch cho kỳ này một lần, không kèm --rerun-failed.",
        "E-BATCH-05": "Tệp {path} hỏng, không đọc được ({detail}). Xóa tệp này rồi chạy lại cả kỳ (không kèm --rerun-failed).",
        "E-BATCH-06": "Không ghi được tệp {path} ({detail}). Kiểm tra quyền ghi và chỗ trống trên đĩa rồi chạy lại.",
    }
)


class BatchError(HcpvndError):
    """A batch that cannot run: no batch.json to rerun from, or one we cannot read or write."""


class BatchRecord:
    """batch.json: the state of every unit for the period, rewritten after each unit."""

    def __init__(self, path: Path, data: dict):
        self.path, self.data = path, data
        self.units: dict[str, dict] = {entry["unit"]: entry for entry in data.get("units", [])}

    @classmethod
    def load(cls, path: Path, *, required: bool, label: str) -> BatchRecord:
        """The previous batch.json; a plain batch starts afresh when there is none or it is
        unreadable, a rerun of the failed units cannot."""
        if required and not path.is_file():
            raise BatchError("E-BATCH-01", label=label, path=path)
        try:
            data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
            return cls(path, data if isinstance(data.get("units"), list) else {})
        except (OSError, ValueError, AttributeError, KeyError, TypeError) as exc:
            if required:
                detail = os_reason(exc) if isinstance(exc, OSError) else "nội dung không đúng dạng"
                raise BatchError("E-BATCH-05", path=path, detail=detail) from None
            return cls(path, {})

    def status(self, key: str) -> str | None:
        return self.units.get(key, {}).get("status")

    def begin(self, config: UnitsConfig, job, rerun_failed, to_run, skipped) -> None:
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
            raise BatchError("E-BATCH-06", path=self.path, detail=os_reason(exc)) from None

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
