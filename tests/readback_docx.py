"""Read a DOCX back the way a person sees it: tables, body paragraphs, hyperlinks.

Independent of the writer: it knows only WordprocessingML and python-docx's
package layer, so tests of any format can compare what was drawn with the model.
Text is gathered from the runs' w:t (and w:tab, w:br) in document order,
including runs inside w:hyperlink, which some python-docx versions skip.
"""

from __future__ import annotations

import io

import docx
from docx.oxml.ns import qn
from tests.readback_cache import by_bytes

# Visible run content, in document order: text, tabs, line breaks. Field
# instructions (w:instrText) and deleted text (w:delText) are not displayed.
_RUN_CONTENT = ".//w:r/w:t | .//w:r/w:tab | .//w:r/w:br | .//w:r/w:cr | .//w:r/w:noBreakHyphen"
_VISIBLE = {qn("w:tab"): "\t", qn("w:br"): "\n", qn("w:cr"): "\n", qn("w:noBreakHyphen"): "-"}


def open_docx(data: bytes):
    """The python-docx Document for `data`."""
    return docx.Document(io.BytesIO(data))


def paragraph_text(p) -> str:
    """The displayed text of one w:p (or w:hyperlink) element, hyperlinks included;
    text of paragraphs nested inside it (text boxes) is left to those paragraphs."""
    own = p if p.tag == qn("w:p") else _enclosing_paragraph(p)
    return "".join(
        _visible_text(element) for element in p.xpath(_RUN_CONTENT) if _enclosing_paragraph(element) is own
    )


def _enclosing_paragraph(element):
    return next(element.iterancestors(qn("w:p")), None)


def _visible_text(element) -> str:
    return element.text or "" if element.tag == qn("w:t") else _VISIBLE[element.tag]


def cell_text(tc) -> str:
    """The displayed text of one w:tc: its paragraphs joined by newlines."""
    return "\n".join(paragraph_text(p) for p in tc.xpath("./w:p"))


@by_bytes
def read_tables(data: bytes) -> list[list[list[str]]]:
    """Every top-level body table in order: rows (header row included) of cell texts.

    One string per w:tc, so a cell spanning several columns (gridSpan) appears once.
    """
    body = open_docx(data).element.body
    return [
        [[cell_text(tc) for tc in tr.xpath("./w:tc")] for tr in tbl.xpath("./w:tr")]
        for tbl in body.xpath("./w:tbl")
    ]


@by_bytes
def read_paragraphs(data: bytes) -> list[str]:
    """The text of every top-level body paragraph in order (tables left out), empty ones included."""
    body = open_docx(data).element.body
    return [paragraph_text(p) for p in body.xpath("./w:p")]


@by_bytes
def read_hyperlinks(data: bytes) -> dict[str, str]:
    """Displayed text -> URL of every external hyperlink in the body, tables included.

    Links to places inside the document (w:anchor, e.g. the contents) are left out.
    """
    document = open_docx(data)
    rels = document.part.rels
    return {
        paragraph_text(link): rels[link.get(qn("r:id"))].target_ref
        for link in document.element.body.iter(qn("w:hyperlink"))
        if link.get(qn("r:id"))
    }
