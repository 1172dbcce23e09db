"""The layout result: pages of positioned boxes, plain data that drawing paints and tests read.

Coordinates are PDF points from the bottom left of the page; a text's y is its baseline.
Every box knows the model node it came from (`node`: a block, a cell, or None for page
furniture) and where it sits in the document's logical structure (`tag`: a path of
(role, key) steps from the document down, e.g. (("Table", 4), ("TBody", 0), ("TR", 3),
("TD", 1)); None for an artifact such as a running header, a rule or a stripe). Boxes with
one tag belong to one structure element, on however many pages they fall.

Boxes are slotted dataclasses, not frozen ones: a report makes thousands of them, and a frozen
dataclass takes three times as long to make. Nothing changes a box once it is made (contents.py
puts new boxes in the place of its leaders).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.writers import design
from generator.writers.chart_geometry import Drawing
from generator.writers.pdf.measure import TextStyle
from generator.writers.theme import Logo

Tag = tuple[tuple[str, object], ...]  # (role, a key telling siblings apart)


@dataclass(slots=True)
class Text:
    """A run of text in one style, its baseline starting at (x, y)."""

    x: float
    y: float
    text: str
    style: TextStyle
    tag: Tag | None
    node: object = None


@dataclass(slots=True)
class Fill:
    """A filled rectangle (a table row's background) from its lower left corner."""

    x: float
    y: float
    width: float
    height: float
    color: str
    tag: Tag | None = None


@dataclass(slots=True)
class Rule:
    """A straight line `width` points thick: a rule, a table's grid, a strike-through."""

    x0: float
    y0: float
    x1: float
    y1: float
    width: float
    color: str
    tag: Tag | None = None


@dataclass(slots=True)
class Picture:
    """The client's logo, its lower left corner at (x, y)."""

    x: float
    y: float
    width: float
    height: float
    logo: Logo
    alt: str
    tag: Tag | None


@dataclass(slots=True)
class Graphic:
    """A chart's shapes (chart_geometry), drawn with their lower left corner at (x, y)."""

    x: float
    y: float
    drawing: Drawing
    alt: str
    tag: Tag | None


@dataclass(slots=True)
class Link:
    """A clickable area: to a URL, or to a heading's anchor inside the document."""

    x0: float
    y0: float
    x1: float
    y1: float
    target: str  # a URL, or an anchor key
    internal: bool
    description: str  # what the link's structure element says it points to
    tag: Tag | None


@dataclass(slots=True)
class Anchor:
    """A heading's place: the outline entry and the contents link go here."""

    key: str
    y: float  # the heading's top
    title: str
    depth: int  # in the outline


@dataclass(slots=True)
class Leader:
    """Where a contents line's dots and page number go, once the heading's page is known."""

    x: float  # where the line's text ends
    y: float
    key: str
    style: TextStyle
    tag: Tag


Box = Text | Fill | Rule | Picture | Graphic | Link | Anchor | Leader


@dataclass
class Page:
    """One page of the layout: its number, its boxes in drawing order, and which way it is turned."""

    number: int
    boxes: list[Box] = field(default_factory=list)
    landscape: bool = False  # the sheet turned: design.page_size(True)

    @property
    def size(self) -> tuple[float, float]:
        return design.page_size(self.landscape)


def runs(boxes: list[Box]):
    """The painted boxes of a page as (tag, boxes) runs of one tag each, in drawing order:
    one marked-content sequence each. Anchors, links and leaders paint nothing."""
    run: list = []
    tag = None
    for box in boxes:
        if isinstance(box, (Anchor, Link, Leader)):
            continue
        if run and box.tag != tag:
            yield tag, run
            run = []
        tag = box.tag
        run.append(box)
    if run:
        yield tag, run
