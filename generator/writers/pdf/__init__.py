"""PDF writer: our own layout engine (layout.py and below) drawn on reportlab's canvas (writer.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.document.model import Document
    from generator.writers import RenderOptions


def render(document: Document, options: RenderOptions) -> bytes:
    """The PDF of `document` (writer.render). Imported at the first call: the DOCX, which reads only
    the layout's page numbers, then loads neither the canvas nor the tagging nor the PDF/A step."""
    from generator.writers.pdf.writer import render as render_pdf

    return render_pdf(document, options)
