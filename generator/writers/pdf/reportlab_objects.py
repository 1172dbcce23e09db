"""Everything this writer asks of reportlab beyond its public API, in one place, and why.

reportlab's canvas keeps its PDF document private (`Canvas._doc`) and has no public way to
  - reach the page objects, which a tagged PDF must point at (a structure element's
    marked content lives on a page) and give /StructParents and /Tabs: PDFPage writes only
    the keys it lists (`__NoDefault__`), so the two are added to that list per page;
  - add an annotation of its own making: `linkURL` and `linkAbsolute` build theirs, and
    the latter refuses a /StructParent; a tagged link needs one, and its structure element
    must point back at the annotation object (`_addAnnotation`, `_bookmarkReference`);
  - write an object's bytes itself: the structure tree's thousands of elements are numbered
    first (the document's `Reference`, as its own writer does when it meets them) and written
    in one pass (Prewritten, `reference`), which needs the numbers the document assigned
    (`__InternalName__`, `idToObjectNumberAndVersion`);
  - encode text for the embedded TrueType faces without a text object per run: reportlab's
    documented way for such a "dynamic" font (`splitString` and `getSubsetInternalName`,
    see pdfbase/ttfonts.py) asks for that document, which only the canvas holds (TextEncoder);
  - embed the faces' subsets itself (`embed_faces`): reportlab makes each subset's TrueType file
    and its ToUnicode map anew and deflates both for every document (some 5 ms of a report's
    render), although they depend only on the subset's characters; here they are made once per
    process for each (face, subset) and the document's font objects written as reportlab's
    `TTFont.addObjects` writes them, which needs that method's view of the document (the
    face's per-document `state`, the `delayedFonts` list, the `BasicFonts` dictionary);
  - write the file's objects (`file_bytes`): reportlab's document formats each of some 600
    objects through a wrapper object, an encoding codec and a file collector (a quarter of
    a report's save); the objects whose bytes this writer makes itself (Prewritten,
    Indirect) are written here straight, and the rest by reportlab's own PDFIndirectObject,
    in the same order (pages and outline entries by `_page` and `_outline_entry`, in
    reportlab's own layout), so the file is the one reportlab would write, byte for byte, but
    for the pages' content streams: reportlab (`rl_config.useA85`, a setting for the whole
    process) writes them deflated and then ASCII85-encoded, a quarter larger and slower to
    write and to read; here each is deflated only (`page.Contents`, which a page makes from
    its `stream` only when it has none). The document's `format` is the step its GetPDFData
    hands over to, once the fonts, the info and the outline are ready; this replaces it for
    one document;
  - and, for PDF/A (archival.py): add /OutputIntents to the catalog (which writes only the keys
    it lists), seed the file ID (an MD5 reportlab seeds with its own clock), drop the empty
    /Trans every page gets, and give every annotation the print flag.
Nothing else in the project touches a reportlab name that starts with an underscore.
(Checked against reportlab 5.1: pdfgen/canvas.py, pdfbase/pdfdoc.py.)
"""

from __future__ import annotations

import functools
import hashlib
import zlib

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfdoc, pdfmetrics, ttfonts
from reportlab.pdfbase.pdfdoc import Annotation, PDFArray, PDFCatalog, PDFDictionary, PDFObject, PDFString
from reportlab.pdfgen.canvas import Canvas

PRINT_FLAG = 4  # annotation flag bit 3: PDF/A wants every annotation printed as it is shown


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


class Prewritten(PDFCatalog):
    """An indirect object whose bytes its maker writes, once it is numbered (`reference`):
    reportlab writes them as they are."""

    def __init__(self):
        self.data = b""

    def format(self, document) -> bytes:
        return self.data


_WRITTEN_HERE = (Indirect, Prewritten)
_PRINTABLE_ASCII = "".join(map(chr, range(32, 127)))


def reference(canvas: Canvas, value) -> bytes:
    """`n 0 R` for an object written on its own, numbering it now if it is not yet."""
    return _reference(value, _document(canvas))


def serial(canvas: Canvas, value) -> bytes:
    """A value as Indirect writes its entries (str a name, list an array, dict a dictionary...)."""
    return _serial(value, _document(canvas))


def _serial(value, document) -> bytes:
    kind = type(value)
    if kind is str:
        return value.encode("ascii")
    if kind is int:
        return b"%d" % value
    if kind is float:
        return fp_str(value).encode("ascii")  # as reportlab's format writes a number
    if kind is list:
        return b"[" + b" ".join([_serial(item, document) for item in value]) + b"]"
    if kind is dict:
        return b"<<" + b"".join([b"/" + key.encode("ascii") + b" " + _serial(item, document) for key, item in value.items()]) + b">>"
    if kind is bool:
        return b"true" if value else b"false"
    if isinstance(value, PDFObject) and hasattr(value, "__RefOnly__"):
        return _reference(value, document)
    return pdfdoc.format(value, document)  # reportlab's own: a number, a string


def _reference(value, document) -> bytes:
    """`n 0 R` for an object written on its own (a structure element, a page, an annotation),
    registered with the document the first time, as reportlab's format would; or for a
    reference reportlab made (a page's parent, an outline entry's links)."""
    name = value.name if type(value) is pdfdoc.PDFObjectReference else getattr(value, "__InternalName__", None)
    if name is None:
        document.Reference(value)
        name = value.__InternalName__
    return b"%d %d R" % document.idToObjectNumberAndVersion[name]


class TextEncoder:
    """Text as string operands of the embedded faces' subsets, one document's codes.

    reportlab gives each character of a TrueType face a one-byte code in a subset of 256 as
    the document first uses it; the codes are the document's, so an encoder serves one
    canvas. Each character's code is asked of reportlab once, and its operand form (escaped
    as a PDF literal string needs) kept: most texts are then one `str.translate`.

    The document's own characters beyond ASCII (`characters`) are coded first, in code-point
    order, in each face it draws with: a face's subsets then depend on which characters the
    document holds, not on where each is first drawn, so documents with the same characters
    share the subsets' files, which embed_faces makes once.
    """

    def __init__(self, canvas: Canvas, characters: frozenset[str]):
        self.document = _document(canvas)
        # Printable ASCII has its own codes in subset 0 (reportlab's "ASCII readable" subsets):
        # asking for them first costs nothing in the file and spares each its first slow lookup.
        self.first_coded = _PRINTABLE_ASCII + "".join(sorted(character for character in characters if ord(character) > 127))
        self.faces: dict[str, _FaceCodes] = {}

    def operands(self, font: str, text: str) -> list[tuple[str, str]]:
        """[(the subset's font resource name, "(the text's codes)"), ...] drawing `text` in `font`."""
        face = self.faces.get(font)
        if face is None:
            face = self.faces[font] = _FaceCodes(pdfmetrics.getFont(font), self.document)
            face.operands(self.first_coded)
        if face.first.issuperset(text):  # every character already coded in the first subset
            return [(face.name(0), "(" + text.translate(face.first_table) + ")")]
        return face.operands(text)


class _FaceCodes:
    def __init__(self, font, document):
        self.font, self.document = font, document
        self.codes: dict[str, tuple[int, str]] = {}  # character -> (subset, its escaped code)
        self.first: set[str] = set()  # the characters coded in subset 0
        self.first_table: dict[int, str] = {}  # and their escaped codes, for str.translate
        self.names: dict[int, str] = {}

    def name(self, subset: int) -> str:
        name = self.names.get(subset)
        if name is None:
            name = self.names[subset] = self.font.getSubsetInternalName(subset, self.document)
        return name

    def operands(self, text: str) -> list[tuple[str, str]]:
        codes = self.codes
        new = "".join(character for character in dict.fromkeys(text) if character not in codes)
        if new:
            self._code(new)
        runs: list[tuple[int, list[str]]] = []
        for character in text:
            code = codes[character]
            if not runs or runs[-1][0] != code[0]:
                runs.append((code[0], []))
            runs[-1][1].append(code[1])
        return [(self.name(subset), "(" + "".join(escaped) + ")") for subset, escaped in runs]

    def _code(self, characters: str) -> None:
        """Ask reportlab for the codes of `characters` (each new to this face) in one call: it
        gives one byte per character, in runs of one subset each."""
        at = 0
        for subset, codes in self.font.splitString(characters, self.document):
            for character, code in zip(characters[at:at + len(codes)], codes):
                escaped = _escaped(code)
                self.codes[character] = subset, escaped
                if subset == 0:
                    self.first.add(character)
                    self.first_table[ord(character)] = escaped
            at += len(codes)


def _escaped(code: int) -> str:
    """One byte as it stands inside a PDF literal string."""
    if code in b"()\\":
        return "\\" + chr(code)
    return chr(code) if 32 <= code < 127 else "\\%03o" % code


def embed_faces(canvas: Canvas) -> None:
    """The font objects of every face the document drew with, as reportlab's save would write
    them, byte for byte (same objects, same order), with each subset's file and map made once."""
    document = _document(canvas)
    delayed, document.delayedFonts = document.delayedFonts, []
    for font in delayed:
        subsets = font.state[document].subsets
        for number, subset in enumerate(subsets):
            _embed_subset(font, document, number, tuple(subset))
        del font.state[document]  # as addObjects does: the face holds no document once it is written


def _embed_subset(font, document, number: int, subset: tuple[int, ...]) -> None:
    internal_name = font.getSubsetInternalName(number, document)[1:]
    base_name = b"".join((ttfonts.SUBSETN(number), b"+", font.face.name, font.face.subfontNameX)).decode("pdfdoc")
    file_data, file_length, cmap_data, widths = _subset_streams(font.fontName, base_name, subset)
    pdf_font = pdfdoc.PDFTrueTypeFont()
    pdf_font.__Comment__ = "Font %s subset %d" % (font.fontName, number)
    pdf_font.Name = internal_name
    pdf_font.BaseFont = base_name
    pdf_font.FirstChar = 0
    pdf_font.LastChar = len(subset) - 1
    pdf_font.Widths = _Written(widths)
    pdf_font.ToUnicode = document.Reference(_deflated(cmap_data), "toUnicodeCMap:" + base_name)
    file_ref = document.Reference(_deflated(file_data, Length1=file_length), "fontFile:%s(%s)" % (font.face.filename, base_name))
    face = font.face
    descriptor = PDFDictionary({
        "Type": "/FontDescriptor", "Ascent": face.ascent, "CapHeight": face.capHeight, "Descent": face.descent,
        "Flags": (face.flags & ~ttfonts.FF_NONSYMBOLIC) | ttfonts.FF_SYMBOLIC, "FontBBox": PDFArray(face.bbox),
        "FontName": pdfdoc.PDFName(base_name), "ItalicAngle": face.italicAngle, "StemV": face.stemV,
        "FontFile2": file_ref, "MissingWidth": face.defaultWidth,
    })
    pdf_font.FontDescriptor = document.Reference(descriptor, "fontDescriptor:" + base_name)
    document.Reference(pdf_font, internal_name)
    document.idToObject["BasicFonts"].dict[internal_name] = pdf_font


@functools.lru_cache(maxsize=64)
def _subset_streams(font_name: str, base_name: str, subset: tuple[int, ...]) -> tuple[bytes, int, bytes, bytes]:
    """A subset's deflated TrueType file, that file's length, its deflated ToUnicode map and
    its /Widths array as written."""
    face = pdfmetrics.getFont(font_name).face
    data = face.makeSubset(list(subset))
    cmap = ttfonts.makeToUnicodeCMap(base_name, list(subset)).encode("utf-8")
    widths = _array([_serial(face.getCharWidth(code), None) for code in subset])  # numbers need no document
    return zlib.compress(data), len(data), zlib.compress(cmap), widths


class _Written(PDFObject):
    """A direct value whose bytes are already written."""

    def __init__(self, data: bytes):
        self.data = data

    def format(self, document) -> bytes:
        return self.data


def _deflated(data: bytes, **entries) -> pdfdoc.PDFStream:
    return pdfdoc.PDFStream(PDFDictionary({"Filter": PDFArray([pdfdoc.PDFName("FlateDecode")]), **entries}), data)


def file_bytes(canvas: Canvas) -> bytes:
    """The finished file (as `canvas.getpdfdata()`), its objects written as above."""
    document = _document(canvas)
    for page in document.Pages.pages:
        page.Contents = _deflated(zlib.compress(page.stream.encode("ascii")))  # content.py writes ASCII only
        page.stream = None
    document.format = functools.partial(_format, document)
    return canvas.getpdfdata()


def _format(document) -> bytes:
    # PDFDocument.format, with no encryption (the canvas's default) and no comments (invariant);
    # the cross-reference table as PDFCrossReferenceTable writes it, for one section from 0.
    catalog, info = document.Catalog, document.info
    document.Reference(catalog)
    document.Reference(info)
    numbers, objects = document.numberToId, document.idToObject
    chunks = [pdfdoc.PDFFile(document._pdfVersion).format(document)]  # the header
    offset = len(chunks[0])
    xref = [b""]  # its first line, once every object is numbered
    number = 1
    while number in numbers:  # objects met while writing are numbered on: the loop takes them too
        name = numbers[number]
        value = objects[name]
        kind = type(value)
        if kind in _WRITTEN_HERE:
            data = value.format(document)
        else:
            written = _WRITERS.get(kind)
            data = written(value, document) if written else None
        if data is not None:
            chunk = b"%d 0 obj\n%s%sendobj\n" % (number, data, b"" if data.endswith(b"\n") else b"\n")
        else:
            chunk = pdfdoc.PDFIndirectObject(name, value).format(document)
        xref.append(b"%010d 00000 n " % offset)
        chunks.append(chunk)
        offset += len(chunk)
        number += 1
    xref[0] = b"xref\n0 %d\n0000000000 65535 f " % number
    xref.append(b"")
    chunks.append(b"\n".join(xref))
    trailer = pdfdoc.PDFTrailer(startxref=offset, Size=number, Root=document.Reference(catalog),
                                Info=document.Reference(info), ID=document.ID())
    chunks.append(trailer.format(document))
    return b"".join(chunks)


# The entries a report's pages have, written by _page; a page with any other is reportlab's to write.
_PAGE_ENTRIES = frozenset({"Annots", "Contents", "MediaBox", "Parent", "Resources", "Rotate", "StructParents", "Tabs", "Trans"})


def _page(page, document) -> bytes | None:
    """A page dictionary as PDFPage.format writes it (same bytes), without its generic formatting
    of every value (some 150 us a page); None for a page with entries this does not know."""
    page.check_format(document)  # reportlab's own completion: media box, annotations, resources
    present = {key: value for key in page.__NoDefault__ if (value := getattr(page, key, None)) is not None}
    if not present.keys() <= _PAGE_ENTRIES or not isinstance(present.get("Annots"), (PDFArray, type(None))):
        return None
    entries = {"Type": b"/Page"}
    for key in ("Contents", "Parent"):  # numbered (the contents are new) in reportlab's order
        entries[key] = _reference(present.pop(key), document)
    for key, value in present.items():
        if key in ("Annots", "MediaBox"):
            entries[key] = _array([_serial(item, document) for item in value.sequence])
        elif type(value) in (int, str):
            entries[key] = _serial(value, document)
        else:  # the resources, a transition
            entries[key] = pdfdoc.format(value, document)
    return _dictionary(entries)


def _outline_entry(entry, document) -> bytes | None:
    """An outline entry as OutlineEntryObject.format writes it (same bytes), its destination's
    array written here; None for a destination other than a page at a height (/XYZ)."""
    destination = entry.Dest
    place = getattr(destination, "fmt", None)
    if type(destination) is not pdfdoc.Destination or type(place) is not pdfdoc.PDFDestinationXYZ or destination.page is None:
        return None
    page = _reference(destination.page, document)
    entries = {"Title": pdfdoc.format(PDFString(entry.Title), document), "Parent": _reference(entry.Parent, document),
               "Dest": _array([page, b"/XYZ", *(_serial(number, document) for number in (place.left, place.top, place.zoom))])}
    for key in ("Prev", "Next", "First", "Last"):
        if (value := getattr(entry, key)) is not None:
            entries[key] = _reference(value, document)
    if entry.Count is not None:
        entries["Count"] = _serial(entry.Count, document)
    return _dictionary(entries)


def _dictionary(entries: dict[str, bytes]) -> bytes:
    """A dictionary as PDFDictionary writes it: keys in order, a line break every six entries."""
    items = [b"/" + key.encode("ascii") + b" " + entries[key] for key in sorted(entries)]
    for at in reversed(range(6, len(items), 6)):
        items.insert(at, b"\n ")
    return b"<<\n" + b" ".join(items) + b"\n>>"


def _array(items: list[bytes]) -> bytes:
    """An array as PDFArray writes it: a line break every ten items."""
    for at in reversed(range(10, len(items), 10)):
        items.insert(at, b"\n ")
    return b"[ " + b" ".join(items) + b" ]"


_WRITERS = {pdfdoc.PDFPage: _page, pdfdoc.OutlineEntryObject: _outline_entry}  # kinds of object written here


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


def add_output_intents(canvas: Canvas, intents: PDFArray) -> None:
    # setCatalogEntry would set the attribute, but PDFCatalog.format writes only the keys in its
    # __NoDefault__ list; this catalog's own list adds /OutputIntents to them.
    catalog = _document(canvas).Catalog
    catalog.__NoDefault__ = [*PDFCatalog.__NoDefault__, "OutputIntents"]
    catalog.OutputIntents = intents


def seed_file_id(canvas: Canvas, seed: bytes) -> None:
    # The /ID is the MD5 of this signature after reportlab adds the title, author, subject and
    # keywords to it when saving; reportlab seeds it with its own timestamp, replaced here.
    _document(canvas).signature = hashlib.md5(seed, usedforsecurity=False)


def drop_page_transitions(canvas: Canvas) -> None:
    # showPage gives every page a /Trans dictionary (empty: no transition set), which PDF/A
    # validators do not accept; a page with Trans None writes none.
    for page in pages(canvas):
        page.Trans = None


def flag_annotations_printable(canvas: Canvas) -> None:
    # Annotations are registered in the document under "Annot.<name>": a plain dictionary
    # (canvas.linkURL) or an Annotation object (canvas.linkRect: internal links) whose extra
    # keys are kept in `otherkw`. Either gets /F 4 unless the writer set flags of its own.
    document = _document(canvas)
    for name, annotation in document.idToObject.items():
        if not name.startswith(document.annotationName("")):
            continue
        if isinstance(annotation, PDFDictionary):
            annotation.dict.setdefault("F", PRINT_FLAG)
        elif isinstance(annotation, Annotation):
            annotation.otherkw.setdefault("F", PRINT_FLAG)
