"""The text styles of a report, worked out once per theme from its sizes and colours."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from generator.writers.pdf import fonts
from generator.writers.pdf.measure import TextStyle
from generator.writers.theme import Theme

BLACK = "000000"


@dataclass(frozen=True)
class Styles:
    """Every text style a report uses, from one theme."""

    theme: Theme
    body: TextStyle
    missing: TextStyle
    bold: TextStyle  # a title field's label
    title: TextStyle
    subtitle: TextStyle
    brand_name: TextStyle
    headings: tuple[TextStyle, ...]  # index 0 is level 1
    contents: tuple[TextStyle, ...]  # by outline depth
    cell: TextStyle
    cell_missing: TextStyle
    cell_link: TextStyle
    cell_header: TextStyle
    cell_old: TextStyle  # a change summary's old value (drawn struck through)
    cell_new: TextStyle  # ... and its new value
    small: TextStyle  # a letter's small print
    running: TextStyle

    def heading(self, level: int) -> TextStyle:
        return self.headings[min(level, len(self.headings)) - 1]

    def contents_line(self, depth: int) -> TextStyle:
        return self.contents[min(depth, len(self.contents) - 1)]


@functools.lru_cache(maxsize=8)
def styles(theme: Theme) -> Styles:
    body = theme.body_font_size
    cell = theme.table_font_size
    return Styles(
        theme=theme,
        body=TextStyle(fonts.REGULAR, body, BLACK),
        missing=TextStyle(fonts.ITALIC, body, theme.missing_color),
        bold=TextStyle(fonts.BOLD, body, BLACK),
        title=TextStyle(fonts.BOLD, theme.title_size, theme.brand_color),
        subtitle=TextStyle(fonts.REGULAR, theme.heading_size(2), theme.accent_color),
        brand_name=TextStyle(fonts.BOLD, theme.brand_name_size, theme.brand_color),
        headings=tuple(
            TextStyle(fonts.BOLD, theme.heading_size(level), theme.heading_color(level))
            for level in range(1, len(theme.heading_sizes) + 1)
        ),
        contents=tuple(
            TextStyle(fonts.BOLD if depth == 0 else fonts.REGULAR, body, BLACK)
            for depth in range(len(theme.heading_sizes))
        ),
        cell=TextStyle(fonts.REGULAR, cell, BLACK),
        cell_missing=TextStyle(fonts.ITALIC, cell, theme.missing_color),
        cell_link=TextStyle(fonts.REGULAR, cell, theme.link_color),
        cell_header=TextStyle(fonts.BOLD, cell, theme.header_text_color),
        cell_old=TextStyle(fonts.REGULAR, cell, theme.missing_color),
        cell_new=TextStyle(fonts.BOLD, cell, theme.brand_color),
        small=TextStyle(fonts.REGULAR, theme.running_font_size, theme.missing_color),
        running=TextStyle(fonts.REGULAR, theme.running_font_size, theme.running_text_color),
    )

