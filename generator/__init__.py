"""Billing-code report generator: one YAML spec in, matching DOCX, PDF and XLSX deliverables out."""

# The one place the version is written: pyproject.toml reads it from here
# ([tool.setuptools.dynamic]), and every build manifest records it.
__version__ = "0.1.0"
