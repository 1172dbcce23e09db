"""Real clients for the deliverables: LibreOffice and poppler, driven from tests.

Locally a missing tool skips its tests with the install command as the reason;
in CI (REQUIRE_OFFICE_TOOLS=1) a missing tool fails them, so nothing is skipped silently.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
from pathlib import Path

import pytest

PACKAGES = {"soffice": "libreoffice-writer-nogui libreoffice-calc-nogui", "pdftoppm": "poppler-utils",
            "pdffonts": "poppler-utils", "pdftotext": "poppler-utils"}

# Field separator, quote, UTF-8, from line 1, no cell formats, default language, quote only
# when needed, detect special numbers, SAVE CELL CONTENTS AS SHOWN, no formulas, keep spaces,
# every sheet to its own file-SheetName.csv.
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"


def tool(name: str) -> str:
    """The tool's path, or skip (fail in CI) naming the Debian package that brings it."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed: apt-get install {PACKAGES[name]}"
        if os.environ.get("REQUIRE_OFFICE_TOOLS"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def soffice_convert(source: Path, target_filter: str, outdir: Path) -> None:
    profile = (outdir / "lo-profile").as_uri()  # a private profile: concurrent runs do not collide
    subprocess.run(
        [tool("soffice"), f"-env:UserInstallation={profile}", "--headless", "--convert-to", target_filter,
         "--outdir", str(outdir), str(source)],
        check=True, capture_output=True, timeout=300,
    )


def libreoffice_csv(data: bytes, workdir: Path) -> dict[str, list[list[str]]]:
    """Sheet name -> rows as LibreOffice Calc displays them."""
    source = workdir / "book.xlsx"
    source.write_bytes(data)
    soffice_convert(source, CSV_FILTER, workdir / "csv")
    sheets = {}
    for path in sorted((workdir / "csv").glob("book-*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            sheets[path.stem.removeprefix("book-")] = list(csv.reader(handle))
    return sheets


def libreoffice_pdf(data: bytes, suffix: str, workdir: Path) -> Path:
    """Lay a DOCX or XLSX out in LibreOffice and return the PDF it prints."""
    source = workdir / f"doc{suffix}"
    source.write_bytes(data)
    soffice_convert(source, "pdf", workdir)
    return workdir / "doc.pdf"


def pdf_text(path: Path) -> str:
    return subprocess.run([tool("pdftotext"), str(path), "-"], check=True, capture_output=True,
                          text=True).stdout
