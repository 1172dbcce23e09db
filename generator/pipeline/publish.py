"""All-or-nothing publication: a spec's deliverables and manifest switch from the old set to the new as a unit.

The steps, for one output stem in one folder, under that stem's lock (`.<stem>.lock`, fcntl.flock):

1. recover: finish or undo a switch an earlier process left (see `recover`);
2. stage: write every new file as `.<name>.publish.tmp` beside its target and make it durable;
3. commit: write the journal `.<stem>.journal.json` (by rename) naming each staged file and its target;
   from here on the switch is decided, and recovery completes it;
4. switch: rename each staged file over its target, the manifest last;
5. forget: remove the journal.

A failure before the journal exists removes the staged files (the old set stays); a failure after it is
completed at once if it can be, else by the next command that touches the folder (build, verify, packet),
which calls `recover` before it reads anything. Between two such commands a folder therefore holds the
complete old set or the complete new one, whatever was interrupted, killed or ran out of space.
Durability is decided in one place, `make_durable`.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

from generator.pipeline import manifest
from generator.writers import FORMATS

STAGED_SUFFIX = ".publish.tmp"
JOURNAL_SUFFIX = ".journal.json"
LOCK_SUFFIX = ".lock"
FILE_MODE = 0o644


def publish(stem: str, payloads: dict[str, bytes], out_dir: Path, inputs: dict[str, object]) -> list[Path]:
    """Replace the set of `stem` in `out_dir` with `payloads` and their manifest, all or nothing; return the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with locked(out_dir, stem):
        _recover_locked(out_dir, stem)
        # Under the lock: the kept entries of formats not rebuilt are read from the manifest now in place.
        record = manifest.make_manifest(inputs, manifest.deliverable_entries(stem, payloads), out_dir, stem)
        files = {f"{stem}.{fmt}": data for fmt, data in payloads.items()}
        files[manifest.manifest_path(out_dir, stem).name] = manifest.dumps(record)  # last: renamed after the rest
        switch(out_dir, stem, files)
    return [out_dir / name for name in files]


def switch(out_dir: Path, stem: str, files: dict[str, bytes]) -> None:
    """Stage, commit, switch, forget (the caller holds the lock); the order of `files` is the order of renames."""
    pairs = [(staged_name(name), name) for name in files]
    for name in files:  # a rename onto a folder would fail after the commit point: refused before it
        if (out_dir / name).is_dir():
            raise IsADirectoryError(errno.EISDIR, "a folder has the name of a deliverable", str(out_dir / name))
    try:
        for staged, name in pairs:
            _write_durably(out_dir / staged, files[name], out_dir / name)
        make_durable(out_dir)
        journal = journal_path(out_dir, stem)
        _write_durably(out_dir / _journal_staged(stem), json.dumps({"switch": pairs}).encode(), journal)
        os.replace(out_dir / _journal_staged(stem), journal)
        make_durable(out_dir)  # the commit point
    except BaseException:  # nothing was renamed yet: forget the journal (if it was written), then the staged files
        journal_path(out_dir, stem).unlink(missing_ok=True)
        _discard(out_dir, stem)
        raise
    try:
        _roll_forward(out_dir, stem, pairs)
    except BaseException:
        with contextlib.suppress(OSError):  # once more, in case the fault was passing; else the next command
            _roll_forward(out_dir, stem, pairs)
        raise


def replace_file(target: Path, data: bytes) -> None:
    """Replace one file on its own (no set, no manifest): staged beside it, made durable, renamed."""
    staged = target.parent / staged_name(target.name)
    try:
        _write_durably(staged, data, target)
        os.replace(staged, target)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
    make_durable(target.parent)


def os_fault_line(error: OSError, fallback: Path | str | None = None) -> str:
    """One line for an OS fault: the path and the fault, e.g. `output/89253.docx: No space left on device`."""
    where = error.filename if error.filename is not None else fallback
    reason = error.strerror or " ".join(str(error).split()) or type(error).__name__
    return f"{where}: {reason}" if where is not None else reason


def recover(out_dir: Path, stem: str) -> None:
    """Complete (journal present) or undo (journal absent) a switch of `stem` an earlier process left, and
    remove its stray temporary files. A folder that cannot be written is left as it is when nothing is pending."""
    if not out_dir.is_dir():
        return
    try:
        with locked(out_dir, stem):
            _recover_locked(out_dir, stem)
    except OSError as error:
        if error.errno not in (errno.EACCES, errno.EPERM, errno.EROFS) or journal_path(out_dir, stem).exists():
            raise


def recover_for(paths: list[Path]) -> None:
    """`recover` every (folder, stem) the given deliverables or manifests belong to."""
    for folder, stem in dict.fromkeys((path.parent, stem_of(path)) for path in paths):
        recover(folder, stem)


def stem_of(path: Path) -> str:
    """'89253.pdf' and '89253.manifest.json' -> '89253'."""
    name = path.name
    return name[: -len(manifest.MANIFEST_SUFFIX)] if name.endswith(manifest.MANIFEST_SUFFIX) else manifest.stem_of(path)


def _recover_locked(out_dir: Path, stem: str) -> None:
    journal = journal_path(out_dir, stem)
    pairs = _read_journal(journal)
    if pairs is not None:
        _roll_forward(out_dir, stem, pairs)
    else:
        journal.unlink(missing_ok=True)  # unreadable: it never was renamed into place whole, so nothing switched
    _discard(out_dir, stem)


def _roll_forward(out_dir: Path, stem: str, pairs: list[tuple[str, str]]) -> None:
    for staged, name in pairs:
        if (out_dir / staged).exists():  # absent: renamed before the interruption
            os.replace(out_dir / staged, out_dir / name)
    make_durable(out_dir)
    journal_path(out_dir, stem).unlink(missing_ok=True)


def _discard(out_dir: Path, stem: str) -> None:
    """Remove the staged files of `stem` (never the journal's targets), and older builds' `.<name>.*.tmp`.

    A folder of many reports is scanned once per stem (a batch's up-to-date checks do it for
    every spec), so a name is matched only when it starts as this stem's temporary files do."""
    prefix, temporary = f".{stem}.", _temporary_of(stem)
    with os.scandir(out_dir) as entries:
        doomed = [entry.name for entry in entries if entry.name.startswith(prefix) and temporary.fullmatch(entry.name)]
    for name in doomed:
        (out_dir / name).unlink(missing_ok=True)


_KINDS = "|".join(re.escape(kind) for kind in (*FORMATS, manifest.MANIFEST_SUFFIX[1:], JOURNAL_SUFFIX[1:]))


def _temporary_of(stem: str) -> re.Pattern[str]:
    # ".89253.docx.publish.tmp", ".89253.journal.json.publish.tmp", and ".89253.docx.k2j3x_9a.tmp"
    # (tempfile's names, from earlier releases); never ".89253.1.docx.publish.tmp" (the stem "89253.1").
    return re.compile(rf"\.{re.escape(stem)}\.(?:{_KINDS})\.(?:publish|[a-z0-9_]{{8}})\.tmp")


def _read_journal(journal: Path) -> list[tuple[str, str]] | None:
    try:
        data = json.loads(journal.read_bytes())
    except (FileNotFoundError, ValueError):  # none, or never renamed into place whole
        return None
    pairs = data.get("switch") if isinstance(data, dict) else None
    if not isinstance(pairs, list) or not all(_is_pair(pair) for pair in pairs):
        return None
    return [(staged, name) for staged, name in pairs]


def _is_pair(pair: object) -> bool:
    # Only plain names inside the folder: a journal never sends a rename elsewhere.
    return (
        isinstance(pair, list) and len(pair) == 2
        and all(isinstance(part, str) and part and "/" not in part and part not in (".", "..") for part in pair)
        and pair[0] == staged_name(pair[1])
    )


def _write_durably(path: Path, data: bytes, target: Path) -> None:
    """Write the staged file `path` for `target`; a fault names `target`, the file the user knows."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            make_durable(fd)
        finally:
            os.close(fd)
        os.chmod(path, FILE_MODE)  # whatever the umask
    except OSError as error:
        raise type(error)(error.errno, error.strerror, str(target)) from None


def make_durable(target: int | Path) -> None:
    """The one place that decides durability: fsync a written file (an fd) or a folder (its entries).

    A publication calls it once per staged file, once for the folder after staging, once after the
    journal, once after the renames: the journal is never durable before the files it names, and
    the renames never before the journal.
    """
    if isinstance(target, Path):
        fd = os.open(target, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    else:
        os.fsync(target)


@contextlib.contextmanager
def locked(out_dir: Path, stem: str) -> Iterator[None]:
    """Hold the lock of `stem` in `out_dir`: concurrent builds of one stem run their switches one after another.

    The lock file is removed by its holder; a process that locked a file already removed retries on the new one.
    """
    path = out_dir / f".{stem}{LOCK_SUFFIX}"
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            if _same_file(fd, path):
                break
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            path.unlink()
        os.close(fd)  # releases the lock


def _same_file(fd: int, path: Path) -> bool:
    try:
        return os.stat(path).st_ino == os.fstat(fd).st_ino
    except FileNotFoundError:
        return False


def staged_name(name: str) -> str:
    return f".{name}{STAGED_SUFFIX}"


def journal_path(out_dir: Path, stem: str) -> Path:
    return out_dir / f".{stem}{JOURNAL_SUFFIX}"


def _journal_staged(stem: str) -> str:
    return staged_name(f"{stem}{JOURNAL_SUFFIX}")
