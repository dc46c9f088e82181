"""Writing values into an .xlsx: what a register gave us goes in as plain data, never as code.

openpyxl turns a string that starts with "=" into a formula, and refuses the control characters
XML cannot hold. A file name, a sheet name, a header or a cell of an export is the clerk's data
(or a hostile file's): ``cell`` makes every string a string cell — marked quote-prefixed when it
starts with = + - @, so Excel keeps it text even when it is edited — with each character XML
cannot hold written as ``\\xNN``. Numbers, dates and None are written as they are.
"""

from __future__ import annotations

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(text: str) -> str:
    """``text`` with each character an .xlsx cannot hold written as ``\\xNN``."""
    return ILLEGAL_CHARACTERS_RE.sub(lambda m: f"\\x{ord(m[0]):02x}", text)


def cell(sheet, value, *, font=None, alignment=None) -> Cell:
    """A cell for ``sheet`` (write-only or not) holding ``value`` as data."""
    made = Cell(sheet, column=1, row=1)  # placed by append
    put(made, value)
    if font is not None:
        made.font = font
    if alignment is not None:
        made.alignment = alignment
    return made


def put(target: Cell, value) -> None:
    """Set a cell's value as data: a string is a string, whatever it starts with."""
    if not isinstance(value, str):
        target.value = value
        return
    text = safe_text(value)
    target.value = text
    target.data_type = "s"  # never "f": a value from a register is no formula
    if text.startswith(FORMULA_START):
        target.quotePrefix = True


def row(sheet, values) -> list:
    """A row for ``sheet.append``. Plain values go as they are (a 100,000-row workbook stays
    quick); a row holding a string that needs care has every value in a cell of its own (a
    write-only sheet gives the values after a cell that cell's style otherwise)."""
    values = list(values)
    if not any(isinstance(v, str) and _needs_care(v) for v in values):
        return values
    return [None if v is None else cell(sheet, v) for v in values]


def _needs_care(text: str) -> bool:
    return text.startswith(FORMULA_START) or ILLEGAL_CHARACTERS_RE.search(text) is not None


__all__ = ["FORMULA_START", "cell", "put", "row", "safe_text"]
