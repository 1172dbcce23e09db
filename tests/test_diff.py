"""`diff`: every kind of change is found and reported as the reader sees it.

Each folder in tests/diff_cases/ holds old.yaml, new.yaml and expected.txt, the
report lines `diff` must print after its two header lines.
"""

from __future__ import annotations

import dataclasses
import io
from datetime import date
from pathlib import Path

import docx
import openpyxl
import pdfplumber
import pytest

from generator.document.changes import Change, diff_specs, word_diff
from generator.document.model import Emphasis
from generator.writers.theme import Theme
from generator.spec.model import Modifier, Section, Spec
from tests import readback_docx, readback_pdf
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


MEMO_HEADER = ("Section or Table", "Item", "Field", "Old Value", "New Value")


@pytest.fixture(scope="module")
def memo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("memo")
    result = run_cli("diff", TABLES / "old.yaml", TABLES / "new.yaml", "--summary", out)
    assert result.status == 0, result.stderr
    return out, result.stdout


def xlsx_rows(path: Path) -> list[tuple]:
    return [tuple(row) for row in openpyxl.load_workbook(path)["Changes"].iter_rows(values_only=True)]


def test_summary_table_shows_each_change_field_by_field_in_the_reports_words(memo) -> None:
    out, stdout = memo
    changes = [line for line in report(stdout) if line.startswith("  ")]
    rows = xlsx_rows(out / "new-changes.xlsx")
    assert rows[0] == MEMO_HEADER
    assert len(rows) - 1 == len(changes)  # each change here is one field; an added row is one field too
    assert ("Benchmarks", "Claims", "Value", "12,000", "12,500") in rows
    # An added row, by its fields: never "row" / "(none)" / one joined string.
    assert ("Payer Coverage", "UnitedHealthcare", "Policy Reference", "Not in the earlier version", "2024T0270HH") in rows
    assert ("Modifiers", "GZ", "Description", "Expected to be denied as not reasonable and necessary",
            "Not in this version") in rows
    assert ("Payer Coverage", "All rows", "Order", "Aetna, Medicare", "Medicare, Aetna") in rows
    assert not [row for row in rows for cell in row if cell in ("row", "(none)", "spec", "rows")]


def test_an_added_row_with_several_fields_gets_a_line_per_field() -> None:
    from generator.document.change_summary import summary_document

    old = Spec(code="89253", title="T", version="1.0", as_of=date(2026, 11, 26), sections=(Section(title="S"),))
    new = dataclasses.replace(old, version="1.1", as_of=date(2026, 12, 1), modifiers=(
        Modifier(modifier="GY", description="Excluded", when_to_use="Medicare only"),))
    changes = diff_specs(old, new)
    table = summary_document(old, new, changes).tables[0]
    fields = [(row[1].text, row[2].text, row[4].text) for row in table.rows if row[0].text == "Modifiers"]
    assert fields == [("GY", "Description", "Excluded"), ("GY", "When to Use", "Medicare only")]
    assert all(row[4].emphasis is Emphasis.NEW and row[3].emphasis is None for row in table.rows if row[0].text == "Modifiers")


def test_the_memos_first_page_is_heading_summary_and_the_first_change_with_no_path(memo) -> None:
    out, _ = memo
    first = " ".join(readback_pdf.read_page_texts((out / "new-changes.pdf").read_bytes())[0].split())
    heading = "CPT 89253: Assisted Embryo Hatching Version 1.0 (26 November 2026) to 1.0 (26 November 2026)"
    assert heading in first
    assert "Summary: Version 1.0 changes 5 payer policies, 2 benchmarks and 3 modifiers (from version 1.0)." in first
    first_change = xlsx_rows(out / "new-changes.xlsx")[1]
    assert " ".join(" ".join(first_change).split()) in first  # the first change, on page 1
    docx_text = " ".join(readback_docx.read_paragraphs((out / "new-changes.docx").read_bytes()))
    for text in (first, docx_text):
        assert "Contents" not in text and "::" not in text and "Changes: CPT" not in text
        assert not [word for word in ("yaml", "diff_cases", "/tmp", "Old spec", "New spec", "Metadata", "(none)") if word in text]


def test_the_memos_cells_read_back_the_same_in_all_three_formats(memo) -> None:
    out, _ = memo
    xlsx = [list(row) for row in xlsx_rows(out / "new-changes.xlsx")]
    (docx,) = readback_docx.read_tables((out / "new-changes.docx").read_bytes())
    (pdf,) = readback_pdf.read_tables((out / "new-changes.pdf").read_bytes())
    assert docx == xlsx
    assert [[" ".join(c.split()) for c in row] for row in pdf] == [[" ".join(c.split()) for c in row] for row in xlsx]


def test_old_values_are_struck_and_grey_new_values_bold_in_every_format(memo) -> None:
    out, _ = memo
    sheet = openpyxl.load_workbook(out / "new-changes.xlsx")["Changes"]
    claims = next(row for row in sheet.iter_rows(min_row=2) if row[1].value == "Claims")
    assert claims[3].font.strike and not claims[3].font.b and claims[3].font.color.rgb.endswith(GREY)
    assert claims[4].font.b and not claims[4].font.strike
    added = next(row for row in sheet.iter_rows(min_row=2) if row[1].value == "UnitedHealthcare")
    assert not added[3].font.strike and not added[4].font.strike and added[4].font.b  # "Not in ..." plain
    missing = next(row for row in sheet.iter_rows(min_row=2) if row[1].value == "Success rate")
    assert missing[3].font.i and missing[3].font.strike  # the missing-data sentence as an old value: grey, struck

    document = docx.Document(io.BytesIO((out / "new-changes.docx").read_bytes()))
    cells = next(row.cells for row in document.tables[0].rows if row.cells[1].text == "Claims")
    old_run, new_run = cells[3].paragraphs[0].runs[0], cells[4].paragraphs[0].runs[0]
    assert old_run.font.strike and str(old_run.font.color.rgb) == GREY and not old_run.bold
    assert new_run.bold and not new_run.font.strike

    with pdfplumber.open(out / "new-changes.pdf") as pdf:
        chars = pdf.pages[0].chars
        lines = pdf.pages[0].lines + pdf.pages[0].rects
    new_value = _word_chars(chars, "12,500")
    old_value = _word_chars(chars, "12,000")
    assert all("Bold" in c["fontname"] for c in new_value) and not any("Bold" in c["fontname"] for c in old_value)
    top, bottom = min(c["top"] for c in old_value), max(c["bottom"] for c in old_value)
    x0, x1 = min(c["x0"] for c in old_value), max(c["x1"] for c in old_value)
    # A strike line runs through the old value's glyphs (and none through the new one's).
    assert [ln for ln in lines if top < ln["top"] < bottom and ln["x0"] <= x0 + 1 and ln["x1"] >= x1 - 1 and ln["height"] < 2]


GREY = Theme().missing_color  # the default theme: the tables case has none


def _word_chars(chars: list[dict], word: str) -> list[dict]:
    """The characters of the first occurrence of `word` on one line."""
    text = "".join(c["text"] for c in chars)
    start = text.index(word)
    return chars[start : start + len(word)]


def test_summary_of_identical_specs_says_no_changes(tmp_path: Path) -> None:
    result = run_cli("diff", TABLES / "new.yaml", TABLES / "new.yaml", "--summary", tmp_path)
    assert result.status == 0
    assert "No changes." in readback_pdf.read_text((tmp_path / "new-changes.pdf").read_bytes())
