"""Section breaks: the cover's blank running header and footer, and landscape pages for wide tables.

A WordprocessingML section's properties (w:sectPr) close it: those of every section but the
last sit in the properties of the section's last paragraph, the last section's at the end of
the body. Every section here names the running header and footer parts outright (a section
that names none inherits them, which LibreOffice does not always honour); only the first
keeps the template's titlePg, the blank first page that is the cover.
"""

from __future__ import annotations

import re

from generator.writers.docx import wordml
from generator.writers.docx.geometry import PAGE_HEIGHT, PAGE_WIDTH, twips_of

_TITLE_PAGE = re.compile(r'<w:titlePg/>|<w:(?:header|footer)Reference w:type="first" r:id="rId\d+"/>')
_PAGE_SIZE = re.compile(r"<w:pgSz [^>]*/>")
_LANDSCAPE_SIZE = f'<w:pgSz w:w="{twips_of(PAGE_HEIGHT)}" w:h="{twips_of(PAGE_WIDTH)}" w:orient="landscape"/>'


def later(properties: str) -> str:
    """A section after the first: the template's page, without the cover's blank first page."""
    return _TITLE_PAGE.sub("", properties)


def landscape(properties: str) -> str:
    """A later section whose pages are turned: the same margins, the long edge across."""
    return _PAGE_SIZE.sub(_LANDSCAPE_SIZE, later(properties), count=1)


def section_break(properties: str) -> str:
    """The empty paragraph that closes a section with `properties`; the next starts on a new page."""
    return wordml.paragraph(properties=properties)
