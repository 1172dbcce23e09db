"""Subcommands. Each module has HELP, configure(parser) and run(args) -> exit status."""

from __future__ import annotations

import enum
import os
import sys
from pathlib import Path

from generator.spec import LoadedSpec, SpecError, load_spec

COMMANDS = ("build", "validate", "new", "dump", "watch", "schema", "verify", "diff", "packet", "index")


class ExitStatus(enum.IntEnum):
    OK = 0
    INVALID_SPEC = 1
    USAGE = 2


def load_or_report(path: Path) -> LoadedSpec | None:
    """Load a spec, printing its problems (or warnings) one line each to stderr."""
    try:
        loaded = load_spec(path)
    except SpecError as error:
        print("\n".join(error.lines()), file=sys.stderr)
        return None
    for line in loaded.warning_lines():  # the spec's, then its theme's
        print(line, file=sys.stderr)
    return loaded


class UsageError(Exception):
    """Wrong use of the command line: cli.main prints it as one line, exit status 2."""


def source_date_epoch() -> str | None:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None and not epoch.isdigit():
        raise UsageError(f"SOURCE_DATE_EPOCH must be whole seconds since 1970, got {epoch!r}")
    return epoch
