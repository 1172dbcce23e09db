"""One layout per build: the DOCX's contents and the PDF read the same laid-out pages."""

from __future__ import annotations

import sys
from datetime import datetime, timezone

import pytest

from generator.document.compose import compose
from generator.spec import load_spec
from generator.writers import RenderOptions, render
from generator.writers.pdf.boxes import Anchor
from generator.writers.pdf.flow import heading_index
from generator.writers.pdf.layout import heading_pages
from tests.built import SPECS

layout_module = sys.modules["generator.writers.pdf.layout"]
OPTIONS = RenderOptions(timestamp=datetime(2026, 11, 26, tzinfo=timezone.utc))


@pytest.fixture
def counted(monkeypatch):
    """The documents actually laid out (not answered from the kept result), in order."""
    laid_out = []
    real = layout_module._layout

    def counting(document, theme):
        laid_out.append(document)
        return real(document, theme)

    monkeypatch.setattr(layout_module, "_layout", counting)
    monkeypatch.setattr(layout_module, "_last", None)
    return laid_out


@pytest.mark.parametrize("order", [("docx", "pdf", "xlsx"), ("pdf", "docx", "xlsx")], ids=["docx-first", "pdf-first"])
def test_a_build_lays_its_document_out_once_whichever_format_comes_first(counted, order):
    document = compose(load_spec(SPECS[0]).spec)
    payloads = {fmt: render(fmt, document, OPTIONS) for fmt in order}
    assert counted == [document]
    assert layout_module._last.pages is None  # the PDF took the pages over; only the page numbers are kept
    fresh = compose(load_spec(SPECS[0]).spec)  # an equal document, another object: laid out anew
    assert render("pdf", fresh, OPTIONS) == payloads["pdf"] and counted == [document, fresh]


def test_the_docx_contents_print_the_pages_the_pdf_puts_the_headings_on(counted):
    document = compose(load_spec(SPECS[0]).spec)
    numbers = heading_pages(document, OPTIONS.theme)
    layout_module._last = None  # forget: the PDF's own layout must agree
    pages = layout_module.layout(document, OPTIONS.theme)
    anchors = {box.key: page.number for page in pages for box in page.boxes if isinstance(box, Anchor)}
    assert numbers and numbers == {heading_index(key): number for key, number in anchors.items()}
    assert len(counted) == 2


def test_another_theme_is_laid_out_again(counted):
    from dataclasses import replace

    document = compose(load_spec(SPECS[0]).spec)
    bigger = replace(OPTIONS.theme, body_font_size=OPTIONS.theme.body_font_size + 3)
    heading_pages(document, OPTIONS.theme)
    heading_pages(document, bigger)
    heading_pages(document, OPTIONS.theme)
    assert len(counted) == 3  # each change of theme lays the document out again
    heading_pages(document, OPTIONS.theme)
    assert len(counted) == 3  # the same document and theme again: the kept result


def test_a_forked_build_lays_the_document_out_once_before_the_fork(tmp_path, monkeypatch):
    import os

    from generator.pipeline import parallel

    assert parallel.fork_is_safe()  # else this would pass without forking
    log = tmp_path / "laid-out"
    real = layout_module._layout

    def logging(document, theme):
        with open(log, "a", encoding="utf-8") as out:
            out.write(f"{os.getpid()}\n")
        return real(document, theme)

    monkeypatch.setattr(layout_module, "_layout", logging)
    monkeypatch.setattr(layout_module, "_last", None)
    document = compose(load_spec(SPECS[0]).spec)
    forked = parallel.render_formats(document, OPTIONS, ("docx", "pdf", "xlsx"), workers=2)
    assert log.read_text(encoding="utf-8").split() == [str(os.getpid())]  # here, once; the DOCX's child reused it
    monkeypatch.setattr(layout_module, "_last", None)
    assert forked == parallel.render_formats(document, OPTIONS, ("docx", "pdf", "xlsx"), workers=1)
