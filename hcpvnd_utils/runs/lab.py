"""JupyterLab without personal data in git.

``hcpvnd lab`` opens JupyterLab on the analyst's own copies of the notebooks, in outputs/so_tay/
(``prepare_workspace``): run, change and save them there at will, the tracked notebooks/ are
never touched. As a second guard for a JupyterLab opened elsewhere:

JupyterLab saves a notebook with everything its cells showed: for the per-unit notebook, the
names of the families. ``strip_outputs_on_save`` is a Jupyter server pre-save hook, switched on
for the project's environment by ``make`` (``jupyter-config/jupyter_server_config.json``): every notebook
saved outside the outputs folder — the tracked notebooks/, a new Untitled.ipynb, a copy — is
written without outputs and execution counts, so what JupyterLab writes there is what git may
hold; notebooks saved under outputs/ (private, 0700) keep everything, as run records should.
``hcpvnd lab --outputs DIR`` hands DIR to the server and its kernels (``lab_environment``), so
"the outputs folder" is DIR for the hook and for the notebooks' empty ``outputs`` parameter.
``strip_notebook`` is also what the git clean filter applies to notebooks/*.ipynb.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .. import layout
from ..safeio import atomic_write_text, private_dir


def strip_notebook(notebook: dict) -> bool:
    """Clear the outputs and execution counts of a notebook (nbformat 4 JSON, in place); True
    when something was cleared."""
    changed = False
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        if cell.get("outputs"):
            cell["outputs"] = []
            changed = True
        if cell.get("execution_count") is not None:
            cell["execution_count"] = None
            changed = True
        metadata = cell.get("metadata", {})
        for key in ("execution", "papermill"):
            if metadata.pop(key, None) is not None:
                changed = True
    return changed


def keeps_outputs(path: Path) -> bool:
    """Only a notebook inside the outputs folder keeps what it showed."""
    try:
        return Path(path).resolve().is_relative_to(layout.outputs_dir().resolve())
    except OSError:
        return False


def strip_outputs_on_save(model: dict, path: str, contents_manager, **_) -> None:
    """Jupyter server pre-save hook (``ContentsManager.pre_save_hook``)."""
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    root = Path(getattr(contents_manager, "root_dir", ".") or ".")
    if not keeps_outputs(root / path.lstrip("/")):
        strip_notebook(model["content"])


@dataclass
class Workspace:
    folder: Path
    copied: list[str] = field(default_factory=list)  # notebooks copied now
    kept: list[str] = field(default_factory=list)  # the analyst's copies, left as they are


def prepare_workspace(outputs: Path, notebooks: Path | None = None) -> Workspace:
    """outputs/so_tay/ (0700) with a clean copy of every project notebook the analyst does not
    have there yet; an existing copy is the analyst's work and is never replaced."""
    folder = private_dir(layout.notebook_workspace(outputs))
    found = Workspace(folder)
    for source in sorted(Path(notebooks or layout.notebooks_dir()).glob("*.ipynb")):
        target = folder / source.name
        if target.exists():
            found.kept.append(source.name)
            continue
        notebook = json.loads(source.read_text(encoding="utf-8"))
        strip_notebook(notebook)
        atomic_write_text(target, json.dumps(notebook, ensure_ascii=False, indent=1) + "\n")
        found.copied.append(source.name)
    return found


def lab_environment(outputs: Path) -> dict[str, str]:
    """What JupyterLab and its kernels must inherit to work on ``outputs`` throughout: the save
    hook keeps outputs in that folder only, and a notebook's empty ``outputs`` parameter (its
    ledger, its reports) means that folder, not the project's outputs/."""
    return {
        "HCPVND_OUTPUTS": str(Path(outputs).resolve()),
        "HCPVND_HOME": str(layout.project_root()),  # the kernels start in so_tay/, outside it
    }


def jupyter_lab() -> str | None:
    """The jupyter command of this environment, else the one on PATH."""
    import sys

    here = Path(sys.executable).with_name("jupyter")
    return str(here) if here.is_file() else shutil.which("jupyter")
