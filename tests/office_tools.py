"""Real clients for the deliverables: LibreOffice and poppler, driven from tests.

Locally a missing tool skips its tests with the install command as the reason;
in CI (REQUIRE_OFFICE_TOOLS=1) a missing tool fails them, so nothing is skipped silently.
LibreOffice converts each file once per test process (several tests lay out the same report),
with one profile per process: a fresh profile costs every conversion about 0.4 s more.
"""

from __future__ import annotations

import atexit
import csv
import functools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.readback_cache import by_bytes

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


@functools.cache
def _profile() -> str:
    """This process's LibreOffice profile, made at its first conversion and removed at exit:
    never shared with another process (a concurrent run, an xdist worker)."""
    folder = tempfile.mkdtemp(prefix="lo-profile-")
    atexit.register(shutil.rmtree, folder, True)
    return Path(folder).as_uri()


def soffice_convert(source: Path, target_filter: str, outdir: Path) -> None:
    subprocess.run(
        [tool("soffice"), f"-env:UserInstallation={_profile()}", "--headless", "--convert-to", target_filter,
         "--outdir", str(outdir), str(source)],
        check=True, capture_output=True, timeout=300,
    )


@by_bytes
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
    """Lay a DOCX or XLSX out in LibreOffice; the PDF it prints, as workdir/doc.pdf."""
    target = workdir / "doc.pdf"
    target.write_bytes(_printed(data, suffix, workdir))
    return target


@by_bytes
def _printed(data: bytes, suffix: str, workdir: Path) -> bytes:
    with tempfile.TemporaryDirectory(dir=workdir) as folder:
        source = Path(folder) / f"doc{suffix}"
        source.write_bytes(data)
        soffice_convert(source, "pdf", Path(folder))
        return (Path(folder) / "doc.pdf").read_bytes()


def pdf_text(path: Path) -> str:
    return subprocess.run([tool("pdftotext"), str(path), "-"], check=True, capture_output=True,
                          text=True).stdout
