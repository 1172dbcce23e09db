"""How values are displayed: the one place that turns numbers and dates into text.

Numbers keep the decimals they were typed with, so nothing is ever rounded;
the matching `NumberFormat` lets a spreadsheet display the very same text.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from generator.document.model import NumberFormat, NumberStyle

DATE_PATTERN = "YYYY-MM-DD"  # ISO 8601: unambiguous for every reader


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")  # not strftime("%B"): that follows the machine's locale


def format_date(value: date) -> str:
    return value.isoformat()


def long_date(value: date) -> str:
    """The date as a letter or a cover writes it: 1 December 2026."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def typed_decimals(value: Decimal) -> int:
    return max(0, -int(value.as_tuple().exponent))


def format_number(value: Decimal, fmt: NumberFormat) -> str:
    digits = f"{abs(value):,.{fmt.decimals}f}" if fmt.style is not NumberStyle.PLAIN else f"{abs(value):.{fmt.decimals}f}"
    sign = "-" if value < 0 else ""
    if fmt.style is NumberStyle.CURRENCY:
        return f"{sign}${digits}"
    if fmt.style is NumberStyle.PERCENT:
        return f"{sign}{digits}%"
    return f"{sign}{digits}"
