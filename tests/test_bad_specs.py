"""Every file in tests/bad_specs/ names, in `# expect:` lines, the errors it must produce.

The comment lines come first, so the line numbers they name count them. Each file holds one
kind of bad input; tests/test_entry_point.py runs the whole corpus through the real command.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli import run_cli

BAD_SPECS = sorted((Path(__file__).parent / "bad_specs").glob("*.yaml"))


def expected_lines(path: Path) -> list[str]:
    # Bytes, decoded leniently: some files are bad precisely because they are not UTF-8.
    lines = path.read_bytes().decode("utf-8", errors="replace").splitlines()
    return [f"{path}:{line.removeprefix('# expect: ')}" for line in lines if line.startswith("# expect: ")]


@pytest.mark.parametrize("path", BAD_SPECS, ids=lambda p: p.stem)
def test_bad_spec_reports_each_problem_on_one_line(path: Path) -> None:
    result = run_cli("validate", path)
    reported = result.stderr.splitlines()
    expected = expected_lines(path)
    assert expected, f"{path} has no '# expect:' line"
    assert result.status == 1
    assert len(reported) == len(expected), result.stderr
    for want, got in zip(expected, reported):
        assert got.startswith(want)


def test_build_of_a_bad_spec_writes_nothing(tmp_path: Path) -> None:
    result = run_cli("build", BAD_SPECS[0], "-o", tmp_path)
    assert result.status == 1
    assert list(tmp_path.iterdir()) == []


def test_no_traceback_reaches_the_user_from_a_real_process() -> None:
    spec = next(p for p in BAD_SPECS if p.stem == "python_tag")
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "validate", str(spec)], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") == 1


def test_missing_file_is_one_line_and_exit_1(tmp_path: Path) -> None:
    result = run_cli("validate", tmp_path / "nope.yaml")
    assert result.status == 1
    assert result.stderr.startswith(f"{tmp_path / 'nope.yaml'}:1:1: cannot read the file: No such file")


@pytest.mark.parametrize("args", [[], ["build"], ["frobnicate", "x.yaml"], ["build", "x.yaml", "--format", "odt"]])
def test_wrong_usage_exits_2(args: list[str]) -> None:
    assert run_cli(*args).status == 2
