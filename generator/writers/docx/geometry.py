"""The DOCX page and cell padding, and the units WordprocessingML writes them in, counted as python-docx counts them.

A length is an int of English Metric Units (12,700 to the point), truncated from points as
python-docx's `Pt` truncates; twips and half-points are rounded from those EMU as its `Length`
rounds. The package (made with python-docx once per theme) and the body (written as text for
every report) therefore agree to the unit, and the body needs no python-docx.
"""

from __future__ import annotations

from generator.writers import design

EMU_PER_POINT = 12700
EMU_PER_TWIP = 635


def emu(points: float) -> int:
    """`points` as EMU, truncated as python-docx's Pt truncates them."""
    return int(points * EMU_PER_POINT)


def twips_of(length: int) -> int:
    """An EMU length in twips (twentieths of a point), rounded."""
    return int(round(length / float(EMU_PER_TWIP)))


def twips(points: float) -> int:
    """`points` in twips, by way of whole EMU (python-docx's `Pt(points).twips`)."""
    return twips_of(emu(points))


def points_of(length: int) -> float:
    """An EMU length in points."""
    return length / float(EMU_PER_POINT)


def half_points(points: float) -> int:
    """A font size in WordprocessingML's unit, rounded down as python-docx rounds it."""
    return int(points_of(emu(points)) * 2)


def eighths(points: float) -> int:
    """A border width in WordprocessingML's unit, eighths of a point."""
    return round(points * 8)


PAGE_WIDTH = emu(design.PAGE_WIDTH)
PAGE_HEIGHT = emu(design.PAGE_HEIGHT)
SIDE_MARGIN = emu(design.SIDE_MARGIN)
TOP_BOTTOM_MARGIN = emu(design.TOP_BOTTOM_MARGIN)
HEADER_FOOTER_DISTANCE = emu(design.HEADER_FOOTER_DISTANCE)
TEXT_WIDTH = PAGE_WIDTH - 2 * SIDE_MARGIN
LANDSCAPE_TEXT_WIDTH = PAGE_HEIGHT - 2 * SIDE_MARGIN  # the same margins on the page turned

CELL_MARGIN_TWIPS = {
    "top": twips(design.CELL_TOP_PADDING),
    "bottom": twips(design.CELL_BOTTOM_PADDING),
    "left": twips(design.CELL_PADDING),
    "right": twips(design.CELL_PADDING),
}
