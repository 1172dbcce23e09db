"""The promise of the product: every table cell of every spec, identical in DOCX, PDF and XLSX.

Expected texts come from tests/oracle.py, which reads the YAML with no generator
code; the deliverables are read back with python-docx, pdfplumber and openpyxl.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import readback_docx, readback_pdf, readback_xlsx
from tests.built import SPECS, Built
from tests.oracle import HEADERS, expected_tables

SHEETS = {"modifiers": "Modifiers", "payers": "Payer Coverage", "benchmarks": "Benchmarks"}
CASES = [(spec, table) for spec in SPECS for table in HEADERS]


def as_read(rows: list[list[str]], missing: str) -> list[list[str]]:
    """An empty table is drawn as one row holding the missing-data sentence."""
    return rows if len(rows) > 1 else rows + [[missing]]


def squeeze_empty_row(rows: list[list[str]], missing: str) -> list[list[str]]:
    if len(rows) == 2 and {cell for cell in rows[1] if cell} == {missing}:
        return [rows[0], [missing]]
    return rows


def by_header(tables: list[list[list[str]]]) -> dict[tuple[str, ...], list[list[str]]]:
    return {tuple(table[0]): table for table in tables}


def missing_text(spec: Path) -> str:
    import yaml

    return yaml.safe_load(spec.read_text(encoding="utf-8")).get("missing_text") or "Data not available in the input."


def case_id(case: object) -> str:
    return case.stem if isinstance(case, Path) else str(case)


@pytest.mark.parametrize(("spec", "table"), CASES, ids=case_id)
def test_docx_tables_equal_the_spec_cell_by_cell(build_once: Built, spec: Path, table: str) -> None:
    files = build_once(spec)
    missing = missing_text(spec)
    found = by_header(readback_docx.read_tables(files["docx"]))[tuple(HEADERS[table])]
    assert squeeze_empty_row(found, missing) == as_read(expected_tables(spec)[table], missing)


@pytest.mark.parametrize(("spec", "table"), CASES, ids=case_id)
def test_pdf_tables_equal_the_spec_cell_by_cell(build_once: Built, spec: Path, table: str) -> None:
    files = build_once(spec)
    missing = missing_text(spec)
    found = by_header(readback_pdf.read_tables(files["pdf"]))[tuple(HEADERS[table])]
    assert squeeze_empty_row(found, missing) == as_read(expected_tables(spec)[table], missing)


@pytest.mark.parametrize(("spec", "table"), CASES, ids=case_id)
def test_xlsx_sheets_equal_the_spec_cell_by_cell(build_once: Built, spec: Path, table: str) -> None:
    files = build_once(spec)
    missing = missing_text(spec)
    found = readback_xlsx.read_tables(files["xlsx"])[SHEETS[table]]
    assert squeeze_empty_row(found, missing) == as_read(expected_tables(spec)[table], missing)


@pytest.mark.parametrize("spec", SPECS, ids=case_id)
def test_the_missing_sentence_appears_in_all_three_formats(build_once: Built, spec: Path) -> None:
    files = build_once(spec)
    missing = missing_text(spec)
    assert missing in readback_pdf.read_text(files["pdf"])
    assert any(missing in row for table in readback_docx.read_tables(files["docx"]) for row in table)
    assert any(missing in row for rows in readback_xlsx.read_tables(files["xlsx"]).values() for row in rows)
