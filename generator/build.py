"""Building deliverables: spec file in, DOCX/PDF/XLSX files out, never half-written."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from datetime import datetime, time, timezone
from pathlib import Path

from generator.document.compose import compose
from generator.spec import LoadedSpec
from generator.writers import FORMATS, RenderOptions, render


def build_timestamp(loaded: LoadedSpec, source_date_epoch: str | None) -> datetime:
    """SOURCE_DATE_EPOCH when set, else the spec's as_of date: never the clock."""
    if source_date_epoch is not None:
        return datetime.fromtimestamp(int(source_date_epoch), tz=timezone.utc)
    return datetime.combine(loaded.spec.as_of, time(), tzinfo=timezone.utc)


def render_all(loaded: LoadedSpec, options: RenderOptions, formats: Iterable[str] = FORMATS) -> dict[str, bytes]:
    document = compose(loaded.spec)
    return {fmt: render(fmt, document, options) for fmt in formats}


def write_deliverables(stem: str, payloads: dict[str, bytes], out_dir: Path) -> list[Path]:
    """Write every payload only after all were rendered, each by atomic rename."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt, data in payloads.items():
        target = out_dir / f"{stem}.{fmt}"
        atomic_write(target, data)
        written.append(target)
    return written


def atomic_write(target: Path, data: bytes) -> None:
    # A reader (or a concurrent build) sees the old file or the new one, never a mix.
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
