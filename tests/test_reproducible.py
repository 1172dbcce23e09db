"""Reproducible builds: same spec, same bytes, whatever the folder, time zone or hash seed.

Builds run as real processes (`python -m generator build`), because time zone
and hash seed are read when a process starts.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, time, timezone
from pathlib import Path

import docx
import openpyxl
import pypdf
import pytest

from generator.pipeline.manifest import MANIFEST_SUFFIX, sha256
from generator.spec import load_spec

ROOT = Path(__file__).parent.parent
SPECS = sorted((ROOT / "tests" / "fixtures").glob("*.yaml")) + sorted((ROOT / "specs").glob("*.yaml"))
RELATIVE = [str(p.relative_to(ROOT)) for p in SPECS]  # as a user types them; the manifest records this
EPOCH = "1764115200"  # 2025-11-26T00:00:00Z


def build(out: Path, **env: str) -> Path:
    clean = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "TZ", "PYTHONHASHSEED")}
    done = subprocess.run(
        [sys.executable, "-m", "generator", "build", *RELATIVE, "-o", str(out)],
        cwd=ROOT, env=clean | env, capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stderr
    return out


def contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    made = tmp_path_factory.mktemp("builds")
    return {
        "utc": build(made / "a", SOURCE_DATE_EPOCH=EPOCH, TZ="UTC", PYTHONHASHSEED="1"),
        "new_york": build(made / "b" / "nested", SOURCE_DATE_EPOCH=EPOCH, TZ="America/New_York", PYTHONHASHSEED="2"),
        "as_of_utc": build(made / "c", TZ="UTC"),
        "as_of_new_york": build(made / "d", TZ="America/New_York"),
    }


def test_every_spec_is_built(builds: dict[str, Path]) -> None:
    assert SPECS, "tests/fixtures/ holds no spec"
    expected = {f"{p.stem}.{ext}" for p in SPECS for ext in ("docx", "pdf", "xlsx", MANIFEST_SUFFIX[1:])}
    assert set(contents(builds["utc"])) == expected


def test_source_date_epoch_gives_identical_bytes_in_any_folder_and_time_zone(builds: dict[str, Path]) -> None:
    first, second = contents(builds["utc"]), contents(builds["new_york"])
    assert [name for name in first if first[name] != second.get(name)] == []


def test_without_source_date_epoch_builds_are_identical_too(builds: dict[str, Path]) -> None:
    first, second = contents(builds["as_of_utc"]), contents(builds["as_of_new_york"])
    assert [name for name in first if first[name] != second.get(name)] == []


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_without_source_date_epoch_the_spec_as_of_is_the_creation_date(builds: dict[str, Path], spec: Path) -> None:
    as_of = datetime.combine(load_spec(spec).spec.as_of, time(), tzinfo=timezone.utc)
    out = builds["as_of_new_york"]
    properties = docx.Document(str(out / f"{spec.stem}.docx")).core_properties
    assert properties.created.astimezone(timezone.utc) == as_of
    assert pypdf.PdfReader(out / f"{spec.stem}.pdf").metadata.creation_date.astimezone(timezone.utc) == as_of
    workbook = openpyxl.load_workbook(out / f"{spec.stem}.xlsx")
    assert workbook.properties.created.replace(tzinfo=timezone.utc) == as_of  # openpyxl gives naive UTC


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_source_date_epoch_is_the_creation_date(builds: dict[str, Path], spec: Path) -> None:
    pinned = datetime.fromtimestamp(int(EPOCH), tz=timezone.utc)
    reader = pypdf.PdfReader(builds["new_york"] / f"{spec.stem}.pdf")
    assert reader.metadata.creation_date.astimezone(timezone.utc) == pinned


def test_manifest_hashes_and_sizes_match_the_files(builds: dict[str, Path]) -> None:
    out = builds["utc"]
    for spec, typed in zip(SPECS, RELATIVE):
        manifest = json.loads((out / f"{spec.stem}{MANIFEST_SUFFIX}").read_text(encoding="utf-8"))
        assert manifest["spec"]["path"] == typed
        assert manifest["spec"]["sha256"] == sha256(spec.read_bytes())
        for name, entry in manifest["deliverables"].items():
            data = (out / name).read_bytes()
            assert (entry["sha256"], entry["size"]) == (sha256(data), len(data)), name


def verify(*files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "verify", *map(str, files)],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
    )


def test_verify_passes_and_fails_after_one_byte_changes(builds: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "copy"
    out.mkdir()
    for name, data in contents(builds["utc"]).items():
        (out / name).write_bytes(data)
    deliverables = sorted(p for p in out.iterdir() if not p.name.endswith(MANIFEST_SUFFIX))
    passed = verify(*deliverables)
    assert passed.returncode == 0, passed.stdout
    assert all(line.startswith("OK ") for line in passed.stdout.splitlines())
    target = deliverables[0]
    data = bytearray(target.read_bytes())
    data[-1] ^= 0xFF
    target.write_bytes(bytes(data))
    failed = verify(*deliverables)
    assert failed.returncode == 1
    assert [line.split(" (")[0] for line in failed.stdout.splitlines() if not line.startswith("OK ")] == [f"CHANGED {target}"]
