"""What the canonical tables must hold, worked out from the YAML and INTERFACE.md alone.

This deliberately shares no code with the generator: it reads the spec with
PyYAML's BaseLoader (every scalar as typed) and applies the contract's rules,
so a bug in the spec layer or the composer cannot hide in both places.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import yaml

HEADERS = {
    "modifiers": ["Modifier", "Description", "When to Use"],
    "payers": ["Payer", "Coverage", "Prior Authorization", "Policy Reference", "Last Reviewed", "Notes"],
    "benchmarks": ["Metric", "Value", "Period", "Source"],
}
FIELDS = {
    "modifiers": ["modifier", "description", "when_to_use"],
    "payers": ["payer", "coverage", "prior_authorization", "policy", "last_reviewed", "notes"],
    "benchmarks": ["metric", "value", "period", "source"],
}
NULLS = {"", "~", "null", "Null", "NULL"}
DEFAULT_MISSING = "Data not available in the input."


def _clean(raw: str) -> str:
    return re.sub(r"[ \t\r\n]+", " ", raw).strip()


def _is_missing(raw: object) -> bool:
    """Null, or text that is blank once whitespace is collapsed: the generator shows neither."""
    return raw is None or (isinstance(raw, str) and _clean(raw) in NULLS)


def _number(raw: str, unit: str) -> str:
    value = Decimal(raw.replace("_", ""))
    decimals = max(0, -value.as_tuple().exponent)
    if unit == "usd":
        decimals = max(decimals, 2)
    grouped = "," if unit in ("usd", "percent", "count") else ""
    digits = format(abs(value), f"{grouped}.{decimals}f")
    sign = "-" if value < 0 else ""
    return {"usd": f"{sign}${digits}", "percent": f"{sign}{digits}%"}.get(unit, f"{sign}{digits}")


def _cell(table: str, field: str, raw_row: dict, typed_row: dict, missing: str) -> str:
    raw = raw_row.get(field)
    if table == "payers" and field == "policy" and _is_missing(raw):
        raw = raw_row.get("policy_url")  # a bare link shows the URL
    if _is_missing(raw):
        return missing
    if table == "benchmarks" and field == "value" and isinstance(typed_row.get("value"), (int, float)):
        return _number(raw, raw_row.get("unit", "text"))
    return _clean(raw)


def missing_text(path: Path) -> str:
    raw = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    return _clean(raw.get("missing_text", DEFAULT_MISSING))


def expected_tables(path: Path) -> dict[str, list[list[str]]]:
    """Table id -> rows (header row first) of displayed texts."""
    text = path.read_text(encoding="utf-8")
    raw = yaml.load(text, Loader=yaml.BaseLoader)
    typed = yaml.safe_load(text)
    missing = missing_text(path)
    tables = {}
    for table, fields in FIELDS.items():
        rows = [HEADERS[table]]
        for raw_row, typed_row in zip(raw.get(table) or [], typed.get(table) or []):
            rows.append([_cell(table, f, raw_row, typed_row, missing) for f in fields])
        tables[table] = rows
    return tables
