"""How a spreadsheet stores and shows a model number: its value and its number-format code.

Shared by the XLSX writer's cells and the charts (chartml.py) of both DOCX and XLSX, so a
chart's cached numbers and labels are those of the cells.
"""

from __future__ import annotations

from decimal import Decimal

from generator.document.model import NumberFormat, NumberStyle


def excel_value(value: Decimal, fmt: NumberFormat) -> int | float:
    """The number a cell stores. The model holds percentage points (56.3); Excel's % format multiplies by 100."""
    if fmt.style is NumberStyle.PERCENT:
        value = value / 100
    return int(value) if value == value.to_integral_value() else float(value)


def excel_number_format(fmt: NumberFormat) -> str:
    """The Excel format that displays a value as generator.document.display does."""
    decimals = "." + "0" * fmt.decimals if fmt.decimals > 0 else ""
    if fmt.style is NumberStyle.CURRENCY:
        return f'"$"#,##0{decimals}'
    if fmt.style is NumberStyle.PERCENT:
        return f"#,##0{decimals}%"  # grouped like the other formats' "1,234.5%"
    if fmt.style is NumberStyle.GROUPED:
        return f"#,##0{decimals}"
    return f"0{decimals}"
