"""The house style shared by all writers: the one place for colours, font sizes and branding.

Writers read every colour and size from the `Theme` in their RenderOptions, never from
constants of their own. `THEME` is the house default; a client theme file (loaded and
validated by generator/spec/theme.py) is laid over it by generator/build.py. Font *names*
stay in each writer: the PDF embeds a TrueType file while DOCX and XLSX name an installed font.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Logo:
    """A client logo, already checked to be a PNG or JPEG of a bounded size."""

    data: bytes
    format: str  # "png" or "jpeg"
    width_px: int
    height_px: int

    def fitted(self, max_width: float, max_height: float) -> tuple[float, float]:
        """The largest (width, height) within the bounds that keeps the image's proportions."""
        scale = min(max_width / self.width_px, max_height / self.height_px)
        return self.width_px * scale, self.height_px * scale


@dataclass(frozen=True)
class Theme:
    """Colours, sizes and client branding: the house style, or a theme laid over it."""

    # Branding: shown on the title block (logo, then the brand name), in the running footer,
    # and on the XLSX Overview sheet. None: the report carries no brand.
    brand_name: str | None = None
    logo: Logo | None = None

    # Colours, RGB hex.
    brand_color: str = "1F4E79"  # title, top-level headings, the rule under the title, table header fill
    accent_color: str = "1F4E79"  # sub-headings (level 2 and deeper) and the subtitle
    header_text_color: str = "FFFFFF"  # on the brand colour; a theme sets black on a light brand colour
    rule_color: str = "A6A6A6"  # table grid lines, the rule under the running header
    stripe_color: str = "F2F2F2"  # every other table row
    page_color: str = "FFFFFF"  # the other table rows
    missing_color: str = "7F7F7F"  # the missing-data sentence, set in italics
    link_color: str = "0563C1"  # Word's and Excel's own hyperlink colour, so links look native
    running_text_color: str = "595959"  # running header and footer

    # Sizes in points.
    body_font_size: float = 11.0
    table_font_size: float = 8.5
    heading_sizes: tuple[float, ...] = (16.0, 13.0, 11.5, 10.5)  # by heading level
    title_size: float = 20.0
    brand_name_size: float = 11.0  # the brand name on the title block
    running_font_size: float = 8.0
    running_min_font_size: float = 6.0  # a long running title shrinks down to this (PDF)
    min_table_font_size: float = 6.5  # a cell's text shrinks down to this to keep a word whole (PDF)
    rule_width: float = 0.5  # table grid and running-header rule
    title_rule_width: float = 1.5  # the rule under the title
    logo_max_width: float = 180.0  # 2.5 inches: the logo is scaled to fit, never stretched
    logo_max_height: float = 54.0  # 0.75 inch

    def heading_size(self, level: int) -> float:
        return self.heading_sizes[min(level, len(self.heading_sizes)) - 1]

    def heading_color(self, level: int) -> str:
        return self.brand_color if level <= 1 else self.accent_color

    def series_color(self, index: int) -> str:
        """The fill of a chart's `index`th series: the brand colour, then lighter tints of it."""
        tint = _SERIES_TINTS[index % len(_SERIES_TINTS)]
        channels = (int(self.brand_color[i : i + 2], 16) for i in (0, 2, 4))
        return "".join(f"{round(c + (255 - c) * tint):02X}" for c in channels)

    def running_footer(self, version: str, as_of: str) -> str:
        """The footer text before "Page X of Y", the same in DOCX and PDF."""
        brand = f"{self.brand_name} · " if self.brand_name else ""
        return f"{brand}Version {version} · As of {as_of} · Page "


# How far each chart series' colour is mixed towards white, in series order.
_SERIES_TINTS = (0.0, 0.55, 0.3, 0.75)

THEME = Theme()
