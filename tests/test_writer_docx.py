"""The DOCX writer, checked by reading its output back and comparing it with the model."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.shared import Inches, Pt

from generator.document.model import (
    Cell,
    CellKind,
    Column,
    Document,
    Heading,
    Paragraph,
    Table,
    TitleBlock,
)
from generator.writers import RenderOptions, design
from generator.writers import render as render_format
from generator.writers.docx import render
from generator.writers.docx.styles import STYLE_IDS
from generator.writers.pdf.layout import heading_pages
from generator.writers.theme import THEME
from tests.document_samples import MISSING, sample_document
from tests.readback_docx import open_docx, paragraph_text, read_hyperlinks, read_paragraphs, read_tables

TIMESTAMP = datetime(2026, 11, 26, 14, 30, 5, tzinfo=timezone.utc)
OPTIONS = RenderOptions(timestamp=TIMESTAMP)


@pytest.fixture(scope="module")
def model() -> Document:
    return sample_document()


@pytest.fixture(scope="module")
def data(model) -> bytes:
    return render(model, OPTIONS)


@pytest.fixture(scope="module")
def word(data):
    return open_docx(data)


def body_tables(word):
    return word.element.body.xpath("./w:tbl")


def rows_of(tbl):
    return tbl.xpath("./w:tr")


def cells_of(tr):
    return tr.xpath("./w:tc")


def runs_of(tc):
    return tc.xpath(".//w:r[w:t]")


def body_paragraphs(word):
    return word.element.body.xpath("./w:p")


def style_name(word, p) -> str | None:
    style_id = p.xpath("string(./w:pPr/w:pStyle/@w:val)")
    return word.styles.get_by_id(style_id, WD_STYLE_TYPE.PARAGRAPH).name if style_id else None


def run_flag_on(run, tag: str) -> bool:
    """True if the run's own properties switch `tag` (w:i, w:b...) on."""
    return bool(run.xpath(f"./w:rPr/{tag}[not(@w:val='0') and not(@w:val='false')]"))


def run_color(run) -> str | None:
    return run.xpath("string(./w:rPr/w:color/@w:val)") or None


# ---------------------------------------------------------------- tables


def expected_rows(table: Table) -> list[list[str]]:
    header = [column.header for column in table.columns]
    if not table.rows:
        return [header, [table.empty_text]]
    return [header] + [[cell.text for cell in row] for row in table.rows]


def test_every_table_reads_back_cell_by_cell(model, data):
    tables = read_tables(data)
    assert len(tables) == len(model.tables)
    for drawn, table in zip(tables, model.tables):
        assert drawn == expected_rows(table), table.id


def test_table_titles_are_not_drawn(word, model):
    # The composer puts a Heading before each table; the writer must not add the title again.
    for table in model.tables:
        for p in body_paragraphs(word):
            if paragraph_text(p) == table.title:
                assert style_name(word, p).startswith(("Heading ", "toc ")), table.title
    assert "Modifiers" not in [paragraph_text(p) for p in body_paragraphs(word)]  # no heading repeats it


def test_cell_text_is_kept_exactly(model):
    odd = Table(
        id="odd",
        title="Odd",
        columns=(Column("a", "A", 1.0), Column("b", "B", 1.0)),
        rows=((Cell("  padded  "), Cell("line one\nline two\tand a tab")), (Cell(""), Cell("x"))),
        empty_text=MISSING,
    )
    data = render(replace(model, blocks=(odd,)), OPTIONS)
    assert read_tables(data) == [[["A", "B"], ["  padded  ", "line one\nline two\tand a tab"], ["", "x"]]]


def test_adjacent_tables_stay_separate(model):
    first, second = model.tables[:2]
    data = render(replace(model, blocks=(first, second)), OPTIONS)
    assert read_tables(data) == [expected_rows(first), expected_rows(second)]
    # Word fuses two w:tbl elements with nothing between them into one table.
    for tbl in body_tables(open_docx(data)):
        assert tbl.getnext().tag == qn("w:p")


def test_header_row_repeats_and_no_row_splits(word):
    for tbl in body_tables(word):
        rows = rows_of(tbl)
        assert rows[0].xpath("./w:trPr/w:tblHeader"), "the header row must repeat on each page"
        assert not any(row.xpath("./w:trPr/w:tblHeader") for row in rows[1:])
        assert all(row.xpath("./w:trPr/w:cantSplit") for row in rows)


def test_header_row_is_bold_brand_coloured(word):
    for tbl in body_tables(word):
        for tc in cells_of(rows_of(tbl)[0]):
            assert tc.xpath("string(./w:tcPr/w:shd/@w:fill)") == THEME.brand_color
            for run in runs_of(tc):
                assert run_flag_on(run, "w:b")
                assert run_color(run) == THEME.header_text_color


def test_rows_are_striped(word, model):
    for tbl, table in zip(body_tables(word), model.tables):
        fills = [tr.xpath("string(./w:tc[1]/w:tcPr/w:shd/@w:fill)") for tr in rows_of(tbl)[1:]]
        expected = [THEME.stripe_color if index % 2 else "" for index in range(len(table.rows))]
        assert fills == (expected or [""]), table.id


def text_width_twips(word) -> int:
    section = word.sections[0]
    return round((section.page_width - section.left_margin - section.right_margin) / 635)  # EMU -> twips


def section_text_width_twips(tbl) -> int:
    """The text width of the section holding `tbl`: the next section properties close it."""
    (sect_pr,) = tbl.xpath("following::w:sectPr[1]")
    size, margins = sect_pr.xpath("./w:pgSz")[0], sect_pr.xpath("./w:pgMar")[0]
    width = lambda element, name: int(element.get(f"{{{element.nsmap['w']}}}{name}"))  # noqa: E731
    return width(size, "w") - width(margins, "left") - width(margins, "right")


def test_every_cell_has_a_width_proportional_to_its_column(word, model):
    for tbl, table in zip(body_tables(word), model.tables):
        total = section_text_width_twips(tbl)
        assert total == text_width_twips(word) or table.id == "payers"  # the payer table's page is turned
        assert tbl.xpath("string(./w:tblPr/w:tblLayout/@w:type)") == "fixed"
        assert tbl.xpath("string(./w:tblPr/w:tblW/@w:type)") == "dxa"
        assert int(tbl.xpath("string(./w:tblPr/w:tblW/@w:w)")) == total
        grid = [int(w) for w in tbl.xpath("./w:tblGrid/w:gridCol/@w:w")]
        weights = [column.width for column in table.columns]
        assert sum(grid) == total
        for width, weight in zip(grid, weights):
            assert width / total == pytest.approx(weight / sum(weights), abs=1e-3), table.id
        for tr in rows_of(tbl):
            for tc in cells_of(tr):
                assert tc.xpath("string(./w:tcPr/w:tcW/@w:type)") == "dxa"
            if len(cells_of(tr)) == len(grid):
                assert [int(w) for w in tr.xpath("./w:tc/w:tcPr/w:tcW/@w:w")] == grid


def test_empty_table_spans_all_columns_in_grey_italics(word, model):
    (tbl, table), = [(t, m) for t, m in zip(body_tables(word), model.tables) if not m.rows]
    (only,) = cells_of(rows_of(tbl)[1])
    assert int(only.xpath("string(./w:tcPr/w:gridSpan/@w:val)")) == len(table.columns)
    assert int(only.xpath("string(./w:tcPr/w:tcW/@w:w)")) == text_width_twips(word)
    for run in runs_of(only):
        assert run_flag_on(run, "w:i")
        assert run_color(run) == THEME.missing_color


def test_missing_cells_are_grey_italics_and_others_are_not(word, model):
    for tbl, table in zip(body_tables(word), model.tables):
        for tr, row in zip(rows_of(tbl)[1:], table.rows):
            for tc, cell in zip(cells_of(tr), row):
                runs = runs_of(tc)
                assert runs, cell.text
                missing = cell.kind is CellKind.MISSING
                assert all(run_flag_on(run, "w:i") == missing for run in runs), cell.text
                assert all((run_color(run) == THEME.missing_color) == missing for run in runs), cell.text


def test_table_text_uses_the_table_font_size(word):
    for tbl in body_tables(word):
        for p in tbl.xpath(".//w:p"):
            assert style_name(word, p) == "Table Text"
    assert word.styles["Table Text"].font.size == Pt(THEME.table_font_size)


def test_cell_links_are_real_hyperlinks(word, data, model):
    expected = {cell.text: cell.link for table in model.tables for row in table.rows for cell in row if cell.link}
    assert expected  # the sample must exercise links
    assert read_hyperlinks(data) == expected
    for link in word.element.body.xpath(".//w:tbl//w:hyperlink"):
        rel = word.part.rels[link.get(qn("r:id"))]
        assert rel.is_external
        assert link.xpath("string(.//w:r/w:rPr/w:rStyle/@w:val)") == word.styles["Hyperlink"].style_id
    assert word.styles["Hyperlink"].font.underline


# ---------------------------------------------------------------- body text


def test_headings_use_builtin_heading_styles_and_keep_with_next(word, model):
    headings = [block for block in model.blocks if isinstance(block, Heading)]
    drawn = [
        (paragraph_text(p), style_name(word, p), bool(p.xpath("./w:pPr/w:keepNext")))
        for p in body_paragraphs(word)
        if (style_name(word, p) or "").startswith("Heading ")
    ]
    assert drawn == [(h.text, f"Heading {h.level}", True) for h in headings]
    for level in range(1, 5):
        assert word.styles[f"Heading {level}"].paragraph_format.keep_with_next
        assert word.styles[f"Heading {level}"].font.size == Pt(THEME.heading_size(level))


def test_title_block_comes_first(word, model):
    (title_block,) = [block for block in model.blocks if isinstance(block, TitleBlock)]
    drop, *paragraphs = body_paragraphs(word)  # an empty paragraph sets the cover's title block lower
    assert paragraph_text(drop) == "" and drop.xpath("./w:pPr/w:spacing/@w:line") == [str(round(design.COVER_DROP * 20))]
    assert drop.xpath("./w:pPr/w:spacing/@w:lineRule") == ["exact"]
    assert (paragraph_text(paragraphs[0]), style_name(word, paragraphs[0])) == (title_block.title, "Title")
    assert (paragraph_text(paragraphs[1]), style_name(word, paragraphs[1])) == (title_block.subtitle, "Subtitle")
    fields = [paragraph_text(p) for p in paragraphs[2 : 2 + len(title_block.fields)]]
    assert fields == [f"{field.label}: {field.text}" for field in title_block.fields]


def test_contents_is_a_toc_field_after_the_title_block(word, model):
    texts = [paragraph_text(p) for p in body_paragraphs(word)]
    contents = texts.index("Contents")
    title_block = model.blocks[0]
    assert contents == 3 + len(title_block.fields)  # the cover's drop, title, subtitle, fields
    contents_style = word.styles[style_name(word, body_paragraphs(word)[contents])]
    assert not contents_style.name.startswith("Heading")
    assert contents_style.element.xpath("string(./w:pPr/w:outlineLvl/@w:val)") == "9"  # body text: not listed
    instructions = [" ".join(t.split()) for t in word.element.body.xpath(".//w:instrText/text()")]
    assert 'TOC \\o "1-4" \\h \\z \\u' in instructions
    kinds = word.element.body.xpath(".//w:fldChar/@w:fldCharType")
    assert kinds[:2] == ["begin", "separate"] and "end" in kinds
    first_heading = next(i for i, p in enumerate(body_paragraphs(word)) if style_name(word, p) == "Heading 1")
    toc_field = word.element.body.xpath(".//w:instrText[contains(., 'TOC')]")[0]
    assert body_paragraphs(word).index(next(toc_field.iterancestors(qn("w:p")))) < first_heading


def test_contents_lists_headings_linked_to_their_bookmarks(word, model):
    pages = heading_pages(model, THEME)  # the cached entries carry the pages of our own layout
    headings = [(i, block) for i, block in enumerate(model.blocks) if isinstance(block, Heading) and block.level <= 4]
    entries = [p for p in body_paragraphs(word) if (style_name(word, p) or "").startswith("toc ")]
    assert [paragraph_text(p) for p in entries] == [f"{h.text}\t{pages[i]}" for i, h in headings]
    bookmarks = dict(zip(word.element.body.xpath(".//w:bookmarkStart/@w:name"),
                         (paragraph_text(p) for p in word.element.body.xpath(".//w:p[w:bookmarkStart]"))))
    for entry in entries:
        anchor = entry.xpath("string(./w:hyperlink/@w:anchor)")
        assert bookmarks[anchor] == paragraph_text(entry).split("\t")[0]


def test_contents_without_headings_keeps_the_field(model):
    no_headings = replace(model, blocks=tuple(b for b in model.blocks if not isinstance(b, Heading)))
    word = open_docx(render(no_headings, OPTIONS))
    assert word.element.body.xpath(".//w:instrText[contains(., 'TOC')]")
    assert "Contents" in [paragraph_text(p) for p in body_paragraphs(word)]


def test_paragraphs_bullets_and_missing_sentence(word, model):
    paragraphs = body_paragraphs(word)
    texts = [paragraph_text(p) for p in paragraphs]
    for block in model.blocks:
        if isinstance(block, Paragraph):
            p = paragraphs[texts.index(block.text)]
            runs = p.xpath(".//w:r[w:t]")
            assert all(run_flag_on(run, "w:i") == block.missing for run in runs)
            assert all((run_color(run) == THEME.missing_color) == block.missing for run in runs)
    bullets = [paragraph_text(p) for p in paragraphs if style_name(word, p) == "List Bullet"]
    assert bullets == ["first point", "second <i>point</i> & more"]


def test_plain_text_prints_literally(data):
    texts = read_paragraphs(data)
    assert "Plain text prints literally: <b>bold?</b> & =SUM(A1) and [brackets]." in texts
    cells = [text for table in read_tables(data) for row in table for text in row]
    assert "Statutorily excluded <b> & not a benefit" in cells
    assert "=SUM(A1:A2) stays text" in cells
    assert "Distinct procedural service ≤ ≥ ± µ é ’ “ ” – —" in cells


def test_unknown_block_is_refused(model):
    class Figure:
        pass

    with pytest.raises(TypeError, match="Figure"):
        render(replace(model, blocks=model.blocks + (Figure(),)), OPTIONS)


# ---------------------------------------------------------------- page, header, footer


def test_us_letter_page(word):
    section = word.sections[0]
    assert (section.page_width, section.page_height) == (Inches(8.5), Inches(11))
    assert Inches(0.5) <= section.left_margin <= Inches(1.25)
    assert section.left_margin == section.right_margin


def test_running_header_and_page_x_of_y_footer(word, model):
    section = word.sections[0]
    assert [paragraph_text(p) for p in section.header._element.xpath("./w:p")] == [model.metadata.title]
    footer = section.footer._element
    instructions = [t.strip() for t in footer.xpath(".//w:instrText/text()")]
    assert instructions == ["PAGE", "NUMPAGES"]
    text = paragraph_text(footer.xpath("./w:p")[0])
    assert text == f"Version {model.metadata.version} · As of {model.metadata.as_of.isoformat()} · Page 1 of 1"


# ---------------------------------------------------------------- package


def test_core_properties(word, model):
    props = word.core_properties
    meta = model.metadata
    assert props.title == meta.title
    assert props.subject == meta.subject
    assert props.author == meta.author
    assert props.last_modified_by == meta.author
    assert props.keywords == ", ".join(meta.keywords)
    assert props.created == props.modified == props.last_printed == TIMESTAMP
    assert props.revision == 1


def test_core_properties_without_author(model):
    anonymous = replace(model, metadata=replace(model.metadata, author=None))
    props = open_docx(render(anonymous, OPTIONS)).core_properties
    assert props.author == "" and props.last_modified_by == ""


def test_overlong_properties_are_shortened_not_refused(model):
    keywords = tuple(f"keyword number {n}" for n in range(40))
    wordy = replace(model, metadata=replace(model.metadata, keywords=keywords, subject="s" * 300))
    props = open_docx(render(wordy, OPTIONS)).core_properties
    assert len(props.keywords) == len(props.subject) == 255
    assert props.keywords.startswith("keyword number 0, keyword number 1, ") and props.keywords.endswith("…")


def test_markup_and_line_ends_in_properties_read_back_as_given(model):
    # The core properties part is written as text: escaping is ours, and a carriage return survives.
    odd = replace(model.metadata, title="A & <B> \"quoted\"", subject="first\r\nsecond", version="2.0 <draft>")
    props = open_docx(render(replace(model, metadata=odd), OPTIONS)).core_properties
    assert (props.title, props.subject, props.comments, props.version) == (odd.title, odd.subject, odd.subject, odd.version)
    assert (props.category, props.identifier, props.language) == ("Billing-code report", odd.code, "en-US")


def test_non_utc_timestamp_is_written_as_utc(model):
    local = TIMESTAMP.astimezone(timezone(timedelta(hours=-5)))
    props = open_docx(render(model, RenderOptions(local))).core_properties
    assert props.created == TIMESTAMP


def test_no_library_fingerprint_anywhere(data):
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in package.namelist():
            assert b"python-docx" not in package.read(name).lower(), name
        assert not any(name.startswith("docProps/thumbnail") for name in package.namelist())


def test_zip_entries_carry_the_pinned_time(data):
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        stamps = {info.date_time for info in package.infolist()}
    assert stamps == {(2026, 11, 26, 14, 30, 4)}  # zip times have 2-second resolution


def test_rendering_is_byte_identical(model, data):
    time.sleep(1.1)  # a wall-clock second later: nothing may depend on "now"
    assert render(model, OPTIONS) == data
    assert render_format("docx", sample_document(), OPTIONS) == data


def test_a_render_in_another_theme_leaves_no_trace(model, data):
    # The styles are set up once per theme and copied into each document.
    other = RenderOptions(TIMESTAMP, replace(THEME, brand_color="7A1F5C", body_font_size=THEME.body_font_size + 1))
    branded = open_docx(render(model, other))
    assert branded.styles["Normal"].font.size == Pt(THEME.body_font_size + 1)
    assert render(model, OPTIONS) == data


def test_style_ids_written_directly_name_the_intended_styles(word):
    assert {name: word.styles[name].style_id for name in STYLE_IDS} == STYLE_IDS


def test_timestamp_changes_the_bytes(model, data):
    assert render(model, RenderOptions(TIMESTAMP + timedelta(days=1))) != data


def test_missing_sentence_comes_from_the_model(data):
    # Guards the sample itself: the checks above mean something only if MISSING is drawn.
    assert MISSING in read_paragraphs(data)


def test_the_logo_paragraph_is_as_tall_as_the_logo(model):
    """The body style's exact leading would clip an inline picture to one line's height."""
    from generator.pipeline.build import writer_theme
    from generator.spec.theme import load_theme

    theme = writer_theme(load_theme(Path(__file__).parent / "fixtures" / "branding" / "theme.yaml"))
    word = open_docx(render(model, RenderOptions(TIMESTAMP, theme)))
    (logo,) = [p for p in body_paragraphs(word) if p.xpath(".//w:drawing")]
    assert logo.xpath("string(./w:pPr/w:spacing/@w:lineRule)") == "auto"
    assert word.inline_shapes[0].height == Pt(theme.logo.fitted(theme.logo_max_width, theme.logo_max_height)[1])
