"""A page's content stream written as PDF operators: text, fills, lines, dots, marked content.

One string per page goes to the canvas (`Canvas.addLiteral`) instead of a reportlab call per
box: a report has thousands of boxes, and reportlab's text objects re-encode, re-format and
re-state the font and colour of each. The graphics state already set (fill and stroke
colour, line width) is remembered, so each is written only when it changes.
"""

from __future__ import annotations

import functools

from reportlab.lib.rl_accel import fp_str

from generator.writers.pdf.reportlab_objects import TextEncoder

# A quarter circle as a cubic Bezier curve: the control points' distance, as a share of the radius.
KAPPA = 0.5522847498


@functools.lru_cache(maxsize=256)
def _rgb(rgb_hex: str) -> str:
    """'1F4E79' -> '.121569 .305882 .47451' (the three components, 0 to 1)."""
    return fp_str(*(int(rgb_hex[i:i + 2], 16) / 255 for i in (0, 2, 4)))


class Content:
    def __init__(self, encoder: TextEncoder):
        self.encoder = encoder
        self.ops: list[str] = []
        self.fill: str | None = None
        self.stroke: str | None = None
        self.line_width: float | None = None
        self.in_text = False
        self.font: tuple[str, float] | None = None  # inside a text object: the subset and size set

    def take(self) -> str:
        """The operators written so far (the page's stream, or its part before an image)."""
        self.end_text()
        ops, self.ops = self.ops, []
        return "\n".join(ops)

    def literal(self, operators: str) -> None:
        self.end_text()
        self.ops.append(operators)

    def text(self, x: float, y: float, text: str, font: str, size: float, color: str) -> None:
        """`text` with its baseline starting at (x, y)."""
        ops = self.ops
        if not self.in_text:
            ops.append("BT")
            self.in_text, self.font = True, None
        self._fill(color)
        ops.append(f"1 0 0 1 {fp_str(x, y)} Tm")
        for name, operand in self.encoder.operands(font, text):
            if (name, size) != self.font:
                self.font = name, size
                ops.append(f"{name} {fp_str(size)} Tf")
            ops.append(operand + " Tj")

    def end_text(self) -> None:
        if self.in_text:
            self.ops.append("ET")
            self.in_text = False

    def rect(self, x: float, y: float, width: float, height: float, color: str) -> None:
        self.end_text()
        self._fill(color)
        self.ops.append(f"{fp_str(x, y, width, height)} re f")

    def line(self, x0: float, y0: float, x1: float, y1: float, width: float, color: str) -> None:
        self.end_text()
        if color != self.stroke:
            self.stroke = color
            self.ops.append(_rgb(color) + " RG")
        if width != self.line_width:
            self.line_width = width
            self.ops.append(fp_str(width) + " w")
        self.ops.append(f"{fp_str(x0, y0)} m {fp_str(x1, y1)} l S")

    def dot(self, x: float, y: float, radius: float, color: str) -> None:
        """A filled circle centred on (x, y): four Bezier quarter circles."""
        self.end_text()
        self._fill(color)
        r, k = radius, radius * KAPPA
        self.ops.append(
            f"{fp_str(x + r, y)} m "
            f"{fp_str(x + r, y + k, x + k, y + r, x, y + r)} c "
            f"{fp_str(x - k, y + r, x - r, y + k, x - r, y)} c "
            f"{fp_str(x - r, y - k, x - k, y - r, x, y - r)} c "
            f"{fp_str(x + k, y - r, x + r, y - k, x + r, y)} c h f"
        )

    def _fill(self, color: str) -> None:
        if color != self.fill:
            self.fill = color
            self.ops.append(_rgb(color) + " rg")
