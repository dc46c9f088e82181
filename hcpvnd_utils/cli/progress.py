"""Progress of a batch on stderr: a bar on a terminal, one line per unit otherwise."""

from __future__ import annotations

import sys

from ..runs.record import FAILED, OK


class Progress:
    """Progress on stderr: a bar on a terminal, one line per unit otherwise. Shows unit keys,
    counts and message codes only: never a name from a register."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.total = self.done = self.failed = 0
        self.enabled = self.tty = False

    def start(self, label: str, units: list[str], jobs: int) -> None:
        self.total, self.done, self.failed = len(units), 0, 0
        self.enabled = self.total > 0
        self.tty = self.enabled and self.stream.isatty()
        self.say(f"Kỳ {label}: chạy {self.total} đơn vị, {jobs} tiến trình song song.")
        self.draw("")

    def say(self, text: str) -> None:
        if self.enabled:
            self.stream.write(("\r\033[K" if self.tty else "") + text + "\n")
            self.stream.flush()

    def update(self, run) -> None:
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
