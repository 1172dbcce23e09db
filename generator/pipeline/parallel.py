"""Rendering the formats of one spec on several cores at once.

A fresh process building one spec (what `make` runs for each spec) spends most of its
time importing the writers' libraries and rendering, one format after the other. With a
core to spare, a forked child imports and renders some formats while this process does
the rest. Each format's bytes depend only on the document and the options, so the files
are the same either way. Used only where fork is safe, and never inside a batch worker:
the batch's pool already keeps every core busy.
"""

from __future__ import annotations

import os
import pickle
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from generator.document.model import Document
from generator.writers import RenderOptions, prepare, render

# CPU seconds of a cold render of the 89253 report once the shared work is done (writers.prepare:
# reportlab's import, the faces and the layout, 0.14 s, done before the fork): the writer's import,
# then its first render (the XLSX's and DOCX's package parts come from the cache on disk, so
# neither openpyxl nor python-docx is imported). Measured so, a fork that renders the DOCX and XLSX
# beside the PDF takes about 0.06 s off a cold build when a core is free, for no more CPU in all
# (the layout is not done twice); on a machine with no idle core it neither gains nor loses much.
COLD_COST = {"docx": 0.03, "pdf": 0.07, "xlsx": 0.03}


def fork_is_safe() -> bool:
    """fork copies only the calling thread: safe while this process runs no other."""
    return hasattr(os, "fork") and threading.active_count() == 1


def render_formats(document: Document, options: RenderOptions, formats: Sequence[str], workers: int) -> dict[str, bytes]:
    """Every format of `document`, rendered on up to `workers` processes; in `formats` order."""
    groups = split_by_cost(formats, workers if fork_is_safe() else 1)
    if len(groups) > 1:
        prepare(document, options, formats)  # shared work done once, before the fork
    children = [_Child.start(document, options, group) for group in groups[1:]]
    try:
        payloads = _render(document, options, groups[0])
    finally:  # a render error here still waits for the children, so none is left behind
        results = [child.result() for child in children]
    for result in results:
        payloads.update(result.unwrap())
    return {fmt: payloads[fmt] for fmt in formats}


def split_by_cost(formats: Sequence[str], workers: int) -> list[list[str]]:
    """At most `workers` non-empty groups of about equal COLD_COST; the costliest group first."""
    groups: list[list[str]] = [[] for _ in range(max(1, min(workers, len(formats))))]
    for fmt in sorted(formats, key=lambda f: -COLD_COST.get(f, 1.0)):
        min(groups, key=_cost).append(fmt)
    return sorted(groups, key=_cost, reverse=True)


def _cost(group: list[str]) -> float:
    return sum(COLD_COST.get(fmt, 1.0) for fmt in group)


def _render(document: Document, options: RenderOptions, formats: Sequence[str]) -> dict[str, bytes]:
    return {fmt: render(fmt, document, options) for fmt in formats}


@dataclass(frozen=True)
class _Outcome:
    """What a forked render sends back: the payloads, or the error it met."""

    payloads: dict[str, bytes] | None
    error: BaseException | None

    def unwrap(self) -> dict[str, bytes]:
        if self.error is not None:
            raise self.error
        assert self.payloads is not None
        return self.payloads


@dataclass(frozen=True)
class _Child:
    """A forked process rendering some formats, and the pipe it answers on."""

    pid: int
    pipe: int  # the read end; the child writes one pickled _Outcome and exits

    @classmethod
    def start(cls, document: Document, options: RenderOptions, formats: Sequence[str]) -> _Child:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns into the caller's code
            os.close(read)
            _render_and_exit(write, document, options, formats)
        os.close(write)
        return cls(pid, read)

    def result(self) -> _Outcome:
        with os.fdopen(self.pipe, "rb") as pipe:
            data = pipe.read()
        os.waitpid(self.pid, 0)
        if not data:
            return _Outcome(None, RuntimeError("a render process ended without a result"))
        return pickle.loads(data)


def _render_and_exit(pipe: int, document: Document, options: RenderOptions, formats: Sequence[str]) -> None:
    status = 1
    try:
        try:
            outcome = _Outcome(_render(document, options, formats), None)
        except Exception as error:  # RenderError or a bug: the parent raises it
            outcome = _Outcome(None, error)
        with os.fdopen(pipe, "wb") as out:
            out.write(pickle.dumps(outcome))
        status = 0
    finally:
        os._exit(status)  # no atexit handlers, no flushing of the parent's copied buffers
