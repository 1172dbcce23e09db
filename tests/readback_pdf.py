"""Read a PDF back independently of the writer: tables (pdfplumber), text, and link targets (pypdf).

Tests compare what a reader finds in the PDF with the document model, so this module knows
nothing about reportlab or the writer's code; it relies only on what any PDF shows: ruled
table cells, characters with positions, and link annotations.

How wrapped cell text is re-joined: the lines of one cell, top to bottom, join with nothing.
Our writer keeps the space each line was broken at (drawn invisibly at the line's end, at a
page break too), so the PDF itself says where a word ended; a line without such a space was
broken inside a token too long for the cell. A writer that dropped a space would read back
as two words run together, and the comparison with the model would show it.
"""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass

import pdfplumber
import pypdf
from tests.readback_cache import by_bytes

_SAME_LINE = 1.0  # points: characters whose baselines differ by less share a line


def read_text(data: bytes) -> str:
    """All text of all pages, pages separated by a form feed."""
    return "\f".join(read_page_texts(data))


def read_page_texts(data: bytes) -> list[str]:
    return _parsed(data).page_texts


@by_bytes
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
    return _parsed(data).tables


def read_marked_texts(data: bytes) -> dict[tuple[int, int], str]:
    """(page index, MCID) -> the text of the characters of that marked-content sequence."""
    return _parsed(data).marked


def read_extents(data: bytes) -> list[PageExtent | None]:
    """Per page, where its characters lie (None for a page without text)."""
    return _parsed(data).extents


@dataclass(frozen=True)
class PageExtent:
    """A page's size and its outermost character on each side, as (position, character)."""

    width: float
    height: float
    leftmost: tuple[float, str]  # the smallest x0
    rightmost: tuple[float, str]  # the largest x1
    highest: tuple[float, str]  # the smallest top (measured downwards)
    lowest: tuple[float, str]  # the largest bottom


@dataclass
class _Parsed:
    page_texts: list[str]
    tables: list[list[list[str]]]
    extents: list[PageExtent | None]
    marked: dict[tuple[int, int], str]


@by_bytes
def _parsed(data: bytes) -> _Parsed:
    """The page texts and the tables of one PDF, from one pdfplumber parse: parsing the pages'
    content streams costs far more than either reading, and most PDFs are read both ways."""
    page_texts: list[str] = []
    fragments: list[_Fragment] = []
    extents: list[PageExtent | None] = []
    marked: dict[tuple[int, int], str] = defaultdict(str)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for index, page in enumerate(pdf.pages):
            page_texts.append(page.extract_text() or "")
            fragments.extend(_page_fragments(index, page))
            extents.append(_extent(page))
            for char in page.chars:
                if char.get("mcid") is not None:
                    marked[(index, char["mcid"])] += char["text"]
    return _Parsed(page_texts, _joined(fragments), extents, dict(marked))


def _extent(page) -> PageExtent | None:
    chars = page.chars
    if not chars:
        return None

    def outermost(key: str, pick) -> tuple[float, str]:  # type: ignore[no-untyped-def]
        char = pick(chars, key=lambda c: c[key])
        return (char[key], char["text"])

    return PageExtent(
        page.width, page.height, outermost("x0", min), outermost("x1", max), outermost("top", min), outermost("bottom", max)
    )


def _joined(fragments: list[_Fragment]) -> list[list[list[str]]]:
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
    boxes = [bbox for bbox in cells if bbox is not None]
    if not boxes:
        return []
    # Only the characters within the row's height can be in one of its cells: looked for
    # there, not among all the page's characters once per cell.
    top, bottom = min(box[1] for box in boxes), max(box[3] for box in boxes)
    band = [char for char in chars if top <= (char["top"] + char["bottom"]) / 2 <= bottom]
    return [_cell_text(band, bbox) for bbox in boxes]


def _cell_text(chars: list[dict], bbox: tuple[float, float, float, float]) -> str:
    x0, top, x1, bottom = bbox
    inside = [
        char
        for char in chars
        if x0 <= (char["x0"] + char["x1"]) / 2 <= x1 and top <= (char["top"] + char["bottom"]) / 2 <= bottom
    ]
    # The writer keeps the space each wrapped line was broken at (drawn at the line's end),
    # so a cell's lines join with nothing: a line without one was broken inside a word.
    return "".join(line.text for line in _lines(inside))


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


