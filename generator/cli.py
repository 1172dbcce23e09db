"""The command line: `python -m generator build|validate SPEC...`."""

from __future__ import annotations

import argparse
import enum
import os
import sys
from pathlib import Path

from generator.build import build_timestamp, render_all, write_deliverables
from generator.spec import LoadedSpec, SpecError, load_spec
from generator.writers import FORMATS, RenderOptions


class ExitStatus(enum.IntEnum):
    OK = 0
    INVALID_SPEC = 1
    USAGE = 2


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m generator", description=__doc__)
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    build = commands.add_parser("build", help="write DOCX, PDF and XLSX deliverables for each spec")
    build.add_argument("specs", nargs="+", type=Path, metavar="SPEC")
    build.add_argument("-o", "--output", type=Path, default=Path("output"), metavar="DIR", help="default: output/")
    build.add_argument(
        "-f", "--format", action="append", choices=FORMATS, dest="formats",
        help="build only this format (repeatable); default: all",
    )
    validate = commands.add_parser("validate", help="check specs; exit 0 when all are valid")
    validate.add_argument("specs", nargs="+", type=Path, metavar="SPEC")
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None and not epoch.isdigit():
        print(f"error: SOURCE_DATE_EPOCH must be whole seconds since 1970, got {epoch!r}", file=sys.stderr)
        return ExitStatus.USAGE
    failed = False
    for path in args.specs:
        loaded = _load(path)
        if loaded is None:
            failed = True
        elif args.command == "build":
            _build(loaded, args.output, args.formats or FORMATS, epoch)
    return ExitStatus.INVALID_SPEC if failed else ExitStatus.OK


def _load(path: Path) -> LoadedSpec | None:
    try:
        loaded = load_spec(path)
    except SpecError as error:
        print("\n".join(error.lines()), file=sys.stderr)
        return None
    for warning in loaded.warnings:
        print(f"{warning.format(path)} (warning)", file=sys.stderr)
    return loaded


def _build(loaded: LoadedSpec, out_dir: Path, formats: tuple[str, ...] | list[str], epoch: str | None) -> None:
    options = RenderOptions(timestamp=build_timestamp(loaded, epoch))
    for target in write_deliverables(loaded.path.stem, render_all(loaded, options, formats), out_dir):
        print(f"wrote {target}")
