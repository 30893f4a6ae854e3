"""Every reader key, pressed in the real app against the local fixture server."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.widgets import OptionList

from tests.server import FixtureServer
from tests.test_app_support import (
    NARROW,
    REVIEW,
    STRUCTURED,
    WIDE,
    banner,
    browser_command,
    fixture_record,
    link_references,
    loaded,
    make_app,
    on_reader,
    opened_urls,
    settle,
    wait_for,
)
from tui.data.settings import Settings
from tui.keys import KEYS
from tui.screens.help import SCOPE_TITLES, HelpScreen
from tui.widgets.paper_list import PaperList
from tui.widgets.references import ReferencesPane

RECORD_DOI = "10.1128/aac.00216-22"


def refs_pane(app: object) -> ReferencesPane:
    return app.reader.references  # type: ignore[attr-defined, no-any-return]


async def test_number_keys_and_tab_move_between_panes(settings: Settings) -> None:
    app = make_app(settings)
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, REVIEW)
        screen = app.reader
        assert screen.pane_of(app.focused) == "abstract"
        for key, pane in (("2", "keywords"), ("3", "references"), ("1", "abstract")):
            await pilot.press(key)
            assert screen.pane_of(app.focused) == pane, key
            assert screen.active_pane == pane
        assert isinstance(app.focused, PaperList) is False
        order = ("keywords", "references", "cited-by", "similar", "details", "fulltext")
        for expected in (*order, "abstract"):
            await pilot.press("tab")
            assert screen.pane_of(app.focused) == expected
        await pilot.press("shift+tab", "shift+tab", "shift+tab")
        assert screen.pane_of(app.focused) == "similar"
        assert isinstance(app.focused, PaperList)
        await pilot.press("shift+tab", "shift+tab")
        assert screen.pane_of(app.focused) == "references"
        assert isinstance(app.focused, PaperList)
        await pilot.press("shift+tab")
        assert screen.pane_of(app.focused) == "keywords"


async def test_narrow_terminal_shows_one_pane_behind_a_tab_strip(settings: Settings) -> None:
    app = make_app(settings)
    async with app.run_test(size=NARROW) as pilot:
        await loaded(pilot, REVIEW)
        screen = app.reader
        tabs = screen.query_one("#tabs")
        assert screen.has_class("-narrow") and tabs.display
        assert [str(t.render()) for t in screen.query("#tabs .tab")] == [
            "1 Abstract",
            "2 Keywords",
            "3 References",
            "4 Cited by",
            "5 Similar",
            "6 Details",
            "7 Full text",
        ]

        def shown() -> list[str]:
            return [
                p
                for p in ("abstract", "keywords", "references", "cited-by", "similar", "details")
                if screen.query_one(f"#{p}").display and screen.query_one(f"#{p}").region
            ]

        assert shown() == ["abstract"]
        await pilot.press("3")
        await pilot.pause()
        assert shown() == ["references"]
        assert screen.query_one("#tab-references").has_class("-active")
        assert not screen.query_one("#tab-abstract").has_class("-active")
        await pilot.press("tab")
        await pilot.pause()
        assert shown() == ["cited-by"]
        await pilot.press("2")
        await pilot.pause()
        assert shown() == ["keywords"]
        assert screen.pane_of(app.focused) == "keywords"
        # The tab strip also answers the mouse.
        await pilot.click("#tab-references")
        await pilot.pause()
        assert shown() == ["references"]
        assert screen.pane_of(app.focused) == "references"
        await pilot.resize_terminal(*WIDE)
        await pilot.pause()
        assert not screen.has_class("-narrow") and not tabs.display
        assert shown() == ["abstract", "keywords", "references"]


async def test_movement_keys_scroll_the_abstract(settings: Settings) -> None:
    app = make_app(settings)
    async with app.run_test(size=NARROW) as pilot:
        await loaded(pilot, REVIEW)
        pane = app.reader.query_one("#abstract")
        assert app.focused is pane and pane.max_scroll_y > 5
        for key, check in (
            ("j", lambda: pane.scroll_y == 1),
            ("down", lambda: pane.scroll_y == 2),
            ("k", lambda: pane.scroll_y == 1),
            ("up", lambda: pane.scroll_y == 0),
            ("G", lambda: pane.scroll_y == pane.max_scroll_y),
            ("g", lambda: pane.scroll_y == 0),
            ("end", lambda: pane.scroll_y == pane.max_scroll_y),
            ("home", lambda: pane.scroll_y == 0),
            ("pagedown", lambda: pane.scroll_y > 2),
            ("pageup", lambda: pane.scroll_y == 0),
        ):
            await pilot.press(key)
            await wait_for(pilot, check, timeout=10)


async def test_movement_keys_walk_the_references(settings: Settings) -> None:
    record = fixture_record(REVIEW)
    app = make_app(settings)
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, REVIEW)
        pane = refs_pane(app)
        await pilot.press("3")
        assert pane.highlighted_reference == record.references[0]
        steps = (
            ("j", 1),
            ("down", 2),
            ("k", 1),
            ("up", 0),
            ("G", 257),
            ("g", 0),
            ("end", 257),
            ("home", 0),
        )
        for key, index in steps:
            await pilot.press(key)
            assert pane.highlighted_reference == record.references[index], key
        await pilot.press("pagedown")
        down = pane.highlighted_number
        assert down is not None and down > 5
        await pilot.press("pageup")
        assert pane.highlighted_number == 1


async def test_y_copies_the_record_doi_then_the_highlighted_reference_doi(
    settings: Settings,
) -> None:
    record = fixture_record(REVIEW)
    app = make_app(settings)
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, REVIEW)
        await pilot.press("y")
        assert app.clipboard == RECORD_DOI
        assert f"Sent DOI {RECORD_DOI} to the terminal's clipboard (OSC 52)" in app.messages
        await pilot.press("3", "j", "y")
        assert app.clipboard == record.references[1].doi
        # A reference without a DOI: its PMID instead, saying so (more in test_app_copy.py).
        missing = next(i for i, r in enumerate(record.references) if not r.doi and r.pmid)
        pmid = record.references[missing].pmid
        refs_pane(app).reference_list.highlighted = missing
        await pilot.pause()
        await pilot.press("y")
        assert app.clipboard == pmid
        assert app.messages[-1] == (
            f"Sent PMID {pmid} (this reference has no DOI) to the terminal's clipboard (OSC 52)"
        )


async def test_capital_y_copies_every_reference_doi(settings: Settings) -> None:
    expected = [r.doi for r in fixture_record(REVIEW).references if r.doi]
    assert len(expected) == 245
    app = make_app(settings)
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, REVIEW)
        await pilot.press("Y")
        assert app.clipboard.splitlines() == expected
        assert app.messages[-1] == "Sent 245 DOIs to the terminal's clipboard (OSC 52)"


async def test_o_opens_the_doi_through_the_browser_command(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    command, log = browser_command(tmp_path)
    monkeypatch.setenv("BROWSER", command)
    app = make_app(settings)
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, REVIEW)
        await pilot.press("o")
        assert await opened_urls(pilot, log) == [f"https://doi.org/{RECORD_DOI}"]
        await pilot.press("3", "o")
        urls = await opened_urls(pilot, log, 2)
        assert urls[1] == "https://doi.org/10.1016/S0140-6736%2821%2902724-0"
        assert app.messages[-1] == f"Opened {urls[1]}"


async def test_p_opens_pubmed_pages_and_says_when_a_reference_has_no_pmid(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    command, log = browser_command(tmp_path)
    monkeypatch.setenv("BROWSER", command)
    record = fixture_record(REVIEW)
    app = make_app(settings)
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, REVIEW)
        await pilot.press("p")
        assert await opened_urls(pilot, log) == [f"https://pubmed.ncbi.nlm.nih.gov/{REVIEW}/"]
        await pilot.press("3", "p")
        urls = await opened_urls(pilot, log, 2)
        assert urls[1] == f"https://pubmed.ncbi.nlm.nih.gov/{record.references[0].pmid}/"
        missing = next(i for i, r in enumerate(record.references) if not r.pmid)
        refs_pane(app).reference_list.highlighted = missing
        await pilot.pause()
        await pilot.press("p")
        await settle(pilot)
        assert app.messages[-1] == "This reference has no PMID"
        assert len(log.read_text().splitlines()) == 2


async def test_o_over_ssh_copies_the_link_instead(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.2 50000 10.0.0.1 22")
    app = make_app(settings)
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, REVIEW)
        await pilot.press("o")
        url = f"https://doi.org/{RECORD_DOI}"
        await wait_for(pilot, lambda: app.clipboard == url)
        assert app.messages[-1] == f"SSH session: copied {url} — open it on your machine"


async def test_enter_walks_into_references_and_back_returns(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    by_pmid, by_doi = link_references(fixture_server)
    app = make_app(settings)
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, REVIEW)
        await pilot.press("b")
        assert app.messages[-1] == "No earlier record"
        await pilot.press("3", "enter")
        record = await loaded(pilot, STRUCTURED)
        assert record.title == fixture_record(STRUCTURED).title
        await pilot.press("b")
        await loaded(pilot, REVIEW)
        # A reference known only by its DOI is looked up by DOI.
        await pilot.press("3")
        refs_pane(app).reference_list.highlighted = by_doi
        await pilot.pause()
        await pilot.press("enter")
        await loaded(pilot, STRUCTURED)
        assert any("[doi]" in r.params.get("term", "") for r in fixture_server.logged("esearch"))
        assert app.reader.pane_of(app.focused) == "abstract"
        await pilot.press("backspace")
        await loaded(pilot, REVIEW)
        # Back returns to the same pane and the same reference.
        assert app.reader.pane_of(app.focused) == "references"
        assert refs_pane(app).highlighted_number == by_doi + 1
        assert app.reader.history.can_go_forward
        assert not app.reader.history.can_go_back
        assert by_pmid == 0


async def test_slash_filters_references_and_escape_clears(settings: Settings) -> None:
    record = fixture_record(REVIEW)
    expected = [r for r in record.references if "klebsiella" in r.citation.casefold()]
    assert 0 < len(expected) < len(record.references)
    app = make_app(settings)
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, REVIEW)
        pane = refs_pane(app)
        await pilot.press("slash")
        assert app.focused is pane.filter_input
        await pilot.press(*"Klebsiella")
        await pilot.pause()
        assert pane.visible_references == expected
        assert pane.border_title == f"References {len(expected)} of 258"
        await pilot.press("escape")
        await pilot.pause()
        assert len(pane.visible_references) == 258
        assert pane.filter_text == ""


async def test_r_refetches_bypassing_the_cache(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    app = make_app(settings)
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, REVIEW)
        before = len(fixture_server.logged("efetch"))
        assert before >= 1
        await pilot.press("r")
        await wait_for(pilot, lambda: len(fixture_server.logged("efetch")) == before + 1)
        await settle(pilot)
        assert app.reader.record is not None and app.reader.record.pmid == REVIEW
        assert not banner(app).has_class("-shown")


async def test_help_lists_every_key_and_closes_with_escape_or_q(settings: Settings) -> None:
    app = make_app(settings)
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, REVIEW)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        cells = [str(w.render()) for w in app.screen.query(".help-keys > Static")]
        rows = list(zip(cells[::2], cells[1::2], strict=True))
        assert rows == [
            (spec.key_display, spec.help)
            for spec in sorted(KEYS, key=lambda s: list(SCOPE_TITLES).index(s.scope))
        ]
        await pilot.press("escape")
        assert on_reader(app)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("q")
        assert on_reader(app)
        assert app.is_running


async def test_command_palette_runs_reader_actions(settings: Settings) -> None:
    expected = [r.doi for r in fixture_record(REVIEW).references if r.doi]
    app = make_app(settings)
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, REVIEW)
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"copy all dois")
        await wait_for(pilot, lambda: app.screen.query_one(OptionList).option_count > 0)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.clipboard.count("\n") == len(expected) - 1)
        assert on_reader(app)
        assert app.clipboard.splitlines() == expected


async def test_q_quits(settings: Settings) -> None:
    app = make_app(settings)
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, REVIEW)
        await pilot.press("q")
        await wait_for(pilot, lambda: not app.is_running, timeout=10)
    assert app.return_code == 0
