"""`packet SPEC [--payer NAME]... [-o DIR]`: per-payer correspondence packets, PDF and DOCX.

Writes DIR/packets/<stem>-<payer slug>.pdf and .docx (and a manifest beside them) for
every payer of the spec, or for those named; generator.pipeline.packets builds them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.commands import ExitStatus, load_or_report, output_folder, report_failure, source_date_epoch
from generator.document.packet import UnknownPayer, select_payers
from generator.pipeline.health import build_warnings
from generator.pipeline.packets import build_packets
from generator.writers import RenderError

HELP = "write a correspondence packet (PDF and DOCX excerpt) per payer into DIR/packets/"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("spec", type=Path, metavar="SPEC")
    parser.add_argument(
        "--payer", action="append", dest="payers", default=[], metavar="NAME",
        help="only this payer (repeatable; case-insensitive); default: every payer",
    )
    parser.add_argument("-o", "--output", type=Path, default=Path("output"), metavar="DIR", help="default: output/")


def run(args: argparse.Namespace) -> ExitStatus:
    epoch = source_date_epoch()
    output_folder(args.output)
    loaded = load_or_report(args.spec, check_font=True)
    if loaded is None:
        return ExitStatus.INVALID_SPEC
    for warning in build_warnings(loaded):
        print(f"{warning.format(args.spec)} (warning)", file=sys.stderr)
    try:
        indexes = select_payers(loaded.spec, args.payers)
    except UnknownPayer as error:
        print(f"{args.spec}: {error}", file=sys.stderr)
        return ExitStatus.INVALID_SPEC
    if not indexes:
        print(f"{args.spec}: the spec lists no payers; no packets written", file=sys.stderr)
        return ExitStatus.OK
    try:
        written = build_packets(loaded, indexes, args.output, epoch)  # every packet rendered before any is written
    except (RenderError, OSError) as error:
        return report_failure(args.spec, error, args.output)
    for target in written:
        print(f"wrote {target}")
    return ExitStatus.OK

