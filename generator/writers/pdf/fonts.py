"""The embedded TrueType faces: registered with reportlab once, and the check that every
character of a document has a glyph in them."""

from __future__ import annotations

import functools
import os

import reportlab
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from generator.document.model import Document
from generator.writers import RenderError
from generator.writers.theme import Theme

FAMILY = "Bitstream Vera"
REGULAR = "Vera"
BOLD = "Vera-Bold"
ITALIC = "Vera-Italic"
FILES = {REGULAR: "Vera.ttf", BOLD: "VeraBd.ttf", ITALIC: "VeraIt.ttf"}


@functools.cache
def register() -> None:
    """Register the faces once per process; later calls return at once."""
    folder = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    for name, filename in FILES.items():
        pdfmetrics.registerFont(TTFont(name, os.path.join(folder, filename)))


def check_glyphs(document: Document, theme: Theme) -> None:
    """Refuse text the embedded font cannot draw: a box or a blank is a silently wrong value."""
    glyphs = pdfmetrics.getFont(REGULAR).face.charToGlyph
    texts = (*document.texts(), *((theme.brand_name,) if theme.brand_name else ()))
    # Glyph 0 is .notdef: a cmap may map a character to it, and it draws as a box.
    if all(glyphs.get(ord(char)) for char in set().union(*texts)):
        return
    for text in texts:  # name the first text that has such characters
        absent = sorted({char for char in text if not glyphs.get(ord(char))})
        if absent:
            names = ", ".join(f"{char!r} (U+{ord(char):04X})" for char in absent)
            snippet = text if len(text) <= 60 else text[:57] + "..."
            raise RenderError(f"the PDF font ({FAMILY}) has no glyph for {names} in {snippet!r}")
