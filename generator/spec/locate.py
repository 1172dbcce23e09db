"""Where in a spec file a field is: the line and column of a path like "payers[2].last_reviewed"."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import yaml

from generator.spec.errors import Problem, SpecError
from generator.spec.source import read_nodes


class Locator:
    """Finds the node of a field path in the spec file, for problems found after validation."""

    def __init__(self, path: Path):
        self.path = path

    @functools.cached_property
    def root(self) -> yaml.Node | None:
        """The file's node tree, read at the first problem (most builds have none to place)."""
        try:
            return read_nodes(self.path)
        except SpecError:  # changed since it was validated; problems then point at the top
            return None

    def problem(self, field: str, message: str) -> Problem:
        node = self.find(field)
        return Problem(1, 1, field, message) if node is None else Problem.at(node, field, message)

    def find(self, field: str) -> yaml.Node | None:
        """The deepest node along `field` that the file has (None when it could not be read)."""
        return None if self.root is None else find(self.root, field)


def find(root: yaml.Node, field: str) -> yaml.Node:
    """The deepest node along `field` (e.g. "charts[0].series[1].rows[2].metric") under `root`."""
    node = root
    for part in re.findall(r"[^.\[\]]+", field):
        child = _child(node, part)
        if child is None:
            break
        node = child
    return node


def _child(node: yaml.Node, part: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        return next((value for key, value in node.value if getattr(key, "value", None) == part), None)
    if isinstance(node, yaml.SequenceNode) and part.isdigit() and int(part) < len(node.value):
        return node.value[int(part)]
    return None
