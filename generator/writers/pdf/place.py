"""Items onto pages: the pagination rules.

Space between blocks; no heading left at a page foot; no single line of a paragraph alone at
the foot or the head of a page; a title block and a list item kept on one page.
"""

from __future__ import annotations

from generator.writers import design
from generator.writers.pdf import tables
from generator.writers.pdf.boxes import Anchor, Graphic, Leader, Link, Page, Picture, Rule, Text
from generator.writers.pdf.items import ChartItem, Keep, PageBreak, PictureItem, RuleItem, Space, TextItem, Turn
from generator.writers.theme import Theme

BOTTOM = design.TOP_BOTTOM_MARGIN
EPSILON = 1e-6


class Flow:
    """Where the next item goes: the pages so far and the height used on the last."""

    def __init__(self, theme: Theme):
        self.theme = theme
        self.pages = [Page(1)]
        self.y = self.top
        self.after = 0.0  # the space the last item asked for under it
        self.at_top = True

    @property
    def boxes(self) -> list:
        return self.pages[-1].boxes

    @property
    def top(self) -> float:
        return self.pages[-1].size[1] - design.TOP_BOTTOM_MARGIN

    @property
    def frame_height(self) -> float:
        return self.top - BOTTOM

    def room(self) -> float:
        return self.y - BOTTOM

    def gap(self, before: float) -> float:
        """The space above the next item: none at the top of a page, else the larger of the two asked for."""
        return 0.0 if self.at_top else max(before, self.after)

    def new_page(self, landscape: bool | None = None) -> None:
        """The next page: turned as `landscape` says, or as the last one was."""
        turned = self.pages[-1].landscape if landscape is None else landscape
        self.pages.append(Page(len(self.pages) + 1, landscape=turned))
        self.y, self.after, self.at_top = self.top, 0.0, True

    def turn(self, landscape: bool) -> None:
        """Go on on a page turned as `landscape` says: this one if it is still empty."""
        if self.at_top and not self.boxes:
            self.pages[-1].landscape = landscape
            self.y = self.top
        else:
            self.new_page(landscape)


def place(items: list, theme: Theme) -> list[Page]:
    """The items onto pages. The list is emptied as it goes: a placed item (a long table's
    broken lines, say) is let go once its boxes are on the pages."""
    flow = Flow(theme)
    after_keep = False  # the item before was a heading kept with what follows
    for index, item in enumerate(items):
        keep = getattr(item, "keep_with_next", False)
        if keep and not after_keep and not flow.at_top:
            _keep_with_next(items, index, flow)
        _place(item, flow)
        items[index] = None
        after_keep = keep
    return flow.pages


def _keep_with_next(items: list, index: int, flow: Flow) -> None:
    """Before a heading (or a run of them, decided at the first): move on unless the lead of what
    follows fits under it."""
    need, end = 0.0, index
    while end < len(items) and getattr(items[end], "keep_with_next", False):
        need += _height(items[end])
        end += 1
    if end < len(items):
        need += _lead(items[end])
    if need > flow.room() + EPSILON:
        flow.new_page()


def _height(item) -> float:
    if isinstance(item, TextItem):
        return item.space_before + len(item.lines) * item.leading + item.space_after
    if isinstance(item, Keep):
        return sum(_height(part) for part in item.items)
    if isinstance(item, tables.TableItem):
        return item.space_before + item.header.height + sum(row.height for row in item.rows)
    if isinstance(item, Space):
        return item.height
    if isinstance(item, RuleItem):
        return item.thickness + item.space_after
    if isinstance(item, PictureItem):
        return item.height + item.space_after
    if isinstance(item, ChartItem):
        return item.space[0] + item.drawing.height + item.space[1]
    return 0.0


def _lead(item) -> float:
    """The least of an item that may start a page's foot: two lines of a paragraph (all of a
    short one), a table's header and first row."""
    if isinstance(item, TextItem):
        count = len(item.lines)
        return item.space_before + (count if count <= 3 else 2) * item.leading
    if isinstance(item, tables.TableItem):
        return item.space_before + item.lead()
    return _height(item)


def _place(item, flow: Flow) -> None:
    if isinstance(item, TextItem):
        _place_text(item, flow)
    elif isinstance(item, tables.TableItem):
        tables.place(item, flow)
    elif isinstance(item, Keep):
        if not flow.at_top and _height(item) > flow.room() + EPSILON:
            flow.new_page()
        for part in item.items:
            _place(part, flow)
    elif isinstance(item, Space):
        flow.y -= item.height
        flow.after, flow.at_top = 0.0, False
    elif isinstance(item, RuleItem):
        flow.y -= flow.gap(0.0)
        middle = flow.y - item.thickness / 2
        flow.boxes.append(Rule(design.SIDE_MARGIN, middle, design.SIDE_MARGIN + design.FRAME_WIDTH, middle, item.thickness, item.color))
        flow.y -= item.thickness
        flow.after, flow.at_top = item.space_after, False
    elif isinstance(item, PictureItem):
        flow.y -= flow.gap(0.0) + item.height
        flow.boxes.append(Picture(design.SIDE_MARGIN, flow.y, item.width, item.height, item.logo, item.alt, item.tag))
        flow.after, flow.at_top = item.space_after, False
    elif isinstance(item, ChartItem):
        if _height(item) - item.space[1] > flow.room() + EPSILON and not flow.at_top:
            flow.new_page()  # a chart is never split
        flow.y -= flow.gap(item.space[0]) + item.drawing.height
        flow.boxes.append(Graphic(design.SIDE_MARGIN, flow.y, item.drawing, item.alt, item.tag))
        flow.after, flow.at_top = item.space[1], False
    elif isinstance(item, PageBreak):
        if not flow.at_top:
            flow.new_page()
    elif isinstance(item, Turn):
        flow.turn(item.landscape)
    else:
        raise TypeError(f"cannot place {type(item).__name__}")


def _place_text(item: TextItem, flow: Flow) -> None:
    start, count = 0, len(item.lines)
    height = count * item.leading
    if item.keep_together and not flow.at_top and height <= flow.frame_height and flow.gap(item.space_before) + height > flow.room() + EPSILON:
        flow.new_page()
    while start < count:
        gap = flow.gap(item.space_before) if start == 0 else 0.0
        fit = int((flow.room() - gap + EPSILON) // item.leading)
        left = count - start
        take = left if fit >= left else _split_at(fit, left)
        if take == 0:
            if not flow.at_top:
                flow.new_page()
                continue
            take = max(1, min(fit, left))  # a page of its own cannot hold it: fill the page
        _emit(item, start, take, flow.y - gap, flow)
        start += take
        if start < count:
            flow.new_page()
    flow.after = item.space_after


def _split_at(fit: int, left: int) -> int:
    """How many of `left` lines to set where `fit` fit: never one line alone on either page."""
    take = min(fit, left - 2)  # at least two lines go on
    return take if take >= 2 else 0


def _emit(item: TextItem, start: int, take: int, top: float, flow: Flow) -> None:
    boxes = flow.boxes
    if start == 0 and item.anchor:
        key, title, depth = item.anchor
        boxes.append(Anchor(key, top, title, depth))
    first = top - item.size
    for number in range(start, start + take):
        y = first - (number - start) * item.leading
        for fragment in item.lines[number]:
            boxes.append(Text(item.x + fragment.dx, y, fragment.text, fragment.style, fragment.tag, item.node))
        if number == 0 and item.label:
            label = item.label
            boxes.append(Text(item.x + label.dx, y, label.text, label.style, label.tag, item.node))
    last = first - (take - 1) * item.leading
    if item.link:
        target, internal, description, tag = item.link
        widest = max(item.widths[start : start + take])
        boxes.append(Link(item.x, last - (item.leading - item.size), item.x + widest, top, target, internal, description, tag))
    for number, dx0, dx1, url, tag in item.url_links:  # URLs inside the text: one area per line they cover
        if start <= number < start + take:
            y = first - (number - start) * item.leading
            boxes.append(Link(item.x + dx0, y - (item.leading - item.size), item.x + dx1, y + item.size, url, False, url, tag))
    if item.leader and start + take == len(item.lines):
        key, style, tag = item.leader
        boxes.append(Leader(item.x + item.widths[-1], last, key, style, tag))
    flow.y = top - take * item.leading
    flow.at_top = False
