"""What the canonical tables must hold, worked out from the YAML and INTERFACE.md alone.

This deliberately shares no code with the generator: it reads the spec with
PyYAML's BaseLoader (every scalar as typed) and applies the contract's rules,
so a bug in the spec layer or the composer cannot hide in both places.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from tests.readback_cache import by_bytes

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
TABLE_ORDER = ("modifiers", "payers", "benchmarks")  # unplaced tables follow the sections in this order
# The column of each table that carries a row's citation marks, after its own text.
CITED = {"modifiers": "when_to_use", "payers": "policy", "benchmarks": "source"}
NULLS = {"", "~", "null", "Null", "NULL"}
DEFAULT_MISSING = "Data not available in the input."


def _clean(raw: str) -> str:
    """Text as the spec format defines it: whitespace runs (line and paragraph separators too) are one space, NFC."""
    return unicodedata.normalize("NFC", re.sub("[ \t\r\n\u2028\u2029]+", " ", raw).strip())


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


def _cell(table: str, field: str, raw_row: dict, typed_row: dict, missing: str, numbers: dict[str, int]) -> str:
    shown = _value(table, field, raw_row, typed_row, missing)
    marks = mark(raw_row, numbers) if CITED[table] == field else ""
    if not marks:
        return shown
    return f"{shown} {marks}"  # a missing value still says so, then the marks


def _value(table: str, field: str, raw_row: dict, typed_row: dict, missing: str) -> str:
    raw = raw_row.get(field)
    if table == "payers" and field == "policy" and _is_missing(raw):
        raw = raw_row.get("policy_url")  # a bare link shows the URL
    if _is_missing(raw):
        return missing
    if table == "benchmarks" and field == "value" and isinstance(typed_row.get("value"), (int, float)):
        return _number(raw, raw_row.get("unit", "text"))
    return _clean(raw)


def _raw(path: Path) -> Any:
    """The spec as PyYAML's BaseLoader reads it: every scalar the text it was typed as."""
    return _load(path.read_text(encoding="utf-8").encode("utf-8"), "raw")


def _typed(path: Path) -> Any:
    """The spec as yaml.safe_load reads it (numbers and dates typed)."""
    return _load(path.read_text(encoding="utf-8").encode("utf-8"), "typed")


@by_bytes
def _load(text: bytes, kind: str) -> Any:
    """One parse per spec text and loader, however many expectations are worked out from it."""
    decoded = text.decode("utf-8")
    return yaml.load(decoded, Loader=yaml.BaseLoader) if kind == "raw" else yaml.safe_load(decoded)


def missing_text(path: Path) -> str:
    raw = _raw(path)
    return _clean(raw.get("missing_text", DEFAULT_MISSING))


def mark(item: object, numbers: dict[str, int]) -> str:
    """ "[2, 5]": the numbers of the ids an item's `cite` lists, ascending; "" when it cites nothing."""
    ids = (item.get("cite") or []) if isinstance(item, dict) else []
    return f"[{', '.join(str(n) for n in sorted({numbers[i] for i in ids}))}]" if ids else ""


def citation_numbers(path: Path) -> dict[str, int]:
    """Source id -> number, by first citation in reading order: the sections depth first (paragraphs,
    bullet points and the rows of each table where it is placed), then the unplaced tables."""
    raw = _raw(path)
    order: list[str] = []
    placed: list[str] = []

    def cite(item: object) -> None:
        if isinstance(item, dict):
            order.extend(i for i in item.get("cite") or [] if i not in order)

    def walk(sections: list) -> None:
        for section in sections or []:
            for block in section.get("body") or []:
                if isinstance(block, dict) and "table" in block:
                    placed.append(block["table"])
                    for row in raw.get(block["table"]) or []:
                        cite(row)
                elif isinstance(block, dict) and "bullets" in block:
                    for point in block["bullets"]:
                        cite(point)
                else:
                    cite(block)
            walk(section.get("sections"))

    walk(raw["sections"])
    for table in TABLE_ORDER:
        if table not in placed:
            for row in raw.get(table) or []:
                cite(row)
    return {source_id: n for n, source_id in enumerate(order, 1)}


def expected_references(path: Path) -> list[list[str]]:
    """The References table (header first): every cited source once, by number, title, publisher, date, accessed."""
    raw = _raw(path)
    missing = missing_text(path)
    registry = {source["id"]: source for source in raw.get("sources") or []}
    rows = [["No.", "Source", "Author or Publisher", "Date", "Accessed"]]
    for source_id, number in citation_numbers(path).items():
        source = registry[source_id]
        fields = [source.get(name) for name in ("title", "publisher", "published", "accessed")]
        rows.append([f"[{number}]", *(missing if _is_missing(v) else _clean(v) for v in fields)])
    return rows


def expected_links(path: Path) -> dict[str, str]:
    """Number label -> URL of every cited source that has one."""
    raw = _raw(path)
    urls = {source["id"]: source.get("url") for source in raw.get("sources") or []}
    return {f"[{n}]": ascii_link(urls[i]) for i, n in citation_numbers(path).items() if not _is_missing(urls[i])}


def ascii_link(url: str) -> str:
    """A link as every format writes it (for an ASCII host): each non-ASCII character percent-encoded as UTF-8."""
    return re.sub(r"[^\x21-\x7e]", lambda m: "".join(f"%{byte:02X}" for byte in m.group().encode()), url)


def expected_tables(path: Path) -> dict[str, list[list[str]]]:
    """Table id -> rows (header row first) of displayed texts."""
    raw, typed = _raw(path), _typed(path)
    missing = missing_text(path)
    numbers = citation_numbers(path)
    tables = {}
    for table, fields in FIELDS.items():
        rows = [HEADERS[table]]
        for raw_row, typed_row in zip(raw.get(table) or [], typed.get(table) or []):
            rows.append([_cell(table, f, raw_row, typed_row, missing, numbers) for f in fields])
        tables[table] = rows
    return tables
