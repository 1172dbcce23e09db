"""SpreadsheetML written as text: cells, rows and the parts of a worksheet, in the schema's order.

Cells name their style by its index in the theme's styles part (package.py); text and
attribute values are escaped here. A text cell is an inline string, as openpyxl writes them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from generator.writers import xmltext
from generator.writers.cellref import column_letter

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# Excel refuses a row taller than this many points.
MAX_ROW_HEIGHT = 409.0
# Text Excel would take for a number, and so flag as a number stored as text: "2000", "00",
# "1.0", "-5", "1,234", "1e5", "50%" (leading and trailing spaces allowed).
_NUMBER_LIKE = re.compile(r"\s*[-+]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?%?\s*")
_PAGE_MARGINS = '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>'


def escape(text: str) -> str:
    # A carriage return in content would be read back as a line feed: written as a reference.
    return xmltext.escape(text, "XLSX").replace("\r", "&#13;")


def escape_attribute(value: str) -> str:
    return xmltext.escape_attribute(value, "XLSX")


def looks_like_number(text: str) -> bool:
    return _NUMBER_LIKE.fullmatch(text) is not None


@dataclass
class Sheet:
    """One worksheet being written: its rows as text, and what its other elements need."""

    widths: tuple[float, ...]  # column widths, in characters
    rows: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)  # <hyperlink> elements
    url_targets: list[str] = field(default_factory=list)  # external link targets, rId1, rId2, ...
    number_like: list[str] = field(default_factory=list)  # references of text cells that look like numbers
    last_row: int = 0
    last_column: int = 1

    def row(self, number: int, height: float, cells: Iterable[str]) -> None:
        height = min(round(height, 2), MAX_ROW_HEIGHT)
        self.rows.append(f'<row r="{number}" ht="{height:g}" customHeight="1">{"".join(cells)}</row>')
        self.last_row = number

    def text(self, reference: str, style: int, text: str) -> str:
        if looks_like_number(text):
            self.number_like.append(reference)
        space = ' xml:space="preserve"' if text.strip() and text != text.strip() else ""
        return f'<c r="{reference}" s="{style}" t="inlineStr"><is><t{space}>{escape(text)}</t></is></c>'

    @staticmethod
    def number(reference: str, style: int, value: int | float) -> str:
        return f'<c r="{reference}" s="{style}" t="n"><v>{value!r}</v></c>'

    def url(self, reference: str, url: str) -> None:
        self.url_targets.append(url)
        self.links.append(f'<hyperlink ref="{reference}" r:id="rId{len(self.url_targets)}"/>')

    def location(self, reference: str, location: str) -> None:
        """A link inside the workbook: it needs no relationship."""
        self.links.append(f'<hyperlink ref="{reference}" location="{escape_attribute(location)}"/>')

    def xml(self, page: str, *, frozen_header: bool = False, drawing: bool = False) -> bytes:
        """The worksheet part; `page` is the print setup (print_setup()); `drawing`: the sheet's
        relationships end with its drawing's, after those of its external links."""
        columns = max(self.last_column, len(self.widths))
        used = f"A1:{column_letter(columns)}{max(self.last_row, 1)}"
        if frozen_header:
            view = (
                '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
            )
        else:
            view = '<selection activeCell="A1" sqref="A1"/>'
        cols = "".join(
            f'<col min="{index}" max="{index}" width="{width:g}" customWidth="1"/>'
            for index, width in enumerate(self.widths, start=1)
        )
        parts = [
            f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">',
            '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>',
            f'<dimension ref="{used}"/>',
            f'<sheetViews><sheetView workbookViewId="0">{view}</sheetView></sheetViews>',
            '<sheetFormatPr baseColWidth="8" defaultRowHeight="15"/>',
            f"<cols>{cols}</cols>",
            f"<sheetData>{''.join(self.rows)}</sheetData>",
            f'<autoFilter ref="{used}"/>' if frozen_header else "",
            f"<hyperlinks>{''.join(self.links)}</hyperlinks>" if self.links else "",
            page,
        ]
        if self.number_like:
            parts.append(f'<ignoredErrors><ignoredError sqref="{" ".join(self.number_like)}" numberStoredAsText="1"/></ignoredErrors>')
        if drawing:
            parts.append(f'<drawing r:id="{self.drawing_id}"/>')
        parts.append("</worksheet>")
        return "".join(parts).encode()

    @property
    def drawing_id(self) -> str:
        """The drawing's relationship id: after every external link's (rId1 ... rIdN)."""
        return f"rId{len(self.url_targets) + 1}"

    def relationships(self, drawing: str | None) -> bytes | None:
        """The sheet's relationships part: its external links, then its drawing; None if neither."""
        entries = [
            f'<Relationship Id="rId{index}" Type="{REL_NS}/hyperlink" Target="{escape_attribute(url)}" TargetMode="External"/>'
            for index, url in enumerate(self.url_targets, start=1)
        ]
        if drawing is not None:
            entries.append(f'<Relationship Id="{self.drawing_id}" Type="{REL_NS}/drawing" Target="/{drawing}"/>')
        if not entries:
            return None
        return relationships(entries)


def relationships(entries: Iterable[str]) -> bytes:
    return f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{"".join(entries)}</Relationships>'.encode()


def print_setup(orientation: str, header: tuple[str, str], footer: tuple[str, str, str]) -> str:
    """Margins, US Letter one page wide, and the running header (left, right) and footer
    (left, centre, right), each already in header/footer code (see header_text())."""
    header_codes = f"&L{header[0]}&R{header[1]}"
    footer_codes = "".join(f"&{side}{text}" for side, text in zip("LCR", footer) if text)
    return (
        _PAGE_MARGINS
        + f'<pageSetup paperSize="1" orientation="{orientation}" fitToWidth="1" fitToHeight="0"/>'
        + f"<headerFooter><oddHeader>{escape(header_codes)}</oddHeader><oddFooter>{escape(footer_codes)}</oddFooter></headerFooter>"
    )
