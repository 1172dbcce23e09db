"""Tables: cells broken into lines, rows placed on pages under a repeated header row.

A row taller than a page is split inside its cells, between lines.
"""

from __future__ import annotations

import functools
import itertools
import math
from dataclasses import dataclass, field, replace

from generator.document.model import CellKind, Emphasis, Table
from generator.writers import design
from generator.writers.pdf import urls
from generator.writers.pdf.boxes import Fill, Link, Rule, Tag, Text
from generator.writers.pdf.linebreak import Line, break_lines, was_cut, words
from generator.writers.pdf.measure import TextStyle, metrics
from generator.writers.pdf.measure import width as measure_width
from generator.writers.pdf.styles import Styles

PADS = design.CELL_TOP_PADDING + design.CELL_BOTTOM_PADDING
EPSILON = 1e-6
STRIKE_HEIGHT = 0.3  # of the font size above the baseline
STRIKE_WIDTH = 0.5  # points
# The members a cell is tested for, looked up once: an Enum's member costs five times a plain class attribute.
MISSING, NUMBER, OLD = CellKind.MISSING, CellKind.NUMBER, Emphasis.OLD


@dataclass(slots=True)
class CellLines:
    """A cell's text broken into lines, with what drawing it needs: its style, link, model node and tag."""

    lines: tuple[Line, ...]
    style: TextStyle
    link: str | None
    node: object  # the model Cell (a Column for a header cell)
    tag: Tag
    struck: bool = False  # a change summary's old value: a line through every line of text
    right: bool = False  # set flush right: a number, or the header of a column of numbers


@dataclass(slots=True)
class Row:
    """A table row's cells (the header's, or a body row's) and its height, worked out once."""

    cells: tuple[CellLines, ...]
    index: int  # in the table's body (-1: the header), for the stripes
    leading: float
    height: float = field(init=False)

    def __post_init__(self) -> None:
        self.height = PADS + max([len(cell.lines) for cell in self.cells]) * self.leading

    def split(self, lines: int) -> tuple[Row, Row]:
        """The first `lines` lines of every cell, and the rest (a row taller than a page)."""
        head = tuple(replace(cell, lines=cell.lines[:lines]) for cell in self.cells)
        tail = tuple(replace(cell, lines=cell.lines[lines:]) for cell in self.cells)
        return replace(self, cells=head), replace(self, cells=tail)


@dataclass
class TableItem:
    """Table.title is not drawn: the composer puts a Heading before every table."""

    widths: list[float]
    header: Row
    rows: list[Row]
    spanned: bool  # no rows: one cell across all columns holds the empty text
    node: Table
    tag: Tag
    space_before: float = design.TABLE_SPACE[0]
    space_after: float = design.TABLE_SPACE[1]
    total: float = field(init=False)  # the table's width
    edges: list[float] = field(init=False)  # x of the left edge of each column, and of the table's right edge

    def __post_init__(self) -> None:
        self.total = sum(self.widths)
        self.edges = list(itertools.accumulate(self.widths, initial=design.SIDE_MARGIN))

    def lead(self) -> float:
        """The least of the table that must follow its heading on a page."""
        first = self.rows[0]
        if self.header.height + first.height > design.FRAME_HEIGHT:
            return self.header.height + PADS + first.leading
        return self.header.height + first.height


def table_item(index: int, table: Table, styles: Styles, total: float = design.FRAME_WIDTH) -> TableItem:
    """The table set `total` points wide (the frame's width, portrait or landscape)."""
    widths = design.column_widths([column.width for column in table.columns], total)
    rooms = [width - 2 * design.CELL_PADDING for width in widths]
    theme = styles.theme
    # Each text broken once per style and width: a table repeats its texts (a missing value in every row).
    lines_of = functools.cache(functools.partial(_lines, min_size=theme.min_table_font_size))
    leading = theme.table_font_size * design.CELL_LEADING
    numeric = table.numeric_columns()
    tag: Tag = (("Table", index),)
    head_tag = (*tag, ("THead", 0), ("TR", 0))
    header = Row(
        tuple(
            CellLines(*lines_of(column.header, styles.cell_header, room), None, column, (*head_tag, ("TH", c)), right=c in numeric)
            for c, (column, room) in enumerate(zip(table.columns, rooms))
        ),
        -1, leading,
    )
    rows = []
    for r, cells in enumerate(table.rows):
        row_tag = (*tag, ("TBody", 0), ("TR", r))
        rows.append(Row(tuple([
            CellLines(*lines_of(cell.text, _style(cell, styles), room), cell.link, cell, (*row_tag, ("TD", c)),
                      cell.emphasis is OLD, cell.kind is NUMBER)
            for c, (cell, room) in enumerate(zip(cells, rooms))
        ]), r, leading))
    spanned = not rows
    if spanned:
        lines = lines_of(table.empty_text, styles.cell_missing, sum(widths) - 2 * design.CELL_PADDING)
        empty = CellLines(*lines, None, table, (*tag, ("TBody", 0), ("TR", 0), ("TD", 0)))
        rows.append(Row((empty,), 0, leading))
    return TableItem(widths, header, rows, spanned, table, tag)


def _style(cell, styles: Styles) -> TextStyle:
    if cell.kind is MISSING:
        return styles.cell_missing
    if cell.emphasis is not None:
        return styles.cell_old if cell.emphasis is OLD else styles.cell_new
    return styles.cell_link if cell.link else styles.cell


def _lines(text: str, style: TextStyle, room: float, min_size: float) -> tuple[tuple[Line, ...], TextStyle]:
    """A cell's lines `room` points wide (its column less the padding), and the style they are set
    in: a little smaller where that keeps a word whole."""
    lines = break_lines(text, metrics(style.font, style.size), room)
    if was_cut(lines):
        fitted = _fitted(style, text, room, min_size)
        if fitted is not style:
            style, lines = fitted, break_lines(text, metrics(fitted.font, fitted.size), room)
    return tuple(lines), style


def _fitted(style: TextStyle, text: str, room: float, min_size: float) -> TextStyle:
    """The style, or a slightly smaller size of it when that keeps the widest word whole.

    An ISO date or "Reviewed" can be a few points wider than a narrow column and would
    then break inside ("2025-06-0" / "1"). Shrinking down to the theme's min_table_font_size
    avoids that; a longer token (an URL, an ID) breaks at full size. The leading stays.
    """
    measure = metrics(style.font, style.size)
    widest = max(measure.word_widths(words(text)), default=0.0)
    if widest <= room:
        return style
    size = math.floor(style.size * room / widest * 20) / 20  # in steps of 0.05 pt, rounded down
    return style if size < min_size else replace(style, size=size)


# ---------------------------------------------------------------- placing


def place(item: TableItem, flow) -> None:
    """Rows onto pages: a row that does not fit moves on under a repeated header; only a row
    taller than a whole page is cut, between lines, into pieces."""
    gap = flow.gap(item.space_before)
    if not flow.at_top and gap + item.lead() > flow.room() + EPSILON:
        flow.new_page()
        gap = 0.0
    flow.y -= gap
    _draw_row(item, item.header, flow, first_on_page=True)
    repeated = None  # the header again on a later page: an artifact (read once), made when first needed
    rows = iter(item.rows)
    row = next(rows, None)
    while row is not None:
        room = flow.room()
        if row.height <= room + EPSILON:
            _draw_row(item, row, flow)
            row = next(rows, None)
            continue
        if item.header.height + row.height > flow.frame_height:
            lines = int((room - PADS + EPSILON) // row.leading)
            if lines >= 1:
                piece, row = row.split(lines)
                _draw_row(item, piece, flow)
        flow.new_page()
        if repeated is None:
            repeated = Row(tuple(replace(cell, tag=None) for cell in item.header.cells), -1, item.header.leading)
        _draw_row(item, repeated, flow, first_on_page=True)
    flow.after = item.space_after


def _draw_row(item: TableItem, row: Row, flow, first_on_page: bool = False) -> None:
    """A row's fill, text and grid."""
    theme = flow.theme
    top, height = flow.y, row.height
    bottom = top - height
    left = design.SIDE_MARGIN
    boxes = flow.boxes
    fill = theme.brand_color if row.index < 0 else (theme.page_color if row.index % 2 == 0 else theme.stripe_color)
    total = item.total
    boxes.append(Fill(left, bottom, total, height, fill))
    edges = [left, left + total] if item.spanned and row.index >= 0 else item.edges
    for cell, x0, x1 in zip(row.cells, edges, edges[1:]):
        _draw_cell(cell, x0, x1, top, bottom, row, boxes, theme.link_color)
    rule, color = theme.rule_width, theme.rule_color
    if first_on_page:
        boxes.append(Rule(left, top, left + total, top, rule, color))
    boxes.append(Rule(left, bottom, left + total, bottom, rule, color))
    boxes += [Rule(x, top, x, bottom, rule, color) for x in edges]
    flow.y = bottom
    flow.at_top = False


def _draw_cell(cell: CellLines, x0: float, x1: float, top: float, bottom: float, row: Row, boxes: list,
               link_color: str) -> None:
    """A cell's lines between `x0` and `x1`, flush left or right; a URL inside a cell's text is a link."""
    lines = cell.lines
    if not lines:
        return
    style, leading, node = cell.style, row.leading, cell.node
    if row.index < 0:  # header cells sit on the bottom, so headers of different heights align
        first = bottom + design.CELL_BOTTOM_PADDING + len(lines) * leading - style.size
    else:
        first = top - design.CELL_TOP_PADDING - style.size
    left = x0 + design.CELL_PADDING
    tag = (*cell.tag, ("Link", 0)) if cell.link and cell.tag else cell.tag
    spans = () if cell.link else getattr(node, "spans", ())
    pieces = urls.line_pieces(node.text, [line.text for line in lines], spans) if spans else None
    for number, line in enumerate(lines):
        y = first - number * leading
        start = x1 - design.CELL_PADDING - line.width if cell.right else left
        if cell.struck:  # through the middle of the lower-case letters, in the text's colour
            strike_y = y + style.size * STRIKE_HEIGHT
            boxes.append(Rule(start, strike_y, start + line.width, strike_y, STRIKE_WIDTH, style.color))
        text = line.text + " " if line.ends_at_space else line.text  # the space it was broken at
        if pieces is None:
            boxes.append(Text(start, y, text, style, tag, node))
            continue
        for begin, end, span in pieces[number]:
            piece = text[begin:] if end == len(line.text) else text[begin:end]
            dx = start + measure_width(text[:begin], style)
            if span is None:
                boxes.append(Text(dx, y, piece, style, tag, node))
                continue
            link_tag = (*tag, ("Link", span)) if tag else None
            boxes.append(Text(dx, y, piece, replace(style, color=link_color), link_tag, node))
            url = node.text[spans[span].start : spans[span].end]
            end_x = dx + measure_width(text[begin:end], style)
            boxes.append(Link(dx, y - (leading - style.size), end_x, y + style.size, url, False, url, link_tag))
    if cell.link:
        last = first - (len(lines) - 1) * leading
        widest = max(line.width for line in lines)
        boxes.append(Link(left, last - (leading - style.size), left + widest, first + style.size, cell.link, False, cell.link, tag))
