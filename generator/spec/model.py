"""The validated report specification: plain frozen dataclasses.

These classes are also the schema: the validator and the JSON Schema are both
derived from their type hints and field metadata, so the format is defined once.
Nothing here knows about documents, fonts or cells.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

DEFAULT_MISSING_TEXT = "Data not available in the input."


def required(doc: str, **rules: Any) -> Any:
    return field(metadata={"doc": doc, **rules})


def optional(doc: str, default: Any = None, **rules: Any) -> Any:
    return field(default=default, metadata={"doc": doc, **rules})


class Unit(enum.Enum):
    USD = "usd"
    PERCENT = "percent"  # values are percentage points: 72 means 72%
    COUNT = "count"
    TEXT = "text"


SOURCE_ID = r"[a-z0-9][a-z0-9._-]*"  # e.g. aetna-cpb-0327: lower-case, readable in a citation


def citations(doc: str) -> Any:
    """A `cite:` list: ids of entries in the spec's `sources`, checked by the validator."""
    return optional(doc, (), cites=True)



def code_system(code: str) -> str:
    """HCPCS Level II codes start with a letter; CPT codes (incl. 0001U, 1234F) with a digit."""
    return "HCPCS" if code[0].isalpha() else "CPT"

@dataclass(frozen=True, kw_only=True)
class Cited:
    """A paragraph or bullet point with the sources it rests on."""

    text: str = required("The paragraph or bullet point.")
    cite: tuple[str, ...] = citations("Ids from `sources` this text rests on; each prints as its number, e.g. [3].")


# A paragraph or bullet point: plain text, or {text: ..., cite: [id, ...]}.
Text = str | Cited


@dataclass(frozen=True, kw_only=True)
class Bullets:
    """A bulleted list in a section's body."""

    bullets: tuple[Text, ...] = required("A bulleted list: one point per item, text or {text, cite}.", min_items=1)


@dataclass(frozen=True, kw_only=True)
class TablePlacement:
    """Where a canonical table is placed in the report."""

    table: str = required(
        "Places a canonical table here: modifiers, payers or benchmarks.",
        choices=("modifiers", "payers", "benchmarks"),
    )


@dataclass(frozen=True, kw_only=True)
class ChartPlacement:
    """Where a chart is placed in the report."""

    chart: str = required("Places the chart with this id (from `charts`) here; each chart once.")


# A body block is a paragraph (text or {text, cite}), a bulleted list, a table placement or a chart placement.
Block = str | Cited | Bullets | TablePlacement | ChartPlacement


@dataclass(frozen=True, kw_only=True)
class Section:
    """A section of the report: heading, body and sub-sections."""

    title: str = required("Heading text.")
    body: tuple[Block, ...] = optional("Paragraphs, bullet lists, table and chart placements, in order.", ())
    sections: tuple[Section, ...] = optional("Sub-sections, same shape; headings nest.", ())


def payer_key(name: str) -> str:
    """How payer names are compared: trimmed, runs of whitespace as one space, case-folded."""
    return " ".join(name.split()).casefold()


def applies_to(doc: str) -> Any:
    """A row's `payers:` list: names from the payers table, checked by the validator."""
    return optional(doc, (), payer_refs=True)


def concerns(row: Modifier | Benchmark, payer: str) -> bool:
    """Whether a modifier or benchmark row belongs in the packet for `payer` (the full report shows every row)."""
    if not getattr(row, "for_payers", True):
        return False
    return not row.payers or payer_key(payer) in {payer_key(name) for name in row.payers}


@dataclass(frozen=True, kw_only=True)
class Modifier:
    """A row of the modifiers table."""

    modifier: str = required("Two-character modifier, e.g. \"59\" or \"GY\".", pattern=r"[0-9A-Z]{2}", expect="2 characters of 0-9 and A-Z")
    description: str = required("What the modifier means.")
    when_to_use: str | None = optional("When to append it to this code.")
    cite: tuple[str, ...] = citations("Ids from `sources` for this row; shown in its Sources cell.")
    payers: tuple[str, ...] = applies_to("Payers (names from `payers`) the row applies to; none given: all. Payer packets show the row only to them; the full report always.")


@dataclass(frozen=True, kw_only=True)
class Payer:
    """A row of the payer coverage table."""

    payer: str = required("Payer name.", payer_name=True)
    coverage: str | None = optional("Coverage position.")
    prior_authorization: str | None = optional("Prior-authorization requirement.")
    policy: str | None = optional("Policy name or number.")
    policy_url: str | None = optional("Link to the policy; makes the policy cell a hyperlink.", url=True)
    last_reviewed: date | None = optional("Date the policy was last reviewed.")
    notes: str | None = optional("Anything else a biller should know.")
    cite: tuple[str, ...] = citations("Ids from `sources` for this row's statements; shown in its Sources cell.")
    department: str | None = optional("Department the payer's packet letter is addressed to, e.g. \"Provider Relations\".")
    address: tuple[str, ...] = optional("Postal address lines of the packet letter's addressee block, in order.", ())


@dataclass(frozen=True, kw_only=True)
class Benchmark:
    """A row of the benchmarks table."""

    metric: str = required("What is measured.")
    value: Decimal | str | None = optional(
        "A number; text only under unit text (write 412.35, not $412.35).", text_only_when={"unit": Unit.TEXT}
    )
    unit: Unit = optional("How a number is shown: usd, percent (points), count or text.", Unit.TEXT)
    period: str | None = optional("Period the value covers, e.g. \"2026\".")
    source: str | None = optional("A short name of where the value comes from; the full entry goes in `sources`.")
    cite: tuple[str, ...] = citations("Ids from `sources` for this value; their numbers follow the source text.")
    payers: tuple[str, ...] = applies_to("Payers (names from `payers`) the value concerns; none given: all. Payer packets show the row only to them; the full report always.")
    for_payers: bool = optional("false: a figure not to hand to payers (e.g. negotiated rates); left out of every payer packet, kept in the full report.", True)


@dataclass(frozen=True, kw_only=True)
class Source:
    """An entry of the references: what `cite:` lists point to."""

    id: str = required("Short name that `cite:` lists use, e.g. aetna-cpb-0327.", pattern=SOURCE_ID, expect="lower-case letters, digits, '-', '.' or '_'", source_id=True)
    title: str = required("Title of the document or page, as the source gives it.")
    publisher: str | None = optional("Author or publisher.")
    published: str | None = optional("Publication or effective date as the source gives it, e.g. 2022 or 2019-06.")
    url: str | None = optional("Where to read it; the References entry links to it.", url=True)
    accessed: date | None = optional("Date the URL was last read.")


class ChartKind(enum.Enum):
    BAR = "bar"  # horizontal bars
    COLUMN = "column"  # vertical bars
    LINE = "line"


@dataclass(frozen=True, kw_only=True)
class ChartRow:
    """The benchmark row a chart plots, named by metric and period."""

    metric: str = required("The metric of the benchmark row to plot, exactly as in `benchmarks`.")
    period: str | None = optional("Its period, as in `benchmarks`; leave out for a row without one.")


@dataclass(frozen=True, kw_only=True)
class ChartSeries:
    """A series of a chart: its legend name and one benchmark row per category."""

    name: str | None = optional("Legend text; the metric of its first row when left out.")
    rows: tuple[ChartRow, ...] = required("One benchmark row per category, in the order of `categories`.", min_items=1)


@dataclass(frozen=True, kw_only=True)
class Chart:
    """A chart of benchmark rows, placed like a table."""

    id: str = required("Name a section uses to place the chart (`- chart: <id>`).", pattern=r"[a-z0-9][a-z0-9-]*", expect="lower-case letters, digits and hyphens")
    title: str = required("Chart title.")
    kind: ChartKind = required("bar (horizontal), column (vertical) or line.")
    categories: tuple[str, ...] = optional("Category labels, one per row of each series; the rows' periods when left out.", ())
    series: tuple[ChartSeries, ...] = required("The plotted series; every row of one chart has the same unit.", min_items=1)
    category_axis: str | None = optional("Title of the category axis.")
    value_axis: str | None = optional("Title of the value axis.")


@dataclass(frozen=True, kw_only=True)
class Revision:
    """An entry of the revision history."""

    version: str = required("Version this entry describes.")
    date: date = required("Release date of that version.")
    summary: str = required("What changed.")


@dataclass(frozen=True, kw_only=True)
class Spec:
    """A whole report spec, as validated from its YAML file."""

    code: str = required("CPT/HCPCS code: 5 characters of 0-9 and A-Z.", pattern=r"[0-9A-Z]{5}", expect="5 characters of 0-9 and A-Z")
    title: str = required("Report title (without the code).")
    descriptor: str | None = optional("The code's descriptor.")
    version: str = required("Content version; bump it on every content change.")
    as_of: date = required("ISO date that the content reflects.")
    prepared_for: str | None = optional("Client name on the title block.")
    prepared_by: str | None = optional("Author, also in document properties; signs the payer packets' cover letters.")
    letter: tuple[str, ...] = optional("Paragraphs of the payer packets' cover letter; none given: a neutral sentence naming the enclosed report.", ())
    cpt_edition: str | None = optional(
        "Year of the AMA CPT code set the code and descriptor are quoted from, e.g. \"2026\"; prints the AMA copyright notice.",
        pattern=r"[0-9]{4}", expect="a four-digit year",
    )
    notices: tuple[str, ...] = optional("Further notices printed after the AMA notice on the back of the cover; none by default.", ())
    missing_text: str = optional("Shown wherever the spec has no value.", DEFAULT_MISSING_TEXT)
    language: str = optional(
        "Language of the report's text, a BCP 47 tag (the PDF's /Lang).", "en-US",
        pattern=r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", expect="a language tag like en-US",
    )
    sections: tuple[Section, ...] = required("The narrative, in order.", min_items=1)
    modifiers: tuple[Modifier, ...] = optional("Rows of the Modifiers table.", ())
    payers: tuple[Payer, ...] = optional("Rows of the Payer Coverage table.", ())
    benchmarks: tuple[Benchmark, ...] = optional("Rows of the Benchmarks table.", ())
    sources: tuple[Source, ...] = optional("Registry of cited sources; the References appendix lists those cited, numbered.", ())
    charts: tuple[Chart, ...] = optional("Charts of benchmark rows; placed with `- chart: <id>`, else at the end.", ())
    revisions: tuple[Revision, ...] = optional("Revision history, newest first.", ())
