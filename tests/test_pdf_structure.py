"""The tagged PDF's structure tree, read back with pikepdf (the tree) and pdfplumber (the text of
each marked-content sequence), compared with the document model the PDF was drawn from."""

from __future__ import annotations

from collections import Counter

import io
from collections import defaultdict
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pikepdf
import pytest

from generator.document.compose import compose
from generator.document.model import BulletList, Document, Heading, Paragraph, Table
from generator.spec import load_spec
from generator.writers import RenderOptions, render
from tests.built import ROOT, Built
from tests.readback_pdf import read_links, read_marked_texts

STRUCTURE_SPECS = [ROOT / "specs" / "89253.yaml", ROOT / "tests" / "fixtures" / "other_code.yaml"]


class Tree:
    """A PDF's structure elements as (role, text, kids), the text of each from its marked content."""

    def __init__(self, data: bytes):
        self.pdf = pikepdf.open(io.BytesIO(data))
        self.page_numbers = {page.objgen: number for number, page in enumerate(self.pdf.pages)}
        self.texts: dict[tuple[int, int], str] = defaultdict(str, read_marked_texts(data))  # (page, MCID) -> its text
        self.marked_on_page: dict[int, set[int]] = defaultdict(set)
        self.annotations: set[tuple[int, int]] = set()  # objgen of every annotation a Link element holds
        self.root = self.element(self.pdf.Root.StructTreeRoot.K)

    def element(self, obj) -> dict:
        kids = obj.get("/K")
        kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
        found = {"role": str(obj.S)[1:], "obj": obj, "kids": [], "text": ""}
        for kid in kids:
            if isinstance(kid, int):  # an MCID on the element's own page
                page = self.page_numbers[obj.Pg.objgen]
                self.marked_on_page[page].add(kid)
                found["text"] += self.texts[(page, kid)]
                continue
            kind = kid.get("/Type")
            if kind == pikepdf.Name.MCR:
                page = self.page_numbers[kid.Pg.objgen]
                self.marked_on_page[page].add(int(kid.MCID))
                found["text"] += self.texts[(page, int(kid.MCID))]
            elif kind == pikepdf.Name.OBJR:
                self.annotations.add(kid.Obj.objgen)
            else:
                child = self.element(kid)
                found["kids"].append(child)
                found["text"] += child["text"]
        return found

    def all(self, role: str, under: dict | None = None) -> list[dict]:
        found = []
        for kid in (under or self.root)["kids"]:
            if kid["role"] == role:
                found.append(kid)
            found.extend(self.all(role, kid))
        return found


@pytest.fixture(scope="module", params=STRUCTURE_SPECS, ids=lambda path: path.stem)
def case(request: pytest.FixtureRequest, build_once: Built) -> tuple[Document, bytes, Tree]:
    spec: Path = request.param
    data = build_once(spec)["pdf"]
    return compose(load_spec(spec).spec), data, Tree(data)


def test_every_table_cell_is_a_td_in_reading_order_under_th_headers(case) -> None:
    document, _, tree = case
    tables = tree.all("Table")
    assert len(tables) == len(document.tables)  # a table split over pages is still one Table
    for table, element in zip(document.tables, tables):
        head, body = element["kids"]
        assert (head["role"], body["role"]) == ("THead", "TBody")
        (header_row,) = head["kids"]
        assert [(cell["role"], cell["text"].strip()) for cell in header_row["kids"]] == [("TH", c.header) for c in table.columns]
        for cell in header_row["kids"]:
            assert cell["obj"].A.Scope == pikepdf.Name.Column
        rows = [[(cell["role"], cell["text"].strip()) for cell in row["kids"]] for row in body["kids"]]
        assert rows == _expected_rows(table)  # a cell split over pages is still one TD


def _expected_rows(table: Table) -> list[list[tuple[str, str]]]:
    if not table.rows:
        return [[("TD", table.empty_text)]]
    return [[("TD", cell.text) for cell in row] for row in table.rows]


def test_headings_are_at_their_levels_in_document_order(case) -> None:
    document, _, tree = case
    found = [(kid["role"], kid["text"].strip()) for kid in tree.root["kids"] if kid["role"].startswith("H")]
    assert found == [(f"H{min(b.level, 6)}", b.text) for b in document.blocks if isinstance(b, Heading)]


def test_running_header_and_footer_are_not_in_the_tree(case) -> None:
    document, _, tree = case
    everything = tree.root["text"]
    assert "Page 1 of" not in everything and "As of " not in everything
    assert document.metadata.title in everything  # the title block, once
    assert everything.count(document.metadata.title) == 1  # not again from every page's header


def test_every_link_annotation_is_in_a_link_element(case) -> None:
    _, data, tree = case
    annotations = {
        annotation.objgen
        for page in tree.pdf.pages
        for annotation in page.get("/Annots") or []
        if annotation.Subtype == pikepdf.Name.Link
    }
    assert annotations and annotations == tree.annotations
    for link in tree.all("Link"):
        assert link["text"].strip()
    links, wanted = read_links(data), list(document_links(case[0]))
    assert set(links) == set(wanted) and len(links) >= len(wanted)  # a URL inside a wrapped text links on each line
    whole = Counter(cell.link for table in case[0].tables for row in table.rows for cell in row if cell.link)
    assert all(Counter(links)[url] >= count for url, count in whole.items())


def document_links(document: Document):
    """Every link the document asks for: linked cells, and the URLs inside cells, paragraphs and bullets."""
    for cell in (cell for table in document.tables for row in table.rows for cell in row):
        yield from (cell.link,) if cell.link else (cell.text[s.start : s.end] for s in cell.spans)
    for block in document.blocks:
        if isinstance(block, Paragraph):
            yield from (block.text[s.start : s.end] for s in block.spans)
        elif isinstance(block, BulletList):
            yield from (item[s.start : s.end] for item, spans in zip(block.items, block.spans) for s in spans)


def test_the_contents_is_a_toc_of_linked_entries(case) -> None:
    document, _, tree = case
    (toc,) = tree.all("TOC")
    headings = [b.text for b in document.blocks if isinstance(b, Heading)]
    assert [entry["kids"][0]["role"] for entry in toc["kids"]] == ["Link"] * len(headings)
    assert [entry["kids"][0]["text"].strip() for entry in toc["kids"]] == headings


def test_every_marked_content_sequence_belongs_to_one_element(case) -> None:
    _, _, tree = case
    marked = {(page, mcid) for page, mcids in tree.marked_on_page.items() for mcid in mcids}
    assert marked == set(tree.texts)  # every MCID with text on a page is in the tree, none twice
    numbers = tree.pdf.Root.StructTreeRoot.ParentTree.Nums
    for page in tree.pdf.pages:
        assert int(page.StructParents) in [int(numbers[i]) for i in range(0, len(numbers), 2)]
        assert page.Tabs == pikepdf.Name.S


def test_catalog_says_tagged_language_and_title(case) -> None:
    document, _, tree = case
    root = tree.pdf.Root
    assert root.MarkInfo.Marked is True
    assert str(root.Lang) == document.metadata.language == "en-US"
    assert root.ViewerPreferences.DisplayDocTitle is True


def test_the_spec_language_becomes_the_catalog_lang() -> None:
    document = compose(load_spec(STRUCTURE_SPECS[0]).spec)
    document = replace(document, metadata=replace(document.metadata, language="de-DE"))
    data = render("pdf", document, RenderOptions(timestamp=datetime(2026, 11, 26, tzinfo=timezone.utc)))
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert str(pdf.Root.Lang) == "de-DE"
