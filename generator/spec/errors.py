"""Problems found in a spec, reported the way editors and compilers do."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True, order=True)
class Problem:
    """One problem of an input file, at its line and column."""

    line: int  # 1-based
    column: int  # 1-based
    field: str  # e.g. "payers[0].last_reviewed"; "" for the file as a whole
    message: str

    @classmethod
    def at(cls, node: Any, field: str, message: str) -> Problem:
        """A problem where a YAML node starts (PyYAML's marks count from 0)."""
        return cls(node.start_mark.line + 1, node.start_mark.column + 1, field, message)

    def format(self, path: Path | str) -> str:
        where = f"{path}:{self.line}:{self.column}:"
        return f"{where} {self.field}: {self.message}" if self.field else f"{where} {self.message}"


class SpecError(Exception):
    """A spec that cannot be used; carries every problem found in it."""

    def __init__(self, path: Path | str, problems: list[Problem]):
        self.path = path
        self.problems = sorted(problems)
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        return [p.format(self.path) for p in self.problems]
