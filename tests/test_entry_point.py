"""No traceback reaches the user: every bad input, through the real `python -m generator`.

The whole bad-spec corpus goes through `validate` and `build` in a separate process, as a
user would run them: exit status 1, every stderr line `file:line:col: ...`, the problems the
corpus files name, and nothing written. A few inputs that cannot be corpus files (too big,
a directory, a device, missing) and a spec the PDF font cannot draw follow the same rules.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.spec.source import MAX_FILE_BYTES
from tests.test_bad_specs import BAD_SPECS, expected_lines

ROOT = Path(__file__).parent.parent


def run(*args: object, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "generator", *map(str, args)], capture_output=True, text=True, check=False, env=env, cwd=cwd
    )


def assert_clean(stderr: str, paths: list[Path]) -> list[str]:
    """Every line names one of `paths` as `path:line:col: ` and there is no traceback."""
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert lines
    where = "|".join(re.escape(str(p)) for p in paths)
    for line in lines:
        assert re.match(rf"(?:{where}):\d+:\d+: \S", line), line
    return lines


@pytest.mark.parametrize("command", ["validate", "build"])
def test_the_whole_corpus_through_the_real_command(command: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = [command, *BAD_SPECS] + (["-o", out] if command == "build" else [])
    proc = run(*args)
    assert proc.returncode == 1
    lines = assert_clean(proc.stderr, BAD_SPECS)
    expected = [line for spec in BAD_SPECS for line in expected_lines(spec)]
    assert len(lines) == len(expected)
    for want, got in zip(expected, lines):
        assert got.startswith(want)
    assert {line.split(":", 1)[0] for line in lines} == {str(spec) for spec in BAD_SPECS}
    assert not out.exists() or list(out.iterdir()) == []
    assert proc.stdout == ""


def test_inputs_that_are_not_files_of_text(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"# padding\n" * (MAX_FILE_BYTES // 10 + 1))
    folder = tmp_path / "a_folder.yaml"
    folder.mkdir()
    missing = tmp_path / "missing.yaml"
    device = Path("/dev/zero")  # endless, and reports a size of 0
    inputs = [big, folder, missing] + ([device] if device.exists() else [])
    for command in ("validate", "build"):
        proc = run(command, *inputs, *(["-o", tmp_path / "out"] if command == "build" else []))
        assert proc.returncode == 1
        lines = assert_clean(proc.stderr, inputs)
        assert lines[0] == f"{big}:1:1: file is {big.stat().st_size} bytes; the limit is {MAX_FILE_BYTES}"
        assert lines[1].startswith(f"{folder}:1:1: cannot read the file: ")
        assert lines[2] == f"{missing}:1:1: cannot read the file: No such file or directory"
        if device.exists():
            assert lines[3] == f"{device}:1:1: file is more than {MAX_FILE_BYTES} bytes; the limit is {MAX_FILE_BYTES}"
        assert len(lines) == len(inputs)
    assert not (tmp_path / "out").exists()


def test_text_the_pdf_cannot_draw_is_one_clean_line_through_the_real_command(tmp_path: Path) -> None:
    spec = tmp_path / "glyphs.yaml"
    spec.write_text(
        'code: "89253"\ntitle: Glyphs\nversion: "1.0"\nas_of: 2026-11-26\nsections:\n  - title: 日本語\n', encoding="utf-8"
    )
    proc = run("build", spec, "-o", tmp_path / "out")
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert proc.stderr.splitlines() == [
        f"{spec}:6:12: sections[0].title: the PDF font cannot draw "
        "'日' (U+65E5), '本' (U+672C), '語' (U+8A9E); remove or replace these characters"
    ]
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []
