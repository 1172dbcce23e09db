"""The XLSX parts every report of a theme shares, made with openpyxl once per theme.

openpyxl builds the styles part (every style of styles.py: fonts, fills, grid, alignments,
number formats, Excel's built-in Hyperlink style), the theme part and, for a theme with a
logo, the drawing that places it on the Overview sheet with its image part. It does so by
saving a scratch workbook with one cell per style; which index each style got is read off
that sheet's saved cells. A report then writes its sheets, workbook part, relationships
and properties as text around these parts (writer.py): building each report's sheets with
openpyxl cost ten times as long as the rest of the render.
"""

from __future__ import annotations

import functools
import io
import json
import re
import types
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass

from generator.writers import RenderError, part_cache
from generator.writers.theme import Theme
from generator.writers.xlsx import styles
from generator.writers.xlsx.styles import Style

FONT = "Calibri"  # as in the DOCX writer; LibreOffice substitutes metric-compatible Carlito
PIXELS_PER_POINT = 96 / 72  # openpyxl sizes images in pixels at 96 dpi
NUMBER_INDENT = 1  # a number's distance from its cell's right edge, in Excel's indent steps

STYLES_PART = "xl/styles.xml"
THEME_PART = "xl/theme/theme1.xml"
_SCRATCH_SHEET = "xl/worksheets/sheet1.xml"
_CONTENT_TYPES = "[Content_Types].xml"
_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_INDEX = "index.json"  # the cache entry's own part: the style indexes and what else the package holds
_CELL_STYLE = re.compile(rb'<c r="A(\d+)"(?: s="(\d+)")?')


@dataclass(frozen=True)
class Package:
    """A theme's shared parts, and the index of every style in its styles part."""

    parts: Mapping[str, bytes]  # zip name -> content: styles, theme, the logo's drawing and image
    style_ids: Mapping[Style, int]
    drawing: str | None  # the zip name of the logo's drawing, which the Overview sheet refers to
    content_types: str  # the [Content_Types].xml entries of `parts` other than styles and theme


@functools.lru_cache(maxsize=8)
def prepared_package(theme: Theme) -> Package:
    """The shared parts of `theme`'s workbooks: from the cache on disk, or else made and kept there."""
    name = part_cache.key("xlsx", [repr(theme), repr(styles.all_styles())], "openpyxl", [__name__, styles.__name__])
    return part_cache.load_or_make(name, _unpacked, lambda: _built(theme), _packed)


def _packed(package: Package) -> dict[str, bytes]:
    """The package as cache parts: its own parts, and an index of what else it holds."""
    index = {
        "styles": [[style.kind, style.banded, style.quoted, number] for style, number in package.style_ids.items()],
        "drawing": package.drawing,
        "content_types": package.content_types,
        "parts": list(package.parts),
    }
    return {**package.parts, _INDEX: json.dumps(index).encode()}


def _unpacked(parts: Mapping[str, bytes]) -> Package:
    index = json.loads(parts[_INDEX])
    style_ids = {Style(kind, bool(banded), bool(quoted)): int(number) for kind, banded, quoted, number in index["styles"]}
    if set(style_ids) != set(styles.all_styles()) or index["drawing"] not in (None, *index["parts"]):
        raise ValueError("the cached package does not hold every style")
    return Package(
        parts=types.MappingProxyType({name: parts[name] for name in index["parts"]}),
        style_ids=types.MappingProxyType(style_ids),
        drawing=index["drawing"],
        content_types=str(index["content_types"]),
    )


def _built(theme: Theme) -> Package:
    """The package made with openpyxl."""
    from openpyxl import Workbook  # the library is needed only here, once per theme and cache

    workbook = Workbook()
    sheet = workbook.active
    if theme.logo is not None:
        _place_logo(sheet, theme)
    looks = _Looks(theme)
    all_styles = styles.all_styles()
    for row, style in enumerate(all_styles, start=1):
        looks.apply(sheet.cell(row, 1), style)
    out = io.BytesIO()
    workbook.save(out)
    with zipfile.ZipFile(out) as saved:
        parts = {name: saved.read(name) for name in saved.namelist()}
    ids = {int(row): int(style or 0) for row, style in _CELL_STYLE.findall(parts[_SCRATCH_SHEET])}
    if len(ids) != len(all_styles):
        raise RuntimeError("openpyxl no longer writes one styled cell per row: the style indexes cannot be read")
    shared = {name: parts[name] for name in (STYLES_PART, THEME_PART)}
    drawings = {name: data for name, data in parts.items() if name.startswith(("xl/drawings/", "xl/media/"))}
    drawing = next((name for name in drawings if re.fullmatch(r"xl/drawings/[^/]+\.xml", name)), None)
    return Package(
        parts=types.MappingProxyType({**shared, **drawings}),
        style_ids=types.MappingProxyType({style: ids[row] for row, style in enumerate(all_styles, start=1)}),
        drawing=drawing,
        content_types=_content_types(parts[_CONTENT_TYPES], drawings),
    )


def _place_logo(sheet: object, theme: Theme) -> None:
    from openpyxl.drawing.image import Image as SheetImage

    assert theme.logo is not None
    width, height = theme.logo.fitted(theme.logo_max_width, theme.logo_max_height)
    try:  # the image library reads the file here, so a damaged one fails now, as one line
        image = SheetImage(io.BytesIO(theme.logo.data))
    except Exception as error:
        raise RenderError(f"the logo cannot be placed in the XLSX: {error}") from None
    image.width, image.height = round(width * PIXELS_PER_POINT), round(height * PIXELS_PER_POINT)
    sheet.add_image(image, "A1")


def _content_types(data: bytes, drawings: Mapping[str, bytes]) -> str:
    """The Default and Override entries openpyxl wrote for the drawing and image parts."""
    from xml.etree import ElementTree  # only when the parts are made

    extensions = {name.rsplit(".", 1)[-1] for name in drawings if name.startswith("xl/media/")}
    entries = []
    for entry in ElementTree.fromstring(data):
        tag, attributes = entry.tag.removeprefix(_TYPES_NS), entry.attrib
        wanted = attributes.get("Extension") in extensions if tag == "Default" else attributes.get("PartName", "")[1:] in drawings
        if wanted:
            pairs = "".join(f' {key}="{value}"' for key, value in attributes.items())
            entries.append(f"<{tag}{pairs}/>")
    return "".join(entries)


class _Looks:
    """The theme as openpyxl fonts, fills, borders and alignments, applied to one cell per style."""

    def __init__(self, theme: Theme) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        size = theme.body_font_size
        thin = Side(style="thin", color=theme.rule_color)
        body = Font(name=FONT, size=size)
        missing = Font(name=FONT, size=size, italic=True, color=theme.missing_color)
        link = Font(name=FONT, size=size, color=theme.link_color, underline="single")
        wrap_top = Alignment(wrap_text=True, vertical="top")
        right = Alignment(wrap_text=True, vertical="top", horizontal="right", indent=NUMBER_INDENT)
        left = Alignment(wrap_text=True, vertical="top", horizontal="left")  # a date, as the documents set it
        self.grid = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.stripe = PatternFill(fill_type="solid", start_color=theme.stripe_color, end_color=theme.stripe_color)
        header_fill = PatternFill(fill_type="solid", start_color=theme.brand_color, end_color=theme.brand_color)
        header = Font(name=FONT, size=size, bold=True, color=theme.header_text_color)

        def heading(size: float, italic: bool = False, color: str = theme.brand_color) -> Font:
            return Font(name=FONT, size=size, bold=not italic, italic=italic, color=color)

        # kind -> (font, alignment, fill, grid)
        self.kinds: dict[str, tuple] = {
            styles.TITLE: (heading(theme.title_size), None, None, False),
            styles.SUBTITLE: (heading(theme.heading_size(2), italic=True, color=theme.accent_color), None, None, False),
            styles.BRAND: (heading(theme.brand_name_size), None, None, False),
            styles.HEADING: (heading(theme.heading_size(1)), None, None, False),
            styles.LABEL: (Font(name=FONT, size=size, bold=True), wrap_top, None, False),
            styles.FIELD: (body, wrap_top, None, False),
            styles.FIELD_MISSING: (missing, wrap_top, None, False),
            styles.SHEET_LINK: (link, wrap_top, None, False),
            styles.HEADER: (header, wrap_top, header_fill, True),
            styles.HEADER_NUMBER: (header, right, header_fill, True),
            styles.EMPTY: (missing, Alignment(vertical="top"), None, False),  # unwrapped: runs on to the right
            styles.TEXT: (body, wrap_top, None, True),
            styles.MISSING: (missing, wrap_top, None, True),
            styles.LINK: (link, wrap_top, None, True),
            styles.DATE: (body, left, None, True),
            styles.OLD: (Font(name=FONT, size=size, strike=True, color=theme.missing_color), wrap_top, None, True),
            styles.NEW: (Font(name=FONT, size=size, bold=True, color=theme.brand_color), wrap_top, None, True),
            styles.OLD_MISSING: (Font(name=FONT, size=size, italic=True, strike=True, color=theme.missing_color), wrap_top, None, True),
            styles.NEW_MISSING: (Font(name=FONT, size=size, bold=True, italic=True, color=theme.missing_color), wrap_top, None, True),
        }
        self.number = (body, right, None, True)

    def apply(self, cell: object, style: Style) -> None:
        font, alignment, fill, grid = self.kinds.get(style.kind, self.number)
        cell.value = "x"
        if style.kind == styles.LINK:
            # Excel's built-in style, so the cell behaves like a typed link. Applied first:
            # a named style resets the number format and font set below.
            cell.style = "Hyperlink"
        cell.font = font
        if alignment is not None:
            cell.alignment = alignment
        if fill is not None or style.banded:
            cell.fill = self.stripe if style.banded else fill
        if grid:
            cell.border = self.grid
        if style.kind == styles.DATE:
            cell.number_format = styles.DATE_FORMAT
        elif style.kind.startswith("number:"):
            cell.number_format = styles.number_format_of(style.kind)
        cell.quotePrefix = style.quoted
