"""`validate SPEC...`: check specs (and theme files) without building, and warn about their content's health."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.commands import ExitStatus, load_or_report
from generator.pipeline.build import pdf_font_check
from generator.pipeline.health import health_warnings
from generator.spec import SpecError
from generator.spec.theme import is_theme_file, load_theme

HELP = "check specs; exit 0 when all are valid (content-health warnings do not fail)"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("specs", nargs="+", type=Path, metavar="SPEC")
    parser.add_argument(
        "--stale-months", type=_positive, default=12, metavar="N",
        help="warn about payers last reviewed more than N months before as_of (default: 12)",
    )


def run(args: argparse.Namespace) -> ExitStatus:
    failed = False
    for path in args.specs:
        if is_theme_file(path):  # `validate specs/*.yaml` checks the folder's theme files too
            failed |= not _theme_is_valid(path)
            continue
        loaded = load_or_report(path, check_font=True)
        if loaded is None:
            failed = True
            continue
        for warning in health_warnings(loaded, args.stale_months):
            print(f"{warning.format(path)} (warning)", file=sys.stderr)
    return ExitStatus.INVALID_SPEC if failed else ExitStatus.OK


def _theme_is_valid(path: Path) -> bool:
    try:
        theme = load_theme(path, check_font=pdf_font_check)
    except SpecError as error:
        print("\n".join(error.lines()), file=sys.stderr)
        return False
    for warning in theme.warnings:
        print(f"{warning.format(path)} (warning)", file=sys.stderr)
    return True


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) == 0:
        raise argparse.ArgumentTypeError(f"expected a whole number of months above 0, got {text!r}")
    return int(text)
