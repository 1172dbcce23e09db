"""Content health: `validate` warnings (stale reviews, missing fields, version discipline) and the Data Gaps appendix."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from generator.document.compose import NO_GAPS, compose
from generator.document.model import Heading, Paragraph, Table
from generator.pipeline.health import months_before
from generator.spec.model import Benchmark, Modifier, Payer, Section, Source, Spec
from tests.cli import run_cli

SPEC = """\
code: "89253"
title: Assisted Embryo Hatching
version: "{version}"
as_of: {as_of}
sections:
  - title: Summary
    body:
      - {paragraph}
payers:
  - payer: Aetna
    coverage: Covered
    prior_authorization: Required
    policy: CPB 0327
    last_reviewed: {reviewed}
    notes: None.
    cite: [aetna-cpb]
revisions:
  - version: "1.0"
    date: 2026-01-01
    summary: Initial release.
sources:
  - id: aetna-cpb
    title: CPB 0327
"""


def write_spec(folder: Path, name: str = "s.yaml", **fields: str) -> Path:
    values = {"version": "1.0", "as_of": "2026-11-26", "reviewed": "2026-01-01", "paragraph": "Intro."} | fields
    path = folder / name
    path.write_text(SPEC.format(**values), encoding="utf-8")
    return path


def warnings(*args: object) -> list[str]:
    result = run_cli("validate", *args)
    assert result.status == 0, result.stderr
    assert all(line.endswith(" (warning)") for line in result.stderr.splitlines())
    return result.stderr.splitlines()


# --- stale payer reviews ----------------------------------------------------------------------


def test_a_review_exactly_twelve_months_before_as_of_is_not_stale(tmp_path: Path) -> None:
    assert warnings(write_spec(tmp_path, reviewed="2025-11-26")) == []


def test_a_review_twelve_months_and_one_day_before_as_of_is_stale(tmp_path: Path) -> None:
    path = write_spec(tmp_path, reviewed="2025-11-25")
    assert warnings(path) == [
        f"{path}:14:20: payers[0].last_reviewed: Aetna was last reviewed 2025-11-25, "
        "more than 12 months before as_of 2026-11-26 (warning)"
    ]


def test_stale_months_sets_the_threshold(tmp_path: Path) -> None:
    path = write_spec(tmp_path, reviewed="2026-05-26")
    assert warnings(path, "--stale-months", "6") == []
    path = write_spec(tmp_path, reviewed="2026-05-25")
    assert len(warnings(path, "--stale-months", "6")) == 1


@pytest.mark.parametrize("months", ["0", "-1", "six"])
def test_stale_months_must_be_a_positive_whole_number(tmp_path: Path, months: str) -> None:
    assert run_cli("validate", write_spec(tmp_path), "--stale-months", months).status == 2


def test_a_review_after_as_of_is_flagged(tmp_path: Path) -> None:
    assert warnings(write_spec(tmp_path, reviewed="2026-11-27"))[0].endswith(
        "Aetna was reviewed 2026-11-27, after as_of 2026-11-26 (warning)"
    )


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 11, 26), 12, date(2025, 11, 26)),
        (date(2024, 2, 29), 12, date(2023, 2, 28)),  # no Feb 29 in 2023: the month's last day
        (date(2026, 3, 31), 1, date(2026, 2, 28)),
        (date(2026, 1, 15), 13, date(2024, 12, 15)),
    ],
)
def test_months_before_counts_calendar_months(day: date, months: int, expected: date) -> None:
    assert months_before(day, months) == expected


# --- missing fields ---------------------------------------------------------------------------


def test_missing_fields_are_counted_per_table(tmp_path: Path) -> None:
    path = tmp_path / "gaps.yaml"
    path.write_text(
        SPEC.format(version="1.0", as_of="2026-11-26", reviewed="2026-01-01", paragraph="Intro.")
        + "modifiers:\n  - modifier: GY\n    description: Excluded\n"
        + "benchmarks:\n  - metric: Payment\n  - metric: Rate\n    value: 5\n    unit: percent\n",
        encoding="utf-8",
    )
    assert warnings(path) == [
        f"{path}:25:3: modifiers: 1 of 3 fields missing (warning)",
        f"{path}:28:3: benchmarks: 5 of 8 fields missing (warning)",
        f"{path}:30:12: benchmarks[1].value: 'Rate' gives a number but cites no source (add cite: [id]) (warning)",
    ]


# --- version discipline -----------------------------------------------------------------------


def test_a_version_without_a_revisions_entry_is_flagged(tmp_path: Path) -> None:
    path = write_spec(tmp_path, version="1.1")
    assert warnings(path) == [f"{path}:18:3: revisions: no revisions entry for version 1.1; add one saying what changed (warning)"]


def git(folder: Path, *args: str) -> None:
    identity = ["-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", *identity, *args], cwd=folder, check=True, capture_output=True, timeout=30)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    git(tmp_path, "init", "-q")
    (tmp_path / "specs").mkdir()
    write_spec(tmp_path / "specs")
    git(tmp_path, "add", "specs/s.yaml")
    git(tmp_path, "commit", "-q", "-m", "spec")
    return tmp_path


def test_content_changed_since_the_last_commit_without_a_version_bump_is_flagged(repo: Path) -> None:
    path = write_spec(repo / "specs", paragraph="A new introduction.")
    [warning] = warnings(path)
    assert warning.startswith(f"{path}:3:10: version: 2 change(s) since the last commit")
    assert warning.endswith("but version is still 1.0; bump it (warning)")


def test_a_bumped_version_with_its_revision_entry_is_clean(repo: Path) -> None:
    path = write_spec(repo / "specs", paragraph="A new introduction.", version="1.0.1")
    text = path.read_text(encoding="utf-8").replace("revisions:\n", 'revisions:\n  - version: "1.0.1"\n    date: 2026-11-26\n    summary: New intro.\n')
    path.write_text(text, encoding="utf-8")
    assert warnings(path) == []


def test_formatting_only_edits_are_not_content_changes(repo: Path) -> None:
    path = repo / "specs" / "s.yaml"
    path.write_text("# a comment\n" + path.read_text(encoding="utf-8").replace('"1.0"', "'1.0'"), encoding="utf-8")
    assert warnings(path) == []


def test_a_spec_as_committed_is_not_loaded_a_second_time(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.pipeline import health
    from generator.spec import load_spec

    loads: list[Path] = []
    real = health.load_spec
    monkeypatch.setattr(health, "load_spec", lambda path, *a, **k: loads.append(path) or real(path, *a, **k))
    path = repo / "specs" / "s.yaml"
    assert health.build_warnings(load_spec(path)) == [] and loads == []  # the bytes are HEAD's: nothing to compare
    write_spec(repo / "specs", paragraph="A new introduction.")
    [problem] = health.build_warnings(load_spec(path))  # changed: HEAD's text is loaded and compared
    assert "2 change(s) since the last commit" in problem.message and len(loads) == 1


def test_untracked_files_and_folders_outside_git_are_skipped_silently(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    untracked = write_spec(repo / "specs", "new.yaml")
    outside = write_spec(tmp_path_factory.mktemp("plain"), paragraph="Changed, but not in git.")
    assert warnings(untracked, outside) == []


def test_a_spec_outside_any_work_tree_starts_no_git_process(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.pipeline import health

    outside = write_spec(tmp_path_factory.mktemp("plain"))
    started: list[object] = []
    class Recorded:  # a git that fails at once
        returncode = 128

        def __init__(self, *args: object, **kwargs: object) -> None:
            started.append(args)

        def communicate(self, timeout: float | None = None) -> tuple[bytes, bytes]:
            return b"", b""

    monkeypatch.setattr(health.subprocess, "Popen", Recorded)
    monkeypatch.delenv("GIT_DIR", raising=False)
    monkeypatch.delenv("GIT_WORK_TREE", raising=False)
    assert health.git_show(outside, "HEAD") is None and started == []
    monkeypatch.setenv("GIT_DIR", str(tmp_path_factory.mktemp("elsewhere")))  # told where to look: git is asked
    health.git_show(outside, "HEAD")
    assert len(started) == 1


def test_the_spec_can_be_given_relative_to_any_folder(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_spec(repo / "specs", paragraph="A new introduction.")
    monkeypatch.chdir(repo / "specs")
    assert len(warnings(Path("s.yaml"))) == 1


# --- the Data Gaps appendix -------------------------------------------------------------------


def make_spec(**fields: object) -> Spec:
    base: dict[str, object] = dict(
        code="89253", title="T", version="1", as_of=date(2026, 11, 26), sections=(Section(title="S", body=("x",)),),
        descriptor="D", prepared_for="C", prepared_by="A",  # a full cover: the tests below concern the tables
    )
    return Spec(**(base | fields))  # type: ignore[arg-type]


def test_data_gaps_lists_every_missing_table_field_after_the_revision_history() -> None:
    spec = make_spec(
        modifiers=(Modifier(modifier="GY", description="Excluded"),),
        payers=(Payer(payer="Aetna", coverage="Covered", prior_authorization="No", policy="P", notes="n", cite=("p",)),),
        benchmarks=(Benchmark(metric="Payment", period="2026", source="CMS"),),
        sources=(Source(id="p", title="P"),),
    )
    blocks = compose(spec).blocks
    assert blocks[-2:-1] == (Heading(1, "Data Gaps"),)
    gaps = blocks[-1]
    assert isinstance(gaps, Table) and gaps.id == "gaps"
    assert [c.header for c in gaps.columns] == ["Table", "Row", "Field"]
    assert [tuple(cell.text for cell in row) for row in gaps.rows] == [
        ("Modifiers", "GY", "When to Use"),
        ("Payer Coverage", "Aetna", "Last Reviewed"),
        ("Benchmarks", "Payment", "Value"),
    ]


def test_without_gaps_the_appendix_says_so_in_a_paragraph() -> None:
    modifier = Modifier(modifier="GY", description="Excluded", when_to_use="Always", cite=("m",))
    blocks = compose(make_spec(modifiers=(modifier,), sources=(Source(id="m", title="Manual"),))).blocks
    assert blocks[-2:] == (Heading(1, "Data Gaps"), Paragraph(NO_GAPS))
    assert "gaps" not in [t.id for t in compose(make_spec()).tables]


# --- unsourced claims -------------------------------------------------------------------------

UNSOURCED = """\
code: "89253"
title: Unsourced
version: "1.0"
as_of: 2026-11-26
sections:
  - title: Summary
    body: [Intro.]
payers:
  - payer: Aetna
    prior_authorization: Required for certain services.
  - payer: Cigna
    policy: Coverage Policy 0089
  - payer: UHC
    coverage: Limited.
    cite: [uhc]
benchmarks:
  - metric: Cycles
    value: 25724
    unit: count
    source: CDC national ART surveillance
  - metric: Verdict
    value: varies by plan
  - metric: Rate
    value: 56.3
    unit: percent
    cite: [kissin]
sources:
  - id: uhc
    title: CDG.025.13
  - id: kissin
    title: CDC surveillance
  - id: unused
    title: Never cited
revisions:
  - version: "1.0"
    date: 2026-11-26
    summary: First.
"""


def test_uncited_figures_statements_and_sources_are_flagged_with_their_lines(tmp_path: Path) -> None:
    path = tmp_path / "unsourced.yaml"
    path.write_text(UNSOURCED, encoding="utf-8")
    unsourced = [line for line in warnings(path) if "fields missing" not in line]
    assert unsourced == [
        f"{path}:10:26: payers[0].prior_authorization: Aetna's policy statement cites no source (add cite: [id]) (warning)",
        f"{path}:18:12: benchmarks[0].value: 'Cycles' gives a number but cites no source "
        "(its `source` text is not a registry entry; add cite: [id]) (warning)",
        f"{path}:32:9: sources[2].id: source 'unused' is never cited; cite it or remove it (warning)",
    ]  # Cigna states no position, Verdict is text, UHC and Rate cite their sources


def test_the_version_warning_is_asked_of_git_before_the_build_and_read_after_it(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.pipeline import batch, health

    path = write_spec(repo / "specs", paragraph="A new introduction.")
    order: list[str] = []
    real_start, real_build = health._start_git_show, batch.build

    def start(*args: object):
        order.append("git started")
        finish = real_start(*args)
        return lambda: order.append("git read") or finish()

    monkeypatch.setattr(health, "_start_git_show", start)
    monkeypatch.setattr(batch, "build", lambda *args, **kwargs: order.append("built") or real_build(*args, **kwargs))
    outcome = batch.build_one(batch.plan([path], repo / "out", ("xlsx",), None)[0])
    assert order == ["git started", "built", "git read"]
    (warning,) = outcome.warnings
    assert "change(s) since the last commit" in warning and warning.endswith("(warning)")
