"""XLSX writer: an Overview sheet and one sheet per table, built with openpyxl."""

from generator.writers.xlsx.writer import render

__all__ = ["render"]
