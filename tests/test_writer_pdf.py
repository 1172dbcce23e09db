"""The PDF writer, checked by reading its output back (pdfplumber, pypdf), never by looking at reportlab."""

from __future__ import annotations

import io
import time
from dataclasses import replace
from datetime import datetime, timezone

import pdfplumber
import pypdf
import pytest

from generator.document.model import Cell, CellKind, Column, Document, Heading, Paragraph, Table
from generator.writers import RenderOptions
from generator.writers.pdf import render
from tests.document_samples import MISSING, sample_document
from tests.readback_pdf import read_links, read_page_texts, read_tables, read_text

OPTIONS = RenderOptions(timestamp=datetime(2026, 11, 26, 12, 30, 5, tzinfo=timezone.utc))
UNICODE = "≤ ≥ ± µ é ’ “ ” – —"


@pytest.fixture(scope="module")
def document() -> Document:
    return sample_document()


@pytest.fixture(scope="module")
def pdf(document: Document) -> bytes:
    return render(document, OPTIONS)


def expected_rows(table: Table) -> list[list[str]]:
    """What a reader must find: the header row, then every cell's text; an empty table
    shows its empty_text once, in a row spanning all columns."""
    header = [column.header for column in table.columns]
    if not table.rows:
        return [header, [table.empty_text]]
    return [header, *([cell.text for cell in row] for row in table.rows)]


def with_blocks(document: Document, *blocks) -> Document:
    return replace(document, blocks=document.blocks + tuple(blocks))


def pages_of(data: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(data)).pages)


# ---------------------------------------------------------------- content


def test_every_table_reads_back_cell_by_cell(document: Document, pdf: bytes) -> None:
    assert read_tables(pdf) == [expected_rows(table) for table in document.tables]


def test_table_titles_are_not_drawn(pdf: bytes) -> None:
    # The composer puts a Heading before each table; the writer must not add the title.
    lines = read_text(pdf).splitlines()
    assert "Modifiers" not in read_text(pdf)  # a table title with no heading of that name
    assert lines.count("Benchmarks") == 1  # the heading only (the contents line has dots)


def test_missing_sentence_is_printed_in_grey_italics(pdf: bytes) -> None:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        attributes = ["fontname", "non_stroking_color"]
        words = [w for page in doc.pages for w in page.extract_words(extra_attrs=attributes)]
    missing_words = [w for w in words if w["text"] == "available"]  # only in the missing sentence
    assert missing_words
    for word in missing_words:
        assert word["fontname"].endswith("+Carlito-Italic")
        assert word["non_stroking_color"] == pytest.approx((0x7F / 255,) * 3, abs=0.01)


def test_plain_text_prints_literally(pdf: bytes) -> None:
    text = read_text(pdf)
    assert "Plain text prints literally: <b>bold?</b> & =SUM(A1) and [brackets]." in text
    assert "second <i>point</i> & more" in text
    assert "=SUM(A1:A2) stays text" in text
    assert "Statutorily excluded <b> & not a" in text


def test_unicode_survives(pdf: bytes) -> None:
    assert UNICODE in read_tables(pdf)[0][2][1]
    text = read_text(pdf)
    for char in UNICODE.replace(" ", "") + "·":  # the middle dot is the footer's separator
        assert char in text


def test_all_fonts_are_embedded_truetype(pdf: bytes) -> None:
    fonts = {}
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[str(font["/BaseFont"])] = font
    assert fonts
    for name, font in fonts.items():
        if font["/Subtype"] == "/Type0":
            font = font["/DescendantFonts"][0].get_object()
        assert "/FontFile2" in font["/FontDescriptor"].get_object(), f"{name} is not embedded"
        assert name.endswith("+Carlito") or name.endswith("+Carlito-Bold") or name.endswith("+Carlito-Italic"), name


def _font_files(data: bytes) -> dict[str, bytes]:
    """{BaseFont without its subset tag: the decoded bytes of its embedded TrueType file}."""
    files = {}
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            stream = font["/FontDescriptor"].get_object()["/FontFile2"].get_object()
            files[str(font["/BaseFont"]).split("+", 1)[1]] = stream.get_data()
    return files


def test_documents_with_the_same_characters_embed_the_same_font_files(document: Document) -> None:
    # The order in which characters are first drawn does not decide a face's subset: so two
    # reports that hold the same characters share the subsets made for the first.
    first = with_blocks(document, Paragraph("Zürich – Ærø “café” ≤ 5"))
    second = with_blocks(document, Paragraph("≤ 5 “café” Ærø – Zürich"))
    files = _font_files(render(first, OPTIONS))
    assert files == _font_files(render(second, OPTIONS))
    assert set(files) == {"Carlito", "Carlito-Bold", "Carlito-Italic"}
    assert "Zürich – Ærø “café” ≤ 5" in read_text(render(first, OPTIONS))  # and the codes still read back


# ---------------------------------------------------------------- navigation and page furniture


def _outline(reader: pypdf.PdfReader, items, depth: int = 0) -> list[tuple[int, str, int]]:
    """(depth, title, page index) for every outline entry, in order."""
    found = []
    for item in items:
        if isinstance(item, list):
            found.extend(_outline(reader, item, depth + 1))
        else:
            found.append((depth, item.title, reader.get_destination_page_number(item)))
    return found


def test_outline_has_every_heading_nested_on_its_page(document: Document, pdf: bytes) -> None:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    outline = _outline(reader, reader.outline)
    headings = [block for block in document.blocks if isinstance(block, Heading)]
    assert [(depth, title) for depth, title, _ in outline] == [(h.level - 1, h.text) for h in headings]
    page_texts = read_page_texts(pdf)
    for _, title, page in outline:
        assert title in page_texts[page].splitlines()


def test_contents_page_lists_headings_with_page_numbers(document: Document, pdf: bytes) -> None:
    texts = read_page_texts(pdf)
    cover, contents = texts[:2]  # the sample has no notices: the contents are page 2
    assert "Contents" in contents and "Contents" not in cover
    listed = []
    for block in document.blocks:
        if isinstance(block, Heading):
            line = next(line for line in contents.splitlines() if line.startswith(block.text))
            page = int(line.rsplit(" ", 1)[1])
            assert block.text in texts[page - 1].splitlines(), line  # the heading is on the page listed
            listed.append(page)
    assert listed[0] == 3 and listed == sorted(listed)  # the body starts on page 3


def test_running_header_and_footer_on_every_page(document: Document) -> None:
    data = render(with_blocks(document, Heading(1, "Long"), _numbered_table(300)), OPTIONS)
    texts = read_page_texts(data)
    assert len(texts) > 3
    cover = texts[0].splitlines()  # the cover has neither header (its first line is the title itself) nor footer
    assert cover[0] == document.metadata.title and cover.count(document.metadata.title) == 1
    assert not any(line.startswith("Version 1.0 · As of") for line in cover)
    for number, text in enumerate(texts[1:], start=2):
        lines = text.splitlines()
        assert lines[0] == document.metadata.title
        assert lines[-1] == f"Version 1.0 · As of 2026-11-26 · Page {number} of {len(texts)}"


def test_link_cell_is_a_clickable_link(pdf: bytes) -> None:
    assert "https://www.aetna.com/cpb/medical/data/300_399/0327.html" in read_links(pdf)


def test_link_url_is_escaped_not_interpreted(document: Document) -> None:
    url = 'https://example.com/p?a=1&b=<2>&c="3"'
    columns = (Column("policy", "Policy", 1.0),)
    table = Table("links", "Links", columns, ((Cell("A & B <c>", link=url),),), MISSING)
    data = render(with_blocks(document, Heading(1, "Links"), table), OPTIONS)
    assert url in read_links(data)
    assert read_tables(data)[-1] == [["Policy"], ["A & B <c>"]]


# ---------------------------------------------------------------- properties and reproducibility


def test_metadata(document: Document, pdf: bytes) -> None:
    info = pypdf.PdfReader(io.BytesIO(pdf)).metadata
    assert info.title == document.metadata.title
    assert info.author == "Revenue Cycle Analytics"
    assert info.subject == document.metadata.subject
    assert info["/Keywords"] == "CPT 89253, assisted hatching, billing"
    assert info.creator and "anonymous" not in info.creator
    assert info.producer and not info.producer.startswith("ReportLab PDF Library")
    assert info.creation_date == OPTIONS.timestamp
    assert info.modification_date == OPTIONS.timestamp


def test_missing_author_is_empty_not_anonymous(document: Document) -> None:
    data = render(replace(document, metadata=replace(document.metadata, author=None)), OPTIONS)
    assert pypdf.PdfReader(io.BytesIO(data)).metadata.author == ""


def test_the_header_declares_pdf_1_7_the_base_of_pdf_a_2_and_pdf_ua_1(pdf: bytes) -> None:
    assert pdf.startswith(b"%PDF-1.7\n")
    assert pypdf.PdfReader(io.BytesIO(pdf)).pdf_header == "%PDF-1.7"


def test_same_input_gives_identical_bytes(document: Document, pdf: bytes) -> None:
    time.sleep(1.1)  # a clock-derived date or ID would now differ
    assert render(document, OPTIONS) == pdf


def test_timestamp_comes_from_options_not_environment(
    document: Document, pdf: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1000000000")
    assert render(document, OPTIONS) == pdf
    later = RenderOptions(timestamp=datetime(2027, 1, 2, tzinfo=timezone.utc))
    info = pypdf.PdfReader(io.BytesIO(render(document, later))).metadata
    assert info.creation_date == later.timestamp


def test_file_id_depends_on_content(document: Document, pdf: bytes) -> None:
    changed = with_blocks(document, Paragraph("One more paragraph."))
    first = pypdf.PdfReader(io.BytesIO(pdf)).trailer["/ID"]
    second = pypdf.PdfReader(io.BytesIO(render(changed, OPTIONS))).trailer["/ID"]
    assert first != second


# ---------------------------------------------------------------- long tables and cells


def _numbered_table(rows: int) -> Table:
    columns = (Column("number", "Number", 1.0), Column("text", "Row Text", 4.0))
    body = tuple((Cell(str(i), CellKind.NUMBER), Cell(f"row {i} of a long table")) for i in range(rows))
    return Table("long", "Long", columns, body, MISSING)


def test_long_table_repeats_its_header_and_reads_back_whole(document: Document) -> None:
    table = _numbered_table(300)
    data = render(with_blocks(document, Heading(1, "Long"), table), OPTIONS)
    with pdfplumber.open(io.BytesIO(data)) as doc:
        tables = [table for page in doc.pages for table in page.extract_tables()]
        fragments = tables[next(i for i, t in enumerate(tables) if t[0] == ["Number", "Row Text"]) :]
    assert len(fragments) > 2
    assert all(fragment[0] == ["Number", "Row Text"] for fragment in fragments)
    assert read_tables(data)[-1] == expected_rows(table)  # repeated headers dropped, nothing lost


def test_cell_longer_than_a_page_builds(document: Document) -> None:
    words = " ".join(f"word{i}" for i in range(1300))
    assert len(words) > 8000
    columns = (Column("key", "Key", 1.0), Column("text", "Text", 4.0))
    table = Table("huge", "Huge", columns, ((Cell("k"), Cell(words)),), MISSING)
    data = render(with_blocks(document, Heading(1, "Huge"), table), OPTIONS)
    assert pages_of(data) >= 4
    header, *parts = read_tables(data)[-1]  # the row continues on each page under the header
    assert header == ["Key", "Text"]
    assert "".join(part[-1] for part in parts) == words  # each piece keeps the space it was broken at
    assert parts[0][0] == "k"


def test_long_unbreakable_token_wraps_inside_its_cell(pdf: bytes) -> None:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page, table = next((page, t) for page in doc.pages for t in page.find_tables() if t.extract()[0][0] == "Payer")
        cell = table.rows[1].cells[-1]
        chars = [c for c in page.chars if c["top"] >= cell[1] and c["bottom"] <= cell[3]]
        token = [c for c in chars if cell[0] <= c["x0"] < cell[2]]
    assert "".join(c["text"] for c in token).replace(" ", "").startswith("Averyvery")
    assert max(c["x1"] for c in token) <= cell[2]  # nothing spills into the next column


def test_heading_is_never_last_on_a_page(document: Document) -> None:
    # Push a heading down the page one line at a time: wherever it lands, the text after it
    # must be on the same page.
    moved_on = 0
    for fillers in range(28, 40):
        blocks = [Paragraph(f"Filler line {i}.") for i in range(fillers)]
        data = render(replace(document, blocks=(*blocks, Heading(1, "Stays"), _numbered_table(40))), OPTIONS)
        for text in read_page_texts(data):
            lines = text.splitlines()
            if "Stays" in lines:
                after = lines[lines.index("Stays") + 1]
                assert after == "Number Row Text", (fillers, after)
                moved_on += lines[lines.index("Stays") - 1] == document.metadata.title  # opens a page
    assert moved_on  # the range does reach the bottom of a page


def test_long_table_starts_under_its_heading(document: Document) -> None:
    # A table too long for any page must not push its heading (and a blank half page) on.
    blocks = (Paragraph("Some text first."), Heading(1, "Long"), _numbered_table(300))
    first_body_page = read_page_texts(render(replace(document, blocks=blocks), OPTIONS))[1]  # after contents
    assert "Long" in first_body_page.splitlines()
    assert "0 row 0 of a long table" in first_body_page.splitlines()


def test_narrow_columns_keep_dates_and_header_words_whole(document: Document) -> None:
    # Vera is wide: at full size "2025-06-01" and "Reviewed" are wider than a column of
    # weight 1.1 in 10.8 (the payers table's Last Reviewed) and would be broken inside;
    # they are set a little smaller instead. A token far too long still breaks.
    columns = (Column("wide", "Wide", 9.7), Column("date", "Last Reviewed", 1.1))
    rows = ((Cell("x"), Cell("2025-06-01", CellKind.DATE)), (Cell("y"), Cell("REFID_0123456789ABCDEF0123")))
    table = Table("dates", "Dates", columns, rows, MISSING)
    data = render(replace(document, blocks=(Heading(1, "Dates"), table)), OPTIONS)
    with pdfplumber.open(io.BytesIO(data)) as doc:
        words = {w["text"].strip() for page in doc.pages for w in page.extract_words()}
    assert {"2025-06-01", "Reviewed"} <= words
    assert "REFID_0123456789ABCDEF0123" not in words
    assert read_tables(data)[-1] == expected_rows(table)


def test_a_row_that_fits_a_page_is_never_cut(document: Document) -> None:
    # Rows about a fifth of a page tall, pushed down the page line by line: a row that does
    # not fit the rest of a page moves on whole (no second header on the same page).
    columns = (Column("key", "Key", 1.0), Column("text", "Tall Text", 4.0))
    tall = " ".join(["a tall cell"] * 60)
    table = Table("tall", "Tall", columns, tuple((Cell(str(i)), Cell(tall)) for i in range(8)), MISSING)
    for fillers in range(0, 30, 3):
        blocks = (*(Paragraph(f"Filler line {i}.") for i in range(fillers)), Heading(1, "Tall"), table)
        data = render(replace(document, blocks=blocks), OPTIONS)
        assert read_tables(data) == [expected_rows(table)], fillers
        for text in read_page_texts(data):
            assert text.count("Key Tall Text") <= 1, fillers


@pytest.mark.parametrize("weight", [0.8, 1.1, 1.4])
def test_wrapped_cells_read_back_exactly_in_narrow_columns(document: Document, weight: float) -> None:
    # Where a word fills its line, a break between two words and a break inside one look
    # the same on the page; the writer keeps the space it broke at, so reading is exact.
    texts = [
        MISSING,
        "Coverage Determination Guideline CDG.025.13",
        "Medical policy 2024T0270HH Infertility Services",
    ]
    columns = (Column("wide", "Wide", 10 - weight), Column("narrow", "Narrow Column", weight))
    table = Table("narrow", "Narrow", columns, tuple((Cell("x"), Cell(text)) for text in texts), MISSING)
    data = render(replace(document, blocks=(table,)), OPTIONS)
    assert read_tables(data) == [expected_rows(table)]
