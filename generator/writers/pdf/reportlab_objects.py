"""Everything this writer asks of reportlab beyond its public API, in one place, and why.

reportlab's canvas keeps its PDF document private (`Canvas._doc`) and has no public way to
  - reach the page objects, which a tagged PDF must point at (a structure element's
    marked content lives on a page) and give /StructParents and /Tabs: PDFPage writes only
    the keys it lists (`__NoDefault__`), so the two are added to that list per page;
  - add an annotation of its own making: `linkURL` and `linkAbsolute` build theirs, and
    the latter refuses a /StructParent; a tagged link needs one, and its structure element
    must point back at the annotation object (`_addAnnotation`, `_bookmarkReference`).
Nothing else in this package touches a reportlab name that starts with an underscore (the
archival step, writers/pdfa.py, keeps its own such access: the file ID, the output intent).
(Checked against reportlab 5.1: pdfgen/canvas.py, pdfbase/pdfdoc.py.)
"""

from __future__ import annotations

from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfdoc import PDFCatalog, PDFString
from reportlab.pdfgen.canvas import Canvas

from generator.writers.pdfa import PRINT_FLAG  # PDF/A asks it of every annotation


class Indirect(PDFCatalog):
    """A dictionary written as an indirect object wherever it is referenced, as reportlab
    writes any PDFCatalog: structure elements point at each other (parent and kids).

    Its entries are plain Python: str for a name ("/TD"), int, list for an array, dict for a
    direct dictionary, and reportlab objects (a PDFString, another Indirect, a page). A
    report's tree has thousands of elements, so they are written here directly rather than
    through PDFDictionary and PDFArray, which cost several times as much per value.
    """

    def __init__(self, entries: dict):
        self.entries = entries

    def format(self, document) -> bytes:
        return _serial(self.entries, document)


def _serial(value, document) -> bytes:
    if isinstance(value, str):
        return value.encode("ascii")
    if isinstance(value, bool):
        return b"true" if value else b"false"
    if isinstance(value, int):
        return b"%d" % value
    if isinstance(value, list):
        return b"[" + b" ".join(_serial(item, document) for item in value) + b"]"
    if isinstance(value, dict):
        return b"<<" + b"".join(b"/%s %s" % (key.encode("ascii"), _serial(item, document)) for key, item in value.items()) + b">>"
    return pdfdoc.format(value, document)  # reportlab's own: a number, a string, a reference to an indirect object


def _document(canvas: Canvas):
    return canvas._doc


def pages(canvas: Canvas) -> list:
    """The page objects shown so far, first page first."""
    return _document(canvas).Pages.pages


def set_page_entries(page, **entries) -> None:
    for key, value in entries.items():
        setattr(page, key, value)
    page.__NoDefault__ = [*type(page).__NoDefault__, *entries]


def add_link(canvas: Canvas, rect: tuple[float, float, float, float], target: str, internal: bool, contents: str, struct_parent: int) -> Indirect:
    """A link annotation on the current page, to a URL or to a bookmark; returned for its OBJR."""
    annotation = Indirect({
        "Type": "/Annot", "Subtype": "/Link", "Rect": list(rect),
        "Border": [0, 0, 0], "F": PRINT_FLAG, "StructParent": struct_parent, "Contents": PDFString(contents),
    })
    if internal:
        annotation.entries["Dest"] = canvas._bookmarkReference(target)
    else:
        annotation.entries["A"] = {"Type": "/Action", "S": "/URI", "URI": PDFString(target)}
    canvas._addAnnotation(annotation)
    return annotation
