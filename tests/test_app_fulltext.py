"""The Full text pane in the reader, driven by real keys against the local server."""

from __future__ import annotations

from tests.server import FixtureServer
from tests.test_app_support import make_app, settle
from tui.data.settings import Settings


async def test_smoke(settings: Settings, fixture_server: FixtureServer) -> None:
    pmid = fixture_server.fulltext.enable()["PMC12491691-elsevier-apsb-review.xml"].pmid
    app = make_app(settings, pmid)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("7")
        await settle(pilot)
        pane = app.reader.query_one("#fulltext")
        assert pane.full is not None
