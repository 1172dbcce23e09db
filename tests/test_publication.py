"""Publication quality: the cover, the AMA notice, contents and body on pages of their own, the
payer table's landscape page, whole words in table cells (as LibreOffice lays the DOCX out) and
right-aligned numbers; on 89253 and on a fixture with long names, many payers and no client."""

from __future__ import annotations

import io
import re
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import pdfplumber
import pytest
from docx.oxml.ns import qn
from pypdf import PdfReader

from generator.document.compose import compose
from generator.document.model import CellKind, Document, Heading, Paragraph, Table, TitleBlock
from generator.document.packet import ReportRef, packet_document
from generator.spec import load_spec
from generator.writers import RenderOptions, design, render
from tests.built import ROOT, Built
from tests.office_tools import libreoffice_pdf
from tests.readback_docx import cell_text, open_docx, paragraph_text, read_hyperlinks, read_paragraphs
from tests.readback_pdf import read_links, read_page_texts
from tests.readback_xlsx import load, read_overview

REPORTS = [ROOT / "specs" / "89253.yaml", ROOT / "tests" / "fixtures" / "publication.yaml"]
TIMESTAMP = datetime(2026, 11, 26, 14, 30, 5, tzinfo=timezone.utc)
AMA = re.compile(r"CPT copyright 20\d\d American Medical Association\. All rights reserved\. "
                 r"CPT is a registered trademark of the American Medical Association\.")


def model(spec: Path) -> Document:
    return compose(load_spec(spec).spec)


def cover(document: Document) -> TitleBlock:
    """The title block: the first block of a report, the first after a packet's cover letter."""
    return next(block for block in document.blocks if isinstance(block, TitleBlock))


def body_paragraphs(data: bytes) -> list:
    return open_docx(data).element.body.xpath("./w:p | ./w:tbl")


def page_starts(element) -> bool:
    return bool(element.xpath("./w:pPr/w:pageBreakBefore")) or bool(element.xpath("preceding-sibling::*[1]/w:pPr/w:sectPr"))


@pytest.fixture(scope="module")
def laid_out(build_once: Built, tmp_path_factory: pytest.TempPathFactory):
    """spec -> LibreOffice's layout of its DOCX, as pdfplumber pages' words, one list per page."""
    cache: dict[Path, list[list[dict]]] = {}

    def lay_out(spec: Path) -> list[list[dict]]:
        if spec not in cache:
            pdf = libreoffice_pdf(build_once(spec)["docx"], ".docx", tmp_path_factory.mktemp("lo"))
            with pdfplumber.open(pdf) as document:
                cache[spec] = [page.extract_words() for page in document.pages]
        return cache[spec]

    return lay_out


# ---------------------------------------------------------------- the model


@pytest.mark.parametrize("spec", REPORTS, ids=lambda p: p.stem)
def test_the_cover_holds_no_missing_data_sentence_and_the_gaps_list_what_it_leaves_out(spec: Path) -> None:
    loaded = load_spec(spec).spec
    document = model(spec)
    block = cover(document)
    assert loaded.missing_text not in [field.text for field in block.fields]
    assert not any(field.missing for field in block.fields)
    labels = [field.label for field in block.fields]
    assert ("Prepared for" in labels) == (loaded.prepared_for is not None)
    assert ("Prepared by" in labels) == (loaded.prepared_by is not None)
    (gaps,) = [table for table in document.tables if table.id == "gaps"]
    cover_gaps = [row[2].text for row in gaps.rows if row[0].text == "Cover"]
    expected = [label for label, value in (("Descriptor", loaded.descriptor), ("Prepared for", loaded.prepared_for),
                                           ("Prepared by", loaded.prepared_by)) if value is None]
    assert cover_gaps == expected
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", dict((f.label, f.text) for f in block.fields)["As of"])


@pytest.mark.parametrize("spec", REPORTS, ids=lambda p: p.stem)
def test_the_ama_notice_comes_first_among_the_notices(spec: Path) -> None:
    notices = cover(model(spec)).notices
    assert notices and AMA.fullmatch(notices[0])
    assert notices[1:] == load_spec(spec).spec.notices


# ---------------------------------------------------------------- DOCX


@pytest.mark.parametrize("spec", REPORTS, ids=lambda p: p.stem)
def test_docx_cover_has_an_empty_running_header_and_footer(build_once: Built, spec: Path) -> None:
    word = open_docx(build_once(spec)["docx"])
    first = word.sections[0]
    assert first.different_first_page_header_footer
    assert [paragraph_text(p._p) for p in first.first_page_header.paragraphs] == [""]
    assert [paragraph_text(p._p) for p in first.first_page_footer.paragraphs] == [""]
    assert not first.first_page_header.is_linked_to_previous
    assert all(not section.different_first_page_header_footer for section in word.sections[1:])
    assert paragraph_text(first.header.paragraphs[0]._p)  # the other pages keep the running header


@pytest.mark.parametrize("spec", REPORTS, ids=lambda p: p.stem)
def test_docx_notices_contents_and_body_each_start_a_page(build_once: Built, spec: Path) -> None:
    document = model(spec)
    block = cover(document)
    elements = body_paragraphs(build_once(spec)["docx"])
    texts = [paragraph_text(e) if e.tag == qn("w:p") else None for e in elements]
    notice_at = texts.index(block.notices[0])
    assert page_starts(elements[notice_at])
    assert texts[notice_at : notice_at + len(block.notices)] == list(block.notices)
    cover_texts = [t for t in texts[:notice_at] if t]
    assert cover_texts[0] == block.title and document.blocks[1] != block  # the cover comes first
    assert not any(document.metadata.title != t and "Data not available" in t for t in cover_texts)
    assert not any(page_starts(e) for e in elements[1:notice_at])  # the cover is one page
    contents_at = texts.index("Contents")
    assert page_starts(elements[contents_at]) and contents_at == notice_at + len(block.notices)
    first_heading = next(b for b in document.blocks if isinstance(b, Heading))
    heading_at = texts.index(first_heading.text, contents_at + 1 + len([b for b in document.blocks if isinstance(b, Heading)]))
    assert page_starts(elements[heading_at])


@pytest.mark.parametrize("spec", REPORTS, ids=lambda p: p.stem)
def test_docx_payer_table_has_a_landscape_section_of_its_own(build_once: Built, spec: Path) -> None:
    body = open_docx(build_once(spec)["docx"]).element.body
    sections = body.xpath(".//w:sectPr")
    orientations = [s.xpath("string(./w:pgSz/@w:orient)") or "portrait" for s in sections]
    assert orientations == ["portrait", "landscape", "portrait"]
    payers = next(t for t in model(spec).tables if t.id == "payers")
    tables = body.xpath("./w:tbl")
    turned = [t for t in tables if t.xpath("following::w:sectPr[1]")[0] is sections[1]]
    assert len(turned) == 1
    assert [cell_text(tc) for tc in turned[0].xpath("./w:tr[1]/w:tc")] == [c.header for c in payers.columns]
    size = sections[1].xpath("./w:pgSz")[0]
    assert int(size.get(qn("w:w"))) > int(size.get(qn("w:h")))


@pytest.mark.parametrize("spec", REPORTS, ids=lambda p: p.stem)
def test_docx_numbers_and_their_headers_are_right_aligned(build_once: Built, spec: Path) -> None:
    tables = open_docx(build_once(spec)["docx"]).element.body.xpath("./w:tbl")
    checked = 0
    for tbl, table in zip(tables, model(spec).tables):
        numeric = table.numeric_columns()
        rows = tbl.xpath("./w:tr")
        for index, tc in enumerate(rows[0].xpath("./w:tc")):
            aligned = tc.xpath("string(./w:p/w:pPr/w:jc/@w:val)")
            assert (aligned == "right") == (index in numeric), (table.id, index)
        for tr, cells in zip(rows[1:], table.rows):
            for tc, cell in zip(tr.xpath("./w:tc"), cells):
                aligned = tc.xpath("string(./w:p/w:pPr/w:jc/@w:val)")
                assert (aligned == "right") == (cell.kind is CellKind.NUMBER), cell
                checked += cell.kind is CellKind.NUMBER
    assert checked


# ---------------------------------------------------------------- XLSX


@pytest.mark.parametrize("spec", REPORTS, ids=lambda p: p.stem)
def test_xlsx_overview_shows_the_cover_fields_and_notices(build_once: Built, spec: Path) -> None:
    block = cover(model(spec))
    rows = read_overview(build_once(spec)["xlsx"])
    pairs = [tuple(row[:2]) for row in rows if len(row) >= 2]
    for field in block.fields:
        assert (field.label, field.text) in pairs
    assert [text for label, text in pairs if label == "Notice"] == list(block.notices)
    assert not any("Data not available" in cell for row in rows[: len(block.fields) + 4] for cell in row)


# ---------------------------------------------------------------- LibreOffice's layout of the DOCX


# Where a line may end inside a word: after a hyphen between lower-case letters (a compound,
# "price-transparency") or after an en dash ("1.13–1.68"). Never in a date or a code.
_LINE_END_IN_WORD = re.compile(r"(?<=[a-z]-)(?=[a-z])|(?<=\u2013)")


def word_pieces(text: str) -> list[str]:
    return [piece for word in text.replace("\u2011", "-").split() for piece in _LINE_END_IN_WORD.split(word) if piece]


@pytest.mark.parametrize("spec", REPORTS, ids=lambda p: p.stem)
def test_libreoffice_breaks_no_word_of_a_table_cell(laid_out, spec: Path) -> None:
    """Every word of every cell is found whole on the laid-out pages, as often as the cells hold it
    (a word cut at a line end, "UnitedHealthcar" + "e" or "2026-" + "01-01", would be missing)."""
    drawn = Counter(piece for page in laid_out(spec) for word in page for piece in word_pieces(word["text"]))
    wanted: Counter[str] = Counter()
    for table in model(spec).tables:
        texts = [c.header for c in table.columns] + [cell.text for row in table.rows for cell in row]
        wanted.update(piece for text in texts for piece in word_pieces(text))
    broken = {word: (count, drawn[word]) for word, count in wanted.items() if drawn[word] < count}
    assert not broken


@pytest.mark.parametrize("spec", REPORTS, ids=lambda p: p.stem)
def test_libreoffice_shows_no_running_header_on_the_cover(laid_out, spec: Path) -> None:
    document = model(spec)
    pages = [" ".join(word["text"] for word in page) for page in laid_out(spec)]
    footer = f"Page 1 of {len(pages)}"
    assert footer not in pages[0] and "Data not available" not in pages[0]
    assert document.blocks[0].title.split()[0] in pages[0]
    assert "American Medical Association" in pages[1]
    assert pages[2].startswith(f"{document.metadata.title} Contents") or " Contents " in f" {pages[2]} "
    assert f"Page 2 of {len(pages)}" in pages[1]


# ---------------------------------------------------------------- links inside text


def text_urls(document: Document) -> set[str]:
    """Every URL the model found inside paragraphs, bullets and cells (not whole-cell links)."""
    found = set()
    for block in document.blocks:
        if isinstance(block, Paragraph):
            found.update(block.text[s.start : s.end] for s in block.spans)
        elif isinstance(block, Table):
            found.update(c.text[s.start : s.end] for row in block.rows for c in row if not c.link for s in c.spans)
    return found


def test_urls_inside_text_are_found_without_their_trailing_punctuation() -> None:
    urls = text_urls(model(REPORTS[1]))
    assert urls == {"https://www.example.com/policies/infertility-services-2026.pdf", "https://www.example.org/provider/standards/"}


@pytest.mark.parametrize("spec", REPORTS, ids=lambda p: p.stem)
def test_docx_links_every_url_inside_text_to_itself(build_once: Built, spec: Path) -> None:
    links = read_hyperlinks(build_once(spec)["docx"])
    for url in text_urls(model(spec)):
        assert links.get(url) == url


def test_xlsx_links_a_cell_with_a_url_in_its_text_to_that_url(build_once: Built) -> None:
    sheet = load(build_once(REPORTS[1])["xlsx"])["Payer Coverage"]
    notes = [cell for row in sheet.iter_rows(min_row=2) for cell in row if cell.value and "https://" in str(cell.value)]
    assert notes
    for cell in notes:
        assert cell.hyperlink is not None and cell.hyperlink.target in str(cell.value)
        assert cell.value.startswith(cell.value.split("https://")[0])  # the text stays as typed


# ---------------------------------------------------------------- packets


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "pdf"])
def test_every_packet_carries_the_ama_notice(fmt: str) -> None:
    spec = load_spec(REPORTS[0]).spec
    notice = cover(model(REPORTS[0])).notices[0]
    for index in range(len(spec.payers)):
        packet = packet_document(spec, index, ReportRef("89253.pdf", "0" * 64), TIMESTAMP.date())
        assert notice in cover(packet).notices
        data = render(fmt, packet, RenderOptions(TIMESTAMP))
        if fmt == "docx":
            assert notice in read_paragraphs(data)
        elif fmt == "xlsx":
            assert ["Notice", notice] in [row[:2] for row in read_overview(data)]
        else:
            assert notice in " ".join(" ".join(page.split()) for page in read_page_texts(data))


# ---------------------------------------------------------------- the PDF, and the DOCX against it


def pdf_pages(data: bytes) -> list[str]:
    return [" ".join(page.split()) for page in read_page_texts(data)]


@pytest.mark.parametrize("spec", REPORTS, ids=lambda p: p.stem)
def test_pdf_cover_notices_and_contents_pages(build_once: Built, spec: Path) -> None:
    document = model(spec)
    block = cover(document)
    pages = pdf_pages(build_once(spec)["pdf"])
    assert pages[0].startswith(block.title) and "Page 1 of" not in pages[0]  # no running header or footer
    assert "Data not available" not in pages[0]
    assert pages[1].startswith(document.metadata.title) and " ".join(block.notices) in pages[1]
    assert f"{document.metadata.title} Contents " in pages[2]


@pytest.mark.parametrize("spec", REPORTS, ids=lambda p: p.stem)
def test_the_cover_title_block_is_set_lower_on_the_page_in_pdf_and_docx(build_once: Built, spec: Path) -> None:
    title = cover(model(spec)).title.split()[0]
    with pdfplumber.open(io.BytesIO(build_once(spec)["pdf"])) as pdf:
        first = next(word for word in pdf.pages[0].extract_words() if word["text"] == title)
    assert first["top"] >= design.TOP_BOTTOM_MARGIN + design.COVER_DROP  # below the drop, not at the top margin
    assert first["top"] <= design.TOP_BOTTOM_MARGIN + design.COVER_DROP + 40  # the masthead's room, no more
    body = open_docx(build_once(spec)["docx"]).element.body
    drop = body.xpath("./w:p")[0]
    assert paragraph_text(drop) == "" and drop.xpath("./w:pPr/w:spacing/@w:line") == [str(round(design.COVER_DROP * 20))]


@pytest.mark.parametrize("spec", REPORTS, ids=lambda p: p.stem)
def test_pdf_payer_table_is_on_landscape_pages(build_once: Built, spec: Path) -> None:
    reader = PdfReader(io.BytesIO(build_once(spec)["pdf"]))
    texts = pdf_pages(build_once(spec)["pdf"])
    turned = [i for i, page in enumerate(reader.pages) if page.mediabox.width > page.mediabox.height]
    assert turned and turned == list(range(turned[0], turned[-1] + 1))
    payers = next(t for t in model(spec).tables if t.id == "payers")
    assert " ".join(c.header for c in payers.columns) in texts[turned[0]]
    assert payers.rows[-1][0].text.split()[0] in texts[turned[-1]]
    assert all(" ".join(c.header for c in payers.columns) not in texts[i] for i in range(len(texts)) if i not in turned)


def docx_toc(data: bytes) -> list[tuple[str, int]]:
    word = open_docx(data)
    entries = [p for p in word.element.body.xpath("./w:p") if p.xpath("string(./w:pPr/w:pStyle/@w:val)").startswith("TOC")
               and p.xpath("string(./w:pPr/w:pStyle/@w:val)") != "TOCHeading"]
    return [(text.split("\t")[0], int(text.split("\t")[1])) for text in map(paragraph_text, entries)]


def pdf_contents(data: bytes, titles: list[str]) -> list[tuple[str, int]]:
    (page,) = [p for p in read_page_texts(data) if "Contents" in p.splitlines()[:3]]
    lines = [line.strip() for line in page.splitlines()]
    found = []
    for title in titles:
        line = next(line for line in lines if line.startswith(title) and line.rstrip(" .0123456789") != line)
        found.append((title, int(line.rsplit(" ", 1)[1])))
    return found


@pytest.mark.parametrize("spec", REPORTS, ids=lambda p: p.stem)
def test_docx_contents_carry_the_page_numbers_of_the_pdf_contents(build_once: Built, spec: Path) -> None:
    built = build_once(spec)
    toc = docx_toc(built["docx"])
    assert [title for title, _ in toc] == [b.text for b in model(spec).blocks if isinstance(b, Heading) and b.level <= 4]
    assert toc == pdf_contents(built["pdf"], [title for title, _ in toc])
    assert open_docx(built["docx"]).element.body.xpath(".//w:instrText[contains(., 'TOC \\o')]")  # still a real field


@pytest.mark.parametrize("spec", REPORTS, ids=lambda p: p.stem)
def test_libreoffice_lays_the_docx_out_on_as_many_pages_as_the_pdf_within_one(build_once: Built, laid_out, spec: Path) -> None:
    pdf = len(read_page_texts(build_once(spec)["pdf"]))
    assert abs(len(laid_out(spec)) - pdf) <= 1


@pytest.mark.parametrize("spec", REPORTS, ids=lambda p: p.stem)
def test_pdf_amounts_and_their_header_share_a_right_edge(build_once: Built, spec: Path) -> None:
    benchmarks = next(t for t in model(spec).tables if t.id == "benchmarks")
    numbers = {row[1].text for row in benchmarks.rows if row[1].kind is CellKind.NUMBER}
    assert numbers
    with pdfplumber.open(io.BytesIO(build_once(spec)["pdf"])) as pdf:
        for page in pdf.pages:
            words = page.extract_words()
            tops = {round(w["top"]) for w in words if w["text"] == "Metric"}  # the Benchmarks header row
            headers = [w for w in words if w["text"] == "Value" and round(w["top"]) in tops]
            for header in headers:  # the numbers under it (not the same digits elsewhere on the page)
                (x0, top, x1, bottom), = [t.bbox for t in page.find_tables() if t.bbox[1] <= header["top"] <= t.bbox[3]]
                below = [w["x1"] for w in words if w["text"] in numbers and top < w["top"] < bottom
                         and w["x0"] < header["x1"] and abs(w["x1"] - header["x1"]) < 40]
                assert below and max(below) - min(below) < 0.5 and abs(below[0] - header["x1"]) < 0.5


@pytest.mark.parametrize("spec", REPORTS, ids=lambda p: p.stem)
def test_pdf_links_every_url_inside_text(build_once: Built, spec: Path) -> None:
    assert text_urls(model(spec)) <= set(read_links(build_once(spec)["pdf"]))
