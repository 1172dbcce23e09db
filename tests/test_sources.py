"""Numbered citations and the References appendix: the same numbers and entries in every format.

Expected numbers come from tests/oracle.py, which works them out from the YAML alone
(first citation in reading order); the deliverables are read back with python-docx,
pdfplumber/pypdf and openpyxl.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from generator.document.compose import compose
from generator.document.model import BulletList, CellKind, Heading, Paragraph, Table
from generator.spec import load_spec
from generator.spec.model import DEFAULT_MISSING_TEXT, Benchmark, Bullets, Cited, Modifier, Payer, Revision, Section, Source, Spec, TablePlacement
from tests import readback_docx, readback_pdf, readback_xlsx
from tests.built import FORMATS, SPECS, Built
from tests.oracle import citation_numbers, expected_links, expected_references, mark

HEADER = ["No.", "Source", "Author or Publisher", "Date", "Accessed"]
MARK = re.compile(r"\[(\d+(?:, \d+)*)\]")


def make_spec(**fields: object) -> Spec:
    base: dict[str, object] = dict(
        code="89253", title="T", version="1.0", as_of=date(2026, 11, 26), sections=(Section(title="S"),)
    )
    base.update(fields)
    return Spec(**base)  # type: ignore[arg-type]


def sources(*ids: str) -> tuple[Source, ...]:
    return tuple(Source(id=i, title=f"Title {i}", url=f"https://example.test/{i}") for i in ids)


def references(spec: Spec) -> list[list[str]]:
    (table,) = [t for t in compose(spec).tables if t.id == "references"]
    return [[cell.text for cell in row] for row in table.rows]


# --- numbering in the document model ----------------------------------------------------------


def test_numbers_follow_the_first_citation_in_reading_order() -> None:
    spec = make_spec(
        sections=(
            Section(title="A", body=(Cited(text="First.", cite=("c", "a")), Bullets(bullets=("plain", Cited(text="Point.", cite=("b", "a")))))),
            Section(title="B", body=(TablePlacement(table="benchmarks"),)),  # placed before the unplaced payers
        ),
        payers=(Payer(payer="P", coverage="Covered", cite=("d", "b")),),
        benchmarks=(Benchmark(metric="M", value=None, source="Short name", cite=("e",)),),
        sources=sources("a", "b", "c", "d", "e", "never"),
    )
    blocks = compose(spec).blocks
    assert Paragraph("First. [1, 2]") in blocks  # c is 1, a is 2: in the order the list gives them
    assert BulletList(("plain", "Point. [2, 3]")) in blocks  # numbers ascending within a mark
    tables = {t.id: t for t in compose(spec).tables}
    assert tables["benchmarks"].rows[0][3].text == "Short name [4]"
    # No policy: the Policy Reference cell still says so, in the missing style, then the marks.
    assert tables["payers"].rows[0][3].text == f"{DEFAULT_MISSING_TEXT} [3, 5]"
    assert tables["payers"].rows[0][3].kind is CellKind.MISSING
    assert [row[:2] for row in references(spec)] == [
        ["[1]", "Title c"], ["[2]", "Title a"], ["[3]", "Title b"], ["[4]", "Title e"], ["[5]", "Title d"],
    ]  # each cited source once; the uncited one not at all
    (table,) = [t for t in compose(spec).tables if t.id == "references"]
    assert [row[1].link for row in table.rows] == [f"https://example.test/{i}" for i in "cabed"]


def test_marks_join_the_column_that_closes_or_references_the_row() -> None:
    spec = make_spec(
        modifiers=(Modifier(modifier="GY", description="Excluded", cite=("a",)), Modifier(modifier="GA", description="ABN", when_to_use="Medicare.", cite=("b",))),
        payers=(Payer(payer="P", policy="CPB 0327", policy_url="https://example.test/p", cite=("b", "a")),),
        sources=sources("a", "b"),
    )
    tables = {t.id: t for t in compose(spec).tables}
    assert [row[2].text for row in tables["modifiers"].rows] == [f"{DEFAULT_MISSING_TEXT} [1]", "Medicare. [2]"]  # the contract's columns only
    policy = tables["payers"].rows[0][3]
    assert (policy.text, policy.link) == ("CPB 0327 [1, 2]", "https://example.test/p")


def test_the_appendix_comes_before_the_revision_history_and_replaces_sources() -> None:
    spec = make_spec(
        modifiers=(Modifier(modifier="GY", description="Excluded", cite=("m",)),),
        revisions=(Revision(version="1.0", date=date(2026, 11, 26), summary="First."),),
        sources=sources("m"),
    )
    headings = [block.text for block in compose(spec).blocks if isinstance(block, Heading)]
    assert headings[-3:] == ["References", "Revision History", "Data Gaps"]
    assert "Sources" not in headings


def test_nothing_cited_no_appendix() -> None:
    spec = make_spec(benchmarks=(Benchmark(metric="Rate", source="CMS"),), sources=sources("unused"))
    document = compose(spec)
    assert "references" not in [table.id for table in document.tables]
    assert "References" not in [block.text for block in document.blocks if isinstance(block, Heading)]
    assert next(t for t in document.tables if t.id == "benchmarks").rows[0][3].text == "CMS"  # legacy text as typed


def test_a_source_without_url_or_dates_shows_the_missing_text() -> None:
    spec = make_spec(sources=(Source(id="x", title="Only a title"),), payers=(Payer(payer="P", cite=("x",)),))
    assert references(spec) == [["[1]", "Only a title", *[spec.missing_text] * 3]]


# --- the built deliverables -------------------------------------------------------------------


def read_references(fmt: str, data: bytes) -> list[list[str]]:
    if fmt == "xlsx":
        return readback_xlsx.read_tables(data)["References"]
    reader = readback_docx if fmt == "docx" else readback_pdf
    (table,) = [table for table in reader.read_tables(data) if table[0] == HEADER]
    return table


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("spec", SPECS, ids=lambda path: path.stem)
def test_every_cited_source_appears_once_with_its_number(build_once: Built, spec: Path, fmt: str) -> None:
    expected = expected_references(spec)
    assert len(expected) > 3, "the specs under test cite sources"
    found = read_references(fmt, build_once(spec)[fmt])
    assert found == expected
    titles = [row[1] for row in found[1:]]
    assert len(titles) == len(set(zip(titles, [row[2] for row in found[1:]])))  # once each


@pytest.mark.parametrize("spec", SPECS, ids=lambda path: path.stem)
def test_every_reference_links_to_its_url_in_every_format(build_once: Built, spec: Path) -> None:
    files = build_once(spec)
    links = expected_links(spec)  # "[3]" -> URL
    assert links, "the specs under test cite sources with URLs"
    titles = {row[0]: row[1] for row in expected_references(spec)[1:]}
    sheet = readback_xlsx.load(files["xlsx"])["References"]
    in_sheet = {row[0].value: row[1].hyperlink.target for row in sheet.iter_rows(min_row=2) if row[1].hyperlink}
    assert in_sheet == links
    in_docx = readback_docx.read_hyperlinks(files["docx"])
    assert all(in_docx[titles[label]] == url for label, url in links.items())
    assert set(links.values()) <= set(readback_pdf.read_links(files["pdf"]))


def cited_texts(spec: Path) -> list[str]:
    """Every cited paragraph and bullet point of the spec as the report must print it, with its mark."""
    raw = yaml.load(spec.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    numbers = citation_numbers(spec)
    found: list[str] = []

    def walk(sections: list) -> None:
        for section in sections or []:
            for block in section.get("body") or []:
                points = block["bullets"] if isinstance(block, dict) and "bullets" in block else [block]
                found.extend(
                    f"{' '.join(point['text'].split())} {mark(point, numbers)}"
                    for point in points
                    if isinstance(point, dict) and "text" in point
                )
            walk(section.get("sections"))

    walk(raw["sections"])
    return found


@pytest.mark.parametrize("spec", SPECS, ids=lambda path: path.stem)
def test_every_number_in_the_text_is_its_sources_number(build_once: Built, spec: Path) -> None:
    files = build_once(spec)
    expected = cited_texts(spec)
    assert expected, "the specs under test cite from paragraphs or bullets"
    paragraphs = readback_docx.read_paragraphs(files["docx"])
    assert [text for text in expected if text not in paragraphs] == []
    pdf_text = " ".join(body_text(files["pdf"], load_spec(spec).spec).split())
    assert [text for text in expected if text not in pdf_text] == []


def body_text(pdf: bytes, spec: Spec) -> str:
    """The PDF's text without its running header and footer, so that a bullet a page break
    splits reads on as one text."""
    title = compose(spec).metadata.title
    footer = re.compile(r"(?:.* · )?Version .* · As of .* · Page \d+ of \d+")
    lines = [line for page in readback_pdf.read_page_texts(pdf) for line in page.splitlines()]
    return "\n".join(line for line in lines if line.strip() != title and not footer.fullmatch(line.strip()))


@pytest.mark.parametrize("spec", SPECS, ids=lambda path: path.stem)
def test_no_number_in_any_format_points_past_the_references(build_once: Built, spec: Path) -> None:
    files = build_once(spec)
    count = len(citation_numbers(spec))
    texts = {
        "docx": " ".join(readback_docx.read_paragraphs(files["docx"]) + [c for t in readback_docx.read_tables(files["docx"]) for r in t for c in r]),
        "pdf": readback_pdf.read_text(files["pdf"]),
        "xlsx": " ".join(c for t in readback_xlsx.read_tables(files["xlsx"]).values() for r in t for c in r),
    }
    for fmt, text in texts.items():
        numbers = {int(n) for found in MARK.findall(text) for n in found.split(", ")}
        assert numbers == set(range(1, count + 1)), fmt  # every entry is cited, and nothing beyond them


def test_the_89253_report_keeps_no_url_in_its_texts() -> None:
    spec = next(path for path in SPECS if path.stem == "89253")
    document = compose(load_spec(spec).spec)
    texts = [text for block in document.blocks if not (isinstance(block, Table) and block.id == "references") for text in _texts(block)]
    assert [text for text in texts if "http" in text or "www." in text] == []


def _texts(block: object) -> list[str]:
    if isinstance(block, Paragraph):
        return [block.text]
    if isinstance(block, BulletList):
        return list(block.items)
    if isinstance(block, Table):
        return [cell.text for row in block.rows for cell in row]
    return []


@pytest.mark.parametrize("spec_path", SPECS, ids=lambda path: path.stem)
def test_a_cited_cell_without_a_value_still_says_so(spec_path: Path) -> None:
    spec = load_spec(spec_path).spec
    cells = [cell for table in compose(spec).tables for row in table.rows for cell in row]
    for cell in (cell for cell in cells if cell.kind is CellKind.MISSING):  # the sentence first, then only marks
        assert re.fullmatch(re.escape(spec.missing_text) + r"( \[\d+(, \d+)*\])?", cell.text), cell.text


def test_medicare_s_policy_reference_says_it_is_missing_before_its_marks() -> None:
    spec = load_spec(Path(__file__).parent.parent / "specs" / "89253.yaml").spec
    payers = next(table for table in compose(spec).tables if table.id == "payers")
    column = [c.header for c in payers.columns].index("Policy Reference")
    medicare = next(row for row in payers.rows if row[0].text == "Medicare")
    assert medicare[column].kind is CellKind.MISSING
    assert re.fullmatch(re.escape(spec.missing_text) + r" \[\d+, \d+, \d+\]", medicare[column].text)
