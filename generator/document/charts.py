"""From a spec's chart to the `Chart` block: values, texts and number format taken from the Benchmarks table.

Every point's text is the very text the Benchmarks table prints for its row, so the
chart, its alternative text and the table cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from generator.document.model import (
    Block,
    Cell,
    Chart,
    ChartKind,
    ChartPoint,
    ChartSeries,
    NumberFormat,
    NumberStyle,
    Paragraph,
)
from generator.document.tables import BENCHMARKS
from generator.spec.charts import benchmark_row, chart_categories
from generator.spec.model import Chart as ChartSpec
from generator.spec.model import Spec

CHARTS_TITLE = "Charts"  # the closing section holding the charts no section places
VALUE_COLUMN = "value"  # the Benchmarks column a chart plots
_KIND_NAMES = {ChartKind.BAR: "Bar chart", ChartKind.COLUMN: "Column chart", ChartKind.LINE: "Line chart"}


def chart_blocks(chart: ChartSpec, spec: Spec) -> Iterator[Block]:
    """The chart, then, if some of its rows have no value, a sentence saying where it has gaps."""
    block = build_chart(chart, spec)
    yield block
    gaps = [
        (series.name, category)
        for series in block.series
        for category, point in zip(block.categories, series.points)
        if point.value is None
    ]
    if gaps:
        several = len(block.series) > 1
        where = "; ".join(f"{name}, {category}" if several else category for name, category in gaps)
        yield Paragraph(f"Not plotted in “{block.title}” ({where}): {spec.missing_text}", missing=True)


def build_chart(chart: ChartSpec, spec: Spec) -> Chart:
    table = BENCHMARKS.build(spec)
    column = next(i for i, c in enumerate(table.columns) if c.key == VALUE_COLUMN)
    series, cells = [], []
    for plotted in chart.series:
        indices = [benchmark_row(spec.benchmarks, row) for row in plotted.rows]
        cells += [table.rows[i][column] for i in indices]
        points = tuple(_point(table.rows[i][column], i) for i in indices)
        series.append(ChartSeries(plotted.name or plotted.rows[0].metric, points))
    kind = ChartKind(chart.kind.value)
    categories = chart_categories(chart)
    return Chart(
        id=chart.id,
        kind=kind,
        title=chart.title,
        categories=categories,
        series=tuple(series),
        number_format=_shared_format(cells),
        category_axis=chart.category_axis,
        value_axis=chart.value_axis,
        alt_text=alt_text(kind, chart.title, categories, series),
        source_table=BENCHMARKS.id,
        source_column=VALUE_COLUMN,
    )


def _point(cell: Cell, row: int) -> ChartPoint:
    """The cell's number (None for a missing value: the spec layer lets a chart plot no text)."""
    value = cell.value if isinstance(cell.value, Decimal) else None
    return ChartPoint(value, cell.text, row)


def _shared_format(cells: list[Cell]) -> NumberFormat:
    """The cells' number format; with differing decimals, the most any cell shows."""
    formats = [cell.number_format for cell in cells if cell.number_format is not None]
    if not formats:
        return NumberFormat(NumberStyle.PLAIN, 0)
    return NumberFormat(formats[0].style, max(f.decimals for f in formats))


def alt_text(kind: ChartKind, title: str, categories: tuple[str, ...], series: list[ChartSeries]) -> str:
    """What a screen reader says instead of the picture: the kind, the title and every value."""

    def values(points: tuple[ChartPoint, ...]) -> str:
        return "; ".join(f"{category}: {point.text}" for category, point in zip(categories, points))

    if len(series) == 1:
        return f"{_KIND_NAMES[kind]}: {title}, {values(series[0].points)}"
    parts = ". ".join(f"{s.name}: {values(s.points)}" for s in series)
    return f"{_KIND_NAMES[kind]}: {title}. {parts}"
