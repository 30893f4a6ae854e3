"""The full text known to the References pane, table citations stepped, heights exact.

Once a review's full text is known (loaded in this run, or kept by the cache from an
earlier one), every entry of the References pane says how often the text cites it, and
``w`` lists where: the citing sentences, each with its section, ``enter`` jumping to
that place in the Full text pane and ``b`` coming back.  All through the real client and
the local server's recorded JATS.
"""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets._footer import FooterKey

from tests.server import FixtureServer
from tests.test_app_fulltext import BIG_REVIEW, KEY, open_text, pane_of, text_of
from tests.test_app_support import WIDE, ReaderApp, make_app, settle, wait_for
from tui.data.fulltext_model import Cite, FullText
from tui.data.settings import Settings
from tui.screens.cited_contexts import NOT_KNOWN, ContextsScreen, show_where_cited
from tui.widgets.fulltext_blocks import CURRENT, block_content, cite_numbers
from tui.widgets.fulltext_cited import CitedList


def entry_text(app: ReaderApp, position: int) -> str:
    return str(app.reader.references.reference_list.get_option_at_index(position).prompt)


def full_text_requests(server: FixtureServer) -> int:
    return sum(1 for r in server.logged() if "fullTextXML" in r.path)


def cited_twice(full: FullText) -> int:
    """The number of a reference the text cites at least twice."""
    return next(n for n, count in sorted(full.cited_times().items()) if count > 1)


async def go_to_reference(pilot: Pilot[int], app: ReaderApp, number: int) -> None:
    await pilot.press("3")
    app.reader.show_reference(number - 1)
    await pilot.pause()
    assert app.reader.state.highlighted_number == number


async def test_references_say_how_often_the_loaded_text_cites_them(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    pmid = fixture_server.fulltext.enable()[BIG_REVIEW].pmid
    app = make_app(settings, pmid)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        assert app.reader.state.cited_counts is None  # nothing kept, nothing loaded
        assert "cited" not in entry_text(app, 0)
        await open_text(pilot)
        full = text_of(app)
        counts = app.reader.state.cited_counts
        assert counts == full.cited_times() and len(counts) > 300
        for position in range(3):
            assert entry_text(app, position).endswith(f"cited {counts.get(position + 1, 0)}×")


async def test_a_text_kept_from_before_counts_without_the_pane_or_a_request(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    pmid = fixture_server.fulltext.enable()[BIG_REVIEW].pmid
    first = make_app(settings, pmid)
    async with first.run_test(size=WIDE) as pilot:
        await open_text(pilot)
        expected = text_of(first).cited_times()
    asked = full_text_requests(fixture_server)
    app = make_app(settings, pmid)  # the same cache
    async with app.run_test(size=WIDE) as pilot:
        await wait_for(pilot, lambda: app.reader.state.cited_counts is not None)
        await settle(pilot)
        assert app.reader.state.cited_counts == expected
        assert entry_text(app, 0).endswith(f"cited {expected.get(1, 0)}×")
        # The text read ahead is the pane's: its key shows it without asking again.
        await pilot.press(KEY)
        await settle(pilot)
        assert text_of(app).cited_times() == expected
        assert full_text_requests(fixture_server) == asked


async def test_w_lists_the_citing_sentences_enter_jumps_and_b_comes_back(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    pmid = fixture_server.fulltext.enable()[BIG_REVIEW].pmid
    app = make_app(settings, pmid)
    async with app.run_test(size=WIDE) as pilot:
        await open_text(pilot)
        full = text_of(app)
        number = cited_twice(full)
        await go_to_reference(pilot, app, number)
        await pilot.press("w")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ContextsScreen)
        contexts = full.contexts_of(number)
        assert screen.contexts == contexts and len(contexts) > 1
        listing = screen.query_one("#contexts-list", CitedList)
        assert listing.option_count == len(contexts)
        first = str(listing.get_option_at_index(0).prompt)
        assert contexts[0].section in first and contexts[0].sentence[:40] in first
        await pilot.press("down", "enter")
        await settle(pilot)
        target = contexts[1]
        pane = pane_of(app)
        text = pane.text_list
        assert app.reader.active_pane == "fulltext" and app.focused is text
        assert text.highlighted == target.block
        cite = text.current_cite
        assert cite is not None and number in cite.numbers
        await pilot.press("b")
        await pilot.pause()
        assert app.reader.active_pane == "references"
        assert app.reader.state.highlighted_number == number
        assert app.reader.record is not None and app.reader.record.pmid == pmid


def footer_keys(app: ReaderApp) -> set[str]:
    return {key.key for key in app.reader.query(FooterKey)}


async def test_w_applies_once_the_text_is_known(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    pmid = fixture_server.fulltext.enable()[BIG_REVIEW].pmid
    app = make_app(settings, pmid)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await pilot.pause()
        assert "w" not in footer_keys(app)
        await pilot.press("w")
        await pilot.pause()
        assert not isinstance(app.screen, ContextsScreen)
        # The text read once: the footer lists w, and w lists the sentences.
        await pilot.press(KEY)
        await settle(pilot)
        await pilot.press("3")
        await pilot.pause()
        assert "w" in footer_keys(app)
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, ContextsScreen)


async def test_where_cited_says_why_without_a_known_text(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    pmid = fixture_server.fulltext.enable()[BIG_REVIEW].pmid
    app = make_app(settings, pmid)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        show_where_cited(app.reader.full_text, 0)  # the palette's way in, were there one
        await pilot.pause()
        assert not isinstance(app.screen, ContextsScreen)
        assert NOT_KNOWN in app.messages


async def test_citations_in_table_cells_are_stepped_and_shown(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    pmid = fixture_server.fulltext.enable()[BIG_REVIEW].pmid
    app = make_app(settings, pmid)
    async with app.run_test(size=WIDE) as pilot:
        pane = await open_text(pilot)
        full = text_of(app)
        index, table = next((i, b) for i, b in enumerate(full.blocks) if b.cell_cites)
        listing = pane.text_list
        listing.go(index)
        await pilot.pause()
        for _ in range(len(table.cites) + 1):
            await pilot.press("right_square_bracket")
        first_cell: Cite = table.cell_cites[0][2]
        assert listing.highlighted == index and listing.current_cite == first_cell
        await pilot.press("right_square_bracket")
        assert listing.current_cite == table.cell_cites[1][2]
        await pilot.press("left_square_bracket")
        assert listing.current_cite == first_cell
        # Drawn apart in its cell, and enter shows what it cites.
        shown = block_content(table, len(table.cites))
        assert any(str(span.style) == "." + CURRENT for span in shown.spans)
        await pilot.press("enter")
        await pilot.pause()
        assert pane.cited.numbers == cite_numbers(first_cell)


async def test_every_block_is_measured_once_shown_so_scrolling_keeps_the_height(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    pmid = fixture_server.fulltext.enable()[BIG_REVIEW].pmid
    app = make_app(settings, pmid)
    async with app.run_test(size=WIDE) as pilot:
        pane = await open_text(pilot)
        listing = pane.text_list
        heights = listing.heights
        assert heights.measured_count == len(listing.entries) == len(text_of(app).blocks)
        total = heights.total
        assert listing.virtual_size.height == total
        await pilot.press(*["pagedown"] * 8, *["j"] * 10)
        await pilot.pause()
        assert listing.heights.total == total
        assert listing.scroll_offset.y > 0
