"""Write an OOXML zip whose bytes depend only on its content, and the UTC time its dates are written in.

python-docx and openpyxl would stamp zip entries with the current time; both DOCX
and XLSX must be byte-identical for the same spec, so both writers collect their
parts and zip them here with one fixed time, fixed permissions and the order given.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from datetime import datetime, timezone

# The range a zip entry's MS-DOS date and time can hold; a timestamp outside it is clamped.
_ZIP_EARLIEST = datetime(1980, 1, 1)
_ZIP_LATEST = datetime(2107, 12, 31, 23, 59, 58)  # two-second resolution


def zip_parts(parts: Iterable[tuple[str, bytes]], timestamp: datetime) -> bytes:
    """A deflated zip of (name, content) in the order given, every entry stamped with `timestamp`."""
    when = min(max(utc_wall_time(timestamp), _ZIP_EARLIEST), _ZIP_LATEST).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, content in parts:
            info = zipfile.ZipInfo(name, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, content)
    return out.getvalue()


def utc_wall_time(moment: datetime) -> datetime:
    """`moment` as naive UTC: python-docx and openpyxl write a naive datetime with a literal 'Z'."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(timezone.utc).replace(tzinfo=None)
