"""The portfolio: one row per report built, as a Table and a Document the writers render like any report.

The rows (`Entry`) are plain data that generator.pipeline.index reads from manifests; the
columns are a TableDef like the report's tables, so the XLSX portfolio, the CSV, the JSON
and the terminal table all show the cells this one definition makes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from generator.document.citations import Citer
from generator.document.model import Cell, CellKind, Document, Metadata, NumberFormat, NumberStyle, Table, TitleBlock
from generator.document.tables import CellRule, ColumnDef, TableDef, iso_date, missing_cell, text
from generator.spec.model import DEFAULT_MISSING_TEXT

LISTED_FORMATS = ("docx", "pdf", "xlsx")
TITLE = "Report Portfolio"
NONE = "none"  # a health or problem cell with nothing to report


@dataclass(frozen=True)
class Listed:
    """One deliverable a manifest lists, and what `verify` found on disk."""

    name: str
    size: int
    sha256: str
    status: str  # "OK", "MISSING", "CHANGED"


@dataclass(frozen=True)
class Entry:
    """One report: what its manifest records, what was found, and its health (None: not available)."""

    manifest: str
    code: str | None = None
    title: str | None = None
    version: str | None = None
    as_of: date | None = None
    prepared_for: str | None = None
    files: dict[str, Listed] = field(default_factory=dict)  # format -> deliverable
    generator: str | None = None
    libraries: str | None = None
    stale_reviews: str | None = None  # "Aetna (2024-01-01)", or NONE
    missing_fields: int | None = None
    problems: str = NONE


def whole_number(field_name: str) -> CellRule:
    """A count or a size in bytes: a number cell, digits only (so a CSV reader takes it as a number)."""

    def rule(row: Any, missing_text: str, cite: Citer) -> Cell:
        value = getattr(row, field_name)
        if value is None:
            return missing_cell(missing_text)
        return Cell(str(value), CellKind.NUMBER, value=Decimal(value), number_format=NumberFormat(NumberStyle.PLAIN, 0))

    return rule


def listed(fmt: str, part: str) -> CellRule:
    """The name, size or SHA-256 of the entry's deliverable in `fmt`, missing when none is listed."""
    size = whole_number("size")

    def rule(row: Entry, missing_text: str, cite: Citer) -> Cell:
        found = row.files.get(fmt)
        if found is None:
            return missing_cell(missing_text)
        return size(found, missing_text, cite) if part == "size" else Cell(getattr(found, part))

    return rule


PORTFOLIO = TableDef(
    id="portfolio",
    title="Portfolio",
    rows=None,  # from manifests, not from a spec: PORTFOLIO.table(entries, missing_text)
    columns=(
        # Twenty columns share one sheet's width: dates and numbers get what they need to show whole
        # (a spreadsheet prints ### for a number wider than its column), texts wrap.
        ColumnDef("Code", 6, text("code")),
        ColumnDef("Title", 10, text("title")),
        ColumnDef("Version", 4.5, text("version")),
        ColumnDef("As Of", 12, iso_date("as_of")),
        ColumnDef("Prepared For", 8, text("prepared_for")),
        *(
            ColumnDef(f"{fmt.upper()} {header}", width, listed(fmt, part))
            for fmt in LISTED_FORMATS
            for header, part, width in (("File", "name", 7), ("Bytes", "size", 7.5), ("SHA-256", "sha256", 8))
        ),
        ColumnDef("Generator", 6, text("generator")),
        ColumnDef("Libraries", 10, text("libraries")),
        ColumnDef("Stale Reviews", 9, text("stale_reviews")),
        ColumnDef("Missing Fields", 5, whole_number("missing_fields")),
        ColumnDef("Problems", 10, text("problems")),
        ColumnDef("Manifest", 8, text("manifest")),
    ),
)


def portfolio_table(entries: list[Entry]) -> Table:
    return PORTFOLIO.table(entries, DEFAULT_MISSING_TEXT)


def portfolio_document(entries: list[Entry], folders: list[str], problems: int, as_of: date, version: str) -> Document:
    """The portfolio as a report: a title block that counts, then the table."""
    fields = (("Reports", str(len(entries))), ("Folders", ", ".join(folders)), ("Problems", str(problems)))
    metadata = Metadata(
        code="portfolio",
        title=TITLE,
        subject=f"{len(entries)} reports in {', '.join(folders)}",
        author=None,
        keywords=("portfolio", "manifest"),
        version=version,
        as_of=as_of,
    )
    return Document(metadata, (TitleBlock(TITLE, None, fields), portfolio_table(entries)))
