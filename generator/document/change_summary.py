"""The change-summary deliverable: a Document listing what changed between two specs.

It is an ordinary document-model Document, so the same writers render it to
DOCX, PDF and XLSX; nothing here knows about any file format.
"""

from __future__ import annotations

from collections.abc import Sequence

from generator.document.changes import Change, grouped, tally
from generator.document.compose import code_system, full_title
from generator.document.model import Block, Cell, Column, Document, Heading, Metadata, Paragraph, Table, TitleBlock
from generator.spec.model import Spec

NO_CHANGES = "No changes."
ABSENT = "(none)"  # the Old cell of an addition, the New cell of a removal

COLUMNS = (
    Column("area", "Area", 1.4),
    Column("item", "Item", 2.0),
    Column("field", "Field", 1.4),
    Column("old", "Old", 3.0),
    Column("new", "New", 3.0),
)


def summary_document(old: Spec, new: Spec, changes: Sequence[Change], old_label: str, new_label: str) -> Document:
    blocks: list[Block] = [title_block(old, new, changes, old_label, new_label), Heading(1, "Summary")]
    groups = grouped(changes)
    blocks.extend(Paragraph(f"{area}: {tally(items)}.") for area, items in groups.items())
    if not groups:
        blocks.append(Paragraph(NO_CHANGES))
    blocks.extend([Heading(1, "Changes"), changes_table(changes)])
    return Document(metadata(old, new), tuple(blocks))


def title_block(old: Spec, new: Spec, changes: Sequence[Change], old_label: str, new_label: str) -> TitleBlock:
    return TitleBlock(
        title=f"Changes: {full_title(new)}",
        subtitle=f"Version {old.version} ({old.as_of.isoformat()}) to version {new.version} ({new.as_of.isoformat()})",
        fields=(
            ("Old spec", old_label),
            ("New spec", new_label),
            ("Changes", str(len(changes))),
        ),
    )


def metadata(old: Spec, new: Spec) -> Metadata:
    name = f"{code_system(new.code)} {new.code}"
    return Metadata(
        code=new.code,
        title=f"Changes: {full_title(new)}",
        subject=f"{name} report changes from version {old.version} to {new.version}",
        author=new.prepared_by,
        keywords=(name, new.title, "change summary"),
        version=new.version,
        as_of=new.as_of,
    )


def changes_table(changes: Sequence[Change]) -> Table:
    rows = tuple(
        tuple(Cell(text) for text in (c.area, c.item, c.field, c.old or ABSENT, c.new or ABSENT)) for c in changes
    )
    return Table(id="changes", title="Changes", columns=COLUMNS, rows=rows, empty_text=NO_CHANGES)
