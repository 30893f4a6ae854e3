"""A very long title is cut to three lines so the panes keep the screen; ``t`` shows it.

The long title is made from real recorded text: the structured record's own title
followed by its abstract, served by the local fixture server as that record's title.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from tests.server import FIXTURES, FixtureServer
from tests.test_app_support import NARROW, STRUCTURED, fixture_record, loaded, make_app
from tui.data.settings import Settings
from tui.keys import spec
from tui.widgets.header import TITLE_LINES, RecordHeader, cut_title
from tui.widgets.line_count import wrapped_lines

ORIGINAL = "The EFLM European Urinalysis Guideline 2023."


def long_title() -> str:
    record = fixture_record(STRUCTURED)
    assert record.title == ORIGINAL
    return " ".join([ORIGINAL, *(section.text for section in record.abstract)])


def serve_long_title(server: FixtureServer) -> str:
    title = long_title()
    xml = (FIXTURES / "pubmed" / f"{STRUCTURED}.xml").read_bytes()
    old = f"<ArticleTitle>{ORIGINAL}</ArticleTitle>".encode()
    assert old in xml
    server.add_record(
        STRUCTURED, xml.replace(old, f"<ArticleTitle>{escape(title)}</ArticleTitle>".encode())
    )
    return title


def test_a_title_that_fits_is_left_whole() -> None:
    assert cut_title(ORIGINAL, 78) == ORIGINAL
    assert cut_title(long_title(), 0) == long_title()


def test_a_long_title_is_cut_at_a_word_to_three_lines_with_the_key() -> None:
    title = long_title()
    for width in (20, 40, 78, 158):
        cut = cut_title(title, width)
        assert wrapped_lines(cut, width) <= TITLE_LINES, width
        note = f"… ({spec('full-title').key_display} shows the whole title)"
        assert cut.endswith(note)
        kept = cut[: -len(note)]
        assert title.startswith(kept) and title[len(kept)] == " "


async def test_at_80x24_the_panes_keep_the_screen_and_t_shows_the_whole_title(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    title = serve_long_title(fixture_server)
    assert wrapped_lines(title, NARROW[0] - 2) > 15
    app = make_app(settings, STRUCTURED)
    async with app.run_test(size=NARROW) as pilot:
        await loaded(pilot, STRUCTURED)
        header = app.reader.query_one(RecordHeader)
        abstract = app.reader.query_one("#abstract")
        assert header.outer_size.height <= TITLE_LINES + 4
        assert abstract.region.height >= 8
        await pilot.press("t")
        await pilot.pause()
        assert header.full_title
        assert header.outer_size.height > 15
        await pilot.press("t")
        await pilot.pause()
        assert header.outer_size.height <= TITLE_LINES + 4
