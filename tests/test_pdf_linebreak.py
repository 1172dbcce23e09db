"""The PDF's line breaking on its own: the quick paths give what the slow ones would."""

from __future__ import annotations

import pytest
from reportlab.pdfbase import pdfmetrics

from generator.writers.pdf import fonts
from generator.writers.pdf.linebreak import CHARACTERS_PER_EM, WHITESPACE, break_lines, words
from generator.writers.pdf.measure import metrics

SIZE = 8.5


@pytest.fixture(scope="module", autouse=True)
def registered() -> None:
    fonts.register()


@pytest.mark.parametrize("text", [
    "one two three", "  leading and trailing  ", "tab\tand\nnewline", "double  space", "", " ", "no\u00a0break here",
])
def test_words_are_the_runs_between_ascii_whitespace(text: str) -> None:
    assert words(text) == [word for word in WHITESPACE.split(text) if word]


def test_a_long_text_of_narrow_letters_that_fits_is_one_line_of_its_exact_width() -> None:
    measure = metrics(fonts.REGULAR, SIZE)
    room = 300.0
    text = "i" * int(room / measure.width("i"))  # as many as fit
    assert len(text) > CHARACTERS_PER_EM * room / SIZE + 1  # longer than the start that is measured first
    [line] = break_lines(text, measure, room)
    assert (line.text, line.width, line.ends_at_space) == (text, pdfmetrics.stringWidth(text, fonts.REGULAR, SIZE), False)


def test_a_text_wider_than_its_room_breaks_at_spaces_into_lines_that_fit() -> None:
    measure = metrics(fonts.REGULAR, SIZE)
    text = " ".join(f"word{i}" for i in range(200))
    lines = break_lines(text, measure, 100.0)
    assert len(lines) > 10
    assert " ".join(line.text for line in lines) == text
    assert all(line.ends_at_space for line in lines[:-1]) and not lines[-1].ends_at_space
    for line in lines:
        assert line.width <= 100.0
        assert line.width == pytest.approx(pdfmetrics.stringWidth(line.text, fonts.REGULAR, SIZE))
