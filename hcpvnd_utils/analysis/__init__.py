"""Analysis: the frames of a period (``hcpvnd_utils.frames``) → the analysis notebook's tables and
charts (``notebooks/phan_tich.ipynb``): coverage per unit and event, days from registration to
letter, letters by month, the data errors clerks make most, the rollout against the target.

Tables are DataFrames with Vietnamese headers; charts are ``Chart`` objects (a PNG in the
notebook, its matplotlib figure in ``.figure``) drawn in the report's fonts, and the letters by
month and the rollout are the report's own charts. Above ``report`` in the layers: it draws with
the report's charts; nothing below imports it.
"""

from .charts import (
    Chart,
    by_month_chart,
    coverage_chart,
    reasons_chart,
    rollout_over_time,
    timeliness_chart,
)
from .tables import by_month, coverage, notes, reasons, rollout, rollout_share, timeliness

__all__ = [
    "Chart", "by_month", "by_month_chart", "coverage", "coverage_chart", "notes", "reasons",
    "reasons_chart", "rollout", "rollout_over_time", "rollout_share", "timeliness",
    "timeliness_chart",
]  # fmt: skip
