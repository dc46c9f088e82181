"""What a purge leaves of a run once its letters are gone: counts, codes, numbers and hashes, no
person's name, ID number or cell of a register.

- ``summary.json``: each letter's file name loses the person's name (as the ledger's does,
  ``rows.nameless``); each reason that quoted a cell (a date, an ID number) keeps its code and
  where it was, not the cell. Its counts — what reports read — are untouched. The same for the
  reasons in the run's rows file (``rows.jsonl.gz``), which names no letter file.
- an executed notebook (and the earlier runs' copies in ``lich_su/``), and the analyst's own
  copies in ``outputs/so_tay/`` (``hcpvnd lab``): its outputs (the tables of letters and of rows
  without a letter) are removed; its code and parameters stay, with a note in its metadata that
  a purge emptied it.
- ``rejected.xlsx`` and ``kiem_tra_*.xlsx`` quote cells by design: a purge deletes them.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath

from ..messages import location, quotes_a_cell
from ..periods import now_iso
from ..rowsfile import rewrite_rows
from ..safeio import atomic_write_json, read_json

REMOVED = "(nội dung ô đã xóa khi dọn dữ liệu)"


def scrub_summary(path: Path, renamed: dict[str, str], prefix: str) -> bool:
    """Rewrite a unit's summary.json without names or cell values; ``renamed`` maps a letter's
    file (relative to outputs) to its name-free name; ``prefix`` is the unit folder's (relative
    to outputs). False when the file is not a summary (left alone)."""
    summary = read_json(path)
    if summary is None or not isinstance(summary.get("letters", []), list):
        return False
    for letter in summary.get("letters") or []:
        if isinstance(letter, dict) and letter.get("file"):
            full = prefix + str(letter["file"])
            letter["file"] = renamed.get(full, _number_only(full))[len(prefix) :]
    for reason in summary.get("rejected") or []:
        if isinstance(reason, dict):
            _without_cell(reason)
    atomic_write_json(path, summary)
    return True


def scrub_rows(path: Path, summary: Path | None) -> bool:
    """The same for a run's rows file (every row it read, ``rowsfile``): each reason that quoted
    a cell keeps its code and where it was. ``summary``: the summary.json it belonged to before
    that was scrubbed, which it names again (None: it belonged to none, and still does not).
    False when there is none or it cannot be read."""
    return path.is_file() and rewrite_rows(path, _without_cell, summary)


def _without_cell(reason: dict) -> dict:
    if quotes_a_cell(str(reason.get("code", ""))):
        where = location(reason.get("file", ""), reason.get("sheet", ""), reason.get("row"),
                         reason.get("column", ""))  # fmt: skip
        reason["message"] = f"[{reason['code']}] {where}: {REMOVED}"
    return reason


def _number_only(file: str) -> str:
    """A letter's file name with its number only (a letter purged before names were kept out
    of the ledger, whose name-free name is not known here)."""
    path = PurePosixPath(file)
    return str(path.with_name(f"{path.stem.split('_', 1)[0]}{path.suffix}"))


def shows_something(path: Path) -> bool:
    """True when a notebook has a code cell with outputs (False: none, or not a notebook)."""
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    return isinstance(cells, list) and any(
        isinstance(c, dict) and c.get("cell_type") == "code" and c.get("outputs") for c in cells
    )


def empty_notebook(path: Path) -> bool:
    """Remove an executed notebook's outputs (kept: its code, parameters and metadata). False
    when the file is not a notebook (left alone)."""
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        return False
    for cell in notebook["cells"]:
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            cell["outputs"], cell["execution_count"] = [], None
    notebook.setdefault("metadata", {}).setdefault("hcpvnd", {})["purged_at"] = now_iso()
    atomic_write_json(path, notebook, sort_keys=True)
    return True


__all__ = ["empty_notebook", "scrub_rows", "scrub_summary", "shows_something"]
