"""`verify FILE...`: does each deliverable still match the manifest it was built with?"""

from __future__ import annotations

import argparse
from pathlib import Path

from generator.pipeline import manifest
from generator.pipeline.publish import recover_for
from generator.commands import ExitStatus

# Exit status 1 is the contract's "failed" status; here it means a file cannot be traced.
MISMATCH = ExitStatus.INVALID_SPEC

HELP = "check deliverables against the <stem>.manifest.json beside them; exit 0 only when all match"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "files", nargs="+", type=Path, metavar="FILE",
        help="a deliverable, or a manifest to check every deliverable it lists",
    )


def run(args: argparse.Namespace) -> ExitStatus:
    files = _expand(args.files)
    recover_for(files)  # an interrupted publication is completed (or undone) before anything is checked
    checks = [manifest.check(path) for path in files]
    for result in checks:
        print(result.line())
    return ExitStatus.OK if all(c.status is manifest.Status.OK for c in checks) else MISMATCH


def _expand(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        listed = manifest.listed_files(path) if path.name.endswith(manifest.MANIFEST_SUFFIX) else [path]
        files.extend(listed or [path])
    return files
