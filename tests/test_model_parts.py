"""The model's shared comparison, hash and repr behave as a frozen dataclass's own."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from tui.data import model, model_part
from tui.data.parse import parse_pubmed

PUBMED = Path(__file__).parent / "fixtures" / "pubmed"


def _parts(value: Any) -> list[model_part.Part]:
    """Every model object inside ``value``, ``value`` included."""
    found: list[model_part.Part] = []
    if isinstance(value, model_part.Part):
        found.append(value)
        for f in dataclasses.fields(value):  # type: ignore[arg-type]
            found += _parts(getattr(value, f.name))
    elif isinstance(value, tuple):
        for item in value:
            found += _parts(item)
    return found


def _twin(part: model_part.Part) -> Any:
    """The same values in a class that dataclasses itself gave eq, hash and repr."""
    cls = type(part)
    names = [f.name for f in dataclasses.fields(part)]  # type: ignore[arg-type]
    plain = dataclasses.make_dataclass(cls.__name__, names, frozen=True)
    plain.__qualname__ = cls.__qualname__
    return plain(*(getattr(part, n) for n in names))


@pytest.mark.parametrize("pmid", ["35856662", "32051057"])
def test_every_part_compares_hashes_and_shows_like_a_dataclass(pmid: str) -> None:
    (record,) = parse_pubmed((PUBMED / f"{pmid}.xml").read_bytes())
    parts = _parts(record)
    assert {type(p) for p in parts} >= {model.Record, model.Author, model.Reference}
    for part in parts:
        twin = _twin(part)
        assert repr(part) == repr(twin)
        first = dataclasses.fields(part)[0].name  # type: ignore[arg-type]
        copy = dataclasses.replace(part, **{first: getattr(part, first)})  # type: ignore[type-var]
        assert copy == part and hash(copy) == hash(part) and copy is not part
        changed = dataclasses.replace(part, **{first: "changed"})  # type: ignore[type-var]
        assert changed != part
        assert part != twin  # another class is never equal, as with dataclasses


def test_parts_stay_frozen_with_slots() -> None:
    author = model.Author(last="Smith")
    with pytest.raises(dataclasses.FrozenInstanceError):
        author.last = "Jones"  # type: ignore[misc]
    assert not hasattr(author, "__dict__")
