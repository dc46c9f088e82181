"""The report's charts (matplotlib, Agg canvas, no pyplot state): letters by unit and event,
letters by month, and units implementing over time against the target. Each is drawn from the
frames (``*_chart`` takes a frame: the analysis notebook draws the same charts from its own).

Imported only by the report path. Every label is Vietnamese with its diacritics: the font is the
first of ``FONT_CANDIDATES`` whose glyphs cover every character we draw (Times New Roman on
Windows, Liberation Serif 2 on Linux; DejaVu Sans, which ships with matplotlib, otherwise).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib import dates as mdates
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ..layout import ReportFolder
from ..periods import Period, short_date
from ..records import EVENTS, LETTER_TITLES
from ..safeio import replacing
from .data import DISTRICT, ReportData
from .handover import shows_delivery
from .tables import letters_pivot, short_names, table_figures

DPI = 200
SIZE = (8.0, 4.5)  # inches: 16 cm wide in the report at print resolution
FONT_CANDIDATES = ("Times New Roman", "Liberation Serif", "DejaVu Sans")
VIETNAMESE_SAMPLE = "ẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸĂÂĐÊÔƠƯạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹăâđêôơư“”%"
EVENT_COLOURS = {"khai_sinh": "#2b6cb0", "ket_hon": "#d69e2e", "khai_tu": "#718096"}


@lru_cache(maxsize=1)
def vietnamese_font() -> str:
    """The first candidate font installed whose glyphs cover Vietnamese."""
    from fontTools.ttLib import TTFont, TTLibError

    for name in FONT_CANDIDATES:
        prop = font_manager.FontProperties(family=name)
        try:
            path = font_manager.findfont(prop, fallback_to_default=False)
        except ValueError:
            continue
        try:
            cmap = TTFont(path, fontNumber=0, lazy=True).getBestCmap()
        except (OSError, TTLibError, KeyError):  # an unreadable font file: try the next one
            continue
        if all(ord(c) in cmap for c in VIETNAMESE_SAMPLE):
            return name
    return "DejaVu Sans"


def new_figure(title: str, subtitle: str = "") -> tuple[Figure, object]:
    figure = Figure(figsize=SIZE, dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot(1, 1, 1)
    font = vietnamese_font()
    figure.suptitle(title, fontfamily=font, fontsize=13, fontweight="bold")
    if subtitle:
        axes.set_title(subtitle, fontfamily=font, fontsize=10)
    axes.spines[["top", "right"]].set_visible(False)
    return figure, axes


def style_ticks(axes) -> None:
    font = vietnamese_font()
    for label in [*axes.get_xticklabels(), *axes.get_yticklabels()]:
        label.set_fontfamily(font)
    axes.yaxis.get_major_locator().set_params(integer=True)


def legend_below(figure, columns: int = 3) -> None:
    """Below the plot, never over the bars."""
    figure.legend(loc="outside lower center", ncols=columns, frameon=False,
                  prop={"family": vietnamese_font(), "size": 9})  # fmt: skip


def stacked_bars(axes, labels: list[str], values: dict[str, list[int]]) -> None:
    bottoms = [0] * len(labels)
    positions = list(range(len(labels)))
    for event in EVENTS:
        heights = values[event]
        axes.bar(positions, heights, bottom=bottoms, label=LETTER_TITLES[event],
                 color=EVENT_COLOURS[event], width=0.6)  # fmt: skip
        bottoms = [b + h for b, h in zip(bottoms, heights)]
    for x, total in zip(positions, bottoms):
        if total:
            axes.annotate(str(total), (x, total), ha="center", va="bottom", fontsize=9,
                          xytext=(0, 2), textcoords="offset points", fontfamily=vietnamese_font())  # fmt: skip
    axes.set_xticks(positions, labels)
    axes.set_ylim(0, max([*bottoms, 1]) * 1.15)


def letters_by_unit(data: ReportData) -> Figure:
    """Stacked bars: one bar per unit in the results table, one segment per kind of letter."""
    figures = table_figures(data)
    return letters_by_unit_chart(letters_pivot(figures), short_names(figures),
                                 capitalised(data.period.vietnamese()))  # fmt: skip


def _units_axis(figure: Figure, axes, labels: list[str]) -> Figure:
    """A chart with a bar per unit: its axes' titles, the names slanted when many, the legend."""
    axes.set_xlabel("Đơn vị", fontfamily=vietnamese_font())
    axes.set_ylabel("Số thư", fontfamily=vietnamese_font())
    if len(labels) > 6:
        axes.tick_params(axis="x", labelrotation=35)
        for label in axes.get_xticklabels():
            label.set_horizontalalignment("right")
    style_ticks(axes)
    legend_below(figure)
    return figure


def letters_by_unit_chart(table: pd.DataFrame, labels: list[str], subtitle: str) -> Figure:
    """``table``: letters, a row per unit and a column per event (``tables.letters_pivot``)."""
    figure, axes = new_figure("Số thư theo đơn vị và loại thư", subtitle)
    stacked_bars(axes, labels, {e: [int(n) for n in table[e]] for e in EVENTS})
    return _units_axis(figure, axes, labels)


def letters_by_month(data: ReportData) -> Figure:
    """Stacked bars per month of the year, from January to the period's last month; the months
    of the report period are shaded."""
    return letters_by_month_chart(data.frames.months, data.period, capitalised(data.issuer.area))


def letters_by_month_chart(months: pd.DataFrame, period: Period, subtitle: str) -> Figure:
    """``months``: letters, a row per month ("2024-03") and a column per event
    (``frames.monthly``); the months that overlap ``period`` are shaded."""
    figure, axes = new_figure(f"Số thư theo tháng năm {period.end.year}", subtitle)
    labels = [f"T{int(label[5:])}" for label in months.index]
    stacked_bars(axes, labels, {e: [int(n) for n in months[e]] for e in EVENTS})
    inside = [i for i, label in enumerate(months.index) if _month_in(label, period)]
    if inside:
        axes.axvspan(inside[0] - 0.45, inside[-1] + 0.45, color="#edf2f7", zorder=0,
                     label="Kỳ báo cáo")  # fmt: skip
    axes.set_xlabel("Tháng", fontfamily=vietnamese_font())
    axes.set_ylabel("Số thư", fontfamily=vietnamese_font())
    style_ticks(axes)
    legend_below(figure, columns=4)
    return figure


def _month_in(label: str, period: Period) -> bool:
    """Whether the month overlaps the period."""
    first = date(int(label[:4]), int(label[5:]), 1)
    last = (first + timedelta(days=31)).replace(day=1) - timedelta(days=1)
    return period.overlaps(first, last)


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def rollout_over_time(data: ReportData) -> Figure:
    """Share of units with a plan and sending letters, day by day up to the period's end (never
    beyond: later dates in the units file are plans, not facts), against the target line."""
    units = data.frames.figures.drop_duplicates("unit")
    return rollout_chart(units, data.period.end, data.target_date, data.target_share,
                         data.kinds, capitalised(data.issuer.area))  # fmt: skip


def rollout_chart(units: pd.DataFrame, end: date, target: date | None, share: int, kinds: str,
                  subtitle: str) -> Figure:  # fmt: skip
    """``units``: a row per unit with ``plan_issued`` and ``letters_start`` (the figures frame's
    rollout columns)."""
    start = date(end.year, 1, 1)
    for day in pd.concat([units["plan_issued"], units["letters_start"]]).dropna():
        start = min(start, date(day.year, 1, 1))
    days = pd.date_range(start, end, freq="D")
    total = len(units) or 1
    figure, axes = new_figure(f"Tỷ lệ {kinds} triển khai mô hình", subtitle)
    plans, doing = (100.0 * _on_or_before(units[c], days) / total
                    for c in ("plan_issued", "letters_start"))  # fmt: skip
    days = [d.date() for d in days]
    axes.step(days, plans, where="post", color="#a0aec0", label="Đã ban hành kế hoạch")
    axes.step(
        days, doing, where="post", color="#2b6cb0", linewidth=2, label="Đã triển khai gửi thư"
    )
    right = max(end, target) if target else end
    label = f"Mục tiêu {share}%" + (f" (đến ngày {short_date(target)})" if target else "")
    axes.axhline(share, color="#c53030", linestyle="--", linewidth=1.2, label=label)
    if target:
        axes.axvline(target, color="#c53030", linestyle=":", linewidth=1)
    axes.axvline(end, color="#4a5568", linestyle=":", linewidth=1, label=f"Ngày {short_date(end)}")
    axes.set_xlim(start, right + timedelta(days=10))
    axes.set_ylim(0, 105)
    axes.set_ylabel(f"% {kinds}", fontfamily=vietnamese_font())
    axes.set_xlabel("Thời gian", fontfamily=vietnamese_font())
    axes.xaxis.set_major_locator(mdates.MonthLocator())
    axes.xaxis.set_major_formatter(mdates.DateFormatter("%m/%Y"))
    axes.tick_params(axis="x", labelrotation=35)
    style_ticks(axes)
    legend_below(figure, columns=2)
    return figure


def _on_or_before(dates: pd.Series, days: pd.DatetimeIndex):
    """For each day, how many of ``dates`` are on or before it (NaT: never)."""
    known = np.sort(dates.dropna().to_numpy(dtype="datetime64[ns]"))
    return np.searchsorted(known, days.to_numpy(dtype="datetime64[ns]"), side="right")


# the delivery chart's segments: the responses to the letters handed over, then those waiting
DELIVERY_SEGMENTS = {
    "tich_cuc": ("Đã trao, phản ánh tích cực", "#2f855a"),
    "binh_thuong": ("Đã trao, bình thường", "#68d391"),
    "khong_y_kien": ("Đã trao, không ý kiến", "#a0aec0"),
    "chua_ghi": ("Đã trao, chưa ghi phản ánh", "#cbd5e0"),
    "tieu_cuc": ("Đã trao, phản ánh tiêu cực", "#c53030"),
    "waiting": ("Chưa trao", "#f6e05e"),
}


def delivery_by_unit(data: ReportData) -> Figure:
    """Stacked bars per unit of the results table: its letters by what became of them."""
    figures = table_figures(data)
    keys = [str(u) for u in figures.drop_duplicates("unit")["unit"]]
    table = data.frames.delivery.groupby("unit", sort=False)[list(DELIVERY_SEGMENTS)].sum()
    return delivery_chart(table.reindex(keys, fill_value=0), short_names(figures),
                          capitalised(data.period.vietnamese()))  # fmt: skip


def delivery_chart(table: pd.DataFrame, labels: list[str], subtitle: str) -> Figure:
    """``table``: a row per unit, a column per segment (``DELIVERY_SEGMENTS``)."""
    figure, axes = new_figure("Thư đã trao và phản ánh của gia đình", subtitle)
    positions, bottoms = list(range(len(labels))), [0] * len(labels)
    for key, (label, colour) in DELIVERY_SEGMENTS.items():
        heights = [int(n) for n in table[key]]
        axes.bar(positions, heights, bottom=bottoms, label=label, color=colour, width=0.6)
        bottoms = [b + h for b, h in zip(bottoms, heights)]
    axes.set_xticks(positions, labels)
    axes.set_ylim(0, max([*bottoms, 1]) * 1.15)
    return _units_axis(figure, axes, labels)


def report_charts(data: ReportData) -> dict[str, Figure]:
    """The charts of a report: all three for the district, letters by month for one unit; and
    the delivery chart once a delivery sheet of its units was imported."""
    if data.scope == DISTRICT:
        charts = {
            "by_unit": letters_by_unit(data),
            "by_month": letters_by_month(data),
            "rollout": rollout_over_time(data),
        }
    else:
        charts = {"by_month": letters_by_month(data)}
    if shows_delivery(data):
        charts["delivery"] = delivery_by_unit(data)
    return charts


def save_png(figure: Figure, path: Path) -> Path:
    """Write the chart as a PNG at print resolution, atomically."""
    with replacing(path) as tmp:
        figure.savefig(tmp, format="png", dpi=DPI)
    return Path(path)


def save_charts(figures: dict[str, Figure], folder: Path) -> dict[str, Path]:
    files = ReportFolder.charts_in(folder, figures)  # their names: layout.CHART_FILES
    return {key: save_png(figures[key], path) for key, path in files.items()}
