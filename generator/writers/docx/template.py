"""The DOCX package every report of a theme starts from: made with python-docx once, then kept on disk.

python-docx makes it (template_build.py: the page, the styles, the running header's and
footer's formatting, the masthead) and serializes it; a report then only fills the holes this
leaves: the body, the runs of the running header and footer, and the hyperlink and chart
relationships (writer.py), and writes its own core properties (properties.py). Opening
python-docx's default template and saving it again for every report cost more than all the
rest of a render: its styles parts alone hold 790 kB of XML. The package's parts and where
each hole is are kept in the part cache (writers/part_cache.py), keyed by the theme,
python-docx's and lxml's installs and the modules that drive them, so a fresh process of a
known theme neither imports python-docx nor makes the package again.
"""

from __future__ import annotations

import functools
import json
import types
from collections.abc import Mapping
from dataclasses import dataclass

from generator.writers import part_cache
from generator.writers.theme import Theme

# What follows each hole in its part: checked again when a cached package is read.
BODY_END = b"</w:body>"
HEADER_END = b"</w:p></w:hdr>"
FOOTER_END = b"</w:p></w:ftr>"
RELATIONSHIPS_END = b"</Relationships>"

_BUILD_MODULE = "generator.writers.docx.template_build"
# The generator's modules whose code decides what python-docx makes.
_SOURCES = (
    __name__,
    _BUILD_MODULE,
    "generator.writers.docx.geometry",
    "generator.writers.docx.styles",
    "generator.writers.design",
    "generator.writers.typeface",
    "generator.writers.theme",
)
_INDEX = "index.json"  # the cache entry's own part: the holes and the package's other facts
CONTENT_TYPES = "[Content_Types].xml"


@dataclass(frozen=True)
class Hole:
    """A serialized part and the place in it where a report's content goes."""

    name: str  # the part's name in the zip
    before: bytes
    after: bytes

    def fill(self, content: str) -> bytes:
        return self.before + content.encode() + self.after


@dataclass(frozen=True)
class Template:
    """A theme's package, saved, with the holes each report fills."""

    parts: Mapping[str, bytes]  # zip name -> content, in the order python-docx saves them; holes empty
    body: Hole  # the document's body, before its end
    section: str  # the body's w:sectPr: the page, the running header's and footer's references
    header: Hole  # the running header's paragraph: its runs
    footer: Hole  # the running footer's paragraph: its runs
    relationships: Hole  # the document's relationships: its hyperlinks go last
    core_properties: str  # the zip name of the core properties, which every report rewrites
    masthead: str  # the paragraph that opens the title block ("" for none)
    first_link_id: int  # hyperlink relationships are numbered from rId<first_link_id>


@functools.lru_cache(maxsize=8)
def prepared_template(theme: Theme, masthead: bool) -> Template:
    """The package for `theme`, with the masthead's paragraph (and the logo's image part) if
    `masthead`: from the cache on disk, or else made with python-docx and kept there."""
    name = part_cache.key("docx", [repr(theme), f"masthead={masthead}"], ("docx", "lxml"), _SOURCES)
    cached = part_cache.load(name)
    if cached is not None:
        try:
            return _unpacked(cached)
        except (KeyError, ValueError, TypeError, IndexError):
            pass  # not what this code writes: made again below, and replaced
    from generator.writers.docx import template_build  # python-docx: only here, once per theme and cache

    template = template_build.built(theme, masthead)
    part_cache.store(name, _packed(template))
    return template


_HOLES = {"body": BODY_END, "header": HEADER_END, "footer": FOOTER_END, "relationships": RELATIONSHIPS_END}


def _packed(template: Template) -> dict[str, bytes]:
    """The template as cache parts: its own parts (each hole empty), and an index of the rest."""
    index = {
        "parts": list(template.parts),
        "holes": {field: [hole.name, len(hole.before)] for field in _HOLES for hole in [getattr(template, field)]},
        "section": template.section,
        "core_properties": template.core_properties,
        "masthead": template.masthead,
        "first_link_id": template.first_link_id,
    }
    return {**template.parts, _INDEX: json.dumps(index).encode()}


def _unpacked(parts: Mapping[str, bytes]) -> Template:
    """The template an entry holds; ValueError (or KeyError, TypeError) if it is not one this code wrote."""
    index = json.loads(parts[_INDEX])
    own = {name: parts[name] for name in index["parts"]}
    holes = {}
    for field, end in _HOLES.items():
        name, offset = index["holes"][field]
        data = own[name]
        if not isinstance(offset, int) or offset < 0 or not data.startswith(end, offset):
            raise ValueError(f"the cached {field} part has no hole at {offset}")
        holes[field] = Hole(name, data[:offset], data[offset:])
    if not {index["core_properties"], CONTENT_TYPES} <= own.keys() or not isinstance(index["first_link_id"], int):
        raise ValueError("the cached package's index is not one this code writes")
    return Template(
        parts=types.MappingProxyType(own),
        section=_text(index["section"]),
        core_properties=index["core_properties"],
        masthead=_text(index["masthead"]),
        first_link_id=index["first_link_id"],
        **holes,
    )


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("the cached package's index holds no text where text belongs")
    return value
