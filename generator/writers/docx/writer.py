"""DOCX writer: draws a format-neutral Document as a Word file.

python-docx sets up the package once per theme (template_build.py: page, styles, the
running header's and footer's formatting, the masthead; template.py keeps it in the part
cache). A report's body, running header and footer, hyperlink relationships and core
properties are then written as text into that package (wordml.py, properties.py), without
python-docx: building them through python-docx's proxies and saving the package with
python-docx for every report took several times as long as the whole render does now. The
text also carries what python-docx has no API for: hyperlinks, fields (TOC, PAGE, NUMPAGES),
repeating header rows and reliable column widths (see docs/design.md). The output is
byte-reproducible: every timestamp comes from RenderOptions and the zip is written by zip_parts.
"""

from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass

from generator.document.model import (
    ENCLOSURE_LABEL,
    RE_LABEL,
    Block,
    BulletList,
    Cell,
    CellKind,
    Chart,
    Column,
    Document,
    Emphasis,
    Heading,
    Letter,
    Metadata,
    Paragraph,
    Span,
    Table,
    TitleBlock,
    TitleField,
    pieces,
)
from generator.writers import RenderOptions, design
from generator.writers.docx import sections, wordml
from generator.writers.docx.charts import Charts
from generator.writers.docx.geometry import (
    CELL_MARGIN_TWIPS,
    LANDSCAPE_TEXT_WIDTH,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    TEXT_WIDTH,
    TOP_BOTTOM_MARGIN,
    half_points,
    points_of,
    twips,
    twips_of,
)
from generator.writers.docx.properties import core_properties
from generator.writers.docx.styles import (
    CONTENTS_STYLE,
    HYPERLINK_STYLE,
    STYLE_IDS,
    TABLE_STYLE,
    TABLE_TEXT_STYLE,
    TOC_DEPTH,
    toc_style_name,
)
from generator.writers.docx.template import CONTENT_TYPES, prepared_template
from generator.writers.pdf.layout import heading_pages
from generator.writers.theme import Theme
from generator.writers.ziputil import zip_parts

TOC_INSTRUCTION = f'TOC \\o "1-{TOC_DEPTH}" \\h \\z \\u'
TOC_PLACEHOLDER = "Right-click and choose Update Field to show the table of contents."
CONTENTS_TITLE = "Contents"
HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"  # its relationship type


def render(document: Document, options: RenderOptions) -> bytes:
    """Return the DOCX bytes for `document`; the same inputs give the same bytes."""
    theme, metadata = options.theme, document.metadata
    template = prepared_template(theme, masthead=any(isinstance(block, TitleBlock) for block in document.blocks))
    charts = Charts(theme, options.timestamp)
    context = _Context(
        theme, _Links(template.first_link_id), template.masthead, charts, template.section, heading_pages(document, theme)
    )
    body = _body(document.blocks, context, document.contents)  # before the relationships: it adds the hyperlinks and charts
    filled = {
        template.body.name: template.body.fill(body),
        template.header.name: template.header.fill(_running_header(metadata, theme)),
        template.footer.name: template.footer.fill(_running_footer(metadata, theme)),
        template.relationships.name: template.relationships.fill(context.links.relationships() + charts.relationships()),
        CONTENT_TYPES: charts.content_types(template.parts[CONTENT_TYPES]),
        template.core_properties: core_properties(metadata, options.timestamp),
    }
    return zip_parts({**template.parts, **filled, **charts.parts()}.items(), options.timestamp)


class _Links:
    """The report's external hyperlinks: one relationship per URL, numbered after the template's."""

    def __init__(self, first_id: int) -> None:
        self._first_id = first_id
        self._ids: dict[str, str] = {}

    def relationship_id(self, url: str) -> str:
        if url not in self._ids:
            self._ids[url] = f"rId{self._first_id + len(self._ids)}"
        return self._ids[url]

    def relationships(self) -> str:
        return "".join(
            f'<Relationship Id="{r_id}" Type="{HYPERLINK}" Target="{wordml.escape_attribute(url)}"'
            ' TargetMode="External"/>'
            for url, r_id in self._ids.items()
        )


@dataclass(frozen=True)
class _Context:
    """What the block writers share while writing one report."""

    theme: Theme
    links: _Links
    masthead: str  # the paragraph that opens the title block
    charts: Charts  # the report's chart parts, collected as the body places them
    section: str  # the template's section properties (w:sectPr)
    pages: dict[int, int]  # {index of a Heading block: its page}, from the PDF engine's layout
    landscape: bool = False  # the block being written is on a landscape page


# ---------------------------------------------------------------- running header and footer


def _running_header(metadata: Metadata, theme: Theme) -> str:
    return wordml.run(metadata.title, _running_properties(theme))


def _running_footer(metadata: Metadata, theme: Theme) -> str:
    properties = _running_properties(theme)
    text = theme.running_footer(metadata.version, metadata.as_of.isoformat())
    return (
        wordml.run(text, properties)
        + wordml.field("PAGE", "1", properties)
        + wordml.run(" of ", properties)
        + wordml.field("NUMPAGES", "1", properties)
    )


def _running_properties(theme: Theme) -> str:
    return f'<w:color w:val="{theme.running_text_color}"/><w:sz w:val="{half_points(theme.running_font_size)}"/>'


# ---------------------------------------------------------------- body


def _body(blocks: tuple[Block, ...], context: _Context, contents: bool = True) -> str:
    """Every block, then the last section's properties. A title block is the cover; the
    contents follow it (or open the body) on a page of their own, and the body starts on
    the next page; a packet's cover letter comes before them all, and `contents` False leaves
    them out (a memo). A landscape table, with the heading and prose that lead to it, gets a
    section of its own."""
    written = []
    ordinals = itertools.count()  # one bookmark per heading, numbered as _toc_entries numbers them
    contents_written = not contents
    new_page = False  # the next block starts a page
    section = context.section  # of the section being written; the first keeps the cover's blank page
    turned = False  # the section being written is landscape
    landscape = design.landscape_runs(blocks)
    for index, block in enumerate(blocks):
        if not contents_written and not isinstance(block, (Letter, TitleBlock)):
            written.append(_contents(_toc_entries(blocks, context.pages), context.theme, new_page))
            contents_written = new_page = True
        if index in landscape:
            written.append(sections.section_break(section))
            section, new_page, turned = sections.landscape(context.section), False, True
        if isinstance(block, Heading):
            written.append(_heading(block, next(ordinals), new_page))
        else:
            written.append(_page_break() if new_page else "")
            if isinstance(block, TitleBlock) and contents:  # a cover: its title block set lower on the page
                written.append(_cover_drop())
            written.append(_block(block, dataclasses.replace(context, landscape=turned)))
        new_page = isinstance(block, TitleBlock) and contents  # a memo runs on under its heading
        if index + 1 in landscape.values():
            written.append(sections.section_break(section))
            section, turned = sections.later(context.section), False
    if not contents_written:
        written.append(_contents(_toc_entries(blocks, context.pages), context.theme, new_page))
    return "".join(written) + section


def _cover_drop() -> str:
    """An empty paragraph exactly design.COVER_DROP high, as the PDF leaves that space."""
    return wordml.paragraph(properties=f'<w:spacing w:before="0" w:after="0" w:line="{twips(design.COVER_DROP)}" w:lineRule="exact"/>')


def _page_break() -> str:
    """An empty paragraph that starts a page: before a block that is not a paragraph of its own."""
    return wordml.paragraph(properties="<w:pageBreakBefore/>")


def _block(block: Block, context: _Context) -> str:
    writer = _BLOCK_WRITERS.get(type(block))
    if writer is None:  # a new block kind must get a writer, not vanish silently
        raise TypeError(f"the DOCX writer cannot draw {type(block).__name__}")
    return writer(block, context)


def _title_block(block: TitleBlock, context: _Context) -> str:
    """The cover, and its notices on the page after it (the back of the cover)."""
    subtitle = _styled_paragraph("Subtitle", block.subtitle) if block.subtitle else ""
    fields = "".join(_title_field(field, context.theme) for field in block.fields)
    notices = "".join(
        wordml.paragraph(wordml.run(notice, _notice_properties(context.theme)), "<w:pageBreakBefore/>" if number == 0 else "")
        for number, notice in enumerate(block.notices)
    )
    return context.masthead + _styled_paragraph("Title", block.title) + subtitle + fields + notices


def _notice_properties(theme: Theme) -> str:
    return f'<w:sz w:val="{half_points(theme.table_font_size)}"/>'


_TITLE_FIELD_PROPERTIES = f'<w:keepNext/><w:spacing w:after="{twips(2)}"/>'


def _title_field(field: TitleField, theme: Theme) -> str:
    label = wordml.run(f"{field.label}:", "<w:b/>") + wordml.run(" ")
    return wordml.paragraph(label + wordml.run(field.text, _missing_if(field.missing, theme)), _TITLE_FIELD_PROPERTIES)


_LETTER_GAP = f'<w:spacing w:after="{twips(12)}"/>'
_LETTER_LINE = '<w:spacing w:after="0"/>'
_RE_INDENT = f'<w:ind w:left="{twips(36)}" w:hanging="{twips(36)}"/>'


def _letter(block: Letter, context: _Context) -> str:
    """A letter on a page of its own: date, addressee, "Re:" block, body, signature,
    enclosure line and the document ID in small print."""
    lines = [wordml.paragraph(wordml.run(block.date), _LETTER_GAP)]
    lines += _line_group(block.addressee)
    reference = wordml.run(f"{RE_LABEL}:", "<w:b/>") + wordml.run("\t" + "\n".join(block.reference), "<w:b/>")
    lines.append(wordml.paragraph(reference, _RE_INDENT + _LETTER_GAP))
    lines += [wordml.paragraph(wordml.run(text)) for text in block.body]
    lines.append(wordml.paragraph(wordml.run(block.closing), f'<w:spacing w:after="{twips(30)}"/>'))
    lines += _line_group(block.signature)
    lines.append(wordml.paragraph(wordml.run(f"{ENCLOSURE_LABEL}: {block.enclosure}"), _LETTER_GAP))
    small = f'<w:color w:val="{context.theme.missing_color}"/><w:sz w:val="{half_points(context.theme.running_font_size)}"/>'
    lines.append(wordml.paragraph(wordml.run(block.document_id, small)))
    # The letter is a section of its own, so the page after it (the cover) is again a section's
    # first page: without running header and footer, as the letter's page and a report's cover.
    lines.append(sections.section_break(context.section))
    return "".join(lines)


def _line_group(texts: tuple[str, ...]) -> list[str]:
    """Lines set close together, with a gap after the last."""
    return [wordml.paragraph(wordml.run(text), _LETTER_GAP if i == len(texts) - 1 else _LETTER_LINE) for i, text in enumerate(texts)]


def _heading(block: Heading, ordinal: int, new_page: bool = False) -> str:
    """The heading's text inside a bookmark: the target of a TOC link (and of Word's PAGEREFs)."""
    level = min(max(block.level, 1), 9)  # Word has Heading 1..9
    content = (
        f'<w:bookmarkStart w:id="{ordinal}" w:name="{_bookmark_name(ordinal)}"/>'
        + wordml.run(block.text)
        + f'<w:bookmarkEnd w:id="{ordinal}"/>'
    )
    page_break = "<w:pageBreakBefore/>" if new_page else ""  # the schema puts it after keepNext
    return wordml.paragraph(content, _style(f"Heading {level}") + "<w:keepNext/>" + page_break)


def _paragraph(block: Paragraph, context: _Context) -> str:
    return wordml.paragraph(
        _linked_runs(block.text, block.spans, _missing_if(block.missing, context.theme), context), _measure(context)
    )


def _bullets(block: BulletList, context: _Context) -> str:
    spans = block.spans or ((),) * len(block.items)
    return "".join(
        wordml.paragraph(_linked_runs(item, item_spans, "", context), _style("List Bullet") + _measure(context))
        for item, item_spans in zip(block.items, spans)
    )


def _measure(context: _Context) -> str:
    """Running text stops at the body measure (design.body_measure), as in the PDF; tables use the full width."""
    frame = design.LANDSCAPE_FRAME_WIDTH if context.landscape else design.FRAME_WIDTH
    return f'<w:ind w:right="{twips(frame - design.body_measure(context.theme.body_font_size))}"/>'


def _styled_paragraph(style_name: str, text: str) -> str:
    return wordml.paragraph(wordml.run(text) if text else "", _style(style_name))


def _style(style_name: str) -> str:
    return f'<w:pStyle w:val="{STYLE_IDS[style_name]}"/>'


def _missing_if(missing: bool, theme: Theme) -> str:
    return _missing_properties(theme) if missing else ""


def _missing_properties(theme: Theme) -> str:
    """Grey italics for the missing-data sentence (the schema orders w:i before w:color)."""
    return f'<w:i/><w:color w:val="{theme.missing_color}"/>'


# ---------------------------------------------------------------- table of contents


@dataclass(frozen=True)
class _TocEntry:
    """A line of the DOCX contents: the heading, its bookmark and its page."""

    level: int
    text: str
    bookmark: str
    page: int


def _bookmark_name(ordinal: int) -> str:
    return f"_Toc{ordinal + 1:08d}"  # Word's own prefix: hidden from its bookmark list


def _toc_entries(blocks: tuple[Block, ...], pages: dict[int, int]) -> list[_TocEntry]:
    """The headings the TOC field lists, numbered exactly as _body numbers them, with their pages."""
    headings = [(index, block) for index, block in enumerate(blocks) if isinstance(block, Heading)]
    return [
        _TocEntry(heading.level, heading.text, _bookmark_name(ordinal), pages[index])
        for ordinal, (index, heading) in enumerate(headings)
        if heading.level <= TOC_DEPTH
    ]


def _contents(entries: list[_TocEntry], theme: Theme, new_page: bool) -> str:
    """A real TOC field. Its cached result, which LibreOffice shows as it stands, lists the
    headings as links with the pages our own layout gave them (writers/pdf: the page
    geometry and typeface are the DOCX's too); Word recomputes the entries from its own
    layout when it updates fields (the dirty flag makes it offer to on open)."""
    page_break = "<w:pageBreakBefore/>" if new_page else ""
    title = wordml.paragraph(wordml.run(CONTENTS_TITLE), _style(CONTENTS_STYLE) + page_break)
    if not entries:
        placeholder = wordml.field(TOC_INSTRUCTION, TOC_PLACEHOLDER, _missing_properties(theme), dirty=True)
        return title + wordml.paragraph(placeholder)
    last = len(entries) - 1
    return title + "".join(_toc_entry(entry, index == 0, index == last) for index, entry in enumerate(entries))


def _toc_entry(entry: _TocEntry, first: bool, last: bool) -> str:
    """One heading's line, linked to its bookmark; the first opens the field and the last closes it."""
    begin = wordml.field_begin(TOC_INSTRUCTION, dirty=True) if first else ""
    shown = wordml.run(entry.text) + wordml.run("\t") + wordml.run(str(entry.page))  # the style's dotted tab
    link = wordml.element("w:hyperlink", shown, f' w:anchor="{entry.bookmark}" w:history="1"')
    end = wordml.field_end() if last else ""
    return wordml.paragraph(begin + link + end, _style(toc_style_name(entry.level)))


# ---------------------------------------------------------------- tables


def _table(block: Table, context: _Context) -> str:
    """Table.title is not drawn: the composer puts a Heading before each table. A table that
    fits on a page is kept on one (every row but the last kept with the next)."""
    theme = context.theme
    landscape = context.landscape
    widths = _column_widths(block.columns, LANDSCAPE_TEXT_WIDTH if landscape else TEXT_WIDTH)
    numeric = block.numeric_columns()
    together = _fits_on_a_page(block, widths, theme, (PAGE_WIDTH if landscape else PAGE_HEIGHT) - 2 * TOP_BOTTOM_MARGIN)
    last = len(block.rows) - 1
    rows = [_header_row(block.columns, widths, theme, numeric)]
    rows += [
        _body_row(cells, widths, context, striped=index % 2 == 1, keep_with_next=together and index < last)
        for index, cells in enumerate(block.rows)
    ]
    if not block.rows:
        rows.append(_empty_row(block.empty_text, widths, theme))
    return wordml.element("w:tbl", _table_properties(widths) + _grid(widths) + "".join(rows)) + _TABLE_SPACER


# An estimate of a table's height, erring towards "too tall" (a table thought too tall may
# split as any table does; one thought short is pulled whole onto the next page).
_AVERAGE_CHARACTER = 0.5  # ems: Carlito's lower-case letters average a little less
_CELL_PADDING_POINTS = (CELL_MARGIN_TWIPS["top"] + CELL_MARGIN_TWIPS["bottom"]) / 20 + 1


def _fits_on_a_page(block: Table, widths: list[int], theme: Theme, text_height: int) -> bool:
    line = theme.table_font_size * 1.25
    room = points_of(text_height) - 4 * line  # less a heading's room
    height = 0.0
    for cells in (tuple(Cell(column.header) for column in block.columns), *block.rows):
        lines = max(
            (_line_count(cell.text, (width - CELL_MARGIN_TWIPS["left"] - CELL_MARGIN_TWIPS["right"]) / 20, theme)
             for cell, width in zip(cells, widths)),
            default=1,
        )
        height += lines * line + _CELL_PADDING_POINTS
        if height > room:
            return False  # the rows below cannot make it fit
    return True


def _line_count(text: str, points: float, theme: Theme) -> int:
    """Lines of `text` wrapped greedily at words into `points`, at an average character width."""
    capacity = max(1, int(points / (theme.table_font_size * _AVERAGE_CHARACTER)))
    lines, used = 1, 0
    for word in text.split():
        if used and used + 1 + len(word) > capacity:
            lines, used = lines + 1, 0
        used += (1 if used else 0) + len(word)
        while used > capacity:  # a word longer than the column wraps inside it
            lines, used = lines + 1, used - capacity
    return lines


# A short empty paragraph after each table: Word would fuse two adjacent
# tables into one, and text right below a grid looks cramped.
_TABLE_SPACER = wordml.paragraph(
    properties=f'<w:spacing w:before="0" w:after="0" w:line="{twips(6)}" w:lineRule="exact"/>'
)


def _column_widths(columns: tuple[Column, ...], text_width: int) -> list[int]:
    """Column widths in twips, proportional to Column.width, summing to the text width (EMU)."""
    total = twips_of(text_width)
    widths = [int(width) for width in design.column_widths([column.width for column in columns], total)]
    widths[-1] += total - sum(widths)  # rounding leftovers go to the last column
    return widths


def _table_properties(widths: list[int]) -> str:
    """Fixed layout + tblW + tblGrid: Word and LibreOffice then keep the widths
    and wrap long unbreakable tokens inside the cell instead of widening it."""
    return (
        f'<w:tblPr><w:tblStyle w:val="{STYLE_IDS[TABLE_STYLE]}"/><w:tblW w:type="dxa" w:w="{sum(widths)}"/>'
        f'<w:tblLayout w:type="fixed"/>{_TABLE_LOOK}</w:tblPr>'
    )


# The first row is the header; no style banding, as the stripes are drawn directly.
_TABLE_LOOK = (
    '<w:tblLook w:firstColumn="0" w:firstRow="1" w:lastColumn="0" w:lastRow="0" w:noHBand="1" w:noVBand="1"'
    ' w:val="0620"/>'
)


def _grid(widths: list[int]) -> str:
    return wordml.element("w:tblGrid", "".join(f'<w:gridCol w:w="{width}"/>' for width in widths))


def _header_row(columns: tuple[Column, ...], widths: list[int], theme: Theme, numeric: frozenset[int]) -> str:
    """Repeated on every page the table spans, and kept with the first body row; a numeric
    column's header is right-aligned like its numbers."""
    properties = f'<w:b/><w:color w:val="{theme.header_text_color}"/>'
    cells = [
        _cell_paragraph(wordml.run(column.header, properties), keep_with_next=True, right=index in numeric)
        for index, column in enumerate(columns)
    ]
    return _row(cells, widths, theme.brand_color, header=True)


def _body_row(cells: tuple[Cell, ...], widths: list[int], context: _Context, striped: bool, keep_with_next: bool) -> str:
    contents = [
        _cell_paragraph(_cell_runs(cell, context), keep_with_next, right=cell.kind is CellKind.NUMBER) for cell in cells
    ]
    return _row(contents, widths, context.theme.stripe_color if striped else None)


def _cell_runs(cell: Cell, context: _Context) -> str:
    """A cell's text, its dates and codes kept whole on a line (a cell is narrow)."""
    missing = _cell_properties(cell, context.theme)
    if not cell.link:
        return _linked_runs(cell.text, cell.spans, missing, context, whole_words=True)
    return _hyperlink(cell.text, cell.link, missing, context, whole_words=True)


def _linked_runs(text: str, spans: tuple[Span, ...], properties: str, context: _Context, whole_words: bool = False) -> str:
    """`text` as runs, each URL inside it (`spans`) a hyperlink to itself."""
    if not spans:
        return wordml.run(text, properties, whole_words) if text else ""
    return "".join(
        _hyperlink(piece, url, properties, context, whole_words) if url else wordml.run(piece, properties, whole_words)
        for piece, url in pieces(text, spans)
    )


def _hyperlink(text: str, url: str, properties: str, context: _Context, whole_words: bool = False) -> str:
    """A real external hyperlink: python-docx has no API for one (issue #74)."""
    run = wordml.run(text, f'<w:rStyle w:val="{STYLE_IDS[HYPERLINK_STYLE]}"/>{properties}', whole_words)
    relationship = context.links.relationship_id(url)
    return wordml.element("w:hyperlink", run, f' r:id="{relationship}" w:history="1"')


def _cell_properties(cell: Cell, theme: Theme) -> str:
    """Run properties in the order the schema fixes (b, i, strike, color): grey italics for the
    missing-data sentence; an old value struck through in grey, a new one bold in the brand colour."""
    old, new = cell.emphasis is Emphasis.OLD, cell.emphasis is Emphasis.NEW
    missing = cell.kind is CellKind.MISSING
    color = theme.missing_color if missing or old else theme.brand_color if new else None
    return (
        ("<w:b/>" if new else "") + ("<w:i/>" if missing else "") + ("<w:strike/>" if old else "")
        + (f'<w:color w:val="{color}"/>' if color else "")
    )


def _empty_row(empty_text: str, widths: list[int], theme: Theme) -> str:
    """One cell across the whole table, saying that the table has no rows."""
    span = f'<w:gridSpan w:val="{len(widths)}"/>' if len(widths) > 1 else ""
    paragraph = _cell_paragraph(wordml.run(empty_text, _missing_properties(theme)))
    return _row([paragraph], [sum(widths)], None, cell_properties=span)


def _row(contents: list[str], widths: list[int], fill: str | None, header: bool = False, cell_properties: str = "") -> str:
    """A row that never splits across pages, every cell sized (Word ignores grid widths
    unless every cell has one) and shaded with `fill`."""
    flags = "<w:cantSplit/><w:tblHeader/>" if header else "<w:cantSplit/>"  # the order the schema fixes
    shading = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
    shading += '<w:vAlign w:val="bottom"/>' if header else ""  # headers of different heights align, as in the PDF
    cells = "".join(
        f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/>{cell_properties}{shading}</w:tcPr>{content}</w:tc>'
        for content, width in zip(contents, widths)
    )
    return f"<w:tr><w:trPr>{flags}</w:trPr>{cells}</w:tr>"


def _cell_paragraph(runs: str, keep_with_next: bool = False, right: bool = False) -> str:
    keep = "<w:keepNext/>" if keep_with_next else ""
    return wordml.paragraph(runs, _style(TABLE_TEXT_STYLE) + keep + ('<w:jc w:val="right"/>' if right else ""))


def _chart(block: Chart, context: _Context) -> str:
    """A native chart part, drawn inline; the data table is in the document too."""
    return context.charts.drawing(block)


_BLOCK_WRITERS = {
    Letter: _letter,
    TitleBlock: _title_block,
    Chart: _chart,
    Paragraph: _paragraph,
    BulletList: _bullets,
    Table: _table,
}
