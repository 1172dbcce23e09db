"""Turning a YAML node tree into a `Spec`, collecting every problem on the way.

The walk is driven by the type hints of the dataclasses in `spec.model`, so a
new field needs no code here. Each problem names the node it comes from.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import re
import typing
import unicodedata
import urllib.parse
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from generator.spec.charts import chart_problems
from generator.spec.errors import Problem
from generator.spec.hints import Kind, field_hints, shape
from generator.spec.model import Spec, code_system, payer_key

MAX_VALUES = 100_000  # bounds the work an alias-laden ("billion laughs") file can cause
MAX_SECTION_DEPTH = 6
MAX_SIGNIFICANT_DIGITS = 15  # what a spreadsheet's double stores exactly
MAX_NUMBER_PLACES = 15  # digits before, and decimals after, the point: bounds the displayed text

_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = frozenset(_CORE + t for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map"))
# Control characters, surrogates and non-characters, and the invisible format characters
# (soft hyphen, zero-width and joiner characters, bidirectional controls, BOM): the formats
# do not draw them alike (the PDF drops a soft hyphen that DOCX and XLSX keep as text).
_ILLEGAL_CHARACTERS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\xad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f"
    "\ud800-\udfff\ufeff\ufff9-\ufffb\ufffe\uffff]"
)
_WHITESPACE_RUN = re.compile("[ \t\r\n\u2028\u2029]+")  # line and paragraph separators are line breaks too
MAX_TEXT_CHARS = 32_767  # what an XLSX cell holds (UTF-16 code units)
MAX_URL_CHARS = 2_079  # the longest link Excel follows
_URL_SAFE = "!#$%&'()*+,/:;=?@[]~"  # kept as written: reserved characters and existing %XX escapes
# A whole value inside a pair of typographic double or single quotes, as Word types them: “0.1”, ‘0.1’, „0.1“.
_CURLY_WRAPPED = re.compile("\u201c[^\u201c\u201d]*\u201d|\u2018[^\u2018\u2019]*\u2019|\u201e[^\u201c\u201d\u201e]*\u201c")
_EXCERPT_CHARS = 60  # at most this much of a value is quoted in a problem
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
DECIMAL = re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")  # what Decimal reads, ASCII only
URL = re.compile(r"https?://[^\s/$.?#][^\s]*", re.IGNORECASE)

INVALID: Any = object()  # a value that failed; its problem is already recorded


_R = typing.TypeVar("_R")


class _TooLarge(Exception):
    pass


FontCheck = typing.Callable[[str], str]  # text -> the characters a font cannot draw, described ("" when none)


def validate(root: yaml.Node, check_font: FontCheck | None = None) -> tuple[Spec | None, list[Problem], list[Problem]]:
    """Return (spec or None, errors, warnings) for the document rooted at `root`.

    `check_font`: also refuse text it finds undrawable (the pipeline passes the PDF font's check for
    `validate` and builds that make a PDF; the spec layer itself knows no fonts)."""
    spec, errors, warnings = validate_record(Spec, root, check_font)
    chart_errors = chart_problems(spec, root) if spec is not None else []
    if chart_errors:
        return None, chart_errors, warnings
    if spec is not None and spec.cpt_edition is not None and code_system(spec.code) != "CPT":
        node = next((value for key, value in root.value if getattr(key, "value", None) == "cpt_edition"), root)  # root: merged in
        warnings.append(Problem.at(node, "cpt_edition", f"{spec.code} is an HCPCS Level II code, not a CPT code: no AMA "
                                                        "CPT notice is printed for it; remove cpt_edition"))
    return spec, errors, warnings


def validate_record(cls: type[_R], root: yaml.Node, check_font: FontCheck | None = None) -> tuple[_R | None, list[Problem], list[Problem]]:
    """Like `validate`, for any dataclass written in the style of `spec.model` (e.g. a theme's Branding)."""
    walker = _Walker(check_font)
    try:
        value = walker.record(cls, root, "")
    except _TooLarge:
        return None, [Problem.at(root, "", f"more than {MAX_VALUES} values (aliases expanded); not a report spec")], []
    walker.check_placements()
    walker.check_citations()
    walker.check_payer_names()
    if walker.errors:
        return None, walker.errors, walker.warnings
    return value, [], walker.warnings


@functools.cache
def _fields(cls: type) -> tuple[dataclasses.Field[Any], ...]:
    """A record class's fields (their metadata are the rules), worked out once per class."""
    return dataclasses.fields(cls)


@functools.cache
def _names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in _fields(cls))


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    return _excerpt(node.value)


def _excerpt(text: str) -> str:
    """`text` quoted, or its start when long (a whole non-YAML file must not fill the terminal)."""
    return repr(text) if len(text) <= _EXCERPT_CHARS else f"{text[:_EXCERPT_CHARS]!r}... ({len(text):,} characters)"


def normalized_url(text: str) -> str:
    """The one ASCII form of a link every format writes: IDNA host, percent-encoded path, query and fragment;
    an ASCII link stays exactly as typed. ValueError saying what is wrong (user info, a bad host or port)."""
    parts = urllib.parse.urlsplit(text)
    if "@" in parts.netloc:
        raise ValueError("has user info before '@' (a link that names one site and opens another); remove it")
    netloc = parts.netloc
    try:
        port = f":{parts.port}" if parts.port is not None else ""  # ValueError when out of range
        if not netloc.isascii():
            netloc = (parts.hostname or "").encode("idna").decode("ascii") + port
    except (UnicodeError, ValueError):
        raise ValueError(f"has a host or port that is not valid: {parts.netloc!r}") from None
    quote = functools.partial(urllib.parse.quote, safe=_URL_SAFE)
    before_fragment = text.split("#", 1)[0]
    query = f"?{quote(parts.query)}" if "?" in before_fragment else ""
    fragment = f"#{quote(parts.fragment)}" if "#" in text else ""
    return f"{parts.scheme}://{netloc}{quote(parts.path)}{query}{fragment}"


def _number_hint(raw: str) -> str:
    """How to write `raw` as a number, e.g. '$412.35' -> 'write 412.35'."""
    digits = raw.replace(",", "").replace("_", "").strip().strip("$€£%").strip()
    if DECIMAL.fullmatch(digits):
        try:
            return f"write {format(Decimal(digits).normalize(), 'f')}"
        except InvalidOperation:
            pass
    return "write the number alone, e.g. 412.35"


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == _CORE + "null"


def _suggestion(word: str, choices: typing.Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _collapse_whitespace(text: str) -> str:
    """Each run of spaces and line breaks as one space; most texts have none to collapse (every
    character printable, so no tab or break, and no two spaces together), and are kept as they are."""
    return text if text.isprintable() and "  " not in text else _WHITESPACE_RUN.sub(" ", text)


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _printable(text: str) -> str:
    """`text` with line breaks and other invisible characters escaped: one problem, one line."""
    return text if text.isprintable() else repr(text)[1:-1]


class _Walker:
    def __init__(self, check_font: FontCheck | None = None) -> None:
        self.check_font = check_font
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self.placements: list[tuple[str, yaml.Node, str]] = []
        self.source_ids: list[tuple[str, yaml.Node, str]] = []  # (id, node, path) of each registry entry
        self.citations: list[tuple[str, yaml.Node, str]] = []  # (id, node, path) of each id a `cite:` lists
        self.payer_names: list[tuple[str, yaml.Node, str]] = []  # (name, node, path) of each payers-table row
        self.payer_refs: list[tuple[str, yaml.Node, str]] = []  # (name, node, path) of each name a `payers:` lists
        self.values = 0

    def error(self, node: yaml.Node, path: str, message: str) -> Any:
        self.errors.append(Problem.at(node, path, message))
        return INVALID

    def count(self, values: int) -> None:
        """Charge the work of visiting `values` nodes; aliases make one node cost many visits."""
        self.values += values
        if self.values > MAX_VALUES:
            raise _TooLarge

    def convert(self, hint: Any, node: yaml.Node, path: str, rules: Mapping[str, Any]) -> Any:
        self.count(1)
        if node.tag not in _ALLOWED_TAGS:
            return self.error(node, path, f"tag '{_printable(node.tag)}' is not allowed in a spec")
        found = shape(hint)
        if _is_null(node) and found.nullable:
            return None
        if found.kind is Kind.SEQUENCE:
            return self.sequence(found.of, node, path, rules)
        if found.kind is Kind.MEASURE:
            return self.measure(node, path)
        if found.kind is Kind.BLOCK:
            return self.block(found.of, node, path)
        if found.kind is Kind.RECORD:
            return self.record(found.of, node, path)
        if found.kind is Kind.DATE:
            return self.date(node, path)
        if found.kind is Kind.CHOICE:
            return self.choice(found.of, node, path)
        if found.kind is Kind.FLAG:
            return self.flag(node, path)
        return self.text(node, path, rules, found.nullable)

    def record(self, cls: type, node: yaml.Node, path: str) -> Any:
        names = _names(cls)
        if not isinstance(node, yaml.MappingNode):
            return self.error(node, path or "(top level)", f"expected a mapping with keys {', '.join(names)}; got {_describe(node)}")
        if path.count("sections[") > MAX_SECTION_DEPTH:
            return self.error(node, path, f"sections nest deeper than {MAX_SECTION_DEPTH} levels")
        given = self.keys(node, path, names)
        hints = field_hints(cls)
        values: dict[str, Any] = {}
        for f in _fields(cls):
            if f.name in given:
                values[f.name] = self.convert(hints[f.name], given[f.name], _join(path, f.name), f.metadata)
            elif f.default is dataclasses.MISSING:
                values[f.name] = self.error(node, _join(path, f.name), "required key is missing")
            self.note_ids(f, values.get(f.name), given.get(f.name), _join(path, f.name))
        self.check_numbers(cls, values, given, path)
        if any(v is INVALID for v in values.values()):
            return INVALID
        return cls(**values)

    def check_numbers(self, cls: type, values: dict[str, Any], given: dict[str, yaml.Node], path: str) -> None:
        """A field with `text_only_when={other: allowed}` may hold text only while `other` is `allowed`
        (a benchmark's value under unit usd, percent or count must be a number)."""
        for f in _fields(cls):
            rule = f.metadata.get("text_only_when")
            if not rule or not isinstance(values.get(f.name), str):
                continue
            ((other, allowed),) = rule.items()
            current = values.get(other, next(g.default for g in dataclasses.fields(cls) if g.name == other))
            if current is INVALID or current == allowed:
                continue
            node = given[f.name]
            shown = getattr(current, "value", current)
            note = " (YAML reads it as text)" if not node.style else " (quoted, it is text)"
            values[f.name] = self.error(node, _join(path, f.name), f"expected a number under {other}: {shown}, got "
                                        f"{_excerpt(node.value)}{note}; {_number_hint(node.value)}")

    def note_ids(self, f: dataclasses.Field[Any], value: Any, node: yaml.Node | None, path: str) -> None:
        """Remember registry ids and cited ids with their nodes, to check them once the walk is done."""
        if value is INVALID or node is None:
            return
        if f.metadata.get("source_id"):
            self.source_ids.append((value, node, path))
        elif f.metadata.get("payer_name"):
            self.payer_names.append((value, node, path))
        elif isinstance(node, yaml.SequenceNode) and (f.metadata.get("cites") or f.metadata.get("payer_refs")):
            found = self.citations if f.metadata.get("cites") else self.payer_refs
            found.extend((named, child, f"{path}[{i}]") for i, (named, child) in enumerate(zip(value, node.value)))

    def keys(self, node: yaml.MappingNode, path: str, names: tuple[str, ...]) -> dict[str, yaml.Node]:
        given: dict[str, yaml.Node] = {}
        first_line: dict[str, int] = {}
        self.count(len(node.value))
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            shown = _printable(key or "")
            if key is None:
                self.error(key_node, path or "(top level)", f"keys must be names; got {_describe(key_node)}")
            elif key_node.tag not in _ALLOWED_TAGS and key_node.tag != _CORE + "merge":
                self.error(key_node, _join(path, shown), f"tag '{_printable(key_node.tag)}' is not allowed in a spec")
            elif key in first_line:
                self.error(key_node, _join(path, shown), f"duplicate key '{shown}' (first given on line {first_line[key]})")
            elif key_node.tag == _CORE + "merge":
                self.error(key_node, _join(path, shown), "YAML merge keys ('<<') are not supported; write the keys out")
            elif key not in names:
                hint = _suggestion(key, names) or f" (expected one of: {', '.join(names)})"
                self.error(key_node, _join(path, shown), f"unknown key '{shown}'{hint}")
            else:
                first_line[key] = key_node.start_mark.line + 1
                given[key] = value_node
        return given

    def sequence(self, item: Any, node: yaml.Node, path: str, rules: Mapping[str, Any]) -> Any:
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
            self.count(len(node.value))
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

    def text(self, node: yaml.Node, path: str, rules: Mapping[str, Any], nullable: bool) -> Any:
        raw = self.scalar(node, path, "text")
        if raw is None:
            return INVALID
        if _is_null(node):
            return self.error(node, path, "must not be empty")
        text = unicodedata.normalize("NFC", _collapse_whitespace(self.strip_illegal(raw, node, path)).strip())
        if not text:
            return None if nullable else self.error(node, path, "must not be empty")
        if not node.style and _CURLY_WRAPPED.fullmatch(text):
            self.warnings.append(Problem.at(node, path, f"{_excerpt(text)} is wrapped in curly quotes (pasted from a word "
                                                       f"processor?); they stay part of the text: use straight quotes \" \" or none"))
        # An XLSX cell counts UTF-16 units: at most two a character, so only a long text is counted.
        if len(text) * 2 > MAX_TEXT_CHARS and (length := len(text.encode("utf-16-le")) // 2) > MAX_TEXT_CHARS:
            return self.error(node, path, f"is {length:,} characters; an XLSX cell holds at most {MAX_TEXT_CHARS:,}: "
                                          "split it into several paragraphs or rows")
        checked = self.check_text(text, node, path, rules)
        if self.check_font and isinstance(checked, str) and (missing := self.check_font(checked)):
            return self.error(node, path, f"the PDF font cannot draw {missing}; remove or replace these characters")
        return checked

    def strip_illegal(self, raw: str, node: yaml.Node, path: str) -> str:
        if not _ILLEGAL_CHARACTERS.search(raw):
            return raw  # nearly every text
        found = sorted(set(_ILLEGAL_CHARACTERS.findall(raw)))
        if found:
            names = ", ".join(f"U+{ord(c):04X}" for c in found)
            self.warnings.append(Problem.at(node, path, f"removed control character(s) {names}"))
        return _ILLEGAL_CHARACTERS.sub("", raw)

    def check_text(self, text: str, node: yaml.Node, path: str, rules: Mapping[str, Any]) -> Any:
        if "pattern" in rules and not re.fullmatch(rules["pattern"], text):
            return self.error(node, path, f"expected {rules['expect']}, got {text!r}")
        if "choices" in rules and text not in rules["choices"]:
            hint = _suggestion(text, rules["choices"])
            return self.error(node, path, f"unknown table {text!r}; expected one of {', '.join(rules['choices'])}{hint}")
        if rules.get("url"):
            if not URL.fullmatch(text):
                return self.error(node, path, f"expected an http:// or https:// address, got {_excerpt(text)}")
            try:
                text = normalized_url(text)
            except ValueError as problem:
                return self.error(node, path, f"{_excerpt(text)} {problem}")
            if len(text) > MAX_URL_CHARS:
                return self.error(node, path, f"is {len(text):,} characters as a link; Excel follows at most {MAX_URL_CHARS:,}")
        return text

    def date(self, node: yaml.Node, path: str) -> Any:
        raw = self.scalar(node, path, "a date like 2025-06-01")
        if raw is None:
            return INVALID
        bad = f"expected a date like 2025-06-01, got {raw!r}"
        if not ISO_DATE.fullmatch(raw):
            if ISO_DATE.match(raw) and node.tag == _CORE + "timestamp" and SafeConstructor.timestamp_regexp.match(raw):
                return self.error(node, path, f"expected a date without a time, got {raw!r}")
            return self.error(node, path, bad)
        try:
            return date.fromisoformat(raw)
        except ValueError as exc:
            return self.error(node, path, f"{bad} ({exc})")

    def measure(self, node: yaml.Node, path: str) -> Any:
        raw = self.scalar(node, path, "a number or text")
        if raw is None:
            return INVALID
        if node.tag == _CORE + "bool":
            return self.error(node, path, f"expected a number or text, got {raw!r}; quote it if it is text")
        if node.tag not in (_CORE + "int", _CORE + "float"):
            return self.text(node, path, {}, nullable=True)
        if raw.lower().lstrip("+-") in (".inf", ".nan"):
            return self.error(node, path, f"expected a finite number, got {raw!r}")
        if not DECIMAL.fullmatch(raw.replace("_", "")):
            return self.error(node, path, f"expected a number written in decimal digits, got {raw!r}")
        try:
            number = Decimal(raw.replace("_", ""))
        except InvalidOperation:  # an exponent beyond what Decimal holds
            return self.error(node, path, f"expected a number written in decimal digits, got {raw!r}")
        if len(number.as_tuple().digits) > MAX_SIGNIFICANT_DIGITS:
            return self.error(node, path, f"more than {MAX_SIGNIFICANT_DIGITS} significant digits in {raw!r}")
        if number.adjusted() >= MAX_NUMBER_PLACES or -number.as_tuple().exponent > MAX_NUMBER_PLACES:
            return self.error(
                node, path,
                f"{raw!r} is out of range: at most {MAX_NUMBER_PLACES} digits before and {MAX_NUMBER_PLACES} after the decimal point",
            )
        return number

    def choice(self, enum: type[Enum], node: yaml.Node, path: str) -> Any:
        raw = self.scalar(node, path, "text")
        names = [member.value for member in enum]
        if raw is None:
            return INVALID
        if raw not in names:
            return self.error(node, path, f"expected one of {', '.join(names)}, got {raw!r}{_suggestion(raw, names)}")
        return enum(raw)

    def flag(self, node: yaml.Node, path: str) -> Any:
        raw = self.scalar(node, path, "true or false")
        if raw is None:
            return INVALID
        if node.tag != _CORE + "bool":
            return self.error(node, path, f"expected true or false, got {raw!r}")
        return raw.lower() in ("true", "yes", "on")

    def check_payer_names(self) -> None:
        """Every payer a row names (`payers: [...]`) is a row of the payers table."""
        known = {payer_key(name) for name, _, _ in self.payer_names}
        listed = ", ".join(name for name, _, _ in self.payer_names) or "none"
        for named, node, path in self.payer_refs:
            if payer_key(named) not in known:
                hint = _suggestion(named, [name for name, _, _ in self.payer_names])
                self.error(node, path, f"unknown payer '{_printable(named)}'{hint}; payers in the spec: {listed}")

    def check_citations(self) -> None:
        """Registry ids are unique; every cited id is in the registry."""
        known: dict[str, int] = {}
        for source_id, node, path in self.source_ids:
            if source_id in known:
                self.error(node, path, f"duplicate source id '{source_id}' (first given on line {known[source_id]})")
            else:
                known[source_id] = node.start_mark.line + 1
        for cited, node, path in self.citations:
            if cited not in known:
                hint = _suggestion(cited, known) or (" (the spec has no `sources`)" if not known else "")
                self.error(node, path, f"unknown source id '{_printable(cited)}'{hint}; add it under `sources` or fix the id")

    def check_placements(self) -> None:
        first: dict[str, str] = {}
        for name, node, path in self.placements:
            if name in first:
                self.error(node, path, f"table '{name}' is already placed at {first[name]}; a table appears once")
            else:
                first[name] = path
