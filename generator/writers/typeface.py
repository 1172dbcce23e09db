"""The typeface the PDF embeds, and its repertoire: the one place that knows which characters print.

`missing_characters` serves `validate` (an error naming the field, before any build) and the
PDF writer alike, so the two can never disagree about what the font can draw.
"""

from __future__ import annotations

import functools
import os

import reportlab
from reportlab.pdfbase.ttfonts import TTFontFile

FAMILY = "Bitstream Vera"
REGULAR_FILE = os.path.join(os.path.dirname(reportlab.__file__), "fonts", "Vera.ttf")


@functools.cache
def _repertoire() -> frozenset[int]:
    """Code points the regular face maps to a real glyph (glyph 0, .notdef, draws as a box)."""
    face = TTFontFile(REGULAR_FILE)
    return frozenset(code for code, glyph in face.charToGlyph.items() if glyph)


def missing_characters(text: str) -> str:
    """The distinct characters of `text` the PDF font has no glyph for, in code-point order."""
    repertoire = _repertoire()
    return "".join(sorted({char for char in text if ord(char) not in repertoire}))


def describe(missing: str) -> str:
    """`'☃' (U+2603), ...` for an error message."""
    return ", ".join(f"{char!r} (U+{ord(char):04X})" for char in missing)
