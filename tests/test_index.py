"""`index`: one portfolio of the reports built in several shards, every file verified, problems flagged."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from generator.document.portfolio import Entry
from generator.pipeline.index import Portfolio, portfolio_bytes
from tests.cli import run_cli
from tests.readback_xlsx import read_overview, read_tables

ROOT = Path(__file__).parent.parent
TEMPLATE = (ROOT / "tests" / "diff_cases" / "tables" / "new.yaml").read_text(encoding="utf-8")
EPOCH = "1764115200"
SHARDS = 4
COUNT = 20
STALE = 7  # the spec whose Aetna review is years before its as_of


def spec_text(i: int) -> str:
    text = TEMPLATE.replace('code: "89253"', f'code: "{90000 + i}"').replace(
        'version: "1.0"', f'version: "1.{i}"\nprepared_for: Client {i}'
    )
    if i == STALE:
        text = text.replace("    policy: CPB 0327\n", "    policy: CPB 0327\n    last_reviewed: 2020-01-31\n")
    return text


@pytest.fixture(scope="module")
def shards(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Twenty specs built in four shards into four folders: root/specs, root/out/1 .. root/out/4."""
    root = tmp_path_factory.mktemp("portfolio")
    specs = []
    for i in range(COUNT):
        path = root / "specs" / f"r{i:02}.yaml"
        path.parent.mkdir(exist_ok=True)
        path.write_text(spec_text(i), encoding="utf-8")
        specs.append(path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        for part in range(1, SHARDS + 1):
            result = run_cli("build", *specs, "--shard", f"{part}/{SHARDS}", "-o", root / "out" / str(part), "--jobs", "1")
            assert result.status == 0, result.stderr
    return root


def folders(root: Path) -> list[Path]:
    return [root / "out" / str(part) for part in range(1, SHARDS + 1)]


def index_json(root: Path, tmp_path: Path, *extra: Path) -> tuple[int, dict, str]:
    target = tmp_path / "portfolio.json"
    result = run_cli("index", *folders(root), *extra, "-o", target)
    return result.status, json.loads(target.read_text(encoding="utf-8")), result.stderr


def test_index_lists_every_report_of_every_shard_once(shards: Path, tmp_path: Path) -> None:
    status, data, stderr = index_json(shards, tmp_path)
    assert (status, stderr) == (0, "")
    codes = [row["code"] for row in data["reports"]]
    assert sorted(codes) == sorted(str(90000 + i) for i in range(COUNT))
    for row in data["reports"]:
        i = int(row["code"]) - 90000
        built = Path(row["manifest"]).parent
        assert (row["version"], row["prepared_for"], row["as_of"]) == (f"1.{i}", f"Client {i}", "2026-11-26")
        for fmt in ("docx", "pdf", "xlsx"):
            data_on_disk = (built / f"r{i:02}.{fmt}").read_bytes()
            assert row[f"{fmt}_file"] == f"r{i:02}.{fmt}" and row[f"{fmt}_bytes"] == len(data_on_disk)
            assert row[f"{fmt}_sha-256"] == hashlib.sha256(data_on_disk).hexdigest()
        assert row["generator"].startswith("generator ") and "reportlab " in row["libraries"]
        assert row["problems"] == "none"
    terminal = run_cli("index", *folders(shards))
    assert terminal.status == 0
    assert len(terminal.stdout.splitlines()) == COUNT + 1
    assert {line.split()[0] for line in terminal.stdout.splitlines()[1:]} == set(codes)


def test_a_stale_payer_review_and_the_missing_fields_show_in_the_row(shards: Path, tmp_path: Path) -> None:
    _, data, _ = index_json(shards, tmp_path)
    rows = {row["code"]: row for row in data["reports"]}
    assert rows[str(90000 + STALE)]["stale_reviews"] == "Aetna (2020-01-31)"
    assert rows["90000"]["stale_reviews"] == "none"
    assert rows["90000"]["missing_fields"] > 0  # e.g. Medicare's coverage and policy


def test_a_deleted_and_an_altered_file_are_both_reported_with_exit_1(shards: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(shards / "out", copy / "out")
    gone = next((copy / "out" / "1").glob("*.pdf"))
    gone.unlink()
    altered = next((copy / "out" / "3").glob("*.xlsx"))
    data = bytearray(altered.read_bytes())
    data[len(data) // 2] ^= 0x01
    altered.write_bytes(bytes(data))
    status, portfolio, stderr = index_json(copy, tmp_path)
    assert status == 1
    lines = stderr.splitlines()
    assert len(lines) == 2
    assert any(line.startswith(f"{gone.parent / gone.stem}.manifest.json: {gone.name}: MISSING") for line in lines)
    assert any(line.startswith(f"{altered.parent / altered.stem}.manifest.json: {altered.name}: CHANGED") for line in lines)
    problems = {row["manifest"]: row["problems"] for row in portfolio["reports"] if row["problems"] != "none"}
    assert set(problems) == {f"{gone.parent / gone.stem}.manifest.json", f"{altered.parent / altered.stem}.manifest.json"}
    assert len(portfolio["reports"]) == COUNT and portfolio["problems"] == lines


def test_the_xlsx_portfolio_reads_back_with_the_cells_of_the_csv(shards: Path, tmp_path: Path) -> None:
    for suffix in ("xlsx", "csv"):
        assert run_cli("index", *folders(shards), "-o", tmp_path / f"p.{suffix}").status == 0
    rows = list(csv.reader(io.StringIO((tmp_path / "p.csv").read_text(encoding="utf-8"))))
    assert len(rows) == COUNT + 1
    workbook = (tmp_path / "p.xlsx").read_bytes()
    assert read_tables(workbook) == {"Portfolio": rows}
    assert ["Reports", str(COUNT)] in read_overview(workbook)


def test_the_same_report_at_two_versions_is_a_problem(shards: Path, tmp_path: Path) -> None:
    other = tmp_path / "again"
    spec = tmp_path / "r03.yaml"
    spec.write_text(spec_text(3).replace('version: "1.3"', 'version: "2.0"'), encoding="utf-8")
    assert run_cli("build", spec, "-o", other).status == 0
    status, data, stderr = index_json(shards, tmp_path, other)
    assert status == 1
    flagged = [row for row in data["reports"] if row["code"] == "90003"]
    assert [row["version"] for row in flagged] == ["1.3", "2.0"]
    assert all("found at different versions" in row["problems"] for row in flagged)
    assert len(stderr.splitlines()) == 2 and "report 90003 for Client 3 found at different versions" in stderr


def test_an_unreadable_manifest_is_a_problem(shards: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "x.manifest.json").write_text("{not json", encoding="utf-8")
    status, data, stderr = index_json(shards, tmp_path, broken)
    assert status == 1 and stderr.startswith(f"{broken / 'x.manifest.json'}: not a manifest: ")
    assert len(data["reports"]) == COUNT + 1


def test_a_folder_that_does_not_exist_is_a_usage_error(shards: Path, tmp_path: Path) -> None:
    result = run_cli("index", *folders(shards), tmp_path / "nope")
    assert result.status == 2 and result.stderr == f"error: {tmp_path / 'nope'}: no such folder\n"
    assert run_cli("index", *folders(shards), "-o", tmp_path / "p.txt").status == 2


def test_a_csv_cell_that_would_run_as_a_formula_is_quoted() -> None:
    entry = Entry("out/x.manifest.json", code="1", title="=HYPERLINK(1)")
    portfolio = Portfolio(("out",), (entry,), (), datetime(2026, 1, 1))
    rows = list(csv.reader(io.StringIO(portfolio_bytes(portfolio, ".csv").decode("utf-8"))))
    assert rows[1][:2] == ["1", "'=HYPERLINK(1)"]
