"""Write an OOXML zip whose bytes depend only on its content, and the UTC time its dates are written in.

python-docx and openpyxl would stamp zip entries with the current time; both DOCX
and XLSX must be byte-identical for the same spec, so both writers collect their
parts and zip them here with one fixed time, fixed permissions and the order given.
A part may come deflated ahead of time (`Deflated`: the DOCX's shared parts, kept so in
the part cache), which is zipped as it is.
"""

from __future__ import annotations

import struct
import zlib
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone

# The range a zip entry's MS-DOS date and time can hold; a timestamp outside it is clamped.
_ZIP_EARLIEST = datetime(1980, 1, 1)
_ZIP_LATEST = datetime(2107, 12, 31, 23, 59, 58)  # two-second resolution

# The zip format (APPNOTE.TXT 4.3.7, 4.3.12, 4.3.16), written as Python's zipfile writes a
# deflated entry to a seekable file: version 2.0, made on Unix, mode 0644, no extra fields.
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_VERSION, _UNIX, _DEFLATED, _UTF8_NAME = 20, 3, 8, 0x800
_MODE = 0o644 << 16
_DEFLATE_CACHE_ENTRIES = 64


@dataclass(frozen=True)
class Deflated:
    """A part's content deflated once, as zip_parts deflates it, to be zipped again as it is."""

    stream: bytes  # the raw deflate stream
    crc: int
    size: int  # of the content


def deflated(content: bytes) -> Deflated:
    """`content` deflated at zlib's default level, as zipfile deflates an entry."""
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return Deflated(compressor.compress(content) + compressor.flush(), zlib.crc32(content), len(content))


def zip_parts(parts: Iterable[tuple[str, bytes | Deflated]], timestamp: datetime) -> bytes:
    """A deflated zip of (name, content) in the order given, every entry stamped with `timestamp`.

    The same bytes as Python's zipfile writes. Every report of a theme carries the same large
    parts (a DOCX's styles are most of its bytes), so each part's deflated form is kept for
    the next report (a few dozen, the most recently used), unless it comes deflated.
    """
    year, month, day, hour, minute, second = min(max(utc_wall_time(timestamp), _ZIP_EARLIEST), _ZIP_LATEST).timetuple()[:6]
    dosdate = (year - 1980) << 9 | month << 5 | day
    dostime = hour << 11 | minute << 5 | second // 2
    chunks: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for name, content in parts:
        part = content if isinstance(content, Deflated) else _deflated(content)
        try:
            encoded, flags = name.encode("ascii"), 0
        except UnicodeEncodeError:
            encoded, flags = name.encode("utf-8"), _UTF8_NAME
        local = _LOCAL.pack(b"PK\x03\x04", _VERSION, 0, flags, _DEFLATED, dostime, dosdate, part.crc,
                            len(part.stream), part.size, len(encoded), 0)
        central.append(_CENTRAL.pack(b"PK\x01\x02", _VERSION, _UNIX, _VERSION, 0, flags, _DEFLATED, dostime, dosdate,
                                     part.crc, len(part.stream), part.size, len(encoded), 0, 0, 0, 0, _MODE, offset)
                       + encoded)
        chunks += (local, encoded, part.stream)
        offset += len(local) + len(encoded) + len(part.stream)
    directory = b"".join(central)
    end = _END.pack(b"PK\x05\x06", 0, 0, len(central), len(central), len(directory), offset, 0)
    return b"".join((*chunks, directory, end))


_deflate_cache: OrderedDict[bytes, Deflated] = OrderedDict()


def _deflated(content: bytes) -> Deflated:
    """`content` deflated, from the cache of recently zipped parts or now."""
    known = _deflate_cache.get(content)
    if known is not None:
        _deflate_cache.move_to_end(content)
        return known
    known = _deflate_cache[content] = deflated(content)
    if len(_deflate_cache) > _DEFLATE_CACHE_ENTRIES:
        _deflate_cache.popitem(last=False)
    return known


def utc_wall_time(moment: datetime) -> datetime:
    """`moment` as naive UTC: python-docx and openpyxl write a naive datetime with a literal 'Z'."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(timezone.utc).replace(tzinfo=None)
