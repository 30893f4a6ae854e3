"""The reader's history must behave like a browser's: back, forward, and truncation."""

from __future__ import annotations

import pytest

from tui.history import History


def test_empty_history_has_nothing_to_go_back_to() -> None:
    h: History[str] = History()
    assert h.current is None
    assert h.back() is None
    assert h.forward() is None
    assert not h.can_go_back
    assert len(h) == 0


def test_back_and_forward_walk_the_visits() -> None:
    h: History[str] = History()
    for pmid in ("1", "2", "3"):
        h.visit(pmid)
    assert h.current == "3"
    assert h.peek_back() == "2"
    assert h.back() == "2"
    assert h.back() == "1"
    assert h.back() is None
    assert h.current == "1"
    assert h.forward() == "2"
    assert h.forward() == "3"
    assert h.forward() is None
    assert h.current == "3"


def test_visiting_after_back_drops_forward_entries() -> None:
    h: History[str] = History()
    for pmid in ("1", "2", "3"):
        h.visit(pmid)
    h.back()
    h.back()
    h.visit("9")
    assert list(h) == ["1", "9"]
    assert not h.can_go_forward
    assert h.back() == "1"


def test_revisiting_the_current_entry_adds_no_step() -> None:
    h: History[str] = History()
    h.visit("1")
    h.visit("1")
    assert len(h) == 1
    assert not h.can_go_back


def test_limit_drops_the_oldest_entries() -> None:
    h: History[int] = History(limit=3)
    for n in range(5):
        h.visit(n)
    assert list(h) == [2, 3, 4]
    assert h.back() == 3
    assert h.back() == 2
    assert h.back() is None


def test_limit_must_be_positive() -> None:
    with pytest.raises(ValueError):
        History(limit=0)
