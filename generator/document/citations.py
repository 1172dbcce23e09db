"""Citation marks: a text's `cite` ids turned into the numbers it shows, e.g. "[3]" or "[2, 5]".

A document numbers its sources in order of first citation in reading order: the
composer asks a `Numbering` for each mark as it builds the blocks, top to bottom,
so the numbers follow whatever it builds first (a report, or a payer's packet).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from generator.spec.model import Cited, Source

# Turns the ids a text cites into the mark shown after it ("" when it cites nothing).
Citer = Callable[[Sequence[str]], str]


def id_marks(ids: Sequence[str]) -> str:
    """The ids themselves, "[aetna-cpb-0327, d3rx]": what comparisons use, since numbers depend on the whole document."""
    return f"[{', '.join(ids)}]" if ids else ""


def no_marks(ids: Sequence[str]) -> str:
    """No marks at all: for texts quoted outside the cited content, e.g. a packet's reference line."""
    return ""


def with_mark(text: str, mark: str) -> str:
    return f"{text} {mark}" if mark else text


def plain_text(item: str | Cited, cite: Citer) -> str:
    """A paragraph or bullet point as printed: its text, then its mark."""
    return item if isinstance(item, str) else with_mark(item.text, cite(item.cite))


@dataclass(frozen=True)
class Reference:
    """One entry of the References appendix: a source and the number its citations show."""

    label: str  # "[3]", as the marks in the text print it
    title: str
    publisher: str | None
    published: str | None
    url: str | None
    accessed: date | None

    @classmethod
    def of(cls, number: int, source: Source) -> Reference:
        return cls(f"[{number}]", source.title, source.publisher, source.published, source.url, source.accessed)


class Numbering:
    """Numbers the spec's sources in the order they are first cited; a `Citer` for the composer."""

    def __init__(self, sources: Sequence[Source]):
        self._sources = {source.id: source for source in sources}
        self._numbers: dict[str, int] = {}

    def __call__(self, ids: Sequence[str]) -> str:
        numbers = sorted({self._numbers.setdefault(i, len(self._numbers) + 1) for i in ids})
        return f"[{', '.join(map(str, numbers))}]" if numbers else ""

    def references(self) -> list[Reference]:
        """Every source cited so far, once, by number."""
        return [Reference.of(number, self._sources[i]) for i, number in self._numbers.items()]
