"""The contents page: one linked line per heading, dots and page number filled in after placing."""

from __future__ import annotations


from generator.writers import design
from generator.writers.pdf.boxes import Leader, Page, Text
from generator.writers.pdf.items import LEFT, PageBreak, Space, TextItem, text_item
from generator.writers.pdf.measure import width
from generator.writers.pdf.styles import Styles

TITLE = "Contents"
DOT = " . "


def items(headings: list[TextItem], styles: Styles) -> list:
    """The contents' items; each heading's anchor gets its outline depth here."""
    found: list = [Space(design.CONTENTS_SPACE_BEFORE)]
    found.append(text_item(TITLE, styles.heading(1), design.HEADING_LEADING, design.heading_space(1), (("P", "contents"),), None))
    for number, heading in enumerate(settle_depths(headings)):
        key, title, depth = heading.anchor
        style = styles.contents_line(depth)
        entry = (("TOC", 0), ("TOCI", number))
        link = (*entry, ("Link", 0))
        indent = depth * design.CONTENTS_INDENT
        found.append(text_item(
            title, style, design.BODY_LEADING, (6.0 if depth == 0 else 1.0, 0.0), link, heading.node,
            x=LEFT + indent, room=design.FRAME_WIDTH - indent - design.CONTENTS_NUMBER_ROOM,
            link=(key, True, f"Go to {title}", link), leader=(key, style, entry),
        ))
    found.append(PageBreak())
    return found


def settle_depths(headings: list[TextItem]) -> list[TextItem]:
    """Give each heading's anchor its outline depth in place of its level (the outline needs it, contents or not)."""
    for heading, depth in zip(headings, outline_depths([h.anchor[2] for h in headings])):
        key, title, _ = heading.anchor
        heading.anchor = key, title, depth
    return headings


def outline_depths(levels: list[int]) -> list[int]:
    """Heading levels as outline depths: a PDF outline goes at most one level deeper at a time."""
    depths, previous = [], -1
    for level in levels:
        previous = min(level - 1, previous + 1)
        depths.append(previous)
    return depths


def fill_in(pages: list[Page], heading_pages: dict[str, int]) -> None:
    """Each leader becomes dots (an artifact) and its heading's page number, set flush right."""
    right = design.SIDE_MARGIN + design.FRAME_WIDTH
    for page in pages:
        boxes = page.boxes
        leaders = [index for index, box in enumerate(boxes) if isinstance(box, Leader)]
        for index in reversed(leaders):  # from the end, so that the indexes before stay right
            box = boxes[index]
            number = str(heading_pages[box.key])
            number_width = width(number, box.style)
            dot = width(DOT, box.style)
            dots = max(0, int((right - box.x - number_width) / dot))
            start = right - dots * dot - number_width
            boxes[index : index + 1] = [
                Text(start, box.y, DOT * dots, box.style, None),
                Text(right - number_width, box.y, number, box.style, box.tag),
            ]


