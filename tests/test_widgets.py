"""The reader's panes, each mounted alone in a small app and driven through Pilot."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from rich.segment import Segment
from textual.app import App, ComposeResult
from textual.color import Color
from textual.widget import Widget
from textual.widgets import Input

from tui.contrast import reader_variables
from tui.data.model import AbstractSection, Author, MeshHeading, Record, Reference
from tui.data.model_publication import Journal
from tui.data.parse import parse_pubmed
from tui.widgets import (
    WIDGETS_CSS,
    AbstractPane,
    KeywordsPane,
    RecordHeader,
    ReferenceList,
    ReferencesPane,
    StatusBanner,
)
from tui.widgets.badges import doi_url

FIXTURES = Path(__file__).parent / "fixtures" / "pubmed"
HOSTILE = "[@click=app.quit]Quit now [b]bold[/b] [18F]FDG PET [Article in German]"


def fixture_record(pmid: str) -> Record:
    return parse_pubmed((FIXTURES / f"{pmid}.xml").read_bytes())[0]


def made_record(**changes: object) -> Record:
    base = Record(
        pmid="123456",
        title="A review of reviews",
        doi="10.1000/xyz.123",
        pmcid="PMC765",
        authors=(
            *(Author(last=f"Author{i}", initials="A") for i in range(1, 8)),
            Author(collective="The Collective Study Group"),
        ),
        journal=Journal(
            title="Journal of Tests", iso_abbrev="J Tests", volume="12", issue="3", pages="45-67"
        ),
        published="2024-03-21",
        publication_types=("Journal Article", "Review", "Retracted Publication"),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


class Harness(App[None]):
    """One pane on its own, styled by the real stylesheet."""

    CSS_PATH = WIDGETS_CSS

    def __init__(self, widget: Widget) -> None:
        super().__init__()
        self.widget = widget
        self.chosen: list[Reference] = []

    def get_css_variables(self) -> dict[str, str]:
        # The stylesheet's $pubterm-* colours, as the reader app defines them.
        variables = super().get_css_variables()
        return {**variables, **reader_variables(variables)}

    def compose(self) -> ComposeResult:
        yield self.widget

    def on_references_pane_reference_chosen(self, message: ReferencesPane.ReferenceChosen) -> None:
        self.chosen.append(message.reference)


def screen_segments(app: App[None], widget: Widget) -> list[Segment]:
    """The segments the compositor actually draws inside the widget's region."""
    region = widget.region
    strips = app.screen._compositor.render_strips()
    segments: list[Segment] = []
    for y in range(region.y, region.bottom):
        segments.extend(strips[y].crop(region.x, region.right)._segments)
    return segments


def screen_text(app: App[None], widget: Widget) -> str:
    region = widget.region
    strips = app.screen._compositor.render_strips()
    return "\n".join(
        strips[y].crop(region.x, region.right).text for y in range(region.y, region.bottom)
    )


# ---------- header ----------


async def test_header_shows_title_authors_source_ids_and_badges() -> None:
    header = RecordHeader()
    app = Harness(header)
    async with app.run_test(size=(100, 20)) as pilot:
        header.record = made_record()
        await pilot.pause()
        text = screen_text(app, header)
    assert "A review of reviews" in text
    assert "Author1 A, Author2 A, Author3 A, Author4 A, Author5 A … +3" in text
    assert "Author6" not in text
    assert "J Tests · 2024-03-21 · 12(3):45-67" in text
    assert "DOI 10.1000/xyz.123  PMID 123456  PMC765" in text
    # warnings first, then review types, then the rest
    badges = next(line for line in text.splitlines() if "Review" in line)
    assert (
        badges.index("Retracted Publication")
        < badges.index("Review")
        < badges.index("Journal Article")
    )


async def test_header_few_authors_and_collective_names_are_shown_whole() -> None:
    header = RecordHeader()
    app = Harness(header)
    authors = (Author(last="Smith", initials="JA"), Author(collective="GBD 2019 Collaborators"))
    async with app.run_test(size=(100, 20)) as pilot:
        header.record = made_record(authors=authors)
        await pilot.pause()
        text = screen_text(app, header)
    assert "Smith JA, GBD 2019 Collaborators" in text
    assert "+" not in text.splitlines()[1]


async def test_header_wraps_a_title_of_three_lines_and_cuts_a_longer_one() -> None:
    title = " ".join(f"word{i}" for i in range(60)) + " END."
    fits = " ".join(f"word{i}" for i in range(18)) + " END."
    header = RecordHeader()
    app = Harness(header)
    async with app.run_test(size=(60, 30)) as pilot:
        header.record = made_record(title=fits)
        await pilot.pause()
        assert " ".join(screen_text(app, header).split()).startswith(fits)
        header.record = made_record(title=title)
        await pilot.pause()
        cut = " ".join(screen_text(app, header).split())
        header.full_title = True
        await pilot.pause()
        text = screen_text(app, header)
    assert "END." not in cut and "(t shows the whole title)" in cut
    assert "END." in text
    assert " ".join(text.split()).startswith(title)


async def test_header_record_text_is_inert_not_markup() -> None:
    header = RecordHeader()
    app = Harness(header)
    async with app.run_test(size=(100, 20)) as pilot:
        header.record = made_record(title=HOSTILE, pmid="999")
        await pilot.pause()
        text = screen_text(app, header)
        segments = screen_segments(app, header)
        await pilot.click(RecordHeader, offset=(3, 0))
        await pilot.pause()
        assert app.is_running
        assert app.return_code is None
    assert HOSTILE in " ".join(text.split())
    assert not any("@click" in (seg.style.meta if seg.style else {}) for seg in segments)


async def test_header_ids_are_hyperlinks() -> None:
    header = RecordHeader()
    app = Harness(header)
    async with app.run_test(size=(100, 20)) as pilot:
        header.record = made_record()
        await pilot.pause()
        segments = screen_segments(app, header)
    links = {seg.text: seg.style.link for seg in segments if seg.style and seg.style.link}
    assert links["10.1000/xyz.123"] == "https://doi.org/10.1000/xyz.123"
    assert links["123456"] == "https://pubmed.ncbi.nlm.nih.gov/123456/"
    assert links["PMC765"] == "https://pmc.ncbi.nlm.nih.gov/articles/PMC765/"


def test_doi_links_are_percent_encoded() -> None:
    url = doi_url("10.1002/(SICI)1097-4636(199601)30:1<1::AID-JBM1>3.0.CO;2-#")
    assert url.startswith("https://doi.org/10.1002/")
    for raw in "<>#;() ":
        assert raw not in url.removeprefix("https://")
    assert "%3C1%3A%3AAID-JBM1%3E" in url


async def test_header_is_empty_without_a_record() -> None:
    header = RecordHeader()
    app = Harness(header)
    async with app.run_test(size=(100, 20)) as pilot:
        await pilot.pause()
        assert header.render().plain == ""
        assert not header.display  # no empty band before the first record arrives
        header.record = made_record()
        await pilot.pause()
        assert header.display and header.size.height >= 5


# ---------- abstract ----------


async def test_abstract_structured_labels_render_as_bold_headings() -> None:
    record = fixture_record("38534005")
    pane = AbstractPane()
    app = Harness(pane)
    async with app.run_test(size=(100, 60)) as pilot:
        pane.record = record
        await pilot.pause()
        assert pane.border_title == "Abstract"
        segments = screen_segments(app, pane)
        text = screen_text(app, pane)
    for label in ("BACKGROUND", "RECOMMENDATIONS", "SPECIMEN COLLECTION"):
        assert label in text
    heading = next(seg for seg in segments if seg.text.strip() == "BACKGROUND")
    assert heading.style is not None and heading.style.bold
    body = next(seg for seg in segments if "The EFLM Task and Finish Group" in seg.text)
    assert not (body.style and body.style.bold)


async def test_abstract_unlabelled_paragraph_then_conflict_of_interest() -> None:
    record = fixture_record("35856662")
    pane = AbstractPane()
    app = Harness(pane)
    async with app.run_test(size=(100, 40)):
        pane.record = record
    lines = pane.text.splitlines()
    assert lines[0].startswith("Modern medicine is threatened")
    coi = lines.index("Conflict of interest")
    assert lines[coi + 1].startswith("The authors declare a conflict of interest.")


async def test_abstract_missing_says_so() -> None:
    record = fixture_record("38700094")
    assert record.abstract == ()
    pane = AbstractPane()
    app = Harness(pane)
    async with app.run_test(size=(100, 40)) as pilot:
        pane.record = record
        await pilot.pause()
        text = screen_text(app, pane)
    assert "No abstract in this record." in text
    assert "Conflict of interest" in text


async def test_abstract_scrolls_with_the_shared_keys() -> None:
    sections = tuple(AbstractSection(f"PART {i}", "text " * 40) for i in range(30))
    pane = AbstractPane()
    app = Harness(pane)
    async with app.run_test(size=(60, 20)) as pilot:
        pane.record = made_record(abstract=sections)
        pane.focus()
        await pilot.pause()
        await pilot.press("j", "j")
        assert pane.scroll_y == 2
        await pilot.press("k")
        assert pane.scroll_y == 1
        await pilot.press("G")
        assert pane.scroll_y == pane.max_scroll_y > 0
        await pilot.press("g")
        assert pane.scroll_y == 0
        await pilot.press("pagedown")
        assert pane.scroll_y > 5
        position = pane.scroll_y
        assert pane.record is not None
        pane.record = replace(pane.record, stale="served from cache")
        await pilot.pause()
        assert pane.scroll_y == position  # a refreshed copy keeps the place
        pane.record = made_record(pmid="42", abstract=sections)
        await pilot.pause()
        assert pane.scroll_y == 0  # another paper starts at the top


# ---------- keywords ----------


async def test_keywords_mark_major_mesh_topics() -> None:
    record = fixture_record("35856662")
    pane = KeywordsPane()
    app = Harness(pane)
    async with app.run_test(size=(100, 40)) as pilot:
        pane.record = record
        await pilot.pause()
        assert pane.border_title == "Keywords"
        body = pane.query_one("#keywords-text")
        segments = screen_segments(app, body)
        text = screen_text(app, body)
    lines = [line.strip() for line in text.splitlines()]
    assert "★ *beta-Lactamases/genetics" in lines
    assert "Humans" in lines  # not major: no star
    assert "★ Humans" not in lines
    assert "OXA-48 · OXA-48 β-lactamase · beta-lactamases" in " ".join(text.split())
    major = next(seg for seg in segments if seg.text == "*beta-Lactamases")
    assert major.style is not None and major.style.bold
    assert text.index("Author keywords") < text.index("MeSH terms")


async def test_keywords_empty_says_so() -> None:
    pane = KeywordsPane()
    app = Harness(pane)
    async with app.run_test(size=(60, 10)) as pilot:
        pane.record = made_record(keywords=(), mesh=())
        await pilot.pause()
        assert "No keywords or MeSH terms." in screen_text(app, pane)
        pane.record = made_record(
            mesh=(MeshHeading("[b]Neoplasms", True, ("[@click=app.quit]x",)),)
        )
        await pilot.pause()
        assert "★ *[b]Neoplasms/[@click=app.quit]x" in screen_text(app, pane)


# ---------- references ----------


def option_texts(pane: ReferencesPane) -> list[str]:
    references = pane.query_one("#ref-list", ReferenceList)
    return [str(option.prompt) for option in references.options]


async def test_references_count_and_numbering() -> None:
    record = fixture_record("35856662")
    pane = ReferencesPane()
    app = Harness(pane)
    async with app.run_test(size=(100, 40)) as pilot:
        pane.record = record
        await pilot.pause()
        assert pane.border_title == "References 258"
        texts = option_texts(pane)
        assert len(texts) == 258
        assert texts[0].startswith("  1. Murray CJ, Ikuta KS")
        assert texts[0].endswith("DOI PMID PMC")
        assert texts[11].startswith(" 12. ")
        assert "Input" not in [type(w).__name__ for w in app.screen.focus_chain]
        assert not pane.query_one("#ref-filter", Input).display


async def test_references_filter_keeps_original_numbers() -> None:
    record = fixture_record("35856662")
    pane = ReferencesPane()
    app = Harness(pane)
    async with app.run_test(size=(100, 40)) as pilot:
        pane.record = record
        await pilot.pause()
        pane.focus()
        pane.start_filter()
        await pilot.pause()
        filter_input = pane.query_one("#ref-filter", Input)
        assert filter_input.display and filter_input.has_focus
        await pilot.press(*"lancet")
        await pilot.pause()
        visible = pane.visible_references
        assert 0 < len(visible) < 258
        assert all("lancet" in ref.citation.lower() for ref in visible)
        assert pane.border_title == f"References {len(visible)} of 258"
        for text, ref in zip(option_texts(pane), visible, strict=True):
            number = record.references.index(ref) + 1
            assert text.lstrip().startswith(f"{number}. ")
        assert any(record.references.index(ref) > 0 for ref in visible)
        # identifiers are searchable too
        pane.filter_text = "35065702"
        await pilot.pause()
        assert [ref.pmid for ref in pane.visible_references] == ["35065702"]
        assert filter_input.value == "35065702"
        # escape clears, hides the input and gives the list the keyboard
        filter_input.focus()
        await pilot.press("escape")
        await pilot.pause()
        assert pane.filter_text == ""
        assert not filter_input.display
        assert pane.query_one("#ref-list").has_focus
        assert pane.border_title == "References 258"
        assert len(pane.visible_references) == 258


async def test_references_keys_move_the_highlight() -> None:
    record = fixture_record("35856662")
    refs = record.references
    pane = ReferencesPane()
    app = Harness(pane)
    async with app.run_test(size=(100, 40)) as pilot:
        pane.record = record
        pane.focus()
        await pilot.pause()
        assert pane.highlighted_reference == refs[0]
        await pilot.press("j", "j", "down")
        assert pane.highlighted_reference == refs[3]
        await pilot.press("k")
        assert pane.highlighted_reference == refs[2]
        await pilot.press("G")
        assert pane.highlighted_reference == refs[-1]
        await pilot.press("j")  # no wrap past the end
        assert pane.highlighted_reference == refs[-1]
        await pilot.press("g")
        assert pane.highlighted_reference == refs[0]
        await pilot.press("k")  # no wrap past the top
        assert pane.highlighted_reference == refs[0]
        await pilot.press("pagedown")
        highlighted = pane.highlighted_reference
        assert highlighted is not None and refs.index(highlighted) > 3


async def test_references_enter_posts_reference_chosen() -> None:
    record = fixture_record("35856662")
    pane = ReferencesPane()
    app = Harness(pane)
    async with app.run_test(size=(100, 40)) as pilot:
        pane.record = record
        pane.focus()
        await pilot.pause()
        await pilot.press("j", "j", "enter")
        await pilot.pause()
    assert app.chosen == [record.references[2]]


async def test_references_filtered_highlight_maps_to_original_reference() -> None:
    record = fixture_record("35856662")
    pane = ReferencesPane()
    app = Harness(pane)
    async with app.run_test(size=(100, 40)) as pilot:
        pane.record = record
        pane.filter_text = "lancet"
        pane.focus()
        await pilot.pause()
        await pilot.press("j", "enter")
        await pilot.pause()
        expected = pane.visible_references[1]
        assert pane.highlighted_reference == expected
    assert app.chosen == [expected]


async def test_references_597_render_and_g_reaches_the_last() -> None:
    record = fixture_record("32051057")
    assert len(record.references) == 597
    pane = ReferencesPane()
    app = Harness(pane)
    async with app.run_test(size=(100, 40)) as pilot:
        pane.record = record
        pane.focus()
        await pilot.pause()
        assert pane.border_title == "References 597"
        await pilot.press("G")
        await pilot.pause()
        assert pane.highlighted_reference == record.references[-1]
        text = " ".join(screen_text(app, pane).split())
        assert "597. " in text
        assert "  1. " not in screen_text(app, pane)


async def test_references_keep_highlight_for_same_record_reset_for_new() -> None:
    record = fixture_record("35856662")
    other = fixture_record("32051057")
    pane = ReferencesPane()
    app = Harness(pane)
    async with app.run_test(size=(100, 40)) as pilot:
        pane.record = record
        pane.focus()
        await pilot.pause()
        await pilot.press(*"jjjjj")
        assert pane.highlighted_reference == record.references[5]
        pane.record = replace(record, stale="served from cache")
        await pilot.pause()
        assert pane.highlighted_reference == record.references[5]
        pane.filter_text = "oxa"
        pane.record = other
        await pilot.pause()
        assert pane.filter_text == ""
        assert pane.highlighted_reference == other.references[0]
        assert pane.border_title == "References 597"


async def test_references_citation_text_is_inert() -> None:
    refs = (Reference(HOSTILE, doi="10.1/x"), Reference("Plain citation."))
    pane = ReferencesPane()
    app = Harness(pane)
    async with app.run_test(size=(120, 20)) as pilot:
        pane.record = made_record(references=refs)
        await pilot.pause()
        text = " ".join(screen_text(app, pane).split())
        segments = screen_segments(app, pane)
        await pilot.click(ReferenceList, offset=(8, 0))
        await pilot.pause()
        assert app.return_code is None
    assert HOSTILE in text
    assert "2. Plain citation." in text
    assert not any("@click" in (seg.style.meta if seg.style else {}) for seg in segments)
    assert app.chosen == [refs[0]]  # the click chose the reference, nothing else


async def test_references_empty_record() -> None:
    pane = ReferencesPane()
    app = Harness(pane)
    async with app.run_test(size=(60, 10)) as pilot:
        assert pane.border_title == "References"
        pane.record = made_record(references=())
        await pilot.pause()
        assert pane.border_title == "References 0"
        assert pane.highlighted_reference is None
        assert pane.visible_references == []
        assert "No references in this record." in screen_text(app, pane)
        pane.focus()
        await pilot.press("j", "G", "enter")
        await pilot.pause()
        assert pane.highlighted_reference is None
    assert app.chosen == []


async def test_references_filter_without_matches_says_so() -> None:
    pane = ReferencesPane()
    app = Harness(pane)
    async with app.run_test(size=(60, 10)) as pilot:
        pane.record = made_record(references=(Reference("Alpha."), Reference("Beta.")))
        pane.filter_text = "gamma"
        pane.focus()
        await pilot.pause()
        assert pane.border_title == "References 0 of 2"
        assert "No reference matches the filter." in screen_text(app, pane)
        await pilot.press("enter")
        await pilot.pause()
        assert pane.highlighted_reference is None
        pane.filter_text = "BETA"
        await pilot.pause()
        assert pane.visible_references == [Reference("Beta.")]
        assert "2. Beta." in screen_text(app, pane)
    assert app.chosen == []


async def test_references_wrap_under_the_text_not_the_number() -> None:
    long = "Word " * 40 + "END."
    pane = ReferencesPane()
    app = Harness(pane)
    async with app.run_test(size=(50, 20)) as pilot:
        pane.record = made_record(references=tuple(Reference(f"{i} {long}") for i in range(12)))
        await pilot.pause()
        body = pane.query_one("#ref-list", ReferenceList)
        lines = screen_text(app, body).splitlines()
    assert lines[0].startswith("  1. 0 Word")
    assert lines[1].startswith("     Word")  # five columns: " 1." padded for "12." and a space
    assert all(re.match(r"( {2}\d|\d\d)\. \d+ Word| {5}Word", line) for line in lines)


async def test_references_filter_marks_the_matches() -> None:
    record = fixture_record("35856662")
    pane = ReferencesPane()
    app = Harness(pane)
    async with app.run_test(size=(100, 40)) as pilot:
        pane.record = record
        pane.filter_text = "LANCET"
        await pilot.pause()
        body = pane.query_one("#ref-list", ReferenceList)
        segments = screen_segments(app, body)
    marked = [seg for seg in segments if seg.text.lower() == "lancet"]
    assert marked and all(seg.style and seg.style.underline for seg in marked)
    plain = [seg for seg in segments if "Murray" in seg.text or "Ikuta" in seg.text]
    assert all(not (seg.style and seg.style.underline) for seg in plain)


async def test_references_highlight_visible_without_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    pane = ReferencesPane()
    app = Harness(pane)
    async with app.run_test(size=(100, 20)) as pilot:
        pane.record = fixture_record("35856662")
        pane.focus()
        await pilot.pause()
        assert app.no_color
        body = pane.query_one("#ref-list", ReferenceList)
        first_row = screen_segments(app, body)[:3]
    assert any(seg.style and seg.style.underline for seg in first_row)


# ---------- status ----------


async def test_status_banner_states() -> None:
    banner = StatusBanner()
    app = Harness(banner)
    async with app.run_test(size=(80, 5)) as pilot:
        await pilot.pause()
        assert not banner.display
        banner.error("NCBI did not answer [@click=app.quit]x")
        await pilot.pause()
        assert banner.display and banner.has_class("-error")
        assert "NCBI did not answer [@click=app.quit]x — press r to retry" in screen_text(
            app, banner
        )
        banner.loading("Fetching PMID 35856662…")
        await pilot.pause()
        assert banner.kind == "loading" and not banner.has_class("-error")
        assert "Fetching PMID 35856662…" in screen_text(app, banner)
        assert not banner.loading  # Textual's own loading flag stays off
        banner.notice("Cached copy from 2024-01-01; refresh failed")
        await pilot.pause()
        assert banner.has_class("-notice")
        banner.clear()
        await pilot.pause()
        assert not banner.display


# ---------- themes ----------


@pytest.mark.parametrize("theme", ["textual-dark", "ansi-dark", "ansi-light"])
async def test_focused_pane_border_uses_accent(theme: str) -> None:
    pane = AbstractPane()
    app = Harness(pane)
    async with app.run_test(size=(60, 10)) as pilot:
        app.theme = theme
        pane.record = made_record()
        app.screen.set_focus(None)
        await pilot.pause()
        blurred = pane.styles.border_top
        pane.focus()
        await pilot.pause()
        focused = pane.styles.border_top
        assert focused != blurred
        assert focused[0] == "heavy" and blurred[0] == "round"
        assert focused[1] == Color.parse(app.theme_variables["accent"])


@pytest.mark.parametrize(("theme", "dim"), [("textual-dark", False), ("ansi-dark", True)])
async def test_muted_text_is_dimmed_where_the_theme_cannot_mute_it(theme: str, dim: bool) -> None:
    pane = ReferencesPane()
    app = Harness(pane)
    async with app.run_test(size=(100, 20)) as pilot:
        app.theme = theme
        pane.record = made_record(
            references=(Reference("A.", doi="10.1/a"), Reference("B.", pmid="1"))
        )
        await pilot.pause()
        segments = screen_segments(app, pane.query_one("#ref-list", ReferenceList))
    badges = [seg for seg in segments if seg.text in ("DOI", "PMID")]
    assert len(badges) == 2
    assert all(bool(seg.style and seg.style.dim) is dim for seg in badges)
