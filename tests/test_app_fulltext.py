"""The Full text pane in the reader, driven by real keys against the local server.

The server serves the recorded JATS articles at Europe PMC's path and builds each
article's PubMed record from its front matter (tests/server_fulltext.py), so the pane,
the citations and the reference list all come through the real client.
"""

from __future__ import annotations

from dataclasses import replace

from textual.pilot import Pilot
from textual.widgets import Label

from tests.server import FixtureServer
from tests.test_app_support import ReaderApp, make_app, settle
from tui.data.fulltext_model import FIGURE, PARAGRAPH, Block, Cite, FullText
from tui.data.settings import Settings
from tui.screens.fulltext_outline import OutlineScreen
from tui.screens.panes import PANE_TABLE
from tui.widgets.fulltext import FullTextPane
from tui.widgets.fulltext_blocks import block_content
from tui.widgets.fulltext_cited import CitedList

REVIEW = "PMC12599256-portland-bst-review.xml"  # 60 references, 69 citations
BIG_REVIEW = "PMC12491691-elsevier-apsb-review.xml"  # 337 references, 434 citations
KEY = next(p.key for p in PANE_TABLE if p.id == "fulltext")


def pane_of(app: ReaderApp) -> FullTextPane:
    return app.reader.query_one("#fulltext", FullTextPane)


def text_of(app: ReaderApp) -> FullText:
    full = pane_of(app).full
    assert full is not None, pane_of(app).message
    return full


async def open_text(pilot: Pilot[int]) -> FullTextPane:
    await settle(pilot)
    await pilot.press(KEY)
    await settle(pilot)
    return pane_of(pilot.app)  # type: ignore[arg-type]


async def test_the_pane_key_shows_the_text_with_its_sections(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    pmid = fixture_server.fulltext.enable()[REVIEW].pmid
    app = make_app(settings, pmid)
    async with app.run_test(size=(160, 48)) as pilot:
        pane = await open_text(pilot)
        full = text_of(app)
        assert app.reader.active_pane == "fulltext"
        assert app.focused is pane.text_list
        assert app.reader.has_class("-fulltext-open")
        assert not app.reader.query_one("#abstract").display
        assert len(full.references) == 60 and full.cite_count == 69
        assert str(pane.border_title) == "Full text · Introduction"
        assert "Europe PMC" in str(pane.border_subtitle)
        assert str(app.reader.query_one("#tab-fulltext", Label).content) == f"{KEY} Full text"
        # The Abstract takes the main column back.
        await pilot.press("1")
        await pilot.pause()
        assert not app.reader.has_class("-fulltext-open")
        assert not pane.display


async def test_next_citation_and_enter_show_the_cited_reference(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    pmid = fixture_server.fulltext.enable()[BIG_REVIEW].pmid
    app = make_app(settings, pmid)
    async with app.run_test(size=(160, 48)) as pilot:
        pane = await open_text(pilot)
        full = text_of(app)
        first_block, first_cite = full.citation_places()[0]
        await pilot.press("right_square_bracket", "right_square_bracket")
        await pilot.pause()
        listing = pane.text_list
        assert listing.highlighted == first_block
        second = full.blocks[first_block].cites[1]
        assert listing.current_cite == second
        await pilot.press("left_square_bracket")
        assert listing.current_cite == first_cite
        await pilot.press("enter")
        await pilot.pause()
        number = first_cite.numbers[0]
        assert pane.has_class("-cited-shown") and pane.cited.numbers == (number,)
        assert isinstance(app.focused, CitedList) and app.focused.id == "cited-refs"
        entry = pane.cited.refs_list.get_option_at_index(0).prompt
        count = full.cited_times()[number]
        assert f"cited {count}×" in str(entry)
        assert str(entry).startswith(f"{number}. ")
        # The References pane beside it follows.
        assert app.reader.references.highlighted_number == number
        # escape goes back to the text, the citation still current.
        await pilot.press("escape")
        assert app.focused is listing and not pane.has_class("-cited-shown")
        assert listing.current_cite == first_cite


async def test_a_citing_sentence_jumps_into_the_text_and_b_comes_back(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    pmid = fixture_server.fulltext.enable()[BIG_REVIEW].pmid
    app = make_app(settings, pmid)
    async with app.run_test(size=(160, 48)) as pilot:
        pane = await open_text(pilot)
        full = text_of(app)
        counts = full.cited_times()
        # A reference cited more than once, at its first citation.
        block, cite = next((b, c) for b, c in full.citation_places() if counts[c.numbers[0]] > 1)
        listing = pane.text_list
        listing.go(block, cite=full.blocks[block].cites.index(cite))
        await pilot.pause()
        before = listing.place
        await pilot.press("enter", "w")
        await pilot.pause()
        contexts = pane.cited.contexts
        assert len(contexts) == counts[cite.numbers[0]] > 1
        assert app.focused is pane.cited.contexts_list
        await pilot.press("down", "enter")
        await pilot.pause()
        target = contexts[1]
        assert app.focused is listing and listing.highlighted == target.block
        assert listing.current_cite is not None and listing.current_cite.start == target.start
        await pilot.press("b")
        await pilot.pause()
        assert listing.place == before
        # Nothing left to come back to: b is the reader's back again.
        assert not pane.places


async def test_the_outline_jumps_to_a_section(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    pmid = fixture_server.fulltext.enable()[REVIEW].pmid
    app = make_app(settings, pmid)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_text(pilot)
        full = text_of(app)
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, OutlineScreen)
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        section = full.sections[2]
        assert pane.text_list.highlighted == section.block
        assert str(pane.border_title) == f"Full text · {section.display}"
        await pilot.press("b")
        assert pane.text_list.highlighted == 0


async def test_search_finds_the_text(settings: Settings, fixture_server: FixtureServer) -> None:
    pmid = fixture_server.fulltext.enable()[REVIEW].pmid
    app = make_app(settings, pmid)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_text(pilot)
        full = text_of(app)
        await pilot.press("slash", *"neoantigen", "enter")
        await pilot.pause()
        found = pane.text_list.highlighted
        assert found is not None and "neoantigen" in full.blocks[found].text.lower()
        assert all("neoantigen" not in b.text.lower() for b in full.blocks[1:found])
        await pilot.press("n")
        later = pane.text_list.highlighted
        assert later is not None and later > found
        assert "neoantigen" in (full.blocks[later].text + str(full.blocks[later].label)).lower()


async def test_y_on_a_figure_copies_its_caption_and_link(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    pmid = fixture_server.fulltext.enable()[REVIEW].pmid
    app = make_app(settings, pmid)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_text(pilot)
        full = text_of(app)
        index = next(i for i, b in enumerate(full.blocks) if b.kind == FIGURE)
        pane.text_list.go(index)
        await pilot.pause()
        await pilot.press("y")
        figure = full.blocks[index]
        assert figure.label and app.clipboard.startswith(figure.label)
        assert figure.url is None or app.clipboard.endswith(figure.url)


async def test_metadata_only_says_so_in_words(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    article = fixture_server.fulltext.enable()[REVIEW]
    fixture_server.fulltext.metadata_only.add(article.pmcid)
    app = make_app(settings, article.pmid)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_text(pilot)
        assert pane.full is None
        assert pane.message == (
            f"No open-access full text for PMID {article.pmid}: PMC has this article's"
            " metadata only — o opens the publisher"
        )
        assert app.focused is pane


async def test_offline_without_a_copy_says_it_cannot_be_reached(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    article = fixture_server.fulltext.enable()[REVIEW]
    app = make_app(settings, article.pmid)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)  # the record is cached; its text never asked for
    offline = make_app(replace(settings, offline=True), article.pmid)
    async with offline.run_test(size=(80, 24)) as pilot:
        pane = await open_text(pilot)
        assert pane.full is None
        assert "offline" in pane.message and pane.message.startswith("Full text: ")
    assert not fixture_server.logged("europepmc")


async def test_back_from_a_cited_record_returns_to_the_same_line(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    pmid = fixture_server.fulltext.enable()[BIG_REVIEW].pmid
    app = make_app(settings, pmid)
    async with app.run_test(size=(160, 48)) as pilot:
        pane = await open_text(pilot)
        full = text_of(app)
        # A citation whose reference has a PMID the server knows nothing of still opens a
        # record fetch; only the way back matters here.
        block, cite = next(
            (b, c) for b, c in full.citation_places() if full.references[c.numbers[0] - 1].pmid
        )
        pane.text_list.go(block, cite=full.blocks[block].cites.index(cite))
        await pilot.pause()
        before = pane.text_list.place
        await pilot.press("enter", "enter")
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        assert app.reader.record is not None and app.reader.record.pmid == pmid
        assert app.reader.active_pane == "fulltext"
        assert pane.text_list.place == before


async def test_prefetch_caches_the_full_text_for_offline_reading(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    article = fixture_server.fulltext.enable()[REVIEW]
    app = make_app(settings, article.pmid)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("P")
        await settle(pilot)
        assert "full text cached (56 blocks, 69 citations)" in app.messages[-1]
    fixture_server.clear_log()
    offline = make_app(replace(settings, offline=True), article.pmid)
    async with offline.run_test(size=(80, 24)) as pilot:
        await open_text(pilot)
        assert text_of(offline).cite_count == 69
    assert fixture_server.requests == []


def test_article_text_stays_data() -> None:
    text = "[@click=app.quit]x[/] \x1b[31mred\u202e [b]1[/b]"
    cite = Cite(text.index("[b]"), len(text), ("r1",), numbers=(7,), own_numbers=(7,))
    shown = block_content(Block(PARAGRAPH, text, cites=(cite,)), current=0).plain
    assert "[@click=app.quit]x[/]" in shown
    assert "\x1b" not in shown and "\u202e" not in shown
    assert shown.endswith("[7]")
