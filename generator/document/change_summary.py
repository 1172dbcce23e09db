"""The change summary as a client memo: a Document saying, in the report's words, what changed between two specs.

Its first page is the memo: the report's title, the two versions with their dates, one plain
sentence counting what changed, then the table of changes. Field names are the report's own
(column headers, title-block labels), an added or removed row is shown field by field, and
old values are marked OLD, new ones NEW, for every writer to draw alike. No file path appears:
the manifest records the specs. Nothing here knows about any file format.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from generator.document.changes import METADATA, NOT_SET, SECTIONS, Change
from generator.document.compose import full_title
from generator.document.display import long_date
from generator.document.model import Cell, CellKind, Column, Document, Emphasis, Heading, Metadata, Table, TitleBlock
from generator.spec.model import Spec, code_system

NO_CHANGES = "No changes."
SEPARATOR = " \u2014 "  # em dash
TABLE_TITLE = "Changes"
SUMMARY_LABEL = "Summary"
REPORT_ITEM = "Report"  # the item of a change to the report's own details (version, as-of date, ...)
ROW_ORDER_ITEM = "All rows"  # the item of a change in the order of a table's rows
OLD_HEADER, NEW_HEADER = "Old Value", "New Value"
ABSENT = {Emphasis.OLD: "Not in the earlier version", Emphasis.NEW: "Not in this version"}
AREA_NAMES = {METADATA: "Report details"}
# How the report labels a top-level field (its title block), so the memo speaks the report's words.
FIELD_LABELS = {
    "code": "Code", "title": "Title", "descriptor": "Descriptor", "version": "Version", "as_of": "As of",
    "prepared_for": "Prepared for", "prepared_by": "Prepared by", "missing_text": "Missing-data text",
}
# What one item of each area is called in the summary sentence: (one, many).
ITEM_NOUNS = {
    "Payer Coverage": ("payer policy", "payer policies"),
    "Benchmarks": ("benchmark", "benchmarks"),
    "Modifiers": ("modifier", "modifiers"),
    SECTIONS: ("section", "sections"),
    "Sources": ("source", "sources"),
    "Revision History": ("revision-history entry", "revision-history entries"),
    METADATA: ("report detail", "report details"),
}
# The order the summary sentence counts in: what a client reads first comes first.
SENTENCE_ORDER = ("Payer Coverage", "Benchmarks", "Modifiers", SECTIONS, "Sources", "Revision History", METADATA)


def summary_document(old: Spec, new: Spec, changes: Sequence[Change]) -> Document:
    blocks = (memo_heading(old, new, changes), Heading(1, TABLE_TITLE), changes_table(old, new, changes))
    return Document(metadata(old, new), blocks, contents=False)


def version_line(old: Spec, new: Spec) -> str:
    """ "Version 1.0 (26 November 2026) to 1.1 (1 December 2026)" """
    return f"Version {old.version} ({long_date(old.as_of)}) to {new.version} ({long_date(new.as_of)})"


def memo_heading(old: Spec, new: Spec, changes: Sequence[Change]) -> TitleBlock:
    return TitleBlock(title=full_title(new), subtitle=version_line(old, new), fields=((SUMMARY_LABEL, summary_sentence(old, new, changes)),))


def summary_sentence(old: Spec, new: Spec, changes: Sequence[Change]) -> str:
    """E.g. "Version 1.1 changes 2 payer policies, 3 benchmarks and 1 section (from version 1.0).\""""
    items: dict[str, set[str]] = {}
    for change in changes:
        items.setdefault(change.area, set()).add(change.item)
    counted = [_counted(len(items[area]), *ITEM_NOUNS[area]) for area in SENTENCE_ORDER if area in items]
    if not counted:
        return f"{NO_CHANGES[:-1]} from version {old.version} to {new.version}."
    listed = counted[0] if len(counted) == 1 else f"{', '.join(counted[:-1])} and {counted[-1]}"
    return f"Version {new.version} changes {listed} (from version {old.version})."


def _counted(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def metadata(old: Spec, new: Spec) -> Metadata:
    name = f"{code_system(new.code)} {new.code}"
    return Metadata(
        code=new.code,
        title=f"{full_title(new)}{SEPARATOR}changes from version {old.version} to {new.version}",
        subject=f"{name} report changes from version {old.version} to {new.version}",
        author=new.prepared_by,
        keywords=(name, new.title, "change summary"),
        version=new.version,
        as_of=new.as_of,
    )


def columns() -> tuple[Column, ...]:
    return (
        Column("where", "Section or Table", 1.5),
        Column("item", "Item", 2.0),
        Column("field", "Field", 1.4),
        Column("old", OLD_HEADER, 3.0),
        Column("new", NEW_HEADER, 3.0),
    )


def changes_table(old: Spec, new: Spec, changes: Sequence[Change]) -> Table:
    rows = tuple(row for change in changes for row in change_rows(old, new, change))
    return Table(id="changes", title=TABLE_TITLE, columns=columns(), rows=rows, empty_text=NO_CHANGES)


def change_rows(old: Spec, new: Spec, change: Change) -> Iterator[tuple[Cell, ...]]:
    """One row per field: an added or removed table row is shown field by field."""
    where = Cell(AREA_NAMES.get(change.area, change.area))
    item = Cell(item_name(change))
    if not change.parts:
        field = FIELD_LABELS.get(change.field, change.field) if change.area == METADATA else change.field
        yield where, item, Cell(_capitalized(field)), value_cell(old, change.old, Emphasis.OLD), value_cell(new, change.new, Emphasis.NEW)
        return
    for header, text in change.parts:
        before, after = (text, None) if change.new is None else (None, text)
        yield where, item, Cell(header), value_cell(old, before, Emphasis.OLD), value_cell(new, after, Emphasis.NEW)


def item_name(change: Change) -> str:
    """The item in the report's words: changes.py says "spec" and "rows" where a reader says less technically."""
    if change.area == METADATA:
        return REPORT_ITEM
    if change.field == "order" and change.area != SECTIONS:
        return ROW_ORDER_ITEM
    return change.item


def value_cell(spec: Spec, text: str | None, emphasis: Emphasis) -> Cell:
    """A value as that version shows it, marked old or new; a plain sentence when the item is absent there."""
    if text is None:
        return Cell(ABSENT[emphasis])
    if text == NOT_SET or text == spec.missing_text:
        return Cell(spec.missing_text, CellKind.MISSING, emphasis=emphasis)
    return Cell(text, emphasis=emphasis)


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]
