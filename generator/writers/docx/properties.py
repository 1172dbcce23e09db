"""The DOCX core properties part (docProps/core.xml), written as text from the document's metadata.

Every value is the report's own (the package's part, from python-docx's template, says
"python-docx"); the elements come in the order, and with the namespaces, python-docx's
CoreProperties wrote them, so the part reads the same in Word, LibreOffice and python-docx.
"""

from __future__ import annotations

from datetime import datetime

from generator.document.model import Metadata
from generator.writers.docx import wordml
from generator.writers.ziputil import utc_wall_time

CATEGORY = "Billing-code report"
LANGUAGE = "en-US"
LIMIT = 255  # characters in one property: python-docx refuses more, and so may other readers

_DECLARATION = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
_ROOT = (
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
    ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
    ' xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
)
_W3CDTF = ' xsi:type="dcterms:W3CDTF"'


def core_properties(metadata: Metadata, timestamp: datetime) -> bytes:
    """The part for `metadata`, every date `timestamp` (as UTC)."""
    author = metadata.author or ""
    # strftime, as python-docx formats these dates (a year before 1000 is not padded).
    moment = utc_wall_time(timestamp).strftime("%Y-%m-%dT%H:%M:%SZ")
    elements = [
        ("dc:title", metadata.title, ""),
        ("dc:subject", metadata.subject, ""),
        ("dc:creator", author, ""),
        ("cp:keywords", ", ".join(metadata.keywords), ""),
        ("dc:description", metadata.subject, ""),
        ("cp:lastModifiedBy", author, ""),
        ("cp:revision", "1", ""),
        ("dcterms:created", moment, _W3CDTF),
        ("dcterms:modified", moment, _W3CDTF),
        ("cp:category", CATEGORY, ""),
        ("cp:contentStatus", "", ""),
        ("dc:identifier", metadata.code, ""),
        ("dc:language", LANGUAGE, ""),
        ("cp:version", metadata.version, ""),
        ("cp:lastPrinted", moment, ""),
    ]
    body = "".join(f"<{tag}{attributes}>{_text(value)}</{tag}>" for tag, value, attributes in elements)
    return (_DECLARATION + _ROOT + body + "</cp:coreProperties>").encode()


def _text(value: str) -> str:
    """`value` shortened to LIMIT characters (not refused) and escaped; a carriage return is
    written as a reference, which keeps it through a reader's line-end normalization."""
    shortened = value if len(value) <= LIMIT else value[: LIMIT - 1] + "…"
    return wordml.escape(shortened).replace("\r", "&#13;")
