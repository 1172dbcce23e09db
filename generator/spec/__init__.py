"""The spec layer: the only code that reads YAML. `load_spec` gives a validated `Spec` and its theme."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.spec.errors import Problem, SpecError
from generator.spec.model import Spec
from generator.spec.source import read_source
from generator.spec.theme import LoadedTheme, is_theme_file, load_theme_for
from generator.spec.validate import FontCheck, validate

__all__ = ["LoadedSpec", "LoadedTheme", "Problem", "Spec", "SpecError", "load_spec"]


@dataclass(frozen=True)
class LoadedSpec:
    """A validated spec, where it came from, its warnings and its theme."""

    path: Path
    spec: Spec
    warnings: list[Problem]  # problems that were repaired, e.g. control characters removed
    theme: LoadedTheme | None = None  # the theme file that brands this spec (generator.spec.theme)
    source: bytes = b""  # the file's bytes, as they were read and validated

    def warning_lines(self) -> list[str]:
        """Every warning of the spec and of its theme, each naming its own file."""
        lines = [f"{warning.format(self.path)} (warning)" for warning in self.warnings]
        if self.theme is not None:
            lines += [f"{warning.format(self.theme.path)} (warning)" for warning in self.theme.warnings]
        return lines


def load_spec(path: Path | str, check_font: FontCheck | None = None) -> LoadedSpec:
    """Read and validate one spec file and the theme that brands it; raise SpecError listing
    every problem of the spec (or, when the spec is valid, of its theme file).
    `check_font`: text the PDF font cannot draw is a problem too (see spec.validate.validate)."""
    path = Path(path)
    if is_theme_file(path):
        message = "this is a theme file, not a report spec: it brands the specs in its folder when they are built"
        raise SpecError(path, [Problem(1, 1, "", message)])
    data, root = read_source(path)
    spec, errors, warnings = validate(root, check_font)
    if spec is None:
        raise SpecError(path, errors + warnings)
    return LoadedSpec(path, spec, warnings, load_theme_for(path, check_font), data)
