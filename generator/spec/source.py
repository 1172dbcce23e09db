"""Reading a spec file into a YAML node tree, safely and within bounds.

Nodes (not Python objects) are kept so that every later problem can name the
line and column it comes from. Only the YAML core schema is allowed: no tag
ever constructs a Python object.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from generator.spec.errors import Problem, SpecError

MAX_FILE_BYTES = 1_000_000  # a large report is ~50 kB; anything near this is a mistake
# Lists and mappings inside each other, the top-level mapping counting 1. libyaml (PyYAML 6.0.4's
# C parser) refuses deeper input with its own message and older ones do not; the limit and its
# message are ours, the same whichever PyYAML reads the file.
MAX_NESTING = 1000
NESTING_MESSAGE = f"invalid YAML: nesting deeper than {MAX_NESTING} levels; not a report spec"

try:  # the C parser is several times faster and just as safe for composing
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml missing
    _Loader = yaml.SafeLoader


EMPTY_SPEC = "the file is empty; a spec needs code, title, version, as_of and sections"


def read_nodes(path: Path, empty_message: str = EMPTY_SPEC) -> yaml.Node:
    """Return the root node of the spec (or other YAML input, e.g. a theme) at `path`, or raise SpecError."""
    return read_source(path, empty_message)[1]


def read_source(path: Path, empty_message: str = EMPTY_SPEC) -> tuple[bytes, yaml.Node]:
    """The bytes of the file at `path` and the root node they hold, or SpecError (as read_nodes)."""
    data = _read_bytes(path)
    text = _decode(path, data)
    _refuse_nbsp_indentation(path, text)
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.reader.ReaderError as exc:  # a raw control character; its str() spans two lines
        raise SpecError(path, [_reader_problem(exc, text)]) from None
    except yaml.MarkedYAMLError as exc:
        if exc.problem and "maximum nesting depth" in exc.problem and exc.problem_mark:
            raise SpecError(path, [Problem(exc.problem_mark.line + 1, exc.problem_mark.column + 1, "", NESTING_MESSAGE)]) from None
        raise SpecError(path, [_yaml_problem(exc, text)]) from None
    except yaml.YAMLError as exc:
        raise SpecError(path, [Problem(1, 1, "", f"not valid YAML: {exc}")]) from None
    except RecursionError:
        raise SpecError(path, [Problem(1, 1, "", "nesting too deep to be a report spec")]) from None
    if root is None:
        raise SpecError(path, [Problem(1, 1, "", empty_message)])
    too_deep = _too_deep(root)
    if too_deep is not None:
        raise SpecError(path, [Problem.at(too_deep, "", NESTING_MESSAGE)])
    return data, root


def _too_deep(root: yaml.Node) -> yaml.Node | None:
    """The first node (in document order) nested deeper than MAX_NESTING, or None; each node is
    visited once, so an alias-laden file costs no more than its text."""
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if not isinstance(node, yaml.CollectionNode) or id(node) in seen:
            continue
        if depth > MAX_NESTING:
            return node
        seen.add(id(node))
        children = [child for pair in node.value for child in pair] if isinstance(node, yaml.MappingNode) else node.value
        stack.extend((child, depth + 1) for child in reversed(children))
    return None


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise SpecError(path, [Problem(1, 1, "", f"file is {size} bytes; the limit is {MAX_FILE_BYTES}")])
        with path.open("rb") as handle:  # bounded: a device or pipe reports size 0 and may never end
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise SpecError(path, [Problem(1, 1, "", f"cannot read the file: {exc.strerror or exc}")]) from None
    if len(data) > MAX_FILE_BYTES:
        raise SpecError(path, [Problem(1, 1, "", f"file is more than {MAX_FILE_BYTES} bytes; the limit is {MAX_FILE_BYTES}")])
    return data


def _decode(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        problem = Problem(line, column, "", f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8")
        raise SpecError(path, [problem]) from None


_NBSP_INDENT = re.compile("^ *\u00a0", re.MULTILINE)


def _refuse_nbsp_indentation(path: Path, text: str) -> None:
    """A non-breaking space at the start of a line (pasted from a word processor) is not indentation to YAML."""
    problems = []
    for match in _NBSP_INDENT.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        column = match.end() - match.start()
        message = "a non-breaking space (U+00A0) indents this line; YAML indents with ordinary spaces: retype them"
        problems.append(Problem(line, column, "", message))
    if problems:
        raise SpecError(path, problems)


def _reader_problem(exc: yaml.reader.ReaderError, text: str) -> Problem:
    before = text[: exc.position]
    line = before.count("\n") + 1
    column = exc.position - (before.rfind("\n") + 1) + 1
    code = exc.character if isinstance(exc.character, int) else ord(exc.character)
    message = f"invalid YAML: character U+{code:04X} is not allowed in a YAML file; remove it"
    return Problem(line, column, "", message)


# libyaml messages that read backwards, said plainly: (context, problem) -> message
_REWORDED = {
    ("expected a single document in the stream", "but found another document"):
        "a second document starts here; a spec file holds one document (remove the '---')",
    ("found duplicate anchor; first occurrence", "second occurrence"):
        "this anchor name is already used on line {line}; give each anchor its own name",
}


def _yaml_problem(exc: yaml.MarkedYAMLError, text: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    message = exc.problem or "not valid YAML"
    reworded = _REWORDED.get((exc.context, exc.problem))
    if reworded and exc.context_mark:
        message = reworded.format(line=exc.context_mark.line + 1)
    elif exc.context and exc.context_mark and (not mark or exc.context_mark.line != mark.line):
        message += f" ({exc.context} that starts on line {exc.context_mark.line + 1})"
    if mark and mark.index < len(text) and text[mark.index] == "\t":
        message += " (YAML indents with spaces, not tabs)"
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return Problem(line, column, "", f"invalid YAML: {message}")
