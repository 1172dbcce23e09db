"""The sets the publication tests publish: distinct bytes per version and format.

A module of its own, so the driver processes of tests/test_publishing.py import it (and the
publisher) without importing pytest and the test module: each driver starts in half the time.
"""

from __future__ import annotations

STEM = "report"


def payloads(version: str, size: int = 4096) -> dict[str, bytes]:
    """Distinct bytes per version and format, large enough that a write takes several calls when asked."""
    return {fmt: (f"{version}:{fmt}:".encode() * size)[:size] for fmt in ("docx", "pdf", "xlsx")}


def inputs(version: str) -> dict[str, object]:
    return {"spec": {"path": f"{version}.yaml", "version": version}}
