"""A debugging writer: the document model as indented text (like docutils' pseudoxml) or JSON.

It reads only the document model, like every writer, so what it shows is
exactly what the DOCX, PDF and XLSX writers receive.
"""

from __future__ import annotations

import dataclasses
import json
import re
import typing
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

from generator.document.model import (
    Block,
    BulletList,
    Cell,
    CellKind,
    Chart,
    ChartPoint,
    Document,
    Heading,
    Letter,
    Metadata,
    Paragraph,
    Table,
    TitleBlock,
)

INDENT = "  "
_BLOCK_TYPES = typing.get_args(Block)
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f\\]")  # escaped so that a block stays on one line
_UNPRINTABLE_IN_CELL = re.compile(r"[\x00-\x1f\x7f\\|]")  # and `|`, so that cells stay countable


def dump_text(document: Document) -> str:
    """One line per block; blocks under a heading are indented one step deeper than it."""
    lines = _metadata_lines(document.metadata)
    depth = 0
    for block in document.blocks:
        if isinstance(block, Heading):
            depth = block.level - 1
            lines.append(INDENT * depth + f"heading {block.level}: {_flat(block.text)}")
            depth = block.level
        else:
            lines.extend(INDENT * depth + line for line in _block_lines(block))
    return "\n".join(lines) + "\n"


def dump_json(document: Document) -> str:
    """The whole model: sorted keys, dates ISO, Decimals as strings, each block tagged with its type."""
    return json.dumps(_plain(document), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _metadata_lines(meta: Metadata) -> list[str]:
    return [
        "metadata:",
        f"{INDENT}code: {_flat(meta.code)}",
        f"{INDENT}title: {_flat(meta.title)}",
        f"{INDENT}subject: {_flat(meta.subject)}",
        f"{INDENT}author: {_optional(meta.author)}",
        f"{INDENT}keywords: {' | '.join(_cell_text(k) for k in meta.keywords)}",
        f"{INDENT}version: {_flat(meta.version)}",
        f"{INDENT}as_of: {meta.as_of.isoformat()}",
    ]


def _block_lines(block: Block) -> list[str]:
    if isinstance(block, TitleBlock):
        return [
            f"title: {_flat(block.title)}",
            f"{INDENT}subtitle: {_optional(block.subtitle)}",
            *(
                f"{INDENT}field {_flat(f.label)}{' (missing)' if f.missing else ''}: {_flat(f.text)}"
                for f in block.fields
            ),
            *(f"{INDENT}notice: {_flat(notice)}" for notice in block.notices),
        ]
    if isinstance(block, Paragraph):
        return [f"paragraph{' (missing)' if block.missing else ''}: {_flat(block.text)}"]
    if isinstance(block, BulletList):
        return ["bullets:", *(f"{INDENT}- {_flat(item)}" for item in block.items)]
    if isinstance(block, Table):
        return _table_lines(block)
    if isinstance(block, Letter):
        return ["letter:", *(f"{INDENT}{_flat(line)}" for line in block.texts())]
    if isinstance(block, Chart):
        return _chart_lines(block)
    raise TypeError(f"the dump writer does not know the block {type(block).__name__}")


def _table_lines(table: Table) -> list[str]:
    lines = [
        f"table {table.id}: {' | '.join(_cell_text(c.header) for c in table.columns)}",
        f"{INDENT}title: {_flat(table.title)}",
        f"{INDENT}keys: {' | '.join(c.key for c in table.columns)}",
        f"{INDENT}widths: {' | '.join(f'{c.width:g}' for c in table.columns)}",
        f"{INDENT}empty_text: {_flat(table.empty_text)}",
    ]
    if not table.rows:
        lines.append(f"{INDENT}(no rows)")
    lines.extend(f"{INDENT}row: {' | '.join(_cell(cell, table.empty_text) for cell in row)}" for row in table.rows)
    return lines


def _chart_lines(chart: Chart) -> list[str]:
    fmt = chart.number_format
    return [
        f"chart {chart.id}: {chart.kind.value}: {_flat(chart.title)}",
        f"{INDENT}categories: {' | '.join(_cell_text(c) for c in chart.categories)}",
        f"{INDENT}axes: {_optional(chart.category_axis)} | {_optional(chart.value_axis)}",
        f"{INDENT}format: {fmt.style.value}/{fmt.decimals}",
        f"{INDENT}source: {chart.source_table}.{chart.source_column}",
        *(
            f"{INDENT}series {_cell_text(s.name)}: {' | '.join(_point(p) for p in s.points)}"
            for s in chart.series
        ),
        f"{INDENT}alt: {_flat(chart.alt_text)}",
    ]


def _point(point: ChartPoint) -> str:
    """The point's text, its value (or gap) and the source row it comes from."""
    value = "[gap]" if point.value is None else f"[number {point.value}]"
    return f"{_cell_text(point.text)} {value} [row {point.row}]"


def _cell(cell: Cell, empty_text: str) -> str:
    """The displayed text, then a marker for anything that is not plain text.

    A missing cell that shows the table's `empty_text`, as it should, is just `[missing]`.
    """
    if cell.kind is CellKind.MISSING and cell.text == empty_text and cell.link is None:
        return "[missing]"
    markers = []
    if cell.kind is CellKind.MISSING:
        markers.append("[missing]")
    elif cell.kind is CellKind.NUMBER:
        fmt = cell.number_format
        style = f" {fmt.style.value}/{fmt.decimals}" if fmt else ""
        markers.append(f"[number {cell.value}{style}]")
    elif cell.kind is CellKind.DATE:
        value = cell.value.isoformat() if isinstance(cell.value, date) else cell.value
        markers.append(f"[date {value}]")
    if cell.link is not None:
        markers.append(f"[link {cell.link}]")
    if cell.emphasis is not None:
        markers.append(f"[{cell.emphasis.value}]")
    return " ".join([_cell_text(cell.text), *markers])


def _flat(text: str) -> str:
    """Text kept on one line: control characters and backslashes escaped."""
    return _UNPRINTABLE.sub(_escape, text)


def _cell_text(text: str) -> str:
    """Like `_flat`, and a `|` inside a cell is escaped so the columns stay countable."""
    return _UNPRINTABLE_IN_CELL.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return {"\n": "\\n", "\t": "\\t", "\\": "\\\\", "|": "\\|"}.get(char, f"\\x{ord(char):02x}")


def _optional(text: str | None) -> str:
    return "(none)" if text is None else _flat(text)


def _plain(value: Any) -> Any:
    """The model as JSON values; blocks carry a "type" so a reader can tell them apart."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        if isinstance(value, _BLOCK_TYPES):
            fields["type"] = type(value).__name__
        return fields
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"the dump writer cannot show a {type(value).__name__}")
