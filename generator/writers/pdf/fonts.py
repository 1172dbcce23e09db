"""The embedded TrueType faces: registered with reportlab once, and every character checked.

writers/typeface.py names the faces and knows their repertoire.
"""

from __future__ import annotations

import functools

from reportlab.pdfbase import pdfmetrics

from generator.document.model import Document
from generator.writers import RenderError, typeface
from generator.writers.theme import Theme

REGULAR, BOLD, ITALIC = typeface.REGULAR, typeface.BOLD, typeface.ITALIC


@functools.cache
def register() -> None:
    """Register the faces once per process; later calls return at once."""
    for font in typeface.faces().values():
        pdfmetrics.registerFont(font)


def check_glyphs(document: Document, theme: Theme) -> frozenset[str]:
    """The characters of the document's texts, once every one is known to print: text the
    embedded font cannot draw is refused (a box or a blank is a silently wrong value)."""
    texts = (*document.texts(), *((theme.brand_name,) if theme.brand_name else ()))
    characters = frozenset().union(*texts)
    if not typeface.missing_characters("".join(characters)):
        return characters
    for text in texts:  # name the first text that has such characters
        absent = typeface.missing_characters(text)
        if absent:
            snippet = text if len(text) <= 60 else text[:57] + "..."
            raise RenderError(f"the PDF font ({typeface.FAMILY}) has no glyph for {typeface.describe(absent)} in {snippet!r}")
