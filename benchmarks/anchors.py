"""The yardsticks bench.py measures the generator against, made from the same document model.

plain_build(): the three formats as a plain script would make them with python-docx,
reportlab (platypus) and openpyxl: headings, paragraphs, bullets and grid tables through each
library's everyday API, without the generator's styling, links or reproducibility work.
markdown(): the same text as Markdown (pipe tables), for pandoc's md -> docx.
"""

from __future__ import annotations

import io

from generator.document.model import BulletList, Document, Heading, Paragraph, Table, TitleBlock


def plain_build(document: Document) -> dict[str, bytes]:
    return {"docx": _plain_docx(document), "pdf": _plain_pdf(document), "xlsx": _plain_xlsx(document)}


def _plain_docx(document: Document) -> bytes:
    import docx

    word = docx.Document()
    for block in document.blocks:
        if isinstance(block, TitleBlock):
            word.add_heading(block.title, 0)
            for field in block.fields:
                word.add_paragraph(f"{field.label}: {field.text}")
        elif isinstance(block, Heading):
            word.add_heading(block.text, min(block.level, 9))
        elif isinstance(block, Paragraph):
            word.add_paragraph(block.text)
        elif isinstance(block, BulletList):
            for item in block.items:
                word.add_paragraph(item, style="List Bullet")
        elif isinstance(block, Table):
            table = word.add_table(rows=1, cols=len(block.columns))
            table.style = "Table Grid"
            for cell, column in zip(table.rows[0].cells, block.columns):
                cell.text = column.header
            for row in block.rows:
                for cell, value in zip(table.add_row().cells, row):
                    cell.text = value.text
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _plain_pdf(document: Document) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import ListFlowable, Paragraph as Para, SimpleDocTemplate, Table as Grid

    sheet = getSampleStyleSheet()
    story: list = []

    def para(text: str, style: str = "BodyText") -> Para:
        return Para(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"), sheet[style])

    for block in document.blocks:
        if isinstance(block, TitleBlock):
            story.append(para(block.title, "Title"))
            story += [para(f"{field.label}: {field.text}") for field in block.fields]
        elif isinstance(block, Heading):
            story.append(para(block.text, f"Heading{min(block.level, 6)}"))
        elif isinstance(block, Paragraph):
            story.append(para(block.text))
        elif isinstance(block, BulletList):
            story.append(ListFlowable([para(item) for item in block.items], bulletType="bullet"))
        elif isinstance(block, Table):
            rows = [[para(column.header) for column in block.columns]]
            rows += [[para(cell.text) for cell in row] for row in block.rows]
            grid = Grid(rows, repeatRows=1)
            grid.setStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey)])
            story.append(grid)
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=letter).build(story)
    return out.getvalue()


def _plain_xlsx(document: Document) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    overview = workbook.active
    overview.title = "Overview"
    for table in document.tables:
        sheet = workbook.create_sheet(table.title[:31])
        sheet.append([column.header for column in table.columns])
        for row in table.rows:
            sheet.append([cell.text for cell in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def markdown(document: Document) -> str:
    """The document's text as Markdown, tables as pipe tables."""
    lines: list[str] = []
    for block in document.blocks:
        if isinstance(block, TitleBlock):
            lines += [f"# {block.title}", ""] + [f"**{field.label}:** {field.text}  " for field in block.fields] + [""]
        elif isinstance(block, Heading):
            lines += [f"{'#' * min(block.level + 1, 6)} {block.text}", ""]
        elif isinstance(block, Paragraph):
            lines += [block.text, ""]
        elif isinstance(block, BulletList):
            lines += [f"- {item}" for item in block.items] + [""]
        elif isinstance(block, Table):
            def row(cells: list[str]) -> str:
                return "| " + " | ".join(text.replace("|", "\\|").replace("\n", " ") for text in cells) + " |"

            lines += [row([column.header for column in block.columns]), row(["---"] * len(block.columns))]
            lines += [row([cell.text for cell in cells]) for cells in block.rows] + [""]
    return "\n".join(lines)
