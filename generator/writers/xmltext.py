"""XML text and attribute escaping for the parts the DOCX and XLSX writers write as text."""

from __future__ import annotations

import re

from generator.writers import RenderError

# Characters XML 1.0 cannot hold, even as references.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_ATTRIBUTE_ESCAPES = (('"', "&quot;"), ("\t", "&#9;"), ("\n", "&#10;"), ("\r", "&#13;"))


def escape(text: str, fmt: str) -> str:
    """`text` for an element's content: markup-like text prints literally; `fmt` names the
    format in the error a character XML cannot hold raises."""
    if _NOT_XML.search(text):
        raise RenderError(f"the {fmt} cannot hold the control character in {text[:40]!r}")
    # Not str.translate: several times slower on a report's long texts. Not
    # xml.sax.saxutils.escape: importing it pulls in urllib, http and ssl (14 ms at start-up).
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_attribute(value: str, fmt: str) -> str:
    """`value` for a double-quoted attribute."""
    escaped = escape(value, fmt)
    for character, reference in _ATTRIBUTE_ESCAPES:
        escaped = escaped.replace(character, reference)
    return escaped
