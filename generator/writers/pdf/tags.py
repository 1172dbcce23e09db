"""The structure tree of the tagged PDF (PDF/UA-1), built from the layout result alone.

Every run of boxes with a tag becomes a marked-content sequence with an MCID, a kid of the
structure element its tag names; runs without a tag (running header and footer, rules,
fills, leader dots) are artifacts. Elements are made the first time a tag is met, in page
order, so the tree's order is the reading order, and a table or cell that continues on the
next page stays one element. Drawing asks only what opens each run; `write` puts the tree,
its ParentTree and the catalog entries a tagged PDF needs into the canvas's document.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from reportlab.pdfbase.pdfdoc import PDFString
from reportlab.pdfgen.canvas import Canvas

from generator.document.model import Table
from generator.writers.pdf import reportlab_objects
from generator.writers.pdf.boxes import Graphic, Link, Page, Picture, Tag, runs
from generator.writers.pdf.reportlab_objects import Indirect

ARTIFACT = "/Artifact BMC"


@dataclass(eq=False, slots=True)
class Element:
    """A structure element of the tagged PDF: its role, parent, kids and attributes."""

    role: str
    parent: Element | None
    kids: list = field(default_factory=list)  # Element, (page number, MCID), or a Link box
    attributes: dict = field(default_factory=dict)


@dataclass
class Tagging:
    """The structure tree of a laid-out document and what drawing needs from it."""

    root: Element
    runs: dict[int, list[tuple[str, list]]]  # page number -> (the operator opening it, its boxes) per run, in drawing order
    marked: dict[int, list[Element]]  # page number -> the element of each MCID, in MCID order
    links: dict[int, tuple[Element, int, int]]  # id(link box) -> (its Link element, StructParent key, page number)
    annotations: dict[int, object] = field(default_factory=dict)  # id(link box) -> its annotation

    def struct_parent(self, box: Link) -> int:
        return self.links[id(box)][1]

    def annotated(self, box: Link, annotation: object) -> None:
        self.annotations[id(box)] = annotation


def build(pages: list[Page]) -> Tagging:
    root = Element("Document", None)
    elements: dict[Tag, Element] = {(): root}
    tagging = Tagging(root, {}, {}, {})
    for page in pages:
        marked = tagging.marked[page.number] = []
        opened = tagging.runs[page.number] = []
        for tag, run in runs(page.boxes):
            if tag is None:
                opened.append((ARTIFACT, run))
                continue
            element = _element(tag, elements)
            _describe(element, run)
            element.kids.append((page.number, len(marked)))
            opened.append((f"/{element.role} <</MCID {len(marked)}>> BDC", run))
            marked.append(element)
        for box in page.boxes:
            if isinstance(box, Link):
                element = _element(box.tag, elements)
                element.kids.append(box)
                tagging.links[id(box)] = element, len(pages) + len(tagging.links), page.number
    return tagging


def _element(tag: Tag, elements: dict[Tag, Element]) -> Element:
    """The element a tag names, made (with any missing ancestors) the first time it is met."""
    element = elements.get(tag)
    if element is None:
        parent = _element(tag[:-1], elements)
        element = elements[tag] = Element(tag[-1][0], parent)
        parent.kids.append(element)
        if element.role == "TH":
            element.attributes["A"] = {"O": "/Table", "Scope": "/Column"}
    return element


def _describe(element: Element, run: list) -> None:
    """Attributes only the boxes know: a figure's text alternative, a cell spanning the table."""
    first = run[0]
    if isinstance(first, (Picture, Graphic)):
        element.attributes["Alt"] = PDFString(first.alt)
    elif element.role == "TD" and isinstance(getattr(first, "node", None), Table) and "A" not in element.attributes:
        span = len(first.node.columns)  # the one cell of an empty table, across every column
        element.attributes["A"] = {"O": "/Table", "ColSpan": span}


def write(tagging: Tagging, canvas: Canvas) -> None:
    """The structure tree, its ParentTree, each page's StructParents and the catalog's marks
    (the language, with the other document properties, is the archival step's: archival.py).

    A report has hundreds to thousands of elements: each is numbered first and then written
    as bytes at once (reportlab_objects.Prewritten), rather than formatted value by value."""
    pages = reportlab_objects.pages(canvas)
    ref = functools.partial(reportlab_objects.reference, canvas)
    root = Indirect({"Type": "/StructTreeRoot"})
    root_ref = ref(root)
    order = list(_preorder(tagging.root))
    objects = {id(element): reportlab_objects.Prewritten() for element in order}
    refs = {key: ref(made) for key, made in objects.items()}  # numbered in reading order
    page_refs = [ref(page) for page in pages]

    def kid_of(kid, home: int | None) -> bytes:
        if isinstance(kid, Element):
            return refs[id(kid)]
        if isinstance(kid, Link):
            page = page_refs[tagging.links[id(kid)][2] - 1]
            return b"<</Type /OBJR /Obj " + ref(tagging.annotations[id(kid)]) + b" /Pg " + page + b">>"
        number, mcid = kid
        return b"%d" % mcid if number == home else b"<</Type /MCR /Pg " + page_refs[number - 1] + b" /MCID %d>>" % mcid

    for element in order:
        parts = [b"<</Type /StructElem /S /", element.role.encode("ascii"), b" /P ",
                 root_ref if element.parent is None else refs[id(element.parent)]]
        home = next((kid[0] for kid in element.kids if isinstance(kid, tuple)), None)
        if home is not None:  # MCIDs on this page stand as bare numbers
            parts += (b" /Pg ", page_refs[home - 1])
        kids = [kid_of(kid, home) for kid in element.kids]
        parts += (b" /K ", kids[0] if len(kids) == 1 else b"[" + b" ".join(kids) + b"]")  # one kid stands alone, as readers expect
        for key, value in element.attributes.items():
            parts += (b" /", key.encode("ascii"), b" ", reportlab_objects.serial(canvas, value))
        parts.append(b">>")
        objects[id(element)].data = b"".join(parts)
    root.entries["K"] = objects[id(tagging.root)]
    nums: list = []
    for number, marked in sorted(tagging.marked.items()):
        nums += [number - 1, [objects[id(element)] for element in marked]]
        reportlab_objects.set_page_entries(pages[number - 1], StructParents=number - 1, Tabs="/S")
    for element, key, _ in sorted(tagging.links.values(), key=lambda link: link[1]):
        nums += [key, objects[id(element)]]
    root.entries["ParentTree"] = Indirect({"Nums": nums})
    root.entries["ParentTreeNextKey"] = len(pages) + len(tagging.links)
    canvas.setCatalogEntry("StructTreeRoot", root)
    canvas.setCatalogEntry("MarkInfo", Indirect({"Marked": True}))
    canvas.setViewerPreference("DisplayDocTitle", "true")


def _preorder(root: Element):
    """The elements below and with `root`, each before its kids, in reading order."""
    stack = [root]
    while stack:
        element = stack.pop()
        yield element
        stack.extend(reversed([kid for kid in element.kids if isinstance(kid, Element)]))
