"""The page geometry and typography every paginated writer (PDF, DOCX) follows: defined once here.

Sizes and colours that a client may brand live in the Theme; this module holds what does
not change per client: the paper, the margins, the type family, line spacing, the space
around blocks and table cells, and how the column weights of a table become widths.
"""

from __future__ import annotations

from collections.abc import Sequence

from generator.document.model import Block, BulletList, Heading, Paragraph, Table

INCH = 72.0  # points

PAGE_WIDTH = 8.5 * INCH  # US Letter
PAGE_HEIGHT = 11.0 * INCH
SIDE_MARGIN = 0.75 * INCH
TOP_BOTTOM_MARGIN = 0.85 * INCH
HEADER_FOOTER_DISTANCE = 0.45 * INCH  # from the paper edge to the running header/footer baseline
FRAME_WIDTH = PAGE_WIDTH - 2 * SIDE_MARGIN
FRAME_HEIGHT = PAGE_HEIGHT - 2 * TOP_BOTTOM_MARGIN
# A landscape page (the sheet turned, the same margins), for a table too wide for the portrait frame.
LANDSCAPE_FRAME_WIDTH = PAGE_HEIGHT - 2 * SIDE_MARGIN
LANDSCAPE_FRAME_HEIGHT = PAGE_WIDTH - 2 * TOP_BOTTOM_MARGIN
LANDSCAPE_TABLES = frozenset({"payers"})  # six columns of prose


def page_size(landscape: bool) -> tuple[float, float]:
    return (PAGE_HEIGHT, PAGE_WIDTH) if landscape else (PAGE_WIDTH, PAGE_HEIGHT)


def landscape_runs(blocks: Sequence[Block]) -> dict[int, int]:
    """{index of the first block: index after the last} of each landscape run of a document:
    a table of LANDSCAPE_TABLES with the heading and the prose that lead to it."""
    runs = {}
    for index, block in enumerate(blocks):
        if isinstance(block, Table) and block.id in LANDSCAPE_TABLES:
            start = index
            while start > 0 and isinstance(blocks[start - 1], (Paragraph, BulletList)):
                start -= 1
            if start > 0 and isinstance(blocks[start - 1], Heading):
                start -= 1
            runs[start] = index + 1
    return runs

# Running text (paragraphs, list items) is set to a measure of this many ems of its size:
# about 70 characters of Carlito a line, whatever the size; tables, headings and the
# contents use the frame's full width.
BODY_MEASURE_EMS = 29.0


def body_measure(size: float) -> float:
    return min(FRAME_WIDTH, size * BODY_MEASURE_EMS)


# Line spacing as a multiple of the font size.
BODY_LEADING = 1.35
CELL_LEADING = 1.25
HEADING_LEADING = 1.25
TITLE_LEADING = 1.2
SUBTITLE_LEADING = 1.3

# Space in points around blocks: (before, after).
PARAGRAPH_SPACE = (0.0, 6.0)
FIELD_SPACE = (0.0, 2.0)
TITLE_SPACE = (0.0, 8.0)
SUBTITLE_SPACE = (10.0, 12.0)
BRAND_NAME_SPACE = (0.0, 10.0)
LOGO_SPACE_AFTER = 14.0
TITLE_RULE_SPACE_AFTER = 4.0
COVER_DROP = 180.0  # a cover's title block starts this far below the top margin (2.5 inches), in every format
TABLE_SPACE = (4.0, 10.0)
LIST_INDENT = 16.0
CONTENTS_INDENT = 16.0  # per outline level
CONTENTS_NUMBER_ROOM = 30.0  # a contents line's text stays this far from the right edge
CONTENTS_SPACE_BEFORE = 28.0


def heading_space(level: int) -> tuple[float, float]:
    return (18.0, 14.0, 10.0, 8.0)[min(level, 4) - 1], 6.0 if level == 1 else 4.0


# Table cells: padding in points, left and right alike (the PDF read-back infers the right from the left).
CELL_PADDING = 4.3  # 0.06": a gutter wide enough that text tools keep neighbouring columns apart
CELL_TOP_PADDING = 3.0
CELL_BOTTOM_PADDING = 4.0


def column_widths(weights: Sequence[float], total: float = FRAME_WIDTH) -> list[float]:
    """Column widths in points, proportional to the weights, summing to `total`."""
    weight = sum(weights)
    return [total * w / weight for w in weights]
