"""The analysis notebook's charts, with Vietnamese labels in the report's fonts (``report.charts``);
the letters by month and the rollout are the report's own charts, drawn from the same frames.

Each returns a ``Chart``: it shows itself as a PNG in JupyterLab and in papermill's executed copy
(no pyplot state), and keeps its matplotlib ``figure`` for whoever wants to change it. A frame
with nothing to draw gives a chart that says so, never an exception.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ..records import EVENTS, LETTER_TITLES, REJECTED
from ..report.charts import (
    EVENT_COLOURS,
    capitalised,
    legend_below,
    letters_by_month_chart,
    new_figure,
    rollout_chart,
    save_png,
    style_ticks,
    vietnamese_font,
)
from ..report.data import kinds_phrase
from . import tables

SCREEN_DPI = 100
NO_DATA = "Chưa có số liệu cho kỳ này"
MAX_CODES = 8


class Chart:
    """A matplotlib figure that shows itself as a PNG in a notebook."""

    def __init__(self, figure: Figure):
        self.figure = figure

    def _repr_png_(self) -> bytes:
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=SCREEN_DPI)
        return buffer.getvalue()

    def save(self, path: Path) -> Path:
        """A PNG at print resolution (e.g. under outputs/), written atomically."""
        return save_png(self.figure, Path(path))


def _subtitle(frame: pd.DataFrame) -> str:
    return capitalised(tables.period_of(frame).vietnamese())


def _nothing(figure: Figure, axes) -> Chart:
    axes.text(0.5, 0.5, NO_DATA, ha="center", va="center", transform=axes.transAxes,
              fontfamily=vietnamese_font(), fontsize=12, color="#4a5568")  # fmt: skip
    axes.set_xticks([])
    axes.set_yticks([])
    return Chart(figure)


def coverage_chart(figures: pd.DataFrame) -> Chart:
    """Letters / registrations (%) per unit, a bar per event, against 100%."""
    figure, axes = new_figure("Tỷ lệ gửi thư theo đơn vị và loại thư", _subtitle(figures))
    table = figures.pivot(index="unit", columns="event", values="coverage")
    table = table.reindex(columns=list(EVENTS)).astype(float).dropna(how="all")
    if table.empty:
        return _nothing(figure, axes)
    units = [str(key) for key in table.index]
    width = 0.8 / len(EVENTS)
    for i, event in enumerate(EVENTS):
        positions = np.arange(len(units)) + (i - 1) * width
        axes.bar(positions, table[event].to_numpy(), width=width, color=EVENT_COLOURS[event],
                 label=LETTER_TITLES[event])  # fmt: skip
    axes.axhline(100, color="#c53030", linestyle="--", linewidth=1, label="100%")
    axes.set_xticks(np.arange(len(units)), tables.named(figures, units))
    axes.set_ylim(0, 110)
    axes.set_ylabel("% số trường hợp đăng ký", fontfamily=vietnamese_font())
    _rotate(axes, len(units))
    style_ticks(axes)
    legend_below(figure, columns=4)
    return Chart(figure)


def timeliness_chart(letters: pd.DataFrame) -> Chart:
    """Days from registration to letter per unit: the median (bar) and the 90th percentile."""
    figure, axes = new_figure("Số ngày từ khi đăng ký đến khi làm thư", _subtitle(letters))
    table = tables.timeliness(letters).drop(index=tables.TOTAL)
    if table.empty:
        return _nothing(figure, axes)
    positions = np.arange(len(table))
    median = table["Trung vị (ngày)"].astype(float).to_numpy()
    p90 = table["90% thư trong vòng (ngày)"].astype(float).to_numpy()
    axes.barh(positions, median, color="#2b6cb0", height=0.6, label="Trung vị")
    axes.scatter(p90, positions, marker="|", s=300, color="#c53030", label="90% số thư")
    axes.set_yticks(positions, list(table.index))
    axes.invert_yaxis()
    axes.set_xlabel("Số ngày", fontfamily=vietnamese_font())
    _fonts(axes)
    legend_below(figure, columns=2)
    return Chart(figure)


def by_month_chart(letters: pd.DataFrame) -> Chart:
    """Letters per month of registration in the period, stacked by event (the report's chart)."""
    from ..frames import monthly

    period = tables.period_of(letters)
    months = monthly(letters, period.start, period.end)
    return Chart(letters_by_month_chart(months, period, _subtitle(letters)))


def reasons_chart(registrations: pd.DataFrame, outcome: str = REJECTED) -> Chart:
    """The most frequent codes of rows without a letter (default: data errors), stacked by unit."""
    figure, axes = new_figure("Các lỗi dữ liệu thường gặp (theo mã lỗi)", _subtitle(registrations))
    table = tables.reasons(registrations, outcome).head(MAX_CODES)
    if table.empty:
        return _nothing(figure, axes)
    units = [c for c in table.columns if c not in ("Nội dung", "Tổng")]
    positions = np.arange(len(table))
    left = np.zeros(len(table))
    colours = _palette(len(units))
    for unit, colour in zip(units, colours):
        values = table[unit].to_numpy(dtype=float)
        axes.barh(positions, values, left=left, color=colour, height=0.6, label=unit)
        left += values
    axes.set_yticks(positions, list(table.index))
    axes.invert_yaxis()
    axes.set_xlabel("Số dòng", fontfamily=vietnamese_font())
    axes.xaxis.get_major_locator().set_params(integer=True)
    _fonts(axes)
    legend_below(figure, columns=min(len(units), 5))
    return Chart(figure)


def rollout_over_time(figures: pd.DataFrame) -> Chart:
    """Units with a plan and sending letters over time, against the target (the report's)."""
    units = figures.drop_duplicates("unit")
    period = tables.period_of(figures)
    kinds = kinds_phrase(units["unit_type"].astype(str)) or "đơn vị"
    return Chart(rollout_chart(units, period.end, figures.attrs.get("target_date"),
                               figures.attrs.get("target_share", 100), kinds,
                               _subtitle(figures)))  # fmt: skip


def _fonts(axes) -> None:
    for label in [*axes.get_xticklabels(), *axes.get_yticklabels()]:
        label.set_fontfamily(vietnamese_font())


def _rotate(axes, count: int) -> None:
    if count > 6:
        axes.tick_params(axis="x", labelrotation=35)
        for label in axes.get_xticklabels():
            label.set_horizontalalignment("right")


def _palette(count: int) -> list:
    from matplotlib import colormaps

    return [colormaps["tab20"](i % 20) for i in range(count)]
