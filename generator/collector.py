"""When the cyclic garbage collector runs in a command's process.

A fresh `python -m generator build` creates some 30,000 long-lived objects as it imports its
libraries, parses the faces and lays out its first document; with the collector on, that
growth sets off full collections that traverse all of them again and again, about a sixth
of a fresh build's CPU time. The command's entry point (`generator/__main__.py`) therefore
defers collection: it is off until the process has built its first spec
(`generator.pipeline.build.build`), then everything alive at that point (modules, faces,
caches, and that build's own cyclic garbage, a few MB once) is frozen out of later
collections and the collector runs as usual, so a batch of thousands of specs or a long
`watch` stays bounded in memory while its collections stay cheap. A command that builds
nothing (validate, diff, verify) runs with the collector off: it is short and makes little
cyclic garbage. Used as a library, the generator leaves the collector alone.
"""

from __future__ import annotations

import gc

_deferred = False


def defer() -> None:
    """Turn collection off until `resume` (the command's entry point, before any import)."""
    global _deferred
    if gc.isenabled():
        gc.disable()
        _deferred = True


def resume() -> None:
    """After a build: if collection was deferred, freeze what is alive and turn it back on."""
    global _deferred
    if _deferred:
        _deferred = False
        gc.freeze()
        gc.enable()
