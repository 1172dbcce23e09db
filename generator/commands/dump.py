"""`dump SPEC [--json]`: print the format-neutral document model a spec composes to."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.commands import ExitStatus, load_or_report
from generator.document.compose import compose
from generator.document.dump import dump_json, dump_text

HELP = "print the document model that the writers receive (for debugging a spec or a writer)"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("spec", type=Path, metavar="SPEC")
    parser.add_argument("--json", action="store_true", help="print JSON (sorted keys) instead of indented text")


def run(args: argparse.Namespace) -> ExitStatus:
    loaded = load_or_report(args.spec)
    if loaded is None:
        return ExitStatus.INVALID_SPEC
    document = compose(loaded.spec)
    sys.stdout.write(dump_json(document) if args.json else dump_text(document))
    return ExitStatus.OK
