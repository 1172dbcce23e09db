"""`packet SPEC [--payer NAME]... [-o DIR]`: per-payer correspondence packets, PDF and DOCX.

Writes DIR/packets/<stem>-<payer slug>.pdf and .docx (and a manifest beside them) for
every payer of the spec, or for those named; generator.pipeline.packets builds them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.commands import ExitStatus, load_or_report, source_date_epoch
from generator.document.packet import UnknownPayer, select_payers
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
        written = build_packets(loaded, indexes, args.output, epoch)  # every packet rendered before any is written
    except RenderError as error:
        print(f"{args.spec}: cannot build: {error}", file=sys.stderr)
        return ExitStatus.INVALID_SPEC
    except OSError as error:
        print(f"{args.spec}: cannot write {error.filename or args.output}: {error.strerror or error}", file=sys.stderr)
        return ExitStatus.INVALID_SPEC
    for target in written:
        print(f"wrote {target}")
    return ExitStatus.OK

