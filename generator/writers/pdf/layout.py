"""Measure, break and place a document: its pages of positioned boxes, before any drawing."""

from __future__ import annotations

from generator.document.model import Document, TitleBlock
from generator.writers.pdf import contents, flow, fonts, furniture, place
from generator.writers.pdf.boxes import Anchor, Page
from generator.writers.pdf.styles import styles
from generator.writers.theme import Theme


def layout(document: Document, theme: Theme) -> list[Page]:
    """The pages of `document`, with the contents' page numbers and the running header and footer.

    The last result is kept (for the same document and theme objects): a build renders the
    DOCX, whose contents print these page numbers, and the PDF from one document, and the
    layout is the costliest step of both. Nothing changes pages once laid out.
    """
    global _last
    if _last is not None and _last[0] is document and _last[1] is theme:
        return _last[2]
    pages = _layout(document, theme)
    _last = document, theme, pages
    return pages


_last: tuple[Document, Theme, list[Page]] | None = None


def _layout(document: Document, theme: Theme) -> list[Page]:
    fonts.register()
    chosen = styles(theme)
    pages = place.place(flow.items(document, chosen), theme)
    contents.fill_in(pages, _heading_pages(pages))
    furniture.add(pages, document.metadata, chosen, cover=bool(document.blocks) and isinstance(document.blocks[0], TitleBlock))
    return pages


def heading_pages(document: Document, theme: Theme) -> dict[int, int]:
    """{index of a Heading block: the page it starts on} as this engine lays the document out.
    The DOCX's contents print these numbers: both documents share one page geometry and typeface."""
    return {flow.heading_index(key): number for key, number in _heading_pages(layout(document, theme)).items()}


def _heading_pages(pages: list[Page]) -> dict[str, int]:
    return {box.key: page.number for page in pages for box in page.boxes if isinstance(box, Anchor)}
