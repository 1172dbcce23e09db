"""Hypothesis strategies for report specs: valid specs as Python data, and garbage.

A spec is built as a dict and written with PyYAML's safe dumper, so quoting is
the dumper's business; numbers are written exactly as "typed" (170.50 keeps its
zero) through a small representer. Text is drawn from the PDF font's repertoire
(Carlito), read from the font files themselves rather than from the writer.
"""

from __future__ import annotations

import functools
import re
import string
import unicodedata
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import generator
import yaml
from hypothesis import strategies as st
from reportlab.pdfbase.ttfonts import TTFont

from tests.oracle import NULLS


FONT_FOLDER = Path(generator.__file__).parent / "writers" / "fonts"


def _printable(face: str) -> set[int]:
    """Code points the face maps to a real glyph (U+FFFF maps to glyph 0, .notdef: a box)."""
    font = TTFont(f"Repertoire-{face}", str(FONT_FOLDER / f"Carlito-{face}.ttf"))
    return {code for code, glyph in font.face.charToGlyph.items() if glyph != 0}


# What the regular, bold and italic faces all print (a heading is bold, a missing value italic):
# the writer refuses anything else (test_properties pins the refusal).
PRINTABLE = frozenset(map(chr, set.intersection(*map(_printable, ("Regular", "Bold", "Italic")))))
# Generated text keeps to it, less combining marks, controls, format characters and unusual
# spaces: a text read-back cannot place a mark on its letter or tell those spaces from a space.
REPERTOIRE = frozenset(
    char for char in PRINTABLE if char == " " or (char >= " " and unicodedata.category(char)[0] not in "MCZ")
)
# The soft hyphen is in the font but the spec layer removes it, with a warning, like every
# invisible format character (README); the oracle does not, so generated text leaves it out.
# The no-break space shares the space's glyph, and the PDF's text layer reports it as a plain
# space: it looks the same in every format, but a text read-back cannot tell the two apart.
LEFT_OUT = frozenset("\xad\xa0")
TEXT_ALPHABET = "".join(sorted(REPERTOIRE - LEFT_OUT)) + "\t\n\r  "  # spaces weighted up, so there are words
WORD_ALPHABET = "".join(sorted(c for c in REPERTOIRE - LEFT_OUT if not c.isspace()))
MARKUP = (
    "<b>bold</b>", "<i>", "</para>", "<para>", "<br/>", "&amp;", "&lt;", "&", "&#x41;", "<font color=red>x</font>",
    "<![CDATA[x]]>", "<a href='https://example.test'>y</a>", "<!-- c -->", "<w:t>", "]]>", "%s", "{0}", "\\n",
)
FORMULA_STARTS = "=+-@"
NOT_DRAWABLE = ("日", "🧪", "Ա", "א", "\u2028", "中文", "ก", "€\u0301")


def clean(text: str) -> str:
    """What the spec layer keeps of a text (see README: runs of whitespace become one space)."""
    return re.sub(r"[ \t\r\n\u2028\u2029]+", " ", text).strip()  # line and paragraph separators too


def usable(text: str) -> bool:
    # The oracle reads YAML with BaseLoader, which cannot tell a quoted 'null' from a null:
    # texts that clean to a null word are left out (the spec layer would print them).
    return clean(text) not in NULLS


# ---------------------------------------------------------------- text


@functools.cache
def short_text(max_size: int = 40) -> st.SearchStrategy[str]:
    return st.text(TEXT_ALPHABET, min_size=1, max_size=max_size)


def _sized_text(alphabet: str, sizes: list[int]) -> st.SearchStrategy[str]:
    return st.sampled_from(sizes).flatmap(lambda n: st.text(alphabet, min_size=n, max_size=n))


LONG_TEXT = _sized_text(TEXT_ALPHABET, [3000, 300, 1200])
LONG_TOKEN = _sized_text(WORD_ALPHABET, [1500, 60, 400])  # one word: nowhere to break
FORMULA_TEXT = st.tuples(st.sampled_from(FORMULA_STARTS), short_text()).map("".join)
MARKUP_TEXT = st.tuples(short_text(15), st.sampled_from(MARKUP), short_text(15)).map(lambda t: "".join(t))


@functools.cache  # built once: making strategies anew for every draw is slow
def texts(long: bool) -> st.SearchStrategy[str]:
    """Any text a spec may hold; long ones only when `long` (few rows), to bound the build."""
    kinds = [short_text(), short_text(), short_text(8), FORMULA_TEXT, MARKUP_TEXT]
    if long:
        kinds += [LONG_TEXT, LONG_TOKEN]
    return st.one_of(kinds).filter(usable)


@functools.cache
def optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A value, None (written as null), a blank text, or absent (the key left out)."""
    return st.one_of(strategy, strategy, st.none(), st.just("   "), st.just(ABSENT))


ABSENT = object()  # marks a key that is left out of the mapping


# ---------------------------------------------------------------- numbers and dates


class Typed(str):
    """A number exactly as typed in the YAML file, e.g. "170.50" or "1.25e+3"."""


class Picked(str):
    """A benchmark's metric or period that a chart row names: the same text in both places, so
    never changed in one alone."""


def _represent_picked(dumper: yaml.SafeDumper, value: Picked) -> yaml.Node:
    return dumper.represent_str(str(value))


def _represent_typed(dumper: yaml.SafeDumper, value: Typed) -> yaml.Node:
    tag = "int" if re.fullmatch(r"[-+]?[0-9_]+", value) else "float"
    return dumper.represent_scalar(f"tag:yaml.org,2002:{tag}", str(value))


class SpecDumper(yaml.SafeDumper):
    """The safe dumper, plus numbers written with the digits they were typed with."""


SpecDumper.add_representer(Typed, _represent_typed)
SpecDumper.add_representer(Picked, _represent_picked)


def dump(data: Any) -> str:
    return yaml.dump(data, Dumper=SpecDumper, allow_unicode=True, sort_keys=False)


def within_limits(number: Decimal) -> bool:
    """The spec layer's bounds (README): 15 significant digits, 15 places either side of the point."""
    return len(number.as_tuple().digits) <= 15 and number.adjusted() < 15 and -number.as_tuple().exponent <= 15


@st.composite
def numbers(draw: st.DrawFn) -> Typed:
    """A number of at most 15 significant digits, 15 places before and 15 after the point."""
    digits = draw(st.integers(1, 15))
    significand = draw(st.integers(0, 10**digits - 1))
    decimals = draw(st.integers(0, min(digits, 15)))
    value = Decimal(significand).scaleb(-decimals)
    sign = draw(st.sampled_from(["", "", "-", "+"]))
    form = draw(st.sampled_from(["fixed", "fixed", "fixed", "exponent", "grouped"]))
    if form == "exponent" and significand:
        mantissa = f"{Decimal(significand).scaleb(-(len(str(significand)) - 1)):f}"  # d.ddd
        mantissa += "" if "." in mantissa else ".0"  # YAML 1.1 needs the point to read a float
        shift = value.adjusted()
        text = f"{mantissa}e{'+' if shift >= 0 else '-'}{abs(shift)}"
        if within_limits(Decimal(text)):
            return Typed(sign + text)
    text = f"{value:f}"
    if form == "grouped" and "." not in text and len(text) > 3 and not text.startswith("0"):
        text = f"{int(text):_}"  # YAML 1.1 allows 1_000
    return Typed(sign + text)


DATES = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))
DATE_VALUES = st.one_of(DATES, DATES, DATES.map(date.isoformat))  # a quoted ISO date is a date too
AS_OF_VALUES = DATES
CODE_CHARS = string.digits + string.ascii_uppercase


# ---------------------------------------------------------------- a valid spec


def _mapping(pairs: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in pairs.items() if value is not ABSENT}


@st.composite
def modifiers(draw: st.DrawFn, long: bool) -> dict[str, Any]:
    return _mapping({
        "modifier": draw(st.text(CODE_CHARS, min_size=2, max_size=2)),
        "description": draw(texts(long)),
        "when_to_use": draw(optional(texts(long))),
    })


URLS = st.builds(
    "https://example.test/{}?q={}#{}".format,
    st.text(string.ascii_letters + string.digits + "-._~/%", max_size=30),
    st.text(string.ascii_letters + string.digits + "=&", max_size=20),
    st.text(string.ascii_letters, max_size=8),
)


@st.composite
def payers(draw: st.DrawFn, long: bool) -> dict[str, Any]:
    return _mapping({
        "payer": draw(texts(long)),
        "coverage": draw(optional(texts(long))),
        "prior_authorization": draw(optional(texts(long))),
        "policy": draw(optional(texts(long))),
        "policy_url": draw(st.one_of(URLS, st.none(), st.just(ABSENT))),
        "last_reviewed": draw(st.one_of(DATE_VALUES, st.none(), st.just(ABSENT))),
        "notes": draw(optional(texts(long))),
    })


@st.composite
def benchmarks(draw: st.DrawFn, long: bool) -> dict[str, Any]:
    unit = draw(st.one_of(st.sampled_from(["usd", "percent", "count", "text"]), st.just(ABSENT)))
    # Text is a value only under unit text (or none, which is text); under a numeric unit it is an error.
    text = optional(texts(long)) if unit in ("text", ABSENT) else st.one_of(st.none(), st.just(ABSENT))
    return _mapping({
        "metric": draw(texts(long)),
        "value": draw(st.one_of(numbers(), numbers(), numbers(), text)),
        "unit": unit,
        "period": draw(optional(texts(long))),
        "source": draw(optional(texts(long))),
    })


@st.composite
def revisions(draw: st.DrawFn) -> dict[str, Any]:
    return {"version": draw(texts(False)), "date": draw(DATE_VALUES), "summary": draw(texts(False))}


@st.composite
def body(draw: st.DrawFn) -> list[Any]:
    blocks = st.one_of(texts(False), st.lists(texts(False), min_size=1, max_size=4).map(lambda b: {"bullets": b}))
    return draw(st.lists(blocks, max_size=3))


@st.composite
def sections(draw: st.DrawFn, depth: int = 1) -> list[dict[str, Any]]:
    found = []
    for _ in range(draw(st.integers(1 if depth == 1 else 0, 3 if depth == 1 else 2))):
        section: dict[str, Any] = {"title": draw(texts(False)), "body": draw(body())}
        if depth < 3 and draw(st.booleans()):
            section["sections"] = draw(sections(depth + 1))
        found.append(section)
    return found


def _text_or_none(value: Any) -> str | None:
    """What the spec layer keeps of an optional text: None when it is absent or blank."""
    return None if value is None or value is ABSENT or not clean(value) else value


@st.composite
def charts(draw: st.DrawFn, benchmark_rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Up to two charts of benchmark rows that a chart may plot: a number or no value, the
    metric and period picked by no other row, one unit per chart."""
    keys = [(clean(row["metric"]), _text_or_none(row.get("period"))) for row in benchmark_rows]
    plottable: dict[str, list[dict[str, Any]]] = {}
    for row, key in zip(benchmark_rows, keys):
        value = row.get("value", ABSENT)
        if keys.count(key) == 1 and (isinstance(value, Typed) or _text_or_none(value) is None):
            plottable.setdefault(row.get("unit", "text"), []).append(row)
    found = []
    for number in range(draw(st.integers(0, 2)) if plottable else 0):
        rows = plottable[draw(st.sampled_from(sorted(plottable)))]
        count = draw(st.integers(1, min(3, len(rows))))
        width = draw(st.integers(1, max(1, len(rows) // count)))
        picked = draw(st.permutations(rows))[: count * width]
        for row in picked:
            row.update({key: Picked(row[key]) for key in ("metric", "period") if isinstance(row.get(key), str)})
        series = [
            _mapping({
                "name": draw(st.one_of(st.just(ABSENT), texts(False))),
                "rows": [
                    _mapping({"metric": row["metric"], "period": row.get("period", ABSENT)})
                    for row in picked[s * width : (s + 1) * width]
                ],
            })
            for s in range(count)
        ]
        found.append({
            "id": f"chart-{number}",
            "title": draw(texts(False)),
            "kind": draw(st.sampled_from(["bar", "column", "line"])),
            "categories": [draw(texts(False)) for _ in range(width)],
            "series": series,
        })
    return found


def _all_bodies(tree: list[dict[str, Any]]) -> list[list[Any]]:
    return [b for s in tree for b in [s["body"], *_all_bodies(s.get("sections", []))]]


@st.composite
def valid_specs(draw: st.DrawFn, small: bool = False) -> dict[str, Any]:
    """A spec the validator must accept; long texts come with few rows, many rows with short texts.

    `small` specs (a few short rows) are several times faster to generate, for tests that
    need many examples rather than big ones.
    """
    long = not small and draw(st.booleans())
    # Sizes picked from a few, so that a short run still sees empty, small and long tables.
    rows = st.sampled_from([3, 0, 1, 4] if long else [2, 0, 1, 4] if small else [12, 0, 1, 5, 30, 60])
    spec = _mapping({
        "code": draw(st.text(CODE_CHARS, min_size=5, max_size=5)),
        "title": draw(texts(long)),
        "descriptor": draw(optional(texts(long))),
        "version": draw(texts(False)),
        "as_of": draw(AS_OF_VALUES),
        "prepared_for": draw(optional(texts(False))),
        "prepared_by": draw(optional(texts(False))),
        "missing_text": draw(st.one_of(st.just(ABSENT), texts(False).map(clean))),
        "sections": draw(sections()),
        "modifiers": [draw(modifiers(long)) for _ in range(draw(rows))],
        "payers": [draw(payers(long)) for _ in range(draw(rows))],
        "benchmarks": [draw(benchmarks(long)) for _ in range(draw(rows))],
        "revisions": draw(st.one_of(st.just(ABSENT), st.lists(revisions(), max_size=3))),
    })
    bodies = _all_bodies(spec["sections"])
    for table in draw(st.lists(st.sampled_from(["modifiers", "payers", "benchmarks"]), unique=True)):
        place = draw(st.sampled_from(bodies))
        place.insert(draw(st.integers(0, len(place))), {"table": table})
    spec["charts"] = draw(charts(spec["benchmarks"]))
    for chart in spec["charts"]:  # placed, or left for the closing Charts section
        if draw(st.booleans()):
            place = draw(st.sampled_from(bodies))
            place.insert(draw(st.integers(0, len(place))), {"chart": chart["id"]})
    missing = spec.get("missing_text", "Data not available in the input.")
    # A required cell that reads like the missing sentence would be indistinguishable from one.
    if any(clean(row[key]) == missing for table, key in REQUIRED_CELLS for row in spec[table]):
        spec["missing_text"] = "Missing: " + missing
    return spec


REQUIRED_CELLS = (("modifiers", "description"), ("payers", "payer"), ("benchmarks", "metric"))
# Keys whose strings are not free text, or (missing_text) not always shown.
NOT_FREE_TEXT = {
    "modifier", "code", "policy_url", "unit", "table", "as_of", "last_reviewed", "date", "missing_text",
    "id", "kind", "chart",
}


def text_slots(data: Any) -> list[tuple[Any, Any]]:
    """(container, key) of every free-text string in a spec, for injecting characters."""
    slots: list[tuple[Any, Any]] = []
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, value in items:
        if isinstance(value, str) and not isinstance(value, (Typed, Picked)) and key not in NOT_FREE_TEXT and clean(value):
            slots.append((data, key))
        elif isinstance(value, (dict, list)):
            slots.extend(text_slots(value))
    return slots


def strings(data: Any) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for value in data.values() for s in strings(value)]
    if isinstance(data, list):
        return [s for value in data for s in strings(value)]
    return []


def drawable(data: Any) -> bool:
    """Whether every character the document will show is in the PDF font."""
    return all(set(clean(s)) <= PRINTABLE for s in strings(data))


@st.composite
def specs_with_some_undrawable_text(draw: st.DrawFn, small: bool = False) -> dict[str, Any]:
    """Mostly drawable specs; some (about one in six) have a character the PDF font lacks."""
    spec = draw(valid_specs(small))
    if draw(st.sampled_from([False, False, True])):
        container, key = draw(st.sampled_from(text_slots(spec)))
        outside = draw(st.one_of(
            st.sampled_from(NOT_DRAWABLE),
            st.characters(exclude_categories=("Cc", "Cf", "Cs", "Cn", "Zs", "Zl", "Zp")).filter(lambda c: c not in PRINTABLE),
        ))
        text = container[key]
        at = draw(st.integers(0, len(text)))
        container[key] = text[:at] + outside + text[at:]
    return spec


# ---------------------------------------------------------------- garbage

SPEC_WORDS = (
    "code", "title", "descriptor", "version", "as_of", "prepared_for", "prepared_by", "missing_text", "sections",
    "body", "bullets", "table", "modifiers", "modifier", "description", "when_to_use", "payers", "payer",
    "coverage", "policy", "policy_url", "last_reviewed", "notes", "benchmarks", "metric", "value", "unit",
    "period", "source", "revisions", "date", "summary", "payers", "usd",
)
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20), st.sampled_from(SPEC_WORDS), DATES, st.datetimes(), numbers(),
    st.text(st.characters(codec="utf-8"), max_size=10),  # control characters, surrogate-free
)
KEYS = st.one_of(st.sampled_from(SPEC_WORDS), st.text(max_size=12), st.integers(), st.none(), st.booleans())
GARBAGE = st.recursive(
    SCALARS,
    lambda children: st.one_of(st.lists(children, max_size=5), st.dictionaries(KEYS, children, max_size=5)),
    max_leaves=30,
)


@st.composite
def garbage_specs(draw: st.DrawFn) -> Any:
    """Random nested data, spec-like names included; a mapping always has a key no spec knows."""
    data = draw(GARBAGE)
    if isinstance(data, dict):
        data[draw(st.text(string.ascii_letters, min_size=1, max_size=8).map(lambda k: "x_" + k))] = draw(GARBAGE)
    return data


@st.composite
def mutated_specs(draw: st.DrawFn) -> dict[str, Any]:
    """A valid spec with a few values replaced by garbage, or keys dropped: may or may not be valid."""
    spec = draw(valid_specs(small=True))
    for _ in range(draw(st.integers(0, 3))):
        slots = _value_slots(spec)
        container, key = draw(st.sampled_from(slots))
        if isinstance(container, dict) and draw(st.integers(0, 3)) == 0:
            del container[key]
        else:
            container[key] = draw(GARBAGE)
    return spec


def _value_slots(data: Any) -> list[tuple[Any, Any]]:
    slots: list[tuple[Any, Any]] = []
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, value in items:
        slots.append((data, key))
        if isinstance(value, (dict, list)):
            slots.extend(_value_slots(value))
    return slots
