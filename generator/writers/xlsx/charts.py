"""A table sheet's charts in the XLSX: chart parts whose series refer to the sheet's own cells.

The charts are the DOCX's (chartml.py); here their formulas point at the Benchmarks sheet,
so an Excel user can restyle them or extend them with more rows. They are placed under
the table, one under the other, by a drawing part that the sheet names in its `<drawing>`
(the writer's sheetml.Sheet writes that element and the relationship).
A series with a gap keeps its numbers only: a text cell ("Data not available in the
input.") would be plotted as zero.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.document.model import Chart, Table
from generator.writers import chartml
from generator.writers.cellref import cells_formula
from generator.writers.chartml import escape
from generator.writers.theme import Theme

DRAWING_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.drawing+xml"
DEFAULT_ROW_HEIGHT_EMU = 190500  # 15 points: the height of the empty rows under the table
_FIRST_FRAME_ID = 1000


@dataclass(frozen=True)
class SheetCharts:
    """What a sheet's charts add to the package."""

    parts: dict[str, bytes]  # the chart parts, the drawing and its relationships
    content_types: str  # the Override elements naming those parts
    row_breaks: str  # the sheet's `<rowBreaks>`: each chart starts a printed page, never cut in two


def cell_formula(sheet: str, column: int, rows: list[int]) -> str:
    """The formula of `rows` (0-based table rows, under the header row) of the 0-based `column`."""
    return cells_formula(sheet, column + 1, [row + 2 for row in rows])


def sheet_charts(
    charts: tuple[Chart, ...], table: Table, sheet: str, theme: Theme, drawing_part: str, first: int = 1
) -> SheetCharts:
    """The parts that put `charts` under `table` on `sheet`, the drawing named `drawing_part`;
    the chart parts are numbered from `first`."""
    parts: dict[str, bytes] = {}
    anchors, relationships, overrides, breaks = [], [], [], []
    row = len(table.rows) + 2  # 0-based: one empty row under the table's last row
    for number, chart in enumerate(charts, start=1):
        name = f"xl/charts/chart{first + number - 1}.xml"
        categories, series = _cells(chart, table, sheet)
        parts[name] = chartml.chart_space(chart, theme, categories, series)
        overrides.append(f'<Override PartName="/{name}" ContentType="{chartml.CONTENT_TYPE}"/>')
        relationships.append(
            f'<Relationship Id="rId{number}" Type="{chartml.RELATIONSHIP_TYPE}" Target="../charts/chart{first + number - 1}.xml"/>'
        )
        anchors.append(_anchor(chart, number, row))
        breaks.append(f'<brk id="{row}" max="16383" man="1"/>')  # after 1-based row `row`: the chart's row starts a page
        height = chartml.chart_size(chart)[1]
        row += -(-height // DEFAULT_ROW_HEIGHT_EMU) + 1  # the rows it covers, and one between charts
    folder, _, file = drawing_part.rpartition("/")
    parts[drawing_part] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"'
        ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">' + "".join(anchors) + "</xdr:wsDr>"
    ).encode()
    parts[f"{folder}/_rels/{file}.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(relationships) + "</Relationships>"
    ).encode()
    overrides.append(f'<Override PartName="/{drawing_part}" ContentType="{DRAWING_CONTENT_TYPE}"/>')
    row_breaks = f'<rowBreaks count="{len(breaks)}" manualBreakCount="{len(breaks)}">{"".join(breaks)}</rowBreaks>'
    return SheetCharts(parts=parts, content_types="".join(overrides), row_breaks=row_breaks)


def _cells(chart: Chart, table: Table, sheet: str) -> tuple[str | None, list[chartml.SeriesCells]]:
    """The formulas of the categories (the Period cells, when those are the categories) and of
    each series' name (its Metric cell, when that is the name) and values."""
    keys = [column.key for column in table.columns]
    value_column = keys.index(chart.source_column)
    first_rows = [point.row for point in chart.series[0].points]
    categories = None
    if "period" in keys:
        periods = tuple(table.rows[row][keys.index("period")].text for row in first_rows)
        categories = cell_formula(sheet, keys.index("period"), first_rows) if periods == chart.categories else None
    series = []
    for plotted in chart.series:
        rows = [point.row for point in plotted.points]
        name = None
        if table.rows[rows[0]][0].text == plotted.name:
            name = cell_formula(sheet, 0, rows[:1])
        complete = all(point.value is not None for point in plotted.points)
        series.append(chartml.SeriesCells(name, cell_formula(sheet, value_column, rows) if complete else None))
    return categories, series


def _anchor(chart: Chart, number: int, row: int) -> str:
    width, height = chartml.chart_size(chart)
    frame = (
        f'<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="{_FIRST_FRAME_ID + number}"'
        f' name="Chart {number}" descr="{escape(chart.alt_text)}" title="{escape(chart.title)}"/>'
        '<xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>'
        '<xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">'
        '<c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart"'
        ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
        f' r:id="rId{number}"/></a:graphicData></a:graphic></xdr:graphicFrame>'
    )
    return (
        f"<xdr:oneCellAnchor><xdr:from><xdr:col>0</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{row}</xdr:row>"
        f'<xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:ext cx="{width}" cy="{height}"/>{frame}<xdr:clientData/>'
        "</xdr:oneCellAnchor>"
    )
