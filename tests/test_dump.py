"""`dump`: the document model as text and JSON, pinned by golden files (UPDATE_GOLDEN=1 rewrites them)."""

from __future__ import annotations

import json
import os
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from generator.document.compose import compose
from generator.document.dump import dump_json, dump_text
from generator.document.model import (
    BulletList,
    Cell,
    CellKind,
    Chart,
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
from generator.spec import load_spec
from tests.cli import run_cli

TESTS = Path(__file__).parent
FIXTURE = TESTS / "fixtures" / "dump_fixture.yaml"
GOLDEN = TESTS / "golden"
REGENERATE = "UPDATE_GOLDEN=1 python -m pytest tests/test_dump.py"


def check_golden(name: str, actual: str) -> None:
    """Compare with tests/golden/<name>; write it only when UPDATE_GOLDEN=1 asks for it."""
    golden = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(actual, encoding="utf-8", newline="\n")
    assert golden.exists(), f"{golden} is missing; create it with: {REGENERATE}"
    expected = golden.read_text(encoding="utf-8")
    assert actual == expected, f"dump differs from {golden}; if the change is intended: {REGENERATE}"


@pytest.mark.parametrize(("name", "flags"), [("dump_fixture.txt", []), ("dump_fixture.json", ["--json"])])
def test_dump_matches_the_golden_file(name: str, flags: list[str]) -> None:
    result = run_cli("dump", FIXTURE, *flags)
    assert result.status == 0 and result.stderr == ""
    check_golden(name, result.stdout)


def test_fixture_covers_every_block_and_cell_kind() -> None:
    document = compose(load_spec(FIXTURE).spec)
    block_kinds = {type(b) for b in document.blocks}
    assert {TitleBlock, Heading, Paragraph, BulletList, Table, Chart} <= block_kinds
    assert any(p.value is None for c in document.charts for s in c.series for p in s.points)
    assert any(isinstance(b, Paragraph) and b.missing for b in document.blocks)
    assert {b.level for b in document.blocks if isinstance(b, Heading)} >= {1, 2, 3}
    cells = [cell for table in document.tables for row in table.rows for cell in row]
    assert {cell.kind for cell in cells} == set(CellKind)
    assert {cell.number_format.style for cell in cells if cell.number_format} == set(NumberStyle)
    assert any(cell.link and cell.text != cell.link for cell in cells)
    assert any(cell.link and cell.text == cell.link for cell in cells)
    assert any(not table.rows for table in document.tables)


def sample_document() -> Document:
    number = Cell("$1,234.50", CellKind.NUMBER, Decimal("1234.50"), NumberFormat(NumberStyle.CURRENCY, 2))
    table = Table(
        id="payers",
        title="Payer Coverage",
        columns=(Column("payer", "Payer", 1.0), Column("value", "Value", 2.5), Column("policy", "Policy", 1.0),
                 Column("reviewed", "Reviewed", 1.0), Column("notes", "Notes", 1.0)),
        rows=((Cell("A | B"), number, Cell("CPB", link="https://x.org/p"),
               Cell("2025-06-01", CellKind.DATE, date(2025, 6, 1)), Cell("N/A", CellKind.MISSING)),),
        empty_text="N/A",
    )
    return Document(
        Metadata("89253", "CPT 89253: T", "S", None, ("k1", "k2"), "1.0", date(2026, 11, 26)),
        (
            TitleBlock("CPT 89253: T", None, (("Version", "1.0"),)),
            Heading(1, "One"),
            Paragraph("line\nbreak"),
            Heading(2, "Two"),
            BulletList(("a", "b")),
            table,
            Heading(1, "Back"),
            Paragraph("N/A", missing=True),
        ),
    )


def test_text_dump_is_one_line_per_block_indented_under_its_heading() -> None:
    lines = dump_text(sample_document()).splitlines()
    body = lines[lines.index("title: CPT 89253: T"):]
    assert body == [
        "title: CPT 89253: T",
        "  subtitle: (none)",
        "  field Version: 1.0",
        "heading 1: One",
        "  paragraph: line\\nbreak",
        "  heading 2: Two",
        "    bullets:",
        "      - a",
        "      - b",
        "    table payers: Payer | Value | Policy | Reviewed | Notes",
        "      title: Payer Coverage",
        "      keys: payer | value | policy | reviewed | notes",
        "      widths: 1 | 2.5 | 1 | 1 | 1",
        "      empty_text: N/A",
        "      row: A \\| B | $1,234.50 [number 1234.50 currency/2] | CPB [link https://x.org/p]"
        " | 2025-06-01 [date 2025-06-01] | [missing]",
        "heading 1: Back",
        "  paragraph (missing): N/A",
    ]
    assert lines[:3] == ["metadata:", "  code: 89253", "  title: CPT 89253: T"]
    assert "  author: (none)" in lines and "  as_of: 2026-11-26" in lines


def test_json_dump_is_stable_and_typed() -> None:
    text = dump_json(sample_document())
    data = json.loads(text)
    assert text == json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"  # sorted keys
    assert [b["type"] for b in data["blocks"]] == [
        "TitleBlock", "Heading", "Paragraph", "Heading", "BulletList", "Table", "Heading", "Paragraph",
    ]
    row = data["blocks"][5]["rows"][0]
    assert row[1]["value"] == "1234.50" and row[1]["number_format"] == {"decimals": 2, "style": "currency"}
    assert row[3]["value"] == "2025-06-01" and row[3]["kind"] == "date"
    assert row[4]["kind"] == "missing"
    assert data["metadata"]["as_of"] == "2026-11-26" and data["metadata"]["author"] is None


def test_dump_of_an_unknown_block_raises() -> None:
    document = Document(sample_document().metadata, (object(),))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="does not know the block object"):
        dump_text(document)


def test_dump_of_a_bad_spec_is_exit_1_with_one_line_per_problem() -> None:
    result = run_cli("dump", TESTS / "bad_specs" / "short_code.yaml")
    assert result.status == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and ": code: expected 5 characters" in result.stderr
