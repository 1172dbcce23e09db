"""`new`: a starting spec that validates, prints the missing sentence everywhere, and never overwrites."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from generator.spec.template import KEY_PAYERS, MODELINE
from generator.document.compose import compose
from generator.document.model import CellKind, Heading, Paragraph, Table
from generator.spec import load_spec
from tests.cli import run_cli

EPOCH = "1790000000"  # 2026-09-21 UTC


@pytest.fixture(autouse=True)
def pinned_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def new_spec(tmp_path: Path, code: str = "89253", title: str = "Assisted Embryo Hatching") -> Path:
    target = tmp_path / f"{code}.yaml"
    result = run_cli("new", code, "--title", title, "-o", target)
    assert result.status == 0, result.stderr
    assert result.stdout == f"wrote {target}\n" and result.stderr == ""
    return target


def test_new_spec_validates_and_carries_the_given_values(tmp_path: Path) -> None:
    spec = load_spec(new_spec(tmp_path, "0001U", "Genotyping: RBC antigens # 35")).spec
    assert (spec.code, spec.title, spec.version) == ("0001U", "Genotyping: RBC antigens # 35", "0.1")
    assert spec.as_of == date(2026, 9, 21)  # from SOURCE_DATE_EPOCH
    assert spec.prepared_by is None and spec.descriptor is None
    assert spec.modifiers == () and spec.benchmarks == ()
    assert [(r.version, r.date) for r in spec.revisions] == [("0.1", date(2026, 9, 21))]


def test_new_spec_starts_with_the_schema_modeline(tmp_path: Path) -> None:
    assert new_spec(tmp_path).read_text(encoding="utf-8").splitlines()[0] == MODELINE


STANDARD_HEADINGS = [
    (1, "Summary & Overview"),
    (1, "Billing Code Overview"),
    (1, "Clinical & Coding Specifications"),
    (2, "Clinical Context"),
    (2, "Coding Specifications"),
    (1, "Payer Coverage"),
    (1, "Benchmarks"),
    (1, "Policy & Coverage Notes"),
]


def test_new_spec_has_the_standard_sections_in_order(tmp_path: Path) -> None:
    document = compose(load_spec(new_spec(tmp_path)).spec)
    headings = [(b.level, b.text) for b in document.blocks if isinstance(b, Heading)]
    # The spec's own sections come first; compose appends its generated sections (revisions, ...) after them.
    assert headings[: len(STANDARD_HEADINGS)] == STANDARD_HEADINGS
    assert "Modifiers" not in [text for _, text in headings]  # every canonical table is placed, none appended
    after = {b.text: document.blocks[i + 1] for i, b in enumerate(document.blocks) if isinstance(b, Heading)}
    assert after["Coding Specifications"].id == "modifiers"  # type: ignore[union-attr]
    assert after["Payer Coverage"].id == "payers"  # type: ignore[union-attr]
    assert after["Benchmarks"].id == "benchmarks"  # type: ignore[union-attr]
    for empty in ("Summary & Overview", "Billing Code Overview", "Clinical Context", "Policy & Coverage Notes"):
        assert after[empty] == Paragraph("Data not available in the input.", missing=True)


def test_every_payer_cell_but_the_name_is_the_missing_text(tmp_path: Path) -> None:
    spec = load_spec(new_spec(tmp_path)).spec
    payers = next(t for t in compose(spec).tables if t.id == "payers")
    assert [row[0].text for row in payers.rows] == list(KEY_PAYERS)
    assert KEY_PAYERS == ("Aetna", "Blue Cross Blue Shield", "Cigna Health", "UnitedHealthcare", "Medicare")
    for row in payers.rows:
        assert row[0].kind is CellKind.TEXT
        assert all(cell.text == spec.missing_text and cell.kind is CellKind.MISSING for cell in row[1:])


def test_every_optional_payer_field_is_written_out_as_null(tmp_path: Path) -> None:
    text = new_spec(tmp_path).read_text(encoding="utf-8")
    for field in ("coverage", "prior_authorization", "policy", "policy_url", "last_reviewed", "notes"):
        assert text.count(f"    {field}: null\n") == len(KEY_PAYERS), field
    assert text.count("    cite: []\n") == len(KEY_PAYERS)


def test_the_citing_examples_validate_once_uncommented(tmp_path: Path) -> None:
    """The scaffold's commented benchmark and source, uncommented, are a figure cited by number."""
    path = new_spec(tmp_path)
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index("# - metric: Medicare national payment amount")
    example = [line[2:] for line in lines[start:] if line.startswith("# ") and not line.startswith("# Every cited")]
    benchmark = [line for line in example if not line.lstrip("- ").startswith(("id:", "title:", "publisher:", "published:", "url:", "accessed:"))]
    source = example[len(benchmark):]
    text = "\n".join(lines).replace("benchmarks: []", "benchmarks:\n" + "\n".join(benchmark))
    text = text.replace("sources: []", "sources:\n" + "\n".join(source).replace("https://www.cms.gov/...", "https://www.cms.gov/"))
    path.write_text(text + "\n", encoding="utf-8")
    document = compose(load_spec(path).spec)
    benchmarks = next(t for t in document.tables if t.id == "benchmarks")
    assert benchmarks.rows[0][3].text == "CMS Physician Fee Schedule [1]"
    references = next(t for t in document.tables if t.id == "references")
    assert [(row[0].text, row[1].text, row[1].link) for row in references.rows] == [("[1]", "Physician Fee Schedule", "https://www.cms.gov/")]


def test_default_path_is_specs_code_yaml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("new", "A4649", "--title", "Surgical supply")
    assert result.status == 0, result.stderr
    assert load_spec(tmp_path / "specs" / "A4649.yaml").spec.code == "A4649"


def test_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "89253.yaml"
    target.write_text("precious: work\n", encoding="utf-8")
    before = os.stat(target).st_mtime_ns
    result = run_cli("new", "89253", "--title", "Anything", "-o", target)
    assert result.status == 1
    assert result.stderr == f"error: {target} already exists; not overwriting it\n"
    assert target.read_text(encoding="utf-8") == "precious: work\n"
    assert os.stat(target).st_mtime_ns == before


@pytest.mark.parametrize("code", ["8925", "892533", "89x53", "../x/", ""])
def test_bad_code_is_a_one_line_usage_error(code: str, tmp_path: Path) -> None:
    result = run_cli("new", code, "--title", "T", "-o", tmp_path / "x.yaml")
    assert result.status == 2
    assert result.stderr == f"error: code: expected 5 characters of 0-9 and A-Z, got {code!r}\n"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("title", ["", "   ", "\x01"])
def test_empty_title_is_a_one_line_usage_error(title: str, tmp_path: Path) -> None:
    result = run_cli("new", "89253", "--title", title, "-o", tmp_path / "x.yaml")
    assert result.status == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: --title")
    assert list(tmp_path.iterdir()) == []


def test_missing_title_is_a_usage_error(tmp_path: Path) -> None:
    assert run_cli("new", "89253", "-o", tmp_path / "x.yaml").status == 2


@pytest.mark.parametrize(
    "title", ["yes", "2026-01-01", "null", "Fees: 50% & more", "- dash", "'quoted'", 'say "hi"', "tab\there", "Ünïcode ✓"]
)
def test_any_title_reads_back_as_typed(title: str, tmp_path: Path) -> None:
    spec = load_spec(new_spec(tmp_path, title=title)).spec
    assert spec.title == " ".join(title.split())


def test_without_source_date_epoch_as_of_is_today(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    before = date.today()
    spec = load_spec(new_spec(tmp_path)).spec
    assert before <= spec.as_of <= date.today()


def test_bad_source_date_epoch_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    result = run_cli("new", "89253", "--title", "T", "-o", tmp_path / "x.yaml")
    assert result.status == 2 and result.stderr.count("\n") == 1


def test_new_spec_has_every_canonical_table_and_its_revision(tmp_path: Path) -> None:
    document = compose(load_spec(new_spec(tmp_path)).spec)
    assert {"modifiers", "payers", "benchmarks", "revisions"} <= {t.id for t in document.tables if isinstance(t, Table)}
