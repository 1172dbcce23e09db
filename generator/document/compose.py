"""From a validated spec to the document model: the bridge between the two layers."""

from __future__ import annotations

from collections.abc import Iterator

from generator.document.charts import CHARTS_TITLE, chart_blocks
from generator.document.citations import Citer, Numbering, id_marks, plain_text
from generator.document.display import long_date
from generator.document.links import url_spans
from generator.document.model import (
    Block,
    BulletList,
    Document,
    Heading,
    Metadata,
    Paragraph,
    TitleBlock,
    TitleField,
)
from generator.document.tables import CANONICAL_TABLES, GAPS, REFERENCES, REVISIONS, TableDef
from generator.spec.charts import placed_charts
from generator.spec.model import Bullets, ChartPlacement, Cited, Section, Spec, TablePlacement, code_system
from generator.spec.model import Chart as ChartSpec

_TABLES_BY_ID = {table.id: table for table in CANONICAL_TABLES}
NO_GAPS = "Every table field has data."
CPT_NOTICE = (
    "CPT copyright {edition} American Medical Association. All rights reserved. "
    "CPT is a registered trademark of the American Medical Association."
)


def full_title(spec: Spec) -> str:
    return f"{code_system(spec.code)} {spec.code}: {spec.title}"


def compose(spec: Spec) -> Document:
    """The report; citations are numbered as the blocks are built, in reading order."""
    numbering = Numbering(spec.sources)
    blocks: list[Block] = [title_block(spec)]
    for section in spec.sections:
        blocks.extend(section_blocks(section, 1, spec, numbering))
    placed = set(placed_tables(spec.sections))
    for table in CANONICAL_TABLES:
        if table.id not in placed:
            blocks.extend(table_section(table, spec, numbering))
    blocks.extend(unplaced_charts(spec))
    blocks.extend(references_section(spec, numbering))
    if spec.revisions:
        blocks.extend(table_section(REVISIONS, spec))
    blocks.extend(gaps_section(spec))
    return Document(metadata(spec), tuple(blocks))


def metadata(spec: Spec) -> Metadata:
    name = f"{code_system(spec.code)} {spec.code}"
    return Metadata(
        code=spec.code,
        title=full_title(spec),
        subject=f"{name} billing-code report: {spec.descriptor or spec.title}",
        author=spec.prepared_by,
        keywords=(name, spec.title, "billing code report", "payer coverage"),
        version=spec.version,
        as_of=spec.as_of,
        language=spec.language,
    )


def title_block(spec: Spec) -> TitleBlock:
    """The cover. A field the spec leaves out is left off (the Data Gaps appendix lists it):
    the missing-data sentence never stands on a cover."""
    given = (
        ("Prepared for", spec.prepared_for),
        ("Prepared by", spec.prepared_by),
        ("Version", spec.version),
        ("As of", long_date(spec.as_of)),
    )
    return TitleBlock(
        title=full_title(spec),
        subtitle=spec.descriptor,
        fields=tuple(TitleField(label, value) for label, value in given if value is not None),
        notices=notices(spec),
    )


def notices(spec: Spec) -> tuple[str, ...]:
    """The AMA's notice when the spec names the CPT edition its code and descriptor are quoted
    from (a CPT code only: HCPCS Level II codes are CMS's), then the spec's own notices."""
    cpt = (CPT_NOTICE.format(edition=spec.cpt_edition),) if spec.cpt_edition and code_system(spec.code) == "CPT" else ()
    return (*cpt, *spec.notices)


def section_blocks(section: Section, level: int, spec: Spec, cite: Citer) -> Iterator[Block]:
    yield Heading(level, section.title)
    if not section.body and not section.sections:
        yield Paragraph(spec.missing_text, missing=True)
    for item in section.body:
        if isinstance(item, ChartPlacement):
            yield from chart_blocks(_charts_by_id(spec)[item.chart], spec)
        else:
            yield body_block(item, spec, cite)
    for child in section.sections:
        yield from section_blocks(child, level + 1, spec, cite)


def body_block(item: str | Cited | Bullets | TablePlacement, spec: Spec, cite: Citer) -> Block:
    if isinstance(item, Bullets):
        points = tuple(plain_text(point, cite) for point in item.bullets)
        spans = tuple(url_spans(point) for point in points)
        return BulletList(points, spans if any(spans) else ())
    if isinstance(item, TablePlacement):
        return _TABLES_BY_ID[item.table].build(spec, cite)
    text = plain_text(item, cite)
    return Paragraph(text, missing=item == spec.missing_text, spans=url_spans(text))


def _charts_by_id(spec: Spec) -> dict[str, ChartSpec]:
    return {chart.id: chart for chart in spec.charts}


def unplaced_charts(spec: Spec) -> Iterator[Block]:
    """The charts no section places, in a closing section of their own (like unplaced tables)."""
    placed = {chart_id for chart_id, _ in placed_charts(spec.sections)}
    rest = [chart for chart in spec.charts if chart.id not in placed]
    if rest:
        yield Heading(1, CHARTS_TITLE)
    for chart in rest:
        yield from chart_blocks(chart, spec)


def table_section(table: TableDef, spec: Spec, cite: Citer = id_marks) -> Iterator[Block]:
    yield Heading(1, table.title)
    yield table.build(spec, cite)


def references_section(spec: Spec, numbering: Numbering) -> Iterator[Block]:
    """The References appendix: every source cited so far, by number; nothing when none is."""
    references = numbering.references()
    if references:
        yield Heading(1, REFERENCES.title)
        yield REFERENCES.build(spec, rows=references)


def gaps_section(spec: Spec) -> Iterator[Block]:
    """The appendix listing every missing table field; a sentence instead when nothing is missing."""
    if GAPS.rows(spec):
        yield from table_section(GAPS, spec)
    else:
        yield Heading(1, GAPS.title)
        yield Paragraph(NO_GAPS)


def placed_tables(sections: tuple[Section, ...]) -> Iterator[str]:
    for section in sections:
        for item in section.body:
            if isinstance(item, TablePlacement):
                yield item.table
        yield from placed_tables(section.sections)
