"""The first hour of a new user: `make` with one bad spec, health warnings where one builds, `verify`
on a missing file, `make diff` before the spec is committed, `--version`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import generator
from tests.cli import run_cli

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "tests" / "fixtures" / "dump_fixture.yaml"
GIT = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.test", "-c", "commit.gpgsign=false"]


def project(tmp_path: Path, stems: tuple[str, ...]) -> Path:
    """A copy of the project's Makefile and generator with its own specs/ folder, using this interpreter."""
    folder = tmp_path / "project"
    (folder / "specs").mkdir(parents=True)
    shutil.copy(ROOT / "Makefile", folder)
    for name in ("pyproject.toml", *(p.name for p in ROOT.glob("requirements*.lock"))):
        shutil.copy(ROOT / name, folder)
    shutil.copytree(ROOT / "generator", folder / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    for stem in stems:
        shutil.copy(SPEC, folder / "specs" / f"{stem}.yaml")
    (folder / "installed.stamp").touch()  # newer than pyproject.toml: make installs nothing
    return folder


def make(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("MAKE")}
    env["SOURCE_DATE_EPOCH"] = "1764115200"
    return subprocess.run(
        ["make", f"PY={sys.executable}", "INSTALLED=installed.stamp", *args],
        cwd=folder, env=env, capture_output=True, text=True, check=False,
    )


def git(folder: Path, *args: str) -> None:
    subprocess.run([*GIT, *args], cwd=folder, check=True, capture_output=True)


def test_make_builds_every_spec_after_a_bad_one_and_lists_the_failures(tmp_path: Path) -> None:
    folder = project(tmp_path, ("a_bad", "b_good", "c_good"))
    bad = folder / "specs" / "a_bad.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("as_of: ", "as_of: soon #", 1), encoding="utf-8")
    done = make(folder)
    assert done.returncode != 0
    built = sorted(os.listdir(folder / "output"))
    assert built == sorted(f"{stem}.{ext}" for stem in ("b_good", "c_good") for ext in ("docx", "manifest.json", "pdf", "xlsx"))
    assert "these specs failed to build:\n  specs/a_bad.yaml\n" in done.stderr
    assert "specs/a_bad.yaml:" in done.stderr.splitlines()[0]  # the spec's own problem comes first
    assert make(folder).returncode != 0  # still failing, and still said
    bad.write_bytes(SPEC.read_bytes())
    again = make(folder)
    assert again.returncode == 0, again.stderr
    assert "failed" not in again.stderr and (folder / "output" / "a_bad.pdf").is_file()


def test_make_diff_for_a_spec_not_yet_committed_is_one_clear_line(tmp_path: Path) -> None:
    folder = project(tmp_path, ("89253",))
    git(folder, "init", "-q")
    git(folder, "add", "Makefile")
    git(folder, "commit", "-q", "-m", "start")
    done = make(folder, "diff", "SPEC=specs/89253.yaml", "REV=HEAD")
    assert done.returncode != 0
    assert done.stderr.splitlines()[0] == "error: specs/89253.yaml is not in HEAD (not yet committed there?); nothing to compare with"
    assert "fatal:" not in done.stderr
    wrong = make(folder, "diff", "SPEC=specs/89253.yaml", "REV=no-such-rev")
    assert wrong.stderr.splitlines()[0] == "error: REV=no-such-rev is not a git revision" and "fatal:" not in wrong.stderr


def test_build_and_packet_warn_when_content_changed_but_the_version_did_not(tmp_path: Path) -> None:
    folder = tmp_path / "repo"
    folder.mkdir()
    spec = folder / "report.yaml"
    spec.write_bytes(SPEC.read_bytes())
    git(folder, "init", "-q")
    git(folder, "add", "report.yaml")
    git(folder, "commit", "-q", "-m", "spec")
    text = spec.read_text(encoding="utf-8")
    version = next(line.split(":", 1)[1].strip().strip('"') for line in text.splitlines() if line.startswith("version:"))
    spec.write_text(text.replace("title: ", "title: Revised ", 1), encoding="utf-8")
    warning = f"but version is still {version}; bump it (warning)"
    for command in (("build", spec, "-o", tmp_path / "out"), ("packet", spec, "-o", tmp_path / "out")):
        result = run_cli(*command)
        assert result.status == 0, result.stderr
        (line,) = [line for line in result.stderr.splitlines() if warning in line]
        assert line.startswith(f"{spec}:") and ": version: 1 change(s) since the last commit" in line


def test_verify_on_a_missing_file_says_missing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_cli("build", SPEC, "-o", out, "--format", "pdf").status == 0
    for name, detail in (
        ("nothing.pdf", "no such file"),  # no manifest at all
        ("dump_fixture.docx", "no such file"),  # a manifest that does not list it
    ):
        result = run_cli("verify", out / name)
        assert result.status == 1
        assert result.stdout == f"MISSING {out / name} ({detail})\n"
    (out / "dump_fixture.pdf").unlink()
    result = run_cli("verify", out / "dump_fixture.pdf")
    assert result.stdout == f"MISSING {out / 'dump_fixture.pdf'} (listed in {out / 'dump_fixture.manifest.json'} but not on disk)\n"


def test_version_prints_the_generator_version() -> None:
    result = run_cli("--version")
    assert result.status == 0
    assert result.stdout == f"python -m generator {generator.__version__}\n"
