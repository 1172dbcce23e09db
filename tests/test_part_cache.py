"""The writers' cache on disk of each theme's prepared parts: it makes a build faster, never different."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from generator.writers import RenderOptions, part_cache
from generator.writers.xlsx import package, render
from tests import readback_xlsx
from tests.document_samples import sample_document

OPTIONS = RenderOptions(timestamp=datetime(2026, 11, 26, tzinfo=timezone.utc))


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GENERATOR_CACHE_DIR", str(tmp_path))
    package.prepared_package.cache_clear()  # this process's copy would hide the disk
    yield tmp_path
    package.prepared_package.cache_clear()


def fresh_render() -> bytes:
    package.prepared_package.cache_clear()
    return render(sample_document(), OPTIONS)


def test_a_workbook_is_the_same_made_fresh_from_the_cache_and_from_a_damaged_entry(folder: Path) -> None:
    made = fresh_render()
    (entry,) = folder.glob("xlsx-*.zip")
    assert fresh_render() == made  # read from the entry
    good = entry.read_bytes()
    for damaged in (good[: len(good) // 2], good.replace(b"<cellXfs", b"<cellXfz"), b"", b"not a zip"):
        entry.write_bytes(damaged)
        assert fresh_render() == made, damaged[:20]
        assert entry.read_bytes() == good  # made again and put back
    assert readback_xlsx.read_tables(made)


def test_an_entry_of_another_theme_or_library_is_another_file(folder: Path) -> None:
    name = part_cache.key("xlsx", ["theme A"], "openpyxl", [package.__name__])
    assert name != part_cache.key("xlsx", ["theme B"], "openpyxl", [package.__name__])
    assert name != part_cache.key("xlsx", ["theme A"], "reportlab", [package.__name__])
    assert name == part_cache.key("xlsx", ["theme A"], "openpyxl", [package.__name__])


def test_an_empty_setting_turns_the_cache_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GENERATOR_CACHE_DIR", "")
    assert part_cache.folder() is None
    part_cache.store("xlsx-x", {"a": b"b"})
    assert part_cache.load("xlsx-x") is None


def test_an_unwritable_folder_only_costs_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("GENERATOR_CACHE_DIR", str(blocker / "cache"))
    package.prepared_package.cache_clear()
    try:
        assert readback_xlsx.read_tables(render(sample_document(), OPTIONS))
    finally:
        package.prepared_package.cache_clear()


def test_a_cached_build_imports_no_openpyxl(folder: Path, tmp_path: Path) -> None:
    fresh_render()  # fills the cache
    script = (
        "import sys; from datetime import datetime, timezone; from generator.writers import RenderOptions; "
        "from generator.writers.xlsx import render; from tests.document_samples import sample_document; "
        "render(sample_document(), RenderOptions(datetime(2026, 11, 26, tzinfo=timezone.utc))); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'openpyxl'))"
    )
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
