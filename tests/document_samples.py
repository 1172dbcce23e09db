"""Documents built directly from the model, so writer tests do not depend on the spec layer."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from generator.document.model import (
    BulletList,
    Cell,
    CellKind,
    Column,
    Document,
    Heading,
    Metadata,
    NumberFormat,
    NumberStyle,
    Paragraph,
    Table,
    TitleBlock,
)

MISSING = "Data not available in the input."


def missing() -> Cell:
    return Cell(MISSING, CellKind.MISSING)


def sample_document() -> Document:
    """Every block kind, every cell kind, and text that breaks naive writers."""
    modifiers = Table(
        id="modifiers",
        title="Modifiers",
        columns=(
            Column("modifier", "Modifier", 1.0),
            Column("description", "Description", 2.5),
            Column("when_to_use", "When to Use", 4.0),
        ),
        rows=(
            (Cell("GY"), Cell("Statutorily excluded <b> & not a benefit"), Cell("=SUM(A1:A2) stays text")),
            (Cell("59"), Cell("Distinct procedural service ≤ ≥ ± µ é ’ “ ” – —"), missing()),
        ),
        empty_text=MISSING,
    )
    payers = Table(
        id="payers",
        title="Payer Coverage",
        columns=(
            Column("payer", "Payer", 1.4),
            Column("coverage", "Coverage", 2.2),
            Column("prior_authorization", "Prior Authorization", 1.8),
            Column("policy", "Policy Reference", 2.0),
            Column("last_reviewed", "Last Reviewed", 1.2),
            Column("notes", "Notes", 2.4),
        ),
        rows=(
            (
                Cell("Aetna"),
                Cell("Covered under ART benefit"),
                Cell("Required"),
                Cell("Clinical Policy Bulletin 0327", link="https://www.aetna.com/cpb/medical/data/300_399/0327.html"),
                Cell("2025-06-01", CellKind.DATE, value=date(2025, 6, 1)),
                Cell("Averyveryveryveryveryveryveryveryveryveryverylongunbreakabletoken"),
            ),
            (Cell("Medicare"), missing(), missing(), missing(), missing(), missing()),
        ),
        empty_text=MISSING,
    )
    benchmarks = Table(
        id="benchmarks",
        title="Benchmarks",
        columns=(
            Column("metric", "Metric", 3.0),
            Column("value", "Value", 1.3),
            Column("period", "Period", 1.0),
            Column("source", "Source", 3.0),
        ),
        rows=(
            (
                Cell("Negotiated rate, minimum"),
                Cell("$1,170.50", CellKind.NUMBER, Decimal("1170.5"), NumberFormat(NumberStyle.CURRENCY, 2)),
                Cell("2025"),
                Cell("Hospital price transparency file"),
            ),
            (
                Cell("Share of day-3 transfers"),
                Cell("56.3%", CellKind.NUMBER, Decimal("56.3"), NumberFormat(NumberStyle.PERCENT, 1)),
                Cell("2010"),
                missing(),
            ),
            (
                Cell("Cycles with assisted hatching"),
                Cell("35,518", CellKind.NUMBER, Decimal("35518"), NumberFormat(NumberStyle.GROUPED, 0)),
                missing(),
                Cell("CDC national ART surveillance"),
            ),
            (
                Cell("Odds ratio, live birth"),
                Cell("1.09", CellKind.NUMBER, Decimal("1.09"), NumberFormat(NumberStyle.PLAIN, 2)),
                Cell("2021"),
                Cell("Cochrane CD001894.pub6"),
            ),
            (Cell("Medicare national payment"), missing(), missing(), missing()),
        ),
        empty_text=MISSING,
    )
    empty = Table(
        id="revisions",
        title="Revision History",
        columns=(Column("version", "Version", 1.0), Column("date", "Date", 1.0), Column("summary", "Summary", 5.0)),
        rows=(),
        empty_text=MISSING,
    )
    return Document(
        metadata=Metadata(
            code="89253",
            title="CPT 89253: Assisted Embryo Hatching",
            subject="Billing-code report for CPT 89253",
            author="Revenue Cycle Analytics",
            keywords=("CPT 89253", "assisted hatching", "billing"),
            version="1.0",
            as_of=date(2026, 11, 26),
        ),
        blocks=(
            TitleBlock(
                title="CPT 89253: Assisted Embryo Hatching",
                subtitle="Assisted embryo hatching, microtechniques (any method)",
                fields=(("Version", "1.0"), ("As of", "2026-11-26"), ("Prepared for", "Example Fertility Network")),
            ),
            Heading(1, "Summary & Overview"),
            Paragraph("Plain text prints literally: <b>bold?</b> & =SUM(A1) and [brackets]."),
            BulletList(("first point", "second <i>point</i> & more")),
            Heading(2, "Nested heading"),
            Paragraph(MISSING, missing=True),
            modifiers,
            Heading(1, "Payer Coverage"),
            payers,
            Heading(1, "Benchmarks"),
            benchmarks,
            Heading(1, "Revision History"),
            empty,
        ),
    )
