"""The command line: `python -m generator COMMAND ...`; each command lives in generator/commands/."""

from __future__ import annotations

import argparse
import importlib

from generator.commands import COMMANDS, ExitStatus


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m generator", description="Billing-code report generator.")
    subparsers = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        command = importlib.import_module(f"generator.commands.{name}")
        sub = subparsers.add_parser(name, help=command.HELP, description=command.HELP)
        command.configure(sub)
        sub.set_defaults(run=command.run)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return int(args.run(args) or ExitStatus.OK)
