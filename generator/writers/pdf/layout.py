"""Measure, break and place a document: its pages of positioned boxes, before any drawing."""

from __future__ import annotations

from dataclasses import dataclass

from generator.document.model import Document, Letter, TitleBlock
from generator.writers.pdf import contents, flow, fonts, furniture, place
from generator.writers.pdf.boxes import Anchor, Page
from generator.writers.pdf.styles import styles
from generator.writers.theme import Theme


def layout(document: Document, theme: Theme) -> list[Page]:
    """The pages of `document`, with the contents' page numbers and the running header and footer."""
    kept = _kept_for(document, theme)
    if kept is not None and kept.pages is not None:
        pages, kept.pages = kept.pages, None  # handed over: the PDF's drawing lets them go when done
        return pages
    pages = _layout(document, theme)
    _keep(document, theme, pages, keep_pages=False)
    return pages


def heading_pages(document: Document, theme: Theme) -> dict[int, int]:
    """{index of a Heading block: the page it starts on} as this engine lays the document out.
    The DOCX's contents print these numbers: both documents share one page geometry and typeface."""
    kept = _kept_for(document, theme)
    if kept is None:
        kept = _keep(document, theme, _layout(document, theme), keep_pages=True)
    return kept.headings


@dataclass
class _Kept:
    """The last document laid out (the same document and theme objects): a build renders the DOCX,
    whose contents print the page numbers, and the PDF from one document, and the layout is the
    costliest step of both. Its pages are kept only until the PDF takes them, its headings' pages
    until another document is laid out."""

    document: Document
    theme: Theme
    headings: dict[int, int]
    pages: list[Page] | None


_last: _Kept | None = None


def _kept_for(document: Document, theme: Theme) -> _Kept | None:
    if _last is not None and _last.document is document and _last.theme is theme:
        return _last
    return None


def _keep(document: Document, theme: Theme, pages: list[Page], keep_pages: bool) -> _Kept:
    global _last
    headings = {flow.heading_index(key): number for key, number in _heading_pages(pages).items()}
    _last = _Kept(document, theme, headings, pages if keep_pages else None)
    return _last


def _layout(document: Document, theme: Theme) -> list[Page]:
    fonts.register()
    chosen = styles(theme)
    pages = place.place(flow.items(document, chosen), theme)
    contents.fill_in(pages, _heading_pages(pages))
    furniture.add(pages, document.metadata, chosen, bare=_bare_pages(document, pages))
    return pages


def _bare_pages(document: Document, pages: list[Page]) -> set[int]:
    """The pages without running header and footer, as the DOCX's section first pages: a packet's
    letter, and the page a title block starts on (a report's cover, a memo's first page)."""
    bare = {1} if document.blocks and isinstance(document.blocks[0], Letter) else set()
    titles = {id(block) for block in document.blocks if isinstance(block, TitleBlock)}
    for page in pages:
        if any(id(getattr(box, "node", None)) in titles for box in page.boxes):
            bare.add(page.number)
            break  # the first page a title block is on
    return bare


def _heading_pages(pages: list[Page]) -> dict[str, int]:
    return {box.key: page.number for page in pages for box in page.boxes if isinstance(box, Anchor)}
