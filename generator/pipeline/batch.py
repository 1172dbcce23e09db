"""Batch builds: many specs at once in worker processes, skipping those already up to date.

The `build` command hands its spec list here. A spec whose manifest shows that
its deliverables are current is skipped without being parsed (`up_to_date`);
every other spec is built by `generator.pipeline.build.build`, the single-spec path,
either in this process (`--jobs 1`, or a single stale spec) or in a process
pool. A worker loads, validates and renders one spec, writes that spec's files
itself by atomic rename, and returns only paths and message lines; it imports a
writer (and its library) the first time it renders that format.

Results are reported in the order the specs were given, whatever order the
workers finish in, so a batch's output does not depend on `--jobs`. Spec and
render errors are listed at the end while every other spec is still built; an
unexpected error (a bug, a full disk) is listed too and then re-raised, so its
traceback is not lost.

`shard` splits a spec list for schedulers that run several batches at once:
the paths are sorted by their text and part I of N takes every N-th from the
I-th, so the parts are disjoint, together cover the list, and do not depend on
which machine or in which order they run.
"""

from __future__ import annotations

import enum
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from generator.pipeline import manifest
from generator.pipeline.build import build, pdf_font_check
from generator.pipeline.health import start_build_warnings
from generator.pipeline.parallel import fork_is_safe
from generator.pipeline.publish import os_fault_line, recover
from generator.spec import LoadedSpec, Problem, SpecError, load_spec
from generator.spec.theme import is_theme_file
from generator.writers import RenderError


@dataclass(frozen=True)
class Job:
    """One spec to build, with everything a worker needs (picklable)."""

    spec: Path
    out_dir: Path
    formats: tuple[str, ...]
    source_date_epoch: str | None

    def deliverables(self) -> tuple[Path, ...]:
        return tuple(self.out_dir / f"{self.spec.stem}.{fmt}" for fmt in self.formats)


class State(enum.Enum):
    BUILT = "built"
    UP_TO_DATE = "up to date"
    FAILED = "failed"


@dataclass(frozen=True)
class Outcome:
    """What became of one spec: small, so a worker returns it cheaply."""

    spec: Path
    state: State
    paths: tuple[Path, ...] = ()  # written, or found up to date
    warnings: tuple[str, ...] = ()  # repaired problems, reported with the spec
    errors: tuple[str, ...] = ()  # why it failed, reported at the end of the batch
    os_fault: bool = False  # it failed because the file system refused (full disk, read-only folder, ...)


# --- which specs --------------------------------------------------------------------------------


def parse_shard(text: str) -> tuple[int, int]:
    """'2/4' -> (2, 4); ValueError unless it is I/N with 1 <= I <= N."""
    match = re.fullmatch(r"([0-9]+)/([0-9]+)", text)
    index, count = (int(match[1]), int(match[2])) if match else (0, 0)
    if not 1 <= index <= count:
        raise ValueError(f"expected I/N with 1 <= I <= N (e.g. 2/4), got {text!r}")
    return index, count


def shard(paths: Iterable[Path], index: int, count: int) -> list[Path]:
    """Part `index` (1-based) of `count`: the distinct paths sorted by their text, every count-th from index-1."""
    return sorted(set(paths), key=str)[index - 1 :: count]


def plan(
    specs: Sequence[Path], out_dir: Path, formats: Iterable[str], source_date_epoch: str | None,
    part: tuple[int, int] | None = None,
) -> list[Job]:
    """The jobs of a batch: each spec once, in the order given (or the shard's order).

    Theme files in the list (`build specs/*.yaml`) are not reports: they brand the specs
    beside them, which load them, so they are left out. Two specs with one stem would write
    the same files in `out_dir`, possibly at the same time; that is refused for the whole
    list, before sharding, so every shard agrees.
    """
    unique = [spec for spec in dict.fromkeys(specs) if not is_theme_file(spec)]
    seen: dict[str, Path] = {}
    for spec in unique:
        other = seen.setdefault(spec.stem, spec)
        if other != spec:
            raise ValueError(f"{other} and {spec} would both write {out_dir / spec.stem}.*; build them into different folders")
    chosen = shard(unique, *part) if part else unique
    return [Job(spec, out_dir, tuple(formats), source_date_epoch) for spec in chosen]


def default_workers() -> int:
    """The cores this process may use (a CI runner's or a job array's share, not the machine's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


# --- one spec -----------------------------------------------------------------------------------


def up_to_date(job: Job) -> bool:
    """Would building `job` write what is already on disk? (`manifest.is_current`, without parsing the spec.)"""
    recover(job.out_dir, job.spec.stem)  # an interrupted switch is completed first
    return manifest.is_current(job.spec, job.out_dir, job.formats, job.source_date_epoch)


def build_one(job: Job, workers: int = 1) -> Outcome:
    """Load, validate and build one spec, in a worker or in this process (its formats on up to
    `workers` processes); bad input becomes an Outcome."""
    try:
        loaded = load_spec(job.spec, check_font=pdf_font_check if "pdf" in job.formats else None)
    except SpecError as error:
        return Outcome(job.spec, State.FAILED, errors=tuple(error.lines()))
    # the spec's, then its theme's, then its version discipline (content changed, version not
    # bumped: git is asked while the formats render)
    versions = start_build_warnings(loaded)
    try:
        written = build(loaded, job.out_dir, job.formats, job.source_date_epoch, workers)
    except RenderError as error:
        return Outcome(job.spec, State.FAILED, warnings=_warnings(job.spec, loaded, versions), errors=(f"{job.spec}: cannot build: {error}",))
    except OSError as error:
        line = f"{job.spec}: cannot write: {os_fault_line(error, job.out_dir)}"
        return Outcome(job.spec, State.FAILED, warnings=_warnings(job.spec, loaded, versions), errors=(line,), os_fault=True)
    except BaseException:
        versions()  # the git process is waited for whatever happens
        raise
    return Outcome(job.spec, State.BUILT, tuple(written), _warnings(job.spec, loaded, versions))


def _warnings(spec: Path, loaded: LoadedSpec, versions: Callable[[], list[Problem]]) -> tuple[str, ...]:
    return (*loaded.warning_lines(), *(f"{w.format(spec)} (warning)" for w in versions()))


def _attempt(job: Job, call: Callable[[], Outcome]) -> tuple[Outcome, Exception | None]:
    """`call()`, or a one-line failure and the exception when it raised something other than bad input."""
    try:
        return call(), None
    except Exception as error:
        detail = " ".join(str(error).split())
        line = f"{job.spec}: build failed: {type(error).__name__}: {detail}"
        return Outcome(job.spec, State.FAILED, errors=(line,)), error


# --- many specs ---------------------------------------------------------------------------------


def run_batch(jobs: Sequence[Job], workers: int, force: bool, reporter: Reporter) -> list[Outcome]:
    """Build every job not up to date (all with `force`) on `workers` processes; report each; return the outcomes.

    Raises, after the whole batch is reported, the first error that was not bad input.
    """
    outcomes: list[Outcome | None] = [None] * len(jobs)
    reported = 0
    crashes: list[Exception] = []

    def finish(index: int, outcome: Outcome, crash: Exception | None = None) -> None:
        nonlocal reported
        outcomes[index] = outcome
        reporter.finished(outcome)
        if crash is not None:
            crashes.append(crash)
        while reported < len(outcomes) and (ready := outcomes[reported]) is not None:
            reporter.report(ready)
            reported += 1

    try:
        stale: dict[int, Job] = {}
        for index, job in enumerate(jobs):
            if not force and up_to_date(job):
                finish(index, Outcome(job.spec, State.UP_TO_DATE, job.deliverables()))
            else:
                stale[index] = job
        if workers > 1 and len(stale) > 1:
            _in_pool(stale, min(workers, len(stale)), finish)
        else:
            # One spec alone (what make runs per spec) may render its formats on the spare cores.
            format_workers = workers if len(stale) == 1 else 1
            for index, job in stale.items():
                finish(index, *_attempt(job, lambda: build_one(job, format_workers)))
    finally:  # also on Ctrl-C: the summary and the failures so far
        done = [outcome for outcome in outcomes if outcome is not None]
        reporter.close(done)
    if crashes:
        raise crashes[0]
    return done


def _in_pool(jobs: dict[int, Job], workers: int, finish: Callable[..., None]) -> None:
    # Imported here: a single-spec build (what `make` runs per spec) never pays for them.
    from concurrent.futures import ProcessPoolExecutor, as_completed

    pool = ProcessPoolExecutor(workers, mp_context=_pool_context(), initializer=_worker_started)
    try:
        # Largest specs first, so a big one does not start last and leave the other cores idle.
        futures = {pool.submit(build_one, job): index for index, job in sorted(jobs.items(), key=_size, reverse=True)}
        for future in as_completed(futures):
            index = futures[future]
            finish(index, *_attempt(jobs[index], future.result))
    except BaseException:  # Ctrl-C: drop the queued specs, let the running ones finish their atomic writes
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown()


def _pool_context() -> Any:
    import multiprocessing

    # fork starts workers at once with the generator already imported. Elsewhere (macOS,
    # Windows, threaded callers): the default.
    if "fork" in multiprocessing.get_all_start_methods() and fork_is_safe():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def _worker_started() -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle


def _size(item: tuple[int, Job]) -> int:
    try:
        return item[1].spec.stat().st_size
    except OSError:
        return 0


# --- what the user sees -------------------------------------------------------------------------


class Reporter:
    """Per-file lines on stdout in the order given, problems on stderr, and on a terminal a status line.

    When stderr is a terminal and there is more than one spec, one line on stderr updates
    in place (done/total and counts); the "wrote"/"up to date" lines then go to stdout only
    if stdout is not that terminal. Otherwise the output is plain, one line per file.
    Warnings are printed with their spec; every failed spec's errors come at the end.
    """

    REDRAW_SECONDS = 0.1

    def __init__(self, total: int, out: IO[str] | None = None, err: IO[str] | None = None) -> None:
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self.total = total
        self.live = total > 1 and _is_terminal(self.err)
        self.lines = not (self.live and _is_terminal(self.out))
        self.counts: Counter[State] = Counter()
        self.started = time.monotonic()
        self.drawn_at = float("-inf")
        self.status = ""

    def finished(self, outcome: Outcome) -> None:
        """Any order, as workers finish: the status line."""
        self.counts[outcome.state] += 1
        if self.live and time.monotonic() - self.drawn_at >= self.REDRAW_SECONDS:
            self._draw(f"[{sum(self.counts.values())}/{self.total}] {self._tally()}")

    def report(self, outcome: Outcome) -> None:
        """In the order given: the lines of one spec."""
        for warning in outcome.warnings:
            self._message(warning)
        if self.lines and outcome.state is not State.FAILED:
            verb = "wrote" if outcome.state is State.BUILT else "up to date"
            for path in outcome.paths:
                print(f"{verb} {path}", file=self.out)

    def close(self, outcomes: Sequence[Outcome]) -> None:
        """The end: a summary on a terminal, then every failed spec's errors."""
        if self.live:
            self._draw(f"{self.total} specs in {time.monotonic() - self.started:.1f} s: {self._tally()}")
            self.err.write("\n")
        for outcome in outcomes:
            for line in outcome.errors:
                print(line, file=self.err)
        self.out.flush()
        self.err.flush()

    def _tally(self) -> str:
        return ", ".join(f"{self.counts[state]} {state.value}" for state in State)

    def _message(self, line: str) -> None:
        if not self.live:
            print(line, file=self.err)
            return
        self.err.write("\r\x1b[K" + line + "\n")  # above the status line, which is then redrawn
        self._draw(self.status)

    def _draw(self, text: str) -> None:
        self.status = text
        self.err.write("\r\x1b[K" + text[: _columns(self.err) - 1])
        self.err.flush()
        self.drawn_at = time.monotonic()


def _is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stream
        return False


def _columns(stream: IO[str]) -> int:
    try:
        columns = os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, OSError, ValueError):
        columns = 0
    return columns if columns >= 20 else 80  # a pseudo-terminal may report 0
