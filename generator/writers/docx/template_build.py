"""A theme's DOCX package made with python-docx: the only module of the writer that imports it.

python-docx sets up the page, the styles, the running header's and footer's paragraph
formatting and the masthead (the logo, with its image part, or the brand name), and
serializes the package; `built` cuts the holes a report fills (template.py) out of the saved
parts. This runs once per theme and part cache (template.py keeps the result on disk): a
fresh process with a warm cache never imports python-docx.

Two private attributes of python-docx are used here, and only here, because it has no public
API for what they reach: `Paragraph._p`, the paragraph's element, to give the running header
its bottom border (python-docx has no paragraph borders), and `InlineShape._inline`, the
picture's element, to give the logo its alternative text (`wp:docPr/@descr`).
"""

from __future__ import annotations

import io
import types
import zipfile
from collections.abc import Mapping

import docx
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Pt, RGBColor
from docx.styles.style import BaseStyle

from generator.writers import RenderError, design, typeface
from generator.writers.docx.geometry import (
    CELL_MARGIN_TWIPS,
    HEADER_FOOTER_DISTANCE,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    SIDE_MARGIN,
    TEXT_WIDTH,
    TOP_BOTTOM_MARGIN,
    eighths,
)
from generator.writers.docx.styles import (
    CONTENTS_STYLE,
    HYPERLINK_STYLE,
    STYLE_IDS,
    TABLE_STYLE,
    TABLE_TEXT_STYLE,
    TOC_DEPTH,
    toc_style_name,
)
from generator.writers.docx.template import BODY_END, FOOTER_END, HEADER_END, RELATIONSHIPS_END, Hole, Template
from generator.writers.theme import Theme

# The page and the typeface are the PDF's (writers/design.py, writers/typeface.py): Calibri,
# which Word has everywhere and LibreOffice replaces with its metric twin Carlito, the face
# the PDF embeds, so both break lines alike.
FONT = typeface.OFFICE_NAME


def built(theme: Theme, masthead: bool) -> Template:
    """The package for `theme`; with the masthead's paragraph (and the logo's image part) if
    `masthead`, i.e. if the report has a title block to open with it."""
    word = docx.Document()
    section = word.sections[0]
    _set_up_page(section)
    _set_up_styles(word.styles, theme)
    _set_up_running_header(section, theme)
    section.footer.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    if masthead:
        _write_masthead(word, theme)
        _blank_first_page(section)
    _drop_template_thumbnail(word)
    return _template(word)


def _template(word: DocxDocument) -> Template:
    """The saved package with its holes cut (each hole's part holds what is around the hole)."""
    out = io.BytesIO()
    word.save(out)
    with zipfile.ZipFile(out) as package:
        parts = {entry.filename: package.read(entry) for entry in package.infolist()}
    main, section = word.part, word.sections[0]
    body, masthead, section_properties = _body_hole(parts, main.partname.membername)
    holes = (
        body,
        _hole(parts, section.header.part.partname.membername, HEADER_END),
        _hole(parts, section.footer.part.partname.membername, FOOTER_END),
        _hole(parts, main.partname.rels_uri.membername, RELATIONSHIPS_END),
    )
    for hole in holes:
        parts[hole.name] = hole.fill("")
    body, header, footer, relationships = holes
    return Template(
        parts=types.MappingProxyType(parts),
        body=body,
        section=section_properties,
        header=header,
        footer=footer,
        relationships=relationships,
        core_properties=main.package.part_related_by(RT.CORE_PROPERTIES).partname.membername,
        masthead=masthead,
        first_link_id=max(int(r_id.removeprefix("rId")) for r_id in main.rels) + 1,
    )


def _body_hole(parts: Mapping[str, bytes], name: str) -> tuple[Hole, str, str]:
    """The hole that is the document's body, and what the body held: the masthead, which is
    cut out so that the title block can place it, and the section properties, which the
    writer places (and varies for a landscape section)."""
    head, opening, rest = parts[name].partition(b"<w:body>")
    masthead, tail = _cut(rest, b"<w:sectPr")
    section, end = _cut(tail, BODY_END)
    return Hole(name, head + opening, end), masthead.decode(), section.decode()


def _hole(parts: Mapping[str, bytes], name: str, marker: bytes) -> Hole:
    """The hole right before `marker`."""
    before, after = _cut(parts[name], marker)
    return Hole(name, before, after)


def _cut(data: bytes, marker: bytes) -> tuple[bytes, bytes]:
    """`data` cut right before `marker`, which must occur exactly once."""
    if data.count(marker) != 1:
        raise RuntimeError(f"python-docx no longer writes {marker.decode()!r} once: the template cannot be cut")
    index = data.index(marker)
    return data[:index], data[index:]


# ---------------------------------------------------------------- page, running header, masthead


def _set_up_page(section) -> None:
    section.page_width = Emu(PAGE_WIDTH)
    section.page_height = Emu(PAGE_HEIGHT)
    section.left_margin = section.right_margin = Emu(SIDE_MARGIN)
    section.top_margin = section.bottom_margin = Emu(TOP_BOTTOM_MARGIN)
    section.header_distance = section.footer_distance = Emu(HEADER_FOOTER_DISTANCE)


def _set_up_running_header(section, theme: Theme) -> None:
    paragraph = section.header.paragraphs[0]
    _set_bottom_border(paragraph._p.get_or_add_pPr(), theme.rule_color, eighths(theme.rule_width))


def _write_masthead(word: DocxDocument, theme: Theme) -> None:
    """The client's logo above the title; without a logo, the brand name set as a wordmark.

    Not both: most logos carry the name, and the name twice reads as a mistake. The brand
    name is in the running footer either way, and is the logo's alternative text."""
    if theme.logo is not None:
        paragraph = word.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(12)
        # Single, automatic line spacing: under the body style's exact leading, Word and
        # LibreOffice give the picture one line's height and cut off all but its foot.
        paragraph.paragraph_format.line_spacing = 1.0
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


def _blank_first_page(section) -> None:
    """The cover page (the first) gets a header and footer of its own, left empty (titlePg)."""
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    section.first_page_footer.is_linked_to_previous = False


def _drop_template_thumbnail(word: DocxDocument) -> None:
    # The template carries a thumbnail of some other (blank) page; file browsers would show it.
    rels = word.part.package.rels
    for r_id in [r_id for r_id, rel in rels.items() if rel.reltype == RT.THUMBNAIL]:
        del rels[r_id]


# ---------------------------------------------------------------- styles


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


def _set_font(style: BaseStyle, name: str) -> None:
    """Name the font outright: the template's theme-font attributes (asciiTheme...)
    would otherwise win over the plain names python-docx writes."""
    rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in list(rfonts.attrib):
        del rfonts.attrib[attr]
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(slot), name)


def _style_normal(style: BaseStyle, theme: Theme) -> None:
    _set_font(style, FONT)
    style.font.size = Pt(theme.body_font_size)
    fmt = style.paragraph_format
    fmt.space_before, fmt.space_after = (Pt(space) for space in design.PARAGRAPH_SPACE)
    fmt.line_spacing = Pt(theme.body_font_size * design.BODY_LEADING)


def _style_title(style: BaseStyle, theme: Theme) -> None:
    _set_font(style, FONT)
    style.font.size = Pt(theme.title_size)
    style.font.bold = True
    style.font.color.rgb = RGBColor.from_string(theme.brand_color)
    _remove_child(style.element.get_or_add_rPr(), "w:spacing")  # the template's letter-spacing
    style.paragraph_format.space_after = Pt(design.TITLE_SPACE[1])
    style.paragraph_format.line_spacing = Pt(theme.title_size * design.TITLE_LEADING)
    style.paragraph_format.keep_with_next = True
    _set_bottom_border(style.element.get_or_add_pPr(), theme.brand_color, eighths(theme.title_rule_width))


def _style_subtitle(style: BaseStyle, theme: Theme) -> None:
    _set_font(style, FONT)
    style.font.size = Pt(theme.heading_size(2))
    style.font.italic = False
    style.font.color.rgb = RGBColor.from_string(theme.accent_color)
    _remove_child(style.element.get_or_add_rPr(), "w:spacing")
    style.paragraph_format.space_before, style.paragraph_format.space_after = (Pt(space) for space in design.SUBTITLE_SPACE)
    style.paragraph_format.line_spacing = Pt(theme.heading_size(2) * design.SUBTITLE_LEADING)
    style.paragraph_format.keep_with_next = True


def _style_heading(style: BaseStyle, level: int, theme: Theme) -> None:
    _set_font(style, FONT)
    style.font.size = Pt(theme.heading_size(level))
    style.font.bold = True
    style.font.italic = False
    style.font.color.rgb = RGBColor.from_string(theme.heading_color(level))
    fmt = style.paragraph_format
    fmt.space_before, fmt.space_after = (Pt(space) for space in design.heading_space(level))
    fmt.line_spacing = Pt(theme.heading_size(level) * design.HEADING_LEADING)
    fmt.keep_with_next = True  # never leave a heading alone at the foot of a page


def _style_contents_heading(style: BaseStyle) -> None:
    """Looks like Heading 1 (it is based on it) but stays out of the TOC."""
    style.hidden = False  # the template hides it until used


def _add_toc_styles(styles) -> None:
    """Word's built-in "toc N" styles, which the python-docx template lacks."""
    for level in range(1, TOC_DEPTH + 1):
        style = styles.add_style(toc_style_name(level), WD_STYLE_TYPE.PARAGRAPH)
        _mark_builtin(style)
        style.base_style = styles["Normal"]
        style.font.bold = level == 1
        fmt = style.paragraph_format
        fmt.left_indent = Pt(design.CONTENTS_INDENT * (level - 1))
        fmt.space_before = Pt(4 if level == 1 else 0)
        fmt.space_after = Pt(2)
        fmt.tab_stops.add_tab_stop(Emu(TEXT_WIDTH), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)


def _add_table_text_style(styles, theme: Theme) -> None:
    style = styles.add_style(TABLE_TEXT_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles["Normal"]
    style.font.size = Pt(theme.table_font_size)
    fmt = style.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(theme.table_font_size * design.CELL_LEADING)


def _add_hyperlink_style(styles, theme: Theme) -> None:
    # The python-docx template lacks Word's built-in Hyperlink character style.
    style = styles.add_style(HYPERLINK_STYLE, WD_STYLE_TYPE.CHARACTER)
    _mark_builtin(style)
    style.base_style = styles["Default Paragraph Font"]
    style.font.color.rgb = RGBColor.from_string(theme.link_color)
    style.font.underline = True


def _mark_builtin(style: BaseStyle) -> None:
    """Give an added style Word's own id and drop the custom flag, so Word treats
    it as its built-in style (and its TOC update uses it) instead of a look-alike."""
    style.style_id = STYLE_IDS[style.name]
    style.element.attrib.pop(qn("w:customStyle"), None)


def _add_table_style(styles, theme: Theme) -> None:
    """One named style for every table: thin rule-coloured grid and cell padding."""
    style = styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.TABLE)
    style.base_style = styles["Normal Table"]
    tbl_pr = _get_or_add_child(style.element, "w:tblPr")
    tbl_pr.append(_borders_element("w:tblBorders", theme.rule_color, eighths(theme.rule_width)))
    tbl_pr.append(_cell_margins_element())


# ---------------------------------------------------------------- raw WordprocessingML


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
