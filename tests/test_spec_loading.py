"""What a valid spec becomes, and the bounds that keep hostile YAML harmless."""

from __future__ import annotations

import textwrap
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from generator.document.tables import CANONICAL_TABLES
from generator.spec import SpecError, load_spec
from generator.spec.model import DEFAULT_MISSING_TEXT, Bullets, TablePlacement, Unit
from generator.spec.validate import MAX_VALUES, _Walker
from generator.spec.source import MAX_FILE_BYTES

HEAD = """\
code: "89253"
title: Loading test
version: 1.0
as_of: 2026-11-26
sections:
  - title: Summary
    body: [Text.]
"""


def write(tmp_path: Path, body: str, head: str = HEAD) -> Path:
    path = tmp_path / "spec.yaml"
    path.write_text(head + textwrap.dedent(body), encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(SpecError) as caught:
        load_spec(path)
    return caught.value.lines()


def test_scalars_keep_the_text_the_user_typed(tmp_path: Path) -> None:
    spec = load_spec(
        write(
            tmp_path,
            """
            modifiers:
              - modifier: 59
                description: No
                when_to_use: "  spaced \\t out\\n  text  "
            """,
        )
    ).spec
    assert spec.version == "1.0"  # not the float 1.0 printed back as "1.0" by luck
    assert spec.modifiers[0].modifier == "59"
    assert spec.modifiers[0].description == "No"  # YAML 1.1 would make this False
    assert spec.modifiers[0].when_to_use == "spaced out text"
    assert spec.missing_text == DEFAULT_MISSING_TEXT


def test_numbers_are_exact_decimals_and_units_are_enums(tmp_path: Path) -> None:
    spec = load_spec(
        write(
            tmp_path,
            """
            benchmarks:
              - {metric: a, value: 170.50, unit: usd}
              - {metric: b, value: 1_000, unit: count}
              - {metric: c, value: "varies by plan"}
              - {metric: d}
            """,
        )
    ).spec
    values = [b.value for b in spec.benchmarks]
    assert values == [Decimal("170.50"), Decimal("1000"), "varies by plan", None]
    assert str(values[0]) == "170.50"
    assert [b.unit for b in spec.benchmarks] == [Unit.USD, Unit.COUNT, Unit.TEXT, Unit.TEXT]


def test_dates_quoted_or_not(tmp_path: Path) -> None:
    spec = load_spec(
        write(tmp_path, 'payers:\n  - {payer: A, last_reviewed: 2025-06-01}\n  - {payer: B, last_reviewed: "2025-06-02"}\n')
    ).spec
    assert [p.last_reviewed for p in spec.payers] == [date(2025, 6, 1), date(2025, 6, 2)]


def test_a_datetime_is_not_a_date(tmp_path: Path) -> None:
    lines = problems(write(tmp_path, "payers:\n  - {payer: A, last_reviewed: 2025-06-01 10:00:00}\n"))
    assert lines == [f"{tmp_path / 'spec.yaml'}:9:31: payers[0].last_reviewed: expected a date without a time, got '2025-06-01 10:00:00'"]


def test_blank_optional_text_counts_as_missing(tmp_path: Path) -> None:
    spec = load_spec(write(tmp_path, 'payers:\n  - {payer: A, notes: "   ", coverage: ~, policy: }\n')).spec
    assert (spec.payers[0].notes, spec.payers[0].coverage, spec.payers[0].policy) == (None, None, None)


def test_body_blocks(tmp_path: Path) -> None:
    head = HEAD.replace("    body: [Text.]\n", "    body:\n      - Para.\n      - bullets: [a, b]\n      - table: payers\n")
    spec = load_spec(write(tmp_path, "", head)).spec
    assert spec.sections[0].body == ("Para.", Bullets(bullets=("a", "b")), TablePlacement(table="payers"))


def test_placement_names_are_the_canonical_table_ids() -> None:
    from dataclasses import fields

    choices = fields(TablePlacement)[0].metadata["choices"]
    assert set(choices) == {table.id for table in CANONICAL_TABLES}


def test_control_characters_are_removed_with_a_warning(tmp_path: Path) -> None:
    loaded = load_spec(write(tmp_path, 'modifiers:\n  - {modifier: "59", description: "bell\\a vt\\v esc\\e end\\uFFFE"}\n'))
    assert loaded.spec.modifiers[0].description == "bell vt esc end"
    assert [w.format("f") for w in loaded.warnings] == [
        "f:9:35: modifiers[0].description: removed control character(s) U+0007, U+000B, U+001B, U+FFFE"
    ]


def test_alias_bomb_is_refused_after_bounded_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Each section holds ten of the one before: a million sections once aliases expand.
    bomb = "  - &s0 {title: lol}\n" + "".join(
        f"  - &s{i} {{title: lol, sections: [{', '.join([f'*s{i - 1}'] * 10)}]}}\n" for i in range(1, 7)
    )
    path = write(tmp_path, "", HEAD.replace("  - title: Summary\n    body: [Text.]\n", bomb))
    visits: list[int] = []
    charge = _Walker.count

    def counted(walker: _Walker, values: int) -> None:
        visits.append(values)
        charge(walker, values)

    monkeypatch.setattr(_Walker, "count", counted)
    lines = problems(path)
    assert any("more than 100000 values" in line for line in lines), lines
    # The work is bounded by the limit, not by the million nodes the aliases stand for.
    assert sum(visits) <= MAX_VALUES + max(visits)


def test_absurd_nesting_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(HEAD + "modifiers: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    lines = problems(path)
    assert len(lines) == 1
    assert "nesting" in lines[0]


@pytest.mark.parametrize("loader", ["CSafeLoader", "SafeLoader"])
def test_the_nesting_limit_is_ours_whichever_parser_reads(
    tmp_path: Path, loader: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # libyaml 0.2.6 (PyYAML 6.0.4) refuses this depth with its own words, older ones do not.
    import yaml

    from generator.spec import source

    monkeypatch.setattr(source, "_Loader", getattr(yaml, loader))
    monkeypatch.setattr(source, "MAX_NESTING", 30)  # the pure-Python composer recurses
    at_limit = write(tmp_path, "modifiers: " + "[" * 29 + "]" * 29 + "\n")
    assert problems(at_limit) == [  # the validator's own complaint about the list
        f"{at_limit}:8:13: modifiers[0]: expected a mapping with keys modifier, description, when_to_use, cite, payers; got a list"
    ]
    path = write(tmp_path, "modifiers: " + "[" * 30 + "]" * 30 + "\n")
    column = len("modifiers: ") + 30
    assert problems(path) == [f"{path}:8:{column}: {source.NESTING_MESSAGE}"]


def test_oversized_file_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    assert problems(path) == [f"{path}:1:1: file is {MAX_FILE_BYTES + 1} bytes; the limit is {MAX_FILE_BYTES}"]


def test_non_utf8_bytes_are_located(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_bytes(HEAD.encode() + b"prepared_for: Caf\xe9\n")
    assert problems(path) == [f"{path}:8:18: not UTF-8 text (byte 0xe9); save the file as UTF-8"]


def test_sections_nest_at_most_six_levels(tmp_path: Path) -> None:
    nested = "  - title: L1\n"
    for level in range(2, 9):
        nested += "  " * (level - 1) + "  sections:\n" + "  " * (level - 1) + f"  - title: L{level}\n"
    head = HEAD.replace("  - title: Summary\n    body: [Text.]\n", nested)
    lines = problems(write(tmp_path, "", head))
    assert all("sections nest deeper than 6 levels" in line for line in lines)


@pytest.mark.parametrize("null", ["null", "~", ""])
def test_a_required_text_cannot_be_null(tmp_path: Path, null: str) -> None:
    path = write(tmp_path, "", HEAD.replace("title: Loading test", f"title: {null}"))
    assert problems(path) == [f"{path}:2:{8 if null else 7}: title: must not be empty"]


def test_a_null_paragraph_is_an_error_not_a_tilde(tmp_path: Path) -> None:
    path = write(tmp_path, "", HEAD.replace("body: [Text.]", "body: [~]"))
    assert problems(path) == [f"{path}:7:12: sections[0].body[0]: must not be empty"]
