"""The small workbook a DOCX chart embeds, which Word opens for "Edit Data", written as text.

Word keeps a chart's data in a workbook of its own inside the document: categories down
column A, one series per column from B, the series names in row 1. The chart part's
formulas point at these cells (`chart_cells`). The workbook holds only what Excel needs to
open it (no properties, so no timestamps) and is zipped by zip_parts: the same chart gives
the same bytes.
"""

from __future__ import annotations

from datetime import datetime

from generator.document.model import Chart
from generator.writers.cellref import cells_formula, column_letter
from generator.writers.chartml import SeriesCells, number_format_code, stored_values
from generator.writers.docx.wordml import escape, escape_attribute
from generator.writers.ziputil import zip_parts

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RELATIONSHIP_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/package"
SHEET = "Sheet1"  # Word's own name for the sheet of a chart's data

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_NUMBER_STYLE = 1  # the index in cellXfs of the chart's number format
_CUSTOM_FORMAT_ID = 164  # the first id Excel leaves to custom number formats


def chart_cells(chart: Chart) -> tuple[str, list[SeriesCells]]:
    """The formulas of the workbook's category cells and of each series' name and value cells."""
    rows = list(range(2, len(chart.categories) + 2))
    series = [
        SeriesCells(cells_formula(SHEET, column, [1]), cells_formula(SHEET, column, rows))
        for column in range(2, len(chart.series) + 2)
    ]
    return cells_formula(SHEET, 1, rows), series


def chart_workbook(chart: Chart, timestamp: datetime) -> bytes:
    """The workbook's bytes: the chart's categories, series names and values, in the chart's format."""
    parts = {
        "[Content_Types].xml": _content_types(),
        "_rels/.rels": _relationships([("rId1", "officeDocument", "xl/workbook.xml")]),
        "xl/workbook.xml": _workbook(),
        "xl/_rels/workbook.xml.rels": _relationships(
            [("rId1", "worksheet", "worksheets/sheet1.xml"), ("rId2", "styles", "styles.xml")]
        ),
        "xl/styles.xml": _styles(number_format_code(chart)),
        "xl/worksheets/sheet1.xml": _sheet(chart),
    }
    return zip_parts(((name, xml.encode()) for name, xml in parts.items()), timestamp)


def _sheet(chart: Chart) -> str:
    header = [_text_cell(f"{column_letter(i + 2)}1", s.name) for i, s in enumerate(chart.series)]
    rows = [f'<row r="1">{"".join(header)}</row>']
    columns = [stored_values(s, chart) for s in chart.series]
    for offset, category in enumerate(chart.categories):
        number = offset + 2
        cells = [_text_cell(f"A{number}", category)]
        for index, values in enumerate(columns):
            value = values[offset]
            if value is not None:  # a gap stays an empty cell, which the chart leaves out
                cells.append(f'<c r="{column_letter(index + 2)}{number}" s="{_NUMBER_STYLE}"><v>{value}</v></c>')
        rows.append(f'<row r="{number}">{"".join(cells)}</row>')
    widths = f'<cols><col min="1" max="{len(chart.series) + 1}" width="24" customWidth="1"/></cols>'
    return f'{_DECLARATION}<worksheet xmlns="{_MAIN}">{widths}<sheetData>{"".join(rows)}</sheetData></worksheet>'


def _text_cell(reference: str, text: str) -> str:
    return f'<c r="{reference}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'


def _workbook() -> str:
    return (
        f'{_DECLARATION}<workbook xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}">'
        f'<sheets><sheet name="{SHEET}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )


def _styles(format_code: str) -> str:
    return (
        f'{_DECLARATION}<styleSheet xmlns="{_MAIN}">'
        f'<numFmts count="1"><numFmt numFmtId="{_CUSTOM_FORMAT_ID}" formatCode="{escape_attribute(format_code)}"/></numFmts>'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        f'<xf numFmtId="{_CUSTOM_FORMAT_ID}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    )


def _content_types() -> str:
    sheet = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    return (
        f'{_DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{sheet}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{sheet}.worksheet+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{sheet}.styles+xml"/>'
        "</Types>"
    )


def _relationships(entries: list[tuple[str, str, str]]) -> str:
    rows = "".join(
        f'<Relationship Id="{r_id}" Type="{_RELATIONSHIPS}/{kind}" Target="{target}"/>' for r_id, kind, target in entries
    )
    return f'{_DECLARATION}<Relationships xmlns="{_PACKAGE_RELATIONSHIPS}">{rows}</Relationships>'
