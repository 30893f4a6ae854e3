"""The reader's one state: pure transitions, and places that ``b`` comes back to.

The transitions are plain functions of a frozen value, tested without Textual on real
records; the Pilot test walks away from a filtered, scrolled list and back with ``b``.
"""

from __future__ import annotations

from dataclasses import FrozenInstanceError, replace
from pathlib import Path

import pytest

from tests.test_app_support import REVIEW, STRUCTURED, WIDE, loaded, make_app, wait_for
from tui.data.ids import ArticleId, IdKind
from tui.data.model import Record
from tui.data.parse import parse_pubmed
from tui.data.settings import Settings
from tui.data.summaries import parse_esummary
from tui.history import History
from tui.screens.reading_events import FilterChanged, LinksMoved, MarkToggled, Moved
from tui.screens.reading_state import GraphList, Place, ReadingState, Visit
from tui.widgets.entries import haystack
from tui.widgets.ref_filter import ReferenceFilter

FIXTURES = Path(__file__).parent / "fixtures"


def record(pmid: str) -> Record:
    return parse_pubmed((FIXTURES / "pubmed" / f"{pmid}.xml").read_bytes())[0]


def test_the_state_is_frozen_and_every_change_is_a_new_value() -> None:
    state = ReadingState().showing(record(REVIEW))
    with pytest.raises(FrozenInstanceError):
        state.filter = "x"  # type: ignore[misc]
    marked = state.after(MarkToggled(2))
    assert marked is not state and state.marked == frozenset() and marked.marked == {2}
    assert state.after(FilterChanged("")) is state  # no change, no new value


def test_marks_belong_to_their_record_and_survive_walking_away() -> None:
    review, other = record(REVIEW), record(STRUCTURED)
    state = ReadingState().showing(review).after(MarkToggled(0)).after(MarkToggled(3))
    state = state.after(MarkToggled(0))  # unmarked again
    assert state.marked_entries() == [review.references[3]]
    away = state.showing(other)
    assert away.marked_entries() == [] and away.marked == frozenset()
    back = away.showing(review)
    assert back.marked_entries() == [review.references[3]]
    assert back.after(MarkToggled(10_000)) is back  # no such reference


def test_a_new_record_starts_at_its_place_and_the_same_one_keeps_it() -> None:
    review = record(REVIEW)
    state = ReadingState().showing(review).after(FilterChanged("kleb")).after(Moved(7, 40))
    state = state.focusing("references", right=True)
    assert state.place == Place("references", 7, "kleb", 40)
    assert state.highlighted_reference() == review.references[7]
    assert state.highlighted_number == 8
    again = state.showing(replace(review, stale="served from cache"))
    assert again.place == state.place  # refetching the same record keeps the place
    other = state.showing(record(STRUCTURED))
    assert (other.filter, other.scroll, other.graph) == ("", 0, {})
    back = other.showing(review, state.place)
    assert (back.cursor, back.filter, back.scroll) == (7, "kleb", 40)


def test_summaries_accumulate_and_graph_lists_keep_their_load_state() -> None:
    summaries = parse_esummary((FIXTURES / "eutils" / "esummary.xml").read_bytes())
    state = ReadingState().showing(record(REVIEW)).resolved(summaries)
    assert state.resolved({}) is state
    assert all(state.summaries[p] is s for p, s in summaries.items())
    links = GraphList().started("35856662")
    assert links.pending and links.pmids is None and links.highlighted_pmid is None
    state = state.with_links("cited-by", links.listed(("1", "2", "3")))
    state = state.after(LinksMoved("cited-by", 2))
    assert state.links("cited-by").highlighted_pmid == "3"
    assert state.links("similar") == GraphList()
    done = state.links("cited-by").finished()
    assert done.load == "loaded" and not done.pending and done.pmids == ("1", "2", "3")
    failed = GraphList().started("1").failed("NCBI did not answer")
    assert (failed.load, failed.error) == ("failed", "NCBI did not answer")


def test_history_steps_carry_their_place_yet_compare_by_record() -> None:
    history: History[Visit] = History()
    review = ArticleId(IdKind.PMID, REVIEW)
    history.visit(Visit(review))
    current = history.current
    assert current is not None
    history.replace_current(replace(current, place=Place("references", 41, "kleb", 90)))
    history.visit(Visit(review, Place()))  # the same record: no new step
    assert len(history) == 1
    history.visit(Visit(ArticleId(IdKind.PMID, STRUCTURED)))
    back = history.back()
    assert back is not None and back.place == Place("references", 41, "kleb", 90)


def test_the_filter_narrows_the_previous_matches_as_the_text_grows() -> None:
    references = record(REVIEW).references
    looked: list[int] = []

    def hay(index: int) -> str:
        looked.append(index)
        return haystack(references[index])

    matcher = ReferenceFilter(len(references), hay)
    everything = [i for i, r in enumerate(references) if "c" in haystack(r)]
    assert matcher.matches("c") == everything
    assert len(looked) == len(references)
    looked.clear()
    narrowed = matcher.matches("carbapenem")
    assert narrowed == [i for i, r in enumerate(references) if "carbapenem" in haystack(r)]
    assert narrowed and looked == []  # every haystack made once, on the first key
    assert matcher.matches("") == list(range(len(references)))
    assert matcher.matches("  CARBAPENEM ") == narrowed  # words and case do not matter


async def test_b_returns_to_the_same_pane_reference_filter_and_scroll(settings: Settings) -> None:
    app = make_app(settings)
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, REVIEW)
        pane = app.reader.references
        await pilot.press("3", "slash", *"klebsiella", "enter")
        await pilot.press("G", "k")
        listing = pane.reference_list
        await wait_for(pilot, lambda: listing.scroll_y > 0)
        number, row = pane.highlighted_number, listing.cursor_row
        assert number is not None and number > 1 and row is not None and row > 0
        place = Place("references", number - 1, "klebsiella", row)
        assert app.reader.state.place == place
        app.reader.load(ArticleId(IdKind.PMID, STRUCTURED))
        await loaded(pilot, STRUCTURED)
        assert app.reader.pane_of(app.focused) == "abstract"
        assert pane.filter_text == "" and listing.scroll_y == 0
        await pilot.press("b")
        await loaded(pilot, REVIEW)
        assert app.reader.pane_of(app.focused) == "references"
        assert pane.filter_input.value == "klebsiella" and pane.filter_text == "klebsiella"
        assert pane.highlighted_number == number
        assert listing.cursor_row == row and listing.scroll_y > 0  # the same spot on screen
        assert app.reader.state.place == place
        assert pane.border_title.startswith("References ") and " of 258" in pane.border_title
