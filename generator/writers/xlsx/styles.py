"""The XLSX cell styles: every look a cell can have, named, so sheets refer to them by index.

A report's sheets are written as text (sheetml.py), which names a cell's style by its index
in the workbook's styles part. That part is made once per theme (package.py), holding every
style listed here, whether a report uses it or not: so the index of a style depends only on
the theme, and a report never needs the styles library. A style is (kind, banded, quoted):
banded is the stripe of every other table row, quoted the quote prefix that keeps a text
starting like a formula a text when it is edited.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.document.model import NumberFormat, NumberStyle
from generator.writers.cellformat import excel_number_format

# Decimals a number may carry (spec/validate.py bounds the digits after the point to 15).
MAX_DECIMALS = 15
DATE_FORMAT = "yyyy-mm-dd"  # ISO 8601, the text the model gives every date

# Text styles of the Overview sheet.
TITLE, SUBTITLE, BRAND, HEADING, LABEL, FIELD, FIELD_MISSING, SHEET_LINK = (
    "title", "subtitle", "brand", "heading", "label", "field", "field-missing", "sheet-link",
)
# Styles of the table sheets: the header row, the sentence of an empty table, the body cells.
HEADER, HEADER_NUMBER, EMPTY = "header", "header-number", "empty"
TEXT, MISSING, LINK = "text", "missing", "link"
# A change summary's values: old struck through in grey, new bold in the brand colour (each also as the missing text).
OLD, NEW, OLD_MISSING, NEW_MISSING = "old", "new", "old-missing", "new-missing"
DATE = "date"

OVERVIEW_TEXT = (TITLE, SUBTITLE, BRAND, HEADING, LABEL, FIELD, FIELD_MISSING, SHEET_LINK)
TABLE_TEXT = (HEADER, HEADER_NUMBER, EMPTY)
BODY_TEXT = (TEXT, MISSING, LINK, OLD, NEW, OLD_MISSING, NEW_MISSING)


@dataclass(frozen=True, order=True)
class Style:
    """A cell style of the workbook: what kind of cell, banded, quote-prefixed."""

    kind: str  # one of the names above, or number_kind(fmt)
    banded: bool = False
    quoted: bool = False


def number_kind(fmt: NumberFormat) -> str:
    return f"number:{fmt.style.value}:{fmt.decimals}"


def number_format_of(kind: str) -> str:
    """The Excel number format of a number style's kind."""
    _, style, decimals = kind.split(":")
    return excel_number_format(NumberFormat(NumberStyle(style), int(decimals)))


def all_styles() -> tuple[Style, ...]:
    """Every style the styles part holds, in the order it is built."""
    styles = [Style(kind, quoted=quoted) for kind in OVERVIEW_TEXT + TABLE_TEXT for quoted in (False, True)]
    styles += [Style(kind, banded, quoted) for kind in BODY_TEXT for banded in (False, True) for quoted in (False, True)]
    numbers = [number_kind(NumberFormat(style, decimals)) for style in NumberStyle for decimals in range(MAX_DECIMALS + 1)]
    styles += [Style(kind, banded) for kind in (DATE, *numbers) for banded in (False, True)]
    return tuple(styles)
