"""Read the native charts back out of a DOCX or XLSX package, following its relationships.

Independent of the writers: it knows only OPC relationships and the DrawingML chart schema.
A DOCX chart is found from the body's `w:drawing/.../c:chart`, an XLSX chart from each
sheet's `<drawing>`; either way the result is what a chart reader sees.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass

from lxml import etree

NS = {
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "xdr": "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing",
    "s": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
_R_ID = f"{{{NS['r']}}}id"


@dataclass(frozen=True)
class SeriesRead:
    name: str
    name_formula: str | None
    categories: list[str]
    category_formula: str | None
    values: list[float | None]  # None where the cache has no point: a gap
    value_formula: str | None
    format_code: str
    fill: str | None


@dataclass(frozen=True)
class ChartRead:
    part: str  # the chart part's name in the zip
    kind: str  # "bar", "column" or "line"
    title: str
    axis_titles: list[str]  # category axis, then value axis; only those that have one
    series: list[SeriesRead]
    label_format: str | None  # the data labels' number format
    workbook: str | None  # the embedded workbook's part name (DOCX)
    description: str | None  # the alternative text of the drawing that places the chart


class Package:
    def __init__(self, data: bytes) -> None:
        self.zip = zipfile.ZipFile(io.BytesIO(data))

    def xml(self, name: str):
        return etree.fromstring(self.zip.read(name))

    def related(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationship id -> (type, target part name) of `part`."""
        folder, file = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", file + ".rels")
        if rels not in self.zip.namelist():
            return {}
        return {
            rel.get("Id"): (rel.get("Type"), _target(folder, rel.get("Target")))
            for rel in self.xml(rels).findall("rel:Relationship", NS)
        }


def _target(folder: str, target: str) -> str:
    """A relationship's target as a part name: relative to the source's folder, or absolute."""
    if target.startswith("/"):
        return target[1:]
    return posixpath.normpath(posixpath.join(folder, target))


def docx_charts(data: bytes) -> list[ChartRead]:
    package = Package(data)
    body = package.xml("word/document.xml")
    rels = package.related("word/document.xml")
    charts = []
    for inline in body.iterfind(".//wp:inline", NS):
        chart = inline.find(".//c:chart", NS)
        if chart is not None:
            description = inline.find("wp:docPr", NS).get("descr")
            charts.append(_chart(package, rels[chart.get(_R_ID)][1], description))
    return charts


def xlsx_charts(data: bytes) -> dict[str, list[ChartRead]]:
    """Sheet name -> the charts its drawing holds."""
    package = Package(data)
    workbook_rels = package.related("xl/workbook.xml")
    found = {}
    for sheet in package.xml("xl/workbook.xml").iterfind(".//s:sheet", NS):
        part = workbook_rels[sheet.get(_R_ID)][1]
        drawing = package.xml(part).find("s:drawing", NS)
        if drawing is None:
            continue
        drawing_part = package.related(part)[drawing.get(_R_ID)][1]
        drawing_rels = package.related(drawing_part)
        charts = []
        for frame in package.xml(drawing_part).iterfind(".//xdr:graphicFrame", NS):
            chart = frame.find(".//c:chart", NS)
            description = frame.find("xdr:nvGraphicFramePr/xdr:cNvPr", NS).get("descr")
            charts.append(_chart(package, drawing_rels[chart.get(_R_ID)][1], description))
        found[sheet.get("name")] = charts
    return found


def _chart(package: Package, part: str, description: str | None) -> ChartRead:
    space = package.xml(part)
    plot = space.find("c:chart/c:plotArea", NS)
    bar = plot.find("c:barChart", NS)
    if bar is not None:
        kind = "bar" if bar.find("c:barDir", NS).get("val") == "bar" else "column"
        group = bar
    else:
        kind, group = "line", plot.find("c:lineChart", NS)
    external = space.find("c:externalData", NS)
    workbook = package.related(part)[external.get(_R_ID)][1] if external is not None else None
    labels = group.find("c:ser/c:dLbls/c:numFmt", NS)
    return ChartRead(
        part=part,
        kind=kind,
        title=_rich_text(space.find("c:chart/c:title", NS)),
        axis_titles=[_rich_text(t) for t in plot.findall("*/c:title", NS)],
        series=[_series(ser) for ser in group.findall("c:ser", NS)],
        label_format=labels.get("formatCode") if labels is not None else None,
        workbook=workbook,
        description=description,
    )


def _rich_text(title) -> str:
    return "".join(t.text or "" for t in title.iterfind(".//a:t", NS))


def _series(ser) -> SeriesRead:
    name_ref = ser.find("c:tx/c:strRef", NS)
    name = "".join(v.text for v in ser.iterfind("c:tx//c:v", NS))
    cat = ser.find("c:cat", NS)
    val = ser.find("c:val", NS)
    count = int(val.find(".//c:ptCount", NS).get("val"))
    points = {int(pt.get("idx")): float(pt.find("c:v", NS).text) for pt in val.iterfind(".//c:pt", NS)}
    fill = ser.find("c:spPr//a:srgbClr", NS)
    return SeriesRead(
        name=name,
        name_formula=name_ref.find("c:f", NS).text if name_ref is not None else None,
        categories=[v.text for v in cat.iterfind(".//c:pt/c:v", NS)],
        category_formula=_formula(cat),
        values=[points.get(i) for i in range(count)],
        value_formula=_formula(val),
        format_code=val.find(".//c:formatCode", NS).text,
        fill=fill.get("val") if fill is not None else None,
    )


def _formula(element) -> str | None:
    f = element.find(".//c:f", NS)
    return f.text if f is not None else None


@dataclass(frozen=True)
class Bar:
    page: int
    x: float
    top: float
    width: float
    height: float
    color: str  # RGB hex


def pdf_bars(data: bytes, colors: set[str], longest: float = 400.0) -> list[Bar]:
    """The filled shapes in `colors` that can be a chart's bars, in drawing order: larger than
    a legend swatch, shorter than a table's header row (`longest` points)."""
    import pdfplumber

    bars = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            shapes = sorted(page.rects + page.curves, key=lambda o: o.get("object_index", 0))
            for shape in shapes:
                color = _hex(shape.get("non_stroking_color")) if shape.get("fill") else None
                if color in colors and min(shape["width"], shape["height"]) > 8 and max(shape["width"], shape["height"]) < longest:
                    bars.append(Bar(number, shape["x0"], shape["top"], shape["width"], shape["height"], color))
    return bars


def _hex(color) -> str | None:
    if not isinstance(color, (list, tuple)) or len(color) != 3:
        return None
    return "".join(f"{round(channel * 255):02X}" for channel in color)
