"""No deliverable is ever lost or half-written: failed builds and concurrent builds."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli import run_cli

FIXTURES = Path(__file__).parent / "fixtures"
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1764115200"}


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def bumped(text: str) -> str:
    return re.sub(r"^version: .*$", 'version: "9.9"', text, count=1, flags=re.M)


def broken(text: str) -> str:
    return re.sub(r"^as_of: .*$", "as_of: soon", text, count=1, flags=re.M)


def copy_spec(source: Path, folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(source, folder / name))


@pytest.fixture
def spec_text() -> str:
    return (FIXTURES / "other_code.yaml").read_text(encoding="utf-8")


def test_a_failed_build_leaves_every_earlier_deliverable_untouched(tmp_path: Path, spec_text: str) -> None:
    specs, out = tmp_path / "specs", tmp_path / "out"
    good = copy_spec(FIXTURES / "other_code.yaml", specs, "good.yaml")
    bad = copy_spec(FIXTURES / "other_code.yaml", specs, "broken.yaml")
    assert run_cli("build", good, bad, "-o", out).status == 0
    before = digests(out)
    bad.write_text(broken(spec_text), encoding="utf-8")
    good.write_text(bumped(spec_text), encoding="utf-8")
    result = run_cli("build", bad, good, "-o", out)
    assert result.status == 1
    assert "broken.yaml" in result.stderr
    after = digests(out)
    assert {k: v for k, v in after.items() if k.startswith("broken.")} == {
        k: v for k, v in before.items() if k.startswith("broken.")
    }
    assert not any(name.endswith(".tmp") for name in os.listdir(out))


def test_a_writer_failure_writes_no_format_of_that_spec(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spec_text: str
) -> None:
    spec = copy_spec(FIXTURES / "other_code.yaml", tmp_path / "specs", "s.yaml")
    out = tmp_path / "out"
    assert run_cli("build", spec, "-o", out).status == 0
    before = digests(out)
    spec.write_text(bumped(spec_text), encoding="utf-8")
    import generator.writers.xlsx as xlsx_writer

    def broken_render(*_: object) -> bytes:
        raise OSError("disk on fire")

    monkeypatch.setattr(xlsx_writer, "render", broken_render)
    result = run_cli("build", spec, "-o", out)
    assert result.status == 3  # an OS fault, reported on one line
    assert result.stderr.strip().splitlines() == [f"{spec}: cannot write: {out}: disk on fire"]
    assert digests(out) == before


def _build(spec: Path, out: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "build", str(spec), "-o", str(out)],
        env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


def test_two_builds_at_once_never_leave_a_mixed_or_truncated_file(tmp_path: Path, spec_text: str) -> None:
    # Two different versions of one spec, built at the same time into one folder, three rounds.
    first = copy_spec(FIXTURES / "other_code.yaml", tmp_path / "a", "report.yaml")
    second = tmp_path / "b" / "report.yaml"
    second.parent.mkdir()
    second.write_text(bumped(spec_text), encoding="utf-8")
    expected = {}
    for spec in (first, second):
        alone = tmp_path / f"alone-{spec.parent.name}"
        assert subprocess.run([sys.executable, "-m", "generator", "build", str(spec), "-o", str(alone)], env=ENV).returncode == 0
        expected[spec.parent.name] = {k: v for k, v in digests(alone).items() if not k.endswith(".json")}
    out = tmp_path / "out"
    for _ in range(3):
        procs = [_build(first, out), _build(second, out)]
        assert [p.wait() for p in procs] == [0, 0]
        for name, digest in digests(out).items():
            if name.endswith(".manifest.json"):
                continue  # a manifest records the spec path, which differs between the two
            assert digest in (expected["a"].get(name), expected["b"].get(name)), name
