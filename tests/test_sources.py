"""The Sources appendix: every payer policy and benchmark source, the same table in every format."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pypdf
import pytest

from generator.document.compose import compose
from generator.document.model import CellKind, Heading, Table
from generator.document.tables import SOURCES
from generator.spec import load_spec
from generator.spec.model import Benchmark, Payer, Revision, Section, Spec
from tests import readback_docx, readback_pdf, readback_xlsx
from tests.built import FORMATS, SPECS, Built

HEADER = ["Source", "Type", "Cited For"]


def make_spec(**fields: object) -> Spec:
    base: dict[str, object] = dict(
        code="89253", title="T", version="1.0", as_of=date(2026, 11, 26), sections=(Section(title="S"),)
    )
    base.update(fields)
    return Spec(**base)  # type: ignore[arg-type]


def sources_table(spec: Spec) -> Table:
    (table,) = [t for t in compose(spec).tables if t.id == "sources"]
    return table


def test_policies_then_benchmark_sources_each_once_with_what_cites_them() -> None:
    spec = make_spec(
        payers=(
            Payer(payer="Aetna", policy="CPB 0327", policy_url="https://a.example/0327"),
            Payer(payer="Medicare"),  # no policy: cites nothing
            Payer(payer="Aetna Medicare", policy="CPB 0327", policy_url="https://a.example/0327"),
            Payer(payer="Cigna", policy="CP 0089"),
            Payer(payer="Link only", policy_url="https://l.example/p"),
        ),
        benchmarks=(
            Benchmark(metric="Rate A", source="CMS"),
            Benchmark(metric="Rate B"),  # no source
            Benchmark(metric="Rate C", source="SART"),
            Benchmark(metric="Rate A", source="CMS"),  # a second period of the same metric
            Benchmark(metric="Rate D", source="CMS"),
        ),
    )
    table = sources_table(spec)
    assert [[cell.text for cell in row] for row in table.rows] == [
        ["CPB 0327", "Payer policy", "Aetna; Aetna Medicare"],
        ["CP 0089", "Payer policy", "Cigna"],
        ["https://l.example/p", "Payer policy", "Link only"],
        ["CMS", "Benchmark source", "Rate A; Rate D"],
        ["SART", "Benchmark source", "Rate C"],
    ]
    assert [row[0].link for row in table.rows] == ["https://a.example/0327", None, "https://l.example/p", None, None]
    assert all(cell.kind is CellKind.TEXT for row in table.rows for cell in row)


def test_the_appendix_comes_before_the_revision_history() -> None:
    spec = make_spec(
        payers=(Payer(payer="Aetna", policy="CPB 0327"),),
        revisions=(Revision(version="1.0", date=date(2026, 11, 26), summary="First."),),
    )
    headings = [block.text for block in compose(spec).blocks if isinstance(block, Heading)]
    assert headings[-3:] == ["Sources", "Revision History", "Data Gaps"]


def test_no_sources_no_appendix() -> None:
    spec = make_spec(payers=(Payer(payer="Medicare"),), benchmarks=(Benchmark(metric="Rate"),))
    document = compose(spec)
    assert "sources" not in [table.id for table in document.tables]
    assert "Sources" not in [block.text for block in document.blocks if isinstance(block, Heading)]
    assert SOURCES.rows(spec) == []


def displayed(table: Table) -> list[list[str]]:
    return [HEADER, *([cell.text for cell in row] for row in table.rows)]


def read_sources(fmt: str, data: bytes) -> list[list[str]]:
    if fmt == "xlsx":
        return readback_xlsx.read_tables(data)["Sources"]
    reader = readback_docx if fmt == "docx" else readback_pdf
    (table,) = [table for table in reader.read_tables(data) if table[0] == HEADER]
    return table


@pytest.mark.parametrize("spec", SPECS, ids=lambda path: path.stem)
def test_the_sources_table_is_the_same_in_every_format(build_once: Built, spec: Path) -> None:
    files = build_once(spec)
    expected = displayed(sources_table(load_spec(spec).spec))
    assert len(expected) > 1, "the specs under test cite sources"
    found = {fmt: read_sources(fmt, files[fmt]) for fmt in FORMATS}
    assert found == {fmt: expected for fmt in FORMATS}


def test_policy_links_in_the_sources_of_every_format(build_once: Built) -> None:
    spec = next(path for path in SPECS if path.stem == "89253")
    files = build_once(spec)
    linked = {row[0].text: row[0].link for row in sources_table(load_spec(spec).spec).rows if row[0].link}
    assert linked, "the 89253 report links at least one policy"
    sheet = readback_xlsx.load(files["xlsx"])["Sources"]
    in_sheet = {row[0].value: row[0].hyperlink.target for row in sheet.iter_rows(min_row=2) if row[0].hyperlink}
    assert in_sheet == linked
    assert set(linked.values()) <= set(readback_docx.read_hyperlinks(files["docx"]).values())
    assert set(linked.values()) <= set(pdf_links_on_the_page_of(files["pdf"], "Cited For"))


def pdf_links_on_the_page_of(data: bytes, text: str) -> list[str]:
    """The link targets of the first page whose text has `text` (the Sources table's header)."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    page = next(page for page in reader.pages if text in page.extract_text())
    return [
        str(annotation.get_object()["/A"]["/URI"])
        for annotation in page.get("/Annots") or []
        if annotation.get_object().get("/Subtype") == "/Link" and "/A" in annotation.get_object()
    ]
