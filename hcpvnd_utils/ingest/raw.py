"""What every reader gives and raises: a sheet as rows of raw values, and a file that cannot be
used at all."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


class FileProblem(Exception):
    """The file cannot be used at all: ``code`` is E-FILE-01/02/03, ``detail`` Vietnamese."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(code)
        self.code = code
        self.detail = detail


@dataclass
class RawSheet:
    """One sheet: rows of raw values, the first being Excel row ``first_row``."""

    name: str
    rows: Iterable[list]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # 0-based, inclusive
    first_row: int = 1
    converted: set[str] = field(default_factory=set)  # legacy encodings the reader converted
