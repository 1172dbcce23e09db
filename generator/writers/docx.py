"""DOCX writer: draws a format-neutral Document as a Word file with python-docx.

python-docx lacks hyperlinks, fields (TOC, PAGE, NUMPAGES), repeating header
rows and reliable column widths, so those are written as raw WordprocessingML
(see /work/shared/LIBRARY-NOTES.md). Everything else uses the public API.
The output is byte-reproducible: every timestamp comes from RenderOptions and
the zip is rewritten by normalize_zip.
"""

from __future__ import annotations

import copy
import functools
import io
import itertools
import re
from dataclasses import dataclass
from datetime import datetime, timezone

import docx
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Emu, Inches, Pt, RGBColor, Twips
from docx.styles.style import BaseStyle
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run

from generator.document.model import (
    Block,
    BulletList,
    Cell,
    CellKind,
    Column,
    Document,
    Heading,
    Metadata,
    Paragraph,
    Table,
    TitleBlock,
    TitleField,
)
from generator.writers import RenderError, RenderOptions
from generator.writers.theme import Theme
from generator.writers.ziputil import normalize_zip

# Calibri ships with Word on every platform; LibreOffice substitutes Carlito
# (metric-compatible) where installed. Kept here, not in the theme, because
# the PDF writer must embed a TrueType file and cannot share a font name.
FONT = "Calibri"

PAGE_WIDTH = Inches(8.5)  # US Letter
PAGE_HEIGHT = Inches(11)
SIDE_MARGIN = Inches(0.9)
TOP_BOTTOM_MARGIN = Inches(0.9)
HEADER_FOOTER_DISTANCE = Inches(0.45)
TEXT_WIDTH = Emu(PAGE_WIDTH - 2 * SIDE_MARGIN)

TOC_DEPTH = 4  # heading levels listed in the contents
TOC_INSTRUCTION = f'TOC \\o "1-{TOC_DEPTH}" \\h \\z \\u'
TOC_PLACEHOLDER = "Right-click and choose Update Field to show the table of contents."
CONTENTS_TITLE = "Contents"

TABLE_STYLE = "Report Table"
TABLE_TEXT_STYLE = "Table Text"
HYPERLINK_STYLE = "Hyperlink"
CONTENTS_STYLE = "TOC Heading"  # Word's own style for this; outline level 9 keeps it out of the TOC

# The ids (what w:pStyle, w:rStyle and w:tblStyle hold) of the styles the body uses, set
# directly: python-docx finds a style by name by scanning every style of the template, which
# for the hundreds of paragraphs and cells of a report cost more than the rest of the render.
STYLE_IDS = {
    "Title": "Title",
    "Subtitle": "Subtitle",
    "List Bullet": "ListBullet",
    CONTENTS_STYLE: "TOCHeading",
    TABLE_TEXT_STYLE: "TableText",
    HYPERLINK_STYLE: "Hyperlink",
    TABLE_STYLE: "ReportTable",
    **{f"Heading {level}": f"Heading{level}" for level in range(1, 10)},
    **{f"toc {level}": f"TOC{level}" for level in range(1, TOC_DEPTH + 1)},
}

CELL_MARGIN_TWIPS = {"top": 43, "bottom": 43, "left": 86, "right": 86}  # 0.03" / 0.06"
PROPERTY_LIMIT = 255  # characters python-docx accepts in one core property


def render(document: Document, options: RenderOptions) -> bytes:
    """Return the DOCX bytes for `document`; the same inputs give the same bytes."""
    theme = options.theme
    word = docx.Document()
    section = word.sections[0]
    _set_up_page(section)
    word.part._styles_part._element = copy.deepcopy(_styled_styles(theme))
    _write_running_header(section, document.metadata, theme)
    _write_running_footer(section, document.metadata, theme)
    _write_blocks(word, document.blocks, theme)
    _set_core_properties(word.core_properties, document.metadata, options.timestamp)
    _drop_template_thumbnail(word)
    out = io.BytesIO()
    word.save(out)
    return normalize_zip(out.getvalue(), options.timestamp)


# ---------------------------------------------------------------- page and styles


def _set_up_page(section) -> None:
    section.page_width = PAGE_WIDTH
    section.page_height = PAGE_HEIGHT
    section.left_margin = section.right_margin = SIDE_MARGIN
    section.top_margin = section.bottom_margin = TOP_BOTTOM_MARGIN
    section.header_distance = section.footer_distance = HEADER_FOOTER_DISTANCE


@functools.lru_cache(maxsize=8)
def _styled_styles(theme: Theme):
    """The template's styles part set up for `theme`, made once per process and theme and
    copied into each document: setting up the styles cost as much as writing a report."""
    styles = docx.Document().styles
    _set_up_styles(styles, theme)
    return styles.element


def _set_up_styles(styles, theme: Theme) -> None:
    _style_normal(styles["Normal"], theme)
    _style_title(styles["Title"], theme)
    _style_subtitle(styles["Subtitle"], theme)
    for level in range(1, 10):
        _style_heading(styles[f"Heading {level}"], level, theme)
    _style_contents_heading(styles[CONTENTS_STYLE])
    _add_toc_styles(styles)
    _add_table_text_style(styles, theme)
    _add_hyperlink_style(styles, theme)
    _add_table_style(styles, theme)


def _set_font(style_or_run, name: str) -> None:
    """Name the font outright: the template's theme-font attributes (asciiTheme...)
    would otherwise win over the plain names python-docx writes."""
    rfonts = style_or_run.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in list(rfonts.attrib):
        del rfonts.attrib[attr]
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(slot), name)


def _style_normal(style: BaseStyle, theme: Theme) -> None:
    _set_font(style, FONT)
    style.font.size = Pt(theme.body_font_size)
    fmt = style.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(6)
    fmt.line_spacing = 1.1


def _style_title(style: BaseStyle, theme: Theme) -> None:
    _set_font(style, FONT)
    style.font.size = Pt(theme.title_size)
    style.font.bold = True
    style.font.color.rgb = RGBColor.from_string(theme.brand_color)
    _remove_child(style.element.get_or_add_rPr(), "w:spacing")  # the template's letter-spacing
    style.paragraph_format.space_after = Pt(6)
    style.paragraph_format.keep_with_next = True
    _set_bottom_border(style.element.get_or_add_pPr(), theme.brand_color, _eighths(theme.title_rule_width))


def _style_subtitle(style: BaseStyle, theme: Theme) -> None:
    _set_font(style, FONT)
    style.font.size = Pt(theme.heading_size(2))
    style.font.italic = False
    style.font.color.rgb = RGBColor.from_string(theme.accent_color)
    _remove_child(style.element.get_or_add_rPr(), "w:spacing")
    style.paragraph_format.space_before = Pt(6)
    style.paragraph_format.space_after = Pt(12)
    style.paragraph_format.keep_with_next = True


def _style_heading(style: BaseStyle, level: int, theme: Theme) -> None:
    _set_font(style, FONT)
    style.font.size = Pt(theme.heading_size(level))
    style.font.bold = True
    style.font.italic = False
    style.font.color.rgb = RGBColor.from_string(theme.heading_color(level))
    fmt = style.paragraph_format
    fmt.space_before = Pt(18 if level == 1 else 12)
    fmt.space_after = Pt(6 if level == 1 else 4)
    fmt.keep_with_next = True  # never leave a heading alone at the foot of a page


def _style_contents_heading(style: BaseStyle) -> None:
    """Looks like Heading 1 (it is based on it) but stays out of the TOC."""
    style.hidden = False  # the template hides it until used


def _add_table_text_style(styles, theme: Theme) -> None:
    style = styles.add_style(TABLE_TEXT_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles["Normal"]
    style.font.size = Pt(theme.table_font_size)
    fmt = style.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0


def _add_hyperlink_style(styles, theme: Theme) -> None:
    # The python-docx template lacks Word's built-in Hyperlink character style.
    style = styles.add_style(HYPERLINK_STYLE, WD_STYLE_TYPE.CHARACTER)
    _mark_builtin(style, "Hyperlink")
    style.base_style = styles["Default Paragraph Font"]
    style.font.color.rgb = RGBColor.from_string(theme.link_color)
    style.font.underline = True


def _mark_builtin(style: BaseStyle, style_id: str) -> None:
    """Give an added style Word's own id and drop the custom flag, so Word treats
    it as its built-in style (and its TOC update uses it) instead of a look-alike."""
    style.style_id = style_id
    style.element.attrib.pop(qn("w:customStyle"), None)


def _add_table_style(styles, theme: Theme) -> None:
    """One named style for every table: thin rule-coloured grid and cell padding."""
    style = styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.TABLE)
    style.base_style = styles["Normal Table"]
    tbl_pr = _get_or_add_child(style.element, "w:tblPr")
    tbl_pr.append(_borders_element("w:tblBorders", theme.rule_color, _eighths(theme.rule_width)))
    tbl_pr.append(_cell_margins_element())


# ---------------------------------------------------------------- running header and footer


def _write_running_header(section, metadata: Metadata, theme: Theme) -> None:
    paragraph = section.header.paragraphs[0]
    _style_running(paragraph.add_run(metadata.title), theme)
    _set_bottom_border(paragraph._p.get_or_add_pPr(), theme.rule_color, _eighths(theme.rule_width))


def _write_running_footer(section, metadata: Metadata, theme: Theme) -> None:
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    style_run = functools.partial(_style_running, theme=theme)
    style_run(paragraph.add_run(theme.running_footer(metadata.version, metadata.as_of.isoformat())))
    _add_field(paragraph, paragraph._p, "PAGE", "1", style_run)
    style_run(paragraph.add_run(" of "))
    _add_field(paragraph, paragraph._p, "NUMPAGES", "1", style_run)


def _style_running(run: Run, theme: Theme) -> None:
    run.font.size = Pt(theme.running_font_size)
    run.font.color.rgb = RGBColor.from_string(theme.running_text_color)


# ---------------------------------------------------------------- body


def _write_blocks(word: DocxDocument, blocks: tuple[Block, ...], theme: Theme) -> None:
    """Write every block; the contents go right after the title block (or first)."""
    ordinals = itertools.count()  # one bookmark per heading, numbered as _toc_entries numbers them
    contents_written = False
    for block in blocks:
        if not contents_written and not isinstance(block, TitleBlock):
            _write_contents(word, _toc_entries(blocks), theme)
            contents_written = True
        if isinstance(block, Heading):
            _write_heading(word, block, next(ordinals))
        else:
            _write_block(word, block, theme)
    if not contents_written:
        _write_contents(word, _toc_entries(blocks), theme)


def _write_block(word: DocxDocument, block: Block, theme: Theme) -> None:
    writer = _BLOCK_WRITERS.get(type(block))
    if writer is None:  # a new block kind must get a writer, not vanish silently
        raise TypeError(f"the DOCX writer cannot draw {type(block).__name__}")
    writer(word, block, theme)


def _write_title_block(word: DocxDocument, block: TitleBlock, theme: Theme) -> None:
    _write_masthead(word, theme)
    _add_styled_paragraph(word, "Title", block.title)
    if block.subtitle:
        _add_styled_paragraph(word, "Subtitle", block.subtitle)
    for field in block.fields:
        _write_title_field(word, field, theme)


def _write_title_field(word: DocxDocument, field: TitleField, theme: Theme) -> None:
    paragraph = word.add_paragraph()
    paragraph.paragraph_format.space_after = Pt(2)
    paragraph.paragraph_format.keep_with_next = True
    paragraph.add_run(f"{field.label}:").bold = True
    paragraph.add_run(" ")
    run = paragraph.add_run(field.text)
    if field.missing:
        _style_missing(run, theme)


def _write_masthead(word: DocxDocument, theme: Theme) -> None:
    """The client's logo above the title; without a logo, the brand name set as a wordmark.

    Not both: most logos carry the name, and the name twice reads as a mistake. The brand
    name is in the running footer either way, and is the logo's alternative text."""
    if theme.logo is not None:
        paragraph = word.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(12)
        paragraph.paragraph_format.keep_with_next = True
        width, height = theme.logo.fitted(theme.logo_max_width, theme.logo_max_height)
        try:
            picture = paragraph.add_run().add_picture(io.BytesIO(theme.logo.data), Pt(width), Pt(height))
        except Exception as error:  # the image library's own complaint about a damaged file
            raise RenderError(f"the logo cannot be placed in the DOCX: {error}") from None
        description = f"{theme.brand_name} logo" if theme.brand_name else "Logo"
        picture._inline.docPr.set("descr", description)  # the alternative text screen readers announce
    elif theme.brand_name:
        paragraph = word.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(10)
        paragraph.paragraph_format.keep_with_next = True
        run = paragraph.add_run(theme.brand_name)
        run.bold = True
        run.font.size = Pt(theme.brand_name_size)
        run.font.color.rgb = RGBColor.from_string(theme.brand_color)


def _write_heading(word: DocxDocument, block: Heading, ordinal: int) -> None:
    level = min(max(block.level, 1), 9)  # Word has Heading 1..9
    paragraph = _add_styled_paragraph(word, f"Heading {level}")
    paragraph.paragraph_format.keep_with_next = True
    _add_bookmark(paragraph, ordinal, block.text)


def _write_paragraph(word: DocxDocument, block: Paragraph, theme: Theme) -> None:
    paragraph = word.add_paragraph()
    run = paragraph.add_run(block.text)
    if block.missing:
        _style_missing(run, theme)


def _write_bullets(word: DocxDocument, block: BulletList, theme: Theme) -> None:
    for item in block.items:
        _add_styled_paragraph(word, "List Bullet", item)


def _add_styled_paragraph(word: DocxDocument, style_name: str, text: str = "") -> DocxParagraph:
    paragraph = word.add_paragraph(text)
    paragraph._p.style = STYLE_IDS[style_name]
    return paragraph


def _style_missing(run: Run, theme: Theme) -> None:
    run.italic = True
    run.font.color.rgb = RGBColor.from_string(theme.missing_color)


# ---------------------------------------------------------------- table of contents


@dataclass(frozen=True)
class _TocEntry:
    level: int
    text: str
    bookmark: str


def _bookmark_name(ordinal: int) -> str:
    return f"_Toc{ordinal + 1:08d}"  # Word's own prefix: hidden from its bookmark list


def _toc_entries(blocks: tuple[Block, ...]) -> list[_TocEntry]:
    """The headings the TOC field lists, numbered exactly as _write_blocks numbers them."""
    headings = [block for block in blocks if isinstance(block, Heading)]
    return [
        _TocEntry(heading.level, heading.text, _bookmark_name(ordinal))
        for ordinal, heading in enumerate(headings)
        if heading.level <= TOC_DEPTH
    ]


def _write_contents(word: DocxDocument, entries: list[_TocEntry], theme: Theme) -> None:
    """A real TOC field. Word fills in the page numbers when it updates fields (the
    dirty flag makes it offer to on open). Until then the field's cached result
    lists the headings as links without numbers: only a layout engine knows the
    pages, and LibreOffice shows the cached result as it stands."""
    _add_styled_paragraph(word, CONTENTS_STYLE, CONTENTS_TITLE)
    if not entries:
        paragraph = word.add_paragraph()
        style_run = functools.partial(_style_missing, theme=theme)
        _add_field(paragraph, paragraph._p, TOC_INSTRUCTION, TOC_PLACEHOLDER, style_run, dirty=True)
        return
    for index, entry in enumerate(entries):
        paragraph = _add_styled_paragraph(word, _toc_style_name(entry.level))
        if index == 0:
            _begin_field(paragraph, paragraph._p, TOC_INSTRUCTION, _plain, dirty=True)
        _write_toc_link(paragraph, entry)
        if index == len(entries) - 1:
            _end_field(paragraph, paragraph._p, _plain)


def _write_toc_link(paragraph: DocxParagraph, entry: _TocEntry) -> None:
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), entry.bookmark)
    link.set(qn("w:history"), "1")
    paragraph._p.append(link)
    _append_run(paragraph, link, entry.text)


def _toc_style_name(level: int) -> str:
    return f"toc {min(max(level, 1), TOC_DEPTH)}"


def _add_toc_styles(styles) -> None:
    """Word's built-in "toc N" styles, which the python-docx template lacks."""
    for level in range(1, TOC_DEPTH + 1):
        style = styles.add_style(_toc_style_name(level), WD_STYLE_TYPE.PARAGRAPH)
        _mark_builtin(style, f"TOC{level}")
        style.base_style = styles["Normal"]
        style.font.bold = level == 1
        fmt = style.paragraph_format
        fmt.left_indent = Inches(0.25 * (level - 1))
        fmt.space_before = Pt(4 if level == 1 else 0)
        fmt.space_after = Pt(2)
        fmt.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)


# ---------------------------------------------------------------- tables


def _write_table(word: DocxDocument, block: Table, theme: Theme) -> None:
    """Table.title is not drawn: the composer puts a Heading before each table."""
    widths = _column_widths(block.columns)
    table = word.add_table(rows=0, cols=len(block.columns))
    table._tbl.tblStyle_val = STYLE_IDS[TABLE_STYLE]
    _fix_layout(table, widths)
    rows = [_header_row(block.columns, widths, theme)]
    rows += [
        _body_row(word, cells, widths, theme, striped=index % 2 == 1) for index, cells in enumerate(block.rows)
    ]
    if not block.rows:
        rows.append(_empty_row(block.empty_text, widths, theme))
    table._tbl.extend(list(parse_xml(f"<w:tbl {nsdecls('w', 'r')}>{''.join(rows)}</w:tbl>")))
    _add_table_spacer(word)


def _add_table_spacer(word: DocxDocument) -> None:
    """A short empty paragraph after each table: Word would fuse two adjacent
    tables into one, and text right below a grid looks cramped."""
    fmt = word.add_paragraph().paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(6)


def _column_widths(columns: tuple[Column, ...]) -> list[int]:
    """Column widths in twips, proportional to Column.width, summing to the text width."""
    total = int(TEXT_WIDTH.twips)
    weight = sum(column.width for column in columns)
    widths = [int(total * column.width / weight) for column in columns]
    widths[-1] += total - sum(widths)  # rounding leftovers go to the last column
    return widths


def _fix_layout(table: DocxTable, widths: list[int]) -> None:
    """Fixed layout + tblW + tblGrid: Word and LibreOffice then keep the widths
    and wrap long unbreakable tokens inside the cell instead of widening it."""
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    tbl_w = _get_or_add_child(tbl_pr, "w:tblW")
    tbl_w.set(qn("w:w"), str(sum(widths)))
    tbl_w.set(qn("w:type"), "dxa")
    # The first row is the header; no style banding, as the stripes are drawn directly.
    look = _get_or_add_child(tbl_pr, "w:tblLook")
    for flag, value in _TABLE_LOOK.items():
        look.set(qn(f"w:{flag}"), value)
    for grid_col, width in zip(table._tbl.tblGrid.gridCol_lst, widths):
        grid_col.w = Twips(width)


_TABLE_LOOK = {"val": "0620", "firstRow": "1", "lastRow": "0", "firstColumn": "0",
               "lastColumn": "0", "noHBand": "1", "noVBand": "1"}


# Rows are written as WordprocessingML text and parsed once per table: building them
# through python-docx's proxies (a lookup per property of every cell) cost most of the render.


def _header_row(columns: tuple[Column, ...], widths: list[int], theme: Theme) -> str:
    """Repeated on every page the table spans, and kept with the first body row."""
    properties = f'<w:b/><w:color w:val="{theme.header_text_color}"/>'
    cells = [_cell_paragraph(_run(column.header, properties), keep_with_next=True) for column in columns]
    return _row(cells, widths, theme.brand_color, header=True)


def _body_row(word: DocxDocument, cells: tuple[Cell, ...], widths: list[int], theme: Theme, striped: bool) -> str:
    contents = [_cell_paragraph(_cell_runs(word, cell, theme)) for cell in cells]
    return _row(contents, widths, theme.stripe_color if striped else None)


def _cell_runs(word: DocxDocument, cell: Cell, theme: Theme) -> str:
    missing = _missing_properties(theme) if cell.kind is CellKind.MISSING else ""
    if not cell.link:
        return _run(cell.text, missing)
    # A real external hyperlink: python-docx has no API for one (issue #74).
    relationship = word.part.relate_to(cell.link, RT.HYPERLINK, is_external=True)
    run = _run(cell.text, f'<w:rStyle w:val="{STYLE_IDS[HYPERLINK_STYLE]}"/>{missing}')
    return f'<w:hyperlink r:id="{relationship}" w:history="1">{run}</w:hyperlink>'


def _empty_row(empty_text: str, widths: list[int], theme: Theme) -> str:
    """One cell across the whole table, saying that the table has no rows."""
    span = f'<w:gridSpan w:val="{len(widths)}"/>' if len(widths) > 1 else ""
    paragraph = _cell_paragraph(_run(empty_text, _missing_properties(theme)))
    return _row([paragraph], [sum(widths)], None, cell_properties=span)


def _row(contents: list[str], widths: list[int], fill: str | None, header: bool = False, cell_properties: str = "") -> str:
    """A row that never splits across pages, every cell sized (Word ignores grid widths
    unless every cell has one) and shaded with `fill`."""
    flags = "<w:cantSplit/><w:tblHeader/>" if header else "<w:cantSplit/>"  # the order the schema fixes
    shading = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
    cells = "".join(
        f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/>{cell_properties}{shading}</w:tcPr>{content}</w:tc>'
        for content, width in zip(contents, widths)
    )
    return f"<w:tr><w:trPr>{flags}</w:trPr>{cells}</w:tr>"


def _cell_paragraph(runs: str, keep_with_next: bool = False) -> str:
    keep = "<w:keepNext/>" if keep_with_next else ""
    return f'<w:p><w:pPr><w:pStyle w:val="{STYLE_IDS[TABLE_TEXT_STYLE]}"/>{keep}</w:pPr>{runs}</w:p>'


def _run(text: str, properties: str = "") -> str:
    """A run of plain text: escaped, so markup-like text prints literally; tabs and line
    breaks become Word's, as python-docx's Run.text makes them."""
    run_properties = f"<w:rPr>{properties}</w:rPr>" if properties else ""
    content = "".join(_BREAKS.get(piece) or _text(piece) for piece in _BREAK_SPLIT.split(text) if piece)
    return f"<w:r>{run_properties}{content}</w:r>"


_BREAKS = {"\t": "<w:tab/>", "\n": "<w:br/>", "\r": "<w:br/>"}
_BREAK_SPLIT = re.compile("([\t\n\r])")
# Not xml.sax.saxutils.escape: importing it pulls in urllib, http and ssl (14 ms at start-up).
_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def _text(text: str) -> str:
    space = ' xml:space="preserve"' if text != text.strip() else ""  # keep edge spaces, as python-docx does
    return f"<w:t{space}>{text.translate(_XML_ESCAPES)}</w:t>"


def _missing_properties(theme: Theme) -> str:
    """Grey italics, as _style_missing sets them (the schema orders w:i before w:color)."""
    return f'<w:i/><w:color w:val="{theme.missing_color}"/>'


# ---------------------------------------------------------------- raw WordprocessingML


def _add_bookmark(paragraph: DocxParagraph, ordinal: int, text: str) -> None:
    """`text` inside a bookmark: the target of a TOC link (and of Word's PAGEREFs)."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(ordinal))
    start.set(qn("w:name"), _bookmark_name(ordinal))
    paragraph._p.append(start)
    paragraph.add_run(text)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(ordinal))
    paragraph._p.append(end)


def _append_run(paragraph: DocxParagraph, parent, text: str = "") -> Run:
    """A run appended to `parent`: the paragraph's w:p or a w:hyperlink inside it."""
    r = OxmlElement("w:r")
    parent.append(r)
    run = Run(r, paragraph)
    if text:
        run.text = text
    return run


def _plain(run: Run) -> None:
    """Leave a run with the paragraph's formatting."""


def _add_field(paragraph: DocxParagraph, parent, instruction: str, result: str, style_run, dirty=False) -> None:
    """A complex field. Word and LibreOffice compute its result when they lay out
    the pages; `result` is what shows until they do."""
    _begin_field(paragraph, parent, instruction, style_run, dirty)
    if result:
        style_run(_append_run(paragraph, parent, result))
    _end_field(paragraph, parent, style_run)


def _begin_field(paragraph: DocxParagraph, parent, instruction: str, style_run, dirty=False) -> None:
    # Every run of the field carries the formatting: LibreOffice styles the
    # computed result after the field's first run.
    begin = _fld_char("begin")
    if dirty:
        begin.set(qn("w:dirty"), "true")  # Word offers to recompute it on open
    _field_run(paragraph, parent, begin, style_run)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    _field_run(paragraph, parent, instr, style_run)
    _field_run(paragraph, parent, _fld_char("separate"), style_run)


def _end_field(paragraph: DocxParagraph, parent, style_run) -> None:
    _field_run(paragraph, parent, _fld_char("end"), style_run)


def _fld_char(kind: str):
    fld_char = OxmlElement("w:fldChar")
    fld_char.set(qn("w:fldCharType"), kind)
    return fld_char


def _field_run(paragraph: DocxParagraph, parent, content, style_run) -> None:
    run = _append_run(paragraph, parent)
    style_run(run)
    run._r.append(content)  # after any w:rPr that style_run added


def _eighths(points: float) -> int:
    """A border width in WordprocessingML's unit, eighths of a point."""
    return round(points * 8)


def _borders_element(tag: str, color: str, size_eighths: int):
    borders = OxmlElement(tag)
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "single")
        edge.set(qn("w:sz"), str(size_eighths))
        edge.set(qn("w:space"), "0")
        edge.set(qn("w:color"), color)
        borders.append(edge)
    return borders


def _cell_margins_element():
    margins = OxmlElement("w:tblCellMar")
    for side, twips in CELL_MARGIN_TWIPS.items():
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), str(twips))
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    return margins


def _set_bottom_border(p_pr, color: str, size_eighths: int) -> None:
    _remove_child(p_pr, "w:pBdr")
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (("w:val", "single"), ("w:sz", str(size_eighths)), ("w:space", "4"), ("w:color", color)):
        bottom.set(qn(name), value)
    borders.append(bottom)
    p_pr.insert_element_before(borders, *_P_PR_AFTER_BORDER)


# pPr children that must come after w:pBdr (schema order).
_P_PR_AFTER_BORDER = tuple(
    "w:" + tag
    for tag in ("shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap", "overflowPunct",
                "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid",
                "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
                "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId",
                "cnfStyle", "rPr", "sectPr", "pPrChange")
)


def _get_or_add_child(parent, tag: str):
    child = parent.find(qn(tag))
    if child is None:
        child = OxmlElement(tag)
        parent.append(child)
    return child


def _remove_child(parent, tag: str) -> None:
    child = parent.find(qn(tag))
    if child is not None:
        parent.remove(child)


# ---------------------------------------------------------------- package properties


def _set_core_properties(props, metadata: Metadata, timestamp: datetime) -> None:
    """Replace every template value (the template says "python-docx")."""
    author = _property_text(metadata.author or "")
    props.title = _property_text(metadata.title)
    props.subject = _property_text(metadata.subject)
    props.author = author
    props.last_modified_by = author
    props.keywords = _property_text(", ".join(metadata.keywords))
    props.comments = _property_text(metadata.subject)
    props.category = "Billing-code report"
    props.content_status = ""
    props.identifier = _property_text(metadata.code)
    props.language = "en-US"
    props.version = _property_text(metadata.version)
    props.revision = 1
    props.created = props.modified = props.last_printed = _utc(timestamp)


def _property_text(value: str) -> str:
    """python-docx refuses property values over 255 characters; shorten, don't fail."""
    return value if len(value) <= PROPERTY_LIMIT else value[: PROPERTY_LIMIT - 1] + "…"


def _utc(timestamp: datetime) -> datetime:
    """python-docx writes the time with a literal 'Z', so hand it UTC wall time."""
    if timestamp.tzinfo is None:
        return timestamp
    return timestamp.astimezone(timezone.utc).replace(tzinfo=None)


def _drop_template_thumbnail(word: DocxDocument) -> None:
    # The template carries a thumbnail of some other (blank) page; file browsers would show it.
    rels = word.part.package.rels
    for r_id in [r_id for r_id, rel in rels.items() if rel.reltype == RT.THUMBNAIL]:
        del rels[r_id]


_BLOCK_WRITERS = {
    TitleBlock: _write_title_block,
    Paragraph: _write_paragraph,
    BulletList: _write_bullets,
    Table: _write_table,
}
