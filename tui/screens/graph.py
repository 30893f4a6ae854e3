"""Walking the citation graph from the reader: resolved references, cited by, similar.

Everything here runs after the record is on screen, in jobs of its own, so a slow
esummary or a missing reference list never delays reading the abstract.  Entries fill
in place as answers arrive, and a newer record cancels the older record's work.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from tui.data.errors import OfflineError, Partial, PubtermError
from tui.data.links import cited_by, similar
from tui.data.model import Record
from tui.screens.fallback_note import fallback_source
from tui.screens.host import ReaderHost
from tui.screens.panes import LINK_PANES

if TYPE_CHECKING:
    from tui.data.bibliography import Bibliography


def _problems(result: Partial[object]) -> str | None:
    """The first failure worth telling (offline reading expects missing summaries)."""
    errors = [e for e in result.problems if not isinstance(e, OfflineError)]
    return str(errors[0]) if errors else None


class GraphLoader:
    """Resolving references, the fallback reference list, and the linked-paper panes."""

    def __init__(self, host: ReaderHost) -> None:
        self.host = host

    def _bibliography(self) -> Bibliography:
        # Imported on first use: resolving starts after the first paint, never before it.
        from tui.data.bibliography import Bibliography

        return Bibliography(self.host.service)

    def record_shown(self, record: Record, *, new: bool) -> None:
        """Start the background work for a record that just appeared on screen."""
        host = self.host
        if new:
            for name in LINK_PANES:
                host.cancel_jobs(f"links-{name}")
                host.links_pane(name).reset(record.pmid)
        if not record.references and record.references_source == "pubmed":
            host.references.show_searching()
            host.start_job(self._fill_references(record), "references")
        else:
            pmids = [r.pmid for r in record.references if r.pmid]
            host.start_job(self._resolve(pmids), "references")
        if host.right_pane in LINK_PANES:
            self.ensure_links(host.right_pane)

    async def _fill_references(self, record: Record) -> None:
        """PubMed has no list: ask Europe PMC, then Crossref, and say who answered."""
        host = self.host
        await host.after_paint()
        result = await self._bibliography().references_for(record)
        filled = result.value
        current = host.record
        if current is None or current.pmid != record.pmid:
            return
        source = fallback_source(filled.references_source, result.problems)
        host.record = replace(current, references=filled.references, references_source=source)
        problem = _problems(result)
        if problem:
            host.notify(f"No fallback reference list: {problem}", severity="warning", markup=False)
        await self._resolve([r.pmid for r in filled.references if r.pmid])

    async def _resolve(self, pmids: list[str]) -> None:
        """Titles, authors, journals and retraction flags for the references, by batch."""
        if not pmids:
            return
        host = self.host
        await host.after_paint()
        found = await self._bibliography().summaries(pmids, on_batch=host.references.add_summaries)
        problem = _problems(found)
        if problem:
            host.notify(
                f"Some reference titles could not be loaded: {problem}",
                severity="warning",
                markup=False,
            )

    def ensure_links(self, name: str) -> None:
        """Load the Cited by or Similar list of the record, unless it is loaded already."""
        host = self.host
        record = host.record
        pane = host.links_pane(name)
        if record is None or pane.record_pmid == record.pmid:
            return
        pane.start(record.pmid)
        if not record.pmid.isdigit():
            pane.fail("Only PubMed records have linked papers.")
            return
        host.start_job(self._load_links(name, record.pmid), f"links-{name}")

    async def _load_links(self, name: str, pmid: str) -> None:
        pane = self.host.links_pane(name)
        fetch = cited_by if name == "cited-by" else similar
        try:
            pmids = await fetch(self.host.service, pmid)
        except PubtermError as exc:
            pane.fail(str(exc))
            return
        if pane.record_pmid != pmid:
            return
        pane.show_pmids(pmids)
        await self._bibliography().summaries(pmids, on_batch=pane.add_summaries)
        pane.finish()
