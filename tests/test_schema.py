"""The editor schema: generated from the spec dataclasses, committed fresh, and agreeing with the validator."""

from __future__ import annotations

import dataclasses
import functools
import json
import re
import typing
from datetime import date, datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.spec.hints import Shape
from generator.spec.template import MODELINE
from generator.spec import model
from generator.spec.schema import schema_text, spec_schema
from generator.spec.validate import validate
from tests.cli import run_cli

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_FILE = ROOT / "specs" / "report.schema.json"
REGENERATE = "python -m generator schema -o specs/report.schema.json"
GOOD_SPECS = sorted(ROOT.glob("specs/*.yaml")) + sorted(ROOT.glob("tests/fixtures/*.yaml"))
SPECS = sorted(ROOT.glob("specs/*.yaml"))
BAD_SPECS = ROOT / "tests" / "bad_specs"

# Bad specs whose problem is visible to the schema; the others (duplicate key, table placed
# twice, YAML syntax, a Python tag) are the validator's alone.
SCHEMA_DETECTABLE = [
    "unknown_key", "bad_unit", "short_code", "path_in_code", "bad_url", "bad_date", "impossible_date",
    "boolean_value", "empty_required", "list_for_text", "bad_block", "unknown_table",
    "missing_required", "no_sections", "many_problems", "top_level_list", "empty_file",
]

MINIMAL = 'code: "89253"\ntitle: T\nversion: "1.0"\nas_of: 2026-11-26\nsections:\n  - title: S\n'


class EditorLoader(yaml.SafeLoader):
    """yaml.safe_load, except that a date stays the ISO text it was typed as.

    This is what an editor's YAML plug-in hands the schema (YAML 1.2 has no date
    type), and an impossible date like 2026-02-30 reaches the schema as text.
    """


EditorLoader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


def as_json(value: Any) -> Any:
    """Dates (should one get through) become ISO strings, keys strings."""
    if isinstance(value, dict):
        return {str(key): as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def load_yaml(path_or_text: Path | str) -> Any:
    text = path_or_text.read_text(encoding="utf-8") if isinstance(path_or_text, Path) else path_or_text
    return as_json(yaml.load(text, Loader=EditorLoader))  # noqa: S506 - a SafeLoader subclass


@functools.cache
def committed_checker() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


@pytest.fixture
def checker() -> jsonschema.Draft202012Validator:
    return committed_checker()


def schema_errors(checker: jsonschema.Draft202012Validator, instance: Any) -> list[jsonschema.ValidationError]:
    return list(checker.iter_errors(instance))


def test_committed_schema_is_the_generated_one() -> None:
    assert SCHEMA_FILE.exists(), f"{SCHEMA_FILE} is missing; write it with: {REGENERATE}"
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), f"specs/report.schema.json is stale; regenerate it with: {REGENERATE}"


def test_schema_command_prints_what_it_writes(tmp_path: Path) -> None:
    printed = run_cli("schema")
    written = run_cli("schema", "-o", tmp_path / "s.json")
    assert printed.status == written.status == 0
    assert (tmp_path / "s.json").read_bytes() == printed.stdout.encode("utf-8")
    # Byte-stable: exactly json.dumps' 2-space layout of the same keys in the same order, one trailing newline.
    assert printed.stdout == json.dumps(json.loads(printed.stdout), indent=2, ensure_ascii=False) + "\n"
    assert printed.stdout.startswith('{\n  "$schema": ') and not printed.stdout.endswith("\n\n")


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    schema = spec_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def record_classes() -> list[type]:
    """Every dataclass reachable from Spec, found through the type hints."""
    found: list[type] = []

    def visit(hint: Any) -> None:
        for kind in (hint, *typing.get_args(hint)):
            if dataclasses.is_dataclass(kind) and kind not in found:
                found.append(kind)
                for inner in typing.get_type_hints(kind).values():
                    visit(inner)
            elif typing.get_args(kind) and kind is not hint:
                visit(kind)

    visit(model.Spec)
    return found


@pytest.mark.parametrize("cls", record_classes(), ids=lambda c: c.__name__)
def test_every_record_mirrors_its_dataclass(cls: type) -> None:
    schema = spec_schema()
    node = schema if cls is model.Spec else schema["$defs"][cls.__name__]
    fields = dataclasses.fields(cls)
    assert node["additionalProperties"] is False
    assert list(node["properties"]) == [f.name for f in fields]
    assert node["required"] == [f.name for f in fields if f.default is dataclasses.MISSING]
    for f in fields:
        prop = node["properties"][f.name]
        assert prop["description"] == f.metadata["doc"]
        if "pattern" in f.metadata:
            assert prop["pattern"] == f"^{f.metadata['pattern']}$"
        if "choices" in f.metadata:
            assert prop["enum"] == list(f.metadata["choices"])
        if "min_items" in f.metadata:
            assert prop["minItems"] == f.metadata["min_items"]


def test_specific_rules_reach_the_schema() -> None:
    schema = spec_schema()
    props, defs = schema["properties"], schema["$defs"]
    assert props["as_of"]["format"] == "date" and props["as_of"]["pattern"].startswith("^")
    assert defs["Payer"]["properties"]["policy_url"]["pattern"].startswith("^https?://")
    assert defs["Benchmark"]["properties"]["unit"]["enum"] == [unit.value for unit in model.Unit]
    assert defs["Benchmark"]["properties"]["value"]["type"] == ["number", "string", "null"]
    assert defs["Section"]["properties"]["sections"]["items"] == {"$ref": "#/$defs/Section"}
    blocks = defs["Section"]["properties"]["body"]["items"]["oneOf"]
    assert blocks[1:] == [
        {"$ref": "#/$defs/Cited"}, {"$ref": "#/$defs/Bullets"}, {"$ref": "#/$defs/TablePlacement"}, {"$ref": "#/$defs/ChartPlacement"},
    ]
    assert "string" in blocks[0]["type"]
    points = defs["Bullets"]["properties"]["bullets"]["items"]["oneOf"]
    assert points[1:] == [{"$ref": "#/$defs/Cited"}] and "string" in points[0]["type"]
    assert defs["Cited"]["required"] == ["text"]
    for record in ("Cited", "Modifier", "Payer", "Benchmark"):
        assert defs[record]["properties"]["cite"]["type"] == ["array", "null"]
    assert props["sources"]["items"] == {"$ref": "#/$defs/Source"}
    assert defs["Source"]["required"] == ["id", "title"]
    assert defs["Source"]["properties"]["id"]["pattern"] == f"^{model.SOURCE_ID}$"
    assert defs["Source"]["properties"]["url"]["pattern"].startswith("^https?://")


def test_there_is_at_least_one_good_spec() -> None:
    assert GOOD_SPECS, "no specs/*.yaml or tests/fixtures/*.yaml to check the schema against"


@pytest.mark.parametrize("path", GOOD_SPECS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_good_spec_satisfies_the_schema(path: Path, checker: jsonschema.Draft202012Validator) -> None:
    errors = schema_errors(checker, load_yaml(path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


@pytest.mark.parametrize("path", SPECS, ids=lambda p: p.name)
def test_every_spec_starts_with_the_schema_modeline(path: Path) -> None:
    first_line = path.read_text(encoding="utf-8").splitlines()[0]
    assert first_line == MODELINE == "# yaml-language-server: $schema=report.schema.json"


def test_a_spec_from_new_satisfies_the_schema(tmp_path: Path) -> None:
    target = tmp_path / "A1234.yaml"
    assert run_cli("new", "A1234", "--title", "Fresh: report", "-o", target).status == 0
    assert not schema_errors(committed_checker(), load_yaml(target))


def validator_paths(path: Path) -> list[list[str | int]]:
    """The field paths of the `# expect:` lines, e.g. payers[0].polcy -> ["payers", 0, "polcy"]."""
    paths = []
    for line in path.read_text(encoding="utf-8").splitlines():
        found = re.match(r"# expect: \d+:\d+: (?:([\w.\[\]]+): )?", line)
        if found:
            tokens = re.findall(r"\w+|\[\d+\]", found.group(1) or "")
            paths.append([int(t[1:-1]) if t.startswith("[") else t for t in tokens])
    return paths


def is_prefix(short: list[str | int], long: list[str | int]) -> bool:
    return long[: len(short)] == short


@pytest.mark.parametrize("name", SCHEMA_DETECTABLE)
def test_schema_rejects_bad_specs_where_the_validator_does(name: str, checker: jsonschema.Draft202012Validator) -> None:
    path = BAD_SPECS / f"{name}.yaml"
    errors = schema_errors(checker, load_yaml(path))
    assert errors, f"the schema accepts {path.name}"
    flagged = [list(error.absolute_path) for error in errors]
    for problem in validator_paths(path):
        # Each validator problem is flagged by the schema at its place or at the mapping that holds it.
        assert any(is_prefix(place, problem) for place in flagged), (problem, flagged)
    for place in flagged:
        assert any(is_prefix(place, problem) for problem in validator_paths(path)), (place, flagged)


def accepted_by_validator(text: str) -> bool:
    spec, _, _ = validate(yaml.compose(text))
    return spec is not None


@settings(max_examples=150, deadline=None)
@given(
    code=st.text(alphabet="0123456789ABCXYZabc-/.", min_size=0, max_size=7),
    url=st.one_of(
        st.sampled_from(["https://x.org/a?b=1#c", "http://a.b", "https://", "ftp://x.org", "https:// x", "https:///x"]),
        st.text(alphabet="htps:/.x?#", min_size=1, max_size=14),
    ),
    day=st.one_of(st.dates().map(date.isoformat), st.text(alphabet="0123456789-", max_size=11)),
)
def test_schema_and_validator_agree_on_codes_urls_and_dates(code: str, url: str, day: str) -> None:
    checks = {
        "code": MINIMAL.replace('code: "89253"', f"code: {json.dumps(code)}"),
        "url": MINIMAL + f"payers:\n  - payer: P\n    policy_url: {json.dumps(url)}\n",
        "date": MINIMAL + f"payers:\n  - payer: P\n    last_reviewed: {json.dumps(day)}\n",
    }
    for what, text in checks.items():
        by_schema = not schema_errors(committed_checker(), load_yaml(text))
        assert by_schema == accepted_by_validator(text), (what, text)


@pytest.mark.parametrize(
    "line",
    ['code: 89253', 'code: " 89253 "', 'code: "89253"\npayers:\n  - payer: P\n    policy_url: ""',
     'code: "89253"\npayers:\n  - payer: P\n    policy_url: HTTPS://X.ORG'],
    ids=["unquoted code", "padded code", "blank url", "upper-case scheme"],
)
def test_schema_is_stricter_only_where_documented(line: str) -> None:
    # Each case is accepted by the validator but flagged in the editor, as generator/spec/schema.py says.
    text = MINIMAL.replace('code: "89253"', line)
    assert accepted_by_validator(text)
    assert schema_errors(committed_checker(), load_yaml(text))


def test_schema_follows_the_validator_on_text_normalisations() -> None:
    # Scalars keep their typed text, null optional text is missing, an empty list may be left blank.
    text = MINIMAL.replace("version: \"1.0\"", "version: 1.0") + (
        "descriptor: null\nmodifiers:\npayers:\n  - payer: 2026\n    notes: yes\n"
        "benchmarks:\n  - metric: M\n    value: null\n  - metric: N\n    value: 12.5\n  - metric: O\n    value: n/a\n"
    )
    assert accepted_by_validator(text)
    assert not schema_errors(committed_checker(), load_yaml(text))


def test_validator_and_schema_read_type_hints_through_one_shape() -> None:
    from datetime import date
    from decimal import Decimal

    from generator.spec.hints import Kind, shape
    from generator.spec.model import Payer, Section, Unit

    assert shape(str | None) == Shape(Kind.TEXT, True)
    assert shape(tuple[Payer, ...]) == Shape(Kind.SEQUENCE, False, Payer)
    assert shape(Decimal | str | None) == Shape(Kind.MEASURE, True)
    assert shape(date | None) == Shape(Kind.DATE, True)
    assert shape(Unit) == Shape(Kind.CHOICE, False, Unit)
    assert shape(Section) == Shape(Kind.RECORD, False, Section)
    with pytest.raises(TypeError, match="no reading for the type hint"):
        shape(int)
