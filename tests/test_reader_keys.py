"""The keys the reader gained: a user keymap, escape from the key table, unmark all,
go to reference N, open another ID, and what a walk that failed leaves on screen.

All through the real app against the local fixture server.
"""

from __future__ import annotations

import ast
from pathlib import Path

from textual.widgets import Input

from tests.server import FixtureServer
from tests.test_app_support import (
    REVIEW,
    STRUCTURED,
    WIDE,
    banner,
    fixture_record,
    link_references,
    loaded,
    make_app,
    on_reader,
    settle,
    wait_for,
)
from tui.data.settings import Settings, read_config_file
from tui.keymap import keymap_problems, shown_keys, user_keymap
from tui.keys import KEYS, spec
from tui.screens.cite import CiteChooser
from tui.screens.commands import command_text
from tui.screens.help import HelpScreen
from tui.screens.prompt import PromptScreen
from tui.widgets.entries import MARK
from tui.widgets.references import ReferencesPane

RECORD_DOI = "10.1128/aac.00216-22"
TUI = Path(__file__).resolve().parent.parent / "tui"


def refs_pane(app: object) -> ReferencesPane:
    return app.reader.references  # type: ignore[attr-defined, no-any-return]


def with_config(settings: Settings, tmp_path: Path, text: str) -> Settings:
    """The settings as the config file ``text`` leaves them (read as pubterm reads it)."""
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return settings.merged(read_config_file(path))


# -- the keymap ------------------------------------------------------------------------


def test_no_key_is_handled_outside_the_key_table() -> None:
    """Keys reach pubterm only as bindings from tui/keys.py, so the keymap, the help and
    the footer see every one: no widget or screen reads raw key events."""
    handlers = [
        f"{path.relative_to(TUI.parent)}:{node.lineno}"
        for path in sorted(TUI.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.name in ("on_key", "_on_key", "key_escape")
    ]
    assert handlers == []


def test_every_binding_has_an_id_the_keymap_can_name() -> None:
    ids = [s.id for s in KEYS]
    assert len(ids) == len(set(ids))
    assert all(ids)


def test_user_keymap_keeps_known_ids_and_says_what_is_wrong_with_the_rest() -> None:
    table = {"copy-doi": "d, ctrl+d", "copy-dio": "x", "quit": ""}
    assert user_keymap(table) == {"copy-doi": "d,ctrl+d"}
    assert keymap_problems(table) == [
        "[keys] copy-dio: pubterm has no key of that name (did you mean copy-doi?)",
        '[keys] quit: wants keys as text, like "d" or "d,ctrl+d"',
    ]
    assert shown_keys(spec("copy-doi"), user_keymap(table)) == "d ctrl+d"
    assert shown_keys(spec("quit"), {}) == "q"
    assert command_text(spec("copy-doi"), user_keymap(table)) == "Copy DOI (d ctrl+d)"


async def test_a_keys_entry_in_the_config_file_rebinds_the_key(
    settings: Settings, tmp_path: Path
) -> None:
    settings = with_config(settings, tmp_path, '[keys]\ncopy-doi = "d"\nback = "ctrl+b"\n')
    assert settings.keys == {"copy-doi": "d", "back": "ctrl+b"}
    app = make_app(settings)
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, REVIEW)
        await pilot.press("y")
        await pilot.pause()
        assert app.clipboard == ""  # y is no longer copy-doi
        await pilot.press("d")
        await pilot.pause()
        assert app.clipboard == RECORD_DOI
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert app.messages[-1] == "No earlier record"
        # The help shows the keys as the user set them.
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        keys = [str(s.content) for s in app.screen.query(".help-key")]
        texts = [str(s.content) for s in app.screen.query(".help-text")]
        shown = dict(zip(texts, keys, strict=True))
        assert shown[spec("copy-doi").help] == "d"
        assert shown[spec("back").help] == "ctrl+b"
        assert shown[spec("cite").help] == "c"


async def test_an_unknown_keys_entry_is_reported_with_the_closest_id(
    settings: Settings, tmp_path: Path
) -> None:
    settings = with_config(settings, tmp_path, '[keys]\ncopy-dio = "d"\n')
    app = make_app(settings)
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, REVIEW)
        assert (
            "[keys] copy-dio: pubterm has no key of that name (did you mean copy-doi?)"
            in app.messages
        )
        await pilot.press("y")
        await pilot.pause()
        assert app.clipboard == RECORD_DOI


# -- escape, from the key table ----------------------------------------------------------


async def test_escape_on_the_filtered_list_clears_the_filter_then_steps_aside(
    settings: Settings,
) -> None:
    app = make_app(settings)
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, REVIEW)
        pane = refs_pane(app)
        await pilot.press("slash", *"klebsiella", "enter")
        await pilot.pause()
        assert app.focused is pane.reference_list and pane.filter_text == "klebsiella"
        await pilot.press("escape")
        await pilot.pause()
        assert pane.filter_text == "" and len(pane.visible_references) == 258
        assert app.focused is pane.reference_list
        # With nothing to clear, escape is not the pane's: the reader stays as it was.
        await pilot.press("escape")
        await pilot.pause()
        assert on_reader(app) and app.reader.record is not None


async def test_q_typed_in_the_style_filter_is_text_and_escape_closes(settings: Settings) -> None:
    app = make_app(settings)
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, REVIEW)
        await pilot.press("c", "enter", *"q")
        assert isinstance(app.screen, CiteChooser)
        assert app.screen.query_one("#cite-filter", Input).value == "q"
        await pilot.press("escape")
        await pilot.pause()
        assert on_reader(app) and app.is_running


# -- unmark all, go to reference N, open another ID ----------------------------------------


async def test_u_unmarks_every_reference(settings: Settings) -> None:
    app = make_app(settings)
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, REVIEW)
        pane = refs_pane(app)
        await pilot.press("3", "space", "j", "j", "space")
        await pilot.pause()
        assert len(pane.marked_references) == 2
        assert "2 marked" in str(pane.border_title)
        assert MARK in str(pane.reference_list.get_option_at_index(0).prompt)
        await pilot.press("u")
        await pilot.pause()
        assert pane.marked_references == []
        assert "marked" not in str(pane.border_title)
        assert app.messages[-1] == "Unmarked 2 references"
        assert MARK not in str(pane.reference_list.get_option_at_index(0).prompt)
        await pilot.press("u")
        assert app.messages[-1] == "No reference is marked"


async def test_colon_number_enter_goes_to_that_reference(settings: Settings) -> None:
    record = fixture_record(REVIEW)
    app = make_app(settings)
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, REVIEW)
        pane = refs_pane(app)
        await pilot.press("colon", *"42", "enter")
        await pilot.pause()
        assert on_reader(app)
        assert app.reader.pane_of(app.focused) == "references"
        assert pane.highlighted_number == 42
        assert pane.highlighted_reference == record.references[41]
        # From a filtered list the number is still the review's: the filter goes.
        await pilot.press("slash", *"klebsiella", "enter", "colon", *"7", "enter")
        await pilot.pause()
        assert pane.filter_text == "" and pane.highlighted_number == 7
        # A number the list does not have is refused in place; escape goes back.
        await pilot.press("colon", *"999", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        assert app.screen.error_text == "Type a number from 1 to 258"
        await pilot.press("escape")
        await pilot.pause()
        assert on_reader(app) and pane.highlighted_number == 7


async def test_i_opens_another_id_and_b_comes_back(settings: Settings) -> None:
    app = make_app(settings)
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, REVIEW)
        await pilot.press("i", *"not an id", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        assert "not a PMID, DOI or PMCID" in app.screen.error_text
        field = app.screen.query_one(Input)
        field.value = f"https://pubmed.ncbi.nlm.nih.gov/{STRUCTURED}/"
        await pilot.press("enter")
        await loaded(pilot, STRUCTURED)
        await pilot.press("b")
        await loaded(pilot, REVIEW)


# -- a walk that failed ------------------------------------------------------------------


async def test_after_a_failed_walk_b_escape_and_r_act_on_the_record_on_screen(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    link_references(fixture_server)
    missing = fixture_record(REVIEW).references[1].pmid
    assert missing and missing not in (REVIEW, STRUCTURED)
    app = make_app(settings)
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, REVIEW)

        async def walk_and_fail() -> None:
            await pilot.press("3")
            refs_pane(app).reference_list.highlighted = 1
            await pilot.press("enter")
            await wait_for(pilot, lambda: banner(app).kind == "error")
            await settle(pilot)

        await walk_and_fail()
        assert app.reader.record is not None and app.reader.record.pmid == REVIEW
        assert missing in banner(app).message
        assert banner(app).message.endswith(
            "enter tries again · b or escape goes back to the record"
        )
        assert "press r" not in banner(app).message
        await pilot.press("b")
        await pilot.pause()
        assert banner(app).kind == "clear"
        assert "No earlier record" not in app.messages
        assert app.reader.record.pmid == REVIEW
        await walk_and_fail()
        await pilot.press("escape")
        await pilot.pause()
        assert banner(app).kind == "clear"
        await walk_and_fail()
        fixture_server.clear_log()
        await pilot.press("r")
        await wait_for(pilot, lambda: banner(app).kind == "clear")
        await settle(pilot)
        assert [r.params.get("id") for r in fixture_server.logged("efetch")] == [REVIEW]
        assert app.reader.record.pmid == REVIEW
        # b is the usual back again once the failure is put away.
        await pilot.press("b")
        await pilot.pause()
        assert app.messages[-1] == "No earlier record"
