"""Walking the citation graph in the reader: resolved titles, retraction flags, fallback
reference lists, Cited by and Similar panes, marks, and focus under fast typing.

Everything runs against the local fixture server over real HTTP; records that the
recorded answers lack (a review without its reference list, a PMID with a cited-by
list) are served as edited copies of recorded records.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace

from textual import events

from tests.server import FIXTURES, FixtureServer
from tests.test_app_support import (
    NARROW,
    NO_ABSTRACT,
    REVIEW,
    STRUCTURED,
    WIDE,
    fixture_record,
    link_references,
    loaded,
    make_app,
    settle,
    wait_for,
)
from tui.data.model import Reference
from tui.data.settings import Settings
from tui.screens.panes import PANE_TABLE
from tui.widgets.links import LinksPane
from tui.widgets.references import ReferencesPane

REVIEW_DOI = b"10.1128/aac.00216-22"
CITED = "28495875"  # the recorded elink answer lists 305 papers citing it
EUROPE_PMC = "28815688"  # the recorded Europe PMC reference page is for this PMID
CROSSREF_DOI = "10.1093/gji/ggz376"  # the recorded Crossref work, 72 references
CROSSREF_PMID = "99000001"


def keyed(settings: Settings) -> Settings:
    """Settings with an API key: NCBI's 10 requests a second instead of 3, so the many
    background requests of these tests (titles, links, prefetch) take less waiting."""
    return replace(settings, api_key="reader-graph-tests")


def review_copy(pmid: str, *, doi: str | None = None, references: bool = True) -> bytes:
    """The recorded review under another PMID (and DOI), optionally without its list."""
    xml = (FIXTURES / "pubmed" / f"{REVIEW}.xml").read_bytes()
    xml = xml.replace(
        f'<PMID Version="1">{REVIEW}</PMID>'.encode(),
        f'<PMID Version="1">{pmid}</PMID>'.encode(),
        1,
    )
    xml = xml.replace(
        f'<ArticleId IdType="pubmed">{REVIEW}</ArticleId>'.encode(),
        f'<ArticleId IdType="pubmed">{pmid}</ArticleId>'.encode(),
        1,
    )
    if doi is not None:
        xml = xml.replace(REVIEW_DOI, doi.encode())
    if not references:
        xml = re.sub(rb"<ReferenceList>.*?</ReferenceList>", b"", xml, flags=re.S)
    return xml


def refs_pane(app: object) -> ReferencesPane:
    return app.reader.references  # type: ignore[attr-defined, no-any-return]


def links_pane(app: object, name: str) -> LinksPane:
    return app.reader.links_pane(name)  # type: ignore[attr-defined, no-any-return]


def prompt_text(pane: ReferencesPane, index: int) -> str:
    """The plain text of reference ``index`` as the list shows it now."""
    return str(pane.reference_list.get_option_at_index(index).prompt)


def with_pmids(references: tuple[Reference, ...]) -> list[int]:
    return [i for i, ref in enumerate(references) if ref.pmid]


async def test_titles_fill_in_while_the_cursor_stays_put(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    refs = fixture_record(REVIEW).references
    indexed = with_pmids(refs)
    early, late = indexed[2], indexed[-1]  # first esummary batch, second batch
    fixture_server.add_summary(
        refs[early].pmid or "",
        title="Early resolved title",
        authors=["Vatansever C", "Menekse S"],
        source="Emerg Microbes Infect",
        pubdate="2020 Jan",
        pubtypes=["Journal Article", "Review"],
    )
    fixture_server.add_summary(
        refs[late].pmid or "",
        title="Late resolved title",
        authors=["Irrgang A"],
        source="Microorganisms",
        pubdate="2020",
    )
    # The first esummary batch is held back until the test has moved (the second follows it).
    fixture_server.stall_seconds = 60
    fixture_server.add_fault("stall", endpoint="esummary", times=1)
    app = make_app(keyed(settings))
    async with app.run_test(size=WIDE) as pilot:
        await wait_for(pilot, lambda: app.reader.record is not None)
        pane = refs_pane(app)
        await pilot.press("3", *"jjjjj")
        assert pane.summary_of(refs[early]) is None  # no batch is back yet
        assert pane.highlighted_number == 6
        listing = pane.reference_list
        scroll = listing.scroll_y
        fixture_server.release_stalls()
        await wait_for(pilot, lambda: "Late resolved title" in prompt_text(pane, late))
        await settle(pilot)
        assert len(fixture_server.logged("esummary")) == 2  # 243 PMIDs in two batches
        assert pane.highlighted_number == 6
        assert listing.highlighted == 5 and listing.scroll_y == scroll
        assert app.reader.pane_of(app.focused) == "references"
        text = prompt_text(pane, early)
        assert text.startswith(
            f"{early + 1:>3}. Early resolved title · Vatansever C et al. · "
            "Emerg Microbes Infect · 2020 · Review"
        )
        assert text.endswith("DOI PMID PMC")
        assert prompt_text(pane, late).startswith(
            f"{late + 1:>3}. Late resolved title · Irrgang A · Microorganisms · 2020"
        )
        # Unresolved PMIDs keep their citation text.
        assert prompt_text(pane, 0).startswith("  1. Murray CJ, Ikuta KS")
        assert pane.border_title == "References 258"


async def test_a_retracted_reference_is_flagged_in_list_title_and_record(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    refs = fixture_record(REVIEW).references
    by_pmid, _ = link_references(fixture_server)  # reference 1 is now PMID 38534005
    fixture_server.add_summary(
        STRUCTURED,
        title="A withdrawn trial",
        authors=["Doe J"],
        source="J Test",
        pubdate="2024",
        pubtypes=["Journal Article", "Retracted Publication"],
    )
    concern = refs[with_pmids(refs)[5]]
    fixture_server.add_summary(
        concern.pmid or "", title="A paper under concern", pubtypes=["Expression of Concern"]
    )
    app = make_app(keyed(settings))
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, REVIEW)
        pane = refs_pane(app)
        assert pane.border_title == "References 258 · 2 retracted"
        first = pane.reference_list.get_option_at_index(by_pmid).prompt
        assert str(first).startswith("  1. ! Retracted A withdrawn trial · Doe J")
        flag = [
            span
            for span in first.body.spans  # type: ignore[attr-defined]
            if first.body.plain[span.start : span.end] == "! Retracted"
        ]  # type: ignore[attr-defined]
        assert [span.style for span in flag] == [".badge--warning"]
        assert "! Expression of concern A paper under concern" in prompt_text(
            pane, refs.index(concern)
        )
        # Its detail, opened from the list, says so too: the record's own badges.
        await pilot.press("3", "enter")
        await loaded(pilot, STRUCTURED)
        await pilot.press("b")
        await loaded(pilot, REVIEW)
        assert pane.border_title == "References 258 · 2 retracted"


async def test_no_pubmed_list_falls_back_to_europe_pmc(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    fixture_server.add_record(EUROPE_PMC, review_copy(EUROPE_PMC, references=False))
    fixture_server.stall_seconds = 0.8
    fixture_server.add_fault("stall", endpoint="europepmc")
    app = make_app(keyed(settings), EUROPE_PMC)
    async with app.run_test(size=WIDE) as pilot:
        await wait_for(pilot, lambda: app.reader.record is not None)
        pane = refs_pane(app)
        await wait_for(pilot, lambda: pane.border_subtitle == "searching…")
        empty = pane.reference_list.placeholder  # an empty virtual list says why
        assert empty == "PubMed has no reference list: looking in Europe PMC and Crossref…"
        await settle(pilot)
        record = app.reader.record
        assert record is not None and record.references_source == "europepmc"
        assert len(record.references) == len(pane.references) > 0
        assert pane.border_subtitle == "from Europe PMC"
        assert pane.border_title == f"References {len(record.references)}"
        assert fixture_server.logged("europepmc") and not fixture_server.logged("crossref")


async def test_no_pubmed_or_europe_pmc_list_falls_back_to_crossref(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    xml = review_copy(CROSSREF_PMID, doi=CROSSREF_DOI, references=False)
    fixture_server.add_record(CROSSREF_PMID, xml)
    app = make_app(keyed(settings), CROSSREF_PMID)
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, CROSSREF_PMID)
        await settle(pilot)
        pane = refs_pane(app)
        assert pane.border_subtitle == "from Crossref"
        assert pane.border_title == "References 72"
        assert fixture_server.logged("europepmc") and fixture_server.logged("crossref")
        # Crossref references carry DOIs but no PMIDs: still openable, by DOI.
        doi_only = next(i for i, r in enumerate(pane.references) if r.doi and not r.pmid)
        assert doi_only >= 0


async def test_a_record_without_any_list_says_none_found(settings: Settings) -> None:
    app = make_app(keyed(settings), STRUCTURED)
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, STRUCTURED)
        await settle(pilot)
        assert refs_pane(app).border_subtitle == "none found"


async def test_enter_opens_a_reference_known_only_by_doi_and_back_returns(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    _, by_doi = link_references(fixture_server)
    app = make_app(keyed(settings))
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, REVIEW)
        await pilot.press("3")
        refs_pane(app).reference_list.highlighted = by_doi
        await pilot.pause()
        assert refs_pane(app).highlighted_reference is not None
        assert refs_pane(app).highlighted_reference.pmid is None  # type: ignore[union-attr]
        await pilot.press("enter")
        await loaded(pilot, STRUCTURED)
        assert any("[doi]" in r.params.get("term", "") for r in fixture_server.logged("esearch"))
        await pilot.press("b")
        await loaded(pilot, REVIEW)
        assert refs_pane(app).highlighted_number == by_doi + 1


async def test_cited_by_lists_resolves_and_opens_citing_papers(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    recorded = json.loads((FIXTURES / "eutils" / f"elink_citedin_{CITED}.json").read_bytes())
    citing = [str(p) for p in recorded["linksets"][0]["linksetdbs"][0]["links"]]
    fixture_server.add_record(CITED, review_copy(CITED))
    fixture_server.add_record(citing[0], review_copy(citing[0]))
    fixture_server.add_summary(
        citing[0],
        title="A citing paper",
        authors=["Roe P"],
        source="J Cite",
        pubdate="2021",
        pubtypes=["Retracted Publication"],
    )
    app = make_app(keyed(settings), CITED)
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, CITED)
        assert fixture_server.logged("elink") == []  # loaded on demand only
        pane = links_pane(app, "cited-by")
        fixture_server.latency = 0.3
        await pilot.press("4")
        assert app.reader.pane_of(app.focused) == "cited-by"
        await wait_for(pilot, lambda: pane.pmids is not None)
        assert pane.pmids == citing and len(citing) == 305
        assert (
            str(pane.paper_list.get_option_at_index(1).prompt) == f"  2. PMID {citing[1]} Loading…"
        )
        fixture_server.latency = 0.0
        await settle(pilot)
        assert len(fixture_server.logged("elink")) == 1
        assert pane.border_title == "Cited by 305 · 1 retracted"
        assert str(pane.paper_list.get_option_at_index(1).prompt) == (
            f"  2. PMID {citing[1]} no summary available"
        )
        first = str(pane.paper_list.get_option_at_index(0).prompt)
        assert first == "  1. ! Retracted A citing paper · Roe P · J Cite · 2021  PMID"
        await pilot.press("enter")
        await loaded(pilot, citing[0])
        assert pane.pmids is None  # the new record's links are not loaded until asked
        await pilot.press("b")
        await loaded(pilot, CITED)
        assert app.reader.pane_of(app.focused) == "cited-by"
        await settle(pilot)
        assert pane.pmids == citing
        assert len(fixture_server.logged("elink")) == 1  # the list came from the cache


async def test_similar_lists_papers_and_enter_opens_one(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    fixture_server.add_links(REVIEW, "pubmed_pubmed", [REVIEW, STRUCTURED, NO_ABSTRACT])
    structured, editorial = fixture_record(STRUCTURED), fixture_record(NO_ABSTRACT)
    app = make_app(keyed(settings))
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, REVIEW)
        await pilot.press("5")
        await settle(pilot)
        pane = links_pane(app, "similar")
        assert pane.border_title == "Similar articles 2"
        assert pane.pmids == [STRUCTURED, NO_ABSTRACT]
        texts = [str(pane.paper_list.get_option_at_index(i).prompt) for i in (0, 1)]
        assert texts[0].startswith(f"1. {structured.title}")
        assert texts[1].startswith(f"2. {editorial.title}")
        await pilot.press("j", "enter")
        await loaded(pilot, NO_ABSTRACT)
        await pilot.press("b")
        await loaded(pilot, REVIEW)
        assert app.reader.pane_of(app.focused) == "similar"


async def test_tab_cycles_through_every_pane(settings: Settings) -> None:
    app = make_app(keyed(settings))
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, REVIEW)
        seen = []
        order = [pane.id for pane in PANE_TABLE]  # tab follows the pane table, then wraps
        for _ in order:
            await pilot.press("tab")
            seen.append(app.reader.pane_of(app.focused))
        assert seen == [*order[1:], order[0]]
        await settle(pilot)


async def test_space_marks_references_and_y_copies_their_dois(settings: Settings) -> None:
    refs = fixture_record(REVIEW).references
    app = make_app(keyed(settings))
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, REVIEW)
        pane = refs_pane(app)
        await pilot.press("3", "space", "j", "j", "space", "j", "space")
        assert pane.marked_references == [refs[0], refs[2], refs[3]]
        assert pane.border_title == "References 258 · 3 marked"
        assert prompt_text(pane, 2).startswith("  3. ✓ Vatansever C")
        await pilot.press("space")  # unmark the fourth
        assert pane.marked_references == [refs[0], refs[2]]
        await pilot.press("y")
        assert app.clipboard == f"{refs[0].doi}\n{refs[2].doi}"
        assert app.messages[-1] == (
            "Sent 2 DOIs of 2 marked references to the terminal's clipboard (OSC 52)"
        )
        await pilot.press("1", "Y")
        assert app.clipboard == f"{refs[0].doi}\n{refs[2].doi}"
        await pilot.press("3", "g", "space")
        assert pane.marked_references == [refs[2]]


async def test_marks_belong_to_their_record(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    link_references(fixture_server)
    app = make_app(keyed(settings))
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, REVIEW)
        pane = refs_pane(app)
        await pilot.press("3", "j", "space", "k", "enter")
        await loaded(pilot, STRUCTURED)
        assert pane.marked_references == []
        await pilot.press("y")
        assert app.clipboard == fixture_record(STRUCTURED).doi
        await pilot.press("b")
        await loaded(pilot, REVIEW)
        assert len(pane.marked_references) == 1
        assert pane.border_title == "References 258 · 1 marked"


async def test_keys_typed_in_one_burst_reach_the_pane_just_focused(settings: Settings) -> None:
    refs = fixture_record(REVIEW).references
    app = make_app(keyed(settings))
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, REVIEW)
        assert app.reader.pane_of(app.focused) == "abstract"
        # As a terminal delivers "3jjy" read at once: no pause between the keys.
        for key in "3jjy":
            app.post_message(events.Key(key, key))
        await wait_for(pilot, lambda: app.clipboard != "")
        await pilot.pause()
        assert refs_pane(app).highlighted_number == 3
        assert app.clipboard == refs[2].doi
        assert app.reader.query_one("#abstract").scroll_y == 0


async def test_narrow_strip_has_a_tab_a_pane_and_shows_one_pane(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    fixture_server.add_links(REVIEW, "pubmed_pubmed", [STRUCTURED])
    app = make_app(keyed(settings))
    async with app.run_test(size=NARROW) as pilot:
        await loaded(pilot, REVIEW)
        screen = app.reader
        assert [str(t.render()) for t in screen.query(".tab")] == [
            "1 Abstract",
            "2 Keywords",
            "3 References",
            "4 Cited by",
            "5 Similar",
            "6 Details",
            "7 Full text",
        ]

        def shown() -> list[str]:
            names = [pane.id for pane in PANE_TABLE]
            return [n for n in names if screen.query_one(f"#{n}").region.area]

        for key, pane in (
            ("6", "details"),
            ("5", "similar"),
            ("4", "cited-by"),
            ("3", "references"),
            ("1", "abstract"),
        ):
            await pilot.press(key)
            await pilot.pause()
            assert shown() == [pane], key
            assert screen.query_one(f"#tab-{pane}").has_class("-active")
        await pilot.click("#tab-similar")
        await settle(pilot)
        assert shown() == ["similar"]
        assert links_pane(app, "similar").border_title == "Similar articles 1"


async def test_resolved_titles_are_shown_as_literal_text(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    refs = fixture_record(REVIEW).references
    hostile = "[@click=app.quit]Boom[/] \x1b[31mred\x1b[0m [b]bold[/b]"
    fixture_server.add_summary(refs[0].pmid or "", title=hostile, authors=["[i]Evil[/i] E"])
    app = make_app(keyed(settings))
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, REVIEW)
        await pilot.press("3")
        await pilot.click("#ref-list", offset=(10, 0))
        await settle(pilot)
        assert app.is_running and app.return_code is None
        text = prompt_text(refs_pane(app), 0)
        assert text.startswith("  1. [@click=app.quit]Boom[/] red [b]bold[/b] · [i]Evil[/i] E")
        assert "\x1b" not in text
