"""Content a format cannot draw fails the build cleanly, and earlier deliverables survive."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli import run_cli

SPEC = """\
code: "89253"
title: Glyph test
version: "1.0"
as_of: 2026-11-26
sections:
  - title: Summary
    body: [{text}]
"""


@pytest.mark.parametrize(("text", "named"), [("日本語", "'日' (U+65E5)"), ("Emoji 🧪", "'🧪' (U+1F9EA)")])
def test_text_the_pdf_font_cannot_draw_is_one_clean_error(tmp_path: Path, text: str, named: str) -> None:
    spec = tmp_path / "glyphs.yaml"
    spec.write_text(SPEC.format(text=text), encoding="utf-8")
    for command in (("build", spec, "-o", tmp_path / "out"), ("validate", spec)):  # validate agrees with build
        result = run_cli(*command)
        assert result.status == 1
        assert result.stderr.count("\n") == 1
        assert result.stderr.startswith(f"{spec}:7:12: sections[0].body[0]: the PDF font cannot draw ")
        assert named in result.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_latin_extended_and_symbols_print(tmp_path: Path) -> None:
    spec = tmp_path / "glyphs.yaml"
    spec.write_text(SPEC.format(text="Łukasz Čáslav Şişli œuvre ≤ ≥ ± µ € ™ ∞ √"), encoding="utf-8")
    assert run_cli("build", spec, "-o", tmp_path, "--format", "pdf").status == 0


def test_every_face_draws_printable_ascii_which_the_check_takes_on_trust() -> None:
    from generator.writers import typeface

    printable = "".join(map(chr, range(32, 127)))
    for name, font in typeface.faces().items():
        assert all(font.face.charToGlyph.get(ord(c)) for c in printable), name  # a real glyph, not .notdef
    assert typeface.missing_characters(printable) == ""
    # ASCII that is not printable goes through the full check, and the faces have no glyph for these
    assert typeface.missing_characters("tab\there, delete\x7f") == "\t\x7f"
