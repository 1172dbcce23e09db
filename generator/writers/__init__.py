"""The writers: one per format, each `render(document, options) -> bytes`.

Writer modules are imported only when their format is built, because each
pulls in a heavy library (python-docx, reportlab, openpyxl).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from datetime import datetime

from generator.document.model import Document
from generator.writers.theme import THEME, Theme

FORMATS = ("docx", "pdf", "xlsx")


class RenderError(Exception):
    """The document's content cannot be drawn in a format (e.g. a character no embedded font has)."""


@dataclass(frozen=True)
class RenderOptions:
    """What every writer is given besides the document: the timestamp and the theme."""

    # Every timestamp written into a file (properties, zip entries, PDF dates):
    # pinned so that the same spec always gives the same bytes.
    timestamp: datetime  # timezone-aware, UTC
    # Colours, sizes and client branding (brand name, logo); the house style by default.
    theme: Theme = field(default=THEME)


def prepare(document: Document, options: RenderOptions, formats: tuple[str, ...] | list[str]) -> None:
    """Do once what several of `formats` share, before they are rendered apart (on forked
    processes, which then inherit it): the DOCX's contents print the page numbers of the PDF's
    layout, so with both, the document is laid out here, once (pdf/layout.py keeps it)."""
    if "docx" in formats and "pdf" in formats:
        from generator.writers.pdf.layout import heading_pages

        heading_pages(document, options.theme)


def render(fmt: str, document: Document, options: RenderOptions) -> bytes:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    writer = importlib.import_module(f"generator.writers.{fmt}")
    return writer.render(document, options)
