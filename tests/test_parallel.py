"""Formats of one spec rendered on several processes: the same bytes as one after the other."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import datetime, timezone

import pytest

from generator.pipeline import parallel
from generator.document.compose import compose
from generator.document.model import Paragraph
from generator.pipeline.parallel import render_formats, split_by_cost
from generator.spec import load_spec
from generator.writers import RenderError, RenderOptions
from tests.built import FORMATS, SPECS
from tests.cli import run_cli

OPTIONS = RenderOptions(timestamp=datetime(2026, 11, 26, tzinfo=timezone.utc))

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform: formats render in one process")


@pytest.fixture
def children(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The formats of every child forked from now on, one list per child, in the order started.

    render_formats forks only while `fork_is_safe()`; where it is not (a test runner that keeps
    a thread of its own in this process), every format would render here and each test below
    would pass without forking at all. So that is refused first, and each test also checks
    that the children it expects were started.
    """
    assert parallel.fork_is_safe(), "this process runs another thread: render_formats would not fork"
    started: list[list[str]] = []
    start = parallel._Child.start

    def counted(document, options, formats):  # type: ignore[no-untyped-def]
        started.append(list(formats))
        return start(document, options, formats)

    monkeypatch.setattr(parallel._Child, "start", counted)
    return started


@pytest.mark.parametrize(
    ("workers", "groups"),
    [
        (1, [["pdf", "docx", "xlsx"]]),
        (2, [["pdf"], ["docx", "xlsx"]]),  # the PDF costs more than the other two together
        (3, [["pdf"], ["docx"], ["xlsx"]]),
        (8, [["pdf"], ["docx"], ["xlsx"]]),
    ],
)
def test_formats_are_split_into_groups_of_about_equal_cost(workers, groups):
    assert split_by_cost(FORMATS, workers) == groups


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_forked_renders_equal_serial_ones(spec, children):
    document = compose(load_spec(spec).spec)
    serial = render_formats(document, OPTIONS, FORMATS, workers=1)
    assert children == []
    forked_payloads = render_formats(document, OPTIONS, FORMATS, workers=3)
    assert children == [["docx"], ["xlsx"]]  # the PDF, costliest, renders here
    assert list(forked_payloads) == list(FORMATS)  # in the order asked, whoever rendered them
    assert forked_payloads == serial


def test_a_render_error_in_a_child_reaches_the_caller_and_no_child_is_left(monkeypatch, children):
    # The PDF font has no CJK glyphs; make the PDF the cheap format, so a child renders it.
    monkeypatch.setattr(parallel, "COLD_COST", {"docx": 5.0, "pdf": 1.0, "xlsx": 1.0})
    document = compose(load_spec(SPECS[0]).spec)
    document = replace(document, blocks=(*document.blocks, Paragraph("漢字")))
    assert split_by_cost(FORMATS, 2)[1] == ["pdf", "xlsx"]
    with pytest.raises(RenderError, match="no glyph"):
        render_formats(document, OPTIONS, FORMATS, workers=2)
    assert children == [["pdf", "xlsx"]]  # the error came from the child
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def test_a_single_spec_build_on_several_cores_writes_what_one_core_writes(tmp_path, monkeypatch, children):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764115200")
    spec = SPECS[0]
    assert run_cli("build", spec, "-o", tmp_path / "many", "--jobs", "3").status == 0
    assert children == [["docx"], ["xlsx"]]
    assert run_cli("build", spec, "-o", tmp_path / "one", "--jobs", "1").status == 0
    assert len(children) == 2  # one core: no child
    names = sorted(path.name for path in (tmp_path / "one").iterdir())
    assert names == sorted(path.name for path in (tmp_path / "many").iterdir())
    for name in names:
        assert (tmp_path / "many" / name).read_bytes() == (tmp_path / "one" / name).read_bytes(), name
