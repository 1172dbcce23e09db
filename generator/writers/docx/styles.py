"""The names and ids of the styles a report's body uses, which the package defines (template_build.py).

The body is written as text, which names a style by its id (what w:pStyle, w:rStyle and
w:tblStyle hold); the package's styles part defines each under its name and that id.
"""

from __future__ import annotations

TOC_DEPTH = 4  # heading levels listed in the contents

TABLE_STYLE = "Report Table"
TABLE_TEXT_STYLE = "Table Text"
HYPERLINK_STYLE = "Hyperlink"
CONTENTS_STYLE = "TOC Heading"  # Word's own style for this; outline level 9 keeps it out of the TOC

STYLE_IDS = {
    "Title": "Title",
    "Subtitle": "Subtitle",
    "List Bullet": "ListBullet",
    CONTENTS_STYLE: "TOCHeading",
    TABLE_TEXT_STYLE: "TableText",
    HYPERLINK_STYLE: "Hyperlink",
    TABLE_STYLE: "ReportTable",
    **{f"Heading {level}": f"Heading{level}" for level in range(1, 10)},
    **{f"toc {level}": f"TOC{level}" for level in range(1, TOC_DEPTH + 1)},
}


def toc_style_name(level: int) -> str:
    return f"toc {min(max(level, 1), TOC_DEPTH)}"
