"""The report's one typeface, and its repertoire: the one place that knows which characters print.

Office files name Calibri; the PDF embeds Carlito, its metric twin (SIL Open Font License,
shipped in writers/fonts/ with the licence), so Word, LibreOffice (which substitutes Carlito
for Calibri) and our PDF break lines on the same advance widths. `missing_characters`
serves `validate` (an error naming the field, before any build) and the PDF writer alike,
so the two can never disagree about what the font can draw.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from reportlab.pdfbase.ttfonts import TTFont

OFFICE_NAME = "Calibri"  # what DOCX and XLSX name, for headings and body alike
FAMILY = "Carlito"  # what the PDF embeds
FOLDER = Path(__file__).with_name("fonts")
FILES = {  # the PDF's registered face name -> its file
    "Carlito": FOLDER / "Carlito-Regular.ttf",
    "Carlito-Bold": FOLDER / "Carlito-Bold.ttf",
    "Carlito-Italic": FOLDER / "Carlito-Italic.ttf",
}
REGULAR, BOLD, ITALIC = FILES


@functools.cache
def faces() -> dict[str, TTFont]:
    """Each face read once per process (reportlab parses the whole file): the PDF registers these
    same objects, and the repertoire is read off them."""
    return {name: TTFont(name, str(path)) for name, path in FILES.items()}


@functools.cache
def _repertoire() -> frozenset[str]:
    """The characters every face maps to a real glyph (glyph 0, .notdef, draws as a box)."""
    maps = [font.face.charToGlyph for font in faces().values()]
    return frozenset(chr(code) for code, glyph in maps[0].items() if glyph and all(face.get(code) for face in maps[1:]))


# Every face draws printable ASCII (a test asserts it): only the other characters of a text need
# looking up, and most texts have none or a few.
_BEYOND_PRINTABLE_ASCII = re.compile("[^ -~]")


def missing_characters(text: str) -> str:
    """The distinct characters of `text` the PDF font has no glyph for, in code-point order."""
    others = _BEYOND_PRINTABLE_ASCII.findall(text)
    if not others:
        return ""
    return "".join(sorted(set(others).difference(_repertoire())))


def describe(missing: str) -> str:
    """`'☃' (U+2603), ...` for an error message."""
    return ", ".join(f"{char!r} (U+{ord(char):04X})" for char in missing)
