"""PDF writer: a Document laid out by our own engine and drawn on reportlab's canvas.

measure (cached glyph widths) -> linebreak (greedy, linear) -> flow and place (blocks into
pages of positioned boxes, `layout.layout`) -> draw (the canvas). The output is
byte-reproducible: dates and the file ID come from RenderOptions and the document, never
from the clock or the environment.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
from datetime import datetime, timezone

import reportlab
from reportlab.pdfgen.canvas import Canvas

from generator import __version__
from generator.document.model import Document
from generator.writers import RenderOptions, design
from generator.writers.pdf import fonts, reportlab_objects, tags
from generator.writers.pdf.draw import draw
from generator.writers.pdf.layout import layout
from generator.writers.theme import Theme

CREATOR = f"generator {__version__}"  # not reportlab's "anonymous"
PRODUCER = f"generator {__version__} PDF writer (ReportLab {reportlab.Version})"


def render(document: Document, options: RenderOptions) -> bytes:
    """Return the PDF bytes for `document`; the same inputs give the same bytes."""
    theme = options.theme
    fonts.register()
    fonts.check_glyphs(document, theme)
    pages = layout(document, theme)
    out = io.BytesIO()
    canvas = _canvas(out, document, options.timestamp, theme)
    tagging = tags.build(pages)
    draw(pages, canvas, tagging)
    tags.write(tagging, canvas, document.metadata.language)
    canvas.save()
    return out.getvalue()


def _canvas(out: io.BytesIO, document: Document, when: datetime, theme: Theme) -> Canvas:
    metadata = document.metadata
    canvas = Canvas(
        out, pagesize=(design.PAGE_WIDTH, design.PAGE_HEIGHT), invariant=1,
        initialFontName=fonts.REGULAR,  # else every page would reference an unembedded Helvetica
        initialFontSize=theme.body_font_size,
    )
    canvas.setTitle(metadata.title)
    canvas.setAuthor(metadata.author or "")
    canvas.setSubject(metadata.subject)
    canvas.setKeywords(list(metadata.keywords))
    canvas.setCreator(CREATOR)
    canvas.setProducer(PRODUCER)
    when = when.replace(tzinfo=timezone.utc) if when.tzinfo is None else when.astimezone(timezone.utc)
    stamp = when.strftime("D:%Y%m%d%H%M%S+00'00'")
    canvas.setDateFormatter(lambda *_: stamp)  # CreationDate and ModDate: ours, not reportlab's clock
    reportlab_objects.seed_file_id(canvas, _fingerprint(document, theme) + when.isoformat().encode())
    return canvas


def _fingerprint(document: Document, theme: Theme) -> bytes:
    """What the file ID is derived from: the content and its look (a rebranded file gets a new ID)."""
    digest = hashlib.sha256(repr(document).encode())
    digest.update(repr(dataclasses.replace(theme, logo=None)).encode())
    digest.update(theme.logo.data if theme.logo else b"")
    return digest.digest()
