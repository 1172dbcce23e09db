"""`packet SPEC [--payer NAME]... [-o DIR]`: per-payer correspondence packets, PDF and DOCX.

Writes DIR/packets/<stem>-<payer slug>.pdf and .docx (and a manifest beside them) for
every payer of the spec, or for those named. Each packet cites the SHA-256 of the full
report PDF it was cut from, as DIR/<stem>.manifest.json records it. When that report
is missing, or its manifest traces to another spec (by SHA-256) or generator version,
or the PDF on disk no longer matches its manifest, the full report is built first
(generator.pipeline.build.build, all formats), so the hash a packet cites is always real.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from generator.pipeline import manifest
from generator.pipeline.build import build, build_timestamp, publish, render_document
from generator.commands import ExitStatus, load_or_report, source_date_epoch
from generator.document.packet import ReportRef, UnknownPayer, packet_document, select_payers
from generator.pipeline.slug import unique_slugs
from generator.spec import LoadedSpec
from generator.writers import FORMATS, RenderError, RenderOptions

HELP = "write a correspondence packet (PDF and DOCX excerpt) per payer into DIR/packets/"

PACKET_FORMATS = ("pdf", "docx")
PACKETS_DIR = "packets"
SLUG_PREFIX = "payer"  # a name with no letters or digits becomes payer-N (its position)

# (file stem, payer name, format -> bytes) of one rendered packet
Rendered = tuple[str, str, dict[str, bytes]]


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("spec", type=Path, metavar="SPEC")
    parser.add_argument(
        "--payer", action="append", dest="payers", default=[], metavar="NAME",
        help="only this payer (repeatable; case-insensitive); default: every payer",
    )
    parser.add_argument("-o", "--output", type=Path, default=Path("output"), metavar="DIR", help="default: output/")


def run(args: argparse.Namespace) -> ExitStatus:
    epoch = source_date_epoch()
    loaded = load_or_report(args.spec)
    if loaded is None:
        return ExitStatus.INVALID_SPEC
    try:
        indexes = select_payers(loaded.spec, args.payers)
    except UnknownPayer as error:
        print(f"{args.spec}: {error}", file=sys.stderr)
        return ExitStatus.INVALID_SPEC
    if not indexes:
        print(f"{args.spec}: the spec lists no payers; no packets written", file=sys.stderr)
        return ExitStatus.OK
    try:
        report, written = current_report(loaded, args.output, epoch)
        rendered = render_packets(loaded, indexes, report, epoch)  # every packet, before writing any
        written += write_packets(loaded, rendered, report, args.output / PACKETS_DIR, epoch)
    except RenderError as error:
        print(f"{args.spec}: cannot build: {error}", file=sys.stderr)
        return ExitStatus.INVALID_SPEC
    except OSError as error:
        print(f"{args.spec}: cannot write {error.filename or args.output}: {error.strerror or error}", file=sys.stderr)
        return ExitStatus.INVALID_SPEC
    for target in written:
        print(f"wrote {target}")
    return ExitStatus.OK


def current_report(loaded: LoadedSpec, out_dir: Path, epoch: str | None) -> tuple[ReportRef, list[Path]]:
    """The full report PDF the packets cite, built first unless it is current; and what was written."""
    pdf = out_dir / f"{loaded.path.stem}.pdf"
    written = [] if report_is_current(loaded, pdf) else build(loaded, out_dir, FORMATS, epoch)
    record = manifest.load_manifest(manifest.manifest_path(out_dir, loaded.path.stem)) or {}
    return ReportRef(pdf.name, record["deliverables"][pdf.name]["sha256"]), written


def report_is_current(loaded: LoadedSpec, pdf: Path) -> bool:
    """The PDF matches its manifest, which traces to this very spec and generator version.

    The timestamp is not compared: a report pinned with another SOURCE_DATE_EPOCH has the
    same content, and rebuilding would replace a file that may already have been sent.
    """
    record = manifest.load_manifest(manifest.manifest_path(pdf.parent, loaded.path.stem))
    if record is None:
        return False
    spec = record.get("spec")
    same_spec = isinstance(spec, dict) and spec.get("sha256") == manifest.sha256(loaded.path.read_bytes())
    this_generator = manifest.build_inputs(loaded, build_timestamp(loaded, None))["generator"]
    return same_spec and record.get("generator") == this_generator and manifest.check(pdf).status is manifest.Status.OK


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
