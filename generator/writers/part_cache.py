"""A cache on disk of the package parts a writer prepares once per theme.

A fresh process that finds them need not import the library that made them. An entry is a
zip (every member checked by its CRC on reading) named by the SHA-256 of everything its
content depends on: the writer, the theme, the versions of the libraries that built it and of
the generator's code that drove them. It also holds its own name, so an entry copied or
renamed onto another's name is not taken for it. It is written to a temporary file and renamed
into place, so a reader sees a whole entry or none. An entry that cannot be read, or does not
hold what its reader expects, is ignored and made again: the cache can make a build faster,
never different. The folder is $GENERATOR_CACHE_DIR, else
$XDG_CACHE_HOME/billing-report-generator, else ~/.cache/billing-report-generator;
GENERATOR_CACHE_DIR="" turns the cache off. A folder that cannot be written only costs time.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TypeVar

_T = TypeVar("_T")

_FOLDER_NAME = "billing-report-generator"
_NAME_MEMBER = ".name"  # the member of an entry that holds the entry's own name
# Distributions whose dist-info is not named after the module they install.
_DISTRIBUTIONS = {"docx": "python_docx"}


def folder() -> Path | None:
    """Where entries are kept; None when the cache is off."""
    chosen = os.environ.get("GENERATOR_CACHE_DIR")
    if chosen is not None:
        return Path(chosen) if chosen else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / _FOLDER_NAME


def key(writer: str, inputs: Iterable[bytes | str], library: str | tuple[str, ...], sources: Iterable[str]) -> str:
    """The name of an entry: a hash of `inputs` (e.g. the theme), the installed version of
    `library` (a module name, or several) and the text of the generator modules named in
    `sources` (dotted names)."""
    libraries = (library,) if isinstance(library, str) else library
    digest = hashlib.sha256(writer.encode())
    for item in (*inputs, *map(_library_identity, libraries), *(_source_of(module) for module in sources)):
        data = item.encode() if isinstance(item, str) else item
        digest.update(len(data).to_bytes(8, "big") + data)
    return f"{writer}-{digest.hexdigest()}"


def load(name: str) -> dict[str, bytes] | None:
    """The parts of entry `name`, or None if there is none that reads back whole."""
    where = folder()
    if where is None:
        return None
    try:
        with zipfile.ZipFile(where / f"{name}.zip") as entry:
            parts = {member: entry.read(member) for member in entry.namelist()}  # read() checks each CRC
    except (OSError, zipfile.BadZipFile, ValueError, EOFError, RuntimeError):
        return None
    if parts.pop(_NAME_MEMBER, None) != name.encode():
        return None  # another entry's, or one from before entries held their names
    return parts


def load_or_make(name: str, unpack: Callable[[dict[str, bytes]], _T], make: Callable[[], _T],
                 pack: Callable[[_T], Mapping[str, bytes]]) -> _T:
    """What entry `name` holds (`unpack`), or else `make()`, kept as entry `name` (`pack`). An entry
    `unpack` refuses (KeyError, ValueError, TypeError, IndexError: not what this code writes) is
    made again and replaced."""
    parts = load(name)
    if parts is not None:
        try:
            return unpack(parts)
        except (KeyError, ValueError, TypeError, IndexError):
            pass
    made = make()
    store(name, pack(made))
    return made


def store(name: str, parts: Mapping[str, bytes]) -> None:
    """Keep `parts` as entry `name`, if the folder can be written (silently not, if it cannot)."""
    where = folder()
    if where is None:
        return
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as entry:
        for member, data in {_NAME_MEMBER: name.encode(), **parts}.items():
            entry.writestr(zipfile.ZipInfo(member), data)  # dated 1980: the same parts, the same entry
    try:
        where.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=where, prefix=f".{name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(out.getvalue())
            os.replace(temporary, where / f"{name}.zip")
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:
        pass  # a read-only or full disk: the next process builds the parts again


def _library_identity(library: str) -> str:
    """The installed distribution of `library` (its dist-info folder names the version) and
    its module file's size and time, found without importing it."""
    spec = importlib.util.find_spec(library)
    if spec is None or spec.origin is None:
        return f"{library}: not installed"
    origin = Path(spec.origin)
    site = origin.parent.parent
    prefix = f"{_DISTRIBUTIONS.get(library, library)}-"
    try:
        distributions = sorted(entry.name for entry in os.scandir(site) if entry.name.startswith(prefix))
        stat = origin.stat()
    except OSError:
        distributions, stat = [], None
    stamp = f"{stat.st_size}:{stat.st_mtime_ns}" if stat else "?"
    return f"{library}: {origin} {stamp} {' '.join(distributions)}"


def _source_of(module: str) -> bytes:
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        raise RuntimeError(f"no source for {module}")
    return Path(spec.origin).read_bytes()
