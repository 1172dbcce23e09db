"""The specs every deliverable test runs on."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).parent.parent
# Every spec users build, plus the stress fixture (another code, long and Unicode text).
SPECS = sorted((ROOT / "specs").glob("*.yaml")) + [ROOT / "tests" / "fixtures" / "other_code.yaml"]
FORMATS = ("docx", "pdf", "xlsx")

Built = Callable[[Path], dict[str, bytes]]  # spec -> format -> the deliverable's bytes
