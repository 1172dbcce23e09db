"""PDF writer: draws a format-neutral Document as a US Letter PDF with reportlab platypus.

Text is set in the Bitstream Vera TrueType family that ships with reportlab, embedded, so
typographic quotes, dashes and ≤ ≥ ± µ print (the standard PDF fonts lack them). Every model
string is plain text: set as it is, past reportlab's paragraph markup, or escaped where it
goes into markup (a link, a title field's bold label).
The contents page and "Page X of Y" need page numbers that only the finished layout knows;
they are drawn as form XObjects, placed during the one layout pass and filled in after it
(_LateNumbers), instead of laying the story out again. The output is byte-reproducible: dates and
the file ID come from RenderOptions and the document, never from the clock or the environment.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import io
import math
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import reportlab
from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    FrameBreak,
    HRFlowable,
    Image,
    KeepTogether,
    ListFlowable,
    ListItem,
    PageBreak,
    PageTemplate,
    Spacer,
)
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus import Table as RLTable
from reportlab.platypus import TableStyle

from generator import __version__
from generator.document.model import (
    Block,
    BulletList,
    Cell,
    CellKind,
    Chart,
    Column,
    Document,
    Heading,
    Metadata,
    Paragraph,
    Table,
    TitleBlock,
    TitleField,
)
from generator.writers import RenderError, RenderOptions, chart_geometry, typeface
from generator.writers.pdfa import DocumentProperties, make_archival
from generator.writers.theme import Theme

# Fonts: one registered family, so <b> and <i> inside a paragraph pick the right face.
FONT = "Vera"
FONT_BOLD = "Vera-Bold"
FONT_ITALIC = "Vera-Italic"
FONT_BOLD_ITALIC = "Vera-BoldItalic"
_FONT_FILES = {
    FONT: "Vera.ttf",
    FONT_BOLD: "VeraBd.ttf",
    FONT_ITALIC: "VeraIt.ttf",
    FONT_BOLD_ITALIC: "VeraBI.ttf",
}

# Page geometry. The sides are narrower than the DOCX writer's 0.9": Vera is about a fifth
# wider than Calibri, and the tables (same column proportions as DOCX) need the room.
PAGE_WIDTH, PAGE_HEIGHT = LETTER
SIDE_MARGIN = 0.7 * inch
TOP_BOTTOM_MARGIN = 0.85 * inch
HEADER_FOOTER_DISTANCE = 0.45 * inch  # from the paper edge to the running header/footer baseline
FRAME_WIDTH = PAGE_WIDTH - 2 * SIDE_MARGIN
FRAME_HEIGHT = PAGE_HEIGHT - 2 * TOP_BOTTOM_MARGIN

CELL_PADDING = 3.0  # points, left and right alike (the read-back infers the right from the left)
CELL_TOP_PADDING = 3.0
CELL_BOTTOM_PADDING = 4.0

CONTENTS_TITLE = "Contents"
CREATOR = f"generator {__version__}"  # not reportlab's "anonymous"
PRODUCER = f"generator {__version__} PDF writer (ReportLab {reportlab.Version})"


def render(document: Document, options: RenderOptions) -> bytes:
    """Return the PDF bytes for `document`; the same inputs give the same bytes."""
    theme = options.theme
    _register_fonts()
    _check_glyphs(document, theme)
    out = io.BytesIO()
    template = _ReportTemplate(out, document, options.timestamp, theme)
    template.build(_story(document, _styles(theme)))
    return out.getvalue()


# ---------------------------------------------------------------- fonts and styles


@functools.cache
def _register_fonts() -> None:
    """Register the Vera family once per process; later calls return at once."""
    folder = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    for name, filename in _FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, os.path.join(folder, filename)))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC
    )


def _check_glyphs(document: Document, theme: Theme) -> None:
    """Refuse text the embedded font cannot draw: a box or a blank is a silently wrong value."""
    texts = (*document.texts(), *((theme.brand_name,) if theme.brand_name else ()))
    for text in texts:  # name the first text that has such characters
        absent = typeface.missing_characters(text)
        if absent:
            snippet = text if len(text) <= 60 else text[:57] + "..."
            raise RenderError(f"the PDF font ({typeface.FAMILY}) has no glyph for {typeface.describe(absent)} in {snippet!r}")


def _color(rgb_hex: str) -> colors.Color:
    return colors.HexColor("#" + rgb_hex)


@dataclass(frozen=True)
class _Styles:
    theme: Theme  # for what is not a paragraph style: rules, fills, the logo
    body: ParagraphStyle
    missing: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    field: ParagraphStyle
    contents_title: ParagraphStyle
    contents_levels: tuple[ParagraphStyle, ...]
    headings: tuple[ParagraphStyle, ...]  # index 0 is level 1
    cell: ParagraphStyle
    cell_missing: ParagraphStyle
    cell_header: ParagraphStyle
    brand_name: ParagraphStyle


@functools.lru_cache(maxsize=8)  # a few themes at most; each may hold a logo
def _styles(theme: Theme) -> _Styles:
    body = ParagraphStyle(
        "Body", fontName=FONT, fontSize=theme.body_font_size, leading=theme.body_font_size * 1.35,
        spaceAfter=6,
    )
    cell = ParagraphStyle(
        "Cell", fontName=FONT, fontSize=theme.table_font_size, leading=theme.table_font_size * 1.25
    )  # splitLongWords (reportlab's default) breaks a token wider than the cell, and only such a token
    brand = _color(theme.brand_color)
    grey = _color(theme.missing_color)
    return _Styles(
        theme=theme,
        body=body,
        missing=ParagraphStyle("Missing", body, fontName=FONT_ITALIC, textColor=grey),
        title=ParagraphStyle(
            "Title", body, fontName=FONT_BOLD, fontSize=theme.title_size, leading=theme.title_size * 1.2,
            textColor=brand, spaceAfter=8,
        ),
        subtitle=ParagraphStyle(
            "Subtitle", body, fontSize=theme.heading_size(2), leading=theme.heading_size(2) * 1.3,
            textColor=_color(theme.accent_color), spaceBefore=10, spaceAfter=12,
        ),
        field=ParagraphStyle("Field", body, spaceAfter=2),
        contents_title=_heading_style(1, theme),
        contents_levels=tuple(_contents_style(level, theme) for level in range(len(theme.heading_sizes))),
        headings=tuple(_heading_style(level, theme) for level in range(1, len(theme.heading_sizes) + 1)),
        cell=cell,
        cell_missing=ParagraphStyle("CellMissing", cell, fontName=FONT_ITALIC, textColor=grey),
        cell_header=ParagraphStyle(
            "CellHeader", cell, fontName=FONT_BOLD, textColor=_color(theme.header_text_color)
        ),
        brand_name=ParagraphStyle(
            "BrandName", body, fontName=FONT_BOLD, fontSize=theme.brand_name_size,
            leading=theme.brand_name_size * 1.25, textColor=brand, spaceAfter=10,
        ),
    )


def _heading_style(level: int, theme: Theme) -> ParagraphStyle:
    size = theme.heading_size(level)
    color = _color(theme.heading_color(level))
    return ParagraphStyle(
        f"Heading{level}", fontName=FONT_BOLD, fontSize=size, leading=size * 1.25, textColor=color,
        spaceBefore=(18, 14, 10, 8)[min(level, 4) - 1], spaceAfter=6 if level == 1 else 4,
        keepWithNext=1,  # never strand a heading at the bottom of a page
    )


def _contents_style(depth: int, theme: Theme) -> ParagraphStyle:
    return ParagraphStyle(
        f"Contents{depth}", fontName=FONT_BOLD if depth == 0 else FONT, fontSize=theme.body_font_size,
        leading=theme.body_font_size * 1.35, leftIndent=depth * 16, spaceBefore=6 if depth == 0 else 1,
        rightIndent=30,  # keeps a long entry clear of the page number column
    )


def _escape(text: str) -> str:
    """Plain text -> reportlab paragraph markup that prints exactly `text`."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escape_attribute(text: str) -> str:
    return _escape(text).replace('"', "&quot;")


class _Paragraph(RLParagraph):
    """A paragraph that breaks its lines once per width.

    A table measures every cell several times while laying out (and again when it splits
    at a page end), and a heading's keep-with-next group measures what follows it before
    the frame does; the lines depend on the width alone, so they are reused.
    """

    _wrapped: tuple[float, tuple[float, float]] | None = None  # (width, size) of the last wrap

    def wrap(self, avail_width, avail_height):
        # split drops the lines when it gives up on a page, so only lines still held count.
        if self._wrapped is None or self._wrapped[0] != avail_width or not hasattr(self, "blPara"):
            self._wrapped = avail_width, super().wrap(avail_width, avail_height)
        return self._wrapped[1]


def _plain_paragraph(text: str, style: ParagraphStyle, kind: type[RLParagraph] = _Paragraph, **kwargs) -> RLParagraph:
    """A paragraph of plain text, set without reportlab's markup parser.

    The parser is a third of a large table's layout time, and it cuts a text at every
    escaped & < > into fragments of their own, which send the line breaker down its slow
    path for mixed styles. The paragraph gets the one fragment that the text is.
    """
    if not text:
        return kind("", style, **kwargs)
    return kind(None, style, frags=[_plain_fragment(style).clone(text=text)], **kwargs)


@functools.lru_cache(maxsize=64)
def _plain_fragment(style: ParagraphStyle):
    """The fragment reportlab's parser makes of plain text in `style` (its text to be replaced)."""
    (fragment,) = RLParagraph("x", style).frags
    return fragment


# ---------------------------------------------------------------- the story


def _story(document: Document, styles: _Styles) -> list[Flowable]:
    """One flowable list for the whole document; the contents follow the title block (or open it)."""
    story: list[Flowable] = []
    contents_at = 0
    for block in document.blocks:
        story.extend(_block(block, styles))
        if isinstance(block, TitleBlock) and not contents_at:
            contents_at = len(story)
    headings = [f for f in story if isinstance(f, _HeadingParagraph)]
    depths = _outline_depths([heading.level for heading in headings])
    for number, (heading, depth) in enumerate(zip(headings, depths), start=1):
        heading.key, heading.depth = f"heading-{number}", depth  # bookmark names and outline levels
    if headings:
        story[contents_at:contents_at] = _contents(headings, styles)
    return story


def _outline_depths(levels: list[int]) -> list[int]:
    """Heading levels as outline depths: a PDF outline goes at most one level deeper at a time."""
    depths, previous = [], -1
    for level in levels:
        previous = min(level - 1, previous + 1)
        depths.append(previous)
    return depths


def _block(block: Block, styles: _Styles) -> list[Flowable]:
    for kind, draw in _BLOCK_WRITERS.items():
        if isinstance(block, kind):
            return draw(block, styles)
    raise TypeError(f"the PDF writer cannot draw {type(block).__name__}")


def _title_block(block: TitleBlock, styles: _Styles) -> list[Flowable]:
    theme = styles.theme
    flowables: list[Flowable] = [
        *_masthead(styles),
        _plain_paragraph(block.title, styles.title),
        HRFlowable(
            width="100%", thickness=theme.title_rule_width, color=_color(theme.brand_color), spaceBefore=0,
            spaceAfter=4,
        ),
    ]
    if block.subtitle:
        flowables.append(_plain_paragraph(block.subtitle, styles.subtitle))
    else:
        flowables.append(Spacer(1, 8))
    flowables.extend(_title_field(field, styles) for field in block.fields)
    return [KeepTogether(flowables)]


def _title_field(field: TitleField, styles: _Styles) -> RLParagraph:
    text = _escape(field.text)
    if field.missing:  # the same face and grey as a missing cell
        text = f'<font name="{FONT_ITALIC}" color="#{styles.theme.missing_color}">{text}</font>'
    return _Paragraph(f"<b>{_escape(field.label)}:</b> {text}", styles.field)


def _masthead(styles: _Styles) -> list[Flowable]:
    """The client's logo above the title; without a logo, the brand name (see the DOCX writer)."""
    theme = styles.theme
    flowables: list[Flowable] = []
    if theme.logo is not None:
        width, height = theme.logo.fitted(theme.logo_max_width, theme.logo_max_height)
        try:  # decoded once here, so a damaged file fails now, as one line, not in the middle of a layout
            ImageReader(io.BytesIO(theme.logo.data)).getRGBData()
        except Exception as error:  # whatever the image library says about a damaged file
            raise RenderError(f"the logo cannot be placed in the PDF: {error}") from None
        # mask="auto": a PNG's transparency is kept (its alpha channel becomes a soft mask).
        logo = Image(io.BytesIO(theme.logo.data), width=width, height=height, mask="auto", hAlign="LEFT")
        logo.spaceAfter = 14
        flowables.append(logo)
    elif theme.brand_name:
        flowables.append(_plain_paragraph(theme.brand_name, styles.brand_name))
    return flowables


def _contents(headings: list[_HeadingParagraph], styles: _Styles) -> list[Flowable]:
    """One line per heading, linked to it; dots and page number are filled in after layout."""
    levels = styles.contents_levels
    lines = [_ContentsLine(heading.key, heading.plain_text, levels[min(heading.depth, len(levels) - 1)]) for heading in headings]
    return [Spacer(1, 28), _plain_paragraph(CONTENTS_TITLE, styles.contents_title), *lines, PageBreak()]


class _ContentsLine(_Paragraph):
    """A heading's line in the contents; where its text ends, the dots and page number go."""

    def __init__(self, key: str, text: str, style: ParagraphStyle):
        markup = f'<a href="#{key}">{_escape(text)}</a><onDraw name="{_LateNumbers.CONTENTS_CALLBACK}" label="{key}"/>'
        super().__init__(markup, style)
        self.key = key


class _HeadingParagraph(_Paragraph):
    """A heading that bookmarks its own position when drawn (outline and contents link here)."""

    key: str | None = None  # None on the tail of a split heading: bookmark the first part only
    plain_text = ""
    level = 1
    depth = 0  # in the outline and the contents

    def draw(self) -> None:
        if self.key:
            self.canv.bookmarkHorizontal(self.key, 0, self.height)
        super().draw()

    def split(self, avail_width, avail_height):
        parts = super().split(avail_width, avail_height)
        if parts:
            parts[0].key, parts[0].plain_text, parts[0].level, parts[0].depth = self.key, self.plain_text, self.level, self.depth
        return parts


def _heading(block: Heading, styles: _Styles) -> list[Flowable]:
    level = max(1, block.level)
    paragraph = _plain_paragraph(block.text, styles.headings[min(level, len(styles.headings)) - 1], _HeadingParagraph)
    paragraph.plain_text, paragraph.level = block.text, level
    return [paragraph]  # _story sets the bookmark key


def _paragraph(block: Paragraph, styles: _Styles) -> list[Flowable]:
    return [_plain_paragraph(block.text, styles.missing if block.missing else styles.body)]


def _bullet_list(block: BulletList, styles: _Styles) -> list[Flowable]:
    items = [ListItem(_plain_paragraph(text, styles.body)) for text in block.items]
    if not items:
        return []  # reportlab cannot lay out an empty list
    return [
        ListFlowable(
            items, bulletType="bullet", start="\u2022", leftIndent=16, bulletFontName=FONT,
            bulletFontSize=styles.theme.body_font_size, bulletOffsetY=0, spaceAfter=6,
        )
    ]


# ---------------------------------------------------------------- tables


def column_widths(columns: tuple[Column, ...], total: float = FRAME_WIDTH) -> list[float]:
    """Column widths in points, proportional to Column.width, summing to `total`."""
    weight = sum(column.width for column in columns)
    return [total * column.width / weight for column in columns]


def _table(block: Table, styles: _Styles) -> list[Flowable]:
    """Table.title is not drawn: the composer puts a Heading before every table."""
    widths = column_widths(block.columns)
    min_size = styles.theme.min_table_font_size
    header = [_cell_paragraph(c.header, styles.cell_header, w, min_size) for c, w in zip(block.columns, widths)]
    if block.rows:
        body = [[_cell(cell, styles, width) for cell, width in zip(row, widths)] for row in block.rows]
        heights = [_row_height(row, widths) for row in (header, *body)]
    else:
        empty = _cell_paragraph(block.empty_text, styles.cell_missing, sum(widths), min_size)
        body = [[empty] + [""] * (len(block.columns) - 1)]
        heights = [_row_height(header, widths), None]  # a spanned cell: reportlab measures it
    # Cells as tuples of flowables: what reportlab makes of a cell it measures itself, and
    # what its split inside a row expects.
    rows = [[(cell,) if isinstance(cell, Flowable) else cell for cell in row] for row in (header, *body)]
    table = _ReportTable(
        rows, colWidths=widths, rowHeights=heights, repeatRows=1, hAlign="LEFT", spaceBefore=4, spaceAfter=10
    )
    table.setStyle(_table_style(styles.theme, spanned_empty_row=not block.rows))
    return [table]


def _row_height(row: list[RLParagraph], widths: list[float]) -> float:
    """A row's height, measured here once: reportlab measures every cell of a table again
    each time the table is wrapped or split, and a long table is both on every page."""
    # The width a cell's paragraph gets from reportlab, computed the same way (so its lines are reused).
    return CELL_TOP_PADDING + CELL_BOTTOM_PADDING + max(
        cell.wrap(width - CELL_PADDING - CELL_PADDING, FRAME_HEIGHT)[1] for cell, width in zip(row, widths)
    )


def _cell(cell: Cell, styles: _Styles, width: float) -> RLParagraph:
    min_size = styles.theme.min_table_font_size
    if cell.kind is CellKind.MISSING:
        return _cell_paragraph(cell.text, styles.cell_missing, width, min_size)
    # Blue without underline: an underline would run on under the space kept at a line end.
    color = styles.theme.link_color
    link = (f'<a href="{_escape_attribute(cell.link)}" color="#{color}">', "</a>") if cell.link else ("", "")
    return _cell_paragraph(cell.text, styles.cell, width, min_size, link)


def _cell_paragraph(
    text: str, style: ParagraphStyle, width: float, min_size: float, markup: tuple[str, str] = ("", "")
) -> RLParagraph:
    """`text`, escaped, between the opening and closing `markup` (e.g. a link's tags)."""
    style = _fitted(style, text, width - 2 * CELL_PADDING, min_size)
    if markup == ("", ""):
        return _plain_paragraph(text, style, _CellParagraph, plain=text)
    return _CellParagraph(markup[0] + _escape(text) + markup[1], style, plain=text)


def _fitted(style: ParagraphStyle, text: str, room: float, min_size: float) -> ParagraphStyle:
    """The style, or a slightly smaller size of it when that keeps the widest word whole.

    Vera is wide: an ISO date or "Reviewed" can be a few points wider than a narrow column,
    and reportlab would then break it inside ("2025-06-0" / "1"). Shrinking down to the
    theme's min_table_font_size avoids that; a longer token (an URL, an ID) breaks at full size.
    """
    if pdfmetrics.stringWidth(text, style.fontName, style.fontSize) <= room:
        return style  # most cells: no word is wider than the whole text
    widths = (pdfmetrics.stringWidth(word, style.fontName, style.fontSize) for word in text.split())
    widest = max(widths, default=0.0)
    if widest <= room:
        return style
    size = math.floor(style.fontSize * room / widest * 20) / 20  # in steps of 0.05 pt, rounded down
    if size < min_size:
        return style
    return ParagraphStyle(f"{style.name}@{size}", style, fontSize=size)  # same leading: rows stay even


class _ReportTable(RLTable):
    """A table that splits between rows, and inside a row only when that row (under the
    repeated header) is taller than a whole page. With
    reportlab's splitInRow alone, a row that merely does not fit the rest of a page is cut,
    and its tail drawn under a second header on the same page."""

    continued = False  # a later piece of a split table: it belongs on the next page

    def split(self, avail_width, avail_height):
        self.splitInRow = 0  # reportlab copies this into the pieces it makes; decide per split
        pieces = super().split(avail_width, avail_height)
        # No pieces: the frame moves the table on, where the row fits. A row taller than a
        # page is split, but a later piece is not split under a second header on the page
        # of its first piece: it waits for the top of the next page.
        if not pieces and self._first_row_overflows_a_page() and not (self.continued and not self._at_top_of_frame()):
            self.splitInRow = 1  # the minimum height, in points, of a piece of a split row
            pieces = super().split(avail_width, avail_height)
        for piece in pieces[1:]:
            piece.continued = True
        return pieces

    def _at_top_of_frame(self) -> bool:
        frame = getattr(self, "_frame", None)  # set by the frame that asks for the split
        return bool(getattr(frame, "_atTop", True))

    def _first_row_overflows_a_page(self) -> bool:
        header_rows = self.repeatRows if isinstance(self.repeatRows, int) else len(self.repeatRows)
        return sum(self._rowHeights[: header_rows + 1]) > FRAME_HEIGHT  # _rowHeights: set by split


class _CellParagraph(_Paragraph):
    """A table cell's paragraph that keeps the space each wrapped line was broken at.

    reportlab drops that space, so a reader cannot tell a line broken between two words
    from a long token split inside itself ("REFID_0123" / "4567"), and cannot give back
    the cell text exactly. The space is drawn (invisibly) at the end of the line: the page
    looks the same, and the PDF's text says where words end.
    """

    def __init__(self, text, style=None, *args, plain: str | None = None, **kwargs):
        super().__init__(text, style, *args, **kwargs)
        # The cell's text as drawn (spaces collapsed, as reportlab does), and where in it this
        # paragraph starts: a piece of a cell split over pages starts after the piece before.
        self.plain = None if plain is None else _WHITESPACE.sub(" ", plain).strip()
        self.offset: int | None = 0

    def split(self, avail_width, avail_height):
        pieces = super().split(avail_width, avail_height)  # a row taller than a page
        if len(pieces) == 2:
            first, rest = pieces
            first.plain, first.offset = self.plain, self.offset
            rest.plain, rest.offset = self.plain, self._offset_after(len(first.blPara.lines))
        return pieces

    def _offset_after(self, count: int) -> int | None:
        """Where in the cell's text the line after this paragraph's first `count` lines starts."""
        texts = _line_texts(self.blPara)
        walked = _walk(self.plain, texts[:count], self.offset) if texts and self.plain is not None else None
        return walked[1] if walked else None

    def drawOn(self, canvas, x, y, _sW=0):
        # A cell of plain text in one style (all but linked cells; left-aligned, no indents)
        # is a column of lines: one text object, without the two graphics states and the
        # translation that reportlab's general path sets up around every paragraph (a third
        # of a table's drawing time).
        para = self.blPara
        if para.kind != 0 or para.link or para.us_lines:
            return super().drawOn(canvas, x, y, _sW)
        x = self._hAlignAdjust(x, _sW)
        text = canvas.beginText(x, y + self.height - para.fontSize)  # line 1 where reportlab puts it
        text.setFont(para.fontName, para.fontSize, self.style.leading)
        text.setFillColor(para.textColor)
        for _, words in self._lines_to_draw():
            text.textLine(" ".join(words))
        canvas.saveState()  # the text colour ends with the cell
        canvas.drawText(text)
        canvas.restoreState()

    def drawPara(self, debug=0):  # a linked cell, drawn by reportlab: it makes the link
        original, self.blPara.lines = self.blPara.lines, self._lines_to_draw()
        try:
            return super().drawPara(debug)
        finally:
            self.blPara.lines = original

    def _lines_to_draw(self) -> list:
        return _lines_with_break_spaces(self.blPara, self.plain, self.offset) or self.blPara.lines


def _lines_with_break_spaces(para, plain: str | None, offset: int | None) -> list | None:
    """The broken lines with a trailing space on each line that ended at a space of `plain`
    (the last line of a piece of a cell split over pages too); None when the lines cannot be
    matched to the text (then nothing is added)."""
    texts = _line_texts(para)
    walked = _walk(plain, texts, offset) if plain is not None and offset is not None and texts else None
    if walked is None:
        return None
    marked = list(para.lines)
    for index, ends_at_space in enumerate(walked[0]):
        if ends_at_space:
            marked[index] = _with_trailing_space(para.kind, marked[index])
    return marked


_WHITESPACE = re.compile(r"[ \t\r\n\f\v]+")  # what reportlab's parser collapses to one space


def _line_texts(para) -> list[str] | None:
    if para.kind == 0:  # one style: (extra space, words) per line, drawn joined by spaces
        return [" ".join(words) for _, words in para.lines]
    if para.kind == 1 and all(hasattr(f, "text") for line in para.lines for f in line.words):
        return ["".join(f.text for f in line.words) for line in para.lines]  # mixed fragments
    return None


def _walk(plain: str, texts: list[str], position: int) -> tuple[list[bool], int] | None:
    """Follow the lines through `plain` from `position`: for each line, whether a space follows
    it there, and where the next line starts; None when they are not the text found there."""
    ends = []
    for text in texts:
        if not plain.startswith(text, position):
            return None
        position += len(text)
        ends.append(plain.startswith(" ", position))
        position += ends[-1]
    return ends, position


def _with_trailing_space(kind: int, line):
    if kind == 0:
        extra_space, words = line
        return extra_space, [*words, ""]
    last = line.words[-1]
    return line.clone(words=[*line.words[:-1], last.clone(text=last.text + " ")])


def _table_style(theme: Theme, spanned_empty_row: bool) -> TableStyle:
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),  # for the empty filler cells: else an unembedded Helvetica
        ("VALIGN", (0, 0), (-1, -1), "TOP"),  # reportlab's default is bottom
        ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),  # headers of different heights sit on one line
        ("BACKGROUND", (0, 0), (-1, 0), _color(theme.brand_color)),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [_color(theme.page_color), _color(theme.stripe_color)]),
        ("GRID", (0, 0), (-1, -1), theme.rule_width, _color(theme.rule_color)),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), CELL_TOP_PADDING),
        ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_BOTTOM_PADDING),
    ]
    if spanned_empty_row:
        commands.append(("SPAN", (0, 1), (-1, 1)))
    return TableStyle(commands)


def _chart(block: Chart, styles: _Styles) -> list[Flowable]:
    return [_ChartFlowable(block, styles.theme)]


class _ChartFlowable(Flowable):
    """A chart drawn as vectors: the shapes chart_geometry lays out, painted on the canvas."""

    def __init__(self, chart: Chart, theme: Theme) -> None:
        super().__init__()
        self.drawing = chart_geometry.chart_drawing(chart, theme, _measure)
        self.spaceBefore = self.spaceAfter = 6  # not Spacers: a heading's keepWithNext keeps it with the chart

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.drawing.width, self.drawing.height

    def draw(self) -> None:
        canvas = self.canv
        for shape in self.drawing.shapes:
            if isinstance(shape, chart_geometry.Rect):
                canvas.setFillColor(_color(shape.fill))
                canvas.rect(shape.x, shape.y, shape.width, shape.height, stroke=0, fill=1)
            elif isinstance(shape, chart_geometry.Segment):
                canvas.setStrokeColor(_color(shape.color))
                canvas.setLineWidth(shape.width)
                canvas.line(shape.x0, shape.y0, shape.x1, shape.y1)
            elif isinstance(shape, chart_geometry.Dot):
                canvas.setFillColor(_color(shape.fill))
                canvas.circle(shape.x, shape.y, shape.radius, stroke=0, fill=1)
            else:
                canvas.setFillColor(_color(shape.color))
                canvas.setFont(FONT_BOLD if shape.bold else FONT, shape.size)
                draw_text = {"left": canvas.drawString, "right": canvas.drawRightString}.get(shape.align, canvas.drawCentredString)
                draw_text(shape.x, shape.y, shape.text)


def _measure(text: str, size: float, bold: bool) -> float:
    return pdfmetrics.stringWidth(text, FONT_BOLD if bold else FONT, size)


_BLOCK_WRITERS = {
    TitleBlock: _title_block,
    Chart: _chart,
    Heading: _heading,
    Paragraph: _paragraph,
    BulletList: _bullet_list,
    Table: _table,
}


# ---------------------------------------------------------------- page furniture


def _draw_running_header(canvas: Canvas, metadata: Metadata, theme: Theme) -> None:
    """The title over a thin rule."""
    canvas.saveState()
    canvas.setFillColor(_color(theme.running_text_color))
    header_y = PAGE_HEIGHT - HEADER_FOOTER_DISTANCE
    size = _fitting_size(metadata.title, FONT, FRAME_WIDTH, theme)
    canvas.setFont(FONT, size)
    canvas.drawString(SIDE_MARGIN, header_y, _clipped(metadata.title, size, FRAME_WIDTH))
    canvas.setStrokeColor(_color(theme.rule_color))
    canvas.setLineWidth(theme.rule_width)
    canvas.line(SIDE_MARGIN, header_y - 4, PAGE_WIDTH - SIDE_MARGIN, header_y - 4)
    canvas.restoreState()


def _draw_running_footer(canvas: Canvas, metadata: Metadata, theme: Theme, page: int, total: int) -> None:
    """Brand, version, as-of date and Page X of Y, centred."""
    canvas.setFillColor(_color(theme.running_text_color))
    footer = f"{theme.running_footer(metadata.version, metadata.as_of.isoformat())}{page} of {total}"
    size = _fitting_size(footer, FONT, FRAME_WIDTH, theme)
    canvas.setFont(FONT, size)
    canvas.drawCentredString(PAGE_WIDTH / 2, HEADER_FOOTER_DISTANCE, _clipped(footer, size, FRAME_WIDTH))


def _fitting_size(text: str, font: str, width: float, theme: Theme) -> float:
    """The running font size, shrunk (down to a floor) so a long title stays on one line."""
    natural = pdfmetrics.stringWidth(text, font, theme.running_font_size)
    if natural <= width:
        return theme.running_font_size
    return max(theme.running_min_font_size, theme.running_font_size * width / natural)


def _clipped(text: str, size: float, width: float) -> str:
    """Cut with an ellipsis only when even the smallest size does not fit."""
    if pdfmetrics.stringWidth(text, FONT, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "\u2026", FONT, size) > width:
        text = text[:-1]
    return text + "\u2026"


# ---------------------------------------------------------------- the file ID


def _fingerprint(document: Document, theme: Theme) -> bytes:
    """What the file ID is derived from: the content and its look (a rebranded file gets a new ID)."""
    digest = hashlib.sha256(repr(document).encode())
    digest.update(repr(dataclasses.replace(theme, logo=None)).encode())
    digest.update(theme.logo.data if theme.logo else b"")
    return digest.digest()


# ---------------------------------------------------------------- the document template


class _ReportTemplate(BaseDocTemplate):
    """Pages with running header and footer; headings feed the outline and the contents.

    The story is laid out once; the numbers it cannot know yet (the page total in every
    footer, each heading's page in the contents) are filled in after the last page.
    """

    def __init__(self, out: io.BytesIO, document: Document, timestamp: datetime, theme: Theme):
        metadata = document.metadata
        super().__init__(
            out,
            pagesize=LETTER,
            leftMargin=SIDE_MARGIN,
            rightMargin=SIDE_MARGIN,
            topMargin=TOP_BOTTOM_MARGIN,
            bottomMargin=TOP_BOTTOM_MARGIN,
            invariant=1,
            initialFontName=FONT,  # else every page would reference an unembedded Helvetica
            initialFontSize=theme.body_font_size,
            keepTogetherClass=_KeepWithNext,  # what keepWithNext groups a heading into
        )
        self.metadata = metadata
        self.theme = theme
        self.numbers = _LateNumbers()
        self.timestamp = timestamp
        self.fingerprint = _fingerprint(document, theme)
        frame = Frame(
            SIDE_MARGIN, TOP_BOTTOM_MARGIN, FRAME_WIDTH, FRAME_HEIGHT, id="body",
            leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0,
        )
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._on_page)])

    def build(self, flowables, canvasmaker=None, **kwargs):
        self._doSave = 0  # saved below, once the late numbers are drawn
        super().build(flowables, **kwargs)
        self.numbers.draw(self.canv, lambda canvas, page, total: _draw_running_footer(canvas, self.metadata, self.theme, page, total))
        properties = DocumentProperties(
            title=self.metadata.title, author=self.metadata.author, subject=self.metadata.subject,
            keywords=self.metadata.keywords, language="en-US", creator=CREATOR, producer=PRODUCER,
        )  # language: the spec's `language` field comes with the PDF engine (issue 13)
        make_archival(self.canv, properties, timestamp=self.timestamp, fingerprint=self.fingerprint)
        self.canv.save()

    def beforeDocument(self) -> None:
        self.canv.setNamedCB(_LateNumbers.CONTENTS_CALLBACK, self.numbers.place_contents_number)

    def _on_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        _draw_running_header(canvas, self.metadata, self.theme)
        self.numbers.place_footer(canvas, canvas.getPageNumber())

    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, _HeadingParagraph) and flowable.key:
            self.canv.addOutlineEntry(flowable.plain_text, flowable.key, level=flowable.depth, closed=False)
            self.numbers.heading_pages[flowable.key] = self.page
        elif isinstance(flowable, _ContentsLine):
            self.numbers.contents_styles[flowable.key] = flowable.style


class _LateNumbers:
    """Page numbers placed on pages laid out before the numbers are known.

    Each place gets a form XObject, named now and drawn (defined) after the last page: a
    footer's "Page X of Y" needs the page total; a contents line's dots and number need the
    page its heading landed on. A PDF may define a form after the pages that use it.
    """

    CONTENTS_CALLBACK = "contentsNumber"  # <onDraw> name: reportlab calls it where a contents line ends
    DOT = " . "

    def __init__(self) -> None:
        self.footers = 0  # pages placed
        self.heading_pages: dict[str, int] = {}
        self.contents_styles: dict[str, ParagraphStyle] = {}
        self.contents_ends: dict[str, tuple[float, float]] = {}  # key -> where its text ended (x, y)

    def place_footer(self, canvas: Canvas, page: int) -> None:
        self.footers = max(self.footers, page)
        canvas.doForm(f"footer-{page}")

    def place_contents_number(self, canvas: Canvas, kind: str, key: str) -> None:
        self.contents_ends[key] = canvas._curr_tx_info["cur_x"], canvas._curr_tx_info["cur_y"]
        canvas.doForm(f"contents-{key}")

    def draw(self, canvas: Canvas, footer: Callable[[Canvas, int, int], None]) -> None:
        for page in range(1, self.footers + 1):
            canvas.beginForm(f"footer-{page}")
            footer(canvas, page, self.footers)
            canvas.endForm()
        for key, (x, y) in self.contents_ends.items():
            # Form space is the line's own: an unbounded box, so nothing drawn there is clipped.
            canvas.beginForm(f"contents-{key}", -PAGE_WIDTH, -PAGE_HEIGHT, 2 * PAGE_WIDTH, 2 * PAGE_HEIGHT)
            self._draw_leader(canvas, self.contents_styles[key], x, y, str(self.heading_pages[key]))
            canvas.endForm()

    def _draw_leader(self, canvas: Canvas, style: ParagraphStyle, x: float, y: float, number: str) -> None:
        """Dots from the end of the text to the page number, set flush right (as reportlab's own contents do)."""
        width = pdfmetrics.stringWidth(number, style.fontName, style.fontSize)
        dot = pdfmetrics.stringWidth(self.DOT, style.fontName, style.fontSize)
        dots = max(0, int((FRAME_WIDTH - x - width) / dot))
        canvas.setFont(style.fontName, style.fontSize)
        canvas.setFillColor(style.textColor)
        canvas.drawString(FRAME_WIDTH - dots * dot - width, y, self.DOT * dots + number)


class _KeepWithNext(KeepTogether):
    """What keepWithNext makes of a heading (or headings) and the flowable after it.

    reportlab's KeepTogether moves the whole group to the next page when it does not fit,
    which leaves most of a page blank before any long table. Here the group moves only
    when not even the first part of the follower (a table's header and first row, a
    paragraph's first line) fits under the heading: a heading is never left alone at the
    bottom of a page, and a long table starts right under its heading.
    """

    def split(self, avail_width, avail_height):
        content = list(self._content)
        frame = getattr(self, "_frame", None)
        at_top = bool(getattr(frame, "_atTop", False))
        if at_top or _stack_height(content, avail_width, self.canv) <= avail_height:
            return content  # at the top of a page, moving on would not help
        *lead, follower = content
        room = avail_height - _stack_height(lead, avail_width, self.canv) - follower.getSpaceBefore()
        if room > 0 and follower.splitOn(self.canv, avail_width, room):
            return content
        return [FrameBreak(), *content]


def _stack_height(flowables: list[Flowable], width: float, canvas: Canvas) -> float:
    """Height of flowables set one under the other, counting every space (an upper bound)."""
    height = 0.0
    for flowable in flowables:
        height += flowable.wrapOn(canvas, width, PAGE_HEIGHT)[1]
        height += flowable.getSpaceBefore() + flowable.getSpaceAfter()
    return height
