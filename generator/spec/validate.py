"""Turning a YAML node tree into a `Spec`, collecting every problem on the way.

The walk is driven by the type hints of the dataclasses in `spec.model`, so a
new field needs no code here. Each problem names the node it comes from.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import types
import typing
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from generator.spec.errors import Problem
from generator.spec.model import Spec

MAX_VALUES = 100_000  # bounds the work an alias-laden ("billion laughs") file can cause
MAX_SECTION_DEPTH = 6
MAX_SIGNIFICANT_DIGITS = 15  # what a spreadsheet's double stores exactly

_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = frozenset(_CORE + t for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map"))
_ILLEGAL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_WHITESPACE_RUN = re.compile(r"[ \t\r\n]+")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
URL = re.compile(r"https?://[^\s/$.?#][^\s]*", re.IGNORECASE)

INVALID: Any = object()  # a value that failed; its problem is already recorded


class _TooLarge(Exception):
    pass


def validate(root: yaml.Node) -> tuple[Spec | None, list[Problem], list[Problem]]:
    """Return (spec or None, errors, warnings) for the document rooted at `root`."""
    walker = _Walker()
    try:
        spec = walker.record(Spec, root, "")
    except _TooLarge:
        return None, [_problem(root, "", f"more than {MAX_VALUES} values (aliases expanded); not a report spec")], []
    walker.check_placements()
    if walker.errors:
        return None, walker.errors, walker.warnings
    return spec, [], walker.warnings


def _problem(node: yaml.Node, path: str, message: str) -> Problem:
    return Problem(node.start_mark.line + 1, node.start_mark.column + 1, path, message)


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    return repr(node.value)


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == _CORE + "null"


def _suggestion(word: str, choices: typing.Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


class _Walker:
    def __init__(self) -> None:
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self.placements: list[tuple[str, yaml.Node, str]] = []
        self.values = 0

    def error(self, node: yaml.Node, path: str, message: str) -> Any:
        self.errors.append(_problem(node, path, message))
        return INVALID

    def convert(self, hint: Any, node: yaml.Node, path: str, rules: dict[str, Any]) -> Any:
        self.values += 1
        if self.values > MAX_VALUES:
            raise _TooLarge
        if node.tag not in _ALLOWED_TAGS:
            return self.error(node, path, f"tag '{node.tag}' is not allowed in a spec")
        kinds = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
        nullable = type(None) in kinds
        kinds = tuple(k for k in kinds if k is not type(None))
        if _is_null(node) and nullable:
            return None
        if typing.get_origin(hint) is tuple:
            return self.sequence(typing.get_args(hint)[0], node, path, rules)
        if kinds == (Decimal, str):
            return self.measure(node, path)
        if len(kinds) > 1:
            return self.block(kinds, node, path)
        kind = kinds[0]
        if dataclasses.is_dataclass(kind):
            return self.record(kind, node, path)
        if kind is date:
            return self.date(node, path)
        if isinstance(kind, type) and issubclass(kind, Enum):
            return self.choice(kind, node, path)
        return self.text(node, path, rules, nullable)

    def record(self, cls: type, node: yaml.Node, path: str) -> Any:
        names = [f.name for f in dataclasses.fields(cls)]
        if not isinstance(node, yaml.MappingNode):
            return self.error(node, path or "(top level)", f"expected a mapping with keys {', '.join(names)}; got {_describe(node)}")
        if path.count("sections[") > MAX_SECTION_DEPTH:
            return self.error(node, path, f"sections nest deeper than {MAX_SECTION_DEPTH} levels")
        given = self.keys(node, path, names)
        hints = typing.get_type_hints(cls)
        values: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            if f.name in given:
                values[f.name] = self.convert(hints[f.name], given[f.name], _join(path, f.name), dict(f.metadata))
            elif f.default is dataclasses.MISSING:
                values[f.name] = self.error(node, _join(path, f.name), "required key is missing")
        if any(v is INVALID for v in values.values()):
            return INVALID
        return cls(**values)

    def keys(self, node: yaml.MappingNode, path: str, names: list[str]) -> dict[str, yaml.Node]:
        given: dict[str, yaml.Node] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key is None:
                self.error(key_node, path or "(top level)", f"keys must be names; got {_describe(key_node)}")
            elif key in first_line:
                self.error(key_node, _join(path, key), f"duplicate key '{key}' (first given on line {first_line[key]})")
            elif key not in names:
                hint = _suggestion(key, names) or f" (expected one of: {', '.join(names)})"
                self.error(key_node, _join(path, key), f"unknown key '{key}'{hint}")
            else:
                first_line[key] = key_node.start_mark.line + 1
                given[key] = value_node
        return given

    def sequence(self, item: Any, node: yaml.Node, path: str, rules: dict[str, Any]) -> Any:
        if _is_null(node):
            return self.error(node, path, "expected a list, got nothing") if rules.get("min_items") else ()
        if not isinstance(node, yaml.SequenceNode):
            return self.error(node, path, f"expected a list (lines starting with '- '), got {_describe(node)}")
        if len(node.value) < rules.get("min_items", 0):
            return self.error(node, path, f"expected at least {rules['min_items']} item(s), got an empty list")
        items = tuple(self.convert(item, child, f"{path}[{i}]", {}) for i, child in enumerate(node.value))
        return INVALID if any(v is INVALID for v in items) else items

    def block(self, kinds: tuple[type, ...], node: yaml.Node, path: str) -> Any:
        if isinstance(node, yaml.ScalarNode):
            return self.text(node, path, {}, nullable=False)
        records = [k for k in kinds if dataclasses.is_dataclass(k)]
        if isinstance(node, yaml.MappingNode):
            keys = {k.value for k, _ in node.value if isinstance(k, yaml.ScalarNode)}
            for cls in records:
                if dataclasses.fields(cls)[0].name in keys:
                    placed = self.record(cls, node, path)
                    if getattr(placed, "table", None):
                        self.placements.append((placed.table, node, path))
                    return placed
        leads = [dataclasses.fields(c)[0].name for c in records]
        expected = " or ".join(f"'{lead}:'" for lead in leads)
        hint = _suggestion(sorted(keys)[0], leads) if isinstance(node, yaml.MappingNode) and keys else ""
        return self.error(node, path, f"expected a paragraph (text) or a mapping with {expected}; got {_describe(node)}{hint}")

    def scalar(self, node: yaml.Node, path: str, what: str) -> str | None:
        if isinstance(node, yaml.ScalarNode):
            return node.value
        self.error(node, path, f"expected {what}, got {_describe(node)}")
        return None

    def text(self, node: yaml.Node, path: str, rules: dict[str, Any], nullable: bool) -> Any:
        raw = self.scalar(node, path, "text")
        if raw is None:
            return INVALID
        if _is_null(node):
            return self.error(node, path, "must not be empty")
        text = _WHITESPACE_RUN.sub(" ", self.strip_illegal(raw, node, path)).strip()
        if not text:
            return None if nullable else self.error(node, path, "must not be empty")
        return self.check_text(text, node, path, rules)

    def strip_illegal(self, raw: str, node: yaml.Node, path: str) -> str:
        found = sorted(set(_ILLEGAL_CHARACTERS.findall(raw)))
        if found:
            names = ", ".join(f"U+{ord(c):04X}" for c in found)
            self.warnings.append(_problem(node, path, f"removed control character(s) {names}"))
        return _ILLEGAL_CHARACTERS.sub("", raw)

    def check_text(self, text: str, node: yaml.Node, path: str, rules: dict[str, Any]) -> Any:
        if "pattern" in rules and not re.fullmatch(rules["pattern"], text):
            return self.error(node, path, f"expected {rules['expect']}, got {text!r}")
        if "choices" in rules and text not in rules["choices"]:
            hint = _suggestion(text, rules["choices"])
            return self.error(node, path, f"unknown table {text!r}; expected one of {', '.join(rules['choices'])}{hint}")
        if rules.get("url") and not URL.fullmatch(text):
            return self.error(node, path, f"expected an http:// or https:// address, got {text!r}")
        return text

    def date(self, node: yaml.Node, path: str) -> Any:
        raw = self.scalar(node, path, "a date like 2025-06-01")
        if raw is None:
            return INVALID
        bad = f"expected a date like 2025-06-01, got {raw!r}"
        if not ISO_DATE.match(raw):
            return self.error(node, path, bad)
        try:
            value = SafeConstructor().construct_yaml_timestamp(node) if node.tag == _CORE + "timestamp" else date.fromisoformat(raw)
        except ValueError as exc:
            return self.error(node, path, f"{bad} ({exc})")
        if isinstance(value, datetime):
            return self.error(node, path, f"expected a date without a time, got {raw!r}")
        return value

    def measure(self, node: yaml.Node, path: str) -> Any:
        raw = self.scalar(node, path, "a number or text")
        if raw is None:
            return INVALID
        if node.tag == _CORE + "bool":
            return self.error(node, path, f"expected a number or text, got {raw!r}; quote it if it is text")
        if node.tag not in (_CORE + "int", _CORE + "float"):
            return self.text(node, path, {}, nullable=True)
        try:
            number = Decimal(raw.replace("_", ""))
        except InvalidOperation:
            return self.error(node, path, f"expected a number written in decimal digits, got {raw!r}")
        if not number.is_finite():
            return self.error(node, path, f"expected a finite number, got {raw!r}")
        if len(number.as_tuple().digits) > MAX_SIGNIFICANT_DIGITS:
            return self.error(node, path, f"more than {MAX_SIGNIFICANT_DIGITS} significant digits in {raw!r}")
        return number

    def choice(self, enum: type[Enum], node: yaml.Node, path: str) -> Any:
        raw = self.scalar(node, path, "text")
        names = [member.value for member in enum]
        if raw is None:
            return INVALID
        if raw not in names:
            return self.error(node, path, f"expected one of {', '.join(names)}, got {raw!r}{_suggestion(raw, names)}")
        return enum(raw)

    def check_placements(self) -> None:
        first: dict[str, str] = {}
        for name, node, path in self.placements:
            if name in first:
                self.error(node, path, f"table '{name}' is already placed at {first[name]}; a table appears once")
            else:
                first[name] = path
