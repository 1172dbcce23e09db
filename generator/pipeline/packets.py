"""Building payer packets: the full report made current first, then every packet rendered, then published.

Each packet is written to <out>/packets/<stem>-<payer slug>.pdf and .docx with a manifest beside
them, and cites the SHA-256 of the full report PDF it was cut from, as <out>/<stem>.manifest.json
records it. When that report is not current (`manifest.is_current`, whatever timestamp it was
pinned to), the full report is built first, all formats, so the hash a packet cites is always real.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.document.packet import ReportRef, packet_document
from generator.pipeline import manifest
from generator.pipeline.build import build, build_timestamp, render_document
from generator.pipeline.publish import publish, recover
from generator.pipeline.slug import unique_slugs
from generator.spec import LoadedSpec
from generator.writers import FORMATS, RenderOptions

PACKET_FORMATS = ("pdf", "docx")
PACKETS_DIR = "packets"
SLUG_PREFIX = "payer"  # a name with no letters or digits becomes payer-N (its position)

# (file stem, payer name, format -> bytes) of one rendered packet
Rendered = tuple[str, str, dict[str, bytes]]


def build_packets(loaded: LoadedSpec, indexes: list[int], out_dir: Path, epoch: str | None) -> list[Path]:
    """The packets of the payers at `indexes`, every one rendered before any is written; every path written."""
    report, written = current_report(loaded, out_dir, epoch)
    rendered = render_packets(loaded, indexes, report, epoch)
    return written + write_packets(loaded, rendered, report, out_dir / PACKETS_DIR, epoch)


def current_report(loaded: LoadedSpec, out_dir: Path, epoch: str | None) -> tuple[ReportRef, list[Path]]:
    """The full report PDF the packets cite, built first unless it is current; and what was written."""
    pdf = out_dir / f"{loaded.path.stem}.pdf"
    recover(out_dir, loaded.path.stem)  # an interrupted switch of the report is completed first
    # Any timestamp: a report pinned with another SOURCE_DATE_EPOCH has the same content, and
    # rebuilding would replace a file that may already have been sent.
    current = manifest.is_current(loaded.path, out_dir, ("pdf",), epoch, any_timestamp=True)
    written = [] if current else build(loaded, out_dir, FORMATS, epoch)
    record = manifest.load_manifest(manifest.manifest_path(out_dir, loaded.path.stem)) or {}
    return ReportRef(pdf.name, record["deliverables"][pdf.name]["sha256"]), written


def render_packets(loaded: LoadedSpec, indexes: list[int], report: ReportRef, epoch: str | None) -> list[Rendered]:
    # Slugs come from all the spec's payers, so a payer's file name never depends on --payer.
    slugs = unique_slugs([payer.payer for payer in loaded.spec.payers], SLUG_PREFIX)
    options = RenderOptions(timestamp=build_timestamp(loaded, epoch))
    return [
        (
            f"{loaded.path.stem}-{slugs[index]}",
            loaded.spec.payers[index].payer,
            render_document(packet_document(loaded.spec, index, report), options, PACKET_FORMATS),
        )
        for index in indexes
    ]


def write_packets(
    loaded: LoadedSpec, rendered: list[Rendered], report: ReportRef, packets_dir: Path, epoch: str | None
) -> list[Path]:
    """Publish each packet like a build: atomic renames, then its manifest."""
    written: list[Path] = []
    for stem, payer, payloads in rendered:
        written += publish(stem, payloads, packets_dir, packet_inputs(loaded, payer, report, epoch))
    return written


def packet_inputs(loaded: LoadedSpec, payer: str, report: ReportRef, epoch: str | None) -> dict[str, Any]:
    inputs = manifest.build_inputs(loaded, build_timestamp(loaded, epoch))
    return {**inputs, "payer": payer, "report": {"file": report.file, "sha256": report.sha256}}
