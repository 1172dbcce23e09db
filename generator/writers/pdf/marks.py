"""What drawing calls around each run of boxes: nothing but the links, in an untagged PDF."""

from __future__ import annotations

from reportlab.pdfgen.canvas import Canvas

from generator.writers.pdf.boxes import Link, Page


class Untagged:
    def begin(self, canvas: Canvas, page: Page, tag, run: list) -> None:
        pass

    def end(self, canvas: Canvas) -> None:
        pass

    def link(self, canvas: Canvas, page: Page, box: Link) -> None:
        rect = (box.x0, box.y0, box.x1, box.y1)
        if box.internal:
            canvas.linkAbsolute("", box.target, Rect=rect, thickness=0)
        else:
            canvas.linkURL(box.target, rect, relative=0, thickness=0)
