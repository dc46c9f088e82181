"""Error types and the Problem record every clerk-facing message is built from.

A data problem never raises: it becomes a Problem attached to a row. Exceptions are for
things that stop a run (unreadable configuration, broken template, unreadable file).
"""

from __future__ import annotations

from dataclasses import dataclass

from .messages import render, render_without_cell_values


@dataclass(frozen=True)
class Problem:
    """One thing a clerk must know about: where (file/sheet/row/column), what, what to do."""

    code: str
    message: str
    file: str = ""
    sheet: str = ""
    row: int | None = None
    column: str = ""
    severity: str = "error"  # "error" rejects the row; "warning" only informs
    shown: str = ""  # the message without any cell value, for the console ("" = no value in it)

    @classmethod
    def make(cls, code: str, *, file="", sheet="", row=None, column="", severity="error", **fields):
        where = {"file": file, "sheet": sheet, "row": row, "column": column}
        text = render(code, **where, **fields)
        shown = render_without_cell_values(code, **where, **fields)
        return cls(code, text, file, sheet, row, column, severity, "" if shown == text else shown)

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "code": self.code,
            "message": self.message,
        }


class HcpvndError(Exception):
    """An error that stops a run; its text is the Vietnamese message for the user."""

    exit_code = 2

    def __init__(self, code: str, **fields):
        self.code = code
        self.fields = fields
        super().__init__(render(code, **fields))

    @property
    def message(self) -> str:
        return str(self)

    def _render_traceback_(self) -> list[str]:
        """In a notebook, the message a clerk can act on instead of a Python traceback."""
        return [self.message]


class ConfigError(HcpvndError):
    """The units file or settings cannot be used."""


class InputFileError(HcpvndError):
    """A whole input file cannot be read."""


class TemplateError(HcpvndError):
    """A letter template has a broken tag or a field the data cannot fill."""


class PeriodError(HcpvndError):
    """A period argument is not one of the accepted forms."""
