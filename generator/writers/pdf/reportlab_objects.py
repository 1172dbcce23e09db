"""Everything this writer asks of reportlab beyond its public API, in one place, and why.

reportlab's canvas keeps its PDF document object private (`Canvas._doc`), and offers no
public way to seed the file ID: reportlab derives it from its own clock (or from
SOURCE_DATE_EPOCH), so the same report would get another ID on another day. The ID is
reseeded here from the content. Nothing else in the package touches a name of reportlab's
that starts with an underscore. (Checked against reportlab 5.1: pdfgen/canvas.py, pdfbase/pdfdoc.py.)
"""

from __future__ import annotations

import hashlib

from reportlab.pdfgen.canvas import Canvas


def _document(canvas: Canvas):
    return canvas._doc  # the one access to reportlab's private state


def seed_file_id(canvas: Canvas, seed: bytes) -> None:
    """The file ID becomes md5(seed, title, author, subject, keywords), as reportlab computes it."""
    _document(canvas).signature = hashlib.md5(seed, usedforsecurity=False)
