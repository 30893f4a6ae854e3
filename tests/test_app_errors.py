"""Failures shown in place, in words, while the reader stays responsive."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.widgets import Input

from tests.server import FixtureServer
from tests.test_app_support import (
    REVIEW,
    WIDE,
    banner,
    loaded,
    make_app,
    on_reader,
    seed_stale_copy,
    settle,
    wait_for,
)
from tui.data.ids import ArticleId
from tui.data.model import Record
from tui.data.service import PubMed
from tui.data.settings import Settings
from tui.keys import KEYS
from tui.screens.help import HelpScreen
from tui.screens.reader import error_sentence

UNBLOCKED = 20.0  # seconds: far beyond any key's work, far short of the stalls

UNREACHABLE = "http://127.0.0.1:9/entrez/eutils/"
RETRY_HINT = " — press r to retry"


async def test_unknown_pmid_says_no_record(settings: Settings) -> None:
    app = make_app(settings, "99999999")
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        status = banner(app)
        assert status.kind == "error"
        assert status.message == "No PubMed record 99999999" + RETRY_HINT
        assert app.reader.record is None
        assert app.is_running


async def test_unreachable_service_is_an_error_in_words(settings: Settings) -> None:
    app = make_app(replace(settings, eutils_url=UNREACHABLE, max_attempts=2))
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        status = banner(app)
        assert status.kind == "error"
        assert "unreachable" in status.message
        assert status.message.endswith(RETRY_HINT)
        assert "Traceback" not in status.message


async def test_stale_copy_is_served_with_a_warning(settings: Settings) -> None:
    stale = replace(settings, eutils_url=UNREACHABLE, max_attempts=2)
    seed_stale_copy(stale, REVIEW, days=41)
    app = make_app(stale)
    async with app.run_test(size=WIDE) as pilot:
        record = await loaded(pilot, REVIEW)
        assert record.cached
        status = banner(app)
        assert status.kind == "notice"
        assert status.message == "PubMed unreachable — showing the copy cached 41 days ago"


async def test_rate_limit_shows_the_retry_then_the_record(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    fixture_server.add_fault("429-retry-after", endpoint="efetch")
    app = make_app(settings)
    seen: list[str] = []
    async with app.run_test(size=WIDE) as pilot:

        def noticed() -> bool:
            seen.append(banner(app).message)
            return banner(app).message == "Rate limited by NCBI, retrying in 1 s"

        await wait_for(pilot, noticed, timeout=10)
        assert banner(app).kind == "loading"
        await loaded(pilot, REVIEW)
        assert not banner(app).has_class("-shown")
    assert seen[0].startswith("Fetching PMID")


async def test_r_retries_after_a_server_error(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    fixture_server.add_fault("500", times=settings.max_attempts, endpoint="efetch")
    app = make_app(settings)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        assert banner(app).kind == "error"
        assert "500" in banner(app).message
        await pilot.press("r")
        await loaded(pilot, REVIEW)
        assert banner(app).kind == "clear"


async def test_q_quits_at_once_during_a_stalled_fetch(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    fixture_server.stall_seconds = 30
    fixture_server.add_fault("stall", endpoint="efetch")
    app = make_app(settings)
    async with app.run_test(size=WIDE) as pilot:
        await wait_for(pilot, lambda: len(fixture_server.logged("efetch")) == 1)
        assert banner(app).kind == "loading"
        await asyncio.wait_for(pilot.press("q"), UNBLOCKED)
    assert not app.is_running
    assert app.return_code == 0


async def test_no_key_blocks_while_a_fetch_is_under_way(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    # The stall outlasts the test: a key that waited on the fetch would hang, and the
    # generous bound below turns that hang into a failure without timing anything close.
    fixture_server.stall_seconds = 120
    fixture_server.add_fault("stall", times=20, endpoint="efetch")
    app = make_app(settings)
    async with app.run_test(size=WIDE) as pilot:
        await wait_for(pilot, lambda: len(fixture_server.logged("efetch")) == 1)
        fetch = app.reader._fetch_worker
        assert fetch is not None
        for spec in KEYS:
            if spec.action in ("quit", "command_palette") or spec.scope in MODAL_SCOPES:
                continue  # help, chooser, prompt, outline and contexts keys act only there
            for key in (k.strip() for k in spec.keys.split(",")):
                await asyncio.wait_for(pilot.press(key), UNBLOCKED)
                await pilot.pause()
                if not on_reader(app):
                    await pilot.press("escape")
                if isinstance(app.focused, Input):
                    await pilot.press("escape")
                assert on_reader(app), key
                worker = app.reader._fetch_worker
                assert worker is not None and worker.is_running, key
        # Help and the palette open and close while the worker is still waiting.
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press("escape")
        assert on_reader(app)
        assert app.reader._fetch_worker is not None and app.reader._fetch_worker.is_running
        assert "No record loaded yet" in app.messages
        await asyncio.wait_for(pilot.press("q"), UNBLOCKED)
    assert not app.is_running


MODAL_SCOPES = ("help", "chooser", "prompt", "outline", "contexts")


class ExplodingService(PubMed):
    """A service whose fetch fails with a non-pubterm exception, as a bug would."""

    async def fetch(self, aid: ArticleId, *, refresh: bool = False) -> Record:
        raise RuntimeError("the parser tripped over something new")


async def test_unexpected_errors_are_words_not_tracebacks(settings: Settings) -> None:
    app = make_app(settings)
    app.service = ExplodingService(settings)
    app.reader.service = app.service
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        assert banner(app).message == (
            "Unexpected error: the parser tripped over something new" + RETRY_HINT
        )
        assert app.is_running


def test_error_sentence() -> None:
    from tui.data.errors import NotFoundError

    assert error_sentence(NotFoundError("99999999")) == "No PubMed record 99999999"
    assert error_sentence(KeyError()) == "Unexpected error: KeyError"
    assert error_sentence(None) == "Unexpected error"


async def test_a_slow_browser_never_blocks_the_reader(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "browser.log"
    script = tmp_path / "slow-browser.sh"
    gate = tmp_path / "gate"  # the browser starts only once the test has looked
    script.write_text(
        # (at most 30 s: a reader that blocked on it would then find the log already there)
        "#!/bin/sh\ni=0\n"
        f'while [ ! -e "{gate}" ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done\n'
        f'printf "%s\\n" "$1" >> "{log}"\n'
    )
    script.chmod(0o755)
    monkeypatch.setenv("BROWSER", str(script))
    app = make_app(settings)
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, REVIEW)
        # Were "o" to wait for the browser, these presses would never return.
        await asyncio.wait_for(pilot.press("o", "question_mark"), UNBLOCKED)
        assert isinstance(app.screen, HelpScreen)
        await asyncio.wait_for(pilot.press("escape"), UNBLOCKED)
        assert not log.exists()  # the browser is still starting
        gate.touch()
        await wait_for(pilot, log.exists, timeout=10)
        assert log.read_text() == "https://doi.org/10.1128/aac.00216-22\n"
