"""Measure, break and place a document: its pages of positioned boxes, before any drawing."""

from __future__ import annotations

from generator.document.model import Document, TitleBlock
from generator.writers.pdf import contents, flow, furniture, place
from generator.writers.pdf.boxes import Anchor, Page
from generator.writers.pdf.styles import styles
from generator.writers.theme import Theme


def layout(document: Document, theme: Theme) -> list[Page]:
    """The pages of `document`, with the contents' page numbers and the running header and footer."""
    chosen = styles(theme)
    pages = place.place(flow.items(document, chosen), theme)
    heading_pages = {box.key: page.number for page in pages for box in page.boxes if isinstance(box, Anchor)}
    contents.fill_in(pages, heading_pages)
    furniture.add(pages, document.metadata, chosen, cover=bool(document.blocks) and isinstance(document.blocks[0], TitleBlock))
    return pages
