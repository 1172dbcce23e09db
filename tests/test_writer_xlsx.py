"""The XLSX writer, checked by reading the workbook back: texts, types, layout, properties, bytes.

Every test starts from the document model (tests/document_samples.py), so a bug
in the spec layer cannot break these; the expected texts are the model's own
Cell.text, and the workbook is read back by tests/readback_xlsx.py, which
shares no code with the writer.
"""

from __future__ import annotations

import io
import re
import time
import zipfile
from dataclasses import replace
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest

from generator.document.model import (
    Cell,
    CellKind,
    Column,
    Document,
    NumberFormat,
    NumberStyle,
    Table,
    TitleBlock,
)
from generator.writers import RenderOptions
from generator.writers.theme import THEME
from generator.writers.xlsx import render
from tests import readback_xlsx
from tests.document_samples import MISSING, sample_document
from tests.office_tools import libreoffice_csv

WHEN = datetime(2026, 11, 26, 12, 30, 5, tzinfo=timezone.utc)
OPTIONS = RenderOptions(timestamp=WHEN)
MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
FORMULA_LOOKING = ("=SUM(A1:A2)", "+1", "-1", "@x", "=1+1", "=HYPERLINK(\"http://evil\")", "\t=1+1", "\r=1+1")


def number(text: str, value: str, style: NumberStyle, decimals: int) -> Cell:
    return Cell(text, CellKind.NUMBER, Decimal(value), NumberFormat(style, decimals))


# Number cells whose text a naive format gets wrong: negatives, grouping in
# percentages, no decimals, trailing zeros, rounding traps of binary floats.
NUMBERS = Table(
    id="numbers",
    title="Numbers",
    columns=(Column("value", "Value", 1.0), Column("note", "Note", 2.0)),
    rows=(
        (number("-$1,170.50", "-1170.50", NumberStyle.CURRENCY, 2), Cell("negative currency")),
        (number("$5", "5", NumberStyle.CURRENCY, 0), Cell("currency without cents")),
        (number("$0.10", "0.10", NumberStyle.CURRENCY, 2), Cell("cents only")),
        (number("$1,234,567.125", "1234567.125", NumberStyle.CURRENCY, 3), Cell("three decimals")),
        (number("1,234.5%", "1234.5", NumberStyle.PERCENT, 1), Cell("grouped percent")),
        (number("0.01%", "0.01", NumberStyle.PERCENT, 2), Cell("tiny percent")),
        (number("-3%", "-3", NumberStyle.PERCENT, 0), Cell("negative percent")),
        (number("56.30%", "56.30", NumberStyle.PERCENT, 2), Cell("trailing zero percent")),
        (number("1,234.50", "1234.50", NumberStyle.GROUPED, 2), Cell("grouped decimals")),
        (number("123,456,789,012,345", "123456789012345", NumberStyle.GROUPED, 0), Cell("15 digits")),
        (number("0.10", "0.10", NumberStyle.PLAIN, 2), Cell("plain trailing zero")),
        (number("1.005", "1.005", NumberStyle.PLAIN, 3), Cell("not exact in binary")),
        (number("12345", "12345", NumberStyle.PLAIN, 0), Cell("plain, not grouped")),
        (number("-0.5", "-0.5", NumberStyle.PLAIN, 1), Cell("negative plain")),
        (Cell("1999-12-31", CellKind.DATE, value=date(1999, 12, 31)), Cell("date")),
    ),
    empty_text=MISSING,
)

FORMULAS = Table(
    id="formulas",
    title="Formulas",
    columns=(Column("text", "=Header", 1.0), Column("missing", "Missing", 1.0)),
    rows=tuple((Cell(text), Cell(text, CellKind.MISSING)) for text in FORMULA_LOOKING),
    empty_text=MISSING,
)


def document_with(*tables: Table, titles: tuple[str, ...] = ()) -> Document:
    """The sample's metadata and title block around other tables (renamed when titles are given)."""
    sample = sample_document()
    if titles:
        tables = tuple(replace(table, title=title) for table, title in zip(tables, titles))
    title_block = next(block for block in sample.blocks if isinstance(block, TitleBlock))
    return Document(metadata=sample.metadata, blocks=(title_block, *tables))


def expected_texts(table: Table) -> list[list[str]]:
    """What each sheet must display: the headers, then every Cell.text; an empty table shows its sentence."""
    rows = [[cell.text for cell in row] for row in table.rows]
    if not rows:
        rows = [[table.empty_text] + [""] * (len(table.columns) - 1)]
    return [[column.header for column in table.columns], *rows]


@pytest.fixture(scope="module")
def sample() -> Document:
    return sample_document()


@pytest.fixture(scope="module")
def data(sample: Document) -> bytes:
    return render(sample, OPTIONS)


@pytest.fixture(scope="module")
def workbook(data: bytes) -> openpyxl.Workbook:
    return readback_xlsx.load(data)


def sheet_xml(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist() if name.startswith("xl/worksheets/sheet")}


# --- texts and types ----------------------------------------------------------------


def test_sheets_are_the_overview_then_one_per_table_in_order(workbook: openpyxl.Workbook, sample: Document) -> None:
    assert workbook.sheetnames == ["Overview", *(table.title for table in sample.tables)]


def test_every_table_sheet_displays_the_model_texts_cell_by_cell(data: bytes, sample: Document) -> None:
    found = readback_xlsx.read_tables(data)
    assert list(found) == [table.title for table in sample.tables]
    for table in sample.tables:
        assert found[table.title] == expected_texts(table), table.title


def test_number_formats_display_exactly_the_model_texts() -> None:
    found = readback_xlsx.read_tables(render(document_with(NUMBERS), OPTIONS))
    assert found["Numbers"] == expected_texts(NUMBERS)


def test_number_cells_hold_numbers_and_date_cells_hold_dates(workbook: openpyxl.Workbook, sample: Document) -> None:
    checked = 0
    for table in sample.tables:
        sheet = workbook[table.title]
        for row_number, row in enumerate(table.rows, start=2):
            for column_number, cell in enumerate(row, start=1):
                stored = sheet.cell(row_number, column_number).value
                if cell.kind is CellKind.NUMBER:
                    assert type(stored) in (int, float), (table.title, cell.text, stored)
                    scale = 100 if cell.number_format.style is NumberStyle.PERCENT else 1
                    assert stored * scale == pytest.approx(float(cell.value), rel=1e-15)
                    checked += 1
                elif cell.kind is CellKind.DATE:
                    assert isinstance(stored, datetime) and stored.date() == cell.value
                    checked += 1
                else:
                    assert isinstance(stored, str)
    assert checked == 5  # four numbers and one date in the sample


def test_percentages_are_stored_as_fractions(workbook: openpyxl.Workbook) -> None:
    cell = workbook["Benchmarks"]["B3"]
    assert cell.value == pytest.approx(0.563)
    assert cell.number_format.endswith("0.0%")


def test_formula_looking_text_stays_text() -> None:
    data = render(document_with(FORMULAS), OPTIONS)
    sheet = readback_xlsx.load(data)["Formulas"]
    rows = range(2, 2 + len(FORMULA_LOOKING))
    cells = [sheet.cell(1, 1)] + [sheet.cell(row, column) for row in rows for column in (1, 2)]
    for cell in cells:
        assert cell.data_type == "s", (cell.coordinate, cell.value)
    assert [sheet.cell(row, 1).value for row in rows] == list(FORMULA_LOOKING)
    assert all(sheet.cell(row, 1).quotePrefix for row in rows)  # Excel keeps them text when edited
    assert sheet["A1"].value == "=Header"
    for name, xml in sheet_xml(data).items():
        assert ElementTree.fromstring(xml).find(f".//{MAIN_NS}f") is None, name


def test_the_sample_formula_text_is_a_string_cell(workbook: openpyxl.Workbook) -> None:
    cell = workbook["Modifiers"]["C2"]
    assert (cell.value, cell.data_type) == ("=SUM(A1:A2) stays text", "s")
    assert cell.quotePrefix  # Excel keeps it text even after the cell is edited


# --- styles -------------------------------------------------------------------------


def test_header_row_is_bold_and_white_on_the_brand_colour(workbook: openpyxl.Workbook, sample: Document) -> None:
    for table in sample.tables:
        for column in range(1, len(table.columns) + 1):
            cell = workbook[table.title].cell(1, column)
            assert cell.font.b
            assert cell.font.color.rgb.endswith(THEME.header_text_color)
            assert cell.fill.fgColor.rgb.endswith(THEME.brand_color)


def test_missing_cells_are_grey_italics(workbook: openpyxl.Workbook) -> None:
    for coordinate in ("D3", "C4", "B6"):
        cell = workbook["Benchmarks"][coordinate]
        assert cell.value == MISSING
        assert cell.font.i and cell.font.color.rgb.endswith(THEME.missing_color)
    assert not workbook["Benchmarks"]["A2"].font.i


def test_an_empty_table_shows_its_sentence_in_a2(workbook: openpyxl.Workbook) -> None:
    sheet = workbook["Revision History"]
    assert sheet["A2"].value == MISSING
    assert sheet["A2"].font.i and sheet["A2"].font.color.rgb.endswith(THEME.missing_color)
    assert sheet.max_row == 2


def test_every_table_cell_wraps_and_sits_at_the_top(workbook: openpyxl.Workbook, sample: Document) -> None:
    for table in sample.tables:
        if not table.rows:
            continue
        for row in workbook[table.title].iter_rows():
            for cell in row:
                assert cell.alignment.wrap_text and cell.alignment.vertical == "top", (table.title, cell.coordinate)


def test_links_target_their_urls(workbook: openpyxl.Workbook) -> None:
    cell = workbook["Payer Coverage"]["D2"]
    assert cell.value == "Clinical Policy Bulletin 0327"
    assert cell.hyperlink.target == "https://www.aetna.com/cpb/medical/data/300_399/0327.html"
    assert cell.font.u == "single"
    assert workbook["Payer Coverage"]["D3"].hyperlink is None


def test_the_overview_links_each_table_sheet(workbook: openpyxl.Workbook, sample: Document) -> None:
    locations = [cell.hyperlink.location for cell in workbook["Overview"]["A"] if cell.hyperlink]
    assert locations == [f"'{table.title}'!A1" for table in sample.tables]


# --- layout and printing ------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "autofilter"),
    [("Modifiers", "A1:C3"), ("Payer Coverage", "A1:F3"), ("Benchmarks", "A1:D6"), ("Revision History", "A1:C2")],
)
def test_header_is_frozen_filtered_and_repeated(workbook: openpyxl.Workbook, title: str, autofilter: str) -> None:
    sheet = workbook[title]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == autofilter
    assert sheet.print_title_rows == "$1:$1"


def test_table_sheets_print_landscape_one_page_wide(workbook: openpyxl.Workbook, sample: Document) -> None:
    for table in sample.tables:
        sheet = workbook[table.title]
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)


def test_printed_pages_carry_the_title_and_page_number(workbook: openpyxl.Workbook, sample: Document) -> None:
    for table in sample.tables:
        sheet = workbook[table.title]
        assert sheet.oddHeader.left.text == sample.metadata.title
        assert sheet.oddHeader.right.text == table.title
        assert "&P" in sheet.oddFooter.right.text and "&N" in sheet.oddFooter.right.text


def test_ampersands_in_headers_are_literal() -> None:
    document = document_with(NUMBERS, titles=("P&L &P",))
    sheet = readback_xlsx.load(render(document, OPTIONS))["P&L &P"]
    assert sheet.oddHeader.right.text == "P&&L &&P"  # doubled: printed as typed, not as a page number


def test_column_widths_follow_the_weights(workbook: openpyxl.Workbook, sample: Document) -> None:
    for table in sample.tables:
        sheet = workbook[table.title]
        widths = [sheet.column_dimensions[chr(ord("A") + i)].width for i in range(len(table.columns))]
        weights = [column.width for column in table.columns]
        assert sum(widths) == pytest.approx(130, abs=0.1)
        for width, weight in zip(widths, weights):
            assert width / sum(widths) == pytest.approx(weight / sum(weights), abs=1e-3)


def test_rows_are_tall_enough_for_wrapped_text(workbook: openpyxl.Workbook) -> None:
    sheet = workbook["Payer Coverage"]
    one_line = sheet.row_dimensions[1].height
    assert sheet.row_dimensions[2].height > one_line  # the long token wraps in the Notes column


# --- sheet names --------------------------------------------------------------------


def test_sheet_names_follow_excels_rules() -> None:
    titles = ("Payers: [Q1/Q2] *draft?* \\x", "A" * 40, "Overview", "Numbers", "NUMBERS", "History", "'quoted'")
    document = document_with(*([NUMBERS] * len(titles)), titles=titles)
    names = readback_xlsx.load(render(document, OPTIONS)).sheetnames
    assert names[0] == "Overview"
    assert len({name.lower() for name in names}) == len(names)
    for name in names:
        assert 0 < len(name) <= 31 and not set("[]:*?/\\") & set(name), name
        assert not name.startswith("'") and not name.endswith("'") and name.lower() != "history"
    assert names[1:] == [
        "Payers- -Q1-Q2- -draft-- -x",
        "A" * 31,
        "Overview (2)",
        "Numbers",
        "NUMBERS (2)",
        "History (2)",
        "quoted",
    ]


# --- overview -----------------------------------------------------------------------


def test_overview_holds_the_title_block_and_the_sheet_list(data: bytes) -> None:
    assert readback_xlsx.read_overview(data) == [
        ["CPT 89253: Assisted Embryo Hatching"],
        ["Assisted embryo hatching, microtechniques (any method)"],
        ["Version", "1.0"],
        ["As of", "2026-11-26"],
        ["Prepared for", "Example Fertility Network"],
        ["Tables"],
        ["Modifiers", "2 rows"],
        ["Payer Coverage", "2 rows"],
        ["Benchmarks", "5 rows"],
        ["Revision History", "0 rows"],
    ]


# --- properties and reproducibility -------------------------------------------------


def test_workbook_properties(workbook: openpyxl.Workbook, sample: Document) -> None:
    props = workbook.properties
    assert props.title == sample.metadata.title
    assert props.subject == sample.metadata.subject
    assert props.creator == props.lastModifiedBy == "Revenue Cycle Analytics"
    assert props.keywords == "CPT 89253, assisted hatching, billing"
    assert props.created == props.modified == WHEN.replace(tzinfo=None)


def test_a_document_without_author_has_an_empty_creator() -> None:
    sample = sample_document()
    document = replace(sample, metadata=replace(sample.metadata, author=None))
    props = readback_xlsx.load(render(document, OPTIONS)).properties
    assert not props.creator and not props.lastModifiedBy


def test_doc_props_do_not_name_the_library(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            assert b"openpyxl" not in archive.read(name).lower(), name
        core = archive.read("docProps/core.xml").decode()
    assert "2026-11-26T12:30:05Z" in core and core.count("2026-11-26T12:30:05Z") == 2


def test_zip_entries_carry_the_pinned_time(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        # A zip entry's time counts seconds in steps of 2.
        assert {entry.date_time for entry in archive.infolist()} == {(2026, 11, 26, 12, 30, 4)}


def test_rendering_twice_gives_the_same_bytes(sample: Document, data: bytes) -> None:
    time.sleep(1.1)  # past a second boundary: any clock time that leaks in changes the bytes
    assert render(sample, OPTIONS) == data


def test_another_timestamp_changes_only_the_times() -> None:
    other = render(sample_document(), RenderOptions(datetime(2030, 1, 2, tzinfo=timezone.utc)))
    props = readback_xlsx.load(other).properties
    assert props.created == props.modified == datetime(2030, 1, 2)


# --- a real office suite ------------------------------------------------------------

@pytest.mark.parametrize("which", ["sample", "numbers"])
def test_libreoffice_displays_the_model_texts(which: str, tmp_path: Path) -> None:
    document = sample_document() if which == "sample" else document_with(NUMBERS, FORMULAS)
    shown = libreoffice_csv(render(document, OPTIONS), tmp_path)
    assert list(shown) == sorted(["Overview", *(table.title for table in document.tables)])
    for table in document.tables:
        assert shown[table.title] == expected_texts(table), table.title


def test_text_keeps_its_outer_spaces_tabs_and_line_breaks() -> None:
    texts = ["  indented", "trailing  ", "one\r\ntwo", "tab\tinside", "<&> \"quoted\" 'single'"]
    table = Table("cells", "Cells", (Column("cell", "Cell", 1.0),), tuple((Cell(text),) for text in texts), MISSING)
    found = readback_xlsx.read_tables(render(document_with(table), OPTIONS))
    assert found["Cells"] == [["Cell"], *([text] for text in texts)]


# --- publication quality: banding, alignment, heights, numbers stored as text -------

IGNORED = f"{MAIN_NS}ignoredErrors/{MAIN_NS}ignoredError"


def sheet_part(data: bytes, title: str) -> ElementTree.Element:
    """The worksheet part of the sheet named `title`, found through the workbook's relationships."""
    names = readback_xlsx.load(data).sheetnames
    return ElementTree.fromstring(sheet_xml(data)[f"xl/worksheets/sheet{names.index(title) + 1}.xml"])


def numbers_stored_as_text(data: bytes, title: str) -> set[str]:
    found = set()
    for ignored in sheet_part(data, title).findall(IGNORED):
        assert ignored.get("numberStoredAsText") == "1"
        found |= set(ignored.get("sqref").split())
    return found


def test_body_rows_are_banded_like_the_documents(workbook: openpyxl.Workbook, sample: Document) -> None:
    for table in sample.tables:
        sheet = workbook[table.title]
        for row_number in range(2, len(table.rows) + 2):
            striped = row_number % 2 == 1  # the second body row, the fourth, ...: as the DOCX stripes them
            for column in range(1, len(table.columns) + 1):
                fill = sheet.cell(row_number, column).fill
                if striped:
                    assert fill.fill_type == "solid" and fill.fgColor.rgb.endswith(THEME.stripe_color), (table.title, row_number)
                else:
                    assert fill.fill_type is None, (table.title, row_number, column)


def test_numbers_and_their_header_are_right_aligned_with_an_indent(workbook: openpyxl.Workbook) -> None:
    sheet = workbook["Benchmarks"]
    assert sheet["B1"].alignment.horizontal == "right" and sheet["B1"].alignment.indent >= 1
    for row in range(2, 6):  # the four numbers of the Value column
        alignment = sheet.cell(row, 2).alignment
        assert (alignment.horizontal, alignment.wrap_text) == ("right", True) and alignment.indent >= 1
    for coordinate in ("A1", "C1", "A2", "C2"):  # text columns stay left
        assert sheet[coordinate].alignment.horizontal in (None, "general", "left"), coordinate
    assert workbook["Payer Coverage"]["E2"].alignment.horizontal == "left"  # a date: left, as in the documents


def test_text_that_looks_like_a_number_is_marked_for_excel(data: bytes) -> None:
    table = Table(
        "texts", "Texts", (Column("text", "Text", 1.0), Column("other", "2026", 1.0)),
        tuple((Cell(text), Cell("note")) for text in ("2000", "00", "1.0", "-5", "12%", "x1", "1.0 beta", "")),
        MISSING,
    )
    built = render(document_with(table), OPTIONS)
    assert numbers_stored_as_text(built, "Texts") == {"B1", "A2", "A3", "A4", "A5", "A6"}
    workbook = readback_xlsx.load(built)
    version = next(cell for row in workbook["Overview"].iter_rows() for cell in row if cell.value == "1.0")
    assert numbers_stored_as_text(built, "Overview") == {version.coordinate}
    assert workbook["Texts"]["A2"].data_type == workbook["Overview"][version.coordinate].data_type == "s"  # still text


def test_row_heights_follow_the_text_up_to_excels_limit() -> None:
    texts = ["short", "word " * 120, "line\n" * 400]
    table = Table("cells", "Cells", (Column("cell", "Cell", 1.0),), tuple((Cell(text),) for text in texts), MISSING)
    sheet = readback_xlsx.load(render(document_with(table), OPTIONS))["Cells"]
    heights = [sheet.row_dimensions[row].height for row in (2, 3, 4)]
    assert heights[0] < heights[1] < heights[2] == 409


def test_the_footer_has_the_documents_wording(workbook: openpyxl.Workbook, sample: Document) -> None:
    meta = sample.metadata
    for sheet in workbook.worksheets:
        assert sheet.oddFooter.right.text == THEME.running_footer(meta.version, meta.as_of.isoformat()) + "&P of &N"


def test_an_unknown_block_is_refused() -> None:
    sample = sample_document()
    with pytest.raises(TypeError, match="cannot draw"):
        render(replace(sample, blocks=(*sample.blocks, object())), OPTIONS)


def test_the_writer_uses_no_private_openpyxl_module() -> None:
    source = Path(__file__).resolve().parent.parent / "generator" / "writers" / "xlsx"
    for path in source.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"openpyxl(\.\w+)*\._", text), path.name
        assert "._style" not in text and "_images" not in text, path.name


def test_a_timestamp_before_the_year_1000_is_written_with_four_digits() -> None:
    props = readback_xlsx.load(render(sample_document(), RenderOptions(datetime(150, 8, 6, tzinfo=timezone.utc)))).properties
    assert props.created == props.modified == datetime(150, 8, 6)
