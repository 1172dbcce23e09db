"""The OOXML zip writer: the bytes Python's zipfile writes, from cached or fresh deflating."""

from __future__ import annotations

import io
import os
import zipfile
from datetime import datetime, timezone

import pytest

from generator.writers import ziputil
from generator.writers.ziputil import deflated, zip_parts

WHEN = datetime(2026, 11, 26, 13, 45, 31, tzinfo=timezone.utc)


def zipfile_reference(parts: list[tuple[str, bytes]], when: datetime) -> bytes:
    """What zipfile itself writes for the same entries (the writer this module replaced)."""
    stamp = ziputil.utc_wall_time(when).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, content in parts:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, content)
    return out.getvalue()


PARTS = [
    ("[Content_Types].xml", b'<?xml version="1.0"?><Types/>'),
    ("word/document.xml", b"<w:document>" + b"<w:p>text</w:p>" * 5000 + b"</w:document>"),
    ("empty.bin", b""),
    ("media/random.bin", os.urandom(70_000)),  # does not deflate: stored bigger than it is
    ("docs/r\u00e9sum\u00e9.xml", "caf\u00e9".encode()),  # a name beyond ASCII is flagged UTF-8
]


def test_the_zip_is_the_one_zipfile_writes_and_reads_back_with_every_crc():
    written = zip_parts(PARTS, WHEN)
    assert written == zipfile_reference(PARTS, WHEN)
    with zipfile.ZipFile(io.BytesIO(written)) as archive:
        assert archive.testzip() is None
        assert [(info.filename, archive.read(info)) for info in archive.infolist()] == PARTS
        assert {info.date_time for info in archive.infolist()} == {(2026, 11, 26, 13, 45, 30)}  # two-second steps


def test_a_part_deflated_before_gives_the_same_bytes(monkeypatch):
    monkeypatch.setattr(ziputil, "_deflate_cache", type(ziputil._deflate_cache)())
    first = zip_parts(PARTS, WHEN)
    assert len(ziputil._deflate_cache) == len(PARTS)
    assert zip_parts(PARTS, WHEN) == first  # every part from the cache
    changed = [*PARTS[:1], ("word/document.xml", b"<w:document/>"), *PARTS[2:]]
    assert zip_parts(changed, WHEN) == zipfile_reference(changed, WHEN)


def test_a_part_that_comes_deflated_zips_as_its_content_would(monkeypatch):
    monkeypatch.setattr(ziputil, "_deflate_cache", type(ziputil._deflate_cache)())
    ready = [(name, deflated(content)) for name, content in PARTS]
    assert zip_parts(ready, WHEN) == zipfile_reference(PARTS, WHEN)
    assert not ziputil._deflate_cache  # zipped as given, not deflated again
    mixed = [ready[0], *PARTS[1:3], *ready[3:]]
    assert zip_parts(mixed, WHEN) == zipfile_reference(PARTS, WHEN)


def test_the_cache_keeps_only_the_most_recently_used_parts(monkeypatch):
    monkeypatch.setattr(ziputil, "_deflate_cache", type(ziputil._deflate_cache)())
    parts = [(f"p{i}.xml", f"<p>{i}</p>".encode()) for i in range(ziputil._DEFLATE_CACHE_ENTRIES + 10)]
    zip_parts(parts, WHEN)
    assert len(ziputil._deflate_cache) == ziputil._DEFLATE_CACHE_ENTRIES
    assert parts[-1][1] in ziputil._deflate_cache and parts[0][1] not in ziputil._deflate_cache


@pytest.mark.parametrize("when", [datetime(1970, 1, 1), datetime(2200, 1, 1)], ids=["before-1980", "after-2107"])
def test_a_time_a_zip_cannot_hold_is_clamped(when):
    assert zip_parts(PARTS[:2], when) == zipfile_reference(PARTS[:2], min(max(when, datetime(1980, 1, 1)), datetime(2107, 12, 31, 23, 59, 58)))
