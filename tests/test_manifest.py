"""Build manifests and `verify`: every deliverable traceable to the spec and generator that made it."""

from __future__ import annotations

import hashlib
import json
import tomllib
from pathlib import Path

import pytest

import generator
from generator.pipeline.manifest import MANIFEST_SUFFIX
from tests.cli import run_cli

ROOT = Path(__file__).parent.parent
SOURCE = ROOT / "tests" / "diff_cases" / "tables" / "new.yaml"
EPOCH = "1764115200"  # 2025-11-26T00:00:00Z


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    path = tmp_path / "specs" / "89253.yaml"
    path.parent.mkdir()
    path.write_bytes(SOURCE.read_bytes())
    return path


@pytest.fixture(autouse=True)
def pinned_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def build(spec: Path, out: Path, *formats: str) -> None:
    result = run_cli("build", spec, "-o", out, *(a for f in formats for a in ("--format", f)))
    assert result.status == 0, result.stderr


def manifest_of(out: Path) -> dict:
    return json.loads((out / f"89253{MANIFEST_SUFFIX}").read_text(encoding="utf-8"))


def test_the_manifest_records_each_deliverable_the_spec_and_the_generator(spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(spec, out)
    manifest = manifest_of(out)
    assert set(manifest["deliverables"]) == {"89253.docx", "89253.pdf", "89253.xlsx"}
    for name, entry in manifest["deliverables"].items():
        data = (out / name).read_bytes()
        assert entry == {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    assert manifest["spec"] == {
        "path": str(spec),
        "sha256": hashlib.sha256(spec.read_bytes()).hexdigest(),
        "code": "89253",
        "version": "1.0",
        "as_of": "2026-11-26",
    }
    assert manifest["generator"] == {"name": "generator", "version": generator.__version__}
    assert (manifest["timestamp"], manifest["source_date_epoch"]) == ("2025-11-26T00:00:00+00:00", int(EPOCH))


def test_the_manifest_is_stable_json(spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(spec, out)
    text = (out / f"89253{MANIFEST_SUFFIX}").read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def test_the_spec_path_is_recorded_as_given(spec: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    build(Path("specs/89253.yaml"), Path("out"))
    assert manifest_of(tmp_path / "out")["spec"]["path"] == "specs/89253.yaml"


def test_generator_version_has_one_source() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in pyproject["project"] and "version" in pyproject["project"]["dynamic"]
    assert pyproject["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "generator.__version__"}
    assert generator.__version__ == "0.1.0"


# --- partial builds (--format) ----------------------------------------------------------------


def test_a_partial_build_keeps_entries_of_the_same_build_inputs(spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(spec, out)
    before = manifest_of(out)
    build(spec, out, "pdf")
    assert manifest_of(out) == before


def test_a_partial_build_of_a_changed_spec_drops_the_other_formats(spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(spec, out)
    spec.write_text(spec.read_text(encoding="utf-8").replace("Unchanged.", "Changed."), encoding="utf-8")
    build(spec, out, "pdf")
    assert set(manifest_of(out)["deliverables"]) == {"89253.pdf"}
    assert run_cli("verify", out / "89253.docx").stdout.startswith("NOT IN MANIFEST ")


def test_a_partial_build_drops_an_entry_whose_file_was_altered(spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(spec, out)
    (out / "89253.docx").write_bytes(b"not the deliverable")
    build(spec, out, "pdf")
    assert set(manifest_of(out)["deliverables"]) == {"89253.pdf", "89253.xlsx"}


def test_a_failed_build_leaves_the_manifest_untouched(spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(spec, out)
    before = (out / f"89253{MANIFEST_SUFFIX}").read_bytes()
    spec.write_text(spec.read_text(encoding="utf-8").replace("as_of: 2026-11-26", "as_of: soon"), encoding="utf-8")
    assert run_cli("build", spec, "-o", out).status == 1
    assert (out / f"89253{MANIFEST_SUFFIX}").read_bytes() == before


# --- verify -----------------------------------------------------------------------------------


def test_verify_says_ok_for_each_matching_deliverable(spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(spec, out)
    result = run_cli("verify", out / "89253.pdf", out / "89253.xlsx")
    assert result.status == 0
    assert result.stdout.splitlines() == [
        f"OK {out / '89253.pdf'} (spec {spec} version 1.0, as_of 2026-11-26)",
        f"OK {out / '89253.xlsx'} (spec {spec} version 1.0, as_of 2026-11-26)",
    ]


def test_verify_of_a_manifest_checks_every_deliverable_it_lists(spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(spec, out)
    result = run_cli("verify", out / f"89253{MANIFEST_SUFFIX}")
    assert result.status == 0
    assert [line.split()[1] for line in result.stdout.splitlines()] == [str(out / f"89253.{f}") for f in ("docx", "pdf", "xlsx")]


def test_verify_fails_for_a_changed_deliverable_and_still_checks_the_rest(spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(spec, out)
    data = bytearray((out / "89253.xlsx").read_bytes())
    data[len(data) // 2] ^= 0x01
    (out / "89253.xlsx").write_bytes(bytes(data))
    result = run_cli("verify", out / "89253.xlsx", out / "89253.pdf")
    assert result.status == 1
    changed, ok = result.stdout.splitlines()
    assert changed.startswith(f"CHANGED {out / '89253.xlsx'} (differs from ")
    assert changed.endswith(f"built from spec {spec} version 1.0, as_of 2026-11-26)")
    assert ok.startswith("OK ")


def test_verify_reports_files_no_manifest_lists(spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(spec, out, "pdf")
    stray = tmp_path / "stray.pdf"
    stray.write_bytes(b"%PDF")
    result = run_cli("verify", out / "89253.docx", stray)
    assert result.status == 1
    assert [line.split(" (")[0] for line in result.stdout.splitlines()] == [
        f"NOT IN MANIFEST {out / '89253.docx'}",
        f"NOT IN MANIFEST {stray}",
    ]


def test_verify_reports_a_listed_file_that_is_gone(spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(spec, out)
    (out / "89253.docx").unlink()
    result = run_cli("verify", out / "89253.docx")
    assert (result.status, result.stdout.split(" (")[0]) == (1, f"MISSING {out / '89253.docx'}")


def test_verify_treats_a_corrupt_manifest_as_no_manifest(spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(spec, out)
    (out / f"89253{MANIFEST_SUFFIX}").write_text("{not json", encoding="utf-8")
    result = run_cli("verify", out / "89253.pdf")
    assert result.status == 1 and result.stdout.startswith("NOT IN MANIFEST ")
