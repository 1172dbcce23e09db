"""The DOCX package every report of a theme starts from: made with python-docx once, then kept on disk.

python-docx makes it (template_build.py: the page, the styles, the running header's and
footer's formatting, the masthead) and serializes it; a report then only fills the holes this
leaves: the body, the runs of the running header and footer, and the hyperlink and chart
relationships (writer.py), and writes its own core properties (properties.py). Opening
python-docx's default template and saving it again for every report cost more than all the
rest of a render: its styles parts alone hold 790 kB of XML. The parts no report rewrites
are deflated once, here, and zipped as they are into every report (ziputil.Deflated). The
package's parts and where each hole is are kept in the part cache (writers/part_cache.py),
keyed by the theme, python-docx's, lxml's and zlib's versions and the modules that drive them,
so a fresh process of a known theme neither imports python-docx nor makes the package again.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import types
import zlib
from collections.abc import Mapping
from dataclasses import dataclass

from generator.writers import part_cache
from generator.writers.theme import Theme
from generator.writers.ziputil import Deflated, deflated

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

    # zip name -> content, in the order python-docx saves them: bytes for each part a report
    # rewrites (the holes' parts, left empty; the content types; the core properties), the rest deflated
    parts: Mapping[str, bytes | Deflated]
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
    inputs = [repr(theme), f"masthead={masthead}", f"zlib {zlib.ZLIB_RUNTIME_VERSION}"]  # zlib: the deflated parts
    name = part_cache.key("docx", inputs, ("docx", "lxml"), _SOURCES)

    def made() -> Template:
        from generator.writers.docx import template_build  # python-docx: only here, once per theme and cache

        return _shared_parts_deflated(template_build.built(theme, masthead))

    return part_cache.load_or_make(name, _unpacked, made, _packed)


def _rewritten(template: Template) -> set[str]:
    """The parts every report writes anew (or fills), which stay bytes."""
    holes = (template.body, template.header, template.footer, template.relationships)
    return {CONTENT_TYPES, template.core_properties, *(hole.name for hole in holes)}


def _shared_parts_deflated(template: Template) -> Template:
    kept = _rewritten(template)
    parts = {name: data if name in kept else deflated(data) for name, data in template.parts.items()}
    return dataclasses.replace(template, parts=types.MappingProxyType(parts))


_HOLES = {"body": BODY_END, "header": HEADER_END, "footer": FOOTER_END, "relationships": RELATIONSHIPS_END}


def _packed(template: Template) -> dict[str, bytes]:
    """The template as cache parts: its own parts (each hole empty), and an index of the rest."""
    index = {
        "parts": list(template.parts),
        "deflated": {name: [data.crc, data.size] for name, data in template.parts.items() if isinstance(data, Deflated)},
        "holes": {field: [hole.name, len(hole.before)] for field in _HOLES for hole in [getattr(template, field)]},
        "section": template.section,
        "core_properties": template.core_properties,
        "masthead": template.masthead,
        "first_link_id": template.first_link_id,
    }
    stored = {name: data.stream if isinstance(data, Deflated) else data for name, data in template.parts.items()}
    return {**stored, _INDEX: json.dumps(index).encode()}


def _unpacked(parts: Mapping[str, bytes]) -> Template:
    """The template an entry holds; ValueError (or KeyError, TypeError) if it is not one this code wrote."""
    index = json.loads(parts[_INDEX])
    own: dict[str, bytes | Deflated] = {name: parts[name] for name in index["parts"]}
    for name, (crc, size) in index["deflated"].items():
        if name not in own or not isinstance(crc, int) or not isinstance(size, int):
            raise ValueError(f"the cached package's index does not describe its deflated part {name!r}")
        own[name] = Deflated(parts[name], crc, size)
    holes = {}
    for field, end in _HOLES.items():
        name, offset = index["holes"][field]
        data = own[name]
        if not isinstance(data, bytes) or not isinstance(offset, int) or offset < 0 or not data.startswith(end, offset):
            raise ValueError(f"the cached {field} part has no hole at {offset}")
        holes[field] = Hole(name, data[:offset], data[offset:])
    if not isinstance(index["first_link_id"], int):
        raise TypeError("the cached package's index holds no number where the first link's belongs")
    template = Template(
        parts=types.MappingProxyType(own),
        section=_text(index["section"]),
        core_properties=index["core_properties"],
        masthead=_text(index["masthead"]),
        first_link_id=index["first_link_id"],
        **holes,
    )
    if any(not isinstance(own.get(name), bytes) for name in _rewritten(template)):
        raise ValueError("the cached package does not hold every part a report rewrites as it is")
    return template


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("the cached package's index holds no text where text belongs")
    return value
