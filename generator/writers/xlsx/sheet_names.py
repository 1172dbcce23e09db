"""Excel-safe sheet names: the Overview's, and one per table, unique without regard to case."""

from __future__ import annotations

import re

OVERVIEW = "Overview"

# Excel refuses these in sheet names, and "History" is reserved for its change tracking.
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_SHEET_NAME_MAX = 31
_RESERVED_SHEET_NAMES = {"history"}


def sheet_names(titles: list[str]) -> list[str]:
    """Excel-safe, case-insensitively unique sheet names, none equal to the Overview's."""
    taken = {OVERVIEW.lower()} | _RESERVED_SHEET_NAMES
    names = []
    for title in titles:
        name = _unique(_clean_sheet_name(title), taken)
        taken.add(name.lower())
        names.append(name)
    return names


def _clean_sheet_name(title: str) -> str:
    # Excel also refuses a name that starts or ends with an apostrophe, or is blank.
    name = _SHEET_NAME_FORBIDDEN.sub("-", title).strip().strip("'")
    return name[:_SHEET_NAME_MAX].rstrip() or "Table"


def _unique(name: str, taken: set[str]) -> str:
    candidate, number = name, 1
    while candidate.lower() in taken:
        number += 1
        suffix = f" ({number})"
        candidate = name[: _SHEET_NAME_MAX - len(suffix)].rstrip() + suffix
    return candidate
