"""Read an XLSX deliverable back as the texts Excel would display, with openpyxl alone.

Shares no code with the writer: the small number-format interpreter below
knows only the formats the contract promises, and fails loudly on any other,
so a format the writer should not produce cannot slip through as "General".
"""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet
from tests.readback_cache import by_bytes

OVERVIEW = "Overview"

# An optional quoted prefix ("$"), digits with or without grouping, optional decimals, optional %.
_NUMBER_FORMAT = re.compile(r'^(?:"(?P<prefix>[^"]*)")?(?P<digits>#,##0|0)(?:\.(?P<decimals>0+))?(?P<percent>%)?$')
_DATE_FORMATS = {"yyyy-mm-dd": "%Y-%m-%d"}


def load(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


@by_bytes
def read_tables(data: bytes) -> dict[str, list[list[str]]]:
    """Sheet title -> rows (header row first) of displayed texts, for every sheet but the Overview."""
    workbook = load(data)
    return {sheet.title: sheet_texts(sheet) for sheet in workbook.worksheets if sheet.title != OVERVIEW}


@by_bytes
def read_overview(data: bytes) -> list[list[str]]:
    """The Overview sheet's non-blank rows, each without its trailing blank cells."""
    rows = sheet_texts(load(data)[OVERVIEW])
    trimmed = [_trim(row) for row in rows]
    return [row for row in trimmed if row]


def sheet_texts(sheet: Worksheet) -> list[list[str]]:
    """Every row of the used range, every cell as displayed ("" for an empty cell)."""
    return [[displayed(cell.value, cell.number_format) for cell in row] for row in sheet.iter_rows()]


def _trim(row: list[str]) -> list[str]:
    while row and row[-1] == "":
        row = row[:-1]
    return row


def displayed(value: object, number_format: str) -> str:
    """The text Excel shows for a value under a number format."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (date, datetime)):
        return _display_date(value, number_format)
    if isinstance(value, (int, float)):
        return _display_number(value, number_format)
    raise TypeError(f"unexpected cell value {value!r}")


def _display_date(value: date, number_format: str) -> str:
    pattern = _DATE_FORMATS.get(number_format.lower())
    if pattern is None:
        raise ValueError(f"unsupported date format {number_format!r}")
    return value.strftime(pattern)


def _display_number(value: int | float, number_format: str) -> str:
    if number_format == "General":
        return str(value) if isinstance(value, int) or not value.is_integer() else str(int(value))
    match = _NUMBER_FORMAT.match(number_format)
    if match is None:
        raise ValueError(f"unsupported number format {number_format!r}")
    number = Decimal(repr(value))  # the shortest text that reads back as the same double
    if match["percent"]:
        number *= 100
    decimals = len(match["decimals"] or "")
    # Excel rounds halves away from zero, which is Decimal's ROUND_HALF_UP.
    rounded = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    grouping = "," if match["digits"] == "#,##0" else ""
    digits = format(abs(rounded), f"{grouping}.{decimals}f")
    sign = "-" if rounded < 0 else ""
    return f"{sign}{match['prefix'] or ''}{digits}{match['percent'] or ''}"
