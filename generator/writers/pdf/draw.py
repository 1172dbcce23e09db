"""Paint laid-out pages on a reportlab canvas: text, fills, rules, the logo, links and anchors.

Drawing decides nothing: positions come from the layout, and what opens each run of boxes
(a tagged marked-content sequence or an artifact) from the structure tree (tags.py).
"""

from __future__ import annotations

import functools
import io

from reportlab.lib.colors import HexColor
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from generator.writers import chart_geometry
from generator.writers.pdf import fonts, reportlab_objects
from generator.writers.pdf.boxes import Anchor, Fill, Graphic, Link, Page, Picture, Rule, Text, runs
from generator.writers.pdf.tags import Tagging


@functools.lru_cache(maxsize=64)
def color(rgb_hex: str) -> HexColor:
    return HexColor("#" + rgb_hex)


def draw(pages: list[Page], canvas: Canvas, tagging: Tagging) -> None:
    for page in pages:
        canvas.setPageSize(page.size)
        for index, (_, run) in enumerate(runs(page.boxes)):
            canvas.addLiteral(tagging.opening(page.number, index))
            _draw_run(canvas, run)
            canvas.addLiteral("EMC")
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


def _draw_run(canvas: Canvas, run: list) -> None:
    """A run's text as one text object (one font and colour change at a time), its graphics as paths."""
    text = None
    font = fill = None
    for box in run:
        if isinstance(box, Text):
            if text is None:
                text = canvas.beginText()
            style = box.style
            if (style.font, style.size) != font:
                font = style.font, style.size
                text.setFont(style.font, style.size)
            if style.color != fill:
                fill = style.color
                text.setFillColor(color(fill))
            text.setTextOrigin(box.x, box.y)
            text.textOut(box.text)
            continue
        if text is not None:
            canvas.drawText(text)
            text, font, fill = None, None, None
        _draw_graphic(canvas, box)
    if text is not None:
        canvas.drawText(text)


def _draw_graphic(canvas: Canvas, box) -> None:
    if isinstance(box, Fill):
        canvas.setFillColor(color(box.color))
        canvas.rect(box.x, box.y, box.width, box.height, stroke=0, fill=1)
    elif isinstance(box, Rule):
        canvas.setStrokeColor(color(box.color))
        canvas.setLineWidth(box.width)
        canvas.line(box.x0, box.y0, box.x1, box.y1)
    elif isinstance(box, Picture):
        # mask="auto": a PNG's transparency is kept (its alpha channel becomes a soft mask).
        image = ImageReader(io.BytesIO(box.logo.data))
        canvas.drawImage(image, box.x, box.y, box.width, box.height, mask="auto")
    elif isinstance(box, Graphic):
        _draw_chart(canvas, box)
    else:
        raise TypeError(f"cannot draw {type(box).__name__}")


def _draw_chart(canvas: Canvas, box: Graphic) -> None:
    """A chart's shapes, moved to the box's place: bars, lines, dots and labels."""
    for shape in box.drawing.shapes:
        if isinstance(shape, chart_geometry.Segment):
            canvas.setStrokeColor(color(shape.color))
            canvas.setLineWidth(shape.width)
            canvas.line(box.x + shape.x0, box.y + shape.y0, box.x + shape.x1, box.y + shape.y1)
            continue
        x, y = box.x + shape.x, box.y + shape.y
        if isinstance(shape, chart_geometry.Rect):
            canvas.setFillColor(color(shape.fill))
            canvas.rect(x, y, shape.width, shape.height, stroke=0, fill=1)
        elif isinstance(shape, chart_geometry.Dot):
            canvas.setFillColor(color(shape.fill))
            canvas.circle(x, y, shape.radius, stroke=0, fill=1)
        else:
            canvas.setFillColor(color(shape.color))
            canvas.setFont(fonts.BOLD if shape.bold else fonts.REGULAR, shape.size)
            draw = {"left": canvas.drawString, "right": canvas.drawRightString}.get(shape.align, canvas.drawCentredString)
            draw(x, y, shape.text)
