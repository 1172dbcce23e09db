"""A title-block line without a value is marked missing in the model and set like a missing cell everywhere."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import datetime, timezone

import pdfplumber
import pytest

from generator.document.model import TitleBlock, TitleField
from generator.writers import RenderOptions, render
from generator.writers.theme import THEME
from tests.document_samples import MISSING, sample_document
from tests.readback_docx import open_docx, paragraph_text
from tests.readback_xlsx import load

TIMESTAMP = datetime(2026, 11, 26, 14, 30, 5, tzinfo=timezone.utc)

FIELDS = (
    TitleField("Version", "1.0"),
    TitleField("Prepared for", "Example Fertility Network"),
    TitleField("Prepared by", MISSING, missing=True),
)


@pytest.fixture(scope="module")
def files() -> dict[str, bytes]:
    sample = sample_document()
    title = sample.blocks[0]
    assert isinstance(title, TitleBlock)
    document = replace(sample, blocks=(replace(title, fields=FIELDS), *sample.blocks[1:]))
    return {fmt: render(fmt, document, RenderOptions(TIMESTAMP)) for fmt in ("docx", "pdf", "xlsx")}


def test_a_plain_pair_is_a_present_field() -> None:
    block = TitleBlock("T", None, (("Version", "1.0"),))
    assert block.fields == (TitleField("Version", "1.0", missing=False),)


def test_docx_sets_the_missing_value_grey_italic(files: dict[str, bytes]) -> None:
    body = open_docx(files["docx"]).element.body
    lines = {paragraph_text(p): p for p in body.xpath("./w:p")}
    for field in FIELDS:
        runs = lines[f"{field.label}: {field.text}"].xpath("./w:r")
        value = next(run for run in runs if run.xpath("string(./w:t)") == field.text)
        italic = bool(value.xpath("./w:rPr/w:i"))
        color = value.xpath("string(./w:rPr/w:color/@w:val)")
        assert (italic, color == THEME.missing_color) == (field.missing, field.missing), field
        label = runs[0]
        assert label.xpath("./w:rPr/w:b") and not label.xpath("./w:rPr/w:i")


def test_pdf_sets_the_missing_value_grey_italic(files: dict[str, bytes]) -> None:
    with pdfplumber.open(io.BytesIO(files["pdf"])) as pdf:
        page = pdf.pages[0]
        for field in FIELDS:
            (match,) = page.search(f"{field.label}: {field.text}", regex=False, return_chars=True)
            drawn = [char for char in match["chars"] if char["text"].strip()]
            value = drawn[-len(field.text.replace(" ", "")) :]  # the label's characters come first
            fonts = {char["fontname"].split("+")[-1] for char in value}
            colors = {tuple(round(v, 3) for v in char["non_stroking_color"]) for char in value}
            grey = tuple(round(int(THEME.missing_color[i : i + 2], 16) / 255, 3) for i in (0, 2, 4))
            if field.missing:
                assert (fonts, colors) == ({"Carlito-Italic"}, {grey}), field
            else:
                assert fonts == {"Carlito"} and grey not in colors, field


def test_xlsx_sets_the_missing_value_grey_italic(files: dict[str, bytes]) -> None:
    sheet = load(files["xlsx"])["Overview"]
    cells = {row[0].value: row[1] for row in sheet.iter_rows(max_col=2) if row[0].value in {f.label for f in FIELDS}}
    for field in FIELDS:
        cell = cells[field.label]
        assert cell.value == field.text
        assert (bool(cell.font.i), cell.font.color is not None and cell.font.color.rgb.endswith(THEME.missing_color)) == (
            field.missing, field.missing,
        ), field
