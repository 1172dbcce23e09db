"""The promise of the product: every table cell of every spec, identical in DOCX, PDF and XLSX.

Expected texts come from tests/oracle.py, which reads the YAML with no generator
code; the deliverables are read back with python-docx, pdfplumber and openpyxl.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import readback_docx, readback_pdf, readback_xlsx
from tests.built import FORMATS, SPECS, Built
from tests.oracle import HEADERS, expected_tables, missing_text

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


def case_id(case: object) -> str:
    return case.stem if isinstance(case, Path) else str(case)


def read_table(fmt: str, data: bytes, table: str) -> list[list[str]]:
    """One canonical table as a format displays it, found by its sheet or header row."""
    if fmt == "xlsx":
        return readback_xlsx.read_tables(data)[SHEETS[table]]
    reader = readback_docx if fmt == "docx" else readback_pdf
    return by_header(reader.read_tables(data))[tuple(HEADERS[table])]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("spec", "table"), CASES, ids=case_id)
def test_every_table_equals_the_spec_cell_by_cell(build_once: Built, spec: Path, table: str, fmt: str) -> None:
    missing = missing_text(spec)
    found = read_table(fmt, build_once(spec)[fmt], table)
    assert squeeze_empty_row(found, missing) == as_read(expected_tables(spec)[table], missing)


@pytest.mark.parametrize("spec", SPECS, ids=case_id)
def test_the_missing_sentence_appears_in_all_three_formats(build_once: Built, spec: Path) -> None:
    files = build_once(spec)
    missing = missing_text(spec)
    assert missing in readback_pdf.read_text(files["pdf"])
    assert any(missing in row for table in readback_docx.read_tables(files["docx"]) for row in table)
    assert any(missing in row for rows in readback_xlsx.read_tables(files["xlsx"]).values() for row in rows)
