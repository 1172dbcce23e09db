"""The command's process defers the cycle collector until its first build, then freezes what
lives and collects as usual (generator/collector.py); a library user's collector is left alone."""

from __future__ import annotations

import gc
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator import collector
from generator.pipeline.build import build
from generator.spec import load_spec

SPEC = Path("specs/89253.yaml")


@pytest.fixture
def collector_state() -> Iterator[None]:
    """The test process's own collector, restored afterwards (conftest tunes and freezes it)."""
    enabled, frozen = gc.isenabled(), gc.get_freeze_count()
    yield
    collector._deferred = False
    gc.enable() if enabled else gc.disable()
    if not frozen:
        gc.unfreeze()


def test_a_build_after_defer_freezes_what_lives_and_turns_collection_back_on(collector_state: None, tmp_path: Path) -> None:
    gc.unfreeze()
    gc.enable()
    collector.defer()
    assert not gc.isenabled()
    build(load_spec(SPEC), tmp_path, ["xlsx"], None)
    assert gc.isenabled() and gc.get_freeze_count() > 0
    gc.unfreeze()
    build(load_spec(SPEC), tmp_path, ["xlsx"], None)  # once only: later builds leave the collector alone
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_a_library_user_s_collector_is_left_as_it_was(collector_state: None, tmp_path: Path) -> None:
    gc.unfreeze()
    gc.disable()  # the host chose this; no defer() was called
    build(load_spec(SPEC), tmp_path, ["xlsx"], None)
    assert not gc.isenabled() and gc.get_freeze_count() == 0


def test_the_command_runs_with_collection_deferred() -> None:
    probe = (
        "import gc, runpy, sys\n"
        "sys.argv = ['generator', 'validate', 'specs/89253.yaml']\n"
        "try:\n    runpy.run_module('generator', run_name='__main__')\n"
        "except SystemExit as end:\n    print(end.code, gc.isenabled())\n"
    )
    shown = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()
    assert shown == ["0", "False"]  # validated, and nothing was built: the collector stayed off
