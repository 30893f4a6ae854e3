"""``y`` always copies something useful, ``I`` copies PMIDs, and each says where it went.

The tests' terminal has no desktop clipboard, so every copy goes by OSC 52 alone and
the reader must say it was sent to the terminal rather than claim it arrived.
"""

from __future__ import annotations

from textual.command import CommandPalette
from textual.widgets import OptionList

from tests.test_app_support import (
    REVIEW,
    WIDE,
    fixture_record,
    loaded,
    make_app,
    on_reader,
    wait_for,
)
from tui.data.settings import Settings
from tui.keys import spec

SENT = "to the terminal's clipboard (OSC 52)"


async def highlight(pilot: object, index: int) -> None:
    app = pilot.app  # type: ignore[attr-defined]
    await pilot.press("3")  # type: ignore[attr-defined]
    app.reader.references.reference_list.highlighted = index
    await pilot.pause()  # type: ignore[attr-defined]


async def test_y_on_a_reference_without_any_identifier_copies_its_citation_text(
    settings: Settings,
) -> None:
    references = fixture_record(REVIEW).references
    bare = next(i for i, r in enumerate(references) if not (r.doi or r.pmid or r.pmcid))
    app = make_app(settings)
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, REVIEW)
        await highlight(pilot, bare)
        await pilot.press("y")
        assert app.clipboard == references[bare].citation
        assert app.messages[-1] == (
            f"Sent the reference's citation text (it has no DOI or PMID) {SENT}"
        )


async def test_y_on_a_reference_with_a_pmid_but_no_doi_copies_the_pmid(
    settings: Settings,
) -> None:
    references = fixture_record(REVIEW).references
    index = next(i for i, r in enumerate(references) if r.pmid and not r.doi)
    pmid = references[index].pmid
    app = make_app(settings)
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, REVIEW)
        await highlight(pilot, index)
        await pilot.press("y")
        assert app.clipboard == pmid
        assert app.messages[-1] == f"Sent PMID {pmid} (this reference has no DOI) {SENT}"


async def test_capital_i_copies_every_reference_pmid_or_the_marked_ones(
    settings: Settings,
) -> None:
    references = fixture_record(REVIEW).references
    pmids = [r.pmid for r in references if r.pmid]
    assert 0 < len(pmids) < len(references)
    app = make_app(settings)
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, REVIEW)
        await pilot.press("I")
        assert app.clipboard.splitlines() == pmids
        assert app.messages[-1] == f"Sent {len(pmids)} PMIDs {SENT}"
        # Marked references: only theirs.
        with_pmid = [i for i, r in enumerate(references) if r.pmid][:2]
        for index in with_pmid:
            await highlight(pilot, index)
            await pilot.press("space")
        await pilot.press("I")
        assert app.clipboard.splitlines() == [references[i].pmid for i in with_pmid]
        assert app.messages[-1] == f"Sent 2 PMIDs of 2 marked references {SENT}"


async def test_copy_pmids_is_in_the_palette(settings: Settings) -> None:
    pmids = [r.pmid for r in fixture_record(REVIEW).references if r.pmid]
    assert spec("copy-pmids").description == "Copy PMIDs"
    app = make_app(settings)
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, REVIEW)
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"copy pmids")
        await wait_for(pilot, lambda: app.screen.query_one(OptionList).option_count > 0)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.clipboard.splitlines() == pmids)
        assert on_reader(app)
