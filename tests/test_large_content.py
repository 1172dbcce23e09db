"""Content far beyond a normal report still builds, identically in every format.

A cell taller than a page, words longer than a whole line, and 500 rows in one table: each
is built in all three formats and read back against the oracle (tests/oracle.py). The PDF is
also checked for text drawn off its page. No timing is asserted; the 500 rows take seconds.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
import yaml

from tests import readback_docx, readback_pdf, readback_xlsx
from tests.built import FORMATS
from tests.cli import run_cli
from tests.oracle import expected_tables
from tests.test_consistency import SHEETS
from tests.test_properties import assert_tables_equal_the_oracle

WORDS = "coverage requires prior authorization for each cycle documented in the record and reviewed".split()


def words(count: int) -> str:
    return " ".join(itertools.islice(itertools.cycle(WORDS), count))


def build(tmp_path: Path, name: str, data: dict) -> tuple[Path, dict[str, bytes]]:
    spec = tmp_path / f"{name}.yaml"
    spec.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = run_cli("build", spec, "-o", tmp_path / "out")
    assert result.status == 0, result.stderr
    return spec, {fmt: (tmp_path / "out" / f"{name}.{fmt}").read_bytes() for fmt in FORMATS}


def spec_data(**tables: list) -> dict:
    return {
        "code": "89253",
        "title": "Large content",
        "version": "1.0",
        "as_of": "2026-11-26",
        "sections": [{"title": "Summary", "body": ["Tables follow."]}],
        **tables,
    }


def assert_pdf_text_stays_on_its_pages(pdf: bytes, margin: float = 36.0) -> int:
    """Every character inside the page, at least `margin` points from its left and right edges:
    checked on each page's outermost characters (the read-back that found the tables found them)."""
    pages = readback_pdf.read_extents(pdf)
    for number, page in enumerate(pages, 1):
        if page is None:
            continue  # no character to check
        assert margin <= page.leftmost[0] and page.rightmost[0] <= page.width - margin, (number, page.leftmost, page.rightmost)
        assert 0 <= page.highest[0] and page.lowest[0] <= page.height, (number, page.highest, page.lowest)
    return len(pages)


def test_a_cell_taller_than_a_page_builds_in_every_format(tmp_path: Path) -> None:
    data = spec_data(
        payers=[
            {"payer": "Tall notes", "notes": words(1500), "coverage": "Covered"},
            {"payer": "After the tall row", "notes": "short"},
        ],
        benchmarks=[{"metric": "Tall period", "value": 12.5, "unit": "usd", "period": words(600), "source": "CMS"}],
    )
    spec, files = build(tmp_path, "tall", data)
    assert_tables_equal_the_oracle(spec, files)
    assert assert_pdf_text_stays_on_its_pages(files["pdf"]) >= 6


LONG_WORD = "REFID_" + "".join(f"{i:04d}" for i in range(150))  # 606 characters, no break anywhere


def test_very_long_words_wrap_in_cells_paragraphs_and_headings(tmp_path: Path) -> None:
    data = spec_data(
        modifiers=[{"modifier": "59", "description": LONG_WORD, "when_to_use": LONG_WORD[:80]}],
        payers=[{"payer": LONG_WORD[:40], "policy": LONG_WORD, "policy_url": "https://example.test/" + LONG_WORD}],
        benchmarks=[{"metric": "Long period", "value": "n/a", "period": LONG_WORD}],
    )
    data["sections"] = [{"title": LONG_WORD[:300], "body": [LONG_WORD, {"bullets": [LONG_WORD]}]}]
    spec, files = build(tmp_path, "long_words", data)
    assert_tables_equal_the_oracle(spec, files)
    assert_pdf_text_stays_on_its_pages(files["pdf"])
    assert LONG_WORD in readback_docx.read_paragraphs(files["docx"])
    assert readback_pdf.read_text(files["pdf"]).replace("\n", "").count(LONG_WORD) == 2  # paragraph and bullet
    sheet = readback_xlsx.load(files["xlsx"])[SHEETS["modifiers"]]
    assert sheet["B2"].value == LONG_WORD and sheet["B2"].alignment.wrap_text


@pytest.mark.parametrize("rows", [500])
def test_five_hundred_rows_build_in_every_format(tmp_path: Path, rows: int) -> None:
    data = spec_data(
        payers=[
            {
                "payer": f"Payer {i:03d}",
                "coverage": "Covered" if i % 3 else None,
                "prior_authorization": words(i % 7 + 1),
                "policy": f"Policy {i}",
                "last_reviewed": f"2025-{i % 12 + 1:02d}-{i % 28 + 1:02d}",
                "notes": words(i % 13) or None,
            }
            for i in range(rows)
        ],
        benchmarks=[{"metric": f"Metric {i}", "value": i * 1.25, "unit": "usd"} for i in range(20)],
    )
    spec, files = build(tmp_path, "many_rows", data)
    assert_tables_equal_the_oracle(spec, files)
    assert len(expected_tables(spec)["payers"]) == rows + 1
