"""The JSON Schema (draft 2020-12) of the spec format, generated from `spec.model`.

Editors use it for completion, hover text and squiggles while a spec is typed.
It is derived, never written by hand: the walk below follows the type hints and
field metadata of the dataclasses exactly as `spec.validate` does, so a new
field appears in the schema with no code here. `python -m generator schema -o
specs/report.schema.json` refreshes the committed copy; a test fails when it is stale.

The validator stays the authority. The schema cannot see duplicate keys, a table
or chart placed twice, chart rows that the benchmarks lack,
whitespace-only text, nesting depth or digit limits. It is
stricter where the validator forgives what is almost surely a slip: a value
checked against a pattern or a list (code, modifier, table, unit, URL) must be
a YAML string, so codes are quoted (YAML reads an unquoted 01234 as the number
668, which is all a JSON tool sees); such a value has no surrounding spaces; a
blank URL is written as null; and a URL's scheme is lower-case.
"""

from __future__ import annotations

import dataclasses
import json
from enum import Enum
from typing import Any

from generator.spec.hints import Kind, field_hints, shape
from generator.spec.model import Spec
from generator.spec.validate import ISO_DATE, URL

DIALECT = "https://json-schema.org/draft/2020-12/schema"
GENERATED_BY = "python -m generator schema -o specs/report.schema.json"

# A text field takes any YAML scalar: the validator keeps the text as typed (period: 2026).
_SCALAR_TEXT = ["string", "number", "boolean"]

Schema = dict[str, Any]


def spec_schema() -> Schema:
    """The schema of a whole spec file, with every nested record under $defs."""
    defs: dict[str, Schema] = {}
    body = _record(Spec, defs)
    return {
        "$schema": DIALECT,
        "$comment": f"Generated from generator/spec/model.py; do not edit. Regenerate: {GENERATED_BY}",
        "title": "Billing-code report spec",
        "description": "One billing-code report: YAML in, DOCX, PDF and XLSX out.",
        **body,
        "$defs": dict(sorted(defs.items())),
    }


def schema_text() -> str:
    """The schema as committed: 2-space indent, keys in a fixed order, trailing newline."""
    return json.dumps(spec_schema(), indent=2, ensure_ascii=False) + "\n"


def _record(cls: type, defs: dict[str, Schema]) -> Schema:
    hints = field_hints(cls)
    fields = dataclasses.fields(cls)
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [f.name for f in fields if f.default is dataclasses.MISSING],
        "properties": {f.name: _field(f, hints[f.name], defs) for f in fields},
    }


def _field(f: dataclasses.Field[Any], hint: Any, defs: dict[str, Schema]) -> Schema:
    rules = dict(f.metadata)
    schema: Schema = {"description": rules["doc"], **_value(hint, rules, defs)}
    if f.default is not dataclasses.MISSING:
        schema["default"] = _json_value(f.default)
    return schema


def _value(hint: Any, rules: dict[str, Any], defs: dict[str, Schema]) -> Schema:
    """The schema of one value, for each Kind of `spec.hints` that `_Walker.convert` reads."""
    found = shape(hint)
    if found.kind is Kind.SEQUENCE:
        schema = _sequence(found.of, rules, defs)
    elif found.kind is Kind.MEASURE:
        schema = {"type": ["number", "string"]}  # a number, or text; booleans are refused
    elif found.kind is Kind.BLOCK:
        schema = {"oneOf": [_value(kind, {}, defs) for kind in found.of]}
    elif found.kind is Kind.RECORD:
        schema = {"$ref": _ref(found.of, defs)}
    elif found.kind is Kind.DATE:
        schema = {"type": "string", "format": "date", "pattern": _anchored(ISO_DATE.pattern)}
    elif found.kind is Kind.CHOICE:
        schema = {"type": "string", "enum": [member.value for member in found.of]}
    else:
        schema = _text(rules, found.nullable)
    return _or_null(schema) if found.nullable else schema


def _sequence(item: Any, rules: dict[str, Any], defs: dict[str, Schema]) -> Schema:
    minimum = rules.get("min_items", 0)
    if minimum:
        return {"type": "array", "minItems": minimum, "items": _value(item, {}, defs)}
    # The validator reads an empty `key:` (null) as an empty list.
    return {"type": ["array", "null"], "items": _value(item, {}, defs)}


def _text(rules: dict[str, Any], nullable: bool) -> Schema:
    if "pattern" in rules:
        # patternErrorMessage: the YAML language server shows it instead of the bare pattern.
        return {"type": "string", "pattern": _anchored(rules["pattern"]), "patternErrorMessage": f"expected {rules['expect']}"}
    if "choices" in rules:
        return {"type": "string", "enum": list(rules["choices"])}
    if rules.get("url"):
        return {"type": "string", "pattern": _anchored(URL.pattern)}
    # Blank optional text means "missing"; blank required text is an error.
    return {"type": list(_SCALAR_TEXT)} if nullable else {"type": list(_SCALAR_TEXT), "minLength": 1}


def _or_null(schema: Schema) -> Schema:
    if "type" not in schema:
        return {"anyOf": [schema, {"type": "null"}]}
    types_ = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    schema = {**schema, "type": [*types_, "null"]}
    if "enum" in schema:
        schema["enum"] = [*schema["enum"], None]
    return schema


def _ref(cls: type, defs: dict[str, Schema]) -> str:
    if cls.__name__ not in defs:
        defs[cls.__name__] = {}  # placeholder first: sections contain sections
        defs[cls.__name__] = _record(cls, defs)
    return f"#/$defs/{cls.__name__}"


def _anchored(pattern: str) -> str:
    return f"^{pattern}$" if "|" not in pattern else f"^(?:{pattern})$"


def _json_value(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple):
        return [_json_value(v) for v in value]
    return value
