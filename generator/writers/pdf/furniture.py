"""The running header and footer: artifacts on every page, outside the document's structure.

The header is the title over a rule; the footer the brand, version, date and Page X of Y.
"""

from __future__ import annotations

from dataclasses import replace

from generator.document.model import Metadata
from generator.writers import design
from generator.writers.pdf.boxes import Page, Rule, Text
from generator.writers.pdf.measure import TextStyle, width
from generator.writers.pdf.styles import Styles

ELLIPSIS = "\u2026"


def add(pages: list[Page], metadata: Metadata, styles: Styles, bare: set[int]) -> None:
    """The header and footer on every page but those numbered in `bare` (a cover, a letter)."""
    theme = styles.theme
    footer = theme.running_footer(metadata.version, metadata.as_of.isoformat())
    for page in (page for page in pages if page.number not in bare):
        page_width, page_height = page.size
        header_y = page_height - design.HEADER_FOOTER_DISTANCE
        left, right = design.SIDE_MARGIN, page_width - design.SIDE_MARGIN
        title, title_style = _fitted(metadata.title, styles.running, theme.running_min_font_size, right - left)
        text, style = _fitted(f"{footer}{page.number} of {len(pages)}", styles.running, theme.running_min_font_size, right - left)
        page.boxes[0:0] = [
            Text(left, header_y, title, title_style, None),
            Rule(left, header_y - 4, right, header_y - 4, theme.rule_width, theme.rule_color),
            Text(page_width / 2 - width(text, style) / 2, design.HEADER_FOOTER_DISTANCE, text, style, None),
        ]


def _fitted(text: str, style: TextStyle, min_size: float, room: float) -> tuple[str, TextStyle]:
    """The running size, shrunk (down to a floor) so a long text stays on one line of `room`
    points; cut with an ellipsis only when even the smallest size does not fit."""
    natural = width(text, style)
    if natural > room:
        style = replace(style, size=max(min_size, style.size * room / natural))
    if width(text, style) <= room:
        return text, style
    while text and width(text + ELLIPSIS, style) > room:
        text = text[:-1]
    return text + ELLIPSIS, style
