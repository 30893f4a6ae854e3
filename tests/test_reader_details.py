"""The Details view, the corrections banner and the MeSH rows, each in a small app.

Records are real efetch fixtures; a notice the fixtures lack is built from real material
(38833988's erratum link, its RefType turned into the one a corrected or retracted
article carries), as tests/test_parse_more.py does for the formats.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any, ClassVar

from rich.segment import Segment
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widget import Widget

from tests.server import FixtureServer
from tests.test_app_support import make_app, wait_for
from tui.contrast import reader_variables
from tui.data.model import Author, Book, Chemical, Correction, MeshHeading, Record
from tui.data.model_publication import Grant
from tui.data.parse import parse_pubmed
from tui.data.settings import Settings
from tui.widgets import WIDGETS_CSS, KeywordsPane
from tui.widgets.corrections import PmidChosen, UrlChosen
from tui.widgets.details import DetailsView
from tui.widgets.details_content import EMPTY_TEXT, orcid_url
from tui.widgets.notice_banner import NoticeBanner

FIXTURES = Path(__file__).parent / "fixtures" / "pubmed"
HOSTILE = "[@click=app.quit]Quit now [b]bold[/b] [18F]FDG PET [Article in German]"
ERRATUM_LINK = b'<CommentsCorrections RefType="ErratumFor">'


def fixture_record(pmid: str) -> Record:
    return parse_pubmed((FIXTURES / f"{pmid}.xml").read_bytes())[0]


def noticed_record(*ref_types: str) -> Record:
    """38833988 with its one correction link repeated as each of ``ref_types``."""
    xml = (FIXTURES / "38833988.xml").read_bytes()
    start = xml.index(ERRATUM_LINK)
    end = xml.index(b"</CommentsCorrections>", start) + len(b"</CommentsCorrections>")
    link = xml[start:end]
    links = b"".join(link.replace(b"ErratumFor", kind.encode()) for kind in ref_types)
    return parse_pubmed(xml[:start] + links + xml[end:])[0]


class Styled(App[None]):
    """An app styled by the real stylesheet, with the reader's $pubterm-* colours."""

    CSS_PATH = WIDGETS_CSS

    def get_css_variables(self) -> dict[str, str]:
        variables = super().get_css_variables()
        return {**variables, **reader_variables(variables)}


class Harness(Styled):
    """The banner above the Details view, as the reader stacks them; records what they ask."""

    def __init__(self) -> None:
        super().__init__()
        self.pmids: list[PmidChosen] = []
        self.urls: list[str] = []

    def compose(self) -> ComposeResult:
        yield NoticeBanner(id="notices")
        yield DetailsView(id="details")

    def show(self, record: Record | None) -> None:
        self.query_one(NoticeBanner).record = record
        self.query_one(DetailsView).record = record

    def on_pmid_chosen(self, message: PmidChosen) -> None:
        self.pmids.append(message)

    def on_url_chosen(self, message: UrlChosen) -> None:
        self.urls.append(message.url)


def screen_text(app: App[None], widget: Widget) -> str:
    region = widget.region
    strips = app.screen._compositor.render_strips()
    return "\n".join(
        strips[y].crop(region.x, region.right).text for y in range(region.y, region.bottom)
    )


def screen_segments(app: App[None], widget: Widget) -> list[Segment]:
    region = widget.region
    strips = app.screen._compositor.render_strips()
    segments: list[Segment] = []
    for y in range(region.y, region.bottom):
        segments.extend(strips[y].crop(region.x, region.right)._segments)
    return segments


def flat(text: str) -> str:
    return " ".join(text.split())


# ---------- Details view ----------


async def test_a_chapter_shows_its_authors_then_the_book_and_its_editors() -> None:
    app = Harness()
    async with app.run_test(size=(80, 24)) as pilot:
        app.show(fixture_record("20301577"))  # a GeneReviews chapter
        await pilot.pause()
        view = app.query_one(DetailsView)
        top = flat(screen_text(app, view))
        await pilot.press("G")
        await pilot.pause()
        bottom = flat(screen_text(app, view))
    assert view.border_title == "Details"
    assert "Authors (2)" in top and "1. Napolitano, Carlo" in top
    assert "European Reference Network for Rare and Low Prevalence" in top  # affiliation
    assert "Editors (6)" in bottom and "6. Amemiya, Anne" in bottom
    text = view.text
    assert text.index("Napolitano, Carlo") < text.index("In the book") < text.index("Editors")
    assert "Title: GeneReviews®" in text
    assert "Publisher: University of Washington, Seattle, Seattle (WA)" in text
    assert "Journal:" not in text  # a book's "journal" is the book again


async def test_a_whole_book_names_its_authors_once_with_publisher_and_isbn() -> None:
    app = Harness()
    async with app.run_test(size=(80, 24)) as pilot:
        app.show(fixture_record("20821847"))
        await pilot.pause()
        text = app.query_one(DetailsView).text
        shown = flat(screen_text(app, app.query_one(DetailsView)))
    assert "1. Nussey, Stephen" in shown and "2. Whitehead, Saffron" in shown
    assert "Book\nTitle: Endocrinology: An Integrated Approach" in text
    assert "Publisher: BIOS Scientific Publishers, Oxford" in text
    assert "ISBN: 1859962521" in text
    assert "Authors of the book" not in text  # the same people as the record's authors
    assert text.count("Nussey, Stephen") == 1


async def test_collective_book_authors_and_suffixes_are_whole() -> None:
    app = Harness()
    async with app.run_test(size=(80, 24)) as pilot:
        app.show(fixture_record("26468569"))
        await pilot.pause()
        book = app.query_one(DetailsView).text
        suffixed = fixture_record("10869455")
        app.show(suffixed)
        await pilot.pause()
        article = app.query_one(DetailsView).text
    assert "6. The National Academies of Sciences, Engineering, and Medicine" in book
    (author,) = [a for a in suffixed.authors if a.suffix]
    assert author.suffix == "Jr"
    assert f"{author.last}, {author.fore} Jr" in article


async def test_orcid_grants_language_epub_and_chemicals() -> None:
    app = Harness()
    async with app.run_test(size=(80, 24)) as pilot:
        app.show(fixture_record("35856662"))
        await pilot.pause()
        view = app.query_one(DetailsView)
        segments = screen_segments(app, view)
        text = view.text
        view.focus()
        await pilot.press("enter")  # the first author has an ORCID iD
        await pilot.pause()
    orcid = "https://orcid.org/0000-0001-9935-5263"
    assert f"1. Boyd, Sara E\nORCID {orcid}\nAntimicrobial Pharmacodynamics" in text
    links = {seg.text: seg.style.link for seg in segments if seg.style and seg.style.link}
    assert links[orcid] == orcid
    assert app.urls == [orcid] and app.pmids == []
    assert "Grants (3)\nMR/N025989/1 · Medical Research Council (MRC_) · United Kingdom" in text
    assert "\nDepartment of Health (DH_) · United Kingdom" in text  # a grant without an id
    assert "Language: English (eng)" in text
    assert "Published electronically: 2022-07-20" in text
    assert "Published: 2022 Aug 16" in text
    assert "Chemicals (4)\nAnti-Bacterial Agents\n" in text  # registry "0": no number
    assert "beta-Lactamases  EC 3.5.2.6" in text


async def test_comments_and_updates_are_listed_and_enter_opens_them() -> None:
    app = Harness()
    async with app.run_test(size=(80, 24)) as pilot:
        app.show(fixture_record("35856662"))
        await pilot.pause()
        view = app.query_one(DetailsView)
        view.focus()
        await pilot.press("G", "enter")
        await pilot.pause()
        shown = flat(screen_text(app, view))
        assert "Comments and corrections (1)" in shown
        assert "Comment in: Antimicrob Agents Chemother. 2022 Oct 18" in shown
        assert [m.pmid for m in app.pmids] == ["36094308"]
        app.show(fixture_record("39345789"))
        await pilot.pause()
        await pilot.press("G", "enter")
        await pilot.pause()
        assert "Update of: " in view.text
        assert app.query_one(NoticeBanner).display is False  # comments are not notices
    assert [m.pmid for m in app.pmids] == ["36094308", "36993193"]
    assert [m.correction.type for m in app.pmids if m.correction] == ["CommentIn", "UpdateOf"]


async def test_rows_without_a_target_open_nothing_and_headings_are_passed_over() -> None:
    app = Harness()
    async with app.run_test(size=(80, 24)) as pilot:
        app.show(fixture_record("20821847"))
        await pilot.pause()
        view = app.query_one(DetailsView)
        view.focus()
        first = view.highlighted
        assert first is not None and not view.rows[first].heading
        for _ in range(len(view.rows)):
            await pilot.press("j", "enter")
            assert view.highlighted is not None and not view.rows[view.highlighted].heading
        await pilot.press("g")
        assert view.highlighted == first
    assert app.pmids == [] and app.urls == []  # a book without links or ORCID iDs


async def test_a_refreshed_copy_keeps_the_place_and_another_record_starts_at_the_top() -> None:
    app = Harness()
    async with app.run_test(size=(80, 24)) as pilot:
        record = fixture_record("39382274")
        app.show(record)
        await pilot.pause()
        view = app.query_one(DetailsView)
        view.focus()
        await pilot.press(*"jjjjj")
        place = view.highlighted
        app.show(replace(record, cached=True))
        await pilot.pause()
        assert view.highlighted == place
        app.show(fixture_record("35856662"))
        await pilot.pause()
        assert view.highlighted == 1 and view.scroll_y == 0


async def test_a_record_with_nothing_more_says_so() -> None:
    app = Harness()
    async with app.run_test(size=(80, 24)) as pilot:
        app.show(Record(pmid="1", title="Bare"))
        await pilot.pause()
        assert EMPTY_TEXT in screen_text(app, app.query_one(DetailsView))
        app.show(None)
        await pilot.pause()
        assert app.query_one(DetailsView).text == ""


# ---------- corrections banner ----------


async def test_a_retracted_record_names_its_notice_and_enter_opens_it() -> None:
    app = Harness()
    async with app.run_test(size=(80, 24)) as pilot:
        app.show(noticed_record("RetractionIn"))
        await pilot.pause()
        banner = app.query_one(NoticeBanner)
        assert banner.display and banner.region.y == 0  # at the top, above the details
        shown = flat(screen_text(app, banner).replace("█", " "))  # without the left bar
        banner.focus()
        await pilot.press("enter")
        await pilot.pause()
    assert shown.startswith("! Retracted: see Retraction in Biochim Biophys Acta Mol Cell Res.")
    assert shown.endswith("PMID 33279609")
    (chosen,) = app.pmids
    assert chosen.pmid == "33279609"
    assert chosen.correction is not None and chosen.correction.type == "RetractionIn"


async def test_an_erratum_is_named_and_a_click_opens_it() -> None:
    app = Harness()
    async with app.run_test(size=(80, 24)) as pilot:
        app.show(noticed_record("ErratumIn"))
        await pilot.pause()
        banner = app.query_one(NoticeBanner)
        assert banner.text.startswith("! Corrected: see Erratum in Biochim Biophys Acta")
        await pilot.click(NoticeBanner, offset=(4, 0))
        await pilot.pause()
    assert [m.pmid for m in app.pmids] == ["33279609"]


async def test_notices_come_most_serious_first_and_the_details_list_them_too() -> None:
    app = Harness()
    async with app.run_test(size=(80, 24)) as pilot:
        app.show(noticed_record("ErratumIn", "CommentIn", "ExpressionOfConcernIn"))
        await pilot.pause()
        banner = app.query_one(NoticeBanner)
        lines = banner.text.splitlines()
        details = app.query_one(DetailsView).text
    assert [line.split(":")[0] for line in lines] == ["! Expression of concern", "! Corrected"]
    listed = details[details.index("Comments and corrections (3)") :].splitlines()[1:]
    assert [line.split(":")[0] for line in listed] == [
        "Expression of concern in",
        "Erratum in",
        "Comment in",
    ]


async def test_the_banner_is_hidden_without_notices() -> None:
    app = Harness()
    async with app.run_test(size=(80, 24)) as pilot:
        app.show(fixture_record("38833988"))  # an erratum itself: ErratumFor is no notice
        await pilot.pause()
        banner = app.query_one(NoticeBanner)
        assert banner.display is False
        assert app.query_one(DetailsView).region.y == 0
        app.show(noticed_record("PartialRetractionIn"))
        await pilot.pause()
        assert banner.display and banner.text.startswith("! Partly retracted: see Partial")
        app.show(fixture_record("35856662"))
        await pilot.pause()
        assert banner.display is False and banner.text == ""


async def test_a_screen_key_opens_the_notice_without_focusing_the_banner() -> None:
    class Keyed(Harness):
        BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "open_notice")]

        def action_open_notice(self) -> None:
            self.query_one(NoticeBanner).open_notice()

    app = Keyed()
    async with app.run_test(size=(80, 24)) as pilot:
        app.show(fixture_record("35856662"))  # no notice: enter does nothing
        await pilot.pause()
        app.set_focus(None)
        await pilot.press("enter")
        assert app.query_one(NoticeBanner).open_notice() is False
        app.show(noticed_record("RetractionIn"))
        await pilot.pause()
        app.set_focus(None)
        await pilot.press("enter")
        await pilot.pause()
    assert [m.pmid for m in app.pmids] == ["33279609"]


# ---------- hostile text ----------


async def test_record_text_stays_inert_in_details_and_banner() -> None:
    person = Author(last=HOSTILE, fore="[i]x", affiliations=(HOSTILE,), orcid=HOSTILE)
    record = Record(
        pmid="999",
        title=HOSTILE,
        authors=(person,),
        book=Book(title=HOSTILE, publisher=HOSTILE, editors=(Author(collective=HOSTILE),)),
        grants=(Grant(id=HOSTILE, agency=HOSTILE),),
        chemicals=(Chemical(name=HOSTILE, registry=HOSTILE),),
        languages=(HOSTILE,),
        corrections=(
            Correction("RetractionIn", HOSTILE, "12"),
            Correction("CommentIn", HOSTILE, HOSTILE),  # not a PMID: nothing to open
        ),
    )
    app = Harness()
    async with app.run_test(size=(120, 40)) as pilot:
        app.show(record)
        await pilot.pause()
        banner, view = app.query_one(NoticeBanner), app.query_one(DetailsView)
        segments = screen_segments(app, banner) + screen_segments(app, view)
        shown = flat(screen_text(app, banner) + screen_text(app, view))
        await pilot.click(NoticeBanner, offset=(3, 0))
        view.focus()
        await pilot.press("G", "enter")
        await pilot.pause()
        assert app.is_running and app.return_code is None
    assert f"{HOSTILE}, [i]x" in shown
    assert f"! Retracted: see Retraction in {HOSTILE} PMID 12" in shown
    assert shown.count(HOSTILE) >= 6
    assert not any("@click" in (seg.style.meta if seg.style else {}) for seg in segments)
    assert [m.pmid for m in app.pmids] == ["12"]  # the comment's "PMID" is not one
    assert f"ORCID {HOSTILE}" in shown and app.urls == []  # not an iD: no link, no target


def test_only_a_well_formed_orcid_id_becomes_an_address() -> None:
    url = "https://orcid.org/0000-0001-6187-878X"
    assert orcid_url("0000-0001-6187-878X") == url
    assert orcid_url("https://orcid.org/0000-0001-6187-878x") == url
    assert orcid_url("http://orcid.org/0000-0001-6187-878X") == url
    for bad in ("", None, "0000-0001-6187", "javascript:alert(1)", "0000-0001-6187-878X/x"):
        assert orcid_url(bad) is None


# ---------- MeSH rows ----------


async def test_mesh_rows_star_the_major_qualifier_as_pubmed_writes_it() -> None:
    pane = KeywordsPane()

    class One(Styled):
        def compose(self) -> ComposeResult:
            yield pane

    app = One()
    async with app.run_test(size=(100, 60)) as pilot:
        pane.record = fixture_record("10869455")
        await pilot.pause()
        body = pane.query_one("#keywords-text")
        lines = [line.rstrip() for line in screen_text(app, body).splitlines()]
        segments = screen_segments(app, body)
        pane.record = Record(pmid="1", title="t", mesh=(MeshHeading("Liver", True),))
        await pilot.pause()
        whole = screen_text(app, pane.query_one("#keywords-text"))
    assert "★ Liver/*drug effects/metabolism/pathology" in lines
    assert (
        "★ Diethylhexyl Phthalate/analogs & derivatives/analysis/metabolism/*pharmacology" in lines
    )
    assert "  Organ Size/drug effects" in lines  # not major: no star anywhere
    bold = {seg.text for seg in segments if seg.style and seg.style.bold}
    assert "*drug effects" in bold and "Liver" not in bold
    assert "★ *Liver" in whole  # major with no major qualifier: the descriptor is


# ---------- pictures ----------


class Shown(Harness):
    """The harness opening on one record, for snapshots."""

    def __init__(self, record: Record) -> None:
        super().__init__()
        self.record = record

    def on_mount(self) -> None:
        self.show(self.record)
        self.query_one(DetailsView).focus()


def test_snapshot_retracted_record(snap_compare: Any) -> None:
    record = noticed_record("RetractionIn", "CommentIn")
    assert snap_compare(Shown(record), terminal_size=(80, 24))


def test_snapshot_chapter_editors(snap_compare: Any) -> None:
    assert snap_compare(Shown(fixture_record("20301577")), terminal_size=(80, 24), press=["G"])


async def test_the_reader_shows_the_banner_and_enter_opens_the_notice(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    fixture_server.retype_corrections("38833988", "RetractionIn")
    app = make_app(settings, "38833988")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.reader.record is not None)
        banner = app.reader.query_one(NoticeBanner)
        assert banner.display and "Retracted" in str(banner.get_option_at_index(0).prompt)
        await pilot.press("1", "enter")
        await wait_for(
            pilot,
            lambda: any(
                "33279609" in r.params.get("id", "") for r in fixture_server.logged("efetch")
            ),
        )
