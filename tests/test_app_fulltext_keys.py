"""The Full text pane's quieter promises, through real keys against the local server:
`y` and `o` work on every line (a figure's caption and link on a figure, the DOI
elsewhere) so moving through the text never rebuilds the footer; a section's title and
the licence are drawn as typed, never read as markup; and no full garbage collection
starts while keys are coming in.
"""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from textual.geometry import Region
from textual.widgets import Footer

from tests.server import FixtureServer
from tests.server_fulltext import FULLTEXT
from tests.test_app_fulltext import KEY, REVIEW, open_text, text_of
from tests.test_app_support import ReaderApp, make_app, settle, wait_for
from tests.test_open_urls import argv_browser, calls
from tui.clipboard import doi_url
from tui.data.fulltext_model import FIGURE
from tui.data.settings import Settings
from tui.survivors import HELD, QUIET
from tui.widgets.fulltext import FullTextPane

HOSTILE = "[b]bold[/b] [link=https://example.org]x[/link] [@click=app.quit]quit[/]"


def review_app(settings: Settings, fixture_server: FixtureServer) -> ReaderApp:
    """The reader on the recorded 60-reference review, its full text served."""
    return make_app(settings, fixture_server.fulltext.enable()[REVIEW].pmid)


def footer_keys(app: object) -> list[str]:
    footer = app.screen.query_one(Footer)  # type: ignore[attr-defined]
    return [f"{k.key_display} {k.description}" for k in footer.children if hasattr(k, "key")]


async def test_y_off_a_figure_copies_the_record_doi_and_the_footer_stays(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    app = review_app(settings, fixture_server)
    async with app.run_test(size=(160, 48)) as pilot:
        pane = await open_text(pilot)
        full = text_of(app)
        record = app.reader.record
        assert record is not None and record.doi
        assert full.blocks[0].kind != FIGURE
        await pilot.press("y")
        assert app.clipboard == record.doi
        footer = app.screen.query_one(Footer)
        keys = list(footer.children)
        assert "y Copy" in footer_keys(app) and "o Open" in footer_keys(app)
        index = next(i for i, b in enumerate(full.blocks) if b.kind == FIGURE)
        pane.text_list.go(index)
        await pilot.pause()
        await pilot.press("y")
        label = full.blocks[index].label
        assert label and app.clipboard.startswith(label)
        pane.text_list.go(0)
        await pilot.pause()
        assert list(footer.children) == keys, "moving through the text rebuilt the footer"
        await pilot.press("3")  # another pane: other keys, so the footer is rebuilt
        await pilot.pause()
        assert list(footer.children) != keys and "/ Filter" in footer_keys(app)


async def test_o_off_a_figure_opens_the_record_doi(
    settings: Settings,
    fixture_server: FixtureServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pmid = fixture_server.fulltext.enable()[REVIEW].pmid
    env, log = argv_browser(tmp_path)
    monkeypatch.setenv("BROWSER", env["BROWSER"])
    app = make_app(settings, pmid)
    async with app.run_test(size=(160, 48)) as pilot:
        await open_text(pilot)
        record = app.reader.record
        assert record is not None and record.doi
        await pilot.press("o")
        await wait_for(pilot, lambda: log.exists())
        assert calls(log, 1) == [[doi_url(record.doi)]]


def hostile_copy(tmp_path: Path) -> Path:
    """The recorded review with markup planted in a section title and its licence."""
    raw = (FULLTEXT / REVIEW).read_bytes()
    start = raw.index(b"<ali:license_ref")
    end = raw.index(b"</ali:license_ref>") + len(b"</ali:license_ref>")
    raw = raw[:start] + raw[end:]
    start = raw.index(b"<license-p>")
    end = raw.index(b"</license-p>", start)
    raw = raw[:start] + f"<license-p>Licence {HOSTILE}".encode() + raw[end:]
    old = b"<title>Introduction</title>"
    assert old in raw
    raw = raw.replace(old, f"<title>Intro {HOSTILE}</title>".encode(), 1)
    path = tmp_path / "hostile-review.xml"
    path.write_bytes(raw)
    return path


async def test_a_section_title_and_the_licence_are_drawn_as_typed(
    settings: Settings, fixture_server: FixtureServer, tmp_path: Path
) -> None:
    fixture_server.fulltext.enable()
    article = fixture_server.fulltext.serve(hostile_copy(tmp_path))
    app = make_app(settings, article.pmid)
    async with app.run_test(size=(160, 48)) as pilot:
        pane = await open_text(pilot)
        full = text_of(app)
        assert full.license and HOSTILE in full.license
        drawn = pane.render_lines(Region(0, 0, *pane.outer_size))
        lines = [drawn[0].text, drawn[-1].text]
        assert f"Intro {HOSTILE}" in lines[0], lines[0]
        assert f"Licence {HOSTILE}"[:40] in lines[1], lines[1]
        assert app.is_running


async def test_no_full_collection_starts_while_keys_come_in(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    app = review_app(settings, fixture_server)
    before = gc.get_threshold()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press(KEY, "j", "j")
        assert gc.get_threshold()[2] == HELD
        await pilot.pause(QUIET / 2)
        await pilot.press("j")  # a key within the quiet time holds them off longer
        await pilot.pause(QUIET * 0.7)
        assert gc.get_threshold()[2] == HELD
        await wait_for(pilot, lambda: gc.get_threshold() == before, timeout=QUIET * 4)
    assert gc.get_threshold() == before


async def test_a_kept_text_is_laid_into_the_hidden_pane_and_measured_once_shown(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    pmid = fixture_server.fulltext.enable()[REVIEW].pmid
    first = make_app(settings, pmid)
    async with first.run_test(size=(160, 48)) as pilot:
        await open_text(pilot)  # fetched and kept in the cache
    app = make_app(settings, pmid)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        pane = app.reader.query_one("#fulltext", FullTextPane)
        await wait_for(pilot, lambda: pane.full is not None)
        assert not pane.display and app.reader.full_text.measured is None
        await pilot.press(KEY)
        await wait_for(pilot, lambda: app.reader.full_text.measured is not None)
        full, key = app.reader.full_text.measured
        assert full is pane.full and key == pane.text_list.measure_key
        assert pane.display and app.focused is pane.text_list
        assert str(pane.border_title) == "Full text · Introduction"
