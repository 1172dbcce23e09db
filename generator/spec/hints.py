"""What a type hint of `spec.model` stands for: the one reading that the validator and the schema share."""

from __future__ import annotations

import dataclasses
import enum
import functools
import types
import typing
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any


class Kind(enum.Enum):
    SEQUENCE = "a list"  # tuple[X, ...]; `of` is X
    MEASURE = "a number or text"  # Decimal | str
    BLOCK = "a paragraph or a record"  # str | Record | ...; `of` is the union's members
    RECORD = "a mapping"  # a dataclass; `of` is it
    DATE = "a date"
    CHOICE = "one of a list"  # an Enum; `of` is it
    FLAG = "true or false"  # bool
    TEXT = "text"


@dataclass(frozen=True)
class Shape:
    """What a field's type hint asks the walker to read."""

    kind: Kind
    nullable: bool  # `| None`: an empty value is allowed
    of: Any = None


@functools.cache
def field_hints(cls: type) -> dict[str, Any]:
    """The type hints of a record's fields, resolved once per class (resolving costs more than a walk step)."""
    return typing.get_type_hints(cls)


@functools.cache
def shape(hint: Any) -> Shape:
    """The Shape of a field's type hint; TypeError for a hint the spec format has no reading for."""
    kinds = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
    nullable = type(None) in kinds
    kinds = tuple(k for k in kinds if k is not type(None))
    if typing.get_origin(hint) is tuple:
        return Shape(Kind.SEQUENCE, nullable, typing.get_args(hint)[0])
    if kinds == (Decimal, str):
        return Shape(Kind.MEASURE, nullable)
    if len(kinds) > 1:
        return Shape(Kind.BLOCK, nullable, kinds)
    kind = kinds[0]
    if dataclasses.is_dataclass(kind):
        return Shape(Kind.RECORD, nullable, kind)
    if kind is date:
        return Shape(Kind.DATE, nullable)
    if kind is bool:
        return Shape(Kind.FLAG, nullable)
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return Shape(Kind.CHOICE, nullable, kind)
    if kind is str:
        return Shape(Kind.TEXT, nullable)
    raise TypeError(f"no reading for the type hint {hint!r} in the spec format; teach generator/spec/hints.py")
