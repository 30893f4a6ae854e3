"""The reader with 20,000 references: it opens, and the list builds only what it shows.

The record is the real 597-reference review (32051057) with its ``<Reference>``
elements repeated to 20,000 (``benchmarks/synthetic.py``), served by the local fixture
server.  Measures are counted by wrapping ``HangingIndent.get_height``: however long the
list, the reader measures the entries in view plus a margin, never the whole list.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from textual.css.styles import RulesMap

from benchmarks.synthetic import long_review
from tests.server import FIXTURES, FixtureServer
from tests.test_app_support import WIDE, loaded, make_app, wait_for
from tui.data.settings import Settings
from tui.data.summaries import parse_esummary
from tui.widgets.hanging import HangingIndent
from tui.widgets.vlist import VirtualList

BIG = 20_000


@pytest.fixture
def measured(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The number label of every entry measured, once per measure."""
    calls: list[str] = []
    original = HangingIndent.get_height

    def counting(self: HangingIndent, rules: RulesMap, width: int) -> int:
        calls.append(self.label.plain.strip())
        return original(self, rules, width)

    monkeypatch.setattr(HangingIndent, "get_height", counting)
    yield calls


def top_entry(listing: VirtualList) -> int:
    """The entry on the view's first line."""
    return listing.heights.locate(round(listing.scroll_y))[0]


def shown(listing: VirtualList) -> list[str]:
    return [listing.render_line(y).text for y in range(listing.scrollable_content_region.height)]


async def test_20000_references_open_scroll_filter_and_resolve_in_place(
    settings: Settings, fixture_server: FixtureServer, measured: list[str]
) -> None:
    review = long_review(BIG)
    fixture_server.add_record(review.pmid, review.xml)
    app = make_app(settings, review.pmid)
    async with app.run_test(size=WIDE) as pilot:
        # A slow shared machine may take a while to parse 20,000 references: wait long.
        reader = app.reader
        await wait_for(pilot, lambda: reader.record is not None, timeout=120)
        record = await loaded(pilot, review.pmid)
        assert len(record.references) == BIG
        pane = app.reader.references
        listing = pane.reference_list
        assert pane.border_title.startswith(f"References {BIG}")
        page = listing.scrollable_content_region.height
        bound = VirtualList.SAMPLE + 8 * page
        assert 0 < len(measured) <= bound

        # The end is one key away, and measures only the last screens.
        await pilot.press("3", "G")
        await pilot.pause()
        assert pane.highlighted_number == BIG and app.reader.state.cursor == BIG - 1
        assert any(line.lstrip().startswith(f"{BIG}. ") for line in shown(listing))
        assert listing.scroll_y == listing.max_scroll_y
        await pilot.press("pageup", "pageup", "pageup")
        await pilot.pause()
        cursor = app.reader.state.cursor
        assert cursor is not None and cursor < BIG - page
        row, top = listing.cursor_row, top_entry(listing)
        assert row is not None and 0 <= row < page

        # Titles resolving in place (a real esummary answer, for the PMIDs on screen)
        # rebuild those entries; the cursor, its row and the view stay.  (The same PMIDs
        # recur above the view, so the line offset moves by their change in height.)
        answer = next(
            iter(parse_esummary((FIXTURES / "eutils" / "esummary.xml").read_bytes()).values())
        )
        on_screen = [r.pmid for r in record.references[top : top + page] if r.pmid]
        assert on_screen
        fresh = {pmid: replace(answer, pmid=pmid) for pmid in on_screen}
        app.reader.update(lambda state: state.resolved(fresh))
        await pilot.pause()
        assert app.reader.state.cursor == cursor and pane.highlighted_number == cursor + 1
        assert (listing.cursor_row, top_entry(listing)) == (row, top)
        assert any(answer.title[:30] in line for line in shown(listing))

        # A filter keeps the highlighted reference on its row when it still matches
        # (in the middle of the list, where nothing stops the view from staying put).
        middle = BIG // 2
        listing.highlighted = middle
        await pilot.pause()
        assert app.reader.state.cursor == middle
        row = listing.cursor_row
        word = record.references[middle].citation.split()[0].strip(",.")
        matches = sum(1 for r in record.references if word.casefold() in r.citation.casefold())
        assert 1 < matches < BIG
        await pilot.press("slash", *word)
        await pilot.pause()
        assert pane.filter_input.value == word
        assert pane.border_title.startswith(f"References {matches} of {BIG}")
        assert pane.highlighted_number == middle + 1 and listing.cursor_row == row
        await pilot.press("escape")
        await pilot.pause()
        assert pane.border_title.startswith(f"References {BIG}")
        assert pane.highlighted_number == middle + 1 and listing.cursor_row == row

        # Through all of it, only a bounded few of the 20,000 were ever measured.
        assert len(measured) <= 3 * bound
        assert listing.heights.measured_count <= bound
