"""A report's charts in the DOCX: native chart parts, as Word writes them, placed inline.

Each chart is a DrawingML chart part (chartml.py) with its embedded workbook for Word's
"Edit Data", related from the document and named in the content types; the body holds an
inline `w:drawing` whose `c:chart` points at the part, with the chart's alternative text.
"""

from __future__ import annotations

from datetime import datetime

from generator.document.model import Chart
from generator.writers import chartml
from generator.writers.docx import chart_workbook, wordml
from generator.writers.theme import Theme

_FIRST_DRAWING_ID = 1000  # docPr ids of charts; the masthead's logo picture takes a small one


class Charts:
    """The charts of one report: their drawings in the body, and the parts they add to the package."""

    def __init__(self, theme: Theme, timestamp: datetime) -> None:
        self._theme = theme
        self._timestamp = timestamp
        self._charts: list[Chart] = []

    def drawing(self, chart: Chart) -> str:
        """The paragraph holding the chart, inline, at the text width's left edge."""
        self._charts.append(chart)
        number = len(self._charts)
        width, height = chartml.chart_size(chart)
        name = wordml.escape_attribute(f"Chart {number}")
        graphic = (
            '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
            '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">'
            '<c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart"'
            f' r:id="{_relationship_id(number)}"/></a:graphicData></a:graphic>'
        )
        inline = (
            f'<wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{width}" cy="{height}"/>'
            '<wp:effectExtent l="0" t="0" r="0" b="0"/>'
            f'<wp:docPr id="{_FIRST_DRAWING_ID + number}" name="{name}"'
            f' descr="{wordml.escape_attribute(chart.alt_text)}" title="{wordml.escape_attribute(chart.title)}"/>'
            f"<wp:cNvGraphicFramePr/>{graphic}</wp:inline>"
        )
        # Single, automatic line spacing: under the body style's exact leading, Word and LibreOffice
        # would give the drawing one line's height and draw it over the text above.
        spacing = '<w:spacing w:before="120" w:after="120" w:line="240" w:lineRule="auto"/>'
        return wordml.paragraph(f"<w:r><w:drawing>{inline}</w:drawing></w:r>", spacing)

    def relationships(self) -> str:
        """The document's relationships to the chart parts."""
        return "".join(
            f'<Relationship Id="{_relationship_id(n)}" Type="{chartml.RELATIONSHIP_TYPE}" Target="charts/chart{n}.xml"/>'
            for n in range(1, len(self._charts) + 1)
        )

    def parts(self) -> dict[str, bytes]:
        """Each chart part, its relationships and its embedded workbook."""
        parts: dict[str, bytes] = {}
        for number, chart in enumerate(self._charts, start=1):
            categories, series = chart_workbook.chart_cells(chart)
            parts[f"word/charts/chart{number}.xml"] = chartml.chart_space(chart, self._theme, categories, series, "rId1")
            parts[f"word/charts/_rels/chart{number}.xml.rels"] = _chart_relationships(number)
            parts[_workbook_name(number)] = chart_workbook.chart_workbook(chart, self._timestamp)
        return parts

    def content_types(self, types: bytes) -> bytes:
        """The package's content types with the chart parts and the embedded workbooks named."""
        if not self._charts:
            return types
        added = f'<Default Extension="xlsx" ContentType="{chart_workbook.CONTENT_TYPE}"/>' + "".join(
            f'<Override PartName="/word/charts/chart{n}.xml" ContentType="{chartml.CONTENT_TYPE}"/>'
            for n in range(1, len(self._charts) + 1)
        )
        head, end, tail = types.rpartition(b"</Types>")
        if not end:
            raise RuntimeError("python-docx no longer writes '</Types>': the chart content types cannot be added")
        return head + added.encode() + end + tail


def _relationship_id(number: int) -> str:
    return f"rIdChart{number}"  # a name of its own: the hyperlinks are numbered rId<n>


def _workbook_name(number: int) -> str:
    return f"word/embeddings/Microsoft_Excel_Worksheet{number}.xlsx"


def _chart_relationships(number: int) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{chart_workbook.RELATIONSHIP_TYPE}"'
        f' Target="../embeddings/Microsoft_Excel_Worksheet{number}.xlsx"/></Relationships>'
    ).encode()
