"""`schema [-o FILE]`: print or write the JSON Schema of the spec format, for editors."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.pipeline.publish import os_fault_line, replace_file
from generator.commands import ExitStatus
from generator.spec.schema import schema_text

HELP = "print the JSON Schema of the spec format (editors use it for completion and checks)"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o", "--output", type=Path, metavar="FILE",
        help="write the schema here instead of printing it (e.g. specs/report.schema.json)",
    )


def run(args: argparse.Namespace) -> ExitStatus:
    text = schema_text()
    if args.output is None:
        sys.stdout.write(text)
        return ExitStatus.OK
    try:
        replace_file(args.output, text.encode("utf-8"))
    except OSError as error:
        print(f"error: cannot write: {os_fault_line(error, args.output)}", file=sys.stderr)
        return ExitStatus.OS_FAULT
    print(f"wrote {args.output}")
    return ExitStatus.OK
