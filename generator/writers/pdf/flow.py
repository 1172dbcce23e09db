"""The document's blocks as items to place: text broken into lines at the frame's width."""

from __future__ import annotations

import functools
import io
from dataclasses import replace

from reportlab.lib.utils import ImageReader

from generator.document.model import (
    ENCLOSURE_LABEL, RE_LABEL, Block, BulletList, Chart, Document, Heading, Letter, Paragraph, Span, Table, TitleBlock,
    TitleField,
)
from generator.writers import RenderError, chart_geometry, design
from generator.writers.pdf import contents, fonts, tables, urls
from generator.writers.pdf.boxes import Tag
from generator.writers.pdf.items import (
    LEFT, ChartItem, Fragment, Keep, PageBreak, PictureItem, RuleItem, Space, TextItem, Turn, text_item,
)
from generator.writers.pdf.linebreak import words
from generator.writers.pdf.measure import TextStyle, metrics, width
from generator.writers.pdf.styles import Styles

BULLET = "\u2022"
_HEADING_KEY = "heading-"  # and the heading block's index: its anchor's name


def heading_index(key: str) -> int:
    """The index of the Heading block whose anchor is `key`."""
    return int(key.removeprefix(_HEADING_KEY))


def items(document: Document, styles: Styles) -> list:
    """Every block as items: the title block is the cover, its notices on the page after it, then
    the contents (one line per heading) on pages of their own, then the body."""
    found: list = []
    contents_at = None
    headings: list[TextItem] = []
    turns = design.landscape_runs(document.blocks)
    turned = False
    for index, block in enumerate(document.blocks):
        if index in turns:
            found.append(Turn(True))
            turned = True
        elif turned and index in turns.values():
            found.append(Turn(False))
            turned = False
        made = _block(index, block, styles, turned)
        if isinstance(block, TitleBlock) and document.contents:  # a cover: its title block set lower on the page
            found.append(Space(design.COVER_DROP))
        found.extend(made)
        if isinstance(block, TitleBlock) and contents_at is None:
            if document.contents:  # a cover page; a memo (no contents) runs on under its heading
                found.append(PageBreak())
            contents_at = len(found)
        headings.extend(item for item in made if isinstance(item, TextItem) and item.anchor)
    if headings and document.contents:
        found[contents_at or 0 : contents_at or 0] = contents.items(headings, styles)
    else:  # no contents (a memo): the outline still lists the headings
        contents.settle_depths(headings)
    return found


def _block(index: int, block: Block, styles: Styles, landscape: bool = False) -> list:
    if isinstance(block, Paragraph):
        style = styles.missing if block.missing else styles.body
        item = text_item(
            block.text, style, design.BODY_LEADING, design.PARAGRAPH_SPACE, (("P", index),), block,
            room=design.body_measure(style.size), widen_to=design.FRAME_WIDTH,
        )
        return [_linked(item, block.text, block.spans, styles)]
    if isinstance(block, Heading):
        return [_heading(index, block, styles)]
    if isinstance(block, BulletList):
        return _bullets(index, block, styles)
    if isinstance(block, Table):
        return [tables.table_item(index, block, styles, design.LANDSCAPE_FRAME_WIDTH if landscape else design.FRAME_WIDTH)]
    if isinstance(block, TitleBlock):
        return [_title_block(index, block, styles), *_notices(index, block, styles)]
    if isinstance(block, Letter):
        return _letter(index, block, styles)
    if isinstance(block, Chart):
        drawing = chart_geometry.chart_drawing(block, styles.theme, _label_width)
        return [ChartItem(drawing, block.alt_text, design.PARAGRAPH_SPACE, (("Figure", index),))]
    raise TypeError(f"the PDF writer cannot draw {type(block).__name__}")


def _label_width(text: str, size: float, bold: bool) -> float:
    """A chart label's width in the embedded face (chart_geometry's text measure)."""
    return metrics(fonts.BOLD if bold else fonts.REGULAR, size).width(text)


def _heading(index: int, block: Heading, styles: Styles) -> TextItem:
    level = max(1, block.level)
    style = styles.heading(level)
    tag = ((f"H{min(level, 6)}", index),)
    item = text_item(block.text, style, design.HEADING_LEADING, design.heading_space(level), tag, block)
    item.keep_with_next = True
    item.anchor = (f"{_HEADING_KEY}{index}", block.text, level)  # the depth is settled with the contents
    return item


def _bullets(index: int, block: BulletList, styles: Styles) -> list[TextItem]:
    found = []
    for number, text in enumerate(block.items):
        item_tag = (("L", index), ("LI", number))
        item = text_item(
            text, styles.body, design.BODY_LEADING, design.PARAGRAPH_SPACE, (*item_tag, ("LBody", 0)), block,
            x=LEFT + design.LIST_INDENT, room=design.body_measure(styles.body.size) - design.LIST_INDENT,
            widen_to=design.FRAME_WIDTH - design.LIST_INDENT,
        )
        item = _linked(item, text, block.spans[number] if block.spans else (), styles)
        item.label = Fragment(-design.LIST_INDENT, BULLET, styles.body, (*item_tag, ("Lbl", 0)))
        item.keep_together = True
        found.append(item)
    return found


def _linked(item: TextItem, text: str, spans: tuple[Span, ...], styles: Styles) -> TextItem:
    """The URLs inside `text` (already broken into the item's one-style lines) set in the link
    colour, each piece of a line a link to its URL, tagged as a Link inside the paragraph."""
    if not spans:
        return item
    shown = [line[0].text.rstrip(" ") for line in item.lines]
    for number, ((fragment,), pieces) in enumerate(zip(item.lines, urls.line_pieces(text, shown, spans))):
        made = []
        for left, right, span in pieces:
            piece = fragment.text[left:] if right == len(shown[number]) else fragment.text[left:right]
            dx = fragment.dx + width(fragment.text[:left], fragment.style)
            if span is None:
                made.append(Fragment(dx, piece, fragment.style, fragment.tag))
                continue
            tag = (*fragment.tag, ("Link", span))
            made.append(Fragment(dx, piece, replace(fragment.style, color=styles.theme.link_color), tag))
            url = text[spans[span].start : spans[span].end]
            item.url_links.append((number, dx, dx + width(fragment.text[left:right], fragment.style), url, tag))
        item.lines[number] = tuple(made)
    return item


def _title_block(index: int, block: TitleBlock, styles: Styles) -> Keep:
    theme = styles.theme
    kept = Keep(_masthead(index, styles))
    kept.items.append(text_item(block.title, styles.title, design.TITLE_LEADING, design.TITLE_SPACE, (("P", index),), block))
    kept.items.append(RuleItem(theme.title_rule_width, theme.brand_color, design.TITLE_RULE_SPACE_AFTER))
    if block.subtitle:
        kept.items.append(
            text_item(block.subtitle, styles.subtitle, design.SUBTITLE_LEADING, design.SUBTITLE_SPACE, (("P", (index, "subtitle")),), block)
        )
    else:
        kept.items.append(Space(8.0))
    for number, field in enumerate(block.fields, start=1):
        kept.items.append(_field(field, styles, (("P", (index, number)),), block))
    return kept


RE_INDENT = 36.0  # points: the "Re:" label's column; the block's lines align after it
LETTER_GAP = 12.0  # points after the date, the addressee, the "Re:" block, the signature
SIGNATURE_ROOM = 30.0  # points between the closing and the signature


def _letter(index: int, block: Letter, styles: Styles) -> list:
    """A letter on a page of its own: date, addressee, "Re:" block, body, signature, enclosure
    line and the document ID in small print."""
    made: list = []
    number = 0

    def line(text: str, style: TextStyle = styles.body, after: float = 0.0, x: float = LEFT) -> TextItem:
        nonlocal number
        number += 1
        room = design.FRAME_WIDTH - (x - LEFT)
        return text_item(text, style, design.BODY_LEADING, (0.0, after), (("P", (index, number)),), block, x=x, room=room)

    def group(texts: tuple[str, ...]) -> None:
        made.extend(line(text, after=LETTER_GAP if i == len(texts) - 1 else 0.0) for i, text in enumerate(texts))

    made.append(line(block.date, after=LETTER_GAP))
    group(block.addressee)
    for i, text in enumerate(block.reference):
        item = line(text, styles.bold, LETTER_GAP if i == len(block.reference) - 1 else 0.0, LEFT + RE_INDENT)
        if i == 0:
            item.label = Fragment(-RE_INDENT, f"{RE_LABEL}:", styles.bold, item.lines[0][0].tag)
        made.append(item)
    made.extend(line(text, after=design.PARAGRAPH_SPACE[1]) for text in block.body)
    made.append(line(block.closing, after=SIGNATURE_ROOM))
    group(block.signature)
    made.append(line(f"{ENCLOSURE_LABEL}: {block.enclosure}", after=LETTER_GAP))
    made.append(line(block.document_id, styles.small))
    made.append(PageBreak())
    return made


def _notices(index: int, block: TitleBlock, styles: Styles) -> list:
    """The back of the cover: the notices, set small, as in the DOCX."""
    if not block.notices:
        return []
    leading = styles.theme.body_font_size * design.BODY_LEADING / styles.cell.size  # the DOCX's Normal line
    return [PageBreak()] + [
        text_item(notice, styles.cell, leading, design.PARAGRAPH_SPACE, (("P", (index, "notice", number)),), block)
        for number, notice in enumerate(block.notices)
    ]


def _masthead(index: int, styles: Styles) -> list:
    """The client's logo above the title; without a logo, the brand name (as in the DOCX)."""
    theme = styles.theme
    if theme.logo is not None:
        damage = _damage(theme.logo.data)  # here, so a damaged file fails now, as one line
        if damage is not None:
            raise RenderError(f"the logo cannot be placed in the PDF: {damage}")
        w, h = theme.logo.fitted(theme.logo_max_width, theme.logo_max_height)
        alt = f"{theme.brand_name} logo" if theme.brand_name else "Client logo"
        return [PictureItem(w, h, theme.logo, alt, design.LOGO_SPACE_AFTER, (("Figure", index),))]
    if theme.brand_name:
        return [text_item(theme.brand_name, styles.brand_name, design.HEADING_LEADING, design.BRAND_NAME_SPACE, (("P", (index, "brand")),), None)]
    return []


@functools.lru_cache(maxsize=8)
def _damage(image: bytes) -> str | None:
    """What the image library says of a logo it cannot decode, or None. Decoded once per image
    and process: a batch of one client's reports shares its logo, and decoding takes milliseconds."""
    try:
        ImageReader(io.BytesIO(image)).getRGBData()
    except Exception as error:  # whatever the image library says about a damaged file
        return str(error)
    return None


def _field(field: TitleField, styles: Styles, tag: Tag, node: object) -> TextItem:
    """"Label: text" with the label in bold and a missing value in grey italics."""
    value = styles.missing if field.missing else styles.body
    tokens = [(word, styles.bold) for word in words(field.label + ":")] + [(word, value) for word in words(field.text)]
    lines, widths = _rich_lines(tokens, design.FRAME_WIDTH, tag)
    size = styles.body.size
    return TextItem(
        lines=lines, widths=widths, size=size, leading=size * design.BODY_LEADING,
        space_before=design.FIELD_SPACE[0], space_after=design.FIELD_SPACE[1], x=LEFT, node=node,
    )


def _rich_lines(tokens: list[tuple[str, TextStyle]], room: float, tag: Tag) -> tuple[list, list[float]]:
    """Words of several styles broken greedily (a title field: a few words, no long tokens)."""
    lines: list[tuple[Fragment, ...]] = []
    widths: list[float] = []
    line: list[Fragment] = []
    x = 0.0
    for word, style in tokens:
        space = width(" ", style) if line else 0.0
        advance = width(word, style)
        if line and x + space + advance > room:
            lines.append(tuple(line))
            widths.append(x)
            line, x, space = [], 0.0, 0.0
        if line and line[-1].style == style:
            line[-1] = Fragment(line[-1].dx, f"{line[-1].text} {word}", style, tag)
        else:
            if line:  # the space after the label is set in the label's face
                line[-1] = Fragment(line[-1].dx, line[-1].text + " ", line[-1].style, tag)
            line.append(Fragment(x + space, word, style, tag))
        x += space + advance
    lines.append(tuple(line))
    widths.append(x)
    return lines, widths
