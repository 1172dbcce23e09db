"""Batch builds: same bytes however built, up-to-date specs skipped, failures collected, exact shards."""

from __future__ import annotations

import io
import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import generator
from generator.pipeline import batch
from tests.cli import run_cli

ROOT = Path(__file__).parent.parent
SOURCES = [ROOT / "specs" / "89253.yaml", ROOT / "tests" / "fixtures" / "other_code.yaml", ROOT / "tests" / "fixtures" / "dump_fixture.yaml"]
EPOCH = "1764115200"  # 2025-11-26T00:00:00Z

SMALL = """\
code: "{code}"
title: Batch test {code}
version: "1.0"
as_of: 2026-11-26
sections:
  - title: Summary
    body: [{text}]
modifiers:
  - modifier: "59"
    description: Distinct procedural service
"""


def small_spec(folder: Path, stem: str, text: str = "A paragraph.", code: str = "89253") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stem}.yaml"
    path.write_text(SMALL.format(code=code, text=text), encoding="utf-8")
    return path


def copies(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [Path(shutil.copy(source, folder / source.name)) for source in SOURCES]


def contents(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def stamps(folder: Path) -> dict[str, tuple[int, int]]:
    """Inode and modification time of every file: an atomic rewrite changes both."""
    return {path.name: (path.stat().st_ino, path.stat().st_mtime_ns) for path in sorted(folder.iterdir())}


def lines_starting(text: str, prefix: str) -> list[str]:
    return [line.removeprefix(prefix) for line in text.splitlines() if line.startswith(prefix)]


# --- same bytes, however built -------------------------------------------------------------------


@pytest.mark.parametrize("epoch", [EPOCH, None], ids=["source_date_epoch", "as_of"])
def test_a_batch_writes_the_bytes_of_single_builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, epoch: str | None) -> None:
    specs = copies(tmp_path / "specs")
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"} | ({"SOURCE_DATE_EPOCH": epoch} if epoch else {})
    single = tmp_path / "single"
    for spec in specs:  # each in a fresh process: the reference
        done = subprocess.run([sys.executable, "-m", "generator", "build", str(spec), "-o", str(single)], cwd=ROOT, env=env, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    if epoch:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    expected = contents(single)
    for jobs in ("1", "2"):  # one process building all in turn; a pool of workers
        out = tmp_path / f"jobs{jobs}"
        result = run_cli("build", *specs, "-o", out, "--jobs", jobs)
        assert result.status == 0, result.stderr
        assert contents(out) == expected, f"--jobs {jobs}"


def test_output_lines_follow_the_order_given_whatever_the_number_of_jobs(tmp_path: Path) -> None:
    specs = [small_spec(tmp_path / "specs", f"s{i}", "x " * (400 * (i % 3))) for i in range(5)]
    shown = {}
    for jobs in ("1", "2"):
        result = run_cli("build", *specs, "-o", tmp_path / "out", "--format", "xlsx", "--jobs", jobs, "--force")
        assert result.status == 0, result.stderr
        shown[jobs] = result.stdout
    assert shown["1"] == shown["2"]
    assert lines_starting(shown["1"], "wrote ") == [
        str(tmp_path / "out" / f"s{i}.{ext}") for i in range(5) for ext in ("xlsx", "manifest.json")
    ]


# --- up to date ----------------------------------------------------------------------------------


@pytest.fixture
def built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A small spec built once into out/, with SOURCE_DATE_EPOCH pinned."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    spec, out = small_spec(tmp_path / "specs", "report"), tmp_path / "out"
    result = run_cli("build", spec, "-o", out)
    assert result.status == 0, result.stderr
    assert len(lines_starting(result.stdout, "wrote ")) == 4
    return spec, out


def test_a_second_run_skips_an_up_to_date_spec_and_touches_nothing(built: tuple[Path, Path]) -> None:
    spec, out = built
    before = stamps(out)
    result = run_cli("build", spec, "-o", out)
    assert result.status == 0, result.stderr
    assert result.stdout.splitlines() == [f"up to date {out / f'report.{ext}'}" for ext in ("docx", "pdf", "xlsx")]
    assert stamps(out) == before


def test_a_subset_of_the_recorded_formats_is_up_to_date_a_superset_is_not(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    spec, out = small_spec(tmp_path / "specs", "report"), tmp_path / "out"
    assert run_cli("build", spec, "-o", out, "--format", "pdf", "--format", "xlsx").status == 0
    assert run_cli("build", spec, "-o", out, "--format", "xlsx").stdout == f"up to date {out / 'report.xlsx'}\n"
    rebuilt = run_cli("build", spec, "-o", out)
    assert len(lines_starting(rebuilt.stdout, "wrote ")) == 4


def _rebuilt(spec: Path, out: Path, *extra: str) -> bool:
    before = stamps(out)
    result = run_cli("build", spec, "-o", out, *extra)
    assert result.status == 0, result.stderr
    wrote = lines_starting(result.stdout, "wrote ")
    assert ("up to date" in result.stdout) != bool(wrote)
    assert (stamps(out) != before) == bool(wrote)
    return bool(wrote)


def test_a_changed_spec_is_rebuilt(built: tuple[Path, Path]) -> None:
    spec, out = built
    spec.write_text(spec.read_text(encoding="utf-8").replace("A paragraph.", "Another paragraph."), encoding="utf-8")
    assert _rebuilt(spec, out)
    assert not _rebuilt(spec, out)


def test_a_deliverable_altered_on_disk_is_rebuilt(built: tuple[Path, Path]) -> None:
    spec, out = built
    original = (out / "report.pdf").read_bytes()
    altered = bytearray(original)
    altered[len(altered) // 2] ^= 0x01
    (out / "report.pdf").write_bytes(bytes(altered))
    assert _rebuilt(spec, out)
    assert (out / "report.pdf").read_bytes() == original


def test_a_deleted_deliverable_is_rebuilt(built: tuple[Path, Path]) -> None:
    spec, out = built
    (out / "report.docx").unlink()
    assert _rebuilt(spec, out)
    assert (out / "report.docx").is_file()


def test_another_generator_version_rebuilds(built: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    spec, out = built
    monkeypatch.setattr(generator, "__version__", "99.0.0")
    assert _rebuilt(spec, out)
    assert not _rebuilt(spec, out)


def test_another_timestamp_rule_result_rebuilds(built: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    spec, out = built
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(EPOCH) + 86400))
    assert _rebuilt(spec, out)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")  # as_of then gives the timestamp
    assert _rebuilt(spec, out)
    assert not _rebuilt(spec, out)


def test_force_rebuilds_an_up_to_date_spec(built: tuple[Path, Path]) -> None:
    spec, out = built
    assert _rebuilt(spec, out, "--force")


def test_a_corrupt_manifest_means_not_up_to_date(built: tuple[Path, Path]) -> None:
    spec, out = built
    (out / "report.manifest.json").write_text("{not json", encoding="utf-8")
    assert _rebuilt(spec, out)


def test_a_theme_added_edited_or_removed_rebuilds(built: tuple[Path, Path]) -> None:
    spec, out = built
    theme = spec.with_name("theme.yaml")
    theme.write_text('brand_name: Northwind Health Advisory\nbrand_color: "0F6E5A"\n', encoding="utf-8")
    assert _rebuilt(spec, out)
    assert not _rebuilt(spec, out)
    theme.write_text('brand_name: Northwind Health Advisory\nbrand_color: "1F6E5A"\n', encoding="utf-8")
    assert _rebuilt(spec, out)
    theme.unlink()
    assert _rebuilt(spec, out)
    assert not _rebuilt(spec, out)


def test_theme_files_in_the_list_are_not_built_as_reports(tmp_path: Path) -> None:
    spec = small_spec(tmp_path / "specs", "report")
    theme = spec.with_name("theme.yaml")
    theme.write_text("brand_name: Northwind Health Advisory\n", encoding="utf-8")
    result = run_cli("build", *sorted(spec.parent.glob("*.yaml")), "-o", tmp_path / "out", "--format", "xlsx")
    assert (result.status, result.stderr) == (0, "")
    assert lines_starting(result.stdout, "wrote ") == [str(tmp_path / "out" / f"report.{ext}") for ext in ("xlsx", "manifest.json")]


def test_up_to_date_specs_are_skipped_in_a_pool_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    specs = [small_spec(tmp_path / "specs", f"s{i}") for i in range(4)]
    out = tmp_path / "out"
    assert run_cli("build", *specs, "-o", out, "--format", "xlsx", "--jobs", "2").status == 0
    specs[2].write_text(specs[2].read_text(encoding="utf-8").replace("A paragraph.", "Changed."), encoding="utf-8")
    result = run_cli("build", *specs, "-o", out, "--format", "xlsx", "--jobs", "2")
    assert result.status == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"up to date {out / 's0.xlsx'}", f"up to date {out / 's1.xlsx'}",
        f"wrote {out / 's2.xlsx'}", f"wrote {out / 's2.manifest.json'}",
        f"up to date {out / 's3.xlsx'}",
    ]


# --- failures -----------------------------------------------------------------------------------


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_failed_specs_do_not_stop_the_others_and_are_listed_at_the_end(tmp_path: Path, jobs: str) -> None:
    folder = tmp_path / "specs"
    invalid = small_spec(folder, "a_invalid")
    invalid.write_text(invalid.read_text(encoding="utf-8").replace("as_of: 2026-11-26", "as_of: soon"), encoding="utf-8")
    good = [small_spec(folder, "b_good"), small_spec(folder, "d_good")]
    unprintable = small_spec(folder, "c_glyphs", "日本語")
    warned = small_spec(folder, "e_warned", '"tab\\x07bell"')
    out = tmp_path / "out"
    result = run_cli("build", invalid, good[0], unprintable, good[1], warned, "-o", out, "--jobs", jobs)
    assert result.status == 1
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{stem}.{ext}" for stem in ("b_good", "d_good", "e_warned") for ext in ("docx", "pdf", "xlsx", "manifest.json")
    )
    problems = result.stderr.splitlines()
    assert len(problems) == 3, result.stderr
    assert problems[0].startswith(f"{warned}:7:") and problems[0].endswith("(warning)")
    assert problems[1] == f"{invalid}:4:8: as_of: expected a date like 2025-06-01, got 'soon'"
    assert problems[2].startswith(f"{unprintable}:") and ": the PDF font cannot draw '日' (U+65E5)" in problems[2]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_unexpected_error_is_listed_the_others_built_then_it_is_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:
    import generator.writers.xlsx as xlsx_writer  # imported before the pool forks, so workers see the patch

    real = xlsx_writer.render

    def flaky(document, options):  # type: ignore[no-untyped-def]
        if "broken" in document.metadata.title:
            raise RuntimeError("writer bug")  # not bad input, not an OS fault: a bug
        return real(document, options)

    monkeypatch.setattr(xlsx_writer, "render", flaky)
    folder = tmp_path / "specs"
    specs = [small_spec(folder, "a"), small_spec(folder, "b"), small_spec(folder, "c")]
    specs[1].write_text(specs[1].read_text(encoding="utf-8").replace("title: Batch", "title: broken Batch"), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(RuntimeError, match="writer bug"):
        jobs_list = batch.plan(specs, tmp_path / "out", ("xlsx",), None)
        batch.run_batch(jobs_list, int(jobs), False, batch.Reporter(len(specs), out, err))
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.manifest.json", "a.xlsx", "c.manifest.json", "c.xlsx"]
    assert err.getvalue() == f"{specs[1]}: build failed: RuntimeError: writer bug\n"


# --- shards -------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 2, 3, 4, 7, 25])
def test_shards_partition_the_list_exactly_whatever_its_order(count: int) -> None:
    paths = [Path(f"specs/{random.Random(i).randrange(10**6):06d}.yaml") for i in range(20)]
    parts = [batch.shard(paths, index, count) for index in range(1, count + 1)]
    assert sorted(p for part in parts for p in part) == sorted(paths)  # union = all, nothing twice
    assert all(set(a).isdisjoint(b) for i, a in enumerate(parts) for b in parts[i + 1 :])
    assert max(map(len, parts)) - min(map(len, parts)) <= 1
    shuffled = paths[:]
    random.Random(count).shuffle(shuffled)
    assert [batch.shard(shuffled, index, count) for index in range(1, count + 1)] == parts


def test_shards_on_the_command_line_build_disjoint_parts_of_the_list(tmp_path: Path) -> None:
    specs = [small_spec(tmp_path / "specs", f"s{i}") for i in range(5)]
    out = tmp_path / "out"
    built = []
    for index in (1, 2):
        result = run_cli("build", *reversed(specs), "-o", out, "--format", "xlsx", "--shard", f"{index}/2")
        assert result.status == 0, result.stderr
        built.append(lines_starting(result.stdout, "wrote "))
    assert [len(part) for part in built] == [6, 4]
    assert sorted(built[0] + built[1]) == sorted(str(out / f"s{i}.{ext}") for i in range(5) for ext in ("xlsx", "manifest.json"))


@pytest.mark.parametrize("value", ["0/2", "3/2", "1/0", "2", "x/y", "1/2/3", "-1/2", " 1/2", "", "１/２"])
def test_a_bad_shard_is_a_usage_error(tmp_path: Path, value: str) -> None:
    result = run_cli("build", small_spec(tmp_path, "s"), "-o", tmp_path / "out", "--shard", value)
    assert result.status == 2
    assert "--shard" in result.stderr and not (tmp_path / "out").exists()


@pytest.mark.parametrize("value", ["0", "-1", "x", "1.5", "", "２"])
def test_a_bad_jobs_value_is_a_usage_error(tmp_path: Path, value: str) -> None:
    result = run_cli("build", small_spec(tmp_path, "s"), "-o", tmp_path / "out", "--jobs", value)
    assert result.status == 2
    assert "--jobs" in result.stderr and not (tmp_path / "out").exists()


def test_two_specs_with_one_stem_are_a_usage_error(tmp_path: Path) -> None:
    first, second = small_spec(tmp_path / "a", "report"), small_spec(tmp_path / "b", "report")
    result = run_cli("build", first, second, "-o", tmp_path / "out")
    assert result.status == 2
    assert result.stderr == f"error: {first} and {second} would both write {tmp_path / 'out' / 'report'}.*; build them into different folders\n"


def test_a_spec_given_twice_is_built_once(tmp_path: Path) -> None:
    spec = small_spec(tmp_path, "s")
    result = run_cli("build", spec, spec, "-o", tmp_path / "out", "--format", "xlsx")
    assert len(lines_starting(result.stdout, "wrote ")) == 2


# --- terminal and imports -----------------------------------------------------------------------


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_one_status_line_updates_and_a_summary_ends_it(tmp_path: Path) -> None:
    specs = [small_spec(tmp_path / "specs", f"s{i}") for i in range(3)]
    jobs = batch.plan(specs, tmp_path / "out", ("xlsx",), EPOCH)
    out, err = Terminal(), Terminal()
    batch.run_batch(jobs, 1, False, batch.Reporter(len(jobs), out, err))
    assert out.getvalue() == ""  # the status line replaces the per-file lines on a terminal
    shown = err.getvalue()
    assert shown.count("\n") == 1 and shown.endswith("\n")
    assert "\r\x1b[K[1/3] 1 built, 0 up to date, 0 failed" in shown
    assert shown.rsplit("\r\x1b[K", 1)[1].startswith("3 specs in ")
    assert shown.rstrip().endswith(": 3 built, 0 up to date, 0 failed")


def test_on_a_terminal_with_stdout_redirected_the_file_lines_still_go_to_stdout(tmp_path: Path) -> None:
    specs = [small_spec(tmp_path / "specs", f"s{i}") for i in range(2)]
    out, err = io.StringIO(), Terminal()
    batch.run_batch(batch.plan(specs, tmp_path / "out", ("xlsx",), EPOCH), 1, False, batch.Reporter(2, out, err))
    assert len(lines_starting(out.getvalue(), "wrote ")) == 4


def test_build_imports_no_other_command_and_only_the_writers_it_needs(tmp_path: Path) -> None:
    specs = [str(small_spec(tmp_path / "specs", f"s{i}")) for i in range(3)]
    probe = (
        "import json, sys\nfrom generator.cli import main\n"
        f"status = main(['build', *{specs!r}, '-o', sys.argv[2], '--format', 'xlsx', '--jobs', sys.argv[1]])\n"
        "print(json.dumps([status, sorted(sys.modules)]))\n"
    )
    libraries = {"docx": "docx", "pdf": "reportlab", "xlsx": "openpyxl"}
    # A fresh cache: the XLSX's theme parts are made with openpyxl; once cached, openpyxl is not
    # imported at all. With a pool, the parent renders nothing.
    env = {**os.environ, "GENERATOR_CACHE_DIR": str(tmp_path / "part-cache")}
    runs = (("1", {"xlsx"}, {"xlsx"}), ("1", {"xlsx"}, set()), ("2", set(), set()))
    for run, (jobs, rendered, imported) in enumerate(runs):
        out = str(tmp_path / f"out{run}")
        done = subprocess.run([sys.executable, "-c", probe, jobs, out], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
        status, modules = json.loads(done.stdout.splitlines()[-1])
        assert status == 0
        assert [m for m in modules if m.startswith("generator.commands.")] == ["generator.commands.build"]
        assert {fmt for fmt in libraries if f"generator.writers.{fmt}" in modules} == rendered
        assert {fmt for fmt, library in libraries.items() if library in modules} == imported
