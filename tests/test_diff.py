"""`diff`: every kind of change is found and reported as the reader sees it.

Each folder in tests/diff_cases/ holds old.yaml, new.yaml and expected.txt, the
report lines `diff` must print after its two header lines.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from generator.document.changes import Change, diff_specs, word_diff
from generator.spec.model import Section, Spec
from tests import readback_pdf
from tests.cli import run_cli

CASES = sorted(p for p in (Path(__file__).parent / "diff_cases").iterdir() if p.is_dir())
TABLES = Path(__file__).parent / "diff_cases" / "tables"


def report(result_stdout: str) -> list[str]:
    """The change lines, without the ---/+++ header and any 'wrote' lines."""
    lines = result_stdout.splitlines()
    assert lines[0].startswith("--- ") and lines[1].startswith("+++ ")
    return [line for line in lines[2:] if not line.startswith("wrote ")]


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_each_case_reports_exactly_its_expected_changes(case: Path) -> None:
    result = run_cli("diff", case / "old.yaml", case / "new.yaml")
    assert (result.status, result.stderr) == (0, "")
    assert report(result.stdout) == (case / "expected.txt").read_text(encoding="utf-8").splitlines()


def test_a_spec_compared_with_itself_has_no_changes() -> None:
    spec = TABLES / "new.yaml"
    result = run_cli("diff", spec, spec)
    assert (result.status, report(result.stdout)) == (0, ["No changes."])


def test_the_header_names_both_specs_and_their_versions() -> None:
    result = run_cli("diff", TABLES / "old.yaml", TABLES / "new.yaml", "--old-label", "specs/x.yaml@HEAD~1")
    assert result.stdout.splitlines()[:2] == [
        "--- specs/x.yaml@HEAD~1 (version 1.0)",
        f"+++ {TABLES / 'new.yaml'} (version 1.0)",
    ]


def test_an_invalid_spec_on_either_side_exits_1_with_its_problems(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("code: '89253'\n", encoding="utf-8")
    for args in ((bad, TABLES / "new.yaml"), (TABLES / "old.yaml", bad)):
        result = run_cli("diff", *args)
        assert result.status == 1
        assert f"{bad}:1:1: " in result.stderr
        assert result.stdout == ""


def spec(*sections: Section) -> Spec:
    return Spec(code="89253", title="T", version="1", as_of=date(2026, 1, 1), sections=sections)


def test_an_edited_paragraph_is_one_edit_and_a_rewritten_one_is_removed_and_added() -> None:
    old = spec(Section(title="S", body=("Aetna covers hatching with an ART benefit.", "Short.")))
    new = spec(Section(title="S", body=("Aetna covers hatching only with an ART benefit.", "Entirely different words here.")))
    assert [(c.field, c.kind) for c in diff_specs(old, new)] == [
        ("paragraph 1", "changed"),
        ("paragraph 2", "removed"),
        ("paragraph 2", "added"),
    ]


def test_a_paragraph_inserted_before_an_edit_keeps_both_straight() -> None:
    old = spec(Section(title="S", body=("One two three four five.",)))
    new = spec(Section(title="S", body=("A brand new opening.", "One two three four six.")))
    assert diff_specs(old, new) == [
        Change("Sections", "S", "paragraph 1", None, "A brand new opening."),
        Change("Sections", "S", "paragraph 2 (was 1)", "One two three four five.", "One two three four six."),
    ]


def test_sections_are_matched_by_title_path_not_position() -> None:
    old = spec(Section(title="A", sections=(Section(title="Child", body=("x",)),)), Section(title="B", body=("y",)))
    new = spec(Section(title="B", body=("y",)), Section(title="A", sections=(Section(title="Child", body=("z",)),)))
    assert diff_specs(old, new) == [
        Change("Sections", "A > Child", "paragraph 1", "x", None),
        Change("Sections", "A > Child", "paragraph 1", None, "z"),
        Change("Sections", "top-level sections", "order", "A, B", "B, A"),
    ]


def test_long_edits_print_only_the_changed_words_with_context() -> None:
    old = "one two three four five six seven eight nine ten eleven twelve"
    new = "one two three four five six SEVEN eight nine ten eleven twelve"
    assert word_diff(old, new) == "... three four five six [-seven-]{+SEVEN+} eight nine ten eleven ..."


def test_summary_writes_three_formats_and_a_manifest_that_verifies(tmp_path: Path) -> None:
    result = run_cli("diff", TABLES / "old.yaml", TABLES / "new.yaml", "--summary", tmp_path)
    assert result.status == 0, result.stderr
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["new-changes.docx", "new-changes.manifest.json", "new-changes.pdf", "new-changes.xlsx"]
    assert run_cli("verify", *(tmp_path / n for n in names if "manifest" not in n)).status == 0


def test_summary_table_holds_one_row_per_reported_change(tmp_path: Path) -> None:
    result = run_cli("diff", TABLES / "old.yaml", TABLES / "new.yaml", "--summary", tmp_path)
    changes = [line for line in report(result.stdout) if line.startswith("  ")]
    sheet = openpyxl.load_workbook(tmp_path / "new-changes.xlsx")["Changes"]
    rows = [tuple(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ("Area", "Item", "Field", "Old", "New")
    assert len(rows) - 1 == len(changes)
    assert ("Benchmarks", "Claims", "Value", "12,000", "12,500") in rows
    assert ("Payer Coverage", "UnitedHealthcare", "row", "(none)", "Policy Reference: 2024T0270HH") in rows


def test_summary_of_identical_specs_says_no_changes(tmp_path: Path) -> None:
    result = run_cli("diff", TABLES / "new.yaml", TABLES / "new.yaml", "--summary", tmp_path)
    assert result.status == 0
    assert "No changes." in readback_pdf.read_text((tmp_path / "new-changes.pdf").read_bytes())
