"""Client branding: the theme file beside a spec, read and checked like the spec itself.

Which file brands a spec `specs/<stem>.yaml` (the first that exists wins, whole; keys are
never merged between the two):

1. `specs/<stem>.theme.yaml` - this spec only;
2. `specs/theme.yaml` - every spec in the folder that has no file of its own;
3. neither - the house style, no brand.

The keys are the fields of `Branding`; the walk in `spec.validate` checks them (unknown and
duplicate keys, types, the colour pattern) with the same `file:line:col` messages as a spec.
This module adds what a walk cannot know: the logo file is inside the theme file's folder (after
links are resolved), is a PNG or JPEG of bounded size that decodes whole; and warns about colours
too pale to read. The logo is re-encoded once (Pillow), without any metadata (text chunks, EXIF,
ICC profiles, comments, trailing data), and every writer embeds those clean bytes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import struct
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.spec.errors import Problem, SpecError
from generator.spec.model import optional
from generator.spec.source import read_nodes
from generator.spec.validate import FontCheck, validate_record

THEME_FILE = "theme.yaml"  # brands every spec in its folder
THEME_SUFFIX = ".theme.yaml"  # <stem>.theme.yaml brands specs/<stem>.yaml alone

MAX_LOGO_BYTES = 5_000_000
MAX_LOGO_SIDE = 10_000  # pixels; a logo is drawn at most 2.5 x 0.75 inches
MAX_LOGO_PIXELS = 25_000_000  # bounds the memory a writer needs to decode it
MAX_BRAND_NAME = 80  # characters: it must fit the running footer beside version and page

_COLOR = dict(pattern=r"#?[0-9A-Fa-f]{6}", expect='a colour as 6 hex digits RRGGBB, e.g. "1F4E79"')
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_JPEG_MAGIC = b"\xff\xd8\xff"
# JPEG start-of-frame markers (they carry the size): C0-CF except DHT (C4), JPG (C8) and DAC (CC).
_JPEG_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
WHITE, BLACK = "FFFFFF", "000000"
MIN_HEADING_CONTRAST = 3.0  # WCAG 2 for large text: headings on the white page
MIN_TEXT_CONTRAST = 4.5  # WCAG 2 for body text: black table text on the stripe colour


@dataclass(frozen=True, kw_only=True)
class Branding:
    """A theme file's keys. Every key is optional; an absent one keeps the house style."""

    brand_name: str | None = optional(
        "The brand the report is issued under: on the title block, in the running footer, on the XLSX Overview."
    )
    brand_color: str | None = optional(
        "Hex RRGGBB: title, top-level headings, the rule under the title, table header fill.", **_COLOR
    )
    accent_color: str | None = optional("Hex RRGGBB: sub-headings and the subtitle. Default: brand_color.", **_COLOR)
    stripe_color: str | None = optional("Hex RRGGBB: every other table row. Default: F2F2F2 (light grey).", **_COLOR)
    logo: str | None = optional(
        "A PNG or JPEG file, relative to the theme file (at most 5 MB): title block of DOCX and PDF, top of the XLSX Overview."
    )


_COLOR_KEYS = tuple(f.name for f in dataclasses.fields(Branding) if f.metadata.get("pattern") == _COLOR["pattern"])


@dataclass(frozen=True)
class LogoFile:
    """A theme's logo, read and re-encoded once for every writer."""

    path: Path  # as found: the theme file's folder joined with the `logo` value
    data: bytes  # re-encoded, without metadata: what every writer embeds
    source_sha256: str  # of the file's own bytes, for the manifest and the up-to-date check
    format: str  # "png" or "jpeg"
    width_px: int
    height_px: int


@dataclass(frozen=True)
class LoadedTheme:
    """A validated theme file: its branding, logo and warnings."""

    path: Path
    branding: Branding  # colours as upper-case RRGGBB without "#"
    logo: LogoFile | None
    warnings: list[Problem]  # colours too pale to read, formatted with `path`


def is_theme_file(path: Path) -> bool:
    return path.name == THEME_FILE or path.name.endswith(THEME_SUFFIX)


def theme_file_for(spec_path: Path) -> Path | None:
    """The theme file that brands `spec_path` (see the module docstring), or None."""
    for candidate in theme_candidates(spec_path):
        if candidate.is_file():
            return candidate
    return None


def theme_candidates(spec_path: Path) -> tuple[Path, Path]:
    """Where a theme for `spec_path` may be, in order of precedence (for watchers and make)."""
    return spec_path.with_name(spec_path.stem + THEME_SUFFIX), spec_path.with_name(THEME_FILE)


def load_theme_for(spec_path: Path, check_font: FontCheck | None = None) -> LoadedTheme | None:
    found = theme_file_for(spec_path)
    return None if found is None else load_theme(found, check_font)


def load_theme(path: Path, check_font: FontCheck | None = None) -> LoadedTheme:
    """Read and check one theme file; raise SpecError (this file's path) listing every problem.
    `check_font`: also refuse a brand name the PDF font cannot draw."""
    root = read_nodes(path, f"the file is empty; a theme sets at least one of {', '.join(_field_names())}")
    branding, errors, warnings = validate_record(Branding, root, check_font)
    given = _top_level(root)
    errors += _null_colors(given)
    logo, logo_errors = _read_logo(path, given.get("logo"))
    errors += logo_errors
    if branding is not None and branding.brand_name and len(branding.brand_name) > MAX_BRAND_NAME:
        node = given["brand_name"]
        errors.append(Problem.at(node, "brand_name", f"is {len(branding.brand_name)} characters; at most {MAX_BRAND_NAME} fit the running footer"))
    if branding is None or errors:
        raise SpecError(path, errors + warnings)
    branding = _normalized(branding)
    return LoadedTheme(path, branding, logo, warnings + _contrast_warnings(branding, given))


# ---------------------------------------------------------------- colours


def readable_text_color(fill: str) -> str:
    """Black or white, whichever reads better on `fill` (RRGGBB): the text on table headers."""
    return WHITE if contrast_ratio(fill, WHITE) >= contrast_ratio(fill, BLACK) else BLACK


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two RRGGBB colours, 1 (none) to 21 (black on white)."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(color: str) -> float:
    def channel(hex_pair: str) -> float:
        value = int(hex_pair, 16) / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(color[i : i + 2]) for i in (0, 2, 4))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def _normalized(branding: Branding) -> Branding:
    colors = {key: getattr(branding, key) for key in _COLOR_KEYS}
    return dataclasses.replace(
        branding, **{key: value.lstrip("#").upper() for key, value in colors.items() if value is not None}
    )


def _contrast_warnings(branding: Branding, given: dict[str, yaml.Node]) -> list[Problem]:
    warnings = []
    for key in ("brand_color", "accent_color"):
        color = getattr(branding, key)
        if color is not None and (ratio := contrast_ratio(color, WHITE)) < MIN_HEADING_CONTRAST:
            warnings.append(Problem.at(
                given[key], key,
                f"{color} has a contrast of {ratio:.1f}:1 on the white page; headings in it are hard to read "
                f"(aim for {MIN_HEADING_CONTRAST:g}:1 or more)",
            ))
    stripe = branding.stripe_color
    if stripe is not None and (ratio := contrast_ratio(stripe, BLACK)) < MIN_TEXT_CONTRAST:
        warnings.append(Problem.at(
            given["stripe_color"], "stripe_color",
            f"{stripe} has a contrast of {ratio:.1f}:1 with the black table text; pick a lighter colour "
            f"(aim for {MIN_TEXT_CONTRAST:g}:1 or more)",
        ))
    return warnings


def _null_colors(given: dict[str, yaml.Node]) -> list[Problem]:
    """`brand_color: #1F4E79` unquoted is a YAML comment, i.e. no value: say so rather than ignore it."""
    return [
        Problem.at(node, key, f"expected {_COLOR['expect']}, got nothing (an unquoted # starts a YAML comment: "
                            f'write {key}: "#1F4E79" or {key}: 1F4E79)')
        for key, node in given.items()
        if key in _COLOR_KEYS and node.tag == "tag:yaml.org,2002:null"
    ]


# ---------------------------------------------------------------- the logo


def _read_logo(theme_path: Path, node: yaml.Node | None) -> tuple[LogoFile | None, list[Problem]]:
    """The logo the theme names, or the one problem that keeps it out."""
    if not isinstance(node, yaml.ScalarNode) or node.tag == "tag:yaml.org,2002:null" or not node.value.strip():
        return None, []  # no logo; a wrong type is the walk's to report
    path = theme_path.parent / node.value.strip()
    folder = theme_path.parent.resolve()
    if not path.resolve().is_relative_to(folder):
        where = f"resolves to {str(path.resolve())!r}, " if path.resolve() != path.absolute() else ""
        return None, [Problem.at(node, "logo", f"{node.value.strip()!r} {where}is outside the theme file's folder "
                                             f"{str(folder)!r}; put the logo beside the theme file")]
    try:
        size = path.stat().st_size
        if not path.is_file():
            return None, [Problem.at(node, "logo", f"{str(path)!r} is not a file")]
        if size > MAX_LOGO_BYTES:
            return None, [Problem.at(node, "logo", f"{str(path)!r} is {size:,} bytes; the limit is {MAX_LOGO_BYTES:,}")]
        with path.open("rb") as handle:
            data = handle.read(MAX_LOGO_BYTES + 1)
    except OSError as error:
        reason = "no such file" if isinstance(error, FileNotFoundError) else (error.strerror or str(error))
        return None, [Problem.at(node, "logo", f"cannot read {str(path)!r}: {reason}")]
    if len(data) > MAX_LOGO_BYTES:
        return None, [Problem.at(node, "logo", f"{str(path)!r} is more than {MAX_LOGO_BYTES:,} bytes")]
    try:
        image_format, width, height = _image_size(data)
    except ValueError as error:
        return None, [Problem.at(node, "logo", f"{str(path)!r} {error}")]
    if max(width, height) > MAX_LOGO_SIDE or width * height > MAX_LOGO_PIXELS:
        limit = f"at most {MAX_LOGO_SIDE:,} pixels a side and {MAX_LOGO_PIXELS:,} in all"
        return None, [Problem.at(node, "logo", f"{str(path)!r} is {width} x {height} pixels; {limit}")]
    try:
        clean = clean_image(data, image_format)
    except ValueError as error:
        return None, [Problem.at(node, "logo", f"{str(path)!r} {error}")]
    return LogoFile(path, clean, hashlib.sha256(data).hexdigest(), image_format, width, height), []


def clean_image(data: bytes, image_format: str) -> bytes:
    """The image decoded whole and encoded again in its format with nothing but its pixels
    (no text chunks, EXIF, ICC profile, comments or trailing data); ValueError saying what is wrong.
    CMYK and other modes the writers do not all draw alike become RGB (RGBA with transparency)."""
    from PIL import Image  # only a theme with a logo pays for it

    try:
        with Image.open(io.BytesIO(data), formats=[image_format.upper()]) as image:
            image.load()
            has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
            mode = "RGBA" if has_alpha and image_format == "png" else ("L" if image.mode in ("1", "L") else "RGB")
            pixels = image.convert(mode)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise ValueError(f"is a damaged {image_format.upper()}: {_decode_reason(error)}") from None
    pixels.info = {}  # nothing of the source rides along
    out = io.BytesIO()
    pixels.save(out, image_format.upper(), **({"quality": 95} if image_format == "jpeg" else {}))
    return out.getvalue()


def _decode_reason(error: BaseException) -> str:
    """Pillow's reason, without the object reprs some of its messages carry."""
    text = " ".join(str(error).split())
    if "truncated" in text:
        return "its image data ends early (the file is truncated)"
    if not text or "cannot identify" in text or "<" in text:
        return "its image data cannot be decoded (not an image behind the header?)"
    return text


def _image_size(data: bytes) -> tuple[str, int, int]:
    """(format, width, height) of a PNG or JPEG, from its header; ValueError saying what is wrong."""
    if data.startswith(_PNG_MAGIC):
        if len(data) < 24 or data[12:16] != b"IHDR":
            raise ValueError("is a damaged PNG: its header is incomplete")
        width, height = struct.unpack(">II", data[16:24])
        return _checked("png", width, height)
    if data.startswith(_JPEG_MAGIC):
        return _checked("jpeg", *_jpeg_size(data))
    raise ValueError(_not_an_image(data))


def _jpeg_size(data: bytes) -> tuple[int, int]:
    position = 2
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            break
        marker = data[position + 1]
        if marker == 0xFF:  # padding between segments
            position += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # markers without a length
            position += 2
            continue
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        if marker in _JPEG_SOF and position + 9 <= len(data):
            height, width = struct.unpack(">HH", data[position + 5 : position + 9])
            return width, height
        position += 2 + length
    raise ValueError("is a damaged JPEG: no frame header gives its size")


def _checked(image_format: str, width: int, height: int) -> tuple[str, int, int]:
    if width == 0 or height == 0:
        raise ValueError(f"is a damaged {image_format.upper()}: it says it is {width} x {height} pixels")
    return image_format, width, height


def _not_an_image(data: bytes) -> str:
    named = {b"GIF8": "a GIF", b"<svg": "an SVG", b"<?xm": "XML (an SVG?)", b"RIFF": "a RIFF file (WebP?)", b"%PDF": "a PDF"}
    kind = next((name for magic, name in named.items() if data.startswith(magic)), None)
    detail = f"; it looks like {kind}" if kind else ("; the file is empty" if not data else "")
    return f"is not a PNG or JPEG image{detail}"


# ---------------------------------------------------------------- nodes


def _top_level(root: yaml.Node) -> dict[str, yaml.Node]:
    """The value node of each top-level key (the walk has reported anything malformed)."""
    if not isinstance(root, yaml.MappingNode):
        return {}
    return {key.value: value for key, value in root.value if isinstance(key, yaml.ScalarNode)}


def _field_names() -> list[str]:
    return [f.name for f in dataclasses.fields(Branding)]

