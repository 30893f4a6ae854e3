"""The virtual list: long lists open measuring only what is shown, and stay still.

Every Pilot test drives a tiny app holding one list of real references (the 597 of
32051057, repeated to 20,000 for the large cases), built by the reader's own entry
renderer.  Measures are counted by wrapping ``HangingIndent.get_height``.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar

import pytest
from textual import on
from textual.app import App, ComposeResult
from textual.content import Content
from textual.css.styles import RulesMap
from textual.pilot import Pilot
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.data.model import Reference
from tui.data.parse import parse_pubmed
from tui.data.summaries import Summary, parse_esummary
from tui.widgets.badges import BADGE_CLASSES
from tui.widgets.entries import ENTRY_CLASSES, MARK, reference_prompt
from tui.widgets.hanging import HangingIndent
from tui.widgets.vlist import VirtualList
from tui.widgets.vlist_heights import HeightMap

FIXTURES = Path(__file__).parent / "fixtures"
SIZE = (80, 24)
BIG = 20_000
CSS = """
Screen { layout: vertical; }
.listing { height: 1fr; border: none; padding: 0; }
.listing > .option-list--option { padding: 0 1; }
"""


def real_references() -> tuple[Reference, ...]:
    record = parse_pubmed((FIXTURES / "pubmed" / "32051057.xml").read_bytes())[0]
    return record.references


def repeated(count: int) -> list[Reference]:
    """``count`` references: the recorded 597, over and over (numbers stay unique)."""
    references = real_references()
    return [references[i % len(references)] for i in range(count)]


def a_summary() -> Summary:
    return next(iter(parse_esummary((FIXTURES / "eutils" / "esummary.xml").read_bytes()).values()))


class Listing(VirtualList):
    COMPONENT_CLASSES: ClassVar[set[str]] = {*ENTRY_CLASSES, *BADGE_CLASSES}


class Harness(App[None]):
    """One virtual list of references; the filter and the resolved titles live here."""

    CSS = CSS

    def __init__(self, references: Sequence[Reference]) -> None:
        super().__init__()
        self.references = references
        self.width = len(str(len(references)))
        self.shown: list[int] = list(range(len(references)))
        self.summaries: dict[int, Summary] = {}
        self.messages: list[VirtualList.EntryMessage] = []

    def compose(self) -> ComposeResult:
        yield Listing(classes="listing", placeholder="No [b]references[/b] here.")

    @property
    def listing(self) -> Listing:
        return self.query_one(Listing)

    def on_mount(self) -> None:
        self.show(self.shown)
        self.listing.focus()

    def prompt(self, index: int, marked: bool = False) -> HangingIndent:
        return reference_prompt(
            index + 1, self.width, self.references[index], self.summaries.get(index), marked=marked
        )

    def show(self, indexes: Sequence[int], *, keep: bool = True) -> None:
        self.shown = list(indexes)
        shown = self.shown
        self.listing.set_entries(
            [str(i) for i in shown],
            lambda position, marked: self.prompt(shown[position], marked),
            keep=keep,
        )

    @on(VirtualList.Highlighted)
    @on(VirtualList.Selected)
    def _record(self, message: VirtualList.EntryMessage) -> None:
        self.messages.append(message)


@pytest.fixture
def measured(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The number labels of every entry measured, in order, once per measure."""
    calls: list[str] = []
    original = HangingIndent.get_height

    def counting(self: HangingIndent, rules: RulesMap, width: int) -> int:
        calls.append(self.label.plain.strip())
        return original(self, rules, width)

    monkeypatch.setattr(HangingIndent, "get_height", counting)
    yield calls


def screen_text(listing: VirtualList) -> list[str]:
    return [listing.render_line(y).text for y in range(listing.scrollable_content_region.height)]


def cursor_row(listing: VirtualList) -> int:
    assert listing.highlighted is not None
    return listing.heights.top(listing.highlighted) - round(listing.scroll_y)


def page(listing: VirtualList) -> int:
    return listing.scrollable_content_region.height


# ---- the height map, against a plain list


def test_height_map_agrees_with_summing_a_list() -> None:
    rng = random.Random(13)
    heights = HeightMap(1000, 2.37)
    plain = [heights.height(i) for i in range(1000)]
    assert sum(plain) == heights.total == int(1000 * 2.37)
    assert set(plain) == {2, 3}
    for _ in range(400):
        index = rng.randrange(1000)
        height = rng.randint(1, 9)
        assert heights.set(index, height) == height - plain[index]
        plain[index] = height
    assert heights.total == sum(plain)
    for index in range(0, 1000, 7):
        assert heights.top(index) == sum(plain[:index])
    for line in range(0, heights.total, 5):
        index, offset = heights.locate(line)
        assert sum(plain[:index]) + offset == line and 0 <= offset < plain[index]
    assert heights.locate(-4) == (0, 0)
    assert heights.locate(heights.total + 10) == (999, plain[999] - 1)
    assert heights.measured_count == len({i for i in range(1000) if heights.is_measured(i)})


def test_an_empty_height_map() -> None:
    heights = HeightMap(0, 3.0)
    assert heights.total == 0 and heights.locate(5) == (0, 0) and heights.top(0) == 0


# ---- opening


async def test_20000_entries_open_measuring_only_the_view(measured: list[str]) -> None:
    app = Harness(repeated(BIG))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        listing = app.listing
        assert listing.option_count == BIG and listing.highlighted == 0
        # The sample that sets the estimate, then the screen and one page past it.
        assert len(measured) == len(set(measured))
        assert len(measured) <= VirtualList.SAMPLE + 2 * page(listing) + 1
        assert listing.heights.measured_count == len(measured)
        text = screen_text(listing)
        assert text[0].startswith("     1. " + app.references[0].citation[:20])
        assert listing.show_vertical_scrollbar
        assert listing.virtual_size.height == listing.heights.total > BIG


async def test_entries_render_exactly_as_an_option_list_does() -> None:
    references = real_references()[:300]  # past EXACT: estimated, then measured

    class Options(OptionList):
        COMPONENT_CLASSES: ClassVar[set[str]] = {*ENTRY_CLASSES, *BADGE_CLASSES}

    class Both(App[None]):
        CSS = CSS + "Screen { layout: horizontal; } .listing { width: 1fr; }"

        def compose(self) -> ComposeResult:
            yield Options(classes="listing", markup=False)
            yield Listing(classes="listing")

        def on_mount(self) -> None:
            width = len(str(len(references)))
            self.query_one(Options).set_options(
                [
                    Option(reference_prompt(i + 1, width, r), id=str(i))
                    for i, r in enumerate(references)
                ]
            )
            self.query_one(Listing).set_options(
                [
                    Option(reference_prompt(i + 1, width, r), id=str(i))
                    for i, r in enumerate(references)
                ]
            )

    app = Both()
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        old, new = app.query_one(Options), app.query_one(Listing)
        old.highlighted = 0
        await pilot.pause()
        assert screen_text(new) == screen_text(old)
        old.highlighted = new.highlighted = 299
        await pilot.pause()
        assert old.scroll_y > 0 and new.scroll_y > 0
        assert screen_text(new) == screen_text(old)
        # Whatever the estimate said, every entry measured adds up to OptionList's total.
        for index in range(len(references)):
            new.scroll_to_index(index)
        assert new.virtual_size.height == old.virtual_size.height
        assert new.heights.measured_count == len(references)


# ---- moving


async def test_keys_move_the_cursor_and_say_so() -> None:
    app = Harness(repeated(600))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        listing = app.listing
        app.messages.clear()
        for key, expected in (
            ("j", 1),
            ("down", 2),
            ("k", 1),
            ("up", 0),
            ("up", 0),
            ("G", 599),
            ("j", 599),
            ("g", 0),
            ("end", 599),
            ("home", 0),
        ):
            await pilot.press(key)
            assert listing.highlighted == expected, key
            assert 0 <= cursor_row(listing) < page(listing), key
        await pilot.press("pagedown")
        below = listing.highlighted
        assert below is not None and below > 3
        assert cursor_row(listing) < page(listing)
        await pilot.press("pageup")
        assert listing.highlighted == 0
        await pilot.press("j", "enter")
        await pilot.pause()
        moves = [m for m in app.messages if isinstance(m, VirtualList.Highlighted)]
        assert [m.index for m in moves] == [1, 2, 1, 0, 599, 0, 599, 0, below, 0, 1]
        assert all(m.item_id == str(m.index) == m.option_id for m in moves)
        chosen = app.messages[-1]
        assert isinstance(chosen, VirtualList.Selected)
        assert (chosen.index, chosen.item_id, chosen.control) == (1, "1", listing)
        assert listing.is_current(chosen)


async def test_the_end_of_20000_is_one_key_away_measuring_a_bounded_few(
    measured: list[str],
) -> None:
    app = Harness(repeated(BIG))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        listing = app.listing
        opened = len(measured)
        await pilot.press("G")
        await pilot.pause()
        assert listing.highlighted == BIG - 1
        assert listing.scroll_y == listing.max_scroll_y
        text = screen_text(listing)
        last = app.prompt(BIG - 1)
        assert any(line.startswith(f" {BIG}. ") for line in text)
        assert text[-1].strip().endswith(str(last).split()[-1])
        # The last screen and a page above it, nothing in between.
        assert len(measured) - opened <= 2 * page(listing) + 2
        assert len(set(measured)) == len(measured)
        before = screen_text(listing)
        for _ in range(3):
            await pilot.press("pageup")
        above = listing.highlighted
        assert above is not None and above < BIG - 3 * page(listing) // 5
        await pilot.press("k", "j", "pagedown")
        assert listing.highlighted is not None and listing.highlighted > above
        await pilot.press("G")
        await pilot.pause()
        assert listing.highlighted == BIG - 1 and screen_text(listing) == before
        assert listing.heights.measured_count < 6 * page(listing) + VirtualList.SAMPLE


async def test_the_scrollbar_holds_still_while_paging_through(measured: list[str]) -> None:
    app = Harness(repeated(BIG))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        listing = app.listing
        start = listing.virtual_size.height
        sizes, positions = [], []
        for _ in range(150):
            await pilot.press("pagedown")
            sizes.append(listing.virtual_size.height)
            positions.append(listing.scroll_y)
            assert listing.vertical_scrollbar.window_virtual_size == sizes[-1]
        # The estimate drifts by the few entries measured, not by the list's length.
        assert max(abs(size - start) for size in sizes) <= start // 200
        assert positions == sorted(positions) and len(set(positions)) == len(positions)
        assert listing.heights.measured_count < 160 * page(listing) // 2


async def test_a_jump_by_the_scrollbar_lands_where_asked_and_leaves_the_cursor(
    measured: list[str],
) -> None:
    app = Harness(repeated(BIG))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        listing = app.listing
        middle = listing.max_scroll_y // 2
        listing.scroll_to(y=middle, animate=False)
        await pilot.pause()
        assert abs(listing.scroll_y - middle) <= 2 * page(listing)
        assert listing.highlighted == 0
        # Everything on screen is measured: what is drawn is what was measured.
        first = listing.heights.locate(round(listing.scroll_y))[0]
        last = listing.heights.locate(round(listing.scroll_y) + page(listing) - 1)[0]
        assert all(listing.heights.is_measured(i) for i in range(first, last + 1))
        text, y = screen_text(listing), round(listing.scroll_y)
        starts = {listing.heights.top(i) - y: i for i in range(first, last + 1)}
        for row, line in enumerate(text):
            if row in starts:
                assert line.startswith(" " + f"{starts[row] + 1}.".rjust(6) + " "), row
            else:
                assert line.startswith(" " * 8), row
        assert len(measured) <= VirtualList.SAMPLE + 5 * page(listing)


async def test_scrolling_line_by_line_never_jumps(measured: list[str]) -> None:
    """Estimates are corrected all along the way, yet every step moves by one line."""
    app = Harness(repeated(BIG))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        listing = app.listing
        before = screen_text(listing)
        for _ in range(3 * page(listing)):
            listing.scroll_relative(y=1, animate=False)
            await pilot.pause()
            after = screen_text(listing)
            assert after[:-1] == before[1:]
            before = after
        assert listing.highlighted == 0
        # From the end upwards, where every entry above was only guessed at.
        await pilot.press("G")
        await pilot.pause()
        before = screen_text(listing)
        totals = {listing.heights.total}
        for _ in range(3 * page(listing)):
            listing.scroll_relative(y=-1, animate=False)
            await pilot.pause()
            after = screen_text(listing)
            assert after[1:] == before[:-1]
            before = after
            totals.add(listing.heights.total)
        assert len(totals) > 1  # guesses above the screen were corrected on the way
        assert listing.highlighted == BIG - 1


# ---- replacing entries, the list, the size


async def test_titles_resolving_in_place_keep_cursor_and_view(measured: list[str]) -> None:
    app = Harness(repeated(BIG))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        listing = app.listing
        await pilot.press("G")
        for _ in range(4):
            await pilot.press("pageup")
        await pilot.pause()
        cursor, row, text = listing.highlighted, cursor_row(listing), screen_text(listing)
        assert cursor is not None
        top = listing.heights.locate(round(listing.scroll_y))[0]
        # Entries above the screen (measured, and far off) and below it resolve.
        changed = [top - 3, top - 2, top - 1, 5, 6, BIG - 1]
        summary = a_summary()
        for index in changed:
            app.summaries[index] = summary
        listing.refresh_entries(changed)
        await pilot.pause()
        assert listing.highlighted == cursor and cursor_row(listing) == row
        assert screen_text(listing) == text
        # One in view: it shows the resolved title where it stood.
        app.summaries[cursor] = summary
        listing.replace_option_prompt_at_index(cursor, app.prompt(cursor))
        await pilot.pause()
        assert listing.highlighted == cursor and cursor_row(listing) == row
        assert summary.title[:20] in " ".join(screen_text(listing)[row:])
        assert len(measured) <= VirtualList.SAMPLE + 6 * page(listing)


async def test_filtering_keeps_the_highlighted_entry_on_its_row() -> None:
    app = Harness(repeated(BIG))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        listing = app.listing
        listing.highlighted = 12_345
        await pilot.pause()
        await pilot.press("k", "k", "k")
        row = cursor_row(listing)
        assert listing.highlighted == 12_342 and row > 0
        matches = [i for i in range(BIG) if i % 3 == 0]  # 12,342 is among them
        app.messages.clear()
        app.show(matches)
        await pilot.pause()
        assert listing.option_count == len(matches)
        assert listing.highlighted == matches.index(12_342)
        assert cursor_row(listing) == row
        # The same entry, at a new position: said once, with both.
        assert [(m.index, m.item_id) for m in app.messages] == [(4114, "12342")]
        app.messages.clear()
        assert listing.highlighted_id == "12342"
        # A filter that drops it starts again at the top.
        app.show([i for i in range(BIG) if i % 3 == 1])
        await pilot.pause()
        assert listing.highlighted == 0 and listing.scroll_y == 0
        assert [m.item_id for m in app.messages] == ["1"]
        # No match: the placeholder, as plain text.
        app.show([])
        await pilot.pause()
        assert listing.highlighted is None and listing.option_count == 0
        assert screen_text(listing)[0].strip() == "No [b]references[/b] here."
        await pilot.press("j", "G", "pagedown", "enter")
        listing.marks = frozenset({"3"})
        listing.refresh_entries([0, 5])
        await pilot.pause()
        assert screen_text(listing)[0].strip() == "No [b]references[/b] here."
        app.show(range(BIG))
        await pilot.pause()
        assert listing.highlighted == 0


async def test_a_narrower_list_wraps_again_and_keeps_the_cursor_in_view() -> None:
    app = Harness(repeated(BIG))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        listing = app.listing
        listing.highlighted = 500
        await pilot.pause()
        wide = listing.heights.height(500)
        await pilot.resize_terminal(50, 24)
        await pilot.pause()
        assert listing.highlighted == 500
        assert listing.heights.height(500) > wide
        assert 0 <= cursor_row(listing) < page(listing)
        assert all(len(line) <= 50 for line in screen_text(listing))


# ---- marks, placeholders, focus, markup


async def test_marks_show_on_their_entries_only(measured: list[str]) -> None:
    app = Harness(repeated(BIG))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        listing = app.listing
        before = len(measured)
        listing.marks = frozenset({"1", "19000"})
        await pilot.pause()
        text = screen_text(listing)
        assert text[0].startswith("     1. ") and MARK not in text[0]
        second = next(line for line in text if line.startswith("     2. "))
        assert second.startswith(f"     2. {MARK} ")
        assert sum(MARK in line for line in text) == 1
        # Only the marked entry on screen was built again (19000 is not measured yet).
        assert measured[before:] == ["2."]
        listing.marks = frozenset({"19000"})
        await pilot.pause()
        assert all(MARK not in line for line in screen_text(listing))
        listing.highlighted = 19_000
        await pilot.pause()
        assert any(line.startswith(f" 19001. {MARK} ") for line in screen_text(listing))


async def test_options_given_whole_still_work_and_disabled_ones_say_why() -> None:
    app = Harness(repeated(3))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        listing = app.listing
        prompts = [app.prompt(i) for i in range(3)]
        listing.set_options([Option(p, id=f"r{i}") for i, p in enumerate(prompts)])
        await pilot.pause()
        assert [str(o.prompt) for o in listing.options] == [str(p) for p in prompts]
        assert listing.get_option_index("r2") == 2
        listing.set_options([Option(Content("Loading… [i]soon[/i]"), disabled=True)])
        await pilot.pause()
        assert listing.option_count == 0 and listing.highlighted is None
        assert listing.placeholder == "Loading… [i]soon[/i]"
        assert screen_text(listing)[0].strip() == "Loading… [i]soon[/i]"
        assert listing.virtual_size.height == 1
        listing.set_options([])  # as OptionList: no options, no message of theirs
        await pilot.pause()
        assert listing.placeholder == "No [b]references[/b] here."


async def test_record_text_is_shown_as_typed_never_as_markup() -> None:
    hostile = "[@click=app.quit]Quit[/] [b]bold[/b] \x1b[31mred"
    app = Harness([Reference(citation=hostile)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        line = screen_text(app.listing)[0]
        assert "[@click=app.quit]Quit[/] [b]bold[/b]" in line and "\x1b" not in line


async def test_the_cursor_looks_different_with_focus() -> None:
    app = Harness(repeated(40))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        listing = app.listing
        focused = listing.render_line(0)
        plain = listing.render_line(3)
        listing.blur()
        await pilot.pause()
        blurred = listing.render_line(0)
        assert focused.text == blurred.text
        background = [s.style.bgcolor for s in focused if s.style]
        assert background != [s.style.bgcolor for s in blurred if s.style]
        assert background != [s.style.bgcolor for s in plain if s.style]


async def test_a_click_highlights_and_selects() -> None:
    app = Harness(repeated(40))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        listing = app.listing
        row = listing.heights.top(2)
        await pilot.click(Listing, offset=(10, row))
        await pilot.pause()
        assert listing.highlighted == 2
        assert isinstance(app.messages[-1], VirtualList.Selected)
        assert app.messages[-1].item_id == "2"


async def _near_the_end_marked(pilot: Pilot[Any]) -> None:
    app = pilot.app
    assert isinstance(app, Harness)
    await pilot.pause()
    app.listing.marks = frozenset({str(BIG - 3)})
    await pilot.press("G", "k", "k", "k")
    await pilot.pause()


def test_snapshot_near_the_end_of_20000(snap_compare: Callable[..., bool]) -> None:
    """Cursor, a mark, wrapped entries and a scrollbar at the bottom, at 80×24."""
    app = Harness(repeated(BIG))
    assert snap_compare(app, terminal_size=SIZE, run_before=_near_the_end_marked)
