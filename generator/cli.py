"""The command line: `python -m generator COMMAND ...`; each command lives in generator/commands/."""

from __future__ import annotations

import argparse
import importlib
import sys

import generator

from generator.commands import COMMANDS, ExitStatus, UsageError, os_fault_line


def parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser for every command, or only for `command`: then no other command's module is imported."""
    top = argparse.ArgumentParser(prog="python -m generator", description="Billing-code report generator.")
    top.add_argument("--version", action="version", version=f"%(prog)s {generator.__version__}")
    subparsers = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in (command,) if command in COMMANDS else COMMANDS:
        module = importlib.import_module(f"generator.commands.{name}")
        sub = subparsers.add_parser(name, help=module.HELP, description=module.HELP)
        module.configure(sub)
        sub.set_defaults(run=module.run)
    return top


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    # The command is always the first argument (the top level has only -h and --version), so the parser of
    # `build` is made without importing what `diff`, `packet` or `schema` need; anything else
    # (help, a typo) gets the full parser and its messages.
    args = parser(argv[0] if argv else None).parse_args(argv)
    try:
        return int(args.run(args) or ExitStatus.OK)
    except UsageError as error:  # raised before a command writes anything
        print(f"error: {error}", file=sys.stderr)
        return ExitStatus.USAGE
    except OSError as error:  # what a command did not report itself: still one line, never a traceback
        print(f"error: {os_fault_line(error)}", file=sys.stderr)
        return ExitStatus.OS_FAULT
