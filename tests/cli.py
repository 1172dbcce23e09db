"""Run the command line in-process and capture what a user would see (after httpie's helper)."""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass

from generator.cli import main


@dataclass(frozen=True)
class Result:
    status: int
    stdout: str
    stderr: str


def run_cli(*args: str) -> Result:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main([str(a) for a in args])
        except SystemExit as exit_:  # argparse's usage errors
            status = int(exit_.code or 0)
    return Result(status, out.getvalue(), err.getvalue())
