"""The shared base of every model class: comparison, hash, repr and JSON, written once.

Generating ``__eq__``, ``__hash__`` and ``__repr__`` per frozen dataclass cost more than
half of importing the model, which every print and every reader start pays before its
first request; the record and its parts (:mod:`tui.data.model`,
:mod:`tui.data.model_publication`) all inherit them from :class:`Part` instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, is_dataclass
from operator import attrgetter
from typing import Any


def plain(value: Any) -> Any:
    """A model value as JSON data: dataclasses as objects, tuples as lists."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    return value


_VALUES: dict[type, Callable[[Any], tuple[Any, ...]]] = {}


def _values_of(cls: type) -> Callable[[Any], tuple[Any, ...]]:
    getter = _VALUES.get(cls)
    if getter is None:
        getter = _VALUES[cls] = attrgetter(*(f.name for f in fields(cls)))
    return getter


class Part:
    """What every model class compares, hashes and shows by: its fields, in order.

    The same ``__eq__``, ``__hash__`` and ``__repr__`` a frozen dataclass writes for itself,
    written once here: generating them per class cost more than half of importing the
    model, which every print and every reader start pays before its first request.
    """

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        values = _values_of(self.__class__)
        return values(self) == values(other)

    def __hash__(self) -> int:
        return hash(_values_of(self.__class__)(self))

    def __repr__(self) -> str:
        shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self))  # type: ignore[arg-type]
        return f"{self.__class__.__qualname__}({shown})"
