"""XLSX writer: draws a format-neutral Document as an Excel workbook with openpyxl.

An "Overview" sheet carries the title block; every table gets its own sheet.
Numbers and dates are stored as real values whose number format displays
exactly the model's `Cell.text`, and all text is forced to text cells so that
nothing a spec says can ever become a formula. The output is byte-reproducible:
openpyxl stamps `modified` with the clock and names itself in docProps, so both
property parts are rewritten after it has written its parts, which are then zipped
once by zip_parts (see docs/design.md).
"""

from __future__ import annotations

import io
import re
import textwrap
from collections.abc import Sequence
from copy import copy
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import Cell as SheetCell
from openpyxl.drawing.image import Image as SheetImage
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.packaging.extended import ExtendedProperties
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter
from openpyxl.xml.functions import tostring

from generator.document.model import (
    Cell,
    CellKind,
    Document,
    Metadata,
    NumberFormat,
    NumberStyle,
    Table,
    TitleBlock,
    TitleField,
)
from generator.writers import RenderError, RenderOptions
from generator.writers.cellformat import excel_number_format, excel_value
from generator.writers.xlsx.charts import sheet_charts
from generator.writers.theme import Theme
from generator.writers.ziputil import utc_wall_time, zip_parts

OVERVIEW = "Overview"
FONT = "Calibri"  # as in the DOCX writer; LibreOffice substitutes metric-compatible Carlito
SHEET_WIDTH = 130.0  # characters shared out among a table's columns by their weights
OVERVIEW_WIDTHS = (24.0, 90.0)  # label column, text column
# Row-height estimate: line height per point of font size, points of padding, and how
# many average characters of text fit in one unit of column width (errs towards more lines).
LINE_SPACING = 1.25
ROW_PADDING = 3.0
CHARS_PER_WIDTH = 1.15
PIXELS_PER_POINT = 96 / 72  # openpyxl sizes images in pixels at 96 dpi
DATE_FORMAT = "yyyy-mm-dd"  # ISO 8601, the text the model gives every date
# Excel counts days from 1900 and believes 1900-02-29 existed; an earlier date as a serial
# would show another day (or nothing), so it is stored as its text.
EARLIEST_EXCEL_DATE = date(1900, 3, 1)
APPLICATION = "Microsoft Excel"  # app.xml would otherwise say "... / Openpyxl 3.1.5"
CORE_PART = "docProps/core.xml"
APP_PART = "docProps/app.xml"

# Excel refuses these in sheet names, and "History" is reserved for its change tracking.
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_SHEET_NAME_MAX = 31
_RESERVED_SHEET_NAMES = {"history"}
# Excel would read a typed text starting with these as a formula (OWASP adds tab and carriage
# return, which some importers strip first); such cells get a quote prefix.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Header/footer texts are limited to 255 characters in all, so each part is capped.
_HEADER_PART_MAX = 80

_WRAP_TOP = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class _Look:
    """The theme as openpyxl fonts, fills and borders, made once per workbook."""

    theme: Theme
    body: Font
    missing: Font
    link: Font
    label: Font
    header: Font
    header_fill: PatternFill
    grid: Border
    # The style of each kind of table cell, made once per workbook (see _style_table_cell).
    cell_styles: dict[tuple, StyleArray] = field(default_factory=dict)

    @classmethod
    def of(cls, theme: Theme) -> _Look:
        size = theme.body_font_size
        thin = Side(style="thin", color=theme.rule_color)
        return cls(
            theme=theme,
            body=Font(name=FONT, size=size),
            missing=Font(name=FONT, size=size, italic=True, color=theme.missing_color),
            link=Font(name=FONT, size=size, color=theme.link_color, underline="single"),
            label=Font(name=FONT, size=size, bold=True),
            header=Font(name=FONT, size=size, bold=True, color=theme.header_text_color),
            header_fill=PatternFill(fill_type="solid", start_color=theme.brand_color, end_color=theme.brand_color),
            grid=Border(left=thin, right=thin, top=thin, bottom=thin),
        )


def render(document: Document, options: RenderOptions) -> bytes:
    look = _Look.of(options.theme)
    workbook = Workbook()
    names = sheet_names([table.title for table in document.tables])
    _write_overview(workbook.active, document, names, look)
    for table, name in zip(document.tables, names):
        _write_table(workbook.create_sheet(name), table, document.metadata, look)
    _set_properties(workbook, document.metadata, options)
    return _save(workbook, options, _chart_adder(document, names, options.theme))


# --- sheet names -------------------------------------------------------------------


def sheet_names(titles: list[str]) -> list[str]:
    """Excel-safe, case-insensitively unique sheet names, none equal to the Overview's."""
    taken = {OVERVIEW.lower()} | _RESERVED_SHEET_NAMES
    names = []
    for title in titles:
        name = _unique(_clean_sheet_name(title), taken)
        taken.add(name.lower())
        names.append(name)
    return names


def _clean_sheet_name(title: str) -> str:
    # Excel also refuses a name that starts or ends with an apostrophe, or is blank.
    name = _SHEET_NAME_FORBIDDEN.sub("-", title).strip().strip("'")
    return name[:_SHEET_NAME_MAX].rstrip() or "Table"


def _unique(name: str, taken: set[str]) -> str:
    candidate, number = name, 1
    while candidate.lower() in taken:
        number += 1
        suffix = f" ({number})"
        candidate = name[: _SHEET_NAME_MAX - len(suffix)].rstrip() + suffix
    return candidate


# --- the overview sheet -------------------------------------------------------------


def _title_block(document: Document) -> TitleBlock:
    for block in document.blocks:
        if isinstance(block, TitleBlock):
            return block
    return TitleBlock(document.metadata.title, None, ())  # a document without one still gets a title


def _write_overview(sheet: Worksheet, document: Document, table_names: list[str], look: _Look) -> None:
    sheet.title = OVERVIEW
    theme = look.theme
    block = _title_block(document)
    for column, width in enumerate(OVERVIEW_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    row = _write_masthead(sheet, look)
    _put_line(sheet, row, block.title, Font(name=FONT, size=theme.title_size, bold=True, color=theme.brand_color))
    row += 1
    if block.subtitle:
        subtitle_font = Font(name=FONT, size=theme.heading_size(2), italic=True, color=theme.accent_color)
        _put_line(sheet, row, block.subtitle, subtitle_font)
        row += 1
    row += 1  # a blank row before the fields
    for title_field in block.fields:
        _put_title_field(sheet, row, title_field, look)
        row += 1
    _write_sheet_list(sheet, row + 1, document.tables, table_names, look)
    _set_print_setup(sheet, document.metadata, theme, OVERVIEW, orientation="portrait")


def _write_masthead(sheet: Worksheet, look: _Look) -> int:
    """The client's logo (in a row of its own) at the top, or else the brand name; the next free row.

    As on the DOCX and PDF title block: not both, since most logos carry the name."""
    theme, row = look.theme, 1
    if theme.logo is not None:
        width, height = theme.logo.fitted(theme.logo_max_width, theme.logo_max_height)
        try:  # the image library reads the file here, so a damaged one fails now, as one line
            image = SheetImage(io.BytesIO(theme.logo.data))
        except Exception as error:
            raise RenderError(f"the logo cannot be placed in the XLSX: {error}") from None
        image.width, image.height = round(width * PIXELS_PER_POINT), round(height * PIXELS_PER_POINT)
        sheet.add_image(image, "A1")
        sheet.row_dimensions[row].height = round(height + ROW_PADDING * 2, 2)
        row += 1
    elif theme.brand_name:
        font = Font(name=FONT, size=theme.brand_name_size, bold=True, color=theme.brand_color)
        _put_line(sheet, row, theme.brand_name, font)
        row += 1
    return row + 1 if row > 1 else row  # a blank row between the brand and the title


def _put_line(sheet: Worksheet, row: int, text: str, font: Font) -> None:
    """A one-line heading in column A; unwrapped, so a long one runs on to the right."""
    _put_text(sheet.cell(row, 1), text, font)
    sheet.row_dimensions[row].height = round(font.size * LINE_SPACING + ROW_PADDING, 2)


def _put_title_field(sheet: Worksheet, row: int, field: TitleField, look: _Look) -> None:
    _put_label_and_text(sheet, row, field.label, field.text, look, look.missing if field.missing else look.body)


def _put_label_and_text(sheet: Worksheet, row: int, label: str, text: str, look: _Look, font: Font) -> None:
    _put_text(sheet.cell(row, 1), label, look.label)
    _put_text(sheet.cell(row, 2), text, font)
    for column in (1, 2):
        sheet.cell(row, column).alignment = _WRAP_TOP
    _fit_row_height(sheet, row, [label, text], OVERVIEW_WIDTHS, look.theme)


def _write_sheet_list(sheet: Worksheet, row: int, tables: tuple[Table, ...], names: list[str], look: _Look) -> None:
    """One line per table sheet, each linked to its sheet, with its row count."""
    theme = look.theme
    heading = Font(name=FONT, size=theme.heading_size(1), bold=True, color=theme.brand_color)
    _put_line(sheet, row, "Tables", heading)
    for offset, (table, name) in enumerate(zip(tables, names), start=1):
        count = len(table.rows)
        _put_label_and_text(sheet, row + offset, name, f"{count} row" + ("" if count == 1 else "s"), look, look.body)
        link = sheet.cell(row + offset, 1)
        # A location, not a URL: the link stays inside the workbook and needs no relationship.
        link.hyperlink = Hyperlink(ref=link.coordinate, location=f"{quote_sheetname(name)}!A1")
        link.font = look.link


# --- the table sheets ---------------------------------------------------------------


def _write_table(sheet: Worksheet, table: Table, metadata: Metadata, look: _Look) -> None:
    widths = column_widths([column.width for column in table.columns])
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    for column, spec in enumerate(table.columns, start=1):
        _write_header(sheet.cell(1, column), spec.header, look)
    _fit_row_height(sheet, 1, [column.header for column in table.columns], widths, look.theme)
    for row, cells in enumerate(table.rows, start=2):
        for column, cell in enumerate(cells, start=1):
            _write_cell(sheet.cell(row, column), cell, look)
        _fit_row_height(sheet, row, [cell.text for cell in cells], widths, look.theme)
    if not table.rows:
        _write_empty(sheet.cell(2, 1), table.empty_text, look)
    last = f"{get_column_letter(max(len(table.columns), 1))}{max(len(table.rows), 1) + 1}"
    sheet.freeze_panes = "A2"  # the header row stays in view while scrolling
    sheet.auto_filter.ref = f"A1:{last}"
    sheet.print_title_rows = "1:1"  # the header row repeats on every printed page
    _set_print_setup(sheet, metadata, look.theme, sheet.title, orientation="landscape")


def _write_header(target: SheetCell, text: str, look: _Look) -> None:
    _put_text(target, text)
    _style_table_cell(target, look, look.header, fill=look.header_fill)


def _write_cell(target: SheetCell, cell: Cell, look: _Look) -> None:
    number_format = "General"
    if cell.kind is CellKind.NUMBER and cell.value is not None and cell.number_format is not None:
        target.value = excel_value(cell.value, cell.number_format)
        number_format = excel_number_format(cell.number_format)
    elif cell.kind is CellKind.DATE and cell.value is not None and cell.value >= EARLIEST_EXCEL_DATE:
        target.value = cell.value
        number_format = DATE_FORMAT
    else:  # text, missing, and any typed cell that lacks its value: still shows its text
        _put_text(target, cell.text)
    if cell.link:
        target.hyperlink = cell.link
    _style_table_cell(target, look, _cell_font(cell, look), number_format=number_format, link=bool(cell.link))


def _style_table_cell(
    target: SheetCell, look: _Look, font: Font, *, fill: PatternFill | None = None,
    number_format: str = "General", link: bool = False,
) -> None:
    """Font, fill, number format, wrapping and grid of a table cell.

    openpyxl hashes every style object on every assignment, which cost most of the render;
    so each combination is set once per workbook and its style array copied to the other
    cells that use it (openpyxl's own way of copying a style).
    """
    quote = target.data_type == "s" and str(target.value).startswith(_FORMULA_STARTS)
    key = (id(font), id(fill), number_format, link, quote)
    known = look.cell_styles.get(key)
    if known is not None:
        target._style = copy(known)
        return
    if link:
        # Excel's built-in style, so the cell behaves like a typed link. Applied first:
        # a named style resets the number format and font set below.
        target.style = "Hyperlink"
    target.font = font
    if fill is not None:
        target.fill = fill
    target.number_format = number_format
    target.alignment = _WRAP_TOP
    target.border = look.grid
    target.quotePrefix = quote  # Excel keeps it text even when the cell is edited
    look.cell_styles[key] = copy(target._style)


def _cell_font(cell: Cell, look: _Look) -> Font:
    if cell.link:
        return look.link  # the built-in style's font has Excel's default size, not ours
    return look.missing if cell.kind is CellKind.MISSING else look.body


def _write_empty(target: SheetCell, text: str, look: _Look) -> None:
    _put_text(target, text, look.missing)
    # Not wrapped, so the sentence runs on over the empty cells to its right.
    target.alignment = Alignment(vertical="top")


def column_widths(weights: list[float]) -> list[float]:
    """Share SHEET_WIDTH characters among the columns in proportion to their weights."""
    total = sum(weights) or 1.0
    return [round(SHEET_WIDTH * weight / total, 2) for weight in weights]


def _fit_row_height(sheet: Worksheet, row: int, texts: list[str], widths: Sequence[float], theme: Theme) -> None:
    """Set a height that shows every wrapped line.

    Neither LibreOffice nor Excel reliably grows rows of wrapped text on opening
    a file (LibreOffice drew a long token over the next row), and openpyxl has no
    autofit, so the number of lines is estimated from the column widths.
    """
    size = theme.body_font_size
    lines = max((_line_count(text, width, size) for text, width in zip(texts, widths)), default=1)
    sheet.row_dimensions[row].height = round(lines * size * LINE_SPACING + ROW_PADDING, 2)


def _line_count(text: str, width: float, font_size: float) -> int:
    # A column width counts digits of the default 11 pt font; our smaller font fits more.
    capacity = max(1, int(width * CHARS_PER_WIDTH * 11 / font_size))
    if len(text) <= capacity and "\t" not in text:  # most cells, and wrapping is slow (tabs expand)
        return 1
    return max(1, len(textwrap.wrap(text, capacity, break_long_words=True)))


# --- cell values --------------------------------------------------------------------


def _put_text(target: SheetCell, text: str, font: Font | None = None) -> None:
    """A string cell that stays a string: openpyxl turns "=..." into a formula unless told."""
    target.value = text
    target.data_type = "s"
    if text.startswith(_FORMULA_STARTS):
        target.quotePrefix = True  # Excel keeps it text even when the cell is edited
    if font is not None:
        target.font = font


# --- page setup ---------------------------------------------------------------------


def _set_print_setup(sheet: Worksheet, metadata: Metadata, theme: Theme, name: str, orientation: str) -> None:
    sheet.page_setup.orientation = orientation
    sheet.page_setup.paperSize = sheet.PAPERSIZE_LETTER  # as the DOCX and PDF
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # 0: as many pages tall as needed
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.oddHeader.left.text = _header_text(metadata.title)
    sheet.oddHeader.right.text = _header_text(name)
    sheet.oddFooter.left.text = _header_text(f"Version {metadata.version}, as of {metadata.as_of.isoformat()}")
    if theme.brand_name:
        sheet.oddFooter.center.text = _header_text(theme.brand_name)
    sheet.oddFooter.right.text = "Page &P of &N"


def _header_text(text: str) -> str:
    # "&" starts a code in headers and footers ("&P" is the page number): double it.
    if len(text) > _HEADER_PART_MAX:
        text = text[: _HEADER_PART_MAX - 1] + "…"
    return text.replace("&", "&&")


# --- properties and saving ----------------------------------------------------------


def _set_properties(workbook: Workbook, metadata: Metadata, options: RenderOptions) -> None:
    props = workbook.properties
    props.title = metadata.title
    props.subject = metadata.subject
    props.description = metadata.subject
    props.creator = metadata.author or ""
    props.lastModifiedBy = metadata.author or ""
    props.keywords = ", ".join(metadata.keywords)
    props.category = "Billing-code report"
    props.created = props.modified = utc_wall_time(options.timestamp)



def _save(workbook: Workbook, options: RenderOptions, add_charts) -> bytes:
    parts = _Parts()
    _InMemoryWriter(workbook, parts).save()
    # save() has just set `modified` to the clock: pin it again and write our own property parts.
    workbook.properties.modified = utc_wall_time(options.timestamp)
    app = ExtendedProperties()
    app.Application, app.AppVersion = APPLICATION, None
    app.Company = options.theme.brand_name
    parts.replace(CORE_PART, tostring(workbook.properties.to_tree()))
    parts.replace(APP_PART, tostring(app.to_tree()))
    add_charts(parts)
    return zip_parts(parts.items(), options.timestamp)


def _chart_adder(document: Document, names: list[str], theme: Theme):
    """What puts each table's charts under it once openpyxl has written the sheets: the chart
    parts, and each sheet's `<drawing>` and relationship to them (openpyxl has no way to
    place a chart part of ours)."""

    def add(parts: _Parts) -> None:
        first = 1
        for number, (table, name) in enumerate(zip(document.tables, names), start=2):  # sheet1: the Overview
            charts = tuple(chart for chart in document.charts if chart.source_table == table.id)
            if not charts:
                continue
            added = sheet_charts(charts, table, name, theme, f"xl/drawings/charts{number}.xml", first)
            first += len(charts)
            parts.insert(f"xl/worksheets/sheet{number}.xml", b"</worksheet>", added.drawing)
            relationships = f"xl/worksheets/_rels/sheet{number}.xml.rels"
            if relationships not in parts.namelist():
                parts.writestr(relationships, _EMPTY_RELATIONSHIPS)
            parts.insert(relationships, b"</Relationships>", added.relationship)
            parts.insert("[Content_Types].xml", b"</Types>", added.content_types)
            for part, data in added.parts.items():
                parts.writestr(part, data)
        if first <= len(document.charts):
            raise RenderError("a chart plots a table the workbook does not hold")

    return add


_EMPTY_RELATIONSHIPS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>'
)


class _Parts:
    """What openpyxl's writer would put in a zip, kept in order so it is zipped once, reproducibly.

    The writer gets this in place of a ZipFile: it only ever calls these methods."""

    def __init__(self) -> None:
        self._parts: dict[str, bytes] = {}

    def writestr(self, name: str, data: bytes | str) -> None:
        self._parts[name] = data.encode() if isinstance(data, str) else data

    def namelist(self) -> list[str]:
        return list(self._parts)

    def close(self) -> None:
        pass

    def replace(self, name: str, data: bytes) -> None:
        if name not in self._parts:  # a change in openpyxl, not in the spec: as docx_template's _cut
            raise RuntimeError(f"openpyxl no longer writes {name!r}: its property parts cannot be replaced")
        self._parts[name] = data

    def insert(self, name: str, marker: bytes, text: str) -> None:
        """Put `text` right before the last `marker` in the part `name`."""
        head, found, tail = self._parts[name].rpartition(marker)
        if not found:
            raise RuntimeError(f"openpyxl no longer writes {marker.decode()!r} in {name!r}: the charts cannot be placed")
        self._parts[name] = head + text.encode() + found + tail

    def items(self):
        return self._parts.items()


class _InMemoryWriter(ExcelWriter):
    """openpyxl's writer, serializing each worksheet in memory rather than through a temporary file."""

    def write_worksheet(self, ws: Worksheet) -> None:
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        out = io.BytesIO()
        writer = WorksheetWriter(ws, out=out)
        writer.write()
        ws._rels = writer._rels
        self._archive.writestr(ws.path[1:], out.getvalue())
        self.manifest.append(ws)
