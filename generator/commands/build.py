"""`build SPEC... [-o DIR] [--jobs N] [--shard I/N] [--force]`: deliverables and a manifest per spec.

The batch machinery (worker pool, up-to-date check, progress, shards) is generator/batch.py.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.pipeline import batch
from generator.commands import ExitStatus, UsageError, output_folder, source_date_epoch
from generator.writers import FORMATS

HELP = "write DOCX, PDF and XLSX deliverables and a manifest (<stem>.manifest.json) for each spec"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("specs", nargs="+", type=Path, metavar="SPEC")
    parser.add_argument("-o", "--output", type=Path, default=Path("output"), metavar="DIR", help="default: output/")
    parser.add_argument(
        "-f", "--format", action="append", choices=FORMATS, dest="formats",
        help="build only this format (repeatable); default: all",
    )
    parser.add_argument(
        "-j", "--jobs", type=_jobs, default=None, metavar="N",
        help="build N specs at once in worker processes; default: one per core; 1: in this process",
    )
    parser.add_argument(
        "--shard", type=_shard, metavar="I/N",
        help="build only part I of N of the specs (sorted by path, every N-th from the I-th): "
        "for CI matrices, job arrays, make -j or GNU parallel",
    )
    parser.add_argument("--force", action="store_true", help="rebuild specs whose deliverables are up to date")


def run(args: argparse.Namespace) -> ExitStatus:
    epoch = source_date_epoch()
    output_folder(args.output)
    try:
        jobs = batch.plan(args.specs, args.output, args.formats or FORMATS, epoch, args.shard)
    except ValueError as error:
        raise UsageError(error) from None
    workers = args.jobs or batch.default_workers()
    try:
        outcomes = batch.run_batch(jobs, workers, args.force, batch.Reporter(len(jobs)))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        raise SystemExit(130) from None  # the shell's status for Ctrl-C
    if any(outcome.os_fault for outcome in outcomes):
        return ExitStatus.OS_FAULT
    failed = any(outcome.state is batch.State.FAILED for outcome in outcomes)
    return ExitStatus.INVALID_SPEC if failed else ExitStatus.OK


def _jobs(text: str) -> int:
    if not (text.isascii() and text.isdigit() and int(text) >= 1):
        raise argparse.ArgumentTypeError(f"expected a whole number of processes, 1 or more, got {text!r}")
    return int(text)


def _shard(text: str) -> tuple[int, int]:
    try:
        return batch.parse_shard(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
