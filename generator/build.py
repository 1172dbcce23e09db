"""Building deliverables: spec file in, DOCX/PDF/XLSX files and their manifest out, never half-written."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from datetime import datetime, time, timezone
from pathlib import Path

from generator import manifest
from generator.document.compose import compose
from generator.document.model import Document
from generator.spec import LoadedSpec
from generator.writers import FORMATS, RenderOptions, render


def build_timestamp(loaded: LoadedSpec, source_date_epoch: str | None) -> datetime:
    """SOURCE_DATE_EPOCH when set, else the spec's as_of date: never the clock."""
    if source_date_epoch is not None:
        return datetime.fromtimestamp(int(source_date_epoch), tz=timezone.utc)
    return datetime.combine(loaded.spec.as_of, time(), tzinfo=timezone.utc)


def build(loaded: LoadedSpec, out_dir: Path, formats: Iterable[str], source_date_epoch: str | None) -> list[Path]:
    """Render, write the deliverables, then their manifest; return every path written."""
    timestamp = build_timestamp(loaded, source_date_epoch)
    payloads = render_all(loaded, RenderOptions(timestamp=timestamp), formats)
    return publish(loaded.path.stem, payloads, out_dir, manifest.build_inputs(loaded, timestamp))


def publish(stem: str, payloads: dict[str, bytes], out_dir: Path, inputs: dict[str, object]) -> list[Path]:
    """Write rendered payloads and, after them, the manifest describing them."""
    written = write_deliverables(stem, payloads, out_dir)
    # Written last: a manifest never lists a file that is not yet in place.
    record = manifest.make_manifest(inputs, manifest.deliverable_entries(stem, payloads), out_dir, stem)
    target = manifest.manifest_path(out_dir, stem)
    atomic_write(target, manifest.dumps(record))
    return [*written, target]


def render_document(document: Document, options: RenderOptions, formats: Iterable[str] = FORMATS) -> dict[str, bytes]:
    return {fmt: render(fmt, document, options) for fmt in formats}


def render_all(loaded: LoadedSpec, options: RenderOptions, formats: Iterable[str] = FORMATS) -> dict[str, bytes]:
    return render_document(compose(loaded.spec), options, formats)


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
