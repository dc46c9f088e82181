"""Where things live. Every path the package uses is resolved here, so a notebook run from
JupyterLab (working directory notebooks/) and a papermill run from the top behave the same."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"


def project_root() -> Path:
    """The checkout holding inputs/ and templates/: $HCPVND_HOME, else the nearest parent of the
    working directory that has inputs/units.yaml, else the folder above the package."""
    env = os.environ.get("HCPVND_HOME")
    if env:
        return Path(env).resolve()
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "inputs" / "units.yaml").is_file():
            return folder
    return PACKAGE_DIR.parent


def inputs_dir() -> Path:
    return project_root() / "inputs"


def outputs_dir() -> Path:
    """$HCPVND_OUTPUTS (e.g. a temporary folder for the notebook tests), else outputs/."""
    env = os.environ.get("HCPVND_OUTPUTS")
    return Path(env).resolve() if env else project_root() / "outputs"


def templates_dir() -> Path:
    return project_root() / "templates"


def notebooks_dir() -> Path:
    return project_root() / "notebooks"


def units_file(inputs: Path | None = None) -> Path:
    return Path(inputs or inputs_dir()) / "units.yaml"


def default_ledger(outputs: Path | None = None) -> Path:
    return Path(outputs or outputs_dir()) / "ledger.sqlite"


def resolve(path: str | Path | None, default: Path) -> Path:
    """An absolute path: the given one (relative to the working directory) or the default."""
    return Path(path).expanduser().resolve() if path else default.resolve()
