"""A chart laid out as drawing primitives: bars, lines, dots and labels at positions in points.

A pure function of the `Chart`, the theme, the room and a text measure, so any page-drawing
writer (the PDF) draws a chart by painting these shapes, and tests check positions without
a file. Coordinates start at the drawing's lower left corner, y growing upwards, as in PDF.
The look follows the native charts of chartml.py: the title on top, the value axis from
zero with light gridlines and ticks in the values' style without decimals, the values
printed at each bar or point, bars listing categories top-down, a legend below for
several series.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from generator.document.display import format_number
from generator.document.model import Chart, ChartKind, NumberFormat
from generator.writers.theme import Theme

# measure(text, size, bold) -> width in points, in the writer's font.
Measure = Callable[[str, float, bool], float]

GRIDLINE_COLOR = "D9D9D9"  # as chartml's gridlines
GAP_WIDTH = 0.8  # the space between groups of bars, as a share of one group (chartml's gapWidth 80)
TICKS_WANTED = 5
PAD = 4.0  # points between a label and what it labels
LEGEND_SWATCH = 7.0
DOT_RADIUS = 2.5
LINE_WIDTH = 2.0


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    fill: str


@dataclass(frozen=True)
class Segment:
    x0: float
    y0: float
    x1: float
    y1: float
    color: str
    width: float


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    radius: float
    fill: str


@dataclass(frozen=True)
class Label:
    """Text whose baseline starts at x (align "left"), ends at x ("right") or centres on x ("center")."""

    x: float
    y: float
    text: str
    size: float
    color: str
    align: str
    bold: bool = False


Shape = Rect | Segment | Dot | Label


@dataclass(frozen=True)
class Drawing:
    width: float
    height: float
    shapes: tuple[Shape, ...]


@dataclass(frozen=True)
class _Scale:
    """The value axis: from `low` to `high` in steps of `step`, mapped onto [start, end] points."""

    low: float
    high: float
    step: float
    start: float
    end: float

    def at(self, value: float) -> float:
        return self.start + (value - self.low) / (self.high - self.low) * (self.end - self.start)

    def ticks(self) -> list[float]:
        count = round((self.high - self.low) / self.step)
        return [self.low + i * self.step for i in range(count + 1)]


def nice_ticks(low: float, high: float, wanted: int = TICKS_WANTED) -> tuple[float, float, float]:
    """(low, high, step) of an axis covering [low, high] (and zero) in about `wanted` round steps."""
    low, high = min(low, 0.0), max(high, 0.0)
    if high == low:
        high = low + 1.0
    raw = (high - low) / wanted
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    return math.floor(low / step) * step, math.ceil(high / step) * step, step


def tick_text(value: float, step: float, fmt: NumberFormat) -> str:
    """A tick's label in the values' style, with the decimals the step needs (usually none)."""
    decimals = max(0, -Decimal(str(step)).normalize().as_tuple().exponent)
    return format_number(Decimal(str(round(value, decimals))), NumberFormat(fmt.style, decimals))


def chart_drawing(chart: Chart, theme: Theme, width: float, measure: Measure) -> Drawing:
    """The chart in `width` points; its height follows from the kind and the number of bars."""
    size = theme.table_font_size
    title_size = theme.body_font_size + 1
    several = len(chart.series) > 1
    bars = chart.kind is ChartKind.BAR
    height = (len(chart.categories) * len(chart.series) * 23.0 + 100.0) if bars else 216.0
    shapes: list[Shape] = [
        Label(width / 2, height - title_size, chart.title, title_size, theme.brand_color, "center", bold=True)
    ]
    top = height - title_size * 1.8  # the plot's top edge
    bottom = (size * 2.5 if several else 0.0) + PAD  # room for the legend
    if several:
        shapes += _legend(chart, theme, width, bottom - PAD - size, measure)
    values = [float(p.value) for s in chart.series for p in s.points if p.value is not None] or [0.0]
    low, high, step = nice_ticks(min(values), max(values))
    ticks = [tick_text(t, step, chart.number_format) for t in _Scale(low, high, step, 0.0, 1.0).ticks()]
    tick_width = max(measure(t, size, False) for t in ticks)
    if bars:
        shapes += _bar_chart(chart, theme, width, top, bottom, (low, high, step), tick_width, measure)
    else:
        shapes += _column_or_line_chart(chart, theme, width, top, bottom, (low, high, step), tick_width)
    return Drawing(width, height, tuple(shapes))


def _legend(chart: Chart, theme: Theme, width: float, y: float, measure: Measure) -> list[Shape]:
    size = theme.table_font_size
    entries = [(theme.series_color(i), s.name, measure(s.name, size, False)) for i, s in enumerate(chart.series)]
    total = sum(LEGEND_SWATCH + PAD + w for _, _, w in entries) + 3 * PAD * (len(entries) - 1)
    x = (width - total) / 2
    shapes: list[Shape] = []
    for color, name, text_width in entries:
        shapes.append(Rect(x, y, LEGEND_SWATCH, LEGEND_SWATCH, color))
        shapes.append(Label(x + LEGEND_SWATCH + PAD, y, name, size, theme.running_text_color, "left"))
        x += LEGEND_SWATCH + PAD + text_width + 3 * PAD
    return shapes


def _axis_titles(
    below: str | None, above: str | None, theme: Theme, width: float, top: float, bottom: float
) -> tuple[list[Shape], float, float]:
    """The axis titles, `below` centred under the plot and `above` over its top left corner,
    and the plot's (base, top) between them; the base leaves a line for the labels under the plot."""
    size, text = theme.table_font_size, theme.running_text_color
    shapes: list[Shape] = []
    base = bottom + size + PAD
    if below:
        shapes.append(Label(width / 2, bottom, below, size, text, "center", bold=True))
        base += size + PAD
    if above:
        shapes.append(Label(0.0, top - size, above, size, text, "left", bold=True))
        top -= size + PAD
    return shapes, base, top


def _column_or_line_chart(
    chart: Chart, theme: Theme, width: float, top: float, bottom: float,
    axis: tuple[float, float, float], tick_width: float,
) -> list[Shape]:
    size, text = theme.table_font_size, theme.running_text_color
    shapes, base, plot_top = _axis_titles(chart.category_axis, chart.value_axis, theme, width, top, bottom)
    plot_top -= size  # room for the values printed over the columns
    left, right = tick_width + PAD, width
    scale = _Scale(*axis, start=base, end=plot_top)
    shapes += _value_ticks(scale, chart, theme, left, right, vertical=True)
    band = (right - left) / len(chart.categories)
    for i, category in enumerate(chart.categories):
        shapes.append(Label(left + band * (i + 0.5), base - size - PAD / 2, category, size, text, "center"))
    zero = scale.at(0.0)
    shapes.append(Segment(left, zero, right, zero, theme.rule_color, 0.75))
    if chart.kind is ChartKind.LINE:
        return shapes + _lines(chart, theme, scale, left, band)
    group = band / (1 + GAP_WIDTH)
    bar = group / len(chart.series)
    for s, series in enumerate(chart.series):
        color = theme.series_color(s)
        for i, point in enumerate(series.points):
            if point.value is None:
                continue
            x = left + band * i + (band - group) / 2 + bar * s
            y = scale.at(float(point.value))
            shapes.append(Rect(x, min(zero, y), bar, abs(y - zero), color))
            shapes.append(Label(x + bar / 2, max(zero, y) + PAD / 2, point.text, size, text, "center"))
    return shapes


def _lines(chart: Chart, theme: Theme, scale: _Scale, left: float, band: float) -> list[Shape]:
    """Each series as a line through its points, broken where a value is missing."""
    shapes: list[Shape] = []
    for s, series in enumerate(chart.series):
        color = theme.series_color(s)
        previous = None
        for i, point in enumerate(series.points):
            if point.value is None:
                previous = None
                continue
            here = (left + band * (i + 0.5), scale.at(float(point.value)))
            if previous is not None:
                shapes.append(Segment(*previous, *here, color, LINE_WIDTH))
            previous = here
        for i, point in enumerate(series.points):
            if point.value is not None:
                x, y = left + band * (i + 0.5), scale.at(float(point.value))
                shapes.append(Dot(x, y, DOT_RADIUS, color))
                label_y = y + DOT_RADIUS + PAD / 2
                shapes.append(Label(x, label_y, point.text, theme.table_font_size, theme.running_text_color, "center"))
    return shapes


def _bar_chart(
    chart: Chart, theme: Theme, width: float, top: float, bottom: float,
    axis: tuple[float, float, float], tick_width: float, measure: Measure,
) -> list[Shape]:
    size, text = theme.table_font_size, theme.running_text_color
    shapes, base, plot_top = _axis_titles(chart.value_axis, chart.category_axis, theme, width, top, bottom)
    left = max(measure(c, size, False) for c in chart.categories) + PAD
    widest_value = max(measure(p.text, size, False) for s in chart.series for p in s.points)
    right = width - max(widest_value + PAD, tick_width / 2)
    scale = _Scale(*axis, start=left, end=right)
    shapes += _value_ticks(scale, chart, theme, base, plot_top, vertical=False)
    band = (plot_top - base) / len(chart.categories)
    group = band / (1 + GAP_WIDTH)
    bar = group / len(chart.series)
    zero = scale.at(0.0)
    for i, category in enumerate(chart.categories):  # top-down in spec order
        band_top = plot_top - band * i
        shapes.append(Label(left - PAD, band_top - band / 2 - size / 3, category, size, text, "right"))
        for s, series in enumerate(chart.series):
            point = series.points[i]
            if point.value is None:
                continue
            y = band_top - (band - group) / 2 - bar * (s + 1)
            x = scale.at(float(point.value))
            shapes.append(Rect(min(zero, x), y, abs(x - zero), bar, theme.series_color(s)))
            shapes.append(Label(max(zero, x) + PAD / 2, y + bar / 2 - size / 3, point.text, size, text, "left"))
    shapes.append(Segment(zero, base, zero, plot_top, theme.rule_color, 0.75))
    return shapes


def _value_ticks(scale: _Scale, chart: Chart, theme: Theme, low: float, high: float, vertical: bool) -> list[Shape]:
    """Gridlines across the plot at each tick, with the tick's label outside the plot.

    Vertical: the value axis runs up the left edge (`low`, `high` are the plot's left and right);
    otherwise it runs along the bottom (`low`, `high` are the plot's bottom and top)."""
    size, shapes = theme.table_font_size, []
    for tick in scale.ticks():
        label = tick_text(tick, scale.step, chart.number_format)
        at = scale.at(tick)
        if vertical:
            shapes.append(Segment(low, at, high, at, GRIDLINE_COLOR, 0.5))
            shapes.append(Label(low - PAD, at - size / 3, label, size, theme.running_text_color, "right"))
        else:
            shapes.append(Segment(at, low, at, high, GRIDLINE_COLOR, 0.5))
            shapes.append(Label(at, low - size - PAD / 2, label, size, theme.running_text_color, "center"))
    return shapes
