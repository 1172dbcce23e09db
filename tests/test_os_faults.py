"""Every OS fault and impossible setting is one line naming the path and the fault, with its exit status."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.cli import Result, run_cli

FIXTURES = Path(__file__).parent / "fixtures"
USAGE, OS_FAULT, INVALID = 2, 3, 1


def one_line(result: Result) -> str:
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr and "Error:" not in lines[0].split(":", 1)[0]
    return lines[0]


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    target = tmp_path / "specs" / "report.yaml"
    target.parent.mkdir()
    target.write_text((FIXTURES / "other_code.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    return target


def commands_writing_to(folder: Path, spec: Path) -> list[tuple[str, ...]]:
    return [
        ("build", str(spec), "-o", str(folder)),
        ("packet", str(spec), "-o", str(folder)),
        ("diff", str(spec), str(spec), "--summary", str(folder)),
    ]


@pytest.mark.parametrize("index", [0, 1, 2], ids=["build", "packet", "diff"])
def test_an_output_folder_that_is_a_file_is_wrong_usage(tmp_path: Path, spec: Path, index: int) -> None:
    existing = tmp_path / "notes.txt"
    existing.write_text("keep me", encoding="utf-8")
    for folder in (existing, existing / "sub"):
        result = run_cli(*commands_writing_to(folder, spec)[index])
        assert result.status == USAGE
        assert one_line(result).endswith(f"{folder}: {existing} is a file, not a folder")
    assert existing.read_text(encoding="utf-8") == "keep me"


def test_a_folder_named_like_a_deliverable_is_one_line_and_nothing_is_replaced(tmp_path: Path, spec: Path) -> None:
    out = tmp_path / "out"
    assert run_cli("build", spec, "-o", out).status == 0
    before = {name: (out / name).read_bytes() for name in ("report.pdf", "report.xlsx", "report.manifest.json")}
    (out / "report.docx").unlink()
    (out / "report.docx").mkdir()
    result = run_cli("build", spec, "-o", out, "--force")
    assert result.status == OS_FAULT
    assert one_line(result) == f"{spec}: cannot write: {out / 'report.docx'}: a folder has the name of a deliverable"
    assert {name: (out / name).read_bytes() for name in before} == before
    assert sorted(os.listdir(out)) == ["report.docx", "report.manifest.json", "report.pdf", "report.xlsx"]


@pytest.mark.parametrize("index", [0, 1, 2], ids=["build", "packet", "diff"])
def test_a_source_date_epoch_beyond_year_9999_is_wrong_usage(
    tmp_path: Path, spec: Path, monkeypatch: pytest.MonkeyPatch, index: int
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "99999999999999")
    result = run_cli(*commands_writing_to(tmp_path / "out", spec)[index])
    assert result.status == USAGE
    assert "SOURCE_DATE_EPOCH 99999999999999 is after 9999-12-31" in one_line(result)
    assert not (tmp_path / "out").exists()


def test_the_last_second_of_year_9999_builds(tmp_path: Path, spec: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "253402300799")
    assert run_cli("build", spec, "-o", tmp_path / "out", "--format", "xlsx").status == 0


def test_a_change_summary_the_pdf_font_cannot_draw_is_one_line(tmp_path: Path, spec: Path) -> None:
    new = tmp_path / "new" / "report.yaml"
    new.parent.mkdir()
    text = spec.read_text(encoding="utf-8")
    new.write_text(text.replace("title: Überblick", "title: 日本語 Überblick", 1), encoding="utf-8")
    result = run_cli("diff", spec, new, "--summary", tmp_path / "summary")
    assert result.status == INVALID
    line = one_line(result)
    assert line.startswith(f"{new}") and "'日' (U+65E5)" in line and "<" not in line
    assert not (tmp_path / "summary").exists() or not os.listdir(tmp_path / "summary")


def test_schema_into_a_missing_folder_is_one_line(tmp_path: Path) -> None:
    target = tmp_path / "absent" / "schema.json"
    result = run_cli("schema", "-o", target)
    assert result.status == OS_FAULT
    assert one_line(result) == f"error: cannot write: {target}: No such file or directory"
