"""The house rules that a reader relies on: packages import in one direction, every module says what it holds.

Imports are read from the source with ast (lazy imports inside functions too), never by importing.
"""

from __future__ import annotations

import ast
import itertools
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "generator"
LAYERS = ("spec", "document", "writers", "pipeline", "commands")
# What each layer must never import (directly, or through a lazy import in a function).
FORBIDDEN = {
    "spec": {"document", "writers", "pipeline", "commands"},
    "document": {"writers", "pipeline", "commands"},
    "writers": {"spec", "pipeline", "commands"},
    "pipeline": {"commands"},
}
MODULES = sorted(PACKAGE.rglob("*.py"))


def layer_of(module: str) -> str | None:
    """generator.spec.model -> spec; generator.cli -> commands (it is the command line); generator -> None."""
    parts = module.split(".")
    if parts[0] != "generator" or len(parts) == 1:
        return None
    if parts[1] in ("cli", "__main__"):
        return "commands"
    return parts[1] if parts[1] in LAYERS else None


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> set[str]:
    """Every generator module `path` imports, absolute or relative."""
    return {name for name in imports(path) if name == "generator" or name.startswith("generator.")}


def imports(path: Path) -> set[str]:
    """Every module, and every name imported from a module, that `path` imports."""
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)  # `from generator import writers`
    return names


def layer_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {layer: set() for layer in LAYERS}
    for path in MODULES:
        source = layer_of(module_name(path))
        if source is None:
            continue
        for name in imported(path):
            target = layer_of(name)
            if target is not None and target != source:
                graph[source].add(target)
    return graph


def test_the_import_reader_sees_imports_of_every_kind(tmp_path: Path) -> None:
    graph = layer_graph()
    assert "spec" in graph["document"] and "document" in graph["writers"] and "writers" in graph["pipeline"]
    assert imported(PACKAGE / "pipeline" / "health.py") >= {"generator.spec.locate", "generator.document.changes"}


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_no_layer_imports_what_it_must_not(layer: str) -> None:
    offending = {
        f"{module_name(path)} imports {name}"
        for path in MODULES
        if layer_of(module_name(path)) == layer
        for name in imported(path)
        if layer_of(name) in FORBIDDEN[layer]
    }
    assert not offending


def test_no_circle_between_packages() -> None:
    graph = layer_graph()

    def reaches(start: str, goal: str, seen: frozenset[str] = frozenset()) -> bool:
        return any(nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})) for nxt in graph[start])

    circles = [(a, b) for a, b in itertools.permutations(LAYERS, 2) if reaches(a, b) and reaches(b, a)]
    assert not circles


def test_the_root_package_imports_nothing_of_its_own() -> None:
    assert imported(PACKAGE / "__init__.py") == set()


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_every_module_opens_with_a_one_line_summary(path: Path) -> None:
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")), clean=False)
    assert docstring, f"{path} has no docstring"
    lines = docstring.splitlines()
    assert lines[0].strip() and len(lines[0]) <= 120
    assert len(lines) == 1 or not lines[1].strip(), "the summary is one line, then a blank line"


# Where each library's private API may be used, one module per library, each saying why.
PRIVATE_API_HOMES = {"reportlab": "generator.writers.pdf.reportlab_objects"}


def private_attributes(path: Path) -> list[str]:
    """`x._name` and `x.__name__`-style accesses whose owner is not this module's own object (self, cls)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_"):
            owner = node.value
            if not (isinstance(owner, ast.Name) and owner.id in ("self", "cls")):
                found.append(f"{path.name}:{node.lineno}: .{node.attr}")
    return found


def test_no_module_imports_platypus() -> None:
    users = [module_name(path) for path in MODULES if any(name.startswith("reportlab.platypus") for name in imports(path))]
    assert users == []


@pytest.mark.parametrize("library", sorted(PRIVATE_API_HOMES))
def test_a_library_s_private_api_is_used_in_its_one_home_only(library: str) -> None:
    home = PRIVATE_API_HOMES[library]
    offenders = {}
    for path in MODULES:
        names = imports(path)
        if module_name(path) == home or not any(name == library or name.startswith(library + ".") for name in names):
            continue
        private_imports = [name for name in names if name.startswith(library) and any(part.startswith("_") for part in name.split("."))]
        accesses = [access for access in private_attributes(path) if not access.endswith("__")]
        if private_imports or accesses:
            offenders[module_name(path)] = private_imports + accesses
    assert offenders == {}
