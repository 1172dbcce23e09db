"""Building deliverables: spec file in, DOCX/PDF/XLSX files and their manifest out, published all or nothing."""

from __future__ import annotations

import dataclasses
import functools
import types
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from generator import collector
from generator.pipeline import manifest
from generator.pipeline.parallel import render_formats
from generator.pipeline.publish import publish
from generator.document.compose import compose
from generator.document.model import Document
from generator.spec import LoadedSpec, LoadedTheme
from generator.spec.theme import readable_text_color
from generator.writers import FORMATS, RenderOptions
from generator.writers.theme import THEME, Logo, Theme


def pdf_font_check(text: str) -> str:
    """The characters of `text` the PDF font cannot draw, described ("" when none): what the spec layer
    is given to check with (writers/typeface.py owns the repertoire, so validate and the PDF writer agree).
    Imported on the first call: an XLSX-only build never loads the PDF library."""
    typeface = _typeface()
    missing = typeface.missing_characters(text)
    return typeface.describe(missing) if missing else ""


@functools.cache
def _typeface() -> types.ModuleType:
    """writers/typeface.py, imported once (an import statement costs a microsecond on every one of a spec's texts)."""
    from generator.writers import typeface

    return typeface


def build_timestamp(loaded: LoadedSpec, source_date_epoch: str | None) -> datetime:
    """SOURCE_DATE_EPOCH when set, else the spec's as_of date: never the clock."""
    return manifest.pinned_timestamp(loaded.spec.as_of, source_date_epoch)


def build(
    loaded: LoadedSpec, out_dir: Path, formats: Iterable[str], source_date_epoch: str | None, workers: int = 1
) -> list[Path]:
    """Render (on up to `workers` processes), then publish the deliverables and their manifest as one
    switch (generator.pipeline.publish); return every path written."""
    try:
        timestamp = build_timestamp(loaded, source_date_epoch)
        payloads = render_document(compose(loaded.spec), render_options(loaded, timestamp), formats, workers)
        inputs = manifest.build_inputs(loaded, timestamp, theme=loaded.theme)
        return publish(loaded.path.stem, payloads, out_dir, inputs)
    finally:
        collector.resume()  # a command's first build is done: see generator/collector.py


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


def render_document(
    document: Document, options: RenderOptions, formats: Iterable[str] = FORMATS, workers: int = 1
) -> dict[str, bytes]:
    return render_formats(document, options, tuple(formats), workers)
