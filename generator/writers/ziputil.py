"""Write an OOXML zip whose bytes depend only on its content, and the UTC time its dates are written in.

python-docx and openpyxl would stamp zip entries with the current time; both DOCX
and XLSX must be byte-identical for the same spec, so both writers collect their
parts and zip them here with one fixed time, fixed permissions and the order given.
The zip is written here, not by zipfile, so that a part every report of a theme shares
(the DOCX's 790 kB of styles) can be deflated once and kept (`Deflated`), not deflated
again for every report. The bytes are those zipfile writes for the same entries (deflated
at zlib's default level, no extra fields, made on Unix), on any platform.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone

# The range a zip entry's MS-DOS date and time can hold; a timestamp outside it is clamped.
_ZIP_EARLIEST = datetime(1980, 1, 1)
_ZIP_LATEST = datetime(2107, 12, 31, 23, 59, 58)  # two-second resolution

_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
_CENTRAL_HEADER = struct.Struct("<4s4B4HL2L5H2L")
_END_RECORD = struct.Struct("<4s4H2LH")
_VERSION = 20  # 2.0: what deflate needs, as zipfile writes it
_UNIX = 3  # the system that "made" the entries: its permission bits are the ones given
_DEFLATE = 8
_UTF8_NAME = 0x800  # the flag of an entry whose name is not ASCII
_PERMISSIONS = 0o644 << 16
_LIMIT = 0xFFFFFFFF // 2  # sizes and offsets well inside a plain zip's 32 bits (no zip64 here)


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
    """A deflated zip of (name, content) in the order given, every entry stamped with `timestamp`."""
    moment = min(max(utc_wall_time(timestamp), _ZIP_EARLIEST), _ZIP_LATEST)
    date = (moment.year - 1980) << 9 | moment.month << 5 | moment.day
    time = moment.hour << 11 | moment.minute << 5 | moment.second // 2
    out = bytearray()
    directory = bytearray()
    count = 0
    for name, content in parts:
        part = content if isinstance(content, Deflated) else deflated(content)
        encoded, flags = _encoded_name(name)
        offset = len(out)
        if max(offset, part.size, len(part.stream)) > _LIMIT:
            raise ValueError(f"{name}: too large for a zip without zip64")
        sizes = (part.crc, len(part.stream), part.size, len(encoded))
        out += _LOCAL_HEADER.pack(b"PK\x03\x04", _VERSION, 0, flags, _DEFLATE, time, date, *sizes, 0)
        out += encoded + part.stream
        directory += _CENTRAL_HEADER.pack(
            b"PK\x01\x02", _VERSION, _UNIX, _VERSION, 0, flags, _DEFLATE, time, date, *sizes, 0, 0, 0, 0,
            _PERMISSIONS, offset,
        )
        directory += encoded
        count += 1
    start = len(out)
    out += directory
    out += _END_RECORD.pack(b"PK\x05\x06", 0, 0, count, count, len(directory), start, 0)
    return bytes(out)


def _encoded_name(name: str) -> tuple[bytes, int]:
    try:
        return name.encode("ascii"), 0
    except UnicodeEncodeError:
        return name.encode("utf-8"), _UTF8_NAME


def utc_wall_time(moment: datetime) -> datetime:
    """`moment` as naive UTC: python-docx and openpyxl write a naive datetime with a literal 'Z'."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(timezone.utc).replace(tzinfo=None)
