"""WordprocessingML written as text: escaped runs, paragraphs and complex fields.

The DOCX writer builds a report's body as text and never as python-docx proxies or lxml
elements, which cost most of a render. Elements are written exactly as lxml serializes
them (an empty element as `<w:r/>`), so the text can be spliced into a part python-docx
serialized. Properties (`<w:pPr>`, `<w:rPr>` content) are passed as ready-made markup in
the order the schema fixes; text and attribute values are escaped here.
"""

from __future__ import annotations

import re

from generator.writers import xmltext

# Tabs and line breaks are elements of their own in a run, as python-docx's Run.text makes them.
_BREAKS = {"\t": "<w:tab/>", "\n": "<w:br/>", "\r": "<w:br/>", "-": "<w:noBreakHyphen/>"}
_BREAK_SPLIT = re.compile("([\t\n\r])")
# A hyphen in a date or a code (2026-01-01, CG-MED-97): next to a digit or after a capital.
# One between lower-case letters joins a compound word, where a line may end as usual.
_WORD_SPLIT = re.compile(r"([\t\n\r]|(?<=[0-9A-Z])-|-(?=[0-9]))")


def escape(text: str) -> str:
    """`text` for an element's content: markup-like text prints literally."""
    return xmltext.escape(text, "DOCX")


def escape_attribute(value: str) -> str:
    """`value` for a double-quoted attribute."""
    return xmltext.escape_attribute(value, "DOCX")


def element(tag: str, content: str = "", attributes: str = "") -> str:
    """`<tag attributes>content</tag>`; `attributes` is markup, each with a leading space."""
    return f"<{tag}{attributes}>{content}</{tag}>" if content else f"<{tag}{attributes}/>"


def paragraph(content: str = "", properties: str = "") -> str:
    return element("w:p", element("w:pPr", properties) + content if properties else content)


def run(text: str, properties: str = "", whole_words: bool = False) -> str:
    """A run of plain text; with `whole_words`, the hyphens of dates and codes are non-breaking
    (w:noBreakHyphen, drawn as "-"): a line never ends inside 2026-01-01 or CG-MED-97."""
    split = _WORD_SPLIT if whole_words else _BREAK_SPLIT
    if not split.search(text):  # most texts: one w:t (or nothing)
        return _run(_text(text) if text else "", properties)
    content = "".join(_BREAKS.get(piece) or _text(piece) for piece in split.split(text) if piece)
    return _run(content, properties)


def _run(content: str, properties: str) -> str:
    return element("w:r", element("w:rPr", properties) + content if properties else content)


def _text(text: str) -> str:
    space = ' xml:space="preserve"' if text != text.strip() else ""  # keep edge spaces, as python-docx does
    return f"<w:t{space}>{escape(text)}</w:t>"


def field(instruction: str, result: str, properties: str = "", dirty: bool = False) -> str:
    """A complex field. Word and LibreOffice compute its result when they lay out the
    pages; `result` is what shows until they do."""
    shown = run(result, properties) if result else ""
    return field_begin(instruction, properties, dirty) + shown + field_end(properties)


def field_begin(instruction: str, properties: str = "", dirty: bool = False) -> str:
    """The runs that open a field, up to where its result starts. Every run of the field
    carries `properties`: LibreOffice styles the computed result after the field's first run."""
    flag = ' w:dirty="true"' if dirty else ""  # Word offers to recompute the field on open
    instruction_text = f'<w:instrText xml:space="preserve"> {escape(instruction)} </w:instrText>'
    return (
        _run(f'<w:fldChar w:fldCharType="begin"{flag}/>', properties)
        + _run(instruction_text, properties)
        + _run('<w:fldChar w:fldCharType="separate"/>', properties)
    )


def field_end(properties: str = "") -> str:
    return _run('<w:fldChar w:fldCharType="end"/>', properties)
