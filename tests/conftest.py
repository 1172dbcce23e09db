"""Shared fixtures: every spec under test is built once per session; every generator module loaded first."""

from __future__ import annotations

import gc
import importlib
import os
import pkgutil
from collections.abc import Iterator
from pathlib import Path

import pytest

import generator
from tests import readback_cache
from tests.built import FORMATS, Built
from tests.cli import run_cli

# Hypothesis also draws the constants of the project's modules that are loaded when a test
# runs (tests/ left out). Which generator modules the earlier tests of a process happened to
# import would then pick the examples, and under pytest-xdist that changes from run to run.
# Every module is imported up front instead: a test sees the same examples however the
# suite is split, ordered or selected.
for _module in pkgutil.walk_packages(generator.__path__, "generator."):
    if not _module.name.endswith(".__main__"):
        importlib.import_module(_module.name)


@pytest.fixture(scope="session", autouse=True)
def part_cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The writers' cache on disk in a folder of the session, for builds in this process and
    in every process it starts: a test never reads or fills the user's own cache."""
    folder = tmp_path_factory.mktemp("part-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GENERATOR_CACHE_DIR", str(folder))
        yield folder


@pytest.fixture(scope="session", autouse=True)
def shared_readbacks(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Under pytest-xdist, a folder of the session where its workers share their read-backs."""
    if os.environ.get("PYTEST_XDIST_WORKER"):  # each worker's base folder is one of the session's
        readback_cache.share_in(tmp_path_factory.getbasetemp().parent / "readback-cache")


@pytest.fixture(scope="session")
def build_once(tmp_path_factory: pytest.TempPathFactory) -> Built:
    cache: dict[Path, dict[str, bytes]] = {}

    def build(spec: Path) -> dict[str, bytes]:
        if spec not in cache:
            out = tmp_path_factory.mktemp(spec.stem)
            result = run_cli("build", spec, "-o", out)
            assert result.status == 0, result.stderr
            cache[spec] = {fmt: (out / f"{spec.stem}.{fmt}").read_bytes() for fmt in FORMATS}
        return cache[spec]

    return build


# `make test` hands its pytest-xdist workers the tests in collection order: the files that take
# longest go first (measured: pytest --durations=0, summed per file), so that no worker is still
# running one of them at the end. A hint for speed only; any order gives the same results.
LONGEST_FIRST = (
    "test_properties.py", "test_packets.py", "test_writer_pdf.py", "test_properties_input.py", "test_publication.py",
    "test_large_content.py", "test_publishing.py", "test_charts.py", "test_batch.py", "test_real_clients.py",
    "test_entry_point.py", "test_pdf_archival.py",
)


@pytest.hookimpl(trylast=True)  # after pytest has grouped the items by their fixtures
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: place for place, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: each file keeps its order


def pytest_collection_finish(session: pytest.Session) -> None:
    """Python's cycle collector tuned for a test process, once every module is loaded.

    A test process keeps much alive for the whole session (every module, Hypothesis, the
    read-back caches), and a read-back makes hundreds of thousands of short-lived objects
    (pdfplumber: a dict per character). With the default thresholds the collector ran
    thousands of full collections over all of it, a sixth of the CPU time. What is loaded now
    is frozen (never traversed again), and the youngest objects are collected every 50,000
    allocations instead of 700. Garbage is still collected; only less often. Measured on
    test_packets, test_large_content and test_writer_pdf: 41 -> 31 s of CPU, 310 -> 500 MB.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
