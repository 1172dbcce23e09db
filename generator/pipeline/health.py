"""Content health of a valid spec: warnings, never errors.

Stale payer reviews, missing table fields, unsourced claims (a figure or a policy
statement citing nothing, a source nobody cites), and version discipline (content
that changed since the last commit without a version bump; a version with no
revision-history entry). Each warning names the line of the spec it is about.
"""

from __future__ import annotations

import calendar
import os
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

from generator.document.model import CellKind
from generator.document.tables import CANONICAL_TABLES
from generator.spec import LoadedSpec, Problem, Spec, SpecError, load_spec
from generator.spec.locate import Locator
from generator.spec.model import Bullets, Cited, Section

GIT_TIMEOUT = 10  # seconds; a hung git (network filesystem, lock) must not hang validation


def build_warnings(loaded: LoadedSpec) -> list[Problem]:
    """The warnings `build`, `make` and `packet` print too: a deliverable labelled with a version its content is not."""
    return start_build_warnings(loaded)()


def start_build_warnings(loaded: LoadedSpec) -> Callable[[], list[Problem]]:
    """`build_warnings`, begun now and finished by the returned call: git runs while the caller
    renders (a fresh build spends tens of ms waiting for it). The call must be made, once."""
    committed = _start_git_show(loaded.path, "HEAD")
    return lambda: sorted(unbumped_version(loaded, committed(), Locator(loaded.path)))


def health_warnings(loaded: LoadedSpec, stale_months: int) -> list[Problem]:
    locator = Locator(loaded.path)
    spec = loaded.spec
    found = [
        *stale_payers(spec, stale_months, locator),
        *missing_fields(spec, locator),
        *unsourced(spec, locator),
        *version_discipline(loaded, locator),
    ]
    return sorted(found)


# --- stale payer reviews ----------------------------------------------------------------------


def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier (clamped: 12 months before Feb 29 is Feb 28)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def stale_reviews(spec: Spec, months: int) -> Iterator[int]:
    """The index of each payer last reviewed more than `months` calendar months before as_of."""
    cutoff = months_before(spec.as_of, months)
    return (i for i, payer in enumerate(spec.payers) if payer.last_reviewed is not None and payer.last_reviewed < cutoff)


def stale_payers(spec: Spec, months: int, locator: Locator) -> Iterator[Problem]:
    stale = set(stale_reviews(spec, months))
    for i, payer in enumerate(spec.payers):
        reviewed = payer.last_reviewed
        if i in stale:
            yield locator.problem(
                f"payers[{i}].last_reviewed",
                f"{payer.payer} was last reviewed {reviewed}, more than {months} months before as_of {spec.as_of}",
            )
        elif reviewed is not None and reviewed > spec.as_of:
            yield locator.problem(f"payers[{i}].last_reviewed", f"{payer.payer} was reviewed {reviewed}, after as_of {spec.as_of}")


# --- missing table fields ---------------------------------------------------------------------


def missing_counts(spec: Spec) -> Iterator[tuple[str, int, int]]:
    """Per canonical table: its id, how many displayed cells show the missing-data sentence, of how many."""
    for definition in CANONICAL_TABLES:
        cells = [cell for row in definition.build(spec).rows for cell in row]
        yield definition.id, sum(cell.kind is CellKind.MISSING for cell in cells), len(cells)


def missing_fields(spec: Spec, locator: Locator) -> Iterator[Problem]:
    """Per canonical table with gaps, how many of its fields are missing."""
    for table_id, missing, total in missing_counts(spec):
        if missing:
            yield locator.problem(table_id, f"{missing} of {total} fields missing")


# --- unsourced claims -------------------------------------------------------------------------


def unsourced(spec: Spec, locator: Locator) -> Iterator[Problem]:
    """Figures and policy statements that cite no source, and sources that nothing cites."""
    for i, benchmark in enumerate(spec.benchmarks):
        if benchmark.value is not None and not isinstance(benchmark.value, str) and not benchmark.cite:
            hint = "its `source` text is not a registry entry; " if benchmark.source else ""
            yield locator.problem(f"benchmarks[{i}].value", f"{benchmark.metric!r} gives a number but cites no source ({hint}add cite: [id])")
    for i, payer in enumerate(spec.payers):
        stated = [name for name in ("coverage", "prior_authorization") if getattr(payer, name) is not None]
        if stated and not payer.cite:
            yield locator.problem(f"payers[{i}].{stated[0]}", f"{payer.payer}'s policy statement cites no source (add cite: [id])")
    cited = set(cited_ids(spec))
    for i, source in enumerate(spec.sources):
        if source.id not in cited:
            yield locator.problem(f"sources[{i}].id", f"source '{source.id}' is never cited; cite it or remove it")


def cited_ids(spec: Spec) -> Iterator[str]:
    for section in _all_sections(spec.sections):
        for item in section.body:
            points = item.bullets if isinstance(item, Bullets) else (item,)
            for point in points:
                if isinstance(point, Cited):
                    yield from point.cite
    for row in (*spec.modifiers, *spec.payers, *spec.benchmarks):
        yield from row.cite


def _all_sections(sections: tuple[Section, ...]) -> Iterator[Section]:
    for section in sections:
        yield section
        yield from _all_sections(section.sections)


# --- version discipline -----------------------------------------------------------------------


def version_discipline(loaded: LoadedSpec, locator: Locator) -> Iterator[Problem]:
    spec = loaded.spec
    if not any(revision.version == spec.version for revision in spec.revisions):
        yield locator.problem(
            "revisions" if spec.revisions else "version",
            f"no revisions entry for version {spec.version}; add one saying what changed",
        )
    yield from unbumped_version(loaded, git_show(loaded.path, "HEAD"), locator)


def unbumped_version(loaded: LoadedSpec, committed_text: bytes | None, locator: Locator) -> Iterator[Problem]:
    """Content that differs from git HEAD (`committed_text`: the spec's file there, None outside
    git) under the version HEAD has."""
    if committed_text is None or committed_text == loaded.source:
        return  # outside git, or the file is as committed: nothing changed (no second load to see it)
    from generator.document.changes import diff_specs  # here: most builds return above, and need none of it

    spec = loaded.spec
    committed = _committed_spec(loaded.path, committed_text)
    if committed is None or committed.version != spec.version:
        return
    changes = diff_specs(committed, spec)
    if changes:
        yield locator.problem(
            "version",
            f"{len(changes)} change(s) since the last commit (see `make diff SPEC={loaded.path} REV=HEAD`) "
            f"but version is still {spec.version}; bump it",
        )


def _may_be_in_git(path: Path) -> bool:
    """Whether a folder above `path` has a `.git` (folder or file), or git is told where to look."""
    if any(name in os.environ for name in ("GIT_DIR", "GIT_WORK_TREE")):
        return True
    folder = path.resolve().parent
    return any((parent / ".git").exists() for parent in (folder, *folder.parents))


def _committed_spec(path: Path, data: bytes | None) -> Spec | None:
    """The committed spec read from `data`; None outside a repository, for untracked or invalid committed files."""
    if data is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / path.name
        copy.write_bytes(data)
        try:
            return load_spec(copy).spec
        except SpecError:
            return None


def git_show(path: Path, revision: str) -> bytes | None:
    return _start_git_show(path, revision)()


def _start_git_show(path: Path, revision: str) -> Callable[[], bytes | None]:
    """`git show REVISION:path` started now; the returned call waits for it (None: not in git, or failed)."""
    if not _may_be_in_git(path):
        return lambda: None  # no git process for a file outside any work tree (a batch may build hundreds)
    # "./name" makes git resolve the path relative to -C, wherever the repository root is.
    command = ["git", "-C", str(path.parent), "show", f"{revision}:./{path.name}"]
    try:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    except OSError:
        return lambda: None

    def finished() -> bytes | None:
        try:
            out, _ = process.communicate(timeout=GIT_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            return None
        return out if process.returncode == 0 else None

    return finished
