"""`index DIR... [-o FILE] [--stale-months N]`: one portfolio of every report built under the folders."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.commands import ExitStatus, UsageError, source_date_epoch
from generator.pipeline.publish import os_fault_line, replace_file
from generator.pipeline.index import OUTPUT_SUFFIXES, index, portfolio_bytes, terminal_table

HELP = "list every report built under the folders (manifests verified, health, versions); exit 1 on any problem"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folders", nargs="+", type=Path, metavar="DIR", help="an output folder (e.g. one per shard)")
    parser.add_argument(
        "-o", "--output", type=Path, metavar="FILE",
        help=f"write the portfolio as {', '.join(OUTPUT_SUFFIXES)} (by the suffix); default: a table on stdout",
    )
    parser.add_argument(
        "--stale-months", type=int, default=12, metavar="N",
        help="a payer review older than N months before as_of is stale (default: 12)",
    )


def run(args: argparse.Namespace) -> ExitStatus:
    for folder in args.folders:
        if not folder.is_dir():
            raise UsageError(f"{folder}: no such folder")
    if args.output is not None and args.output.suffix.lower() not in OUTPUT_SUFFIXES:
        raise UsageError(f"-o {args.output}: expected a file ending in {', '.join(OUTPUT_SUFFIXES)}")
    if args.stale_months < 1:
        raise UsageError(f"--stale-months: expected 1 or more, got {args.stale_months}")
    portfolio = index(args.folders, args.stale_months, source_date_epoch())
    if args.output is None:
        print(terminal_table(portfolio))
    else:
        try:
            args.output.parent.mkdir(parents=True, exist_ok=True)
            replace_file(args.output, portfolio_bytes(portfolio, args.output.suffix.lower()))
        except OSError as error:
            print(f"error: cannot write: {os_fault_line(error, args.output)}", file=sys.stderr)
            return ExitStatus.OS_FAULT
        count = len(portfolio.entries)
        print(f"wrote {args.output} ({count} report{'' if count == 1 else 's'})")
    for line in portfolio.problems:
        print(line, file=sys.stderr)
    return ExitStatus.INVALID_SPEC if portfolio.problems else ExitStatus.OK
