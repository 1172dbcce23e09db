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

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from generator.document.display import format_number
from generator.document.model import Chart, ChartKind, NumberFormat
from generator.writers.theme import Theme

# measure(text, size, bold) -> width in points, in the writer's font.
Measure = Callable[[str, float, bool], float]

# The chart's frame, the same in every format (chartml.py sizes the DOCX and XLSX charts by it).
CHART_WIDTH = 432.0  # 6 inches
COLUMN_HEIGHT = 216.0  # 3 inches, columns and lines
BAR_BASE_HEIGHT = 100.8  # a bar chart grows with its bars, so every bar keeps room for its label
BAR_HEIGHT_PER_BAR = 23.04
MAX_HEIGHT = 468.0  # 6.5 inches: a chart of many bars still fits on a page
LABEL_SHARE = 0.3  # at most this share of the width goes to the labels beside the plot
ELLIPSIS = "…"  # ends a label shortened to its room; the table and the alt text keep the whole text

GRIDLINE_COLOR = "D9D9D9"  # as chartml's gridlines
GAP_WIDTH = 0.8  # the space between groups of bars, as a share of one group (chartml's gapWidth 80)
TICKS_WANTED = 5
PAD = 4.0  # points between a label and what it labels
LEGEND_SWATCH = 7.0
DOT_RADIUS = 2.5
LINE_WIDTH = 2.0


@dataclass(frozen=True)
class Rect:
    """A filled rectangle of a chart (a bar or a legend key)."""

    x: float
    y: float
    width: float
    height: float
    fill: str


@dataclass(frozen=True)
class Segment:
    """A straight line of a chart (an axis, a gridline or a series line)."""

    x0: float
    y0: float
    x1: float
    y1: float
    color: str
    width: float


@dataclass(frozen=True)
class Dot:
    """A filled circle of a chart (a line series' point)."""

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
    """A chart laid out in its frame: its size and its shapes, in drawing order."""

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


def frame_size(chart: Chart) -> tuple[float, float]:
    """(width, height) of the chart in points; a bar chart's height follows its number of bars."""
    if chart.kind is ChartKind.BAR:
        bars = len(chart.categories) * len(chart.series)
        return CHART_WIDTH, min(BAR_BASE_HEIGHT + BAR_HEIGHT_PER_BAR * bars, MAX_HEIGHT)
    return CHART_WIDTH, COLUMN_HEIGHT


def fitted(text: str, size: float, bold: bool, room: float, measure: Measure) -> str:
    """`text`, or as much of it as fits in `room` points followed by an ellipsis."""
    if measure(text, size, bold) <= room:
        return text
    while text and measure(text + ELLIPSIS, size, bold) > room:
        text = text[:-1]
    return text.rstrip() + ELLIPSIS


def chart_drawing(chart: Chart, theme: Theme, measure: Measure) -> Drawing:
    """The chart laid out in its frame (`frame_size`)."""
    width, height = frame_size(chart)
    pen = _Pen(theme, measure)
    title_size = theme.body_font_size + 1
    shapes: list[Shape] = [
        pen.label(width / 2, height - title_size, chart.title, "center", width, theme.brand_color, title_size, bold=True)
    ]
    top = height - title_size * 1.8  # the plot's top edge
    bottom = PAD
    if len(chart.series) > 1:
        shapes += _legend(chart, pen, width, bottom)
        bottom += pen.size * 2.5  # room for the legend
    values = [float(p.value) for s in chart.series for p in s.points if p.value is not None] or [0.0]
    low, high, step = nice_ticks(min(values), max(values))
    axis = _Scale(low, high, step, 0.0, 1.0)
    tick_width = max(measure(tick_text(t, step, chart.number_format), pen.size, False) for t in axis.ticks())
    tick_room = min(tick_width, width * LABEL_SHARE)
    if chart.kind is ChartKind.BAR:
        shapes += _bar_chart(chart, pen, width, top, bottom, axis, tick_room)
    else:
        shapes += _column_or_line_chart(chart, pen, width, top, bottom, axis, tick_room)
    return Drawing(width, height, tuple(shapes))


@dataclass(frozen=True)
class _Pen:
    """Sets labels in the theme's small size and colour, each shortened to the room it has."""

    theme: Theme
    measure: Measure

    @property
    def size(self) -> float:
        return self.theme.table_font_size

    def label(
        self, x: float, y: float, text: str, align: str, room: float,
        color: str | None = None, size: float | None = None, bold: bool = False,
    ) -> Label:
        size = size or self.size
        shown = fitted(text, size, bold, max(room, 0.0), self.measure)
        return Label(x, y, shown, size, color or self.theme.running_text_color, align, bold)


def _legend(chart: Chart, pen: _Pen, width: float, y: float) -> list[Shape]:
    """A swatch and the name of each series, in one centred line under the plot."""
    room = width / len(chart.series) - LEGEND_SWATCH - 4 * PAD
    labels = [pen.label(0.0, y, s.name, "left", room) for s in chart.series]
    widths = [pen.measure(label.text, pen.size, False) for label in labels]
    x = (width - sum(widths) - (LEGEND_SWATCH + 4 * PAD) * len(labels) + 3 * PAD) / 2
    shapes: list[Shape] = []
    for index, (label, text_width) in enumerate(zip(labels, widths)):
        shapes.append(Rect(x, y, LEGEND_SWATCH, LEGEND_SWATCH, pen.theme.series_color(index)))
        shapes.append(dataclasses.replace(label, x=x + LEGEND_SWATCH + PAD))
        x += LEGEND_SWATCH + PAD + text_width + 3 * PAD
    return shapes


def _axis_titles(
    below: str | None, above: str | None, pen: _Pen, width: float, top: float, bottom: float
) -> tuple[list[Shape], float, float]:
    """The axis titles, `below` centred under the plot and `above` over its top left corner,
    and the plot's (base, top) between them; the base leaves a line for the labels under the plot."""
    shapes: list[Shape] = []
    base = bottom + pen.size + PAD
    if below:
        shapes.append(pen.label(width / 2, bottom, below, "center", width, bold=True))
        base += pen.size + PAD
    if above:
        shapes.append(pen.label(0.0, top - pen.size, above, "left", width, bold=True))
        top -= pen.size + PAD
    return shapes, base, top


def _column_or_line_chart(
    chart: Chart, pen: _Pen, width: float, top: float, bottom: float, axis: _Scale, tick_room: float
) -> list[Shape]:
    size = pen.size
    shapes, base, plot_top = _axis_titles(chart.category_axis, chart.value_axis, pen, width, top, bottom)
    plot_top -= size  # room for the values printed over the columns
    left, right = tick_room + PAD, width
    scale = dataclasses.replace(axis, start=base, end=plot_top)
    shapes += _value_ticks(scale, chart, pen, left, right, tick_room, vertical=True)
    band = (right - left) / len(chart.categories)
    for i, category in enumerate(chart.categories):
        shapes.append(pen.label(left + band * (i + 0.5), base - size - PAD / 2, category, "center", band - PAD))
    zero = scale.at(0.0)
    shapes.append(Segment(left, zero, right, zero, pen.theme.rule_color, 0.75))
    if chart.kind is ChartKind.LINE:
        return shapes + _lines(chart, pen, scale, left, band)
    group = band / (1 + GAP_WIDTH)
    bar = group / len(chart.series)
    for s, series in enumerate(chart.series):
        color = pen.theme.series_color(s)
        for i, point in enumerate(series.points):
            if point.value is None:
                continue
            x = left + band * i + (band - group) / 2 + bar * s
            y = scale.at(float(point.value))
            shapes.append(Rect(x, min(zero, y), bar, abs(y - zero), color))
            shapes.append(pen.label(x + bar / 2, max(zero, y) + PAD / 2, point.text, "center", band / len(chart.series)))
    return shapes


def _lines(chart: Chart, pen: _Pen, scale: _Scale, left: float, band: float) -> list[Shape]:
    """Each series as a line through its points, broken where a value is missing."""
    shapes: list[Shape] = []
    for s, series in enumerate(chart.series):
        color = pen.theme.series_color(s)
        points = [
            None if p.value is None else (left + band * (i + 0.5), scale.at(float(p.value)), p.text)
            for i, p in enumerate(series.points)
        ]
        for previous, here in zip(points, points[1:]):
            if previous is not None and here is not None:
                shapes.append(Segment(previous[0], previous[1], here[0], here[1], color, LINE_WIDTH))
        for x, y, text in (point for point in points if point is not None):
            shapes.append(Dot(x, y, DOT_RADIUS, color))
            shapes.append(pen.label(x, y + DOT_RADIUS + PAD / 2, text, "center", band))
    return shapes


def _bar_chart(
    chart: Chart, pen: _Pen, width: float, top: float, bottom: float, axis: _Scale, tick_room: float
) -> list[Shape]:
    size, measure = pen.size, pen.measure
    shapes, base, plot_top = _axis_titles(chart.value_axis, chart.category_axis, pen, width, top, bottom)
    category_room = min(max(measure(c, size, False) for c in chart.categories), width * LABEL_SHARE)
    value_room = min(max(measure(p.text, size, False) for s in chart.series for p in s.points), width * LABEL_SHARE)
    left = max(category_room + PAD, tick_room / 2)
    right = width - max(value_room + PAD, tick_room / 2)
    scale = dataclasses.replace(axis, start=left, end=right)
    shapes += _value_ticks(scale, chart, pen, base, plot_top, tick_room, vertical=False)
    band = (plot_top - base) / len(chart.categories)
    group = band / (1 + GAP_WIDTH)
    bar = group / len(chart.series)
    zero = scale.at(0.0)
    for i, category in enumerate(chart.categories):  # top-down in spec order
        band_top = plot_top - band * i
        shapes.append(pen.label(left - PAD, band_top - band / 2 - size / 3, category, "right", category_room))
        for s, series in enumerate(chart.series):
            point = series.points[i]
            if point.value is None:
                continue
            y = band_top - (band - group) / 2 - bar * (s + 1)
            x = scale.at(float(point.value))
            shapes.append(Rect(min(zero, x), y, abs(x - zero), bar, pen.theme.series_color(s)))
            shapes.append(pen.label(max(zero, x) + PAD / 2, y + bar / 2 - size / 3, point.text, "left", value_room))
    shapes.append(Segment(zero, base, zero, plot_top, pen.theme.rule_color, 0.75))
    return shapes


def _value_ticks(
    scale: _Scale, chart: Chart, pen: _Pen, low: float, high: float, room: float, vertical: bool
) -> list[Shape]:
    """Gridlines across the plot at each tick, with the tick's label outside the plot.

    Vertical: the value axis runs up the left edge (`low`, `high` are the plot's left and right);
    otherwise it runs along the bottom (`low`, `high` are the plot's bottom and top)."""
    size, shapes = pen.size, []
    for tick in scale.ticks():
        text = tick_text(tick, scale.step, chart.number_format)
        at = scale.at(tick)
        if vertical:
            shapes.append(Segment(low, at, high, at, GRIDLINE_COLOR, 0.5))
            shapes.append(pen.label(low - PAD, at - size / 3, text, "right", room))
        else:
            shapes.append(Segment(at, low, at, high, GRIDLINE_COLOR, 0.5))
            shapes.append(pen.label(at, low - size - PAD / 2, text, "center", room))
    return shapes
