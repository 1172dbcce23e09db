"""The canonical tables, defined once: columns, headers, widths and how each value is shown.

Every writer draws the `Table` these definitions produce, so the header texts
and cell texts of DOCX, PDF and XLSX cannot drift apart.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from generator.document.citations import Citer, id_marks, with_mark
from generator.document.display import format_date, format_number, typed_decimals
from generator.document.links import url_spans
from generator.document.model import Cell, CellKind, Column, NumberFormat, NumberStyle, Table
from generator.spec.model import Spec, Unit

# Builds one cell from a spec row, given the missing-data sentence and how citations are marked.
CellRule = Callable[[Any, str, Citer], Cell]


def missing_cell(missing_text: str) -> Cell:
    return Cell(missing_text, CellKind.MISSING)


def text(field: str) -> CellRule:
    def rule(row: Any, missing_text: str, cite: Citer) -> Cell:
        value = getattr(row, field)
        return missing_cell(missing_text) if value is None else Cell(value, spans=url_spans(value))

    return rule


def linked_text(field: str, url_field: str) -> CellRule:
    """Text that links to a URL; a URL without text shows the URL itself."""

    def rule(row: Any, missing_text: str, cite: Citer) -> Cell:
        value, url = getattr(row, field), getattr(row, url_field)
        if value is None and url is None:
            return missing_cell(missing_text)
        return Cell(value or url, link=url)

    return rule


def with_citations(shown: CellRule) -> CellRule:
    """A cell followed by the marks of its row's `cite` list.

    The marks go into an existing column (the contract fixes the columns), the one that says
    where a row's statements come from or closes the row. A cell with no value still says so:
    the missing-data sentence, marked as missing, then the marks.
    """

    def rule(row: Any, missing_text: str, cite: Citer) -> Cell:
        cell, marks = shown(row, missing_text, cite), cite(row.cite)
        if not marks:
            return cell
        return dataclasses.replace(cell, text=with_mark(cell.text, marks))

    return rule


def iso_date(field: str) -> CellRule:
    def rule(row: Any, missing_text: str, cite: Citer) -> Cell:
        value: date | None = getattr(row, field)
        if value is None:
            return missing_cell(missing_text)
        return Cell(format_date(value), CellKind.DATE, value=value)

    return rule


_NUMBER_STYLES = {
    Unit.USD: NumberStyle.CURRENCY,
    Unit.PERCENT: NumberStyle.PERCENT,
    Unit.COUNT: NumberStyle.GROUPED,
    Unit.TEXT: NumberStyle.PLAIN,
}


def measured(field: str, unit_field: str) -> CellRule:
    """A number shown in its unit (dollars always with cents), or text as typed."""

    def rule(row: Any, missing_text: str, cite: Citer) -> Cell:
        value: Decimal | str | None = getattr(row, field)
        if value is None:
            return missing_cell(missing_text)
        if isinstance(value, str):
            return Cell(value)
        style = _NUMBER_STYLES[getattr(row, unit_field)]
        decimals = max(2, typed_decimals(value)) if style is NumberStyle.CURRENCY else typed_decimals(value)
        fmt = NumberFormat(style, decimals)
        return Cell(format_number(value, fmt), CellKind.NUMBER, value=value, number_format=fmt)

    return rule


@dataclass(frozen=True)
class ColumnDef:
    """A column of a table definition: header, relative width and how a row's cell is made."""

    header: str
    width: float  # relative; the same proportions in every format
    cell: CellRule


@dataclass(frozen=True)
class TableDef:
    """A canonical table, defined once: its id, title, rows and columns."""

    id: str  # the name a spec uses to place the table
    title: str
    rows: Callable[[Spec], Sequence[Any]] | None  # None: the caller passes the rows to `build`
    columns: tuple[ColumnDef, ...]

    def build(self, spec: Spec, cite: Citer = id_marks, rows: Sequence[Any] | None = None) -> Table:
        """The table of `spec`'s rows (or of `rows`); `cite` marks the citations, ids by default."""
        chosen = rows if rows is not None or self.rows is None else self.rows(spec)
        return self.table(chosen or (), spec.missing_text, cite)

    def table(self, rows: Sequence[Any], missing_text: str, cite: Citer = id_marks) -> Table:
        """The Table of `rows` (records with the fields the columns name), e.g. a portfolio's reports."""
        return Table(
            id=self.id,
            title=self.title,
            columns=tuple(Column(_key(c.header), c.header, c.width) for c in self.columns),
            rows=tuple(tuple(c.cell(row, missing_text, cite) for c in self.columns) for row in rows),
            empty_text=missing_text,
        )

    def row(self, row: Any, spec: Spec, cite: Citer = id_marks) -> tuple[Cell, ...]:
        return tuple(c.cell(row, spec.missing_text, cite) for c in self.columns)


def _key(header: str) -> str:
    return header.lower().replace(" ", "_")


MODIFIERS = TableDef(
    "modifiers",
    "Modifiers",
    lambda spec: spec.modifiers,
    (
        ColumnDef("Modifier", 1.0, text("modifier")),
        ColumnDef("Description", 3.0, text("description")),
        ColumnDef("When to Use", 4.5, with_citations(text("when_to_use"))),
    ),
)

PAYERS = TableDef(
    "payers",
    "Payer Coverage",
    lambda spec: spec.payers,
    (
        ColumnDef("Payer", 1.8, text("payer")),
        ColumnDef("Coverage", 2.2, text("coverage")),
        ColumnDef("Prior Authorization", 1.7, text("prior_authorization")),
        ColumnDef("Policy Reference", 1.9, with_citations(linked_text("policy", "policy_url"))),
        ColumnDef("Last Reviewed", 1.1, iso_date("last_reviewed")),
        ColumnDef("Notes", 2.1, text("notes")),
    ),
)

BENCHMARKS = TableDef(
    "benchmarks",
    "Benchmarks",
    lambda spec: spec.benchmarks,
    (
        ColumnDef("Metric", 3.2, text("metric")),
        ColumnDef("Value", 1.3, measured("value", "unit")),
        ColumnDef("Period", 1.1, text("period")),
        ColumnDef("Source", 3.2, with_citations(text("source"))),
    ),
)

# The tables a spec places with `table: <id>`; each appears in every report exactly once.
CANONICAL_TABLES = (MODIFIERS, PAYERS, BENCHMARKS)

REVISIONS = TableDef(
    "revisions",
    "Revision History",
    lambda spec: spec.revisions,
    (
        ColumnDef("Version", 1.0, text("version")),
        ColumnDef("Date", 1.2, iso_date("date")),
        ColumnDef("Summary", 6.0, text("summary")),
    ),
)


# The "References" appendix: every cited source once, by its number, the title linking to it.
# Its rows come from the composer, which numbers the sources as it cites them.
REFERENCES = TableDef(
    "references",
    "References",
    None,
    (
        # Date and Accessed wide enough for the missing sentence in two lines ("Data not available" /
        # "in the input."), not three, in the tables' font.
        ColumnDef("No.", 0.7, text("label")),
        ColumnDef("Source", 3.8, linked_text("title", "url")),
        ColumnDef("Author or Publisher", 2.1, text("publisher")),
        ColumnDef("Date", 1.45, text("published")),
        ColumnDef("Accessed", 1.45, iso_date("accessed")),
    ),
)


@dataclass(frozen=True)
class Gap:
    """One canonical-table cell that shows the missing-data sentence."""

    table: str  # the table's title
    row: str  # the row's key (first column): modifier, payer or metric
    field: str  # the column header


COVER = "Cover"
# The cover's optional fields: (label, Spec attribute). A cover leaves out those the spec lacks.
COVER_FIELDS = (("Descriptor", "descriptor"), ("Prepared for", "prepared_for"), ("Prepared by", "prepared_by"))


def gaps(spec: Spec) -> list[Gap]:
    """The cover's missing fields first (the cover leaves them off), then every missing table cell."""
    cover = [Gap(COVER, spec.code, label) for label, name in COVER_FIELDS if getattr(spec, name) is None]
    return cover + [
        Gap(table.title, row[0].text, column.header)
        for table in (t.build(spec) for t in CANONICAL_TABLES)
        for row in table.rows
        for column, cell in zip(table.columns, row)
        if cell.kind is CellKind.MISSING
    ]


# The "Data Gaps" appendix: every cover field and canonical-table field the spec leaves out.
GAPS = TableDef(
    "gaps",
    "Data Gaps",
    gaps,
    (
        ColumnDef("Table", 2.0, text("table")),
        ColumnDef("Row", 3.0, text("row")),
        ColumnDef("Field", 2.5, text("field")),
    ),
)
