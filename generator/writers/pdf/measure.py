"""Text widths: each word's advance measured once per font and size, then looked up."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from reportlab.pdfbase import pdfmetrics


@dataclass(frozen=True)
class TextStyle:
    """How a run of text is set: an embedded font's registered name, a size in points, a colour."""

    font: str
    size: float
    color: str  # RGB hex


class Metrics:
    """Widths of words in one font at one size, cached: a report repeats its words a lot."""

    def __init__(self, font: str, size: float):
        self.font = font
        self.size = size
        self.widths: dict[str, float] = {}
        self.measure = pdfmetrics.getFont(font).stringWidth  # what pdfmetrics.stringWidth calls, found once
        self.space = self.width(" ")

    def width(self, text: str) -> float:
        """The width of a word (kept: words recur)."""
        width = self.widths.get(text)
        if width is None:
            width = self.widths[text] = self.measure(text, self.size)
        return width

    def word_widths(self, words: list[str]) -> list[float]:
        """The width of each word, looked up in one pass where all are known."""
        found = list(map(self.widths.get, words))
        return found if None not in found else list(map(self.width, words))

    def text_width(self, text: str) -> float:
        """The width of a whole text, not kept: a process building many reports would keep them all."""
        width = self.widths.get(text)
        return self.measure(text, self.size) if width is None else width


@functools.lru_cache(maxsize=256)
def metrics(font: str, size: float) -> Metrics:
    """The one Metrics of a font and size (kept for the process: fonts and sizes are few)."""
    return Metrics(font, size)


def width(text: str, style: TextStyle) -> float:
    return metrics(style.font, style.size).width(text)
