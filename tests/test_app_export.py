"""``e`` on a 597-reference review: every reference goes out, counted, with a progress line.

The review (32051057) cites 597 works; 509 have a PMID, one a DOI, 87 nothing at all.
The fixture server holds none of the cited records, so the 148 references that carry a
PMC ID as well are relinked to recorded records (round robin over them): those resolve
to full entries over real HTTP, the rest go out from their citation text.
"""

from __future__ import annotations

import errno
import json
import os
from itertools import cycle
from pathlib import Path

import pytest
from bibtexparser.entrypoint import parse_string
from lxml import etree

from tests.server import FIXTURES, FixtureServer
from tests.test_app_support import WIDE, fixture_record, loaded, make_app, settle, wait_for
from tui.data import export_files
from tui.data.formats import get_renderer
from tui.data.ids import ArticleId, IdKind
from tui.data.model import Record, Reference
from tui.data.parse import parse_pubmed
from tui.data.service import PubMed
from tui.data.settings import Settings
from tui.export import resolve_references
from tui.widgets.progress import PrefetchProgress

BIG = "32051057"  # review, 597 references (509 PMIDs, 1 DOI, 148 PMC IDs)
EMPTY = "37909814"  # efetch's empty answer for an unknown PMID
FULL, FROM_TEXT = 148, 449


def serve_big_review(server: FixtureServer) -> list[Record | Reference]:
    """Serve the review with its PMC-carrying references relinked to recorded records;
    the items an export of it must hold, in list order."""
    xml = (FIXTURES / "pubmed" / f"{BIG}.xml").read_bytes()
    root = etree.fromstring(xml)
    recorded = sorted(
        p.stem
        for p in (FIXTURES / "pubmed").glob("*.xml")
        if p.stem.isdigit() and p.stem not in (BIG, EMPTY)
    )
    targets = cycle(recorded)
    for ref in root.iter("Reference"):
        ids = {i.get("IdType"): i for i in ref.iter("ArticleId")}
        if "pmc" in ids and "pubmed" in ids:
            ids["pubmed"].text = next(targets)
    relinked = etree.tostring(root, encoding="utf-8", xml_declaration=True)
    server.add_record(BIG, relinked)
    records = {p: fixture_record(p) for p in recorded}
    served = parse_pubmed(relinked)[0].references
    return [records.get(r.pmid or "", r) if r.pmcid else r for r in served]


def kind_of(item: Record | Reference) -> tuple[str, str]:
    """A full entry's PMID, or the citation text an entry is made from."""
    return ("record", item.pmid) if isinstance(item, Record) else ("text", item.citation)


def downloads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The download folder, made to follow a HOME of the test's own."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    return tmp_path / "home" / "Downloads"


def seen_progress(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int, int]]:
    """Every step the progress lines show, as (line id, done, total)."""
    steps: list[tuple[str, int, int]] = []
    advance = PrefetchProgress.advance

    def recording(self: PrefetchProgress, done: int, total: int) -> None:
        steps.append((self.id or "", done, total))
        advance(self, done, total)

    monkeypatch.setattr(PrefetchProgress, "advance", recording)
    return steps


async def test_e_writes_every_reference_of_the_597_with_a_progress_line(
    settings: Settings,
    fixture_server: FixtureServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = downloads(tmp_path, monkeypatch)
    items = serve_big_review(fixture_server)
    assert len(items) == 597
    assert sum(isinstance(i, Record) for i in items) == FULL
    steps = seen_progress(monkeypatch)
    path = folder / f"pubterm-{BIG}-references.bib"
    app = make_app(settings, BIG)
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, BIG)
        await pilot.press("e", "enter")  # BibTeX, the first format offered
        await wait_for(pilot, lambda: any(m.startswith("Exported") for m in app.messages))
        await settle(pilot)
        assert app.messages[-1] == (
            f"Exported 597 BibTeX entries ({FULL} full entries, {FROM_TEXT} from citation "
            f"text) to {path}"
        )
        assert app.told[-2] == (
            f"{FROM_TEXT} of 597 references go out as their citation text: 362 are not in "
            "PubMed and 87 have no PMID or DOI",
            "warning",
        )
        assert not app.reader.export_progress.display  # gone once done
    # The bar counted the references up, batch by batch, to all 597.
    export_steps = [(done, total) for line, done, total in steps if line == "export-progress"]
    assert export_steps[0] == (0, 597) and export_steps[-1] == (597, 597)
    assert [done for done, _ in export_steps] == sorted(done for done, _ in export_steps)
    assert {200, 400} <= {done for done, _ in export_steps}
    text = path.read_text(encoding="utf-8")
    assert text == get_renderer("bibtex")(items)
    library = parse_string(text)
    assert not library.failed_blocks
    assert len(library.entries) == 597
    kinds = [e.entry_type for e in library.entries]
    assert kinds.count("misc") == FROM_TEXT
    assert os.listdir(folder) == [path.name]  # no temporary file left behind


async def test_ris_and_csl_carry_every_reference_too(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    items = serve_big_review(fixture_server)
    async with PubMed(settings) as service:
        review = await service.fetch(ArticleId(IdKind.PMID, BIG))
        resolution = await resolve_references(service, review.references)
    assert [kind_of(i) for i in resolution.items] == [kind_of(i) for i in items]
    ris = get_renderer("ris")(resolution.items)
    assert ris.count("TY  - ") == 597
    assert ris.count("TY  - GEN") == FROM_TEXT
    csl = json.loads(get_renderer("csl-json")(resolution.items))
    assert len(csl) == 597
    texts = [i for i in csl if i["type"] == "document"]
    assert len(texts) == FROM_TEXT
    unresolved = [i for i in items if isinstance(i, Reference)]
    assert [i["title"] for i in texts] == [r.citation for r in unresolved]


async def test_escape_cancels_a_long_export_and_leaves_no_file(
    settings: Settings,
    fixture_server: FixtureServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = downloads(tmp_path, monkeypatch)
    serve_big_review(fixture_server)
    app = make_app(settings, BIG)
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, BIG)
        # The first batch of references is held back by the server: the export is
        # still resolving when escape arrives.
        fixture_server.stall_seconds = 30
        fixture_server.add_fault("stall", endpoint="efetch")
        await pilot.press("e", "enter")
        bar = app.reader.export_progress
        await wait_for(pilot, lambda: bar.display and bar.text == "Resolving references 0/597")
        await pilot.press("escape")
        await settle(pilot)
        assert app.messages[-1] == "Export cancelled: no file was written"
        assert not bar.display
        assert app.screen is app.reader  # escape stopped the export, nothing else
        assert not any(m.startswith("Exported") for m in app.messages)
    assert not folder.exists() or os.listdir(folder) == []


async def test_a_failed_write_is_one_sentence_and_leaves_no_file(
    settings: Settings,
    fixture_server: FixtureServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The disk fills up as the file is made durable: no "Exported", no partial file."""
    folder = downloads(tmp_path, monkeypatch)
    serve_big_review(fixture_server)

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    app = make_app(settings, BIG)
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, BIG)
        monkeypatch.setattr(export_files.os, "fsync", full)
        await pilot.press("e", "enter")
        await wait_for(pilot, lambda: bool(app.told) and app.told[-1][1] == "error")
        await settle(pilot)
        assert app.told[-1] == (
            f"Could not write the export to {folder}: the disk is full, so no file was saved",
            "error",
        )
        assert not any(m.startswith("Exported") for m in app.messages)
        assert not app.reader.export_progress.display
    assert os.listdir(folder) == []


async def test_escape_cancels_a_long_citation_and_copies_nothing(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    serve_big_review(fixture_server)
    app = make_app(settings, BIG)
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, BIG)
        await pilot.press("3", "space", "j", "space")  # two marked references
        fixture_server.stall_seconds = 30
        fixture_server.add_fault("stall", endpoint="efetch")
        await pilot.press("c", "j", "enter")  # BibTeX of the marked ones
        bar = app.reader.export_progress
        await wait_for(pilot, lambda: bar.display and bar.text == "Resolving references 0/2")
        await pilot.press("escape")
        await settle(pilot)
        assert app.messages[-1] == "Citation cancelled: nothing was copied"
        assert app.clipboard == "" and not bar.display
        assert len(app.reader.references.marked_references) == 2  # escape did nothing else


async def test_in_a_browser_the_export_is_delivered_and_said_once_saved(
    settings: Settings,
    fixture_server: FixtureServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Under ``textual serve`` the text goes to Textual's delivery (here the headless
    driver saves it in the download folder) and the sentence waits for its report."""
    folder = downloads(tmp_path, monkeypatch)
    folder.mkdir(parents=True)  # where the headless driver saves what a browser would get
    items = serve_big_review(fixture_server)
    app = make_app(settings, BIG)
    monkeypatch.setattr(type(app), "is_web", property(lambda self: True))
    async with app.run_test(size=WIDE) as pilot:
        await loaded(pilot, BIG)
        await pilot.press("e", "enter")
        await wait_for(pilot, lambda: any(m.startswith("Exported") for m in app.messages))
        assert app.messages[-1] == (
            f"Exported 597 BibTeX entries ({FULL} full entries, {FROM_TEXT} from citation "
            "text) to the browser: download started"
        )
    saved = folder / f"pubterm-{BIG}-references.bib"
    assert saved.read_text(encoding="utf-8") == get_renderer("bibtex")(items)
