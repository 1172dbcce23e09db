"""Charts: composed from the benchmark rows they name, and written as native charts into DOCX and XLSX.

Every expectation is computed from the spec (its benchmark rows found by metric and
period), not from the document model the writers draw.
"""

from __future__ import annotations

import io
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import openpyxl
import pikepdf
import pytest
import yaml

from generator.document.compose import compose
from generator.document.model import Chart, Document, Paragraph
from generator.spec import load_spec
from generator.spec.model import Benchmark, Spec, Unit
from generator.spec.validate import validate
from generator.writers import RenderOptions, render
from generator.writers.theme import THEME
from tests.built import ROOT, Built
from tests.office_tools import libreoffice_pdf
from tests.oracle import expected_tables
from tests.readback_charts import NS, Bar, ChartRead, Package, docx_charts, pdf_bars, xlsx_charts
from tests.readback_pdf import read_page_texts

SPEC = ROOT / "specs" / "89253.yaml"
WHEN = datetime(2026, 1, 1, tzinfo=timezone.utc)
BRAND = "1F4E79"  # the house theme's brand colour: the first series' fill


def spec_of(path: Path) -> Spec:
    return load_spec(path).spec


def rows_of(spec: Spec, chart_id: str) -> list[list[Benchmark]]:
    """The benchmark rows of each series of the chart, found by metric and period."""
    chart = next(c for c in spec.charts if c.id == chart_id)
    return [
        [next(b for b in spec.benchmarks if (b.metric, b.period) == (r.metric, r.period)) for r in s.rows]
        for s in chart.series
    ]


def stored(benchmark: Benchmark) -> float | None:
    """The number a spreadsheet stores for the row: a percentage as a fraction."""
    if benchmark.value is None:
        return None
    value = float(benchmark.value)
    return value / 100 if benchmark.unit is Unit.PERCENT else value


# ---------------------------------------------------------------- the spec and the model


def test_the_89253_spec_charts_its_sourced_benchmarks() -> None:
    spec = spec_of(SPEC)
    assert [c.id for c in spec.charts] == ["hatching-cycles", "hatching-shares", "hospital-rates"]
    cycles = rows_of(spec, "hatching-cycles")
    assert [[(b.period, b.value) for b in s] for s in cycles] == [[("2000", 25724), ("2010", 35518)]]
    shares = rows_of(spec, "hatching-shares")
    assert [[b.value for b in s] for s in shares] == [[Decimal("50.7"), Decimal("56.3")], [Decimal("15.9"), Decimal("22.8")]]
    rates = rows_of(spec, "hospital-rates")
    assert [[b.metric.split("— ")[1].split(" (")[0] for b in s] for s in rates] == [["Grady", "Intermountain", "Novant Presbyterian"]] * 2
    assert all("minimum" in b.metric for b in rates[0]) and all("maximum" in b.metric for b in rates[1])


def test_the_alt_text_names_the_kind_the_title_and_every_value() -> None:
    charts = {c.id: c for c in compose(spec_of(SPEC)).charts}
    assert charts["hatching-cycles"].alt_text == (
        "Column chart: Fresh autologous cycles with assisted hatching, 2000: 25,724; 2010: 35,518"
    )
    assert charts["hatching-shares"].alt_text.endswith(
        "Day-3 transfers: 2000: 50.7%; 2010: 56.3%. Day-5 transfers: 2000: 15.9%; 2010: 22.8%"
    )
    assert "Grady: $170.50; Intermountain: $164.28; Novant Presbyterian: $165.56" in charts["hospital-rates"].alt_text


def test_the_table_stays_and_each_chart_follows_its_placement() -> None:
    document = compose(spec_of(SPEC))
    kinds = [type(b).__name__ for b in document.blocks]
    benchmarks = next(i for i, b in enumerate(document.blocks) if getattr(b, "id", None) == "benchmarks")
    assert kinds[benchmarks + 1 : benchmarks + 4] == ["Chart", "Chart", "Chart"]
    points = [p for c in document.charts for s in c.series for p in s.points]
    table = document.blocks[benchmarks]
    # Each point is the table's row it names: the same text, from the Value column.
    assert all(table.rows[p.row][1].text == p.text for p in points)


def _spec_with(text: str) -> Spec:
    spec, errors, _ = validate(yaml.compose(text))
    assert spec is not None, errors
    return spec


GAP_SPEC = """\
code: "89253"
title: Gaps
version: "1.0"
as_of: 2026-11-26
sections:
  - title: One
    body: [Text.]
benchmarks:
  - {metric: Rate, value: 10.5, unit: usd, period: "2024"}
  - {metric: Rate, value: null, unit: usd, period: "2025"}
  - {metric: Rate, value: 12, unit: usd, period: "2026"}
charts:
  - id: rates
    title: Rates
    kind: line
    series:
      - rows: [{metric: Rate, period: "2024"}, {metric: Rate, period: "2025"}, {metric: Rate, period: "2026"}]
"""


def test_a_missing_value_is_a_gap_and_the_document_says_so() -> None:
    document = compose(_spec_with(GAP_SPEC))
    chart = document.charts[0]
    assert [p.value for p in chart.series[0].points] == [Decimal("10.5"), None, Decimal("12")]
    assert chart.alt_text == "Line chart: Rates, 2024: $10.50; 2025: Data not available in the input.; 2026: $12.00"
    after = document.blocks[document.blocks.index(chart) + 1]
    assert isinstance(after, Paragraph) and after.missing
    assert after.text == "Not plotted in “Rates” (2025): Data not available in the input."


def test_an_unplaced_chart_gets_a_closing_section() -> None:
    document = compose(_spec_with(GAP_SPEC))
    titles = [b.text for b in document.blocks if type(b).__name__ == "Heading" and b.level == 1]
    assert "Charts" in titles
    heading = next(i for i, b in enumerate(document.blocks) if getattr(b, "text", None) == "Charts")
    assert isinstance(document.blocks[heading + 1], Chart)
    assert titles.index("Charts") > titles.index("Benchmarks")


# ---------------------------------------------------------------- DOCX


@pytest.fixture(scope="module")
def docx_read(build_once: Built) -> tuple[bytes, list[ChartRead]]:
    data = build_once(SPEC)["docx"]
    return data, docx_charts(data)


def expect_chart(read: ChartRead, spec: Spec, chart_id: str) -> None:
    """The chart read back plots exactly the spec's rows: kind, title, categories, names, values."""
    chart = next(c for c in spec.charts if c.id == chart_id)
    rows = rows_of(spec, chart_id)
    categories = list(chart.categories) or [r.period for r in chart.series[0].rows]
    assert read.kind == chart.kind.value
    assert read.title == chart.title
    assert read.axis_titles == [t for t in (chart.category_axis, chart.value_axis) if t]
    assert [s.name for s in read.series] == [s.name or s.rows[0].metric for s in chart.series]
    for series, benchmarks in zip(read.series, rows, strict=True):
        assert series.categories == categories
        assert series.values == pytest.approx([stored(b) for b in benchmarks])
    assert read.series[0].fill == BRAND


def test_the_docx_holds_each_chart_as_a_native_chart_part(docx_read: tuple[bytes, list[ChartRead]]) -> None:
    data, charts = docx_read
    spec = spec_of(SPEC)
    assert len(charts) == len(spec.charts)
    for read, chart in zip(charts, spec.charts):
        expect_chart(read, spec, chart.id)
    document = compose(spec)
    assert [c.description for c in charts] == [c.alt_text for c in document.charts]
    assert charts[1].label_format == "#,##0.0%" and charts[2].label_format == '"$"#,##0.00'
    types = Package(data).xml("[Content_Types].xml")
    overrides = {o.get("PartName"): o.get("ContentType") for o in types}
    for read in charts:
        assert overrides["/" + read.part] == "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
    assert any(o.get("Extension") == "xlsx" for o in types)


def test_word_edits_the_chart_data_in_its_embedded_workbook(docx_read: tuple[bytes, list[ChartRead]]) -> None:
    data, charts = docx_read
    package = Package(data)
    for read in charts:
        book = openpyxl.load_workbook(io.BytesIO(package.zip.read(read.workbook)))
        for series in read.series:
            assert _cells(book, series.value_formula) == pytest.approx(series.values)
            assert _cells(book, series.category_formula) == series.categories
            assert _cells(book, series.name_formula) == [series.name]
        # The cells show the numbers as the chart's labels do.
        first = _cell_objects(book, read.series[0].value_formula)[0]
        assert first.number_format == read.label_format


def _cell_objects(book: openpyxl.Workbook, formula: str) -> list:
    """The cells a chart formula names: one range, or a union like (S!$B$2,S!$B$4)."""
    found = []
    for part in formula.strip("()").split(","):
        sheet, _, ref = part.partition("!")
        cells = book[sheet.strip("'")][ref.replace("$", "")]
        rows = cells if isinstance(cells, tuple) else ((cells,),)
        found += [cell for row in rows for cell in (row if isinstance(row, tuple) else (row,))]
    return found


def _cells(book: openpyxl.Workbook, formula: str) -> list:
    return [cell.value for cell in _cell_objects(book, formula)]


def test_a_gap_is_left_out_of_the_docx_chart() -> None:
    document = compose(_spec_with(GAP_SPEC))
    data = render("docx", document, RenderOptions(timestamp=WHEN))
    (read,) = docx_charts(data)
    assert read.kind == "line"
    assert read.series[0].values == [10.5, None, 12.0]
    assert read.series[0].categories == ["2024", "2025", "2026"]


# ---------------------------------------------------------------- XLSX


def test_the_xlsx_charts_plot_the_benchmarks_sheet_cells(build_once: Built) -> None:
    data = build_once(SPEC)["xlsx"]
    spec = spec_of(SPEC)
    charts = xlsx_charts(data)
    assert list(charts) == ["Benchmarks"]  # only the sheet whose rows they plot holds them
    read = charts["Benchmarks"]
    assert len(read) == len(spec.charts)
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["Benchmarks"]
    header = [cell.value for cell in sheet[1]]
    for chart, got in zip(spec.charts, read):
        expect_chart(got, spec, chart.id)
        for series, benchmarks in zip(got.series, rows_of(spec, chart.id)):
            cells = _cell_objects(book, series.value_formula)
            # The formula names the Value cells of exactly the rows the spec picks, in order ...
            assert [c.column for c in cells] == [header.index("Value") + 1] * len(benchmarks)
            assert [sheet.cell(c.row, header.index("Metric") + 1).value for c in cells] == [b.metric for b in benchmarks]
            assert [sheet.cell(c.row, header.index("Period") + 1).value for c in cells] == [b.period or spec.missing_text for b in benchmarks]
            # ... and the cells hold the numbers the chart's cache holds, shown in the labels' format.
            assert [c.value for c in cells] == pytest.approx(series.values)
            assert {c.number_format for c in cells} == {got.label_format}
    docx = docx_charts(build_once(SPEC)["docx"])
    # The DOCX and the XLSX draw one chart: same numbers, labels, formats and colours.
    for in_xlsx, in_docx in zip(read, docx):
        assert in_xlsx.description == in_docx.description
        assert in_xlsx.label_format == in_docx.label_format
        for a, b in zip(in_xlsx.series, in_docx.series):
            assert (a.name, a.categories, a.values, a.format_code, a.fill) == (b.name, b.categories, b.values, b.format_code, b.fill)


def test_a_series_with_a_gap_keeps_its_numbers_without_a_formula() -> None:
    data = render("xlsx", compose(_spec_with(GAP_SPEC)), RenderOptions(timestamp=WHEN))
    ((read,),) = xlsx_charts(data).values()
    assert read.series[0].values == [10.5, None, 12.0]
    assert read.series[0].value_formula is None  # the text cell of the gap would plot as zero
    assert read.series[0].category_formula == "Benchmarks!$C$2:$C$4"


# ---------------------------------------------------------------- drawn: LibreOffice and our PDF


def expect_drawn_bars(bars: list[Bar], spec: Spec) -> None:
    """The bars, in drawing order chart by chart, are as long as the spec's values, to scale.

    A chart's bars are told apart by colour (series) and position (category): columns left
    to right, horizontal bars top-down. Every bar of one chart has the same points per unit,
    since the value axis starts at zero."""
    colors = [THEME.series_color(i) for i in range(2)]
    start = 0
    for chart in spec.charts:
        rows = rows_of(spec, chart.id)
        count = sum(len(series) for series in rows)
        mine = bars[start : start + count]
        start += count
        columns = chart.kind.value == "column"
        mine.sort(key=lambda b: (colors.index(b.color), b.x if columns else b.top))
        lengths = [b.height if columns else b.width for b in mine]
        values = [float(b.value) for series in rows for b in series]
        scales = [length / value for length, value in zip(lengths, values, strict=True)]
        assert max(scales) / min(scales) == pytest.approx(1.0, abs=0.015), (chart.id, lengths, values)
        assert [b.color for b in mine] == [colors[s] for s, series in enumerate(rows) for _ in series]
    assert start == len(bars)


def _first_drawing(bars: list[Bar]) -> list[Bar]:
    """Each bar once: LibreOffice prints a chart that straddles a page break on both pages."""
    seen, kept = set(), []
    for bar in bars:
        key = (round(bar.x, 1), round(bar.width, 1), round(bar.height, 1), bar.color)
        if key not in seen:
            seen.add(key)
            kept.append(bar)
    return kept


SERIES_COLORS = {THEME.series_color(0), THEME.series_color(1)}


def charts_only(fmt: str) -> bytes:
    """The report's charts alone in `fmt`: no table's header cells share the bars' colour."""
    document = compose(spec_of(SPEC))
    return render(fmt, Document(document.metadata, document.charts), RenderOptions(timestamp=WHEN))


def test_libreoffice_draws_the_docx_charts(tmp_path: Path) -> None:
    pdf = libreoffice_pdf(charts_only("docx"), ".docx", tmp_path)
    expect_drawn_bars(pdf_bars(pdf.read_bytes(), SERIES_COLORS), spec_of(SPEC))


def test_libreoffice_draws_the_xlsx_charts(build_once: Built, tmp_path: Path) -> None:
    pdf = libreoffice_pdf(build_once(SPEC)["xlsx"], ".xlsx", tmp_path)
    expect_drawn_bars(_first_drawing(pdf_bars(pdf.read_bytes(), SERIES_COLORS)), spec_of(SPEC))


def test_the_pdf_draws_the_charts_as_vectors(build_once: Built) -> None:
    expect_drawn_bars(pdf_bars(charts_only("pdf"), SERIES_COLORS), spec_of(SPEC))
    text = " ".join(read_page_texts(build_once(SPEC)["pdf"]))
    for chart in compose(spec_of(SPEC)).charts:
        assert chart.title in text
        for series in chart.series:
            assert all(point.text in text for point in series.points)


def test_each_xlsx_chart_starts_a_printed_page_under_the_table(build_once: Built) -> None:
    package = Package(build_once(SPEC)["xlsx"])
    sheet_part = next(p for p in package.zip.namelist() if p.startswith("xl/worksheets/sheet") and b"<drawing" in package.zip.read(p))
    sheet = package.xml(sheet_part)
    (drawing_part,) = [target for _, target in package.related(sheet_part).values()]
    rows = [int(r.text) for r in package.xml(drawing_part).iterfind(".//xdr:from/xdr:row", NS)]
    table_rows = len(spec_of(SPEC).benchmarks)
    assert rows[0] > table_rows and rows == sorted(rows)  # under the header and the table's rows
    breaks = [int(b.get("id")) for b in sheet.iterfind("s:rowBreaks/s:brk", NS)]
    assert breaks == rows  # 0-based anchor row == the 1-based row a manual break follows


def test_the_pdf_tags_each_chart_as_a_figure_whose_alt_text_names_every_value(build_once: Built) -> None:
    spec = spec_of(SPEC)
    pdf = pikepdf.open(io.BytesIO(build_once(SPEC)["pdf"]))
    figures = []
    pending = [pdf.Root.StructTreeRoot.K]
    while pending:
        element = pending.pop()
        if isinstance(element, pikepdf.Array):
            pending.extend(element)
        elif isinstance(element, pikepdf.Dictionary) and "/S" in element:
            if element.S == pikepdf.Name.Figure and "/Alt" in element:
                figures.append(str(element.Alt))
            pending.extend([element.K] if "/K" in element else [])
    rows = expected_tables(SPEC)["benchmarks"][1:]  # the oracle's texts, as the table shows them
    for chart in spec.charts:
        alt = next(a for a in figures if chart.title in a)
        assert alt.startswith(f"{chart.kind.value.capitalize()} chart: {chart.title}")
        categories = list(chart.categories) or [r.period for r in chart.series[0].rows]
        for series in chart.series:
            for category, row in zip(categories, series.rows):
                period = row.period or spec.missing_text
                value = next(cells[1] for cells in rows if (cells[0], cells[2]) == (row.metric, period))
                assert f"{category}: {value}" in alt


def test_a_charted_sheet_with_a_linked_cell_keeps_both_its_links_and_its_charts(tmp_path: Path) -> None:
    """Relationship ids of a sheet's hyperlinks and of its drawing are distinct: openpyxl reads
    the workbook, the link goes where the cell says, the charts stay."""
    url = "https://www.cdc.gov/art/reports/index.html"
    text = (ROOT / "specs" / "89253.yaml").read_text(encoding="utf-8")
    path = tmp_path / "linked.yaml"
    path.write_text(text.replace("source: CDC national ART surveillance (Kissin et al., 2014)",
                                 f"source: CDC national ART surveillance, {url}", 1), encoding="utf-8")
    workbook_bytes = render("xlsx", compose(load_spec(path).spec), RenderOptions(timestamp=datetime(2026, 11, 26, tzinfo=timezone.utc)))
    workbook = openpyxl.load_workbook(io.BytesIO(workbook_bytes))  # raised KeyError: Unknown relationship
    sheet = workbook["Benchmarks"]
    assert [cell.hyperlink.target for row in sheet.iter_rows() for cell in row if cell.hyperlink] == [url]
    assert len(xlsx_charts(workbook_bytes)["Benchmarks"]) == 3  # the 89253 spec's three charts
