"""Read-backs cached by the file's bytes: the same deliverable is parsed once per session, whichever test asks.

Many tests read the same PDF, DOCX or XLSX (every packet case reads its report again); the
parsers (pdfplumber above all) cost far more than the checks. A reader's result depends only on
the bytes it is given, so it is kept under their SHA-256 and each caller gets its own deep copy:
no test can change what another one reads.
"""

from __future__ import annotations

import copy
import functools
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

_T = TypeVar("_T")


def by_bytes(read: Callable[..., _T]) -> Callable[..., _T]:
    """Cache `read(data, *args)` by the SHA-256 of `data` and the arguments that are not folders."""
    cache: dict[tuple[Any, ...], _T] = {}

    @functools.wraps(read)
    def cached(data: bytes, *args: Any) -> _T:
        key = (hashlib.sha256(data).digest(), *(arg for arg in args if not isinstance(arg, Path)))
        if key not in cache:
            cache[key] = read(data, *args)
        return copy.deepcopy(cache[key])

    return cached
