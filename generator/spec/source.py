"""Reading a spec file into a YAML node tree, safely and within bounds.

Nodes (not Python objects) are kept so that every later problem can name the
line and column it comes from. Only the YAML core schema is allowed: no tag
ever constructs a Python object.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from generator.spec.errors import Problem, SpecError

MAX_FILE_BYTES = 1_000_000  # a large report is ~50 kB; anything near this is a mistake

try:  # the C parser is several times faster and just as safe for composing
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml missing
    _Loader = yaml.SafeLoader


def read_nodes(path: Path) -> yaml.Node:
    """Return the root node of the spec at `path`, or raise SpecError."""
    data = _read_bytes(path)
    text = _decode(path, data)
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        raise SpecError(path, [_yaml_problem(exc, text)]) from None
    except yaml.YAMLError as exc:
        raise SpecError(path, [Problem(1, 1, "", f"not valid YAML: {exc}")]) from None
    except RecursionError:
        raise SpecError(path, [Problem(1, 1, "", "nesting too deep to be a report spec")]) from None
    if root is None:
        raise SpecError(path, [Problem(1, 1, "", "the file is empty; a spec needs code, title, version, as_of and sections")])
    return root


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise SpecError(path, [Problem(1, 1, "", f"file is {size} bytes; the limit is {MAX_FILE_BYTES}")])
        return path.read_bytes()
    except OSError as exc:
        raise SpecError(path, [Problem(1, 1, "", f"cannot read the file: {exc.strerror or exc}")]) from None


def _decode(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        problem = Problem(line, column, "", f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8")
        raise SpecError(path, [problem]) from None


def _yaml_problem(exc: yaml.MarkedYAMLError, text: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    message = exc.problem or "not valid YAML"
    if exc.context and exc.context_mark and (not mark or exc.context_mark.line != mark.line):
        message += f" ({exc.context} that starts on line {exc.context_mark.line + 1})"
    if mark and mark.index < len(text) and text[mark.index] == "\t":
        message += " (YAML indents with spaces, not tabs)"
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return Problem(line, column, "", f"invalid YAML: {message}")
