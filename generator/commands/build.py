"""`build SPEC... [-o DIR]`: write the deliverables of each spec, then its manifest."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.build import build
from generator.commands import ExitStatus, UsageError, load_or_report, source_date_epoch
from generator.writers import FORMATS, RenderError

HELP = "write DOCX, PDF and XLSX deliverables and a manifest (<stem>.manifest.json) for each spec"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("specs", nargs="+", type=Path, metavar="SPEC")
    parser.add_argument("-o", "--output", type=Path, default=Path("output"), metavar="DIR", help="default: output/")
    parser.add_argument(
        "-f", "--format", action="append", choices=FORMATS, dest="formats",
        help="build only this format (repeatable); default: all",
    )


def run(args: argparse.Namespace) -> ExitStatus:
    try:
        epoch = source_date_epoch()
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return ExitStatus.USAGE
    failed = False
    for path in args.specs:
        loaded = load_or_report(path)
        if loaded is None:
            failed = True
            continue
        try:
            written = build(loaded, args.output, args.formats or FORMATS, epoch)
        except RenderError as error:
            print(f"{path}: cannot build: {error}", file=sys.stderr)
            failed = True
            continue
        for target in written:
            print(f"wrote {target}")
    return ExitStatus.INVALID_SPEC if failed else ExitStatus.OK
