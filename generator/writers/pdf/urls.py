"""URLs inside a text broken into lines: which piece of which line links where."""

from __future__ import annotations

from generator.document.model import Span


def line_pieces(text: str, lines: list[str], spans: tuple[Span, ...]) -> list[list[tuple[int, int, int | None]]]:
    """For each line (a run of `text`, in order), its pieces as (start, end, index of the span
    they lie in or None), offsets within the line."""
    found = []
    at = 0
    for shown in lines:
        start = text.find(shown, at)
        at = start + len(shown)
        edges = (min(max(edge - start, 0), len(shown)) for s in spans for edge in (s.start, s.end))
        cuts = sorted({0, len(shown), *edges})
        found.append([
            (left, right, next((k for k, s in enumerate(spans) if s.start <= start + left and start + right <= s.end), None))
            for left, right in zip(cuts, cuts[1:])
        ])
    return found
