"""Read a PDF back independently of the writer: tables (pdfplumber), text, and link targets (pypdf).

Tests compare what a reader finds in the PDF with the document model, so this module knows
nothing about reportlab or the writer's code; it relies only on what any PDF shows: ruled
table cells, characters with positions, and link annotations.

How wrapped cell text is re-joined (the lines of one cell, top to bottom):
- a line that ends with a space character (or a next line that starts with one): the space is
  the one the line was broken at, so the lines join with nothing more (our writer keeps that
  space, drawn invisibly at the line end, so the PDF itself says where a word ended);
- otherwise the break was either at a space that is not in the PDF, or inside a word too long
  for the cell. A word is split only when the line is full (the next line's first character
  would not have fitted) and the word is wider than the whole cell: then the lines join with
  nothing; else with one space.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pdfplumber
import pypdf

_SAME_LINE = 1.0  # points: characters whose baselines differ by less share a line
_EPSILON = 0.05  # points: rounding slack for "would have fitted"


def read_text(data: bytes) -> str:
    """All text of all pages, pages separated by a form feed."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\f".join(page.extract_text() or "" for page in pdf.pages)


def read_page_texts(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def read_links(data: bytes) -> list[str]:
    """The URI of every link annotation, in page order."""
    uris = []
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        for ref in page.get("/Annots") or []:
            annotation = ref.get_object()
            action = annotation.get("/A")
            if annotation.get("/Subtype") == "/Link" and action is not None:
                action = action.get_object()
                if action.get("/S") == "/URI":
                    uris.append(str(action["/URI"]))
    return uris


def read_tables(data: bytes) -> list[list[list[str]]]:
    """Every ruled table in document order: rows (the header row first) of cell texts.

    A table continued on the next page, whose first row repeats the header, is merged into
    one table and the repeated header dropped. A cell merged across columns appears once.
    """
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        fragments = [part for index, page in enumerate(pdf.pages) for part in _page_fragments(index, page)]
    tables: list[list[list[str]]] = []
    previous: _Fragment | None = None
    for fragment in fragments:
        if previous is not None and _continues(previous, fragment, tables[-1][0]):
            tables[-1].extend(fragment.rows[1:])
        else:
            tables.append(list(fragment.rows))
        previous = fragment
    return tables


# ---------------------------------------------------------------- one page


@dataclass
class _Line:
    chars: list[dict]

    @property
    def text(self) -> str:
        return "".join(char["text"] for char in self.chars)

    @property
    def baseline(self) -> float:
        return self.chars[0]["matrix"][5]

    @property
    def x0(self) -> float:
        return self.chars[0]["x0"]

    @property
    def x1(self) -> float:
        return self.chars[-1]["x1"]


@dataclass
class _Fragment:
    page: int
    rows: list[list[str]]
    first_on_page: bool
    last_on_page: bool
    furniture_above: list[tuple[str, float]]  # (text, baseline) of the lines above the table
    page_furniture: set[tuple[str, float]]  # every line of the page, to recognise running heads


def _page_fragments(index: int, page) -> list[_Fragment]:
    found = sorted(page.find_tables(), key=lambda table: table.bbox[1])
    all_lines = _lines(page.chars)
    furniture = {(line.text, round(line.baseline, 1)) for line in all_lines}
    fragments = []
    for number, table in enumerate(found):
        above = [
            (line.text, round(line.baseline, 1))
            for line in all_lines
            if page.height - line.baseline < table.bbox[1]  # pdfplumber's top is measured downwards
        ]
        fragments.append(
            _Fragment(
                page=index,
                rows=[_row_texts(page.chars, row.cells) for row in table.rows],
                first_on_page=number == 0,
                last_on_page=number == len(found) - 1,
                furniture_above=above,
                page_furniture=furniture,
            )
        )
    return fragments


def _continues(previous: _Fragment, fragment: _Fragment, header: list[str]) -> bool:
    """A fragment continues the previous table when it opens the next page, repeats the
    header, and nothing but running text (the same line at the same height on the previous
    page) stands above it."""
    return (
        fragment.page == previous.page + 1
        and previous.last_on_page
        and fragment.first_on_page
        and bool(fragment.rows)
        and fragment.rows[0] == header
        and all(line in previous.page_furniture for line in fragment.furniture_above)
    )


def _row_texts(chars: list[dict], cells: list) -> list[str]:
    return [_cell_text(chars, bbox) for bbox in cells if bbox is not None]


def _cell_text(chars: list[dict], bbox: tuple[float, float, float, float]) -> str:
    x0, top, x1, bottom = bbox
    inside = [
        char
        for char in chars
        if x0 <= (char["x0"] + char["x1"]) / 2 <= x1 and top <= (char["top"] + char["bottom"]) / 2 <= bottom
    ]
    lines = _lines(inside)
    if not lines:
        return ""
    # The text starts at the left padding; assume the same padding on the right.
    left = min(line.x0 for line in lines)
    right = x1 - (left - x0)
    text = lines[0].text
    carried = 0.0  # width of a word's part on the lines above `upper`, when it goes on there
    for upper, lower in zip(lines, lines[1:]):
        joint = _joint(upper, lower, left, right, carried)
        text += joint + lower.text
        tail_width = _run_width(upper.chars[len(upper.chars) - len(_tail(upper)):])
        carried = (0.0 if " " in upper.text else carried) + tail_width if joint == "" else 0.0
    return text


def _lines(chars: list[dict]) -> list[_Line]:
    """Group characters into lines by baseline, top to bottom, each left to right."""
    lines: list[_Line] = []
    for char in sorted(chars, key=lambda c: (-c["matrix"][5], c["x0"])):
        if lines and abs(lines[-1].baseline - char["matrix"][5]) < _SAME_LINE:
            lines[-1].chars.append(char)
        else:
            lines.append(_Line([char]))
    for line in lines:
        line.chars.sort(key=lambda c: c["x0"])
    return lines


def _joint(upper: _Line, lower: _Line, left: float, right: float, carried: float) -> str:
    """What stood between two wrapped lines of one cell: "" or " "."""
    if upper.text.endswith(" ") or lower.text.startswith(" "):
        return ""
    line_full = upper.x1 + _width(lower.chars[0]) > right - _EPSILON
    tail, head = _tail(upper), lower.text.split(" ", 1)[0]
    word_width = _run_width(upper.chars[len(upper.chars) - len(tail):]) + _run_width(lower.chars[: len(head)])
    if " " not in upper.text:
        word_width += carried  # the word began on a line above
    word_too_long = word_width > right - left - _EPSILON
    return "" if line_full and word_too_long else " "


def _tail(line: _Line) -> str:
    return line.text.rsplit(" ", 1)[-1]


def _width(char: dict) -> float:
    return char["x1"] - char["x0"]


def _run_width(chars: list[dict]) -> float:
    return chars[-1]["x1"] - chars[0]["x0"] if chars else 0.0
