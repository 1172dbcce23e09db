"""`new CODE --title TEXT [-o FILE]`: start a spec with the standard sections and key payers."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.commands import ExitStatus, UsageError, source_date_epoch
from generator.pipeline.publish import os_fault_line
from generator.spec.template import BadStart, create, new_spec_text, start_date

HELP = "write a starting spec for a new billing code (standard sections, key payers, no data yet)"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("code", metavar="CODE", help="the billing code, e.g. 89253")
    parser.add_argument("--title", required=True, help="report title, without the code")
    parser.add_argument("-o", "--output", type=Path, metavar="FILE", help="default: specs/CODE.yaml")


def run(args: argparse.Namespace) -> ExitStatus:
    path = args.output or Path("specs") / f"{args.code}.yaml"
    try:
        text = new_spec_text(args.code, args.title, start_date(source_date_epoch()), path)
    except BadStart as error:
        raise UsageError(error) from None
    try:
        create(path, text)
    except FileExistsError:
        print(f"error: {path} already exists; not overwriting it", file=sys.stderr)
        return ExitStatus.INVALID_SPEC
    except OSError as error:
        print(f"error: cannot write: {os_fault_line(error, path)}", file=sys.stderr)
        return ExitStatus.OS_FAULT
    print(f"wrote {path}")
    return ExitStatus.OK
