"""Nothing silently changed: what a format cannot hold is refused at validation, naming the field;
what has one meaning in several spellings is written in one (NFC text, one ASCII form of a link)."""

from __future__ import annotations

import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from generator.document.compose import compose
from generator.spec import load_spec
from tests import test_spec_loading as loading
from tests.cli import run_cli
from tests.readback_pdf import read_links
from tests.test_spec_loading import problems

HEAD = """\
code: "89253"
title: Input checks
version: "1.0"
as_of: 2026-11-26
sections:
  - title: Summary
    body: [Text.]
"""


def write(tmp_path: Path, body: str, head: str = HEAD) -> Path:
    return loading.write(tmp_path, body, head)


def payer_with_url(url: str) -> str:
    return f"""
    payers:
      - payer: Acme
        policy_url: "{url}"
    """


def test_text_longer_than_an_xlsx_cell_is_refused_naming_the_field(tmp_path: Path) -> None:
    path = write(tmp_path, f"""
    payers:
      - payer: Acme
        notes: {"x" * 199_999}
    """)
    (line,) = problems(path)
    assert line == f"{path}:11:12: payers[0].notes: is 199,999 characters; an XLSX cell holds at most 32,767: split it into several paragraphs or rows"
    assert len(load_spec(write(tmp_path, f"\npayers:\n  - payer: Acme\n    notes: {'x' * 32_767}\n")).spec.payers[0].notes) == 32_767


def test_a_non_ascii_link_is_one_ascii_uri_in_every_format(tmp_path: Path) -> None:
    path = write(tmp_path, payer_with_url("https://exämple.com/ü?q=café#ß"))
    expected = "https://xn--exmple-cua.com/%C3%BC?q=caf%C3%A9#%C3%9F"
    assert load_spec(path).spec.payers[0].policy_url == expected
    out = tmp_path / "out"
    assert run_cli("build", path, "-o", out).status == 0
    links = read_links((out / "spec.pdf").read_bytes())
    assert links and set(links) == {expected}
    assert expected.encode() in (out / "spec.pdf").read_bytes()  # a plain ASCII string, not UTF-16
    for fmt in ("docx", "xlsx"):
        with zipfile.ZipFile(out / f"spec.{fmt}") as package:
            targets = [
                target for name in package.namelist() if name.endswith(".rels")
                for target in re.findall(r'Target="(http[^"]*)"', package.read(name).decode())
            ]
        assert targets and set(targets) == {expected}, fmt


def test_an_escaped_link_is_not_escaped_twice(tmp_path: Path) -> None:
    url = "https://example.com/a%20b/c?x=1&y=%C3%A9"
    assert load_spec(write(tmp_path, payer_with_url(url))).spec.payers[0].policy_url == url


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://aetna.com@evil.example/", "has user info before '@' (a link that names one site and opens another); remove it"),
        ("https://user:pw@example.com/", "has user info before '@'"),
        ("https://example.com/" + "a" * 2_100, "is 2,120 characters as a link; Excel follows at most 2,079"),
        ("https://example.com:99999/", "has a host or port that is not valid"),
    ],
)
def test_links_that_mislead_or_do_not_fit_are_refused(tmp_path: Path, url: str, message: str) -> None:
    (line,) = problems(write(tmp_path, payer_with_url(url)))
    assert line.startswith(f"{tmp_path / 'spec.yaml'}:11:17: payers[0].policy_url: ") and message in line
    assert len(line) < 300  # a long link is quoted by its start only


def test_text_is_normalised_to_nfc_and_line_separators_become_spaces(tmp_path: Path) -> None:
    path = write(tmp_path, "", head=HEAD.replace("title: Input checks", 'title: "Cafe\u0301\u2028menu\u2029card"'))
    assert load_spec(path).spec.title == "Caf\u00e9 menu card"
    assert run_cli("build", path, "-o", tmp_path / "out", "--format", "pdf").status == 0  # é is in the font


BENCHMARK = """
benchmarks:
  - metric: Allowed amount
    value: {value}
    unit: {unit}
"""


@pytest.mark.parametrize(
    ("value", "unit", "hint"),
    [
        ("$412.35", "usd", "got '$412.35' (YAML reads it as text); write 412.35"),
        ("1e3", "usd", "got '1e3' (YAML reads it as text); write 1000"),
        ('"412.35"', "usd", "got '412.35' (quoted, it is text); write 412.35"),
        ("72%", "percent", "got '72%' (YAML reads it as text); write 72"),
        ("about ten", "count", "got 'about ten' (YAML reads it as text); write the number alone, e.g. 412.35"),
    ],
)
def test_text_under_a_numeric_unit_is_an_error_with_a_hint(tmp_path: Path, value: str, unit: str, hint: str) -> None:
    path = write(tmp_path, BENCHMARK.format(value=value, unit=unit))
    (line,) = problems(path)
    assert line == f"{path}:11:12: benchmarks[0].value: expected a number under unit: {unit}, {hint}"


def test_text_under_unit_text_and_numbers_under_numeric_units_load(tmp_path: Path) -> None:
    assert load_spec(write(tmp_path, BENCHMARK.format(value="$412.35", unit="text"))).spec.benchmarks[0].value == "$412.35"
    assert load_spec(write(tmp_path, BENCHMARK.format(value="412.35", unit="usd"))).spec.benchmarks[0].value == Decimal("412.35")


def test_a_curly_quoted_scalar_warns_with_a_hint(tmp_path: Path) -> None:
    path = write(tmp_path, "", head=HEAD.replace('version: "1.0"', "version: \u201c0.1\u201d"))
    loaded = load_spec(path)
    assert loaded.spec.version == "\u201c0.1\u201d"  # kept as typed, but said
    assert loaded.warning_lines() == [
        f"{path}:3:10: version: '\u201c0.1\u201d' is wrapped in curly quotes (pasted from a word processor?); "
        'they stay part of the text: use straight quotes " " or none (warning)'
    ]


def test_a_non_breaking_space_as_indentation_is_an_error_with_a_hint(tmp_path: Path) -> None:
    path = write(tmp_path, "", head=HEAD.replace("  - title: Summary", "\u00a0\u00a0- title: Summary"))
    assert problems(path) == [
        f"{path}:6:1: a non-breaking space (U+00A0) indents this line; YAML indents with ordinary spaces: retype them"
    ]


def test_an_error_about_a_non_yaml_file_quotes_a_short_excerpt(tmp_path: Path) -> None:
    path = tmp_path / "notes.yaml"
    path.write_text("Dear team, please find the report attached " * 200, encoding="utf-8")
    result = run_cli("validate", path)
    assert result.status == 1
    (line,) = result.stderr.splitlines()
    assert "'... (8,599 characters)" in line
    excerpt = line.split("got '", 1)[1].split("'... (8,599 characters)", 1)[0]
    assert len(excerpt) <= 60  # a short excerpt, whatever the list of keys before it


def test_a_cpt_edition_on_an_hcpcs_code_warns_that_no_ama_notice_prints(tmp_path: Path) -> None:
    head = HEAD.replace('code: "89253"', 'code: "G0463"') + 'cpt_edition: "2026"\n'
    path = write(tmp_path, "", head=head)
    loaded = load_spec(path)
    assert loaded.warning_lines() == [
        f"{path}:8:14: cpt_edition: G0463 is an HCPCS Level II code, not a CPT code: no AMA CPT notice is printed "
        "for it; remove cpt_edition (warning)"
    ]
    assert not any("American Medical Association" in text for text in compose(loaded.spec).texts())
    cpt = write(tmp_path, "", head=HEAD + 'cpt_edition: "2026"\n')
    assert load_spec(cpt).warning_lines() == []  # a CPT code: the notice prints, nothing to say
    assert any("American Medical Association" in text for text in compose(load_spec(cpt).spec).texts())
