"""Building payer packets: the full report made current first, then every packet rendered, then published.

Each packet is written to <out>/packets/<stem>-<payer slug>.pdf and .docx, a folder that holds
only what users attach; one manifest for the set, <out>/<stem>.packets.json, lists every packet
file and its payer. A packet identifies the full report PDF it was cut from by its SHA-256, as
<out>/<stem>.manifest.json records it. When that report is not current (`manifest.is_current`, whatever timestamp it was
pinned to), the full report is built first, all formats, so the hash a packet cites is always real.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.document.packet import ReportRef, packet_document
from generator.pipeline import manifest
from generator.pipeline.build import build, build_timestamp, render_document
from generator.pipeline.publish import locked, recover, replace_file, switch
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
    return written + write_packets(loaded, rendered, report, out_dir, epoch)


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
    dated = options.timestamp.date()  # the letters' date: the build's own, so reproducible
    return [
        (
            f"{loaded.path.stem}-{slugs[index]}",
            loaded.spec.payers[index].payer,
            render_document(packet_document(loaded.spec, index, report, dated), options, PACKET_FORMATS),
        )
        for index in indexes
    ]


def write_packets(
    loaded: LoadedSpec, rendered: list[Rendered], report: ReportRef, out_dir: Path, epoch: str | None
) -> list[Path]:
    """Publish each packet's PDF and DOCX as one switch, then the set's manifest (under its own lock);
    each packet's old manifest beside it (what earlier versions wrote) goes once the set's lists the packet."""
    packets_dir = out_dir / PACKETS_DIR
    packets_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    entries: dict[str, dict[str, Any]] = {}
    for stem, payer, payloads in rendered:
        files = {f"{stem}.{fmt}": data for fmt, data in payloads.items()}
        with locked(packets_dir, stem):
            switch(packets_dir, stem, files)
        written += [packets_dir / name for name in files]
        for name, entry in manifest.deliverable_entries(stem, payloads).items():
            entries[f"{PACKETS_DIR}/{name}"] = {**entry, "payer": payer}
    inputs = packet_inputs(loaded, report, epoch)
    target = manifest.set_manifest_path(out_dir, loaded.path.stem)
    with locked(out_dir, target.name):
        kept = manifest.current_entries(manifest.load_manifest(target), inputs, out_dir)
        replace_file(target, manifest.dumps({**inputs, "deliverables": {**kept, **entries}}))
    for stem, _, _ in rendered:
        manifest.manifest_path(packets_dir, stem).unlink(missing_ok=True)
    return [*written, target]


def packet_inputs(loaded: LoadedSpec, report: ReportRef, epoch: str | None) -> dict[str, Any]:
    inputs = manifest.build_inputs(loaded, build_timestamp(loaded, epoch))
    return {**inputs, "report": {"file": report.file, "sha256": report.sha256}}
