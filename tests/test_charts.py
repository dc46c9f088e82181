"""The report's charts, checked on the figure objects: titles and labels with their diacritics,
bar counts, the target line, a font that has every Vietnamese glyph, print resolution."""

import warnings
from datetime import date

import pytest
from fontTools.ttLib import TTFont
from matplotlib import dates as mdates
from matplotlib import font_manager
from matplotlib.patches import Rectangle
from PIL import Image
from report_fixtures import pilot_data

from hcpvnd_utils.periods import parse_period
from hcpvnd_utils.report.charts import (
    DPI,
    VIETNAMESE_SAMPLE,
    letters_by_month,
    letters_by_unit,
    report_charts,
    rollout_over_time,
    save_charts,
    vietnamese_font,
)


@pytest.fixture
def pilot(tmp_path):
    return pilot_data(tmp_path)


def bars(axes):
    return [p for p in axes.patches if isinstance(p, Rectangle) and p.get_width() < 1]


def legend_texts(figure):
    return [t.get_text() for legend in figure.legends for t in legend.get_texts()]


def test_letters_by_unit_is_stacked_bars_per_unit_and_event(pilot):
    figure = letters_by_unit(pilot)
    axes = figure.axes[0]
    assert figure.get_suptitle() == "Số thư theo đơn vị và loại thư"
    assert axes.get_title() == "Từ ngày 01/3/2024 đến ngày 31/5/2024"
    assert (axes.get_xlabel(), axes.get_ylabel()) == ("Đơn vị", "Số thư")
    assert [t.get_text() for t in axes.get_xticklabels()] == ["Phước Quang", "Phước Nghĩa"]
    assert len(bars(axes)) == 2 * 3  # two units, three kinds of letter
    heights = [round(b.get_height()) for b in bars(axes)]
    assert heights == [30, 24, 35, 27, 12, 9]
    assert [t.get_text() for t in axes.texts] == ["77", "60"]  # the totals above the bars
    assert legend_texts(figure) == [
        "Thư chúc mừng khai sinh",
        "Thư chúc mừng kết hôn",
        "Thư chia buồn",
    ]


def test_letters_by_month_from_january_with_the_period_shaded(pilot):
    figure = letters_by_month(pilot)
    axes = figure.axes[0]
    assert figure.get_suptitle() == "Số thư theo tháng năm 2024"
    assert axes.get_title() == "Huyện Tuy Phước"
    assert [t.get_text() for t in axes.get_xticklabels()] == ["T1", "T2", "T3", "T4", "T5"]
    assert len(bars(axes)) == 5 * 3
    assert [t.get_text() for t in axes.texts] == ["46", "46", "45"]  # March, April, May
    assert "Kỳ báo cáo" in legend_texts(figure)


def test_rollout_stops_at_the_period_end_and_shows_the_target(pilot):
    figure = rollout_over_time(pilot)
    axes = figure.axes[0]
    assert figure.get_suptitle() == "Tỷ lệ xã, thị trấn triển khai mô hình"
    sending = next(line for line in axes.lines if line.get_label() == "Đã triển khai gửi thư")
    days = [
        mdates.num2date(x).date() if not isinstance(x, date) else x for x in sending.get_xdata()
    ]
    assert max(days) == date(2024, 5, 31)  # planned dates after the period are not facts yet
    assert max(sending.get_ydata()) == pytest.approx(200 / 13)
    target = next(line for line in axes.lines if line.get_label().startswith("Mục tiêu"))
    assert target.get_label() == "Mục tiêu 100% (đến ngày 01/9/2024)"
    assert set(target.get_ydata()) == {100}
    assert axes.get_ylabel() == "% xã, thị trấn"


def test_a_commune_report_has_only_its_letters_by_month(tmp_path):
    data = pilot_data(tmp_path, unit="phuoc-nghia")
    assert list(report_charts(data)) == ["by_month"]


def test_the_chosen_font_has_every_vietnamese_glyph(pilot):
    name = vietnamese_font()
    path = font_manager.findfont(
        font_manager.FontProperties(family=name), fallback_to_default=False
    )
    cmap = TTFont(path, lazy=True).getBestCmap()
    assert all(ord(c) in cmap for c in VIETNAMESE_SAMPLE + "ỦƯỚỆ")
    figure = letters_by_unit(pilot)
    texts = [figure._suptitle, *figure.axes[0].get_xticklabels(), figure.axes[0].xaxis.label]
    assert all(text.get_fontfamily() == [name] for text in texts)


def test_png_at_print_resolution_without_missing_glyphs(pilot, tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph … missing from font(s)"
        files = save_charts(report_charts(pilot), tmp_path)
    assert sorted(p.name for p in files.values()) == [
        "bieu_do_thu_theo_don_vi.png", "bieu_do_thu_theo_thang.png", "bieu_do_tien_do_trien_khai.png",
    ]  # fmt: skip
    for path in files.values():
        image = Image.open(path)
        assert image.size == (8 * DPI, int(4.5 * DPI))
        assert round(image.info["dpi"][0]) >= 200


def test_a_whole_year_shows_twelve_months(tmp_path):
    data = pilot_data(tmp_path, period=parse_period("2024"))
    axes = letters_by_month(data).axes[0]
    assert len(axes.get_xticklabels()) == 12 and len(bars(axes)) == 36
