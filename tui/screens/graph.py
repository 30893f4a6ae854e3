"""Walking the citation graph from the reader: resolved references, cited by, similar.

Everything here runs after the record is on screen, in jobs of its own, so a slow
esummary or a missing reference list never delays reading the abstract.  Entries fill
in place as answers arrive, and a newer record cancels the older record's work.  Every
answer becomes a new reading state (``host.update``); the panes render it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from tui.data.errors import OfflineError, Partial, PubtermError
from tui.data.links import cited_by, similar
from tui.data.model import Record
from tui.screens.fallback_note import fallback_source
from tui.screens.host import ReaderHost
from tui.screens.panes import LINK_PANES
from tui.screens.reading_state import GraphList, ReadingState

if TYPE_CHECKING:
    from tui.data.bibliography import Bibliography
    from tui.data.summaries import Summary


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
        if not record.references and record.references_source == "pubmed":
            host.update(ReadingState.looking_elsewhere)
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
        current = host.state.record
        if current is None or current.pmid != record.pmid:
            return
        source = fallback_source(filled.references_source, result.problems)
        found = replace(current, references=filled.references, references_source=source)
        host.update(lambda state: state.with_references(found))
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
        found = await self._bibliography().summaries(pmids, on_batch=self._resolved)
        problem = _problems(found)
        if problem:
            host.notify(
                f"Some reference titles could not be loaded: {problem}",
                severity="warning",
                markup=False,
            )

    def _resolved(self, summaries: Mapping[str, Summary]) -> None:
        self.host.update(lambda state: state.resolved(summaries))

    def _links_changed(
        self, name: str, pmid: str, change: Callable[[GraphList], GraphList]
    ) -> None:
        """Change list ``name`` if it still belongs to record ``pmid``."""

        def changed(state: ReadingState) -> ReadingState:
            links = state.links(name)
            return state if links.record_pmid != pmid else state.with_links(name, change(links))

        self.host.update(changed)

    def ensure_links(self, name: str) -> None:
        """Load the Cited by or Similar list of the record, unless it is loaded already."""
        host = self.host
        state = host.state
        record = state.record
        if record is None or state.links(name).record_pmid == record.pmid:
            return
        pmid = record.pmid
        host.update(lambda state: state.with_links(name, GraphList().started(pmid)))
        if not pmid.isdigit():
            self._links_changed(
                name, pmid, lambda g: g.failed("Only PubMed records have linked papers.")
            )
            return
        host.start_job(self._load_links(name, pmid), f"links-{name}")

    async def _load_links(self, name: str, pmid: str) -> None:
        fetch = cited_by if name == "cited-by" else similar
        try:
            pmids = tuple(await fetch(self.host.service, pmid))
        except PubtermError as exc:
            sentence = str(exc)
            self._links_changed(name, pmid, lambda g: g.failed(sentence))
            return
        self._links_changed(name, pmid, lambda g: g.listed(pmids))
        if self.host.state.links(name).record_pmid != pmid:
            return
        await self._bibliography().summaries(list(pmids), on_batch=self._resolved)
        self._links_changed(name, pmid, GraphList.finished)
