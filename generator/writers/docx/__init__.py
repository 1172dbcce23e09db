"""DOCX writer: a theme's package prepared once with python-docx (template), the body written as WordprocessingML."""

from generator.writers.docx.writer import render

__all__ = ["render"]
