"""URLs inside running text and cells, found once here so that every writer links the same spans."""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.document.model import Span

# An http(s) address up to white space; punctuation that ends a sentence, or a closing bracket
# that the address did not open, is the text's and not the address's.
_URL = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)
_TRAILING = ".,;:!?'\u2019\u201d"
_CLOSERS = {")": "(", "]": "["}


def url_spans(text: str) -> tuple[Span, ...]:
    return tuple(_spans(text))


def _spans(text: str) -> Iterator[Span]:
    for match in _URL.finditer(text):
        url = match.group()
        while url and (url[-1] in _TRAILING or (url[-1] in _CLOSERS and url.count(_CLOSERS[url[-1]]) < url.count(url[-1]))):
            url = url[:-1]
        if len(url) > len("https://"):
            yield Span(match.start(), match.start() + len(url))
