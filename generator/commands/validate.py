"""`validate SPEC...`: check specs without building."""

from __future__ import annotations

import argparse
from pathlib import Path

from generator.commands import ExitStatus, load_or_report

HELP = "check specs; exit 0 when all are valid"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("specs", nargs="+", type=Path, metavar="SPEC")


def run(args: argparse.Namespace) -> ExitStatus:
    results = [load_or_report(path) for path in args.specs]
    return ExitStatus.INVALID_SPEC if None in results else ExitStatus.OK
