"""The PDF's layout result, inspected as data (pages of positioned boxes), without a PDF."""

from __future__ import annotations

from dataclasses import replace

import pytest

from generator.document.model import BulletList, Cell, CellKind, Column, Heading, Paragraph, Table
from generator.writers import design
from generator.writers.pdf.boxes import Anchor, Page, Text
from generator.writers.pdf.fonts import register
from generator.writers.pdf.layout import layout
from generator.writers.pdf.measure import width
from generator.writers.theme import THEME
from tests.document_samples import MISSING, sample_document

FRAME_TOP = design.PAGE_HEIGHT - design.TOP_BOTTOM_MARGIN


@pytest.fixture(scope="module", autouse=True)
def fonts() -> None:
    register()


def texts(page: Page) -> list[Text]:
    """The page's text inside the frame (not the running header and footer)."""
    return [box for box in page.boxes if isinstance(box, Text) and box.tag is not None]


def numbered_table(rows: int) -> Table:
    columns = (Column("number", "Number", 1.0), Column("text", "Row Text", 4.0))
    body = tuple((Cell(str(i), CellKind.NUMBER), Cell(f"row {i} of a long table")) for i in range(rows))
    return Table("long", "Long", columns, body, MISSING)


def test_each_heading_lands_where_the_contents_says() -> None:
    document = sample_document()
    pages = layout(document, THEME)
    headings = [block for block in document.blocks if isinstance(block, Heading)]
    landed = {}
    for page in pages:
        for box in texts(page):
            if isinstance(box.node, Heading) and box.tag[0][0].startswith("H"):
                landed.setdefault(id(box.node), page.number)
    assert set(landed) == {id(h) for h in headings}
    anchors = {box.title: page.number for page in pages for box in page.boxes if isinstance(box, Anchor)}
    numbers = [
        int(box.text) for page in pages for box in texts(page) if box.tag[0][0] == "TOC" and box.tag[-1][0] == "TOCI"
    ]
    assert numbers == [landed[id(h)] for h in headings] == [anchors[h.text] for h in headings]


@pytest.mark.parametrize("fillers", range(30, 62, 2))
def test_no_heading_ends_a_page(fillers: int) -> None:
    blocks = [Paragraph(f"Filler line {i}.") for i in range(fillers)]
    document = replace(sample_document(), blocks=(*blocks, Heading(1, "Stays"), numbered_table(40), Heading(2, "Last"), Paragraph("x")))
    for page in layout(document, THEME):
        last = texts(page)[-1]
        assert not isinstance(last.node, Heading), (fillers, page.number, last.text)


def test_a_long_table_repeats_its_header_on_every_page() -> None:
    document = replace(sample_document(), blocks=(Heading(1, "Long"), numbered_table(300)))
    pages = layout(document, THEME)
    assert len(pages) >= 4
    for page in pages[1:]:  # the first is the contents
        headers = [box for box in page.boxes if isinstance(box, Text) and box.text.strip() in {"Number", "Row Text"}]
        rows = [box for box in texts(page) if isinstance(box.node, Cell)]
        assert {box.text.strip() for box in headers} == {"Number", "Row Text"}, page.number
        assert rows and min(box.y for box in headers) > max(box.y for box in rows)  # over the page's rows
    rows = [box.text for page in pages for box in texts(page) if isinstance(box.node, Cell) and box.tag[-1] == ("TD", 1)]
    assert rows == [f"row {i} of a long table" for i in range(300)]  # every row once, in order


def test_a_5000_character_token_wraps_inside_its_cell() -> None:
    token = "".join(f"{i:05d}" for i in range(1000))
    assert len(token) == 5000
    columns = (Column("key", "Key", 1.0), Column("token", "Token", 2.0), Column("after", "After", 1.0))
    table = Table("tokens", "Tokens", columns, ((Cell("k"), Cell(token), Cell("after")),), MISSING)
    pages = layout(replace(sample_document(), blocks=(Heading(1, "Tokens"), table)), THEME)
    widths = design.column_widths([1.0, 2.0, 1.0])
    left = design.SIDE_MARGIN + widths[0] + design.CELL_PADDING
    right = design.SIDE_MARGIN + widths[0] + widths[1] - design.CELL_PADDING
    lines = [box for page in pages for box in texts(page) if box.node is table.rows[0][1]]
    assert len(lines) > 40
    assert "".join(box.text for box in lines) == token  # cut between characters, nothing added or lost
    for box in lines:
        assert left - 0.01 <= box.x and box.x + width(box.text, box.style) <= right + 0.01


def test_paragraph_lines_keep_to_the_measure_and_never_stand_alone() -> None:
    text = " ".join(f"word{i}" for i in range(3000))
    document = replace(sample_document(), blocks=(Paragraph(text),))
    pages = layout(document, THEME)
    measure = design.body_measure(THEME.body_font_size)
    per_page = [[box for box in texts(page) if box.node is document.blocks[0]] for page in pages]
    per_page = [lines for lines in per_page if lines]
    assert len(per_page) > 2
    assert all(len(lines) >= 2 for lines in per_page)  # no widow, no orphan
    for lines in per_page:
        for box in lines:
            assert box.x + width(box.text.rstrip(), box.style) <= design.SIDE_MARGIN + measure + 0.01
    assert " ".join(box.text.strip() for lines in per_page for box in lines) == text


def test_everything_stays_inside_the_frame() -> None:
    pages = layout(sample_document(), THEME)
    for page in pages:
        for box in texts(page):
            assert design.TOP_BOTTOM_MARGIN - 1 <= box.y <= FRAME_TOP, (page.number, box.text)


def test_a_list_item_is_not_split_over_pages() -> None:
    item = " ".join(f"point{i}" for i in range(120))  # several lines
    fillers = tuple(Paragraph(f"Filler line {i}.") for i in range(44))
    document = replace(sample_document(), blocks=(*fillers, BulletList((item, item, item))))
    pages = layout(document, THEME)
    for number in range(3):
        pages_of_item = {
            page.number for page in pages for box in texts(page) if box.tag[:2] == (("L", len(fillers)), ("LI", number))
        }
        assert len(pages_of_item) == 1, (number, pages_of_item)


def test_a_word_wider_than_the_measure_stays_whole_where_the_frame_has_room() -> None:
    digest = "sha256:" + "0123456789abcdef" * 4
    too_long = "x" * 400  # wider than the frame: cut
    blocks = (Paragraph(f"The file {digest} is the one."), Paragraph(too_long), BulletList((f"See {digest} here.",)))
    document = replace(sample_document(), blocks=blocks)
    boxes = [box for page in layout(document, THEME) for box in texts(page)]
    measure = design.body_measure(THEME.body_font_size)
    frame_right = design.SIDE_MARGIN + design.FRAME_WIDTH
    for block in (blocks[0], blocks[2]):
        lines = [box for box in boxes if box.node is block and box.tag[-1] != ("Lbl", 0)]
        assert width(digest, lines[0].style) > measure  # a word the measure cannot hold ...
        assert digest in [box.text.strip() for box in lines]  # ... on a line of its own, whole
        assert all(box.x + width(box.text.rstrip(), box.style) <= frame_right + 0.01 for box in lines)
        assert " ".join(box.text.strip() for box in lines) == block.text if isinstance(block, Paragraph) else block.items[0]
    cut = [box for box in boxes if box.node is blocks[1]]
    assert len(cut) > 1 and "".join(box.text for box in cut) == too_long
    assert all(box.x + width(box.text, box.style) <= frame_right + 0.01 for box in cut)
