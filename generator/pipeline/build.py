"""Building deliverables: spec file in, DOCX/PDF/XLSX files and their manifest out, never half-written."""

from __future__ import annotations

import dataclasses
import os
import tempfile
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from generator.pipeline import manifest
from generator.pipeline.parallel import render_formats
from generator.document.compose import compose
from generator.document.model import Document
from generator.spec import LoadedSpec, LoadedTheme
from generator.spec.theme import readable_text_color
from generator.writers import FORMATS, RenderOptions
from generator.writers.theme import THEME, Logo, Theme


def build_timestamp(loaded: LoadedSpec, source_date_epoch: str | None) -> datetime:
    """SOURCE_DATE_EPOCH when set, else the spec's as_of date: never the clock."""
    return manifest.pinned_timestamp(loaded.spec.as_of, source_date_epoch)


def build(
    loaded: LoadedSpec, out_dir: Path, formats: Iterable[str], source_date_epoch: str | None, workers: int = 1
) -> list[Path]:
    """Render (on up to `workers` processes), write the deliverables, then their manifest;
    return every path written."""
    timestamp = build_timestamp(loaded, source_date_epoch)
    payloads = render_document(compose(loaded.spec), render_options(loaded, timestamp), formats, workers)
    inputs = manifest.build_inputs(loaded, timestamp, theme=loaded.theme)
    return publish(loaded.path.stem, payloads, out_dir, inputs)


def render_options(loaded: LoadedSpec, timestamp: datetime) -> RenderOptions:
    """The options a spec's deliverables are rendered with: its timestamp and its theme."""
    return RenderOptions(timestamp=timestamp, theme=writer_theme(loaded.theme))


def writer_theme(loaded: LoadedTheme | None) -> Theme:
    """The house style with a theme file's branding laid over it (the house style alone without one)."""
    if loaded is None:
        return THEME
    branding = loaded.branding
    brand = branding.brand_color or THEME.brand_color
    logo = loaded.logo
    return dataclasses.replace(
        THEME,
        brand_name=branding.brand_name,
        logo=Logo(logo.data, logo.format, logo.width_px, logo.height_px) if logo else None,
        brand_color=brand,
        # A theme that names only its brand colour gets it for sub-headings too.
        accent_color=branding.accent_color or (brand if branding.brand_color else THEME.accent_color),
        header_text_color=readable_text_color(brand),
        stripe_color=branding.stripe_color or THEME.stripe_color,
    )


def publish(stem: str, payloads: dict[str, bytes], out_dir: Path, inputs: dict[str, object]) -> list[Path]:
    """Write rendered payloads and, after them, the manifest describing them."""
    written = write_deliverables(stem, payloads, out_dir)
    # Written last: a manifest never lists a file that is not yet in place.
    record = manifest.make_manifest(inputs, manifest.deliverable_entries(stem, payloads), out_dir, stem)
    target = manifest.manifest_path(out_dir, stem)
    atomic_write(target, manifest.dumps(record))
    return [*written, target]


def render_document(
    document: Document, options: RenderOptions, formats: Iterable[str] = FORMATS, workers: int = 1
) -> dict[str, bytes]:
    return render_formats(document, options, tuple(formats), workers)


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
