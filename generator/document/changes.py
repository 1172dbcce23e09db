"""What changed between two validated specs: a flat, ordered list of precise changes.

Sections are matched by their title path, body paragraphs by position with a
similarity match (so an edit is an edit, not a removal plus an addition), table
rows by their key column (modifier, payer, metric, version, source id), and cells compare
the DISPLAYED texts of the canonical table definitions: the list speaks of what
a reader of the report sees, so 170.5 and 170.50 dollars are the same "$170.50".
Citations are compared by the ids they list, not by their numbers: one new citation
early in a report renumbers every later one, which is not a change of content.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from generator.document.charts import build_chart
from generator.document.citations import id_marks, plain_text
from generator.document.model import Cell, CellKind, Table
from generator.document.tables import CANONICAL_TABLES, REVISIONS, ColumnDef, TableDef, iso_date, text
from generator.spec.model import Bullets, ChartPlacement, Section, Spec, TablePlacement

METADATA = "Metadata"
SECTIONS = "Sections"
# The `sources` registry, compared entry by entry (keyed by id); never drawn, so no widths matter.
SOURCE_REGISTRY = TableDef(
    "sources",
    "Sources",
    lambda spec: spec.sources,
    tuple(
        ColumnDef(header, 1.0, rule)
        for header, rule in (
            ("Id", text("id")),
            ("Title", text("title")),
            ("Author or Publisher", text("publisher")),
            ("Date", text("published")),
            ("URL", text("url")),
            ("Accessed", iso_date("accessed")),
        )
    ),
)
TABLES = (*CANONICAL_TABLES, REVISIONS, SOURCE_REGISTRY)
CHARTS = "Charts"
AREAS = (METADATA, SECTIONS, *(t.title for t in TABLES), CHARTS)  # the order groups are reported in
SIMILAR = 0.5  # word-level similarity above which two paragraphs count as one edited paragraph
NOT_SET = "(not set)"

TitlePath = tuple[str, ...]  # a section's title path, outermost first


@dataclass(frozen=True)
class Change:
    """One difference between two versions of a spec, as `diff` reports it."""

    area: str  # one of AREAS
    item: str  # "spec", a section's title path, a row's key
    field: str  # "version", "paragraph 2", a column header, "row", "section", "order"
    old: str | None  # None when the item was added
    new: str | None  # None when the item was removed
    parts: tuple[tuple[str, str], ...] = ()  # an added or removed row's (column header, text) pairs

    @property
    def kind(self) -> str:
        return "added" if self.old is None else "removed" if self.new is None else "changed"


def diff_specs(old: Spec, new: Spec) -> list[Change]:
    return [*metadata_changes(old, new), *section_changes(old, new), *table_changes(old, new), *chart_changes(old, new)]


# --- metadata ---------------------------------------------------------------------------------


def metadata_changes(old: Spec, new: Spec) -> Iterator[Change]:
    # Every scalar field of Spec, found from the schema so a new field is compared too.
    for f in dataclasses.fields(Spec):
        before, after = getattr(old, f.name), getattr(new, f.name)
        if not isinstance(before, tuple) and before != after:
            yield Change(METADATA, "spec", f.name, _shown(before), _shown(after))


def _shown(value: Any) -> str:
    if value is None:
        return NOT_SET
    return value.isoformat() if isinstance(value, date) else str(value)


# --- sections ---------------------------------------------------------------------------------


def section_changes(old: Spec, new: Spec) -> Iterator[Change]:
    before, after = section_map(old.sections), section_map(new.sections)
    for path in merged_order(list(before), list(after)):
        if path not in after:
            yield Change(SECTIONS, _joined(path), "section", describe_section(before[path]), None)
        elif path not in before:
            yield Change(SECTIONS, _joined(path), "section", None, describe_section(after[path]))
        else:
            yield from body_changes(_joined(path), before[path].body, after[path].body)
    for parent in dict.fromkeys(path[:-1] for path in after):
        old_children = [p[-1] for p in before if p[:-1] == parent]
        new_children = [p[-1] for p in after if p[:-1] == parent]
        where = f"sections under {_joined(parent)}" if parent else "top-level sections"
        yield from reordered(SECTIONS, where, old_children, new_children)


def merged_order(before: list[Any], after: list[Any]) -> list[Any]:
    """The new order, with each removed key (section path, row key) placed after its old predecessor."""
    order = list(after)
    for i, path in enumerate(before):
        if path not in after:
            order.insert(order.index(before[i - 1]) + 1 if i else 0, path)
    return order


def section_map(sections: Sequence[Section], parent: TitlePath = ()) -> dict[TitlePath, Section]:
    """Title path -> section, in document order; a repeated sibling title gets " (2)"."""
    found: dict[TitlePath, Section] = {}
    titles: dict[str, None] = {}
    for section in sections:
        title = _unique(section.title, titles)
        titles[title] = None
        found[(*parent, title)] = section
        found.update(section_map(section.sections, (*parent, title)))
    return found


def _joined(path: TitlePath) -> str:
    return " > ".join(path)


def _unique(key: str, taken: dict[str, Any]) -> str:
    n, candidate = 1, key
    while candidate in taken:
        n += 1
        candidate = f"{key} ({n})"
    return candidate


def describe_section(section: Section) -> str:
    """ "2 paragraphs, 1 bullet, table payers, 1 sub-section" """
    items = body_items(section.body)
    parts = [_count(sum(1 for i in items if i.kind == kind), kind) for kind in ("paragraph", "bullet")]
    parts += [f"table {i.text}" for i in items if i.kind == "table"]
    parts.append(_count(len(section.sections), "sub-section"))
    return ", ".join(p for p in parts if p) or "empty"


def _count(n: int, word: str) -> str:
    return "" if n == 0 else f"{n} {word}" if n == 1 else f"{n} {word}s"


@dataclass(frozen=True)
class Item:
    """One paragraph, bullet point or table placement of a section body."""

    kind: str  # "paragraph", "bullet" or "table"
    text: str  # the text, or the table id
    number: int  # 1-based position among the items of its kind in the section

    @property
    def label(self) -> str:
        return "table" if self.kind == "table" else f"{self.kind} {self.number}"


def body_items(body: Sequence[Any]) -> list[Item]:
    flat: list[tuple[str, str]] = []
    for block in body:
        if isinstance(block, Bullets):
            flat.extend(("bullet", plain_text(point, id_marks)) for point in block.bullets)
        elif isinstance(block, TablePlacement):
            flat.append(("table", block.table))
        elif isinstance(block, ChartPlacement):
            flat.append(("chart", block.chart))
        else:
            flat.append(("paragraph", plain_text(block, id_marks)))
    seen: dict[str, int] = {}
    items = []
    for kind, text in flat:
        seen[kind] = seen.get(kind, 0) + 1
        items.append(Item(kind, text, seen[kind]))
    return items


def body_changes(path: str, old_body: Sequence[Any], new_body: Sequence[Any]) -> Iterator[Change]:
    olds, news = body_items(old_body), body_items(new_body)
    matcher = difflib.SequenceMatcher(None, [(i.kind, i.text) for i in olds], [(i.kind, i.text) for i in news], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal":
            yield from pair_up(path, olds[i1:i2], news[j1:j2])


def pair_up(path: str, olds: list[Item], news: list[Item]) -> Iterator[Change]:
    """Within a changed stretch, pair each old item with its most similar later new item."""
    j = 0
    for old in olds:
        k = _best_match(old, news, j)
        if k is None:
            yield Change(SECTIONS, path, old.label, old.text, None)
            continue
        yield from (Change(SECTIONS, path, n.label, None, n.text) for n in news[j:k])
        label = news[k].label if news[k].number == old.number else f"{news[k].label} (was {old.number})"
        yield Change(SECTIONS, path, label, old.text, news[k].text)
        j = k + 1
    yield from (Change(SECTIONS, path, n.label, None, n.text) for n in news[j:])


def _best_match(old: Item, news: list[Item], start: int) -> int | None:
    if old.kind in ("table", "chart"):  # a different table or chart placed here is a replacement, never an edit
        return None
    scored = [(similarity(old.text, n.text), k) for k, n in enumerate(news) if k >= start and n.kind == old.kind]
    best = max(scored, key=lambda pair: (pair[0], -pair[1]), default=(0.0, None))
    return best[1] if best[0] >= SIMILAR else None


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a.split(), b.split(), autojunk=False).ratio()


def reordered(area: str, item: str, old_keys: list[str], new_keys: list[str]) -> Iterator[Change]:
    """One change when the keys both versions share now come in a different order."""
    kept_old = [k for k in old_keys if k in new_keys]
    kept_new = [k for k in new_keys if k in old_keys]
    if kept_old != kept_new:
        yield Change(area, item, "order", ", ".join(kept_old), ", ".join(kept_new))


# --- tables -----------------------------------------------------------------------------------


def table_changes(old: Spec, new: Spec) -> Iterator[Change]:
    for table in TABLES:
        yield from rows_changes(table, table.build(old), table.build(new))


def rows_changes(table: TableDef, old: Table, new: Table) -> Iterator[Change]:
    before, after = keyed_rows(old), keyed_rows(new)
    headers = [c.header for c in new.columns]
    for key in merged_order(list(before), list(after)):
        if key not in after:
            yield Change(table.title, key, "row", describe_row(headers, before[key]), None, row_parts(headers, before[key]))
        elif key not in before:
            yield Change(table.title, key, "row", None, describe_row(headers, after[key]), row_parts(headers, after[key]))
        else:
            yield from cell_changes(table.title, key, headers, before[key], after[key])
    yield from reordered(table.title, "rows", list(before), list(after))


def keyed_rows(table: Table) -> dict[str, tuple[Cell, ...]]:
    # The first column of every canonical table is its required key: modifier, payer, metric, version.
    rows: dict[str, tuple[Cell, ...]] = {}
    for row in table.rows:
        rows[_unique(row[0].text, rows)] = row
    return rows


def row_parts(headers: list[str], row: tuple[Cell, ...]) -> tuple[tuple[str, str], ...]:
    # Missing cells are left out: the row's data is what was added or removed.
    return tuple((header, cell.text) for header, cell in zip(headers[1:], row[1:]) if cell.kind is not CellKind.MISSING)


def describe_row(headers: list[str], row: tuple[Cell, ...]) -> str:
    return "; ".join(f"{header}: {text}" for header, text in row_parts(headers, row)) or "no other fields"


_MARKS = re.compile(r" \[[^\[\]]*\]$")  # a cell's citation marks: " [3]", " [aetna, d3rx]"


def _marks(text: str) -> str:
    found = _MARKS.search(text)
    return found.group(0) if found else ""


def cell_changes(area: str, key: str, headers: list[str], old: tuple[Cell, ...], new: tuple[Cell, ...]) -> Iterator[Change]:
    for header, before, after in zip(headers[1:], old[1:], new[1:]):
        # A new missing_text is reported once, as metadata, not in every empty cell; what an empty
        # cell cites is still its own (the marks follow the sentence).
        if before.kind is CellKind.MISSING and after.kind is CellKind.MISSING:
            if _marks(before.text) != _marks(after.text):
                yield Change(area, key, header, before.text, after.text)
            continue
        if before.text != after.text:
            yield Change(area, key, header, before.text, after.text)
        elif before.link != after.link:  # same text, new target: invisible in print, so say it
            yield Change(area, key, f"{header} link", before.link or NOT_SET, after.link or NOT_SET)


# --- charts -----------------------------------------------------------------------------------


def chart_changes(old: Spec, new: Spec) -> Iterator[Change]:
    """Charts matched by id, each compared as a reader sees it: its alternative text (kind,
    title, categories, every value as shown) and its axis titles."""
    before, after = described_charts(old), described_charts(new)
    for key in merged_order(list(before), list(after)):
        if before.get(key) != after.get(key):
            yield Change(CHARTS, key, "chart", before.get(key), after.get(key))
    yield from reordered(CHARTS, "charts", list(before), list(after))


def described_charts(spec: Spec) -> dict[str, str]:
    described = {}
    for chart in spec.charts:
        block = build_chart(chart, spec)
        axes = " / ".join(title or NOT_SET for title in (block.category_axis, block.value_axis))
        described[chart.id] = f"{block.alt_text} (axes: {axes})"
    return described


# --- reporting --------------------------------------------------------------------------------

LONG = 160  # above this many characters, an edit is shown as a word diff rather than old -> new


def grouped(changes: Sequence[Change]) -> dict[str, list[Change]]:
    groups: dict[str, list[Change]] = {area: [] for area in AREAS}
    for change in changes:
        groups[change.area].append(change)
    return {area: items for area, items in groups.items() if items}


def tally(changes: Sequence[Change]) -> str:
    """ "1 added, 2 changed" """
    kinds = [c.kind for c in changes]
    return ", ".join(f"{kinds.count(k)} {k}" for k in ("added", "removed", "changed") if k in kinds)


def report_lines(changes: Sequence[Change]) -> list[str]:
    """The terminal report: a heading per area, then one line per change."""
    if not changes:
        return ["No changes."]
    lines = []
    for area, items in grouped(changes).items():
        lines.append(f"{area} ({tally(items)})")
        lines.extend(f"  {change_line(c)}" for c in items)
    return lines


def change_line(change: Change) -> str:
    where = _where(change)
    if change.old is None:
        return f'added {where}: "{change.new}"'
    if change.new is None:
        return f'removed {where}: "{change.old}"'
    if len(change.old) + len(change.new) > LONG:
        return f"changed {where}: {word_diff(change.old, change.new)}"
    return f'changed {where}: "{change.old}" -> "{change.new}"'


def _where(change: Change) -> str:
    if change.area == METADATA:
        return change.field
    if change.field in ("row", "section", "chart"):
        return f'{change.field} "{change.item}"'
    if change.field == "order":
        return f"order of {change.item}"
    return f'"{change.item}" {change.field}'


def word_diff(old: str, new: str, context: int = 4) -> str:
    """Only the changed words, git-style: [-removed-]{+added+}, with a few words of context."""
    a, b = old.split(), new.split()
    parts: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(_context(a[i1:i2], context, first=i1 == 0, last=i2 == len(a)))
            continue
        removed = f"[-{' '.join(a[i1:i2])}-]" if i2 > i1 else ""
        added = f"{{+{' '.join(b[j1:j2])}+}}" if j2 > j1 else ""
        parts.append(removed + added)
    return " ".join(p for p in parts if p)


def _context(words: list[str], n: int, first: bool, last: bool) -> str:
    """Unchanged words around the edits: n on each side of a change, the rest elided."""
    if first and last:
        return ""
    if first:
        return ("... " if len(words) > n else "") + " ".join(words[-n:])
    if last:
        return " ".join(words[:n]) + (" ..." if len(words) > n else "")
    if len(words) <= 2 * n:
        return " ".join(words)
    return f"{' '.join(words[:n])} ... {' '.join(words[-n:])}"
