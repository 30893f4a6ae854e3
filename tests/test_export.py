"""What cite and export produce: resolved references, sentences and file names."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from tests.server import FixtureServer
from tests.test_app_cite import EDITORIAL, serve_relinked
from tests.test_app_support import fixture_record
from tui.data.export_files import free_filename
from tui.data.ids import ArticleId, IdKind
from tui.data.model import Record, Reference
from tui.data.service import PubMed
from tui.data.settings import Settings
from tui.export import (
    Resolution,
    copied_what,
    export_filename,
    exported_sentence,
    known_format,
    resolve_references,
    what,
)


def test_file_names_carry_the_pmid_and_the_format() -> None:
    assert export_filename("35856662", "bibtex") == "pubterm-35856662-references.bib"
    assert export_filename("35856662", "medline", marked=True) == (
        "pubterm-35856662-marked-references.nbib"
    )
    assert export_filename("../x/1", "csl-json") == "pubterm-x1-references.json"


def test_a_free_name_never_overwrites_an_earlier_export(tmp_path: Path) -> None:
    name = "pubterm-1-references.ris"
    assert free_filename(tmp_path, name) == name
    (tmp_path / name).write_text("")
    (tmp_path / "pubterm-1-references-2.ris").write_text("")
    assert free_filename(tmp_path, name) == "pubterm-1-references-3.ris"
    (tmp_path / "pubterm-1-references-3.ris").symlink_to(tmp_path / "elsewhere" / "x")
    assert free_filename(tmp_path, name) == "pubterm-1-references-4.ris"


def test_sentences_name_what_was_made() -> None:
    one = [Record(pmid="35856662", title="t")]
    ref = Reference("Smith J. A book. 2001.")
    assert copied_what("cite", "apa", one) == "APA citation of PMID 35856662"
    assert copied_what("cite", "vancouver", one * 2) == "2 Vancouver citations"
    assert copied_what("bibtex", None, one * 3) == "3 BibTeX entries"
    assert copied_what("cite", "ieee", one) == "ieee citation of PMID 35856662"
    assert copied_what("cite", "apa", [ref]) == (
        "APA citation made from the reference's citation text"
    )
    assert copied_what("bibtex", None, [*one, ref, ref]) == (
        "3 BibTeX entries (1 full entry, 2 from citation text)"
    )
    assert (
        exported_sentence("ris", None, one * 2, "/d/x.ris") == "Exported 2 RIS records to /d/x.ris"
    )
    assert exported_sentence("bibtex", None, [ref], "/d/x.bib") == (
        "Exported 1 BibTeX entry (0 full entries, 1 from citation text) to /d/x.bib"
    )
    assert what("ris", None, 1, counted=True) == "1 RIS record"
    assert known_format("ris") == "ris" and known_format("nonsense") == "bibtex"
    assert known_format(None) == "bibtex"


def test_the_problem_sentence_reads_as_one_sentence() -> None:
    ref = Reference("x")
    assert Resolution(total=2).problem() is None
    only = Resolution(total=5, failures=[(ref, "no PMID or DOI")] * 2)
    assert only.problem() == (
        "2 of 5 references go out as their citation text: they have no PMID or DOI"
    )
    mixed = Resolution(
        total=600,
        failures=[(ref, "not cached, offline")] * 246
        + [(ref, "no PMID or DOI")] * 12
        + [(ref, "not in PubMed")],
    )
    assert mixed.problem() == (
        "259 of 600 references go out as their citation text: 246 are not cached while "
        "offline, 12 have no PMID or DOI and 1 is not in PubMed"
    )
    one = Resolution(total=3, failures=[(ref, "not in PubMed")])
    assert one.problem() == "1 of 3 references goes out as its citation text: it is not in PubMed"
    alone = Resolution(total=1, failures=[(ref, "NCBI unreachable")])
    assert alone.problem() == (
        "The reference goes out as its citation text: it could not be fetched (NCBI unreachable)"
    )


async def test_references_resolve_in_order_then_offline_from_the_cache(
    settings: Settings, fixture_server: FixtureServer
) -> None:
    targets = serve_relinked(fixture_server)
    editorial = fixture_record(EDITORIAL)
    async with PubMed(settings) as service:
        linked = await service.fetch(ArticleId(IdKind.PMID, EDITORIAL))
        first = await resolve_references(service, linked.references)
    assert [r.pmid for r in first.records] == targets
    assert first.total == len(editorial.references) == 11
    # Every reference is in the result, in list order: its record, else itself.
    assert len(first.items) == 11
    unresolved = [ref for ref, _ in first.failures]
    assert [i for i in first.items if isinstance(i, Reference)] == unresolved
    assert [
        i.pmid if isinstance(i, Record) else linked.references[n].pmid
        for n, i in enumerate(first.items)
    ] == [r.pmid for r in linked.references]
    reasons = sorted(reason for _, reason in first.failures)
    assert reasons == ["no PMID or DOI"] * 2 + ["not in PubMed"] * 3
    # The unknown PMID got a second chance by its DOI and PMC ID.
    terms = [r.params.get("term", "") for r in fixture_server.logged("esearch")]
    assert any("10.2105/ajph.9.1.43" in t for t in terms)
    assert any("PMC1362459" in t for t in terms)

    fixture_server.clear_log()
    async with PubMed(replace(settings, offline=True)) as service:
        again = await resolve_references(service, linked.references)
    assert [r.pmid for r in again.records] == targets
    assert fixture_server.logged() == []
    # Offline, what was never cached says so rather than "not in PubMed".
    assert sorted(reason for _, reason in again.failures) == (
        ["no PMID or DOI"] * 2 + ["not cached, offline"] * 3
    )


def test_building_exports_needs_no_textual() -> None:
    code = "import sys, tui.export; print('textual' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert done.stdout.strip() == "False"
