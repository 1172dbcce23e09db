"""The starting spec `new` writes: the standard sections and key payers, no data yet, valid as written."""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import date, datetime, timezone
from pathlib import Path

import yaml

from generator.spec.model import DEFAULT_MISSING_TEXT, Payer, Spec
from generator.spec.validate import validate

MODELINE = "# yaml-language-server: $schema=report.schema.json"
FIRST_VERSION = "0.1"
KEY_PAYERS = ("Aetna", "Blue Cross Blue Shield", "Cigna Health", "UnitedHealthcare", "Medicare")

# The sections of the 89253 report. An empty body prints the missing-data sentence.
TEMPLATE = """\
{modeline}
# Report spec for {code}, started by `python -m generator new`.
# Fill in what you know; anything left null or empty prints
# "{missing_text}" in every format.
# Check it with `python -m generator validate {path}`,
# build it with `python -m generator build {path}`.

code: "{code}"
title: {title}
descriptor: null                # the code's descriptor, under the title
version: "{version}"                  # bump on every content change
as_of: {as_of}               # the date the content reflects
prepared_for: null              # client name on the title block
prepared_by: null               # author, also in document properties
{cpt_edition}# notices: [further text for the back of the cover]
# missing_text: {missing_text}

# Each body is a list of blocks: a string is a paragraph,
# `bullets: [a, b]` is a bulleted list, `table: payers` places a table.
# A paragraph or bullet that rests on a source cites it by id (see `sources` below);
# it prints with its number, e.g. [1]:
#   - text: Precertification is required for certain infertility services.
#     cite: [payer-newsletter-2019]
sections:
  - title: Summary & Overview
    body: []
  - title: Billing Code Overview
    body: []
  - title: Clinical & Coding Specifications
    sections:
      - title: Clinical Context
        body: []
      - title: Coding Specifications
        body:
          - table: modifiers
  - title: Payer Coverage
    body:
      - table: payers
  - title: Benchmarks
    body:
      - table: benchmarks
  - title: Policy & Coverage Notes
    body: []

# - modifier: "59"              # 2 characters of 0-9 and A-Z, quoted
#   description: Distinct procedural service
#   when_to_use: null
modifiers: []

# policy_url makes the policy cell a link; last_reviewed is a date like 2025-06-01;
# cite lists the ids of the sources for the row's statements, e.g. cite: [payer-policy].
payers:
{payers}

# - metric: Medicare national payment amount
#   value: 170.50               # a number, or text
#   unit: usd                   # usd | percent | count | text
#   period: "2026"
#   source: CMS Physician Fee Schedule   # a short name, printed as typed
#   cite: [cms-pfs-2026]        # the registry entry behind the figure
benchmarks: []

# Every cited source, once; the References appendix lists those cited, numbered.
# - id: cms-pfs-2026            # lower-case letters, digits, - . _
#   title: Physician Fee Schedule
#   publisher: CMS
#   published: "2026"           # as the source gives it
#   url: https://www.cms.gov/...
#   accessed: 2026-01-15
sources: []

revisions:                      # newest first
  - version: "{version}"
    date: {as_of}
    summary: First draft, started from the standard template.
"""

_CODE_RULE = {f.name: f.metadata for f in dataclasses.fields(Spec)}["code"]


class BadStart(ValueError):
    """A code or title a new spec cannot start from; the message names the option."""


def check_code(code: str) -> None:
    """The rule the spec itself applies to `code`, from its field metadata."""
    if not re.fullmatch(_CODE_RULE["pattern"], code):
        raise BadStart(f"code: expected {_CODE_RULE['expect']}, got {code!r}")


def start_date(source_date_epoch: str | None) -> date:
    """SOURCE_DATE_EPOCH's date (UTC) when set, else the local date."""
    if source_date_epoch is not None:
        return datetime.fromtimestamp(int(source_date_epoch), tz=timezone.utc).date()
    return date.today()


def new_spec_text(code: str, title: str, as_of: date, path: Path) -> str:
    """The new spec's text; checked by the validator before anyone sees it. BadStart for a
    code the spec format refuses or a title it cannot hold."""
    check_code(code)
    if not title.strip():
        raise BadStart("--title must not be empty")
    text = TEMPLATE.format(
        modeline=MODELINE, code=code, title=yaml_text(title), version=FIRST_VERSION,
        as_of=as_of.isoformat(), missing_text=DEFAULT_MISSING_TEXT, path=path.as_posix(),
        cpt_edition=cpt_edition_line(code, as_of),
        payers="\n".join(payer_entry(name) for name in KEY_PAYERS),
    )
    spec, errors, _ = validate(yaml.compose(text, Loader=yaml.SafeLoader))
    if spec is None:  # the code was checked, so the title is to blame (e.g. only control characters)
        raise BadStart("--title: " + "; ".join(f"{p.field}: {p.message}" for p in errors))
    return text


def cpt_edition_line(code: str, as_of: date) -> str:
    """For a CPT code (a digit first; HCPCS Level II codes start with a letter), the CPT edition:
    the code set of the as-of date's year, whose descriptor the report quotes. It prints the AMA's notice."""
    if not code[:1].isdigit():
        return ""
    return f'cpt_edition: "{as_of.year}"            # the AMA CPT edition quoted; prints the AMA notice\n'


def create(path: Path, text: str) -> None:
    """Write `text` to a new file at `path` (and its folder); FileExistsError rather than overwrite."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:
        handle.write(text)


def payer_entry(name: str) -> str:
    """One payer with every optional field written out empty (null, or [] for a list), so none is forgotten."""
    first, *rest = dataclasses.fields(Payer)
    lines = [f"  - {first.name}: {yaml_text(name)}"] + [f"    {f.name}: {'[]' if f.default == () else 'null'}" for f in rest]
    return "\n".join(lines)


def yaml_text(text: str) -> str:
    """`text` as a YAML scalar: plain when YAML reads it back unchanged, else double-quoted."""
    try:
        if yaml.safe_load(f"key: {text}") == {"key": text}:
            return text
    except yaml.YAMLError:
        pass
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar
