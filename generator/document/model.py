"""The format-neutral document model: what every writer receives.

Like pandoc's AST, this is the only thing writers see. Cells arrive already
resolved to their display text, so every format prints the same characters;
typed values ride along for formats (XLSX) that store real numbers and dates.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal


class CellKind(enum.Enum):
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    MISSING = "missing"  # the spec has no value: text is the missing-data sentence


class NumberStyle(enum.Enum):
    CURRENCY = "currency"  # US dollars, thousands separators
    PERCENT = "percent"  # value holds percentage points: 56.3 means 56.3%
    GROUPED = "grouped"  # thousands separators
    PLAIN = "plain"  # digits as typed


class Emphasis(enum.Enum):
    """How a change summary marks a value; every format draws both looks."""

    OLD = "old"  # what a change replaced or removed: struck through, grey
    NEW = "new"  # what a change brought: bold, in the brand colour


@dataclass(frozen=True)
class NumberFormat:
    """How a number is shown: its style and the decimals typed."""

    style: NumberStyle
    decimals: int


@dataclass(frozen=True)
class Span:
    """A URL inside a text, text[start:end]: writers make it a link to itself."""

    start: int
    end: int


def pieces(text: str, spans: tuple[Span, ...]) -> Iterator[tuple[str, str | None]]:
    """`text` as (piece, URL or None) in order: what a writer draws as plain runs and links."""
    at = 0
    for span in spans:
        if span.start > at:
            yield text[at : span.start], None
        yield text[span.start : span.end], text[span.start : span.end]
        at = span.end
    if at < len(text):
        yield text[at:], None


@dataclass(frozen=True)
class Cell:
    """One table cell. `text` is what every format displays."""

    text: str
    kind: CellKind = CellKind.TEXT
    value: Decimal | date | None = None  # set for NUMBER and DATE cells
    number_format: NumberFormat | None = None  # set for NUMBER cells
    link: str | None = None  # an http(s) URL the cell's text points to
    emphasis: Emphasis | None = None  # a change summary's old or new value
    spans: tuple[Span, ...] = ()  # URLs inside the text (a cell with `link` links as a whole instead)


@dataclass(frozen=True)
class Column:
    """One column of a canonical table: its key, header and relative width."""

    key: str
    header: str
    width: float  # relative weight; writers scale the weights to the page or sheet


@dataclass(frozen=True)
class Table:
    """A canonical table with its cells, as every writer draws it."""

    id: str  # "modifiers", "payers", "benchmarks", "revisions"
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    empty_text: str  # shown in place of rows when there are none

    def numeric_columns(self) -> frozenset[int]:
        """The (0-based) columns holding a number: writers right-align those numbers and the header above."""
        return frozenset(
            index for index in range(len(self.columns))
            if any(len(row) > index and row[index].kind is CellKind.NUMBER for row in self.rows)
        )


@dataclass(frozen=True)
class Heading:
    """A section heading at its level."""

    level: int  # 1 is a top-level section
    text: str


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of running text, with the links inside it."""

    text: str
    missing: bool = False  # the paragraph is the missing-data sentence
    spans: tuple[Span, ...] = ()  # URLs inside the text


@dataclass(frozen=True)
class BulletList:
    """A bulleted list, with the links inside each point."""

    items: tuple[str, ...]
    spans: tuple[tuple[Span, ...], ...] = ()  # per item, the URLs inside it (empty: none anywhere)


@dataclass(frozen=True)
class TitleField:
    """One "Label: text" line of the title block."""

    label: str
    text: str
    missing: bool = False  # the text is the missing-data sentence: drawn like a missing cell


@dataclass(frozen=True)
class TitleBlock:
    """The cover: paginated writers give it a page of its own, without running header or footer,
    and print the notices on the back of it."""

    title: str  # e.g. "CPT 89253: Assisted Embryo Hatching, Partial Zona Dissection"
    subtitle: str | None  # the descriptor
    fields: tuple[TitleField, ...]  # prepared for, prepared by, version, date: only those the spec gives
    notices: tuple[str, ...] = ()  # the AMA's CPT notice and the spec's further notices, in that order

    def __post_init__(self) -> None:
        # A plain (label, text) pair is accepted for brevity and stands for a present value.
        fields = tuple(f if isinstance(f, TitleField) else TitleField(*f) for f in self.fields)
        object.__setattr__(self, "fields", fields)


class ChartKind(enum.Enum):
    BAR = "bar"  # horizontal bars
    COLUMN = "column"  # vertical bars
    LINE = "line"


@dataclass(frozen=True)
class ChartPoint:
    """One plotted value: the number, the text the table prints for it, and the table row it comes from."""

    value: Decimal | None  # None: the row has no value and the chart shows a gap
    text: str  # the Benchmarks cell's text; the missing-data sentence for a gap
    row: int  # 0-based index of the row in the source table (its sheet row is row + 2)


@dataclass(frozen=True)
class ChartSeries:
    """One plotted series: its legend name and a point per category."""

    name: str
    points: tuple[ChartPoint, ...]  # one per category, in category order


@dataclass(frozen=True)
class Chart:
    """A chart of rows of one table; the table itself is in the document too."""

    id: str
    kind: ChartKind
    title: str
    categories: tuple[str, ...]
    series: tuple[ChartSeries, ...]
    number_format: NumberFormat  # for the value axis and the data labels
    category_axis: str | None
    value_axis: str | None
    alt_text: str  # names every value, e.g. "Column chart: Cycles, 2000: 25,724; 2010: 35,518"
    source_table: str  # id of the Table whose rows feed it
    source_column: str  # key of that table's column holding the values


@dataclass(frozen=True)
class Letter:
    """A cover letter, set as a letter on a page of its own before the document it encloses."""

    date: str  # the date line, in long form
    addressee: tuple[str, ...]  # one line each: name, department, address lines
    reference: tuple[str, ...]  # the "Re:" block: the first line follows the label, the rest align under it
    body: tuple[str, ...]  # paragraphs
    closing: str  # e.g. "Sincerely,"
    signature: tuple[str, ...]  # lines under the closing; none when the spec names no author
    enclosure: str  # what follows "Enclosure:"
    document_id: str  # small print at the foot: identifies the enclosed report

    def texts(self) -> tuple[str, ...]:
        """Every line in reading order, labels included: what a reader of any format sees."""
        return (
            self.date, *self.addressee, f"{RE_LABEL}: {self.reference[0]}", *self.reference[1:], *self.body,
            self.closing, *self.signature, f"{ENCLOSURE_LABEL}: {self.enclosure}", self.document_id,
        )


RE_LABEL = "Re"
ENCLOSURE_LABEL = "Enclosure"

Block = TitleBlock | Heading | Paragraph | BulletList | Table | Chart | Letter


@dataclass(frozen=True)
class Metadata:
    """What goes into document properties and running headers and footers."""

    code: str
    title: str  # full title with the code, as in the title block
    subject: str
    author: str | None
    keywords: tuple[str, ...]
    version: str
    as_of: date
    language: str = "en-US"  # BCP 47: what a screen reader reads the text as


@dataclass(frozen=True)
class Document:
    """A whole report, memo or packet: its properties and blocks, in reading order."""

    metadata: Metadata
    blocks: tuple[Block, ...]
    contents: bool = True  # list the headings in a table of contents (a one-table memo has none)

    @property
    def tables(self) -> tuple[Table, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Table))

    @property
    def charts(self) -> tuple[Chart, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Chart))

    def texts(self) -> Iterator[str]:
        """Every string a reader can see, for checks that concern all text alike."""
        meta = self.metadata
        yield from (meta.title, meta.subject, meta.version, *meta.keywords)
        for block in self.blocks:
            yield from _block_texts(block)


def _block_texts(block: Block) -> Iterator[str]:
    if isinstance(block, TitleBlock):
        yield block.title
        yield from (block.subtitle,) if block.subtitle else ()
        for field in block.fields:
            yield from (field.label, field.text)
        yield from block.notices
    elif isinstance(block, (Heading, Paragraph)):
        yield block.text
    elif isinstance(block, BulletList):
        yield from block.items
    elif isinstance(block, Letter):
        yield from block.texts()
    elif isinstance(block, Chart):
        yield from (block.title, block.alt_text, *block.categories, *(s.name for s in block.series))
        yield from (text for text in (block.category_axis, block.value_axis) if text)
        yield from (point.text for series in block.series for point in series.points)
    else:
        yield from (block.title, block.empty_text, *(c.header for c in block.columns))
        yield from (cell.text for row in block.rows for cell in row)
