"""Running the analysis notebook (``notebooks/phan_tich.ipynb``) for a period with papermill: its
executed copy and log go to ``<outputs>/<period label>/phan_tich/`` (``make demo`` runs it after
each period's letters and report)."""

from __future__ import annotations

from pathlib import Path

from .. import layout
from ..periods import Period
from .notebook import Execution, run_project_notebook

NOTEBOOK_NAME = layout.ANALYSIS_NOTEBOOK


def run_analysis_notebook(
    period: Period, *, inputs: Path, outputs: Path, ledger: Path, units: str = ""
) -> tuple[Execution, Path]:
    """(how the run ended, the executed copy); never raises for a failed run."""
    executed = layout.analysis_notebook(Path(outputs).resolve(), period.label, NOTEBOOK_NAME)
    parameters = {
        "period": period.argument,
        "units": units,
        "inputs": str(Path(inputs).resolve()),
        "outputs": str(Path(outputs).resolve()),
        "ledger": str(Path(ledger).resolve()),
    }
    return run_project_notebook(NOTEBOOK_NAME, executed, parameters), executed
