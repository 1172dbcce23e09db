"""The payer correspondence packet: one payer's excerpt of a report, as a document-model Document.

It opens with a cover letter to the payer, then quotes the report: built from compose.py's
pieces and the canonical TableDefs, so every text in a packet is the text the full report
prints, and only the rows that concern that payer (`spec.model.concerns`). Nothing here
reads files: the caller passes in the full report's name and SHA-256 and the letter's date.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from generator.document.citations import Citer, Numbering, no_marks
from generator.document.compose import full_title, references_section, section_blocks, title_block
from generator.document.compose import metadata as report_metadata
from generator.document.display import long_date
from generator.document.model import (
    Block, Cell, CellKind, Column, Document, Heading, Letter, Metadata, Paragraph, Table,
)
from generator.document.tables import BENCHMARKS, MODIFIERS, PAYERS, TableDef
from generator.spec.model import Section, Spec, TablePlacement, code_system, concerns, payer_key

# The report sections a packet quotes, found by title anywhere in the section tree.
EXCERPT_TITLES = ("Billing Code Overview", "Clinical Context")
SEPARATOR = " \u2014 "  # em dash
PAYER_TABLE_ID = "payer-fields"
FIELD_COLUMNS = (Column("field", "Field", 1.6), Column("value", "Value", 6.4))
DOCUMENT_ID_LENGTH = 12  # hex digits of the full report's SHA-256 that identify it in print
CLOSING = "Sincerely,"
CLOSING_TITLE = "About This Packet"


@dataclass(frozen=True)
class ReportRef:
    """The full report a packet was cut from: its file name and the SHA-256 of its bytes."""

    file: str
    sha256: str

    @property
    def document_id(self) -> str:
        return self.sha256[:DOCUMENT_ID_LENGTH]


class UnknownPayer(ValueError):
    """A requested payer name that the spec does not list."""


def select_payers(spec: Spec, names: Sequence[str]) -> list[int]:
    """Indexes (spec order) of the payers named, or of every payer when no name is given.

    A name matches every payer whose name equals it case-insensitively; one that matches
    none raises UnknownPayer with a one-line message listing the spec's payers.
    """
    if not names:
        return list(range(len(spec.payers)))
    wanted = {payer_key(name): name for name in names}
    known = {payer_key(payer.payer) for payer in spec.payers}
    unknown = [repr(name) for key, name in wanted.items() if key not in known]
    if unknown:
        listed = ", ".join(payer.payer for payer in spec.payers) or "none"
        noun = "payer" if len(unknown) == 1 else "payers"
        raise UnknownPayer(f"unknown {noun} {', '.join(unknown)}; payers in the spec: {listed}")
    return [index for index, payer in enumerate(spec.payers) if payer_key(payer.payer) in wanted]


def packet_document(spec: Spec, payer_index: int, report: ReportRef, dated: date) -> Document:
    """The packet; it numbers the sources its own content cites, in its reading order, and lists them."""
    numbering = Numbering(spec.sources)
    payer = spec.payers[payer_index].payer
    blocks: list[Block] = [cover_letter(spec, payer_index, report, dated), title_block(spec)]
    blocks.extend(excerpt_blocks(spec, numbering))
    blocks.extend(payer_section(spec, payer_index, numbering))
    blocks.extend(rows_section(MODIFIERS, spec.modifiers, spec, payer, numbering))
    blocks.extend(rows_section(BENCHMARKS, spec.benchmarks, spec, payer, numbering))
    blocks.extend(references_section(spec, numbering))
    blocks.extend(closing_blocks(spec, report))
    return Document(packet_metadata(spec, payer), tuple(blocks))


def rows_section(table: TableDef, rows: Sequence[Any], spec: Spec, payer: str, cite: Citer) -> Iterator[Block]:
    """A canonical table with only the rows that concern `payer`, each cell as the report prints it."""
    yield Heading(1, table.title)
    yield table.build(spec, cite, rows=[row for row in rows if concerns(row, payer)])


# ---------------------------------------------------------------- the cover letter


def cover_letter(spec: Spec, payer_index: int, report: ReportRef, dated: date) -> Letter:
    """The letter the packet is enclosed with: only what the spec says, nothing claimed beyond it."""
    payer = spec.payers[payer_index]
    name = f"{code_system(spec.code)} {spec.code}"
    return Letter(
        date=long_date(dated),
        addressee=tuple(line for line in (payer.payer, payer.department, *payer.address) if line),
        reference=reference_lines(spec, payer_index),
        body=spec.letter or (
            f"Enclosed is our report on {name}, {spec.title}, version {spec.version} as of "
            f"{long_date(spec.as_of)}, in the parts that concern {payer.payer}.",
        ),
        closing=CLOSING,
        signature=(spec.prepared_by,) if spec.prepared_by else (),
        enclosure=enclosure_text(spec),
        document_id=f"Document ID {report.document_id}",
    )


def reference_lines(spec: Spec, payer_index: int) -> tuple[str, ...]:
    """The "Re:" block: the code and title, then the payer's policy as the report prints it
    (left out when the spec has none: the letter states no missing-data sentence)."""
    policy = PAYERS.row(spec.payers[payer_index], spec, no_marks)[_column_index("Policy Reference")]
    heading = f"{code_system(spec.code)} {spec.code}{SEPARATOR}{spec.title}"
    return (heading,) if policy.kind is CellKind.MISSING else (heading, f"Policy: {policy.text}")


def enclosure_text(spec: Spec) -> str:
    return f"{full_title(spec)}, version {spec.version}, as of {long_date(spec.as_of)}"


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
    key = payer_key(title)
    for section in sections:
        if payer_key(section.title) == key:
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
    """Where the packet comes from, in plain words."""
    yield Heading(1, CLOSING_TITLE)
    yield Paragraph(
        f"This packet is taken from the report {full_title(spec)}, version {spec.version}, as of "
        f"{long_date(spec.as_of)}. Its texts and table entries are printed exactly as in the report; "
        f"the tables show the rows that concern this payer, and the source numbers refer to this "
        f"packet's own References. Document ID {report.document_id} identifies the full report."
    )


def _column_index(header: str) -> int:
    return next(index for index, column in enumerate(PAYERS.columns) if column.header == header)
