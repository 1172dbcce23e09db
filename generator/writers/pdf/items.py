"""What placing works on: the document's blocks measured and broken into lines, not yet on pages."""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.writers import design
from generator.writers.chart_geometry import Drawing
from generator.writers.pdf.boxes import Tag
from generator.writers.pdf.linebreak import break_lines, was_cut, words
from generator.writers.pdf.measure import TextStyle, metrics
from generator.writers.theme import Logo

LEFT = design.SIDE_MARGIN  # the frame's left edge


@dataclass(slots=True)
class Fragment:
    """A piece of a line in one style, `dx` points from the line's start."""

    dx: float
    text: str
    style: TextStyle
    tag: Tag | None


@dataclass
class TextItem:
    """A paragraph, heading, list item, title line or contents line: lines under one another."""

    lines: list[tuple[Fragment, ...]]
    widths: list[float]  # of each line
    size: float  # the first baseline is this far under the top
    leading: float
    space_before: float
    space_after: float
    x: float  # the left edge of the lines
    node: object
    keep_with_next: bool = False  # a heading: never the last thing on a page
    keep_together: bool = False  # a list item: on one page, unless it is longer than a page
    anchor: tuple[str, str, int] | None = None  # (key, title, outline depth) of a heading
    label: Fragment | None = None  # a list item's bullet, left of the first line
    link: tuple[str, bool, str, Tag] | None = None  # (target, internal, description, tag) over every line
    leader: tuple[str, TextStyle, Tag] | None = None  # a contents line's (key, style, tag)
    url_links: list[tuple[int, float, float, str, Tag]] = field(default_factory=list)  # (line, dx0, dx1, URL, tag)


@dataclass
class Space:
    """Room left empty before what follows (the cover's drop, the space above the contents)."""

    height: float


@dataclass
class RuleItem:
    """A rule across the frame (under the title)."""

    thickness: float
    color: str
    space_after: float


@dataclass
class PictureItem:
    """The client's logo, at the size it is set."""

    width: float
    height: float
    logo: Logo
    alt: str
    space_after: float
    tag: Tag


@dataclass
class ChartItem:
    """A chart laid out as shapes (chart_geometry), placed as one figure with its alternative text."""

    drawing: Drawing
    alt: str
    space: tuple[float, float]  # before, after
    tag: Tag


@dataclass
class PageBreak:
    """What follows starts on a new page (none is added while the page is still empty)."""

    pass


@dataclass
class Turn:
    """A new page, landscape or portrait, from here on (design.landscape_runs)."""

    landscape: bool


@dataclass
class Keep:
    """Items that go on one page together (the title block), unless they fill more than a page."""

    items: list = field(default_factory=list)


def text_item(
    text: str, style: TextStyle, leading: float, space: tuple[float, float], tag: Tag, node: object,
    x: float = LEFT, room: float = design.FRAME_WIDTH, widen_to: float | None = None, **extra,
) -> TextItem:
    """One style's text broken into lines of at most `room` points, set from `x`. With `widen_to`
    (running text: `room` is the body measure), a word wider than the room widens it, up to
    `widen_to`: a digest or an identifier stays whole where the frame has room for it."""
    measure = metrics(style.font, style.size)
    lines = break_lines(text, measure, room)
    if widen_to is not None and was_cut(lines):  # was_cut: a word did not fit
        lines = break_lines(text, measure, min(widen_to, max(room, max(measure.word_widths(words(text))))))
    return TextItem(
        # A line broken at a space keeps it (invisible at the line's end): text read from the
        # page, or from the structure tree, does not run the last word into the next line's first.
        lines=[(Fragment(0.0, line.text + " " if line.ends_at_space else line.text, style, tag),) for line in lines],
        widths=[line.width for line in lines],
        size=style.size, leading=style.size * leading, space_before=space[0], space_after=space[1],
        x=x, node=node, **extra,
    )
