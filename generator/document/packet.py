"""The payer correspondence packet: one payer's excerpt of a report, as a document-model Document.

Built from compose.py's pieces and the canonical TableDefs, so every text in a packet
is the text the full report prints; the writers render it like any report. Nothing
here reads files: the command passes in the full report's name and SHA-256.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from generator.document.citations import Citer, Numbering, no_marks
from generator.document.compose import code_system, full_title, references_section, section_blocks, table_section, title_block
from generator.document.compose import metadata as report_metadata
from generator.document.display import format_date
from generator.document.model import (
    Block, Cell, CellKind, Column, Document, Heading, Metadata, Paragraph, Table, TitleBlock,
)
from generator.document.tables import BENCHMARKS, MODIFIERS, PAYERS
from generator.spec.model import Section, Spec, TablePlacement

# The report sections a packet quotes, found by title anywhere in the section tree.
EXCERPT_TITLES = ("Billing Code Overview", "Clinical Context")
REFERENCE_LABEL = "Re"  # the title-block line "Re: CPT 89253 — ... — Aetna — <policy>"
SEPARATOR = " \u2014 "  # em dash
PAYER_TABLE_ID = "payer-fields"
FIELD_COLUMNS = (Column("field", "Field", 1.6), Column("value", "Value", 6.4))
CLOSING_TITLE = "About This Excerpt"
CLOSING_TEXT = (
    "This packet is an excerpt of the full report identified below. Its texts are the "
    "report's own; the SHA-256 identifies the exact report file it was cut from."
)


@dataclass(frozen=True)
class ReportRef:
    """The full report a packet was cut from: its file name and the SHA-256 of its bytes."""

    file: str
    sha256: str


class UnknownPayer(ValueError):
    """A requested payer name that the spec does not list."""


def normalize_name(name: str) -> str:
    """How payer names are compared: trimmed, runs of whitespace as one space, case-folded."""
    return " ".join(name.split()).casefold()


def select_payers(spec: Spec, names: Sequence[str]) -> list[int]:
    """Indexes (spec order) of the payers named, or of every payer when no name is given.

    A name matches every payer whose name equals it case-insensitively; one that matches
    none raises UnknownPayer with a one-line message listing the spec's payers.
    """
    if not names:
        return list(range(len(spec.payers)))
    wanted = {normalize_name(name): name for name in names}
    known = {normalize_name(payer.payer) for payer in spec.payers}
    unknown = [repr(name) for key, name in wanted.items() if key not in known]
    if unknown:
        listed = ", ".join(payer.payer for payer in spec.payers) or "none"
        noun = "payer" if len(unknown) == 1 else "payers"
        raise UnknownPayer(f"unknown {noun} {', '.join(unknown)}; payers in the spec: {listed}")
    return [index for index, payer in enumerate(spec.payers) if normalize_name(payer.payer) in wanted]


def packet_document(spec: Spec, payer_index: int, report: ReportRef) -> Document:
    """The packet; it numbers the sources its own content cites, in its reading order, and lists them."""
    numbering = Numbering(spec.sources)
    payer_row = PAYERS.row(spec.payers[payer_index], spec, no_marks)  # the reference line quotes the policy alone
    blocks: list[Block] = [packet_title_block(spec, payer_row)]
    blocks.extend(excerpt_blocks(spec, numbering))
    blocks.extend(payer_section(spec, payer_index, numbering))
    blocks.extend(table_section(MODIFIERS, spec, numbering))
    blocks.extend(table_section(BENCHMARKS, spec, numbering))
    blocks.extend(references_section(spec, numbering))
    blocks.extend(closing_blocks(spec, report))
    return Document(packet_metadata(spec, spec.payers[payer_index].payer), tuple(blocks))


def reference_line(spec: Spec, payer_row: tuple[Cell, ...]) -> str:
    """E.g. `CPT 89253 — <title> — <payer> — <policy>`. The policy part is left out when the
    spec has none: "— Data not available in the input." would read as a policy name, and the
    payer table below shows the missing-data sentence for it."""
    payer, policy = payer_row[0], payer_row[_column_index("Policy Reference")]
    parts = [f"{code_system(spec.code)} {spec.code}", spec.title, payer.text]
    if policy.kind is not CellKind.MISSING:
        parts.append(policy.text)
    return SEPARATOR.join(parts)


def packet_title_block(spec: Spec, payer_row: tuple[Cell, ...]) -> TitleBlock:
    """The report's title block with the reference line first among its fields.

    A title-block field, not a paragraph: the writers put the contents right after the
    title block, and the reference line belongs on the first page.
    """
    block = title_block(spec)
    return dataclasses.replace(block, fields=((REFERENCE_LABEL, reference_line(spec, payer_row)), *block.fields))


def packet_metadata(spec: Spec, payer: str) -> Metadata:
    base = report_metadata(spec)
    return dataclasses.replace(
        base,
        title=f"{full_title(spec)}{SEPARATOR}{payer}",
        subject=f"Payer packet for {payer}: {base.subject}",
        keywords=(*base.keywords, payer, "payer packet"),
    )


# ---------------------------------------------------------------- excerpted sections


def excerpt_blocks(spec: Spec, cite: Citer) -> Iterator[Block]:
    """Each excerpted section once, at level 1; a missing one is its heading and the missing text.

    Table placements inside are dropped (the packet places its own tables), and when one
    wanted section lies inside another it is quoted on its own, not twice.
    """
    found = [find_section(spec.sections, title) for title in EXCERPT_TITLES]
    for title, section in zip(EXCERPT_TITLES, found):
        if section is None:
            yield Heading(1, title)
            yield Paragraph(spec.missing_text, missing=True)
            continue
        others = {id(other) for other in found if other is not None and other is not section}
        yield from section_blocks(_without_tables(section, others) or _emptied(section), 1, spec, cite)


def find_section(sections: Sequence[Section], title: str) -> Section | None:
    """The first section (depth first, in spec order) whose title matches, case-insensitively."""
    key = normalize_name(title)
    for section in sections:
        if normalize_name(section.title) == key:
            return section
        inner = find_section(section.sections, title)
        if inner is not None:
            return inner
    return None


def _without_tables(section: Section, skip: set[int]) -> Section | None:
    """`section` without table placements and the sub-sections in `skip`; None when that
    leaves nothing of a section that had content (so no false missing-data sentence)."""
    body = tuple(item for item in section.body if not isinstance(item, TablePlacement))
    children = tuple(
        kept
        for child in section.sections
        if id(child) not in skip and (kept := _without_tables(child, skip)) is not None
    )
    had_content = bool(section.body or section.sections)
    if had_content and not body and not children:
        return None
    return dataclasses.replace(section, body=body, sections=children)


def _emptied(section: Section) -> Section:
    """A wanted section whose only content was tables: its heading and the missing text."""
    return dataclasses.replace(section, body=(), sections=())


# ---------------------------------------------------------------- the payer and the closing block


def payer_section(spec: Spec, payer_index: int, cite: Citer) -> Iterator[Block]:
    name = spec.payers[payer_index].payer
    yield Heading(1, f"{PAYERS.title}: {name}")
    yield payer_fields_table(spec, payer_index, cite)


def payer_fields_table(spec: Spec, payer_index: int, cite: Citer) -> Table:
    """The payer's row of the Payer Coverage table turned on its side: one line per column,
    the header as the label and the very cell the report prints (links and kinds kept;
    citation numbers are the packet's own)."""
    row = PAYERS.row(spec.payers[payer_index], spec, cite)
    return Table(
        id=PAYER_TABLE_ID,
        title=f"{PAYERS.title}: {spec.payers[payer_index].payer}",
        columns=FIELD_COLUMNS,
        rows=tuple((Cell(column.header), cell) for column, cell in zip(PAYERS.columns, row)),
        empty_text=spec.missing_text,
    )


def closing_blocks(spec: Spec, report: ReportRef) -> Iterator[Block]:
    yield Heading(1, CLOSING_TITLE)
    yield Paragraph(CLOSING_TEXT)
    yield Paragraph(f"Report version: {spec.version}")
    yield Paragraph(f"As of: {format_date(spec.as_of)}")
    yield Paragraph(f"Full report: {report.file}")
    yield Paragraph(f"SHA-256 of the full report: {report.sha256}")


def _column_index(header: str) -> int:
    return next(index for index, column in enumerate(PAYERS.columns) if column.header == header)
