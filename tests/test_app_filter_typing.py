"""Typing into the references filter as fast as keys can arrive keeps every key in place.

A late ``Input.Changed`` once wrote an older filter back into the Input, so a burst of
keys came out scrambled (``castaneda`` became ``canedaast``) and the count said nothing
matched.  These tests type real words with no pause between keys, many times over.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from textual import events
from textual.pilot import Pilot

from tests.test_app_support import REVIEW, WIDE, fixture_record, loaded, make_app
from tui.data.model import Reference
from tui.data.settings import Settings
from tui.data.summaries import Summary
from tui.widgets.entries import haystack

WORDS = ("castaneda", "carbapenem", "klebsiella")
# The bursts are the case that scrambled the text (20 tries, as the issue asks); typing
# through Pilot waits for each key, so a few tries show the plain path stays right.
# The bursts' tries are shared out among three readers, so that parallel workers share
# them: each try starts from an empty filter, and its keys' order depends on its number
# alone, so a reader starting at try 7 types exactly what the seventh try did.
TRIES = {"press": [range(3)], "burst": [range(0, 7), range(7, 14), range(14, 20)]}
RUNS = [(mode, tries) for mode, shares in TRIES.items() for tries in shares]


def expected_count(word: str, summary_of: Callable[[Reference], Summary | None]) -> int:
    """How many references the filter should let through: the recorded list, with the
    titles esummary resolved for it."""
    record = fixture_record(REVIEW)
    return sum(1 for ref in record.references if word in haystack(ref, summary_of(ref)))


async def burst(pilot: Pilot[Any], word: str, attempt: int) -> None:
    """The keys of ``word`` queued on the focused Input in two bursts, the second landing
    while the pane handles the first one's ``Input.Changed`` messages.

    This is what a terminal does when keys arrive faster than the app handles them.  The
    split point and the number of event-loop turns between the bursts change with
    ``attempt``, so the tries cover the orders a real burst can take (asyncio runs them
    the same way each time: the test is deterministic).
    """
    focused = pilot.app.focused
    assert focused is not None
    split = attempt % len(word) or 1
    for index, char in enumerate(word):
        if index == split:
            for _ in range(1 + attempt // len(word)):
                await asyncio.sleep(0)
        key = events.Key(char, char)
        key.set_sender(pilot.app)
        focused.post_message(key)
    await pilot.pause()


@pytest.mark.parametrize(
    ("mode", "tries"), RUNS, ids=[f"{mode}{t.start}-{t.stop - 1}" for mode, t in RUNS]
)
async def test_fast_typing_keeps_the_filter_text_and_count(
    settings: Settings, mode: str, tries: range
) -> None:
    """Each word is typed many times into the open filter, emptied by a key between
    tries (``ctrl+u``, so every try starts a filter again); opening and closing the
    filter is checked once a word, as hiding and showing it costs a layout each time."""
    app = make_app(settings)
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, REVIEW)
        pane = app.reader.references
        counts = {word: expected_count(word, pane.summary_of) for word in WORDS}
        assert counts["carbapenem"] and counts["klebsiella"]
        await pilot.press("3")
        for word in WORDS:
            await pilot.press("slash")
            assert app.focused is pane.filter_input
            for attempt in tries:
                assert pane.filter_input.value == "" and app.focused is pane.filter_input
                if mode == "press":
                    await pilot.press(*word)
                else:
                    await burst(pilot, word, attempt)
                await pilot.pause()
                assert pane.filter_input.value == word, (word, attempt)
                assert pane.border_title == f"References {counts[word]} of 258", (word, attempt)
                await pilot.press("ctrl+u")
                await pilot.pause()
                assert pane.filter_input.value == ""
                assert pane.border_title == "References 258"
            await pilot.press("escape")
            await pilot.pause()
            assert pane.filter_input.value == "" and not pane.filter_input.has_class("-shown")
            assert app.focused is pane.reference_list


def test_the_shares_cover_every_try_once() -> None:
    assert sorted(a for share in TRIES["burst"] for a in share) == list(range(20))
