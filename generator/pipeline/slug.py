"""File-name slugs for names a spec supplies (payer names): safe on every file system, unique.

A slug is ASCII lower-case letters, digits and single hyphens, never empty and never
starting or ending with a hyphen, so it cannot be '.', '..', hold a path separator or
name a device on its own ("CON" becomes "con", and callers always prefix it).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

MAX_LENGTH = 60  # characters of the base slug; a "-N" suffix for duplicates may follow
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
# Latin letters that NFKD does not split into a base letter and an accent.
_LETTERS = str.maketrans({
    "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ß": "ss", "ł": "l", "Ł": "L",
    "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "TH", "ı": "i",
})


def slugify(text: str, fallback: str) -> str:
    """`text` folded to a slug: accents dropped (NFKD), any other run of characters one '-'."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    folded = "".join(char for char in decomposed if not unicodedata.combining(char))
    slug = _NOT_SLUG.sub("-", folded.lower()).strip("-")  # non-ASCII left over is "everything else"
    slug = slug[:MAX_LENGTH].rstrip("-")
    return slug or fallback


def unique_slugs(names: Sequence[str], prefix: str = "item") -> list[str]:
    """One distinct slug per name, in order: the same list always gives the same slugs.

    A name that folds to nothing becomes "<prefix>-N" (N its 1-based position). The first
    name with a given slug keeps it; later ones get "-2", "-3", ..., skipping any form that
    is already another name's slug, so a duplicate never takes a slug that belongs to another.
    """
    bases = [slugify(name, f"{prefix}-{number}") for number, name in enumerate(names, start=1)]
    taken = set(bases)
    seen: set[str] = set()
    slugs = []
    for base in bases:
        slug = base
        if base in seen:
            suffix = 2
            while f"{base}-{suffix}" in taken:
                suffix += 1
            slug = f"{base}-{suffix}"
            taken.add(slug)
        seen.add(base)
        slugs.append(slug)
    return slugs
