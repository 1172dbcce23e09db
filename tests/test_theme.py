"""Client themes: a theme file beside a spec brands its deliverables, and a bad one is one clear line.

Deliverables are built from a copy of a small spec in a temporary folder with the sample
theme of tests/fixtures/branding/ beside it, then read back: the brand colour in the DOCX
table shading, the PDF's filled rectangles and the XLSX header fill; the logo as an image
part, an image XObject and a sheet image; the theme file and logo in the manifest.
"""

from __future__ import annotations

import io
import json
import shutil
import struct
import zipfile
import zlib
from pathlib import Path

import pdfplumber
import pypdf
import pytest

from generator.pipeline.build import writer_theme
from generator.pipeline.manifest import MANIFEST_SUFFIX, theme_is_current
from generator.spec.theme import clean_image, load_theme, readable_text_color
from generator.writers.theme import THEME
from tests import readback_xlsx
from tests.cli import run_cli
from tests.readback_docx import open_docx

ROOT = Path(__file__).parent.parent
SPEC = ROOT / "tests" / "fixtures" / "dump_fixture.yaml"  # small; has payer policies and a benchmark source
BRANDING = ROOT / "tests" / "fixtures" / "branding"
BRAND = "0F6E5A"  # brand_color of tests/fixtures/branding/theme.yaml
LOGO_FILE = (BRANDING / "logo.png").read_bytes()
LOGO = clean_image(LOGO_FILE, "png")  # what every format embeds: the same pixels, no metadata
LOGO_SIZE = (480, 144)  # pixels
EPOCH = "1764115200"


@pytest.fixture(autouse=True)
def pinned_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def spec_folder(folder: Path, *stems: str) -> list[Path]:
    """Copies of the small spec, one per stem, in `folder` (created)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{stem}.yaml" for stem in stems]
    for path in paths:
        path.write_bytes(SPEC.read_bytes())
    return paths


def with_sample_theme(folder: Path, name: str = "theme.yaml") -> Path:
    shutil.copy(BRANDING / "logo.png", folder / "logo.png")
    target = folder / name
    target.write_bytes((BRANDING / "theme.yaml").read_bytes())
    return target


def build(spec: Path, out: Path, *formats: str) -> dict[str, bytes]:
    result = run_cli("build", spec, "-o", out, *(a for f in formats for a in ("--format", f)))
    assert result.status == 0, result.stderr
    return {fmt: (out / f"{spec.stem}.{fmt}").read_bytes() for fmt in formats or ("docx", "pdf", "xlsx")}


def manifest_of(out: Path, stem: str) -> dict:
    return json.loads((out / f"{stem}{MANIFEST_SUFFIX}").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def branded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("branded")
    (spec,) = spec_folder(folder / "specs", "report")
    with_sample_theme(spec.parent)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        return build(spec, folder / "out")


# ---------------------------------------------------------------- reading colours back


def docx_header_fills(data: bytes) -> list[str]:
    """The shading of every header-row cell of every table."""
    body = open_docx(data).element.body
    return [fill for tbl in body.xpath("./w:tbl") for fill in tbl.xpath("./w:tr[1]/w:tc/w:tcPr/w:shd/@w:fill")]


def pdf_fill_colors(data: bytes) -> set[str]:
    """The fill colour of every rectangle drawn in the PDF, as RRGGBB."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return {_hex(rect["non_stroking_color"]) for page in pdf.pages for rect in page.rects if rect["fill"]}


def pdf_char_colors(data: bytes, text: str) -> set[str]:
    """The fill colours of the characters of `text` wherever it is drawn as one line."""
    found = set()
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for match in page.search(text, regex=False, return_chars=True):
                found |= {_hex(char["non_stroking_color"]) for char in match["chars"]}
    return found


def _hex(color: object) -> str:
    values = tuple(color) if isinstance(color, (tuple, list)) else (color,)
    if len(values) == 1:  # a grey
        values = values * 3
    return "".join(f"{round(v * 255):02X}" for v in values[:3])


def xlsx_header_fills(data: bytes) -> dict[str, str]:
    workbook = readback_xlsx.load(data)
    return {
        sheet.title: sheet.cell(1, 1).fill.fgColor.rgb[-6:]
        for sheet in workbook.worksheets
        if sheet.title != readback_xlsx.OVERVIEW
    }


# ---------------------------------------------------------------- the brand colour


def test_brand_colour_fills_every_docx_table_header(branded: dict[str, bytes]) -> None:
    fills = docx_header_fills(branded["docx"])
    assert fills and set(fills) == {BRAND}


def test_brand_colour_fills_the_pdf_table_headers(branded: dict[str, bytes]) -> None:
    colors = pdf_fill_colors(branded["pdf"])
    assert BRAND in colors
    assert THEME.brand_color not in colors  # the house colour is gone everywhere
    assert "EEF5F2" in colors  # the theme's stripe colour
    assert pdf_char_colors(branded["pdf"], "Author or Publisher") == {readable_text_color(BRAND)}


def test_brand_colour_fills_every_xlsx_header(branded: dict[str, bytes]) -> None:
    fills = xlsx_header_fills(branded["xlsx"])
    assert fills and set(fills.values()) == {BRAND}


def test_accent_colour_sets_the_sub_headings(branded: dict[str, bytes]) -> None:
    word = open_docx(branded["docx"])
    assert str(word.styles["Heading 1"].font.color.rgb) == BRAND
    assert str(word.styles["Heading 2"].font.color.rgb) == "B4562A"  # written "#B4562A" in the theme
    assert "B4562A" in pdf_char_colors(branded["pdf"], "No modifiers yet")  # the heading (the contents is black)


def test_brand_name_is_in_the_running_footer(branded: dict[str, bytes]) -> None:
    footer = open_docx(branded["docx"]).sections[0].footer.paragraphs[0].text
    assert footer.startswith("Northwind Health Advisory · Version 2.2 · As of 2026-11-26 · Page ")
    with pdfplumber.open(io.BytesIO(branded["pdf"])) as pdf:
        last_lines = [page.extract_text().splitlines()[-1] for page in pdf.pages[1:]]  # the cover has no footer
    assert all(line.startswith("Northwind Health Advisory · Version 2.2") for line in last_lines), last_lines
    sheet = readback_xlsx.load(branded["xlsx"])["Overview"]
    assert sheet.oddFooter.center.text == "Northwind Health Advisory"


# ---------------------------------------------------------------- the logo


def test_logo_is_an_image_part_of_the_docx_title_block(branded: dict[str, bytes]) -> None:
    with zipfile.ZipFile(io.BytesIO(branded["docx"])) as package:
        media = [name for name in package.namelist() if name.startswith("word/media/")]
        assert [package.read(name) for name in media] == [LOGO]
    body = open_docx(branded["docx"]).element.body
    first = body.xpath("./w:p")[1]  # the title block opens with the logo, under the cover's drop
    assert first.xpath(".//pic:pic") and first.xpath("string(.//wp:docPr/@descr)") == "Northwind Health Advisory logo"


def test_logo_is_an_image_xobject_on_the_first_pdf_page(branded: dict[str, bytes]) -> None:
    page = pypdf.PdfReader(io.BytesIO(branded["pdf"])).pages[0]
    images = [x.get_object() for x in page["/Resources"]["/XObject"].values()]
    images = [x for x in images if x["/Subtype"] == "/Image"]
    assert [(x["/Width"], x["/Height"]) for x in images] == [LOGO_SIZE]
    assert "/SMask" in images[0]  # the PNG's transparency is kept


def test_logo_is_an_image_on_the_xlsx_overview(branded: dict[str, bytes]) -> None:
    with zipfile.ZipFile(io.BytesIO(branded["xlsx"])) as package:
        assert package.read("xl/media/image1.png") == LOGO
    workbook = readback_xlsx.load(branded["xlsx"])
    assert len(workbook["Overview"]._images) == 1
    assert all(not sheet._images for sheet in workbook.worksheets[1:])


def test_with_a_logo_the_brand_name_is_not_repeated_on_the_title_block(branded: dict[str, bytes]) -> None:
    word = open_docx(branded["docx"])
    assert "Northwind Health Advisory" not in [p.text for p in word.paragraphs]
    overview = [cell for row in readback_xlsx.read_overview(branded["xlsx"]) for cell in row]
    assert "Northwind Health Advisory" not in overview


def test_without_a_logo_the_brand_name_heads_the_title_block(tmp_path: Path) -> None:
    (spec,) = spec_folder(tmp_path / "specs", "report")
    (spec.parent / "theme.yaml").write_text("brand_name: Acme Billing Partners\n", encoding="utf-8")
    files = build(spec, tmp_path / "out")
    paragraphs = open_docx(files["docx"]).paragraphs
    assert [p.text for p in paragraphs[:3]] == ["", "Acme Billing Partners", "CPT 0001U: Dump Fixture <b>&</b>"]  # under the cover's drop
    assert readback_xlsx.read_overview(files["xlsx"])[0] == ["Acme Billing Partners"]
    with pdfplumber.open(io.BytesIO(files["pdf"])) as pdf:
        assert pdf.pages[0].extract_text().splitlines()[0] == "Acme Billing Partners"  # the cover has no running header


def test_branded_builds_are_reproducible(branded: dict[str, bytes], tmp_path: Path) -> None:
    (spec,) = spec_folder(tmp_path / "specs", "report")
    with_sample_theme(spec.parent)
    assert build(spec, tmp_path / "out") == branded


# ---------------------------------------------------------------- which theme applies


def test_a_per_spec_theme_overrides_the_folder_theme(tmp_path: Path) -> None:
    plain, special = spec_folder(tmp_path / "specs", "plain", "special")
    (plain.parent / "theme.yaml").write_text('brand_color: "112233"\nbrand_name: Folder Brand\n', encoding="utf-8")
    (plain.parent / "special.theme.yaml").write_text('brand_color: "445566"\n', encoding="utf-8")
    out = tmp_path / "out"
    assert set(docx_header_fills(build(plain, out, "docx")["docx"])) == {"112233"}
    special_docx = build(special, out, "docx")["docx"]
    assert set(docx_header_fills(special_docx)) == {"445566"}
    # Whole files, never merged: the folder's brand name does not leak into the override.
    assert "Folder Brand" not in open_docx(special_docx).sections[0].footer.paragraphs[0].text
    assert manifest_of(out, "special")["theme"]["path"] == str(plain.parent / "special.theme.yaml")
    (plain.parent / "special.theme.yaml").unlink()
    assert set(docx_header_fills(build(special, out, "docx")["docx"])) == {"112233"}


def test_no_theme_file_means_the_house_style_and_no_manifest_entry(tmp_path: Path) -> None:
    (spec,) = spec_folder(tmp_path / "specs", "report")
    out = tmp_path / "out"
    assert set(docx_header_fills(build(spec, out, "docx")["docx"])) == {THEME.brand_color}
    assert "theme" not in manifest_of(out, "report")


# ---------------------------------------------------------------- the manifest


def test_a_theme_edit_changes_the_manifest_and_the_files(tmp_path: Path) -> None:
    (spec,) = spec_folder(tmp_path / "specs", "report")
    theme = with_sample_theme(spec.parent)
    out = tmp_path / "out"
    first_files = build(spec, out)
    first = manifest_of(out, "report")
    assert first["theme"] == {
        "path": str(theme),
        "sha256": _sha256(theme.read_bytes()),
        "logo": {"path": str(spec.parent / "logo.png"), "sha256": _sha256(LOGO_FILE)},
    }
    assert theme_is_current(spec, first["theme"])

    theme.write_text(theme.read_text(encoding="utf-8").replace('"0F6E5A"', '"7A1F3D"'), encoding="utf-8")
    assert not theme_is_current(spec, first["theme"])
    second_files = build(spec, out)
    second = manifest_of(out, "report")
    assert second["theme"]["sha256"] != first["theme"]["sha256"]
    assert all(second_files[fmt] != first_files[fmt] for fmt in first_files)
    assert {d["sha256"] for d in second["deliverables"].values()}.isdisjoint(
        d["sha256"] for d in first["deliverables"].values()
    )
    assert run_cli("verify", *(out / name for name in second["deliverables"])).status == 0


def test_a_logo_edit_changes_the_manifest(tmp_path: Path) -> None:
    (spec,) = spec_folder(tmp_path / "specs", "report")
    with_sample_theme(spec.parent)
    out = tmp_path / "out"
    build(spec, out, "pdf")
    before = manifest_of(out, "report")["theme"]
    (spec.parent / "logo.png").write_bytes(png(40, 20))
    assert not theme_is_current(spec, before)
    build(spec, out, "pdf")
    after = manifest_of(out, "report")["theme"]
    assert after["sha256"] == before["sha256"] and after["logo"]["sha256"] != before["logo"]["sha256"]


def test_theme_is_current_notices_a_theme_appearing_or_vanishing(tmp_path: Path) -> None:
    (spec,) = spec_folder(tmp_path / "specs", "report")
    assert theme_is_current(spec, None)
    theme = spec.parent / "theme.yaml"
    theme.write_text("brand_name: New\n", encoding="utf-8")
    assert not theme_is_current(spec, None)
    entry = {"path": str(theme), "sha256": _sha256(theme.read_bytes())}
    assert theme_is_current(spec, entry)
    theme.unlink()
    assert not theme_is_current(spec, entry)


def _sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


# ---------------------------------------------------------------- bad theme files


def png(width: int, height: int) -> bytes:
    """A valid, tiny, grey PNG of any declared size (one compressed row repeated)."""
    def chunk(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    rows = zlib.compress((b"\x00" + b"\x80" * width) * height)
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def huge_png_header() -> bytes:
    """Only the start of a PNG that says it is 20000 x 20000 pixels."""
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + struct.pack(">II", 20000, 20000) + b"\x08\x06\x00\x00\x00"


# (theme text, files beside it, the message after "theme.yaml:")
BAD_THEMES = {
    "unknown key": (
        'brand_name: Acme\nbrand_colour: "1F4E79"\n', {},
        "2:1: brand_colour: unknown key 'brand_colour' (did you mean 'brand_color'?)",
    ),
    "short colour": (
        'brand_color: "#12345"\n', {},
        """1:14: brand_color: expected a colour as 6 hex digits RRGGBB, e.g. "1F4E79", got '#12345'""",
    ),
    "colour word": (
        "stripe_color: teal\n", {},
        """1:15: stripe_color: expected a colour as 6 hex digits RRGGBB, e.g. "1F4E79", got 'teal'""",
    ),
    "unquoted hash": (
        "brand_color: #1F4E79\n", {},
        '1:13: brand_color: expected a colour as 6 hex digits RRGGBB, e.g. "1F4E79", got nothing '
        '(an unquoted # starts a YAML comment: write brand_color: "#1F4E79" or brand_color: 1F4E79)',
    ),
    "missing logo": ("logo: art/logo.png\n", {}, "1:7: logo: cannot read '{dir}/art/logo.png': no such file"),
    "logo is text": (
        "logo: logo.png\n", {"logo.png": b"not an image at all\n"},
        "1:7: logo: '{dir}/logo.png' is not a PNG or JPEG image",
    ),
    "logo is a gif": (
        "logo: logo.gif\n", {"logo.gif": b"GIF89a\x01\x00\x01\x00"},
        "1:7: logo: '{dir}/logo.gif' is not a PNG or JPEG image; it looks like a GIF",
    ),
    "logo is a folder": ("logo: art\n", {"art/readme.txt": b"x"}, "1:7: logo: '{dir}/art' is not a file"),
    "logo too large": (
        "logo: logo.png\n", {"logo.png": b"\x89PNG\r\n\x1a\n" + bytes(5_000_000)},
        "1:7: logo: '{dir}/logo.png' is 5,000,008 bytes; the limit is 5,000,000",
    ),
    "logo too many pixels": (
        "logo: logo.png\n", {"logo.png": huge_png_header()},
        "1:7: logo: '{dir}/logo.png' is 20000 x 20000 pixels; at most 10,000 pixels a side and 25,000,000 in all",
    ),
    "damaged png": (
        "logo: logo.png\n", {"logo.png": b"\x89PNG\r\n\x1a\n\x00\x00"},
        "1:7: logo: '{dir}/logo.png' is a damaged PNG: its header is incomplete",
    ),
    "damaged jpeg": (
        "logo: logo.jpg\n", {"logo.jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"},
        "1:7: logo: '{dir}/logo.jpg' is a damaged JPEG: no frame header gives its size",
    ),
    "list for a name": ("brand_name: [a, b]\n", {}, "1:13: brand_name: expected text, got a list"),
    "long name": (
        f"brand_name: {'N' * 81}\n", {},
        "1:13: brand_name: is 81 characters; at most 80 fit the running footer",
    ),
    "duplicate key": (
        'brand_color: "111111"\nbrand_color: "222222"\n', {},
        "2:1: brand_color: duplicate key 'brand_color' (first given on line 1)",
    ),
    "empty file": (
        "# nothing yet\n", {},
        "1:1: the file is empty; a theme sets at least one of brand_name, brand_color, accent_color, stripe_color, logo",
    ),
    "not a mapping": (
        "- brand_name: Acme\n", {},
        "1:1: (top level): expected a mapping with keys brand_name, brand_color, accent_color, stripe_color, logo; got a list",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_THEMES))
def test_a_bad_theme_is_one_line_naming_the_theme_file(tmp_path: Path, case: str) -> None:
    text, files, message = BAD_THEMES[case]
    (spec,) = spec_folder(tmp_path / "specs", "report")
    theme = spec.parent / "theme.yaml"
    theme.write_text(text, encoding="utf-8")
    for name, data in files.items():
        (spec.parent / name).parent.mkdir(parents=True, exist_ok=True)
        (spec.parent / name).write_bytes(data)
    expected = f"{theme}:{message.format(dir=spec.parent)}"
    for command in ("validate", "build"):
        result = run_cli(command, spec, "-o", tmp_path / "out") if command == "build" else run_cli(command, spec)
        assert result.status == 1, (command, result)
        assert expected in result.stderr.splitlines(), (command, result.stderr)
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "report.pdf").exists()  # nothing is built with a broken theme


def test_every_problem_of_a_theme_is_reported_at_once(tmp_path: Path) -> None:
    (spec,) = spec_folder(tmp_path / "specs", "report")
    theme = spec.parent / "theme.yaml"
    theme.write_text('brand_colour: "1F4E79"\naccent_color: "#12345"\nlogo: gone.png\n', encoding="utf-8")
    result = run_cli("validate", spec)
    assert [line.split(":")[1:3] for line in result.stderr.splitlines()] == [["1", "1"], ["2", "15"], ["3", "7"]]


def test_a_theme_file_given_as_a_spec(tmp_path: Path) -> None:
    (spec,) = spec_folder(tmp_path / "specs", "report")
    theme = with_sample_theme(spec.parent)
    assert run_cli("validate", theme).status == 0  # `validate specs/*.yaml` checks theme files as themes
    (spec.parent / "bad.theme.yaml").write_text("brand_color: red\n", encoding="utf-8")
    assert run_cli("validate", spec.parent / "bad.theme.yaml").status == 1
    built = run_cli("build", spec.parent / "theme.yaml", spec, "-o", tmp_path / "out")  # as `build specs/*.yaml`
    assert built.status == 0 and not (tmp_path / "out" / "theme.pdf").exists()
    result = run_cli("dump", theme)
    assert result.status == 1
    assert f"{theme}:1:1: this is a theme file, not a report spec" in result.stderr


def test_a_pale_brand_colour_warns_and_gets_black_header_text(tmp_path: Path) -> None:
    (spec,) = spec_folder(tmp_path / "specs", "report")
    theme = spec.parent / "theme.yaml"
    theme.write_text('brand_color: "FFD700"\nstripe_color: "333333"\n', encoding="utf-8")
    result = run_cli("validate", spec)
    assert result.status == 0
    warnings = [line for line in result.stderr.splitlines() if line.startswith(str(theme))]
    assert warnings == [
        f"{theme}:1:14: brand_color: FFD700 has a contrast of 1.4:1 on the white page; headings in it are hard "
        "to read (aim for 3:1 or more) (warning)",
        f"{theme}:2:15: stripe_color: 333333 has a contrast of 1.7:1 with the black table text; pick a lighter "
        "colour (aim for 4.5:1 or more) (warning)",
    ]
    assert writer_theme(load_theme(theme)).header_text_color == "000000"


def test_writer_theme_lays_branding_over_the_house_style(tmp_path: Path) -> None:
    theme = with_sample_theme(tmp_path)
    loaded = load_theme(theme)
    styled = writer_theme(loaded)
    assert (styled.brand_name, styled.brand_color, styled.accent_color, styled.stripe_color) == (
        "Northwind Health Advisory", BRAND, "B4562A", "EEF5F2",
    )
    assert (styled.logo.format, styled.logo.width_px, styled.logo.height_px, styled.logo.data) == ("png", *LOGO_SIZE, LOGO)
    assert styled.body_font_size == THEME.body_font_size and styled.rule_color == THEME.rule_color
    only_colour = tmp_path / "only.theme.yaml"
    only_colour.write_text("brand_color: 7a1f3d\n", encoding="utf-8")
    styled = writer_theme(load_theme(only_colour))
    assert (styled.brand_color, styled.accent_color, styled.brand_name, styled.logo) == ("7A1F3D", "7A1F3D", None, None)
    assert writer_theme(None) is THEME


def test_a_jpeg_logo_is_accepted(tmp_path: Path) -> None:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (300, 100), (15, 110, 90)).save(buffer, format="JPEG")
    (tmp_path / "logo.jpg").write_bytes(buffer.getvalue())
    theme = tmp_path / "theme.yaml"
    theme.write_text("logo: logo.jpg\n", encoding="utf-8")
    logo = load_theme(theme).logo
    assert (logo.format, logo.width_px, logo.height_px) == ("jpeg", 300, 100)


def test_a_brand_name_prints_literally_or_fails_cleanly(tmp_path: Path) -> None:
    (spec,) = spec_folder(tmp_path / "specs", "report")
    theme = spec.parent / "theme.yaml"
    theme.write_text('brand_name: "Smith & <Jones> &P"\n', encoding="utf-8")
    files = build(spec, tmp_path / "out")
    assert readback_xlsx.load(files["xlsx"])["Overview"].oddFooter.center.text == "Smith && <Jones> &&P"  # not a page code
    with pdfplumber.open(io.BytesIO(files["pdf"])) as pdf:
        assert pdf.pages[1].extract_text().splitlines()[-1].startswith("Smith & <Jones> &P · Version")  # page 1 is the cover
    theme.write_text("brand_name: 東京 Advisory\n", encoding="utf-8")
    result = run_cli("build", spec, "-o", tmp_path / "out2")
    assert result.status == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [f"{theme}:1:13: brand_name: the PDF font cannot draw '京' (U+4EAC), '東' (U+6771); remove or replace these characters"]
    assert run_cli("validate", spec).stderr == result.stderr
    assert not (tmp_path / "out2" / "report.docx").exists()
