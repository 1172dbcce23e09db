"""XLSX writer: draws a format-neutral Document as an Excel workbook.

An "Overview" sheet carries the title block; every table gets its own sheet. The parts
every workbook of a theme shares (styles, theme, the logo's drawing) are made with openpyxl
once per theme (package.py); a report's sheets, workbook part, relationships and properties
are written as text (sheetml.py), and zipped once by zip_parts, so the same document and
options always give the same bytes. Numbers and dates are stored as real values whose number
format displays exactly the model's `Cell.text`; all text is written as text cells, so nothing
a spec says can ever become a formula.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from generator.document.model import (
    Block,
    BulletList,
    Cell,
    CellKind,
    Chart,
    Document,
    Emphasis,
    Heading,
    Letter,
    Metadata,
    Paragraph,
    Table,
    TitleBlock,
)
from generator.writers import RenderError, RenderOptions, design
from generator.writers.cellformat import excel_value
from generator.writers.theme import Theme
from generator.writers.xlsx import sheetml, styles
from generator.writers.xlsx.charts import SheetCharts, sheet_charts
from generator.writers.xlsx.package import Package, prepared_package
from generator.writers.cellref import column_letter
from generator.writers.xlsx.sheetml import Sheet
from generator.writers.xlsx.sheet_names import OVERVIEW, sheet_names
from generator.writers.xlsx.styles import Style
from generator.writers.ziputil import utc_wall_time, zip_parts

SHEET_WIDTH = 130.0  # characters shared out among a table's columns by their weights
OVERVIEW_WIDTHS = (24.0, 90.0)  # label column, text column
# Row-height estimate: line height per point of font size, points of padding, and how
# many average characters of text fit in one unit of column width (errs towards more lines).
LINE_SPACING = 1.25
ROW_PADDING = 3.0
CHARS_PER_WIDTH = 1.15
# Excel counts days from 1900 and believes 1900-02-29 existed; an earlier date as a serial
# would show another day (or nothing), so it is stored as its text.
EARLIEST_EXCEL_DATE = date(1900, 3, 1)
_EXCEL_EPOCH = date(1899, 12, 30)  # serial 0, for dates from EARLIEST_EXCEL_DATE on
APPLICATION = "Microsoft Excel"
CATEGORY = "Billing-code report"
# Excel would read a typed text starting with these as a formula (OWASP adds tab and carriage
# return, which some importers strip first); such cells get a quote prefix.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Header/footer texts are limited to 255 characters in all, so each part is capped.
_HEADER_PART_MAX = 80
# The blocks the workbook shows: the title block on the Overview, each table on a sheet.
# Headings, paragraphs, lists and a cover letter are the documents' prose, which a workbook leaves out.
_PROSE = (Heading, Paragraph, BulletList, Letter)

_SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_OFFICE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def render(document: Document, options: RenderOptions) -> bytes:
    _check_blocks(document.blocks)
    theme = options.theme
    package = prepared_package(theme)
    names = sheet_names([table.title for table in document.tables])
    charts = _charts(document, names, theme)
    sheets = [_overview(document, names, package, theme)]
    sheets += [
        _table_sheet(table, name, document.metadata, package, theme, charts.get(table.id))
        for table, name in zip(document.tables, names)
    ]
    parts: list[tuple[str, bytes]] = [
        ("[Content_Types].xml", _content_types(len(sheets), package, "".join(c.content_types for _, c in charts.values()))),
        ("_rels/.rels", _package_relationships()),
        ("docProps/app.xml", _app_properties(theme)),
        ("docProps/core.xml", _core_properties(document.metadata, options.timestamp)),
        ("xl/workbook.xml", _workbook([OVERVIEW, *names], [len(table.columns) for table in document.tables],
                                      [len(table.rows) for table in document.tables])),
        ("xl/_rels/workbook.xml.rels", _workbook_relationships(len(sheets))),
        *package.parts.items(),
    ]
    for index, (xml, rels) in enumerate(sheets, start=1):
        parts.append((f"xl/worksheets/sheet{index}.xml", xml))
        if rels is not None:
            parts.append((f"xl/worksheets/_rels/sheet{index}.xml.rels", rels))
    for _, added in charts.values():
        parts.extend(added.parts.items())
    return zip_parts(parts, options.timestamp)


def _charts(document: Document, names: list[str], theme: Theme) -> dict[str, tuple[str, SheetCharts]]:
    """Table id -> (its sheet's chart drawing, the parts) for each table that charts plot."""
    found: dict[str, tuple[str, SheetCharts]] = {}
    first = 1
    for number, (table, name) in enumerate(zip(document.tables, names), start=2):  # sheet1 is the Overview
        plotted = tuple(chart for chart in document.charts if chart.source_table == table.id)
        if plotted:
            drawing = f"xl/drawings/charts{number}.xml"
            found[table.id] = drawing, sheet_charts(plotted, table, name, theme, drawing, first)
            first += len(plotted)
    if first <= len(document.charts):
        raise RenderError("a chart plots a table the workbook does not hold")
    return found


def _check_blocks(blocks: Sequence[Block]) -> None:
    for block in blocks:
        if not isinstance(block, (TitleBlock, Table, Chart, *_PROSE)):  # a chart goes on its table's sheet
            raise TypeError(f"the XLSX writer cannot draw a {type(block).__name__} block")


# --- the overview sheet -------------------------------------------------------------


def _title_block(document: Document) -> TitleBlock:
    for block in document.blocks:
        if isinstance(block, TitleBlock):
            return block
    return TitleBlock(document.metadata.title, None, ())  # a document without one still gets a title


class _Styles:
    """The index of each style in the theme's styles part."""

    def __init__(self, package: Package) -> None:
        self._ids = package.style_ids

    def text(self, kind: str, text: str, banded: bool = False) -> int:
        return self._ids[Style(kind, banded, text.startswith(_FORMULA_STARTS))]

    def value(self, kind: str, banded: bool) -> int:
        return self._ids[Style(kind, banded)]


def _overview(document: Document, table_names: list[str], package: Package, theme: Theme) -> tuple[bytes, bytes | None]:
    sheet, ids = Sheet(OVERVIEW_WIDTHS), _Styles(package)
    block = _title_block(document)
    row = 1
    if theme.logo is not None:  # in a row of its own; as on the documents, not both logo and name
        _, height = theme.logo.fitted(theme.logo_max_width, theme.logo_max_height)
        sheet.row(row, height + ROW_PADDING * 2, ())
        row += 2
    elif theme.brand_name:
        row = _line(sheet, row, theme.brand_name, ids.text(styles.BRAND, theme.brand_name), theme.brand_name_size) + 1
    row = _line(sheet, row, block.title, ids.text(styles.TITLE, block.title), theme.title_size)
    if block.subtitle:
        row = _line(sheet, row, block.subtitle, ids.text(styles.SUBTITLE, block.subtitle), theme.heading_size(2))
    row += 1  # a blank row before the fields
    for title_field in block.fields:
        kind = styles.FIELD_MISSING if title_field.missing else styles.FIELD
        _label_and_text(sheet, row, (title_field.label, styles.LABEL), (title_field.text, kind), ids, theme)
        row += 1
    for number, notice in enumerate(block.notices):  # the AMA's CPT notice and the spec's, after a blank row
        row += number == 0
        _label_and_text(sheet, row, ("Notice", styles.LABEL), (notice, styles.FIELD), ids, theme)
        row += 1
    row = _line(sheet, row + 1, "Tables", ids.text(styles.HEADING, "Tables"), theme.heading_size(1))
    for table, name in zip(document.tables, table_names):
        count = len(table.rows)
        _label_and_text(sheet, row, (name, styles.SHEET_LINK), (f"{count} row" + ("" if count == 1 else "s"), styles.FIELD), ids, theme)
        sheet.location(f"A{row}", f"{_quote_sheet_name(name)}!A1")
        row += 1
    page = _print_setup(document.metadata, theme, OVERVIEW, "portrait")
    drawing = package.drawing if theme.logo is not None else None
    return sheet.xml(page, drawing=drawing is not None), sheet.relationships(drawing)


def _line(sheet: Sheet, row: int, text: str, style: int, size: float) -> int:
    """A one-line heading in column A; unwrapped, so a long one runs on to the right. The next row."""
    sheet.row(row, size * LINE_SPACING + ROW_PADDING, [sheet.text(f"A{row}", style, text)])
    return row + 1


def _label_and_text(
    sheet: Sheet, row: int, label: tuple[str, str], text: tuple[str, str], ids: _Styles, theme: Theme
) -> None:
    """A (text, style kind) pair in columns A and B, both wrapped."""
    cells = [sheet.text(f"{letter}{row}", ids.text(kind, value), value) for letter, (value, kind) in zip("AB", (label, text))]
    sheet.row(row, _row_height([label[0], text[0]], OVERVIEW_WIDTHS, theme), cells)


def _quote_sheet_name(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


# --- the table sheets ---------------------------------------------------------------


def _table_sheet(
    table: Table, name: str, metadata: Metadata, package: Package, theme: Theme, charts: tuple[str, SheetCharts] | None
) -> tuple[bytes, bytes | None]:
    """The table's sheet; `charts` are the drawing and parts of the charts under the table, if any."""
    widths = column_widths([column.width for column in table.columns])
    sheet, ids = Sheet(tuple(widths)), _Styles(package)
    sheet.last_column = max(len(table.columns), 1)
    numeric = {index + 1 for index in table.numeric_columns()}  # 1-based, as the sheet counts
    letters = [column_letter(index) for index in range(1, max(len(table.columns), *map(len, table.rows), 1) + 1)]
    header = [
        sheet.text(f"{letter}1", ids.text(styles.HEADER_NUMBER if index in numeric else styles.HEADER, column.header), column.header)
        for index, (letter, column) in enumerate(zip(letters, table.columns), start=1)
    ]
    sheet.row(1, _row_height([column.header for column in table.columns], widths, theme), header)
    for number, cells in enumerate(table.rows, start=2):
        banded = number % 2 == 1  # every other row, from the second, as in the documents
        written = [_cell(sheet, f"{letter}{number}", cell, banded, ids) for letter, cell in zip(letters, cells)]
        sheet.row(number, _row_height([cell.text for cell in cells], widths, theme), written)
    if not table.rows:
        sentence = table.empty_text
        sheet.row(2, _row_height([sentence], (SHEET_WIDTH,), theme), [sheet.text("A2", ids.text(styles.EMPTY, sentence), sentence)])
    page = _print_setup(metadata, theme, name, "landscape")
    if charts is None:
        return sheet.xml(page, frozen_header=True), sheet.relationships(None)
    drawing, added = charts
    return sheet.xml(page + added.row_breaks, frozen_header=True, drawing=True), sheet.relationships(drawing)


def _cell(sheet: Sheet, reference: str, cell: Cell, banded: bool, ids: _Styles) -> str:
    if cell.kind is CellKind.NUMBER and cell.value is not None and cell.number_format is not None:
        style = ids.value(styles.number_kind(cell.number_format), banded)
        return sheet.number(reference, style, excel_value(cell.value, cell.number_format))
    if cell.kind is CellKind.DATE and isinstance(cell.value, date) and cell.value >= EARLIEST_EXCEL_DATE:
        return sheet.number(reference, ids.value(styles.DATE, banded), (cell.value - _EXCEL_EPOCH).days)
    # Text, missing, and any typed cell that lacks its value: still shows its text.
    if cell.link:
        sheet.url(reference, cell.link)
        kind = styles.LINK
    else:
        kind = _text_kind(cell)
        if cell.spans:  # a cell links to one address: the first URL in its text, which stays as typed
            sheet.url(reference, cell.text[cell.spans[0].start : cell.spans[0].end])
    return sheet.text(reference, ids.text(kind, cell.text, banded), cell.text)


_EMPHASIS_KINDS = {
    (Emphasis.OLD, False): styles.OLD, (Emphasis.OLD, True): styles.OLD_MISSING,
    (Emphasis.NEW, False): styles.NEW, (Emphasis.NEW, True): styles.NEW_MISSING,
}


def _text_kind(cell: Cell) -> str:
    missing = cell.kind is CellKind.MISSING
    if cell.emphasis is not None:
        return _EMPHASIS_KINDS[cell.emphasis, missing]
    return styles.MISSING if missing else styles.TEXT


def column_widths(weights: list[float]) -> list[float]:
    """Share SHEET_WIDTH characters among the columns in proportion to their weights (design's one rule)."""
    return [round(width, 2) for width in design.column_widths(weights, SHEET_WIDTH)]


def _row_height(texts: list[str], widths: Sequence[float], theme: Theme) -> float:
    """A height that shows every wrapped line (sheetml caps it at Excel's limit).

    Neither LibreOffice nor Excel reliably grows rows of wrapped text on opening
    a file (LibreOffice drew a long token over the next row), so the number of
    lines is estimated from the column widths.
    """
    size = theme.body_font_size
    lines = max((_line_count(text, width, size) for text, width in zip(texts, widths)), default=1)
    return lines * size * LINE_SPACING + ROW_PADDING


def _line_count(text: str, width: float, font_size: float) -> int:
    # A column width counts digits of the default 11 pt font; our smaller font fits more.
    capacity = max(1, int(width * CHARS_PER_WIDTH * 11 / font_size))
    if len(text) <= capacity and "\n" not in text and "\r" not in text:  # most cells
        return 1
    return sum(_wrapped_lines(line, capacity) for line in text.splitlines() or [""])


def _wrapped_lines(line: str, capacity: int) -> int:
    """Lines of a greedy word wrap at `capacity` characters; a longer word is broken."""
    lines = used = 0
    for word in line.split():
        if lines and used + 1 + len(word) <= capacity:
            used += 1 + len(word)
            continue
        full, rest = divmod(len(word), capacity)
        lines, used = (lines + full, capacity) if rest == 0 else (lines + full + 1, rest)
    return max(lines, 1)


# --- page setup ---------------------------------------------------------------------


def _print_setup(metadata: Metadata, theme: Theme, name: str, orientation: str) -> str:
    """The running header (title, sheet) and the documents' footer wording: the brand in the
    centre, "Version ... · As of ... · Page N of M" on the right."""
    wording = theme.running_footer(metadata.version, metadata.as_of.isoformat())
    brand = theme.brand_name or ""
    rest = wording.removeprefix(f"{brand} · ") if brand else wording
    return sheetml.print_setup(
        orientation,
        header=(_header_text(metadata.title), _header_text(name)),
        footer=("", _header_text(brand), _header_text(rest) + "&P of &N"),
    )


def _header_text(text: str) -> str:
    # "&" starts a code in headers and footers ("&P" is the page number): double it.
    if len(text) > _HEADER_PART_MAX:
        text = text[: _HEADER_PART_MAX - 1] + "…"
    return text.replace("&", "&&")


# --- the workbook and package parts -------------------------------------------------


def _workbook(names: list[str], columns: list[int], rows: list[int]) -> bytes:
    """The workbook part: the sheets, and each table sheet's filter range and print titles."""
    sheets = "".join(
        f'<sheet name="{sheetml.escape_attribute(name)}" sheetId="{index}" r:id="rId{index}"/>'
        for index, name in enumerate(names, start=1)
    )
    defined = []
    for index, (name, width, height) in enumerate(zip(names[1:], columns, rows), start=1):
        quoted = sheetml.escape(_quote_sheet_name(name))
        last = f"${column_letter(max(width, 1))}${max(height, 1) + 1}"
        defined.append(f'<definedName name="_xlnm._FilterDatabase" localSheetId="{index}" hidden="1">{quoted}!$A$1:{last}</definedName>')
        defined.append(f'<definedName name="_xlnm.Print_Titles" localSheetId="{index}">{quoted}!$1:$1</definedName>')
    names_xml = f"<definedNames>{''.join(defined)}</definedNames>" if defined else ""
    return (
        f'<workbook xmlns="{sheetml.MAIN_NS}" xmlns:r="{_OFFICE_REL}"><workbookPr/>'
        '<bookViews><workbookView activeTab="0"/></bookViews>'
        f'<sheets>{sheets}</sheets>{names_xml}<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>'
    ).encode()


def _workbook_relationships(count: int) -> bytes:
    entries = [
        f'<Relationship Id="rId{index}" Type="{_OFFICE_REL}/worksheet" Target="worksheets/sheet{index}.xml"/>'
        for index in range(1, count + 1)
    ]
    entries.append(f'<Relationship Id="rId{count + 1}" Type="{_OFFICE_REL}/styles" Target="styles.xml"/>')
    entries.append(f'<Relationship Id="rId{count + 2}" Type="{_OFFICE_REL}/theme" Target="theme/theme1.xml"/>')
    return sheetml.relationships(entries)


def _package_relationships() -> bytes:
    return sheetml.relationships([
        f'<Relationship Id="rId1" Type="{_OFFICE_REL}/officeDocument" Target="xl/workbook.xml"/>',
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>',
        f'<Relationship Id="rId3" Type="{_OFFICE_REL}/extended-properties" Target="docProps/app.xml"/>',
    ])


def _content_types(sheets: int, package: Package, charts: str) -> bytes:
    """The content types; `charts` holds the Override elements of the chart parts and their drawings."""
    office = "application/vnd.openxmlformats-officedocument"
    overrides = [
        ("/xl/workbook.xml", f"{office}.spreadsheetml.sheet.main+xml"),
        ("/xl/styles.xml", f"{office}.spreadsheetml.styles+xml"),
        ("/xl/theme/theme1.xml", f"{office}.theme+xml"),
        ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
        ("/docProps/app.xml", f"{office}.extended-properties+xml"),
        *((f"/xl/worksheets/sheet{index}.xml", _SHEET_TYPE) for index in range(1, sheets + 1)),
    ]
    return (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        + package.content_types
        + "".join(f'<Override PartName="{name}" ContentType="{kind}"/>' for name, kind in overrides)
        + charts
        + "</Types>"
    ).encode()


def _app_properties(theme: Theme) -> bytes:
    company = f"<Company>{sheetml.escape(theme.brand_name)}</Company>" if theme.brand_name else ""
    return (
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        f"<Application>{APPLICATION}</Application>{company}</Properties>"
    ).encode()


def _core_properties(metadata: Metadata, timestamp: datetime) -> bytes:
    # isoformat, not strftime: "%Y" does not pad a year before 1000 to four digits.
    moment = utc_wall_time(timestamp).isoformat(timespec="seconds") + "Z"
    author = sheetml.escape(metadata.author or "")
    subject = sheetml.escape(metadata.subject)
    return (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:creator>{author}</dc:creator><dc:title>{sheetml.escape(metadata.title)}</dc:title>"
        f"<dc:description>{subject}</dc:description><dc:subject>{subject}</dc:subject>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{moment}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{moment}</dcterms:modified>'
        f"<cp:lastModifiedBy>{author}</cp:lastModifiedBy><cp:category>{CATEGORY}</cp:category>"
        f"<cp:keywords>{sheetml.escape(', '.join(metadata.keywords))}</cp:keywords></cp:coreProperties>"
    ).encode()
