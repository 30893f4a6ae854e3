"""The References pane once the full text is known, at 80×24 and 160×48: each entry
with how often the text cites it, and the citing sentences ``w`` lists for one entry.

The article comes from the local server's recorded JATS; regenerate with
``--snapshot-update`` and look at the result before accepting it.
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from tests.server import FixtureServer
from tests.test_app_support import make_app
from tests.test_snapshots import ready
from tests.test_snapshots_fulltext import SIZES, SnapCompare, in_text, review
from tui.data.settings import Settings
from tui.widgets.fulltext import FullTextPane


@SIZES
def test_references_with_citation_counts(
    snap_compare: SnapCompare, settings: Settings, fixture_server: FixtureServer, size: Any
) -> None:
    async def run(pilot: Pilot[Any]) -> None:
        await in_text(pilot, "3")

    app = make_app(settings, review(fixture_server))
    assert snap_compare(app, terminal_size=size, run_before=run)


@SIZES
def test_where_cited_from_the_references(
    snap_compare: SnapCompare, settings: Settings, fixture_server: FixtureServer, size: Any
) -> None:
    async def run(pilot: Pilot[Any]) -> None:
        await in_text(pilot, "3")
        full = pilot.app.reader.query_one("#fulltext", FullTextPane).full
        assert full is not None
        number = next(n for n, c in sorted(full.cited_times().items()) if c > 1)
        pilot.app.reader.show_reference(number - 1)
        await ready(pilot)
        await pilot.press("w")
        await ready(pilot)

    app = make_app(settings, review(fixture_server))
    assert snap_compare(app, terminal_size=size, run_before=run)
