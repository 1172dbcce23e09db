"""The house style shared by all writers: one place for fonts, colours and sizes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Theme:
    brand_color: str = "1F4E79"  # RGB hex: headings, table header fill
    header_text_color: str = "FFFFFF"
    rule_color: str = "A6A6A6"  # table grid lines
    stripe_color: str = "F2F2F2"  # every other table row
    missing_color: str = "7F7F7F"  # the missing-data sentence, set in italics
    body_font_size: float = 10.0
    table_font_size: float = 8.5
    heading_sizes: tuple[float, ...] = (16.0, 13.0, 11.5, 10.5)  # by heading level
    title_size: float = 20.0

    def heading_size(self, level: int) -> float:
        return self.heading_sizes[min(level, len(self.heading_sizes)) - 1]


THEME = Theme()
