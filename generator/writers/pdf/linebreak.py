"""Greedy line breaking, in time linear in the text.

Words fill a line until the next would overflow it; a word wider than the whole line is cut
after its last punctuation mark that fits (a URL breaks as "example.com/" + "policies/"), or
between any two characters when none does.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from generator.writers.pdf.measure import Metrics

WHITESPACE = re.compile(r"[ \t\r\n\f\v]+")  # a run of these is one space between words
BREAK_AFTER = frozenset("/.-_?&=#:;,")  # where a word too wide for its line may be cut
CHARACTERS_PER_EM = 4  # more than nearly any text sets in an em (Carlito averages about two)
UNEVEN_SPACE = re.compile(r"[\t\r\n\f\v]|  |^ | $")  # what the words' single spaces would change


@dataclass(slots=True)
class Line:
    """One broken line: its text and width in points."""

    text: str
    width: float
    ends_at_space: bool  # broken at a space (kept, invisibly, so a reader can tell words apart)


def words(text: str) -> list[str]:
    if _uneven(text):
        return [word for word in WHITESPACE.split(text) if word]
    return text.split(" ") if text else []  # single spaces only: the same words, split faster


def break_lines(text: str, metrics: Metrics, room: float) -> list[Line]:
    """`text` in lines no wider than `room` (points); at least one line, maybe empty."""
    uneven = _uneven(text)
    if not uneven:
        width = _width_within(text, metrics, room)
        if width is not None:  # most table cells: one line, as written
            return [Line(text, width, False)]
    found = words(text) if uneven else text.split(" ")
    if not found:
        return [Line("", 0.0, False)]
    widths = metrics.word_widths(found)
    lines: list[Line] = []
    space = metrics.space
    start, current_width = 0, math.inf  # the current line's first word; no line begun yet
    for index, word_width in enumerate(widths):
        if current_width + space + word_width <= room:
            current_width += space + word_width
            continue
        if index > start:
            lines.append(Line(" ".join(found[start:index]), current_width, True))
        start = index
        if word_width <= room:
            current_width = word_width
            continue
        *pieces, (found[index], current_width) = _cut(found[index], metrics, room)  # the last piece begins a line
        lines.extend(Line(piece, piece_width, False) for piece, piece_width in pieces)
    lines.append(Line(" ".join(found[start:]), current_width, False))
    return lines


def _width_within(text: str, metrics: Metrics, room: float) -> float | None:
    """The width of `text` if it is at most `room`, else None. A long text's start is measured
    first: no glyph advances backwards, so a start already too wide settles it."""
    start = int(CHARACTERS_PER_EM * room / metrics.size) + 1
    if len(text) > start and metrics.text_width(text[:start]) > room:
        return None
    width = metrics.text_width(text)
    return width if width <= room else None


def _uneven(text: str) -> bool:
    """Whether UNEVEN_SPACE is in `text`, looked for quickly: printable text has no tab or newline."""
    if text.isprintable():
        return "  " in text or text[:1] == " " or text[-1:] == " "
    return UNEVEN_SPACE.search(text) is not None


def was_cut(lines: list[Line]) -> bool:
    """Whether a word too wide for the line was cut (only such a piece ends a line but the last
    without a space)."""
    return len(lines) > 1 and not all(line.ends_at_space for line in lines[:-1])


def _cut(word: str, metrics: Metrics, room: float) -> list[tuple[str, float]]:
    """A word too wide for `room` in pieces that fit (each at least one character)."""
    pieces: list[tuple[str, float]] = []
    start, used = 0, 0.0
    index = 0
    while index < len(word):
        char_width = metrics.width(word[index])
        if used + char_width > room and index > start:
            cut = next((at + 1 for at in range(index - 1, start, -1) if word[at] in BREAK_AFTER), index)
            pieces.append((word[start:cut], metrics.width(word[start:cut])))
            start, used, index = cut, 0.0, cut
            continue
        used += char_width
        index += 1
    pieces.append((word[start:], metrics.width(word[start:])))
    return pieces
