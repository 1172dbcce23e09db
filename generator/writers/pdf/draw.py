"""Paint laid-out pages on a reportlab canvas: text, fills, rules, the logo, links and anchors.

Drawing decides nothing: positions come from the layout, and what opens each run of boxes
(a tagged marked-content sequence or an artifact) from the structure tree (tags.py). Each
page's operators are written by content.py; links, anchors and the logo go through the canvas.
"""

from __future__ import annotations

import io

from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from generator.writers import chart_geometry
from generator.writers.pdf import fonts, reportlab_objects
from generator.writers.pdf.boxes import Anchor, Fill, Graphic, Link, Page, Picture, Rule, Text
from generator.writers.pdf.content import Content
from generator.writers.pdf.measure import metrics
from generator.writers.pdf.tags import Tagging


def draw(pages: list[Page], canvas: Canvas, tagging: Tagging, characters: frozenset[str]) -> None:
    """Draw `pages`; `characters`, those of the document's texts, are coded first (see TextEncoder)."""
    encoder = reportlab_objects.TextEncoder(canvas, characters)
    for page in pages:
        canvas.setPageSize(page.size)
        content = Content(encoder)
        for opening, run in tagging.runs.pop(page.number):  # let go once drawn
            content.literal(opening)
            for box in run:
                _draw_box(canvas, content, box)
            content.literal("EMC")
        canvas.addLiteral(content.take())
        for box in page.boxes:
            if isinstance(box, Link):
                annotation = reportlab_objects.add_link(
                    canvas, (box.x0, box.y0, box.x1, box.y1), box.target, box.internal, box.description,
                    tagging.struct_parent(box),
                )
                tagging.annotated(box, annotation)
            elif isinstance(box, Anchor):
                canvas.bookmarkHorizontalAbsolute(box.key, box.y)
                canvas.addOutlineEntry(box.title, box.key, level=box.depth, closed=False)
        canvas.showPage()


def _draw_box(canvas: Canvas, content: Content, box) -> None:
    if isinstance(box, Text):
        style = box.style
        content.text(box.x, box.y, box.text, style.font, style.size, style.color)
    elif isinstance(box, Fill):
        content.rect(box.x, box.y, box.width, box.height, box.color)
    elif isinstance(box, Rule):
        content.line(box.x0, box.y0, box.x1, box.y1, box.width, box.color)
    elif isinstance(box, Picture):
        canvas.addLiteral(content.take())  # the operators so far, then the image's (q ... Do Q)
        # mask="auto": a PNG's transparency is kept (its alpha channel becomes a soft mask).
        image = ImageReader(io.BytesIO(box.logo.data))
        canvas.drawImage(image, box.x, box.y, box.width, box.height, mask="auto")
    elif isinstance(box, Graphic):
        _draw_chart(content, box)
    else:
        raise TypeError(f"cannot draw {type(box).__name__}")


def _draw_chart(content: Content, box: Graphic) -> None:
    """A chart's shapes, moved to the box's place: bars, lines, dots and labels."""
    for shape in box.drawing.shapes:
        if isinstance(shape, chart_geometry.Segment):
            content.line(box.x + shape.x0, box.y + shape.y0, box.x + shape.x1, box.y + shape.y1, shape.width, shape.color)
            continue
        x, y = box.x + shape.x, box.y + shape.y
        if isinstance(shape, chart_geometry.Rect):
            content.rect(x, y, shape.width, shape.height, shape.fill)
        elif isinstance(shape, chart_geometry.Dot):
            content.dot(x, y, shape.radius, shape.fill)
        else:
            font = fonts.BOLD if shape.bold else fonts.REGULAR
            width = metrics(font, shape.size).width(shape.text)
            x -= {"left": 0.0, "right": width}.get(shape.align, width / 2)
            content.text(x, y, shape.text, font, shape.size, shape.color)
