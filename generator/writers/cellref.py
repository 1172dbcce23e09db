"""Spreadsheet cell references: column letters, and the absolute formula of some cells of a column."""

from __future__ import annotations


def column_letter(number: int) -> str:
    """1 -> "A", 27 -> "AA"."""
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def cells_formula(sheet: str, column: int, rows: list[int]) -> str:
    """Absolute references to `rows` of `column` (both 1-based) on `sheet`: a range when the rows
    are consecutive, else a union, e.g. `(Benchmarks!$B$15,Benchmarks!$B$17)`."""
    quoted = sheet if sheet.isalnum() else "'" + sheet.replace("'", "''") + "'"
    letters = column_letter(column)
    if rows == list(range(rows[0], rows[0] + len(rows))):
        last = f":${letters}${rows[-1]}" if len(rows) > 1 else ""
        return f"{quoted}!${letters}${rows[0]}{last}"
    return "(" + ",".join(f"{quoted}!${letters}${row}" for row in rows) + ")"
