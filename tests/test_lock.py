"""The lock files: exact versions that satisfy pyproject.toml's ranges, and the versions this suite runs on."""

from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from generator.pipeline.manifest import LIBRARIES

ROOT = Path(__file__).parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
RUNTIME_LOCK = ROOT / "requirements.lock"
TEST_LOCK = ROOT / "requirements-test.lock"
PYTHON_311 = {**default_environment(), "python_version": "3.11", "python_full_version": "3.11.0"}


def pins(path: Path) -> dict[str, Version]:
    """name -> exact version of a lock file, following its `-r` includes."""
    found: dict[str, Version] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("-r "):
            found.update(pins(path.parent / line.removeprefix("-r ").strip()))
            continue
        requirement = Requirement(line)
        (specifier,) = requirement.specifier  # one exact pin, nothing else
        assert specifier.operator == "==" and not requirement.marker and not requirement.extras, line
        found[canonicalize_name(requirement.name)] = Version(specifier.version)
    return found


def requirements_of(name: str, version: Version, extras: set[str], locked: dict[str, Version]) -> list[Requirement]:
    """What the installed distribution `name` needs on Python 3.11 with `extras`."""
    assert Version(metadata.version(name)) == version, f"{name} installed is not the locked {version}"
    needed = []
    for text in metadata.requires(name) or []:
        requirement = Requirement(text)
        marker = requirement.marker
        if marker is None or any(marker.evaluate({**PYTHON_311, "extra": extra}) for extra in extras | {""}):
            needed.append(requirement)
    return needed


@pytest.mark.parametrize(
    ("lock", "declared"),
    [
        (RUNTIME_LOCK, PYPROJECT["project"]["dependencies"]),
        (TEST_LOCK, PYPROJECT["project"]["dependencies"] + PYPROJECT["project"]["optional-dependencies"]["test"]),
    ],
    ids=["runtime", "test"],
)
def test_each_lock_pins_every_declared_dependency_within_its_range(lock: Path, declared: list[str]) -> None:
    locked = pins(lock)
    for text in declared:
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{lock.name} does not pin {requirement.name}"
        assert requirement.specifier.contains(locked[name]), f"{lock.name}: {name}=={locked[name]} is outside {text}"


@pytest.mark.parametrize("lock", [RUNTIME_LOCK, TEST_LOCK], ids=["runtime", "test"])
def test_each_lock_is_closed_what_every_pinned_package_needs_is_pinned_too(lock: Path) -> None:
    locked = pins(lock)
    declared = PYPROJECT["project"]["dependencies"] + (
        PYPROJECT["project"]["optional-dependencies"]["test"] if lock == TEST_LOCK else []
    )
    extras = {canonicalize_name(r.name): set(r.extras) for r in map(Requirement, declared)}
    for name, version in locked.items():
        for requirement in requirements_of(name, version, extras.get(name, set()), locked):
            needed = canonicalize_name(requirement.name)
            assert needed in locked, f"{name} needs {requirement}, which {lock.name} does not pin"
            assert requirement.specifier.contains(locked[needed], prereleases=True), f"{name} needs {requirement}"


def test_the_test_lock_adds_to_the_runtime_lock_without_changing_it() -> None:
    runtime, test = pins(RUNTIME_LOCK), pins(TEST_LOCK)
    assert {name: test[name] for name in runtime} == runtime
    assert "-r requirements.lock" in TEST_LOCK.read_text(encoding="utf-8").splitlines()


def test_the_libraries_a_manifest_records_are_locked() -> None:
    assert {canonicalize_name(name) for name in LIBRARIES} <= pins(RUNTIME_LOCK).keys()


def test_make_and_ci_install_from_the_locks() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "-r requirements.lock -e ." in makefile and "-r requirements-test.lock -e '.[test]'" in makefile
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
