"""The chart layout as drawing primitives: bars to scale, labels where they belong, gaps left open."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from generator.document.model import Chart, ChartKind, ChartPoint, ChartSeries, NumberFormat, NumberStyle
from generator.writers.chart_geometry import (
    CHART_WIDTH,
    MAX_HEIGHT,
    Dot,
    Label,
    Rect,
    Segment,
    chart_drawing,
    frame_size,
    nice_ticks,
    tick_text,
)
from generator.writers.theme import THEME

WIDTH = CHART_WIDTH


def measure(text: str, size: float, bold: bool) -> float:
    return len(text) * size * (0.55 if bold else 0.5)


def chart(kind: ChartKind, values: list[list[str | None]], style: NumberStyle = NumberStyle.GROUPED) -> Chart:
    categories = tuple(f"C{i}" for i in range(len(values[0])))
    series = tuple(
        ChartSeries(f"S{s}", tuple(ChartPoint(Decimal(v) if v else None, v or "Data not available.", i) for i, v in enumerate(row)))
        for s, row in enumerate(values)
    )
    return Chart(
        id="c", kind=kind, title="Title", categories=categories, series=series,
        number_format=NumberFormat(style, 0), category_axis="Year", value_axis="Count",
        alt_text="", source_table="benchmarks", source_column="value",
    )


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [(0, 35518, (0, 40000, 10000)), (15.9, 56.3, (0, 60, 20)), (164.28, 436.28, (0, 500, 100)), (-3, 7, (-4, 8, 2)), (0, 0, (0, 1, 0.2))],
)
def test_the_value_axis_has_round_steps_from_zero(low: float, high: float, expected: tuple[float, float, float]) -> None:
    assert nice_ticks(low, high) == pytest.approx(expected)


def test_tick_labels_take_the_values_style() -> None:
    assert tick_text(20, 20, NumberFormat(NumberStyle.PERCENT, 1)) == "20%"
    assert tick_text(100, 100, NumberFormat(NumberStyle.CURRENCY, 2)) == "$100"
    assert tick_text(10000, 10000, NumberFormat(NumberStyle.GROUPED, 0)) == "10,000"
    assert tick_text(0.5, 0.5, NumberFormat(NumberStyle.PLAIN, 2)) == "0.5"


def bars(drawing) -> list[Rect]:
    colors = {THEME.series_color(i) for i in range(4)}
    return [s for s in drawing.shapes if isinstance(s, Rect) and s.fill in colors and s.width > 7 and s.height > 0]


def labels(drawing) -> list[Label]:
    return [s for s in drawing.shapes if isinstance(s, Label)]


def test_columns_stand_on_one_baseline_and_are_as_tall_as_their_values() -> None:
    drawing = chart_drawing(chart(ChartKind.COLUMN, [["25724", "35518"]]), THEME, measure)
    first, second = bars(drawing)
    assert first.y == second.y and first.x < second.x
    assert first.height / second.height == pytest.approx(25724 / 35518)
    texts = {label.text: label for label in labels(drawing)}
    # Each value is printed centred over its column; the categories under the baseline.
    for bar, text in ((first, "25724"), (second, "35518")):
        assert texts[text].x == pytest.approx(bar.x + bar.width / 2) and texts[text].y >= bar.y + bar.height
        assert texts[text].align == "center"
    assert texts["C0"].y < first.y and texts["Title"].y > max(label.y for label in labels(drawing) if label.text != "Title")


LONG = "A category label far too long for any chart to print it in full, " * 3


@pytest.mark.parametrize("kind", list(ChartKind))
@pytest.mark.parametrize(
    "values", [[["10", "40", "25"], ["5", None, "30"]], [["-123456789012.5", "99999999999999", "0.000000000000001"]]]
)
def test_every_shape_lies_inside_the_drawing(kind: ChartKind, values: list[list[str | None]]) -> None:
    spec = chart(kind, values)
    spec = dataclasses.replace(spec, title=LONG, categories=(LONG, "B", LONG[:40]), value_axis=LONG)
    drawing = chart_drawing(spec, THEME, measure)
    for shape in drawing.shapes:
        if isinstance(shape, Rect):
            assert -1e-6 <= shape.x and shape.x + shape.width <= WIDTH + 1e-6
            assert -1e-6 <= shape.y and shape.y + shape.height <= drawing.height + 1e-6
        elif isinstance(shape, Label):
            extent = measure(shape.text, shape.size, shape.bold)
            start = {"left": shape.x, "right": shape.x - extent, "center": shape.x - extent / 2}[shape.align]
            assert -0.5 <= start and start + extent <= WIDTH + 0.5, shape
            assert 0 <= shape.y <= drawing.height
    shortened = [s.text for s in drawing.shapes if isinstance(s, Label) and s.text.endswith("…")]
    assert shortened and all(LONG.startswith(text[:-1]) for text in shortened if text[:1] == "A")


def test_bars_list_the_categories_top_down_with_the_series_side_by_side() -> None:
    drawing = chart_drawing(chart(ChartKind.BAR, [["170.50", "164.28"], ["436.28", "223.74"]], NumberStyle.CURRENCY), THEME, measure)
    found = bars(drawing)
    by_series = [[b for b in found if b.fill == THEME.series_color(s)] for s in range(2)]
    # All bars grow from one left edge, to scale; the first category is the highest.
    assert len({b.x for b in found}) == 1
    assert [b.width for b in by_series[1]] == pytest.approx([b * by_series[1][0].width / 436.28 for b in (436.28, 223.74)])
    assert by_series[0][0].y > by_series[0][1].y
    assert by_series[0][0].y > by_series[1][0].y  # within a category, the first series on top
    legend = [s for s in drawing.shapes if isinstance(s, Rect) and s.width == s.height == 7.0]
    assert [r.fill for r in legend] == [THEME.series_color(0), THEME.series_color(1)]


def test_a_line_is_broken_where_a_value_is_missing() -> None:
    drawing = chart_drawing(chart(ChartKind.LINE, [["10", None, "30", "20"]]), THEME, measure)
    dots = [s for s in drawing.shapes if isinstance(s, Dot)]
    lines = [s for s in drawing.shapes if isinstance(s, Segment) and s.color == THEME.series_color(0)]
    assert len(dots) == 3
    assert len(lines) == 1  # only the third and fourth points are neighbours
    assert (lines[0].x0, lines[0].y0, lines[0].x1, lines[0].y1) == (dots[1].x, dots[1].y, dots[2].x, dots[2].y)
    assert dots[1].y > dots[2].y > dots[0].y
    assert "Data not available." not in {label.text for label in labels(drawing)}  # a gap prints no value


def test_a_chart_of_many_bars_still_fits_on_a_page() -> None:
    many = chart(ChartKind.BAR, [[str(i) for i in range(60)], [str(i) for i in range(60)]])
    assert frame_size(many)[1] == MAX_HEIGHT
    assert frame_size(chart(ChartKind.BAR, [["1", "2", "3"]] * 2))[1] == pytest.approx(100.8 + 6 * 23.04)
    assert chart_drawing(many, THEME, measure).height == MAX_HEIGHT
