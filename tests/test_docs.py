"""The docs in the repository are kept in step with the code: every spec field and limit named, links that resolve."""

from __future__ import annotations

import dataclasses
import importlib
import re
from pathlib import Path

import pytest

from generator.spec import source, theme
from generator.spec.schema import spec_schema

ROOT = Path(__file__).parent.parent
SPEC_FORMAT = (ROOT / "docs" / "spec-format.md").read_text(encoding="utf-8")
DESIGN = (ROOT / "docs" / "design.md").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")
# The module, not the function the package exports under the same name.
validate_module = importlib.import_module("generator.spec.validate")


def schema_fields() -> list[str]:
    """Every top-level field and every field of a record the spec holds (tables, sections, blocks)."""
    schema = spec_schema()
    names = list(schema["properties"])
    for record in schema["$defs"].values():
        names += list(record["properties"])
    return sorted(set(names))


@pytest.mark.parametrize("name", schema_fields())
def test_every_field_of_the_schema_is_documented(name: str) -> None:
    assert f"`{name}`" in SPEC_FORMAT, f"docs/spec-format.md does not name the spec field {name!r}"


@pytest.mark.parametrize("name", [f.name for f in dataclasses.fields(theme.Branding)])
def test_every_theme_key_is_documented(name: str) -> None:
    assert f"| `{name}` |" in SPEC_FORMAT


@pytest.mark.parametrize(
    "number",
    [
        source.MAX_FILE_BYTES, validate_module.MAX_VALUES, source.MAX_NESTING, validate_module.MAX_SECTION_DEPTH,
        validate_module.MAX_SIGNIFICANT_DIGITS, validate_module.MAX_NUMBER_PLACES, theme.MAX_LOGO_BYTES, theme.MAX_LOGO_SIDE,
        theme.MAX_LOGO_PIXELS, theme.MAX_BRAND_NAME,
    ],
)
def test_every_limit_is_documented_with_its_value(number: int) -> None:
    assert re.search(rf"(?<![\d,]){number:,}(?![\d,])", SPEC_FORMAT), f"docs/spec-format.md does not give {number:,}"


def test_the_readme_links_both_docs_and_nothing_outside_the_repository() -> None:
    assert "(docs/spec-format.md)" in README and "(docs/design.md)" in README
    outside = ("../" + "shared", "/" + "work/")  # spelled apart, so that this file does not match itself
    for text in (README, SPEC_FORMAT, DESIGN):
        assert not any(path in text for path in outside)


def test_the_design_names_every_package_and_module_it_describes() -> None:
    for package in ("generator/spec", "generator/document", "generator/writers", "generator/pipeline", "generator/commands"):
        assert f"`{package}/`" in DESIGN
    for path in re.findall(r"`(generator/[\w/]+\.py)`", DESIGN):
        assert (ROOT / path).is_file(), f"docs/design.md names {path}, which does not exist"
