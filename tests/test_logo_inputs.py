"""A theme's logo stays inside the theme's folder, decodes whole at validation, and reaches every format clean."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from PIL import Image, PngImagePlugin

from tests.cli import run_cli

FIXTURES = Path(__file__).parent / "fixtures"
SECRET = "MRN 12345"


@pytest.fixture(autouse=True)
def pinned_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764115200")


def spec_with_theme(folder: Path, logo: str) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    spec = folder / "report.yaml"
    spec.write_bytes((FIXTURES / "dump_fixture.yaml").read_bytes())
    theme = folder / "theme.yaml"
    theme.write_text(f"logo: {logo}\nbrand_name: Acme\n", encoding="utf-8")
    return spec, theme


def image(mode: str = "RGB", fmt: str = "PNG", **save: object) -> bytes:
    picture = Image.new(mode, (64, 24), "#3366CC" if mode == "RGB" else None)
    out = io.BytesIO()
    picture.save(out, fmt, **save)
    return out.getvalue()


def png_with_secrets() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", SECRET)
    info.add_itxt("Patient", SECRET)
    info.add_text("Author", SECRET, zip=True)
    return image(pnginfo=info) + f"trailing {SECRET}".encode()


def jpeg_with_secrets() -> bytes:
    exif = Image.Exif()
    exif[0x010E] = SECRET  # ImageDescription
    return image(fmt="JPEG", exif=exif.tobytes(), comment=SECRET.encode()) + f"trailing {SECRET}".encode()


def one_problem(result_stderr: str) -> str:
    lines = result_stderr.splitlines()
    assert len(lines) == 1, result_stderr
    return lines[0]


@pytest.mark.parametrize("where", ["parent", "absolute", "symlink"])
def test_a_logo_outside_the_theme_folder_is_refused(tmp_path: Path, where: str) -> None:
    outside = tmp_path / "outside.png"
    outside.write_bytes(image())
    folder = tmp_path / "a" / "specs"
    value = {"parent": "../../outside.png", "absolute": str(outside), "symlink": "logo.png"}[where]
    spec, theme = spec_with_theme(folder, value)
    if where == "symlink":
        os.symlink(outside, folder / "logo.png")
    for command in (("validate", spec), ("build", spec, "-o", tmp_path / "out")):
        result = run_cli(*command)
        assert result.status == 1
        line = one_problem(result.stderr)
        assert line.startswith(f"{theme}:1:7: logo: {value!r} ") and "is outside the theme file's folder" in line
    assert not (tmp_path / "out").exists()


def test_a_link_that_stays_inside_the_folder_is_fine(tmp_path: Path) -> None:
    folder = tmp_path / "specs"
    spec, _ = spec_with_theme(folder, "logo.png")
    (folder / "art").mkdir()
    (folder / "art" / "real.png").write_bytes(image())
    os.symlink(folder / "art" / "real.png", folder / "logo.png")
    assert run_cli("validate", spec).status == 0


def embedded_images(out: Path) -> dict[str, bytes]:
    found = {}
    for fmt, prefix in (("docx", "word/media/"), ("xlsx", "xl/media/")):
        with zipfile.ZipFile(out / f"report.{fmt}") as package:
            (name,) = [n for n in package.namelist() if n.startswith(prefix)]
            found[fmt] = package.read(name)
    return found


@pytest.mark.parametrize("kind", ["png", "jpeg"])
def test_the_logo_is_re_encoded_once_without_metadata_and_the_same_in_every_format(tmp_path: Path, kind: str) -> None:
    folder = tmp_path / "specs"
    data = png_with_secrets() if kind == "png" else jpeg_with_secrets()
    spec, _ = spec_with_theme(folder, f"logo.{kind}")
    (folder / f"logo.{kind}").write_bytes(data)
    out = tmp_path / "out"
    assert run_cli("build", spec, "-o", out).status == 0
    images = embedded_images(out)
    assert images["docx"] == images["xlsx"]  # one clean encoding, the same bytes in both packages
    secret = SECRET.encode()
    for fmt in ("docx", "pdf", "xlsx"):
        assert secret not in (out / f"report.{fmt}").read_bytes(), fmt
    assert secret not in images["docx"]
    with Image.open(io.BytesIO(images["docx"])) as clean, Image.open(io.BytesIO(data)) as source:
        assert clean.format == kind.upper() and clean.size == source.size
        assert not {"Comment", "Patient", "Author", "exif", "comment"} & clean.info.keys()
        if kind == "png":  # lossless: the very pixels
            assert clean.convert("RGB").tobytes() == source.convert("RGB").tobytes()


BROKEN = {
    "truncated png": ("logo.png", lambda: image()[:60], "its image data ends early (the file is truncated)"),
    "html behind a png header": (
        "logo.png", lambda: image()[:33] + b"<html><body>hello</body></html>" * 4,
        "its image data cannot be decoded (not an image behind the header?)",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_validate_decodes_the_logo_and_names_the_theme_field(tmp_path: Path, case: str) -> None:
    name, data, reason = BROKEN[case]
    folder = tmp_path / "specs"
    spec, theme = spec_with_theme(folder, name)
    (folder / name).write_bytes(data())
    for command in (("validate", spec), ("build", spec, "-o", tmp_path / "out")):
        result = run_cli(*command)
        assert result.status == 1
        assert one_problem(result.stderr) == f"{theme}:1:7: logo: '{folder / name}' is a damaged PNG: {reason}"
        assert "0x" not in result.stderr and "object at" not in result.stderr


def test_a_cmyk_jpeg_validates_and_builds_as_rgb(tmp_path: Path) -> None:
    folder = tmp_path / "specs"
    spec, _ = spec_with_theme(folder, "logo.jpg")
    (folder / "logo.jpg").write_bytes(image("CMYK", "JPEG"))
    assert run_cli("validate", spec).status == 0
    out = tmp_path / "out"
    result = run_cli("build", spec, "-o", out)
    assert result.status == 0, result.stderr
    with Image.open(io.BytesIO(embedded_images(out)["docx"])) as clean:
        assert (clean.format, clean.mode) == ("JPEG", "RGB")
