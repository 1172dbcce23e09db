"""The deliverables in real clients: LibreOffice opens DOCX and XLSX, poppler renders the PDF."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.built import SPECS, Built
from tests.office_tools import libreoffice_csv, libreoffice_pdf, pdf_text, tool
from tests.oracle import expected_tables

SHEETS = {"modifiers": "Modifiers", "payers": "Payer Coverage", "benchmarks": "Benchmarks"}


def squeezed(text: str) -> str:
    # pdftotext joins a word hyphenated at a line end ("2026-01-" + "01" -> "2026-0101"); the
    # DOCX's non-breaking hyphens (in dates and codes) come out as U+2011.
    return re.sub(r"[\s\u2011-]+", "", text)


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_libreoffice_lays_out_the_docx_with_every_table_cell(build_once: Built, spec: Path, tmp_path: Path) -> None:
    pdf = libreoffice_pdf(build_once(spec)["docx"], ".docx", tmp_path)
    # Layout wraps cells across lines: compare without white space and hyphens.
    text = squeezed(pdf_text(pdf))
    for rows in expected_tables(spec).values():
        for row in rows:
            for cell in row:
                assert squeezed(cell) in text, cell
    assert len(PdfReader(pdf).pages) >= 3


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_libreoffice_calc_displays_every_cell_as_the_documents_do(build_once: Built, spec: Path, tmp_path: Path) -> None:
    shown = libreoffice_csv(build_once(spec)["xlsx"], tmp_path)
    for table, rows in expected_tables(spec).items():
        sheet = shown[SHEETS[table]]
        assert sheet[: len(rows)] == rows if len(rows) > 1 else sheet[0] == rows[0]


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_every_pdf_page_renders(build_once: Built, spec: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(build_once(spec)["pdf"])
    subprocess.run([tool("pdftoppm"), "-png", "-r", "30", str(pdf), str(tmp_path / "page")], check=True, timeout=120)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == len(PdfReader(pdf).pages)
    assert all(page.stat().st_size > 1000 for page in pages)


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_pdffonts_shows_every_font_embedded(build_once: Built, spec: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(build_once(spec)["pdf"])
    listing = subprocess.run([tool("pdffonts"), str(pdf)], check=True, capture_output=True, text=True).stdout
    fonts = listing.splitlines()[2:]
    assert fonts
    for line in fonts:
        assert re.search(r"\s(yes)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$", line), line
