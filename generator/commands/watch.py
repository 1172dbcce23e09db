"""`watch SPEC [-o DIR] [--format F]... [--interval S] [--cycles N]`: rebuild a spec on every save.

Polls the modification time, size and content hash of the spec and of the theme
files that may brand it (no file-system events, so no extra dependency) and
rebuilds through `generator.pipeline.build.build`, the call the `build` command makes. A save that does not validate prints its
problems and the watch goes on; Ctrl-C ends it with exit status 0.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator.pipeline.build import build
from generator.commands import ExitStatus, load_or_report, output_folder, source_date_epoch
from generator.pipeline.publish import os_fault_line
from generator.spec.source import MAX_FILE_BYTES
from generator.spec.theme import theme_candidates
from generator.writers import FORMATS

HELP = "rebuild a spec's deliverables whenever the spec file changes (Ctrl-C stops)"

Fingerprint = tuple[object, ...]


@dataclass(frozen=True)
class WatchOptions:
    """What `watch` polls, where it builds, and how often."""

    spec: Path
    out_dir: Path
    formats: tuple[str, ...]
    interval: float  # seconds between polls
    cycles: int | None  # polls before returning; None: until Ctrl-C
    source_date_epoch: str | None


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("spec", type=Path, metavar="SPEC")
    parser.add_argument("-o", "--output", type=Path, default=Path("output"), metavar="DIR", help="default: output/")
    parser.add_argument(
        "-f", "--format", action="append", choices=FORMATS, dest="formats",
        help="build only this format (repeatable); default: all",
    )
    parser.add_argument("--interval", type=_positive(float), default=0.5, metavar="SECONDS", help="poll interval; default: 0.5")
    parser.add_argument("--cycles", type=_positive(int), metavar="N", help="stop after N polls (for scripts and tests)")


def run(args: argparse.Namespace) -> ExitStatus:
    epoch = source_date_epoch()
    output_folder(args.output)
    options = WatchOptions(args.spec, args.output, tuple(args.formats or FORMATS), args.interval, args.cycles, epoch)
    print(f"watching {args.spec} (Ctrl-C to stop)", file=sys.stderr, flush=True)
    try:
        watch(options)
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
    return ExitStatus.OK


def watch(
    options: WatchOptions,
    sleep: Callable[[float], object] | None = None,
    clock: Callable[[], float] | None = None,
) -> None:
    """Build now, then after every change, polling `options.cycles` times (or forever)."""
    sleep = sleep or time.sleep
    clock = clock or time.perf_counter
    seen: Fingerprint | None = None
    polls = 0
    while True:
        current = tuple(fingerprint(path) for path in (options.spec, *theme_candidates(options.spec)))
        if current != seen:
            seen = current
            rebuild(options, clock)
        polls += 1
        if options.cycles is not None and polls >= options.cycles:
            return
        sleep(options.interval)


def fingerprint(path: Path) -> Fingerprint:
    """Changes whenever the file does: a same-size edit within one mtime tick changes the hash."""
    try:
        stat = path.stat()
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if stat.st_size <= MAX_FILE_BYTES else None
    except OSError as error:
        return ("unreadable", error.errno)
    return (stat.st_mtime_ns, stat.st_size, digest)


def rebuild(options: WatchOptions, clock: Callable[[], float]) -> bool:
    """One build, as `build` does it; every failure is reported on one line, never raised."""
    start = clock()
    loaded = load_or_report(options.spec, check_font="pdf" in options.formats)
    if loaded is None:
        return False
    try:
        written = build(loaded, options.out_dir, options.formats, options.source_date_epoch)
    except OSError as error:  # a full disk or a read-only folder must not end the watch
        print(f"{options.spec}: cannot write: {os_fault_line(error, options.out_dir)}", file=sys.stderr, flush=True)
        return False
    except Exception as error:  # nor a writer bug
        detail = " ".join(str(error).split())
        print(f"{options.spec}: build failed: {type(error).__name__}: {detail}", file=sys.stderr, flush=True)
        return False
    print(f"rebuilt {', '.join(str(path) for path in written)} in {clock() - start:.2f} s", flush=True)
    return True


def _positive(kind: Callable[[str], float]) -> Callable[[str], float]:
    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}") from None
        if not (math.isfinite(value) and value > 0):
            raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}")
        return value

    parse.__name__ = kind.__name__  # argparse names the type in its messages
    return parse
