"""PDF/A-2b for a reportlab Canvas: XMP metadata, sRGB output intent, pinned dates and file ID.

`make_archival(canvas, properties, timestamp=..., fingerprint=...)` is called once, after the
last page has been shown and just before `canvas.save()`. It writes the document information
dictionary and the XMP packet from the same values (so the two agree by construction), dates
both from the one pinned instant, adds the sRGB output intent PDF/A requires for device RGB
colour, derives the file ID from the caller's content fingerprint (same content, same ID),
and removes what reportlab writes that PDF/A validators do not accept (an empty /Trans on
every page, links without the print flag).

The XMP also claims PDF/UA-1 (pdfuaid:part 1). ISO 19005-2 predefines no pdfuaid schema, so
it is described in a PDF/A extension schema, as PDF/A requires for every other namespace.
The claim holds only for a tagged PDF (structure tree, marked content): that is the calling
writer's work.

reportlab has no public API for four things done here (checked against 5.1, pdfbase/pdfdoc.py
and pdfgen/canvas.py): the catalog writes only the keys it lists, and /OutputIntents is not one
of them; the file ID is an MD5 that reportlab seeds with its own clock; every page gets a
/Trans dictionary, empty unless a transition is set; annotations get no /F unless the caller
passes one to each. Those four reach into reportlab's private state, and so live with the rest
of it in reportlab_objects.py; the lock file pins the reportlab release they were checked against.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from PIL import ImageCms
from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFName,
    PDFStream,
    PDFString,
)
from reportlab.pdfgen.canvas import Canvas

from generator.writers import xmltext
from generator.writers.pdf import reportlab_objects

PDFA_PART = 2
PDFA_CONFORMANCE = "B"
PDFUA_PART = 1

# The output condition the ICC profile stands for (ICC's registry of characterization data).
SRGB_CONDITION = "sRGB IEC61966-2.1"
COLOR_REGISTRY = "http://www.color.org"

NS_PDFUAID = "http://www.aiim.org/pdfua/ns/id/"
_NAMESPACES = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfuaid": NS_PDFUAID,
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#",
}
# The extension schema that declares pdfuaid:part, in the form the PDF Association publishes.
_PDFUA_EXTENSION_SCHEMA = f"""\
   <pdfaExtension:schemas>
    <rdf:Bag>
     <rdf:li rdf:parseType="Resource">
      <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
      <pdfaSchema:namespaceURI>{NS_PDFUAID}</pdfaSchema:namespaceURI>
      <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
      <pdfaSchema:property>
       <rdf:Seq>
        <rdf:li rdf:parseType="Resource">
         <pdfaProperty:name>part</pdfaProperty:name>
         <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
         <pdfaProperty:category>internal</pdfaProperty:category>
         <pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>
        </rdf:li>
       </rdf:Seq>
      </pdfaSchema:property>
     </rdf:li>
    </rdf:Bag>
   </pdfaExtension:schemas>
"""


@dataclass(frozen=True)
class DocumentProperties:
    """What the PDF says about itself, in its information dictionary and its XMP metadata."""

    title: str
    author: str | None  # None: no dc:creator, and an empty /Author (reportlab always writes one)
    subject: str
    keywords: Sequence[str]
    language: str  # BCP 47, e.g. "en-US": the catalog's /Lang and dc:language
    creator: str  # the application that made the content: /Creator, xmp:CreatorTool
    producer: str  # what wrote the PDF: /Producer, pdf:Producer


def make_archival(canvas: Canvas, properties: DocumentProperties, *, timestamp: datetime, fingerprint: bytes) -> None:
    """Make what `canvas` saves a PDF/A-2b file; call after the last page, right before `save()`.

    `timestamp` is the instant written as creation, modification and metadata date (a naive
    value is taken as UTC); `fingerprint` is bytes that change whenever the content does (a
    digest of the document), from which the file ID is derived.
    """
    when = timestamp.replace(tzinfo=timezone.utc) if timestamp.tzinfo is None else timestamp.astimezone(timezone.utc)
    keywords = ", ".join(properties.keywords)  # reportlab's own joining of a keyword list
    canvas.setTitle(properties.title)
    canvas.setAuthor(properties.author or "")
    canvas.setSubject(properties.subject)
    canvas.setKeywords(keywords)
    canvas.setCreator(properties.creator)
    canvas.setProducer(properties.producer)
    pdf_date = f"D:{when.year:04d}{when:%m%d%H%M%S}+00'00'"  # strftime's %Y drops the zeros of a year before 1000
    canvas.setDateFormatter(lambda *_: pdf_date)  # both /CreationDate and /ModDate; reportlab's clock unused
    canvas.setCatalogEntry("Lang", properties.language)
    canvas.setCatalogEntry("Metadata", _metadata_stream(xmp_packet(properties, keywords, when)))
    reportlab_objects.add_output_intents(canvas, PDFArray([_srgb_output_intent()]))
    reportlab_objects.seed_file_id(canvas, b"generator PDF/A file ID\0" + fingerprint + when.isoformat().encode())
    reportlab_objects.drop_page_transitions(canvas)
    reportlab_objects.flag_annotations_printable(canvas)


def xmp_packet(properties: DocumentProperties, keywords: str, when: datetime) -> bytes:
    """The XMP packet: Dublin Core, XMP basic and PDF properties, PDF/A and PDF/UA identification."""
    date = f"{when.year:04d}-{when:%m-%dT%H:%M:%S}+00:00"  # the instant of the info dictionary's dates
    declarations = "".join(f'\n    xmlns:{prefix}="{uri}"' for prefix, uri in _NAMESPACES.items())
    lines = [
        "<dc:format>application/pdf</dc:format>",
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{_text(properties.title)}</rdf:li></rdf:Alt></dc:title>',
    ]
    if properties.author:
        lines.append(f"<dc:creator><rdf:Seq><rdf:li>{_text(properties.author)}</rdf:li></rdf:Seq></dc:creator>")
    lines.append(
        f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{_text(properties.subject)}</rdf:li></rdf:Alt></dc:description>'
    )
    if properties.keywords:
        items = "".join(f"<rdf:li>{_text(keyword)}</rdf:li>" for keyword in properties.keywords)
        lines.append(f"<dc:subject><rdf:Bag>{items}</rdf:Bag></dc:subject>")
    lines += [
        f"<dc:language><rdf:Bag><rdf:li>{_text(properties.language)}</rdf:li></rdf:Bag></dc:language>",
        f"<xmp:CreatorTool>{_text(properties.creator)}</xmp:CreatorTool>",
        f"<xmp:CreateDate>{date}</xmp:CreateDate>",
        f"<xmp:ModifyDate>{date}</xmp:ModifyDate>",
        f"<xmp:MetadataDate>{date}</xmp:MetadataDate>",
        f"<pdf:Producer>{_text(properties.producer)}</pdf:Producer>",
        f"<pdf:Keywords>{_text(keywords)}</pdf:Keywords>",
        f"<pdfaid:part>{PDFA_PART}</pdfaid:part>",
        f"<pdfaid:conformance>{PDFA_CONFORMANCE}</pdfaid:conformance>",
        f"<pdfuaid:part>{PDFUA_PART}</pdfuaid:part>",
    ]
    body = "".join(f"   {line}\n" for line in lines)
    packet = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        f'  <rdf:Description rdf:about=""{declarations}>\n'
        f"{body}{_PDFUA_EXTENSION_SCHEMA}"
        "  </rdf:Description>\n"
        " </rdf:RDF>\n"
        "</x:xmpmeta>\n"
        '<?xpacket end="r"?>'
    )
    return packet.encode("utf-8")


def _text(value: str) -> str:
    """XML element text that reads back exactly (a carriage return would otherwise become a newline)."""
    return xmltext.escape(value, "PDF").replace("\r", "&#13;")


def _metadata_stream(packet: bytes) -> PDFStream:
    """The catalog's /Metadata: unfiltered, so that any tool can read (and PDF/A-1 permits) it."""
    return PDFStream(PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}), content=packet)


def _srgb_output_intent() -> PDFDictionary:
    profile = PDFStream(PDFDictionary({"N": 3}), content=srgb_profile())
    return PDFDictionary(
        {
            "Type": PDFName("OutputIntent"),
            "S": PDFName("GTS_PDFA1"),  # the PDF/A subtype, the same name in every part of ISO 19005
            "OutputConditionIdentifier": PDFString(SRGB_CONDITION),
            "RegistryName": PDFString(COLOR_REGISTRY),
            "Info": PDFString(SRGB_CONDITION),
            "DestOutputProfile": profile,  # a stream: reportlab makes it an indirect object
        }
    )


@functools.cache
def srgb_profile() -> bytes:
    """An sRGB ICC profile (version 4, display class) made by LittleCMS through Pillow: no file to ship.

    LittleCMS stamps the profile's creation time (header bytes 24-35) with the clock; it is
    pinned to 2000-01-01 00:00:00 so that the same document gives the same bytes. The
    profile ID (bytes 84-99) is left all zero, "not computed", as LittleCMS writes it.
    """
    profile = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    profile[24:36] = b"".join(part.to_bytes(2, "big") for part in (2000, 1, 1, 0, 0, 0))
    return bytes(profile)
