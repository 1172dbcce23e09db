"""The DrawingML chart part (`c:chartSpace`) of a `Chart`, shared by the DOCX and XLSX writers.

Both formats store a chart as the same XML; only the cells its series refer to differ (the
DOCX chart's own embedded workbook, the XLSX's Benchmarks sheet). Writing both from this one
function makes the numbers, their order, the labels, the number formats and the colours
the same by construction. Values are stored as a spreadsheet stores them (a percentage as
a fraction under a % format), each series with a cache, so a reader that does not
recompute the formulas (Word, LibreOffice) draws exactly these numbers. Elements follow the
order the schema (ECMA-376 Part 1, dml-chart.xsd) fixes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from generator.document.model import Chart, ChartKind, ChartSeries, NumberFormat
from generator.writers import xmltext
from generator.writers.cellformat import excel_number_format, excel_value
from generator.writers.chart_geometry import frame_size
from generator.writers.theme import Theme

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
RELATIONSHIP_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart"
FONT = "Calibri"  # as the DOCX and XLSX writers name it; LibreOffice substitutes Carlito

_NAMESPACES = (
    'xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart"'
    ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
    ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)
EMU_PER_POINT = 12700
_CATEGORY_AXIS, _VALUE_AXIS = 500000001, 500000002
_GRIDLINE_COLOR = "D9D9D9"


@dataclass(frozen=True)
class SeriesCells:
    """Where a series lives in a workbook, as formulas like `Sheet1!$B$2:$B$3`."""

    name: str | None  # the cell holding the series name; None: the name is written as text
    values: str | None  # the cells holding its values; None: the values are written as numbers only


def chart_space(
    chart: Chart,
    theme: Theme,
    categories: str | None,
    series: Sequence[SeriesCells],
    workbook_relationship: str | None = None,
) -> bytes:
    """The chart part; `categories` is the formula of the category cells (None: text only), and
    `workbook_relationship` the id of the embedded workbook a DOCX chart is edited in."""
    plot = _plot(chart, theme, categories, series)
    legend = (
        f'<c:legend><c:legendPos val="b"/><c:overlay val="0"/>{_text_properties(theme.table_font_size, theme)}</c:legend>'
        if len(chart.series) > 1
        else ""
    )
    external = (
        f'<c:externalData r:id="{workbook_relationship}"><c:autoUpdate val="0"/></c:externalData>'
        if workbook_relationship
        else ""
    )
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f"<c:chartSpace {_NAMESPACES}>"
        '<c:date1904 val="0"/><c:lang val="en-US"/><c:roundedCorners val="0"/>'
        f'<c:chart>{_title(chart.title, theme.body_font_size + 1, theme.brand_color, theme)}<c:autoTitleDeleted val="0"/>'
        f'{plot}{legend}<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>'
        f'<c:spPr>{_fill(theme.page_color)}<a:ln><a:noFill/></a:ln></c:spPr>'
        f"{_text_properties(theme.table_font_size, theme)}{external}</c:chartSpace>"
    )
    return xml.encode()


def escape(text: str) -> str:
    """`text` for an element's content or a double-quoted attribute."""
    return xmltext.escape_attribute(text, "chart")



def chart_size(chart: Chart) -> tuple[int, int]:
    """(width, height) of the chart's frame in EMU: the frame the PDF draws it in (chart_geometry)."""
    width, height = frame_size(chart)
    return round(width * EMU_PER_POINT), round(height * EMU_PER_POINT)


def number_format_code(chart: Chart) -> str:
    """The spreadsheet format of the chart's values, axis and data labels."""
    return excel_number_format(chart.number_format)


def axis_format_code(chart: Chart) -> str:
    """The value axis' format: the values' style without decimals, so that the ticks stay short."""
    return excel_number_format(NumberFormat(chart.number_format.style, 0))


def stored_values(series: ChartSeries, chart: Chart) -> list[int | float | None]:
    """The series' values as a spreadsheet cell stores them; None for a gap."""
    return [None if p.value is None else excel_value(p.value, chart.number_format) for p in series.points]


# ---------------------------------------------------------------- plot area


def _plot(chart: Chart, theme: Theme, categories: str | None, cells: Sequence[SeriesCells]) -> str:
    series = "".join(
        _series(chart, index, s, cell, categories, theme) for index, (s, cell) in enumerate(zip(chart.series, cells))
    )
    axes = f'<c:axId val="{_CATEGORY_AXIS}"/><c:axId val="{_VALUE_AXIS}"/>'
    if chart.kind is ChartKind.LINE:
        group = f'<c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>{series}<c:marker val="1"/>{axes}</c:lineChart>'
    else:
        direction = "bar" if chart.kind is ChartKind.BAR else "col"
        group = (
            f'<c:barChart><c:barDir val="{direction}"/><c:grouping val="clustered"/><c:varyColors val="0"/>'
            f'{series}<c:gapWidth val="80"/>{axes}</c:barChart>'
        )
    return f"<c:plotArea><c:layout/>{group}{_category_axis(chart, theme)}{_value_axis(chart, theme)}</c:plotArea>"


def _series(chart: Chart, index: int, series: ChartSeries, cells: SeriesCells, categories: str | None, theme: Theme) -> str:
    color = theme.series_color(index)
    if chart.kind is ChartKind.LINE:
        look = (
            f'<c:spPr><a:ln w="28575" cap="rnd">{_fill(color)}<a:round/></a:ln></c:spPr>'
            f'<c:marker><c:symbol val="circle"/><c:size val="6"/><c:spPr>{_fill(color)}<a:ln>{_fill(color)}</a:ln></c:spPr></c:marker>'
        )
    else:
        look = f'<c:spPr>{_fill(color)}</c:spPr><c:invertIfNegative val="0"/>'
    tail = '<c:smooth val="0"/>' if chart.kind is ChartKind.LINE else ""
    return (
        f'<c:ser><c:idx val="{index}"/><c:order val="{index}"/>{_series_name(series.name, cells.name)}{look}'
        f"{_data_labels(chart, theme)}<c:cat>{_categories(chart.categories, categories)}</c:cat>"
        f"<c:val>{_values(chart, series, cells.values)}</c:val>{tail}</c:ser>"
    )


def _series_name(name: str, cell: str | None) -> str:
    if cell is None:
        return f"<c:tx><c:v>{escape(name)}</c:v></c:tx>"
    return f"<c:tx><c:strRef><c:f>{escape(cell)}</c:f>{_string_points('c:strCache', [name])}</c:strRef></c:tx>"


def _categories(labels: tuple[str, ...], cells: str | None) -> str:
    if cells is None:
        return _string_points("c:strLit", list(labels))
    return f"<c:strRef><c:f>{escape(cells)}</c:f>{_string_points('c:strCache', list(labels))}</c:strRef>"


def _string_points(tag: str, texts: list[str]) -> str:
    points = "".join(f'<c:pt idx="{i}"><c:v>{escape(text)}</c:v></c:pt>' for i, text in enumerate(texts))
    return f'<{tag}><c:ptCount val="{len(texts)}"/>{points}</{tag}>'


def _values(chart: Chart, series: ChartSeries, cells: str | None) -> str:
    """The numbers, a gap being a point left out; with the formula of their cells if any."""
    values = stored_values(series, chart)
    points = "".join(f'<c:pt idx="{i}"><c:v>{value}</c:v></c:pt>' for i, value in enumerate(values) if value is not None)
    body = f"<c:formatCode>{escape(number_format_code(chart))}</c:formatCode><c:ptCount val=\"{len(values)}\"/>{points}"
    if cells is None:
        return f"<c:numLit>{body}</c:numLit>"
    return f"<c:numRef><c:f>{escape(cells)}</c:f><c:numCache>{body}</c:numCache></c:numRef>"


def _data_labels(chart: Chart, theme: Theme) -> str:
    """Each value printed at its bar or point, in the chart's number format."""
    position = "t" if chart.kind is ChartKind.LINE else "outEnd"
    return (
        f'<c:dLbls><c:numFmt formatCode="{escape(number_format_code(chart))}" sourceLinked="0"/>'
        f"<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>{_text_properties(theme.table_font_size, theme)}"
        f'<c:dLblPos val="{position}"/><c:showLegendKey val="0"/><c:showVal val="1"/><c:showCatName val="0"/>'
        '<c:showSerName val="0"/><c:showPercent val="0"/><c:showBubbleSize val="0"/></c:dLbls>'
    )


# ---------------------------------------------------------------- axes


def _category_axis(chart: Chart, theme: Theme) -> str:
    """Bars list the categories top-down in spec order (reversed axis); columns and lines left to right."""
    bars = chart.kind is ChartKind.BAR
    orientation = "maxMin" if bars else "minMax"
    title = _title(chart.category_axis, theme.table_font_size, theme.running_text_color, theme) if chart.category_axis else ""
    return (
        f'<c:catAx><c:axId val="{_CATEGORY_AXIS}"/><c:scaling><c:orientation val="{orientation}"/></c:scaling>'
        f'<c:delete val="0"/><c:axPos val="{"l" if bars else "b"}"/>{title}'
        '<c:numFmt formatCode="General" sourceLinked="0"/><c:majorTickMark val="none"/><c:minorTickMark val="none"/>'
        f'<c:tickLblPos val="nextTo"/><c:spPr><a:ln w="9525">{_fill(theme.rule_color)}</a:ln></c:spPr>'
        f'{_text_properties(theme.table_font_size, theme)}<c:crossAx val="{_VALUE_AXIS}"/><c:crosses val="autoZero"/>'
        '<c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>'
    )


def _value_axis(chart: Chart, theme: Theme) -> str:
    """From zero, with light gridlines; under reversed bars it crosses at the last category, i.e. below."""
    bars = chart.kind is ChartKind.BAR
    title = _title(chart.value_axis, theme.table_font_size, theme.running_text_color, theme) if chart.value_axis else ""
    return (
        f'<c:valAx><c:axId val="{_VALUE_AXIS}"/><c:scaling><c:orientation val="minMax"/><c:min val="0"/></c:scaling>'
        f'<c:delete val="0"/><c:axPos val="{"b" if bars else "l"}"/>'
        f'<c:majorGridlines><c:spPr><a:ln w="6350">{_fill(_GRIDLINE_COLOR)}</a:ln></c:spPr></c:majorGridlines>{title}'
        f'<c:numFmt formatCode="{escape(axis_format_code(chart))}" sourceLinked="0"/>'
        '<c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
        f'<c:spPr><a:ln><a:noFill/></a:ln></c:spPr>{_text_properties(theme.table_font_size, theme)}'
        f'<c:crossAx val="{_CATEGORY_AXIS}"/><c:crosses val="{"max" if bars else "autoZero"}"/>'
        '<c:crossBetween val="between"/></c:valAx>'
    )


# ---------------------------------------------------------------- text and fills


def _title(text: str, size: float, color: str, theme: Theme) -> str:
    properties = f'sz="{_hundredths(size)}" b="1"'
    run = f'<a:r><a:rPr lang="en-US" {properties}>{_fill(color)}{_latin()}</a:rPr><a:t>{escape(text)}</a:t></a:r>'
    paragraph = f"<a:p><a:pPr><a:defRPr {properties}>{_fill(color)}{_latin()}</a:defRPr></a:pPr>{run}</a:p>"
    return f'<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/>{paragraph}</c:rich></c:tx><c:overlay val="0"/></c:title>'


def _text_properties(size: float, theme: Theme) -> str:
    default = f'<a:defRPr sz="{_hundredths(size)}">{_fill(theme.running_text_color)}{_latin()}</a:defRPr>'
    return f'<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr>{default}</a:pPr><a:endParaRPr lang="en-US"/></a:p></c:txPr>'


def _fill(color: str) -> str:
    return f'<a:solidFill><a:srgbClr val="{color}"/></a:solidFill>'


def _latin() -> str:
    return f'<a:latin typeface="{FONT}"/>'


def _hundredths(points: float) -> int:
    return round(points * 100)
