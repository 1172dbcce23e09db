"""Subcommands. Each module has HELP, configure(parser) and run(args) -> exit status."""

from __future__ import annotations

import enum
import os
import sys
from pathlib import Path

from generator.pipeline.build import pdf_font_check
from generator.pipeline.publish import os_fault_line
from generator.spec import LoadedSpec, SpecError, load_spec
from generator.writers import RenderError

COMMANDS = ("build", "validate", "new", "dump", "watch", "schema", "verify", "diff", "packet", "index")


class ExitStatus(enum.IntEnum):
    """The documented exit statuses (README, "Exit statuses")."""

    OK = 0
    INVALID_SPEC = 1  # bad input: a spec, theme or logo (or content a format cannot draw)
    USAGE = 2  # wrong use of the command line
    OS_FAULT = 3  # the file system refused: full disk, read-only folder, a folder in the way, ...


def load_or_report(path: Path, check_font: bool = False) -> LoadedSpec | None:
    """Load a spec, printing its problems (or warnings) one line each to stderr
    (`check_font`: when a PDF is to be made, or for `validate`)."""
    try:
        loaded = load_spec(path, pdf_font_check if check_font else None)
    except SpecError as error:
        print("\n".join(error.lines()), file=sys.stderr)
        return None
    for line in loaded.warning_lines():  # the spec's, then its theme's
        print(line, file=sys.stderr)
    return loaded


def report_failure(subject: Path | str, error: RenderError | OSError, fallback: Path) -> ExitStatus:
    """One line for content a format cannot draw (exit 1) or an OS fault (exit 3, naming the path)."""
    if isinstance(error, OSError):
        print(f"{subject}: cannot write: {os_fault_line(error, fallback)}", file=sys.stderr)
        return ExitStatus.OS_FAULT
    print(f"{subject}: cannot build: {error}", file=sys.stderr)
    return ExitStatus.INVALID_SPEC


class UsageError(Exception):
    """Wrong use of the command line: cli.main prints it as one line, exit status 2."""


def source_date_epoch() -> str | None:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        return None
    if not (epoch.isascii() and epoch.isdigit()):
        raise UsageError(f"SOURCE_DATE_EPOCH must be whole seconds since 1970, got {epoch!r}")
    if int(epoch) > LATEST_EPOCH:  # datetime's last second; the documents' dates are written from one
        raise UsageError(f"SOURCE_DATE_EPOCH {epoch} is after 9999-12-31T23:59:59Z, the last time a document can carry")
    return epoch


LATEST_EPOCH = 253402300799  # 9999-12-31T23:59:59Z


def output_folder(path: Path, option: str = "-o") -> Path:
    """`path` as an output folder, or a UsageError when it, or a folder above it, is an existing file."""
    for place in (path, *path.parents):
        if place.exists() or place.is_symlink():
            if not place.is_dir():
                raise UsageError(f"{option} {path}: {place} is a file, not a folder")
            break
    return path
