"""The PDF writer's one entry point: a Document laid out by our own engine and drawn on reportlab's canvas.

measure (cached glyph widths) -> linebreak (greedy, linear) -> flow and place (blocks into
pages of positioned boxes, `layout.layout`) -> draw (the canvas) -> the archival step (archival.py: PDF/A-2b). The output is
byte-reproducible: dates and the file ID come from RenderOptions and the document, never
from the clock or the environment.
"""

from __future__ import annotations

import dataclasses
import hashlib

import reportlab
from reportlab.pdfgen.canvas import Canvas

from generator import __version__
from generator.document.model import Document
from generator.writers import RenderOptions, design
from generator.writers.pdf import fonts, reportlab_objects, tags
from generator.writers.pdf.draw import draw
from generator.writers.pdf.layout import layout
from generator.writers.pdf.archival import DocumentProperties, make_archival
from generator.writers.theme import Theme

CREATOR = f"generator {__version__}"  # not reportlab's "anonymous"
# The file's version: PDF/A-2 and PDF/UA-1 are both defined on ISO 32000-1 (PDF 1.7), and the file
# uses what came after reportlab's default 1.3 (a logo's soft mask and /Lang 1.4, /Tabs 1.5).
PDF_VERSION = (1, 7)
PRODUCER = f"generator {__version__} PDF writer (ReportLab {reportlab.Version})"


def render(document: Document, options: RenderOptions) -> bytes:
    """Return the PDF bytes for `document`; the same inputs give the same bytes."""
    theme = options.theme
    fonts.register()
    characters = fonts.check_glyphs(document, theme)
    pages = layout(document, theme)
    tagging = tags.build(pages)
    canvas = Canvas(
        None, pagesize=(design.PAGE_WIDTH, design.PAGE_HEIGHT), invariant=1, pdfVersion=PDF_VERSION,
        initialFontName=fonts.REGULAR,  # else every page would reference an unembedded Helvetica
        initialFontSize=theme.body_font_size,
    )
    draw(pages, canvas, tagging, characters)
    del pages  # drawn: a long report's boxes need not wait for the file to be written
    tags.write(tagging, canvas)
    del tagging  # now in the canvas's own objects
    # The one archival step (PDF/A-2b: properties, XMP, output intent, pinned dates and ID).
    make_archival(canvas, _properties(document), timestamp=options.timestamp, fingerprint=_fingerprint(document, theme))
    reportlab_objects.embed_faces(canvas)  # each subset's font file made once per process
    return reportlab_objects.file_bytes(canvas)


def _properties(document: Document) -> DocumentProperties:
    metadata = document.metadata
    return DocumentProperties(
        title=metadata.title, author=metadata.author, subject=metadata.subject, keywords=metadata.keywords,
        language=metadata.language, creator=CREATOR, producer=PRODUCER,
    )


def _fingerprint(document: Document, theme: Theme) -> bytes:
    """What the file ID is derived from: the content and its look (a rebranded file gets a new ID)."""
    digest = hashlib.sha256(repr(document).encode())
    digest.update(repr(dataclasses.replace(theme, logo=None)).encode())
    digest.update(theme.logo.data if theme.logo else b"")
    return digest.digest()
