"""A notebook's parameters: only the names its parameters cell declares may be given.

papermill injects every ``-p name value`` it is given, after the parameters cell, and only warns
("Passed unknown parameter") about a name the notebook does not declare: ``-p outptus X`` then runs
the notebook with its default outputs folder and makes real letters there. Two guards refuse it
before anything is read or written:

- ``check_parameters(globals())``, the notebooks' first call after the parameters: the names in
  papermill's injected cell (the kernel's input history) against those of the cell before it;
- ``unknown_parameters(notebook, parameters)``, before a run of ours starts a kernel.
"""

from __future__ import annotations

import ast
import difflib
import json
from pathlib import Path

from ..errors import HcpvndError
from ..messages import render

INJECTED_HEADER = "# Parameters"  # the first line of the cell papermill injects
PAPERMILL_NAMES = ("PAPERMILL_INPUT_PATH", "PAPERMILL_OUTPUT_PATH")  # --inject-paths


class UnknownParameterError(HcpvndError):
    """Parameters the notebook does not declare: one coded message per name."""

    def __init__(self, unknown: list[str], declared: list[str]):
        problems = [_problem(name, declared) for name in unknown]
        super().__init__(problems[0][0], **problems[0][1])
        self.args = ("\n".join(render(code, **fields) for code, fields in problems),)


def _problem(name: str, declared: list[str]) -> tuple[str, dict]:
    known = ", ".join(declared) or "(không có)"
    close = difflib.get_close_matches(name, declared, n=1, cutoff=0.6)
    if not close:  # a different case is a typo too: -p Unit x
        close = [d for d in declared if d.lower() == name.lower()]
    if close:
        return "E-NB-12", {"name": name, "close": close[0], "known": known}
    return "E-NB-13", {"name": name, "known": known}


def assigned_names(source: str) -> list[str]:
    """The names a cell assigns at its top level, in order ('' or a syntax error: none)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    names = []
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            names += [t.id for t in targets if isinstance(t, ast.Name) and t.id not in names]
    return names


def _unknown(given, declared: list[str]) -> list[str]:
    return [n for n in given if n not in declared and n not in PAPERMILL_NAMES]


def check_parameters(namespace: dict) -> None:
    """In a notebook, right after its parameters: refuse (E-NB-12/13) any parameter papermill
    injected that the parameters cell does not declare. Run in JupyterLab (nothing injected):
    nothing to check."""
    history = [str(s) for s in namespace.get("In", [])]
    injected = [i for i, s in enumerate(history) if s.lstrip().startswith(INJECTED_HEADER)]
    if not injected:
        return
    at = injected[-1]
    declared = assigned_names(history[at - 1]) if at > 0 else []
    declared += [n for n in namespace.get("__annotations__", {}) if n not in declared]
    unknown = _unknown(assigned_names(history[at]), declared)
    if unknown:
        raise UnknownParameterError(unknown, declared)


def declared_parameters(notebook: Path) -> list[str] | None:
    """The names the notebook's cell tagged ``parameters`` assigns; None when the notebook
    cannot be read or has no such cell (the run then says why, as before)."""
    try:
        cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    for cell in cells:
        if isinstance(cell, dict) and "parameters" in cell.get("metadata", {}).get("tags", []):
            source = cell.get("source", "")
            return assigned_names("".join(source) if isinstance(source, list) else str(source))
    return None


def unknown_parameters(notebook: Path, parameters: dict) -> str:
    """The message refusing the parameters ``notebook`` does not declare, "" when all are."""
    declared = declared_parameters(notebook)
    unknown = _unknown(parameters, declared) if declared is not None else []
    return UnknownParameterError(unknown, declared).message if unknown else ""
