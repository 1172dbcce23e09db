"""Rewrite an OOXML zip so its bytes depend only on its content.

python-docx and openpyxl stamp zip entries with the current time; both DOCX
and XLSX must be byte-identical for the same spec, so entries are rewritten
with one fixed time, fixed permissions and the original (deterministic) order.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

# The range a zip entry's MS-DOS date and time can hold; a timestamp outside it is clamped.
_ZIP_EARLIEST = datetime(1980, 1, 1)
_ZIP_LATEST = datetime(2107, 12, 31, 23, 59, 58)  # two-second resolution


def normalize_zip(data: bytes, timestamp: datetime) -> bytes:
    when = min(max(timestamp.replace(tzinfo=None), _ZIP_EARLIEST), _ZIP_LATEST).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(
        out, "w", zipfile.ZIP_DEFLATED
    ) as dst:
        for entry in src.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(entry))
    return out.getvalue()
