"""The coding review's corrections to the 89253 report, read back from the built DOCX, PDF and XLSX."""

from __future__ import annotations

import pytest

from tests import readback_docx, readback_pdf, readback_xlsx
from tests.built import FORMATS, ROOT, Built

SPEC = ROOT / "specs" / "89253.yaml"

# Texts of table cells: printed in every format.
IN_TABLES = [
    "Do not use: 00 is not a CPT or HCPCS Level II modifier. 89253 is reported with no modifier when none applies.",
    "Not on the same claim line as GA or GZ (Noridian).",
    "Provider newsletter, June 2019: precertification is required “for certain infertility services, such as IUI "
    "and ART, when a participating provider gives the service”. Not a general rule.",
    "Third-party summary of CPB 0327 (d3rx; not Aetna's own text)",
    "The third-party summary (d3rx) gives the policy's effective date as 2026-01-01.",
    "Highmark (West Virginia) policy U-5-007, effective 2011-01-31: assisted fertilization services “are generally "
    "excluded from standard medical-surgical contracts and are not eligible for reimbursement”.",
    "A payment list, not a coverage policy.",
    "in the version effective 2021-07-01 (a later version may differ)",
    "lists the Optum “Fertility Solutions Medical Necessity Clinical Guideline: Infertility” as its related clinical guideline",
    "Live birth adjusted odds ratio, assisted hatching vs none, day-3 transfers (fresh autologous cycles)",
    "Live birth adjusted odds ratio, assisted hatching vs none, day-5 transfers (fresh autologous cycles)",
    "Monozygotic twinning, first fresh cycles with assisted hatching",
    "Monozygotic twinning, first fresh cycles without assisted hatching",
    "Live birth odds ratio, assisted hatching vs none (Cochrane 2021; the 14 RCTs that reported live birth; 95% CI 0.92–1.29)",
]
# Rows of the benchmarks table: metric -> (value, source as printed, with its number).
NEW_FIGURES = {
    "Live birth adjusted odds ratio, assisted hatching vs none, day-3 transfers (fresh autologous cycles)": "0.8",
    "Live birth adjusted odds ratio, assisted hatching vs none, day-5 transfers (fresh autologous cycles)": "0.7",
    "Monozygotic twinning, first fresh cycles with assisted hatching": "2.3%",
    "Monozygotic twinning, first fresh cycles without assisted hatching": "1.2%",
}
# Narrative: printed in DOCX and PDF.
IN_TEXT = [
    "Benchmarks: Utilization, Prices and Clinical Outcomes",
    "Utilization, prices and clinical outcomes, each with its source.",
    "39 RCTs with 7,249 women in all, of which 14 RCTs reported live birth.",
    "The review rates the evidence “very low to low” quality across outcomes.",
    "GA applies with a valid ABN, or GZ without one.",
    "Noridian: GA, GY and GZ do not go together on one claim line.",
    "Aetna's June 2019 provider newsletter says precertification is required for certain infertility services, "
    "such as IUI and ART, when a participating provider gives the service",
]
# The errors the review found: no format may print them.
GONE = [
    "commonly billed with modifier GY when excluded",
    "Rarely used for this procedure",
    "Aetna requires precertification for ART",
    "refers medical-necessity review",
    "low quality)",
    "39 RCTs, 7,249 women",
    "tx_op_clinical_ref",
]


def texts(fmt: str, data: bytes) -> str:
    if fmt == "xlsx":
        return " ".join(cell for table in readback_xlsx.read_tables(data).values() for row in table for cell in row)
    reader = readback_docx if fmt == "docx" else readback_pdf
    cells = [cell for table in reader.read_tables(data) for row in table for cell in row]
    narrative = readback_docx.read_paragraphs(data) if fmt == "docx" else [readback_pdf.read_text(data)]
    return " ".join(" ".join(narrative + cells).split())


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_corrected_cells_read_back(build_once: Built, fmt: str) -> None:
    found = texts(fmt, build_once(SPEC)[fmt])
    assert [text for text in IN_TABLES if text not in found] == []
    assert [text for text in GONE if text in found] == []


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_the_corrected_narrative_reads_back(build_once: Built, fmt: str) -> None:
    found = texts(fmt, build_once(SPEC)[fmt])
    assert [text for text in IN_TEXT if text not in found] == []


def test_the_new_figures_sit_beside_the_old_with_their_source(build_once: Built) -> None:
    rows = readback_xlsx.read_tables(build_once(SPEC)["xlsx"])["Benchmarks"]
    shown = {row[0]: (row[1], row[3]) for row in rows[1:]}
    kissin = shown["Fresh autologous cycles with assisted hatching"][1]
    sart = shown["First fresh cycles with assisted hatching"][1]
    assert kissin.startswith("CDC national ART surveillance") and sart.startswith("SART registry")
    for metric, value in NEW_FIGURES.items():
        source = kissin if "odds ratio" in metric else sart
        assert shown[metric] == (value, source)
