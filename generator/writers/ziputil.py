"""Rewrite an OOXML zip so its bytes depend only on its content.

python-docx and openpyxl stamp zip entries with the current time; both DOCX
and XLSX must be byte-identical for the same spec, so entries are rewritten
with one fixed time, fixed permissions and the original (deterministic) order.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

_ZIP_EPOCH = datetime(1980, 1, 1)  # the earliest time a zip entry can hold


def normalize_zip(data: bytes, timestamp: datetime) -> bytes:
    when = max(timestamp.replace(tzinfo=None), _ZIP_EPOCH).timetuple()[:6]
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
