"""The spec layer: the only code that reads YAML. `load_spec` gives a validated `Spec`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.spec.errors import Problem, SpecError
from generator.spec.model import Spec
from generator.spec.source import read_nodes
from generator.spec.validate import validate

__all__ = ["LoadedSpec", "Problem", "Spec", "SpecError", "load_spec"]


@dataclass(frozen=True)
class LoadedSpec:
    path: Path
    spec: Spec
    warnings: list[Problem]  # problems that were repaired, e.g. control characters removed


def load_spec(path: Path | str) -> LoadedSpec:
    """Read and validate one spec file; raise SpecError listing every problem."""
    path = Path(path)
    spec, errors, warnings = validate(read_nodes(path))
    if spec is None:
        raise SpecError(path, errors + warnings)
    return LoadedSpec(path, spec, warnings)
