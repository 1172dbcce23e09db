"""Build manifests and `verify`: every deliverable traceable to the spec and generator that made it."""

from __future__ import annotations

import hashlib
import json
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

import generator
from generator.pipeline import manifest as manifest_module
from generator.pipeline.manifest import MANIFEST_SUFFIX, is_current
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
        "title": "Assisted Embryo Hatching",
        "prepared_for": None,
        "version": "1.0",
        "as_of": "2026-11-26",
    }
    assert manifest["generator"] == {"name": "generator", "version": generator.__version__}
    assert manifest["libraries"] == {name: metadata.version(name) for name in manifest_module.LIBRARIES}
    assert set(manifest_module.LIBRARIES) == {"python-docx", "reportlab", "openpyxl", "PyYAML", "Pillow"}
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


# --- is_current: the one up-to-date rule ---------------------------------------------------------


def rewrite_manifest(out: Path, change) -> None:
    record = manifest_of(out)
    change(record)
    (out / f"89253{MANIFEST_SUFFIX}").write_bytes(manifest_module.dumps(record))


def test_a_fresh_build_is_current_for_its_formats_and_epoch(spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(spec, out, "pdf")
    assert is_current(spec, out, ("pdf",), EPOCH)
    assert not is_current(spec, out, ("pdf", "docx"), EPOCH)  # a format it does not list
    assert not is_current(spec, out, ("pdf",), None)  # would be pinned to as_of instead
    assert is_current(spec, out, ("pdf",), None, any_timestamp=True)
    assert not is_current(spec, tmp_path / "elsewhere", ("pdf",), EPOCH)


def test_a_changed_spec_or_deliverable_is_not_current(spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(spec, out)
    (out / "89253.xlsx").write_bytes(b"altered")
    assert not is_current(spec, out, ("pdf",), EPOCH)  # every listed file must still match
    build(spec, out)
    spec.write_text(spec.read_text(encoding="utf-8").replace("Unchanged.", "Changed."), encoding="utf-8")
    assert not is_current(spec, out, ("pdf",), EPOCH, any_timestamp=True)


@pytest.mark.parametrize(
    "change",
    [
        lambda r: r["libraries"].update({"reportlab": "0.0"}),
        lambda r: r["generator"].update({"version": "0.0.1"}),
        lambda r: r.update({"manifest_format": 1}),
        lambda r: r["spec"].update({"path": "other/89253.yaml"}),
        lambda r: r.update({"theme": {"path": "specs/theme.yaml", "sha256": "0" * 64}}),
        lambda r: r.pop("libraries"),
    ],
    ids=["library", "generator", "format", "spec-path", "theme", "no-libraries"],
)
def test_a_manifest_from_other_inputs_is_not_current(spec: Path, tmp_path: Path, change) -> None:
    out = tmp_path / "out"
    build(spec, out)
    assert is_current(spec, out, ("pdf", "docx", "xlsx"), EPOCH)
    rewrite_manifest(out, change)
    assert not is_current(spec, out, ("pdf",), EPOCH)
    assert not is_current(spec, out, ("pdf",), EPOCH, any_timestamp=True)


def test_a_build_with_other_library_versions_is_rebuilt(spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(spec, out)
    rewrite_manifest(out, lambda r: r["libraries"].update({"openpyxl": "0.0"}))
    result = run_cli("build", spec, "-o", out)
    assert result.status == 0 and result.stdout.startswith("wrote ")
    assert manifest_of(out)["libraries"]["openpyxl"] == metadata.version("openpyxl")


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
        f"MISSING {out / '89253.docx'}",  # not on disk: whatever the manifest lists, it is missing
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


def test_library_versions_are_what_importlib_metadata_reads() -> None:
    assert manifest_module.library_versions() == {name: metadata.version(name) for name in manifest_module.LIBRARIES}


def test_a_distribution_is_found_by_its_dist_info_folder_or_asked_of_importlib_metadata(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "some_tool-9.9.dist-info").mkdir()  # first on the path: found by its folder's name
    monkeypatch.syspath_prepend(str(tmp_path))
    assert manifest_module.installed_version("some-tool") == "9.9"
    assert manifest_module.installed_version("Some.Tool") == "9.9"
    with pytest.raises(metadata.PackageNotFoundError):
        manifest_module.installed_version("no-such-distribution-here")
