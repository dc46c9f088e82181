"""batch.json: the state of every unit of a period's batch, rewritten (atomically) after each
unit, so an interrupted batch shows what is left to do. Paths inside are relative to its
folder, so the outputs folder can be moved or copied whole.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from .. import layout
from ..config import UnitsConfig
from ..errors import HcpvndError
from ..periods import now_iso
from ..records import letters_in
from ..safeio import atomic_write_json, read_json
from ..storage import os_reason
from .notebook import UnitRun

OK, FAILED, SKIPPED, PENDING = "ok", "failed", "skipped", "pending"


class BatchError(HcpvndError):
    """A batch that cannot run: no batch.json to rerun from, or one we cannot read or write."""


class BatchRecord:
    """batch.json: the state of every unit for the period, rewritten after each unit."""

    def __init__(self, outputs: Path, label: str, data: dict):
        self.outputs, self.label = Path(outputs), label
        self.path, self.data = layout.batch_file(outputs, label), data
        self.units: dict[str, dict] = {entry["unit"]: entry for entry in data.get("units", [])}

    @classmethod
    def load(cls, outputs: Path, label: str, *, required: bool) -> BatchRecord:
        """The period's previous batch.json; a plain batch starts afresh when there is none or
        it is unreadable, a rerun of the failed units cannot."""
        path = layout.batch_file(outputs, label)
        if required and not path.is_file():
            raise BatchError("E-BATCH-01", label=label, path=path)
        try:
            data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
            return cls(outputs, label, data if isinstance(data.get("units"), list) else {})
        except (OSError, ValueError, AttributeError, KeyError, TypeError) as exc:
            if required:
                detail = os_reason(exc) if isinstance(exc, OSError) else "nội dung không đúng dạng"
                raise BatchError("E-BATCH-05", path=path, detail=detail) from None
            return cls(outputs, label, {})

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
            "started": now_iso(),
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
            "letters": self._letters_made(run),
            "finished": now_iso(),
        }
        if write:
            self.write()

    def finish(self) -> None:
        if self.data:
            self.data["finished"] = now_iso()
            self.write()

    def write(self) -> None:
        counts = dict.fromkeys((OK, FAILED, SKIPPED, PENDING), 0)
        for entry in self.units.values():
            counts[entry["status"]] = counts.get(entry["status"], 0) + 1
        body = {**self.data, "counts": counts, "units": list(self.units.values())}
        try:
            atomic_write_json(self.path, body)
        except OSError as exc:  # read-only or full disk: stop the batch with a message
            raise BatchError("E-BATCH-06", path=self.path, detail=os_reason(exc)) from None

    def _letters_made(self, run: UnitRun) -> int | None:
        """How many letters this run made, from the summary.json it wrote (None when unknown)."""
        if run.status != OK:
            return None
        summary = layout.unit_folder(self.outputs, self.label, run.unit).summary
        try:
            if summary.stat().st_mtime < time.time() - run.duration - 2:
                return None  # an older run's summary
        except OSError:
            return None
        letters = (read_json(summary) or {}).get("letters")
        return letters_in(letters) if isinstance(letters, list) else None

    def _relative(self, path: Path | None) -> str | None:
        if path is None:
            return None
        try:
            return Path(path).relative_to(self.path.parent).as_posix()
        except ValueError:
            return str(path)
