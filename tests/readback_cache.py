"""Read-backs cached by the file's bytes: the same deliverable is parsed once per session, whichever test asks.

Many tests read the same PDF, DOCX or XLSX (every packet case reads its report again); the
parsers (pdfplumber above all) cost far more than the checks. A reader's result depends only on
the bytes it is given, so it is kept under their SHA-256 and each caller gets its own deep copy:
no test can change what another one reads.

Under pytest-xdist the session's workers also share their results through a folder
(`share_in`, set up by tests/conftest.py): a report one worker has parsed, or had LibreOffice
lay out, is not parsed or laid out again by the other. Each result is written whole under a
temporary name and then renamed, so a reader finds it complete or not at all.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

_T = TypeVar("_T")
_shared: Path | None = None  # where this session's other test processes find and leave results


def share_in(folder: Path) -> None:
    """Keep every result in `folder` too, and look there before computing one."""
    global _shared
    folder.mkdir(parents=True, exist_ok=True)
    _shared = folder


def by_bytes(read: Callable[..., _T]) -> Callable[..., _T]:
    """Cache `read(data, *args)` by the SHA-256 of `data` and the arguments that are not folders."""
    cache: dict[tuple[Any, ...], _T] = {}
    name = f"{read.__module__}.{read.__qualname__}"

    @functools.wraps(read)
    def cached(data: bytes, *args: Any) -> _T:
        key = (hashlib.sha256(data).digest(), *(arg for arg in args if not isinstance(arg, Path)))
        if key not in cache:
            cache[key] = _shared_result(name, key, lambda: read(data, *args))
        return copy.deepcopy(cache[key])

    return cached


def _shared_result(name: str, key: tuple[Any, ...], compute: Callable[[], _T]) -> _T:
    if _shared is None:
        return compute()
    path = _shared / hashlib.sha256(repr((name, key)).encode()).hexdigest()
    try:
        return pickle.loads(path.read_bytes())
    except FileNotFoundError:
        pass
    result = compute()
    handle, temporary = tempfile.mkstemp(dir=_shared, prefix=".writing-")
    with os.fdopen(handle, "wb") as out:
        out.write(pickle.dumps(result))
    os.replace(temporary, path)
    return result
