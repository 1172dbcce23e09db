"""The writers' cache on disk of each theme's prepared parts: it makes a build faster, never different."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import zipfile
import zlib
from datetime import datetime, timezone
from pathlib import Path

import pytest

from generator.pipeline.build import writer_theme
from generator.spec.theme import load_theme
from generator.writers import RenderOptions, part_cache
from generator.writers import docx as docx_writer
from generator.writers.docx import template
from generator.writers.theme import THEME, Theme
from generator.writers.xlsx import package, render
from tests import readback_docx, readback_xlsx
from tests.document_samples import sample_document

OPTIONS = RenderOptions(timestamp=datetime(2026, 11, 26, tzinfo=timezone.utc))
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GENERATOR_CACHE_DIR", str(tmp_path))
    package.prepared_package.cache_clear()  # this process's copy would hide the disk
    template.prepared_template.cache_clear()
    yield tmp_path
    package.prepared_package.cache_clear()
    template.prepared_template.cache_clear()


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


def test_an_entry_copied_onto_another_name_is_not_taken_for_it(folder: Path) -> None:
    part_cache.store("docx-a", {"word/styles.xml": b"<w:styles/>"})
    assert part_cache.load("docx-a") == {"word/styles.xml": b"<w:styles/>"}  # its own name is not a part
    (folder / "docx-b.zip").write_bytes((folder / "docx-a.zip").read_bytes())
    assert part_cache.load("docx-b") is None


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
    template.prepared_template.cache_clear()
    try:
        assert readback_xlsx.read_tables(render(sample_document(), OPTIONS))
        assert readback_docx.read_tables(docx_writer.render(sample_document(), OPTIONS))
    finally:
        package.prepared_package.cache_clear()
        template.prepared_template.cache_clear()


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


# ---------------------------------------------------------------- DOCX


def branded_theme() -> Theme:
    """The sample client theme, logo and all."""
    return writer_theme(load_theme(ROOT / "tests" / "fixtures" / "branding" / "theme.yaml"))


def fresh_docx(theme: Theme = THEME) -> bytes:
    template.prepared_template.cache_clear()
    return docx_writer.render(sample_document(), dataclasses.replace(OPTIONS, theme=theme))


def docx_in_a_fresh_process(out: Path, theme_file: bool = False) -> list[str]:
    """Render the sample DOCX in a new process into `out` (branded with the sample theme if
    `theme_file`); return the python-docx and lxml modules that process imported."""
    theme = "writer_theme(load_theme(Path('tests/fixtures/branding/theme.yaml')))" if theme_file else "THEME"
    script = (  # imports nothing of the tests', whose read-back helpers import python-docx
        "import sys; from pathlib import Path; from datetime import datetime, timezone; "
        "from generator.pipeline.build import writer_theme; from generator.spec.theme import load_theme; "
        "from generator.writers import RenderOptions; from generator.writers.docx import render; "
        "from generator.writers.theme import THEME; from tests.document_samples import sample_document; "
        f"options = RenderOptions(datetime(2026, 11, 26, tzinfo=timezone.utc), {theme}); "
        "Path(sys.argv[1]).write_bytes(render(sample_document(), options)); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('docx', 'lxml')))"
    )
    done = subprocess.run([sys.executable, "-c", script, str(out)], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().replace("'", '"'))


@pytest.mark.parametrize("theme_file", [False, True], ids=["house", "branded"])
def test_a_document_is_the_same_made_fresh_from_the_cache_and_with_the_cache_off(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, theme_file: bool
) -> None:
    theme = branded_theme() if theme_file else THEME
    made = fresh_docx(theme)  # a cold cache: made with python-docx, and kept
    assert len(list(folder.glob("docx-*.zip"))) == 1
    assert fresh_docx(theme) == made  # read from the entry, in this process
    cached = tmp_path / "cached.docx"
    assert docx_in_a_fresh_process(cached, theme_file) == []  # a warm cache: no python-docx, no lxml
    assert cached.read_bytes() == made
    monkeypatch.setenv("GENERATOR_CACHE_DIR", "")
    assert fresh_docx(theme) == made  # the cache off
    word = readback_docx.open_docx(made)
    assert word.core_properties.title == sample_document().metadata.title
    assert word.styles["Normal"].font.name == "Calibri"
    assert bool(word.inline_shapes) == theme_file  # the logo's picture, from the entry's image part


def test_a_cold_cache_imports_python_docx_and_fills_the_cache(folder: Path, tmp_path: Path) -> None:
    """The other side of the warm process above: the import check would see python-docx if it were used."""
    assert "docx" in docx_in_a_fresh_process(tmp_path / "cold.docx")
    assert len(list(folder.glob("docx-*.zip"))) == 1


def _rewritten(entry: Path, change) -> None:
    """`entry` made again, whole and with good CRCs, with `change` applied to its index."""
    name = entry.stem
    parts = part_cache.load(name)
    index = json.loads(parts["index.json"])
    change(index)
    part_cache.store(name, {**parts, "index.json": json.dumps(index).encode()})


def _hole_moved(index: dict) -> None:
    index["holes"]["header"][1] -= 1


def _index_emptied(index: dict) -> None:
    index.clear()


def _part_dropped(index: dict) -> None:
    index["parts"].remove("[Content_Types].xml")


def _rewritten_part_deflated(index: dict) -> None:
    index["deflated"]["[Content_Types].xml"] = [0, 0]


def _stray_deflated_part(index: dict) -> None:
    index["deflated"]["word/extra.xml"] = [0, 0]


def test_a_damaged_or_unexpected_docx_entry_is_ignored_and_made_again(folder: Path) -> None:
    made = fresh_docx()
    (entry,) = folder.glob("docx-*.zip")
    good = entry.read_bytes()
    damaged = [good[: len(good) // 2], good.replace(b"<w:body>", b"<w:bodx>"), b"", b"not a zip"]
    for damage in damaged:
        entry.write_bytes(damage)
        assert fresh_docx() == made, damage[:20]
        assert entry.read_bytes() == good  # made again and put back
    for change in (_hole_moved, _index_emptied, _part_dropped, _rewritten_part_deflated, _stray_deflated_part):  # whole entries, but not what this code writes
        _rewritten(entry, change)
        assert entry.read_bytes() != good
        assert fresh_docx() == made, change.__name__
        assert entry.read_bytes() == good


def test_an_entry_of_another_theme_under_this_themes_name_is_ignored(folder: Path) -> None:
    house = fresh_docx()
    branded = fresh_docx(branded_theme())
    entries = {path.name: path.read_bytes() for path in folder.glob("docx-*.zip")}
    assert len(entries) == 2
    house_name, branded_name = (name for name, _ in sorted(entries.items(), key=lambda item: b"media/" in item[1]))
    (folder / house_name).write_bytes(entries[branded_name])  # the branded package where the house one belongs
    assert fresh_docx() == house
    assert (folder / house_name).read_bytes() == entries[house_name]
    assert fresh_docx(branded_theme()) == branded


def test_a_docx_entry_is_keyed_by_theme_masthead_and_python_docx() -> None:
    other = dataclasses.replace(THEME, body_font_size=THEME.body_font_size + 1)
    names = {
        part_cache.key("docx", [repr(theme), f"masthead={masthead}"], libraries, [template.__name__])
        for theme in (THEME, other)
        for masthead in (False, True)
        for libraries in (("docx", "lxml"), ("openpyxl", "lxml"))
    }
    assert len(names) == 8
    assert "python_docx-" in part_cache._library_identity("docx")  # the installed version, from its dist-info


def test_a_cached_docx_entry_holds_no_python_docx_objects(folder: Path) -> None:
    """An entry is parts and a JSON index: what a process without python-docx can read."""
    fresh_docx()
    (entry,) = folder.glob("docx-*.zip")
    with zipfile.ZipFile(entry) as opened:
        names = opened.namelist()
        index = json.loads(opened.read("index.json"))
    assert {"[Content_Types].xml", "word/document.xml", "word/styles.xml", "index.json", ".name"} <= set(names)
    assert set(index["parts"]) == set(names) - {"index.json", ".name"}
    assert set(index["holes"]) == {"body", "header", "footer", "relationships"}
    # The parts no report rewrites are kept deflated (as the report's zip holds them), with their CRCs.
    assert {"word/styles.xml", "word/stylesWithEffects.xml", "word/theme/theme1.xml"} <= set(index["deflated"])
    assert not {"[Content_Types].xml", "word/document.xml", "docProps/core.xml"} & set(index["deflated"])
    with zipfile.ZipFile(entry) as opened:
        for name, (crc, size) in index["deflated"].items():
            content = zlib.decompress(opened.read(name), -15)
            assert (zlib.crc32(content), len(content)) == (crc, size), name
