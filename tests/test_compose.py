"""From spec to document model: structure, table cells and how values are displayed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from generator.document.compose import compose
from generator.spec.model import code_system
from generator.document.display import long_date, format_number
from generator.document.model import BulletList, CellKind, Heading, NumberFormat, NumberStyle, Paragraph, Table
from generator.spec.model import Benchmark, Bullets, Payer, Section, Spec, TablePlacement, Unit

MISSING = "Data not available in the input."


def make_spec(**fields: object) -> Spec:
    base: dict[str, object] = dict(
        code="89253", title="Embryo Hatching", version="2.0", as_of=date(2026, 11, 26),
        sections=(Section(title="Summary", body=("Intro.",)),),
    )
    base.update(fields)
    return Spec(**base)  # type: ignore[arg-type]


def test_unplaced_tables_get_their_own_sections_at_the_end_in_canonical_order() -> None:
    doc = compose(make_spec(sections=(Section(title="Coverage", body=(TablePlacement(table="payers"),)),)))
    headings = [b.text for b in doc.blocks if isinstance(b, Heading)]
    assert headings == ["Coverage", "Modifiers", "Benchmarks", "Data Gaps"]
    assert [t.id for t in doc.tables] == ["payers", "modifiers", "benchmarks", "gaps"]  # the cover's gaps


def test_placed_table_follows_the_blocks_of_its_section() -> None:
    body = ("Before.", Bullets(bullets=("a",)), TablePlacement(table="modifiers"), "After.")
    doc = compose(make_spec(sections=(Section(title="Codes", body=body),)))
    kinds = [type(b).__name__ for b in doc.blocks[1:5]]
    assert kinds == ["Heading", "Paragraph", "BulletList", "Table"]
    assert doc.blocks[5] == Paragraph("After.")


def test_nested_sections_become_nested_heading_levels() -> None:
    tree = Section(title="A", sections=(Section(title="B", sections=(Section(title="C", body=("x",)),)),))
    doc = compose(make_spec(sections=(tree,)))
    assert [(b.level, b.text) for b in doc.blocks if isinstance(b, Heading)][:3] == [(1, "A"), (2, "B"), (3, "C")]


def test_an_empty_section_says_data_is_missing() -> None:
    doc = compose(make_spec(sections=(Section(title="Empty"),)))
    assert doc.blocks[2] == Paragraph(MISSING, missing=True)


def test_the_seed_sentence_is_marked_missing_as_well() -> None:
    doc = compose(make_spec(sections=(Section(title="S", body=(MISSING,)),)))
    assert doc.blocks[2] == Paragraph(MISSING, missing=True)


def test_missing_payer_fields_show_the_missing_text_and_links_ride_on_the_policy() -> None:
    spec = make_spec(
        payers=(
            Payer(payer="Aetna", policy="CPB 0327", policy_url="https://example.com/0327", last_reviewed=date(2025, 6, 1)),
            Payer(payer="Medicare"),
            Payer(payer="Link only", policy_url="https://example.com/x"),
        ),
        missing_text="n/a here",
    )
    payers = next(t for t in compose(spec).tables if t.id == "payers")
    assert [c.header for c in payers.columns] == [
        "Payer", "Coverage", "Prior Authorization", "Policy Reference", "Last Reviewed", "Notes",
    ]
    aetna, medicare, link_only = payers.rows
    assert [c.text for c in aetna] == ["Aetna", "n/a here", "n/a here", "CPB 0327", "2025-06-01", "n/a here"]
    assert aetna[3].link == "https://example.com/0327"
    assert (aetna[4].kind, aetna[4].value) == (CellKind.DATE, date(2025, 6, 1))
    assert all(c.kind is CellKind.MISSING and c.text == "n/a here" for c in medicare[1:])
    assert (link_only[3].text, link_only[3].link) == ("https://example.com/x", "https://example.com/x")


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (Decimal("170.5"), Unit.USD, "$170.50"),
        (Decimal("1234567.125"), Unit.USD, "$1,234,567.125"),
        (Decimal("-5"), Unit.USD, "-$5.00"),
        (Decimal("56.3"), Unit.PERCENT, "56.3%"),
        (Decimal("72"), Unit.PERCENT, "72%"),
        (Decimal("0.05"), Unit.PERCENT, "0.05%"),
        (Decimal("35518"), Unit.COUNT, "35,518"),
        (Decimal("-1200.5"), Unit.COUNT, "-1,200.5"),
        (Decimal("1.09"), Unit.TEXT, "1.09"),
        (Decimal("12345.60"), Unit.TEXT, "12345.60"),
        (Decimal("1E+3"), Unit.COUNT, "1,000"),
    ],
)
def test_benchmark_values_keep_their_typed_decimals(value: Decimal, unit: Unit, text: str) -> None:
    spec = make_spec(benchmarks=(Benchmark(metric="m", value=value, unit=unit),))
    cell = next(t for t in compose(spec).tables if t.id == "benchmarks").rows[0][1]
    assert (cell.text, cell.kind, cell.value) == (text, CellKind.NUMBER, value)


def test_text_benchmark_values_print_as_typed() -> None:
    spec = make_spec(benchmarks=(Benchmark(metric="m", value="varies by plan", unit=Unit.USD),))
    cell = next(t for t in compose(spec).tables if t.id == "benchmarks").rows[0][1]
    assert (cell.text, cell.kind) == ("varies by plan", CellKind.TEXT)


def test_format_number_never_rounds() -> None:
    assert format_number(Decimal("0.125"), NumberFormat(NumberStyle.PERCENT, 3)) == "0.125%"


def test_title_block_and_metadata() -> None:
    doc = compose(make_spec(descriptor="Assisted hatching", prepared_by="RCA"))
    title = doc.blocks[0]
    assert title.title == "CPT 89253: Embryo Hatching"
    assert title.subtitle == "Assisted hatching"
    # The cover leaves out what the spec does not give (prepared_for): no missing-data sentence on it.
    assert [(f.label, f.text, f.missing) for f in title.fields] == [
        ("Prepared by", "RCA", False),
        ("Version", "2.0", False),
        ("As of", "26 November 2026", False),
    ]
    assert title.notices == ()  # no CPT edition, no notices: nothing is invented
    assert (doc.metadata.title, doc.metadata.author, doc.metadata.code) == ("CPT 89253: Embryo Hatching", "RCA", "89253")
    assert "CPT 89253" in doc.metadata.keywords


def test_fields_the_cover_leaves_out_are_data_gaps() -> None:
    doc = compose(make_spec(prepared_by="RCA"))
    assert MISSING not in [f.text for f in doc.blocks[0].fields]
    (gaps,) = [t for t in doc.tables if t.id == "gaps"]
    assert [tuple(c.text for c in row) for row in gaps.rows] == [
        ("Cover", "89253", "Descriptor"), ("Cover", "89253", "Prepared for"),
    ]


@pytest.mark.parametrize(
    ("code", "notice"),
    [
        ("89253", "CPT copyright 2026 American Medical Association. All rights reserved. "
                  "CPT is a registered trademark of the American Medical Association."),
        ("G0101", None),  # HCPCS Level II codes are CMS's: no AMA notice
    ],
)
def test_the_cpt_edition_gives_the_ama_notice_then_the_specs_notices(code: str, notice: str | None) -> None:
    title = compose(make_spec(code=code, cpt_edition="2026", notices=("Not legal advice.",))).blocks[0]
    assert title.notices == ((notice,) if notice else ()) + ("Not legal advice.",)


@pytest.mark.parametrize(("day", "text"), [(date(2026, 11, 26), "26 November 2026"), (date(2027, 1, 5), "5 January 2027")])
def test_long_dates(day: date, text: str) -> None:
    assert long_date(day) == text


@pytest.mark.parametrize(("code", "system"), [("89253", "CPT"), ("0001U", "CPT"), ("1234F", "CPT"), ("G0101", "HCPCS")])
def test_code_system(code: str, system: str) -> None:
    assert code_system(code) == system


def test_empty_tables_carry_the_missing_text() -> None:
    doc = compose(make_spec())
    assert all(t.rows == () and t.empty_text == MISSING for t in doc.tables if isinstance(t, Table) and t.id != "gaps")
    assert not any(isinstance(b, BulletList) for b in doc.blocks)
