"""Walking the citation graph from the reader: resolved references, cited by, similar.

Everything here runs after the record is on screen, in workers of its own, so a slow
esummary or a missing reference list never delays reading the abstract.  Entries fill
in place as answers arrive, and a newer record cancels the older record's work.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from textual import on

from tui.data.errors import OfflineError, Partial, PubtermError
from tui.data.ids import ArticleId, IdKind
from tui.data.links import cited_by, similar
from tui.data.model import Record
from tui.screens.reader_base import LINK_PANES, ReaderBase
from tui.widgets.links import LinksPane

if TYPE_CHECKING:
    from tui.data.bibliography import Bibliography


def _bibliography(reader: ReaderBase) -> Bibliography:
    # Imported on first use: resolving starts after the first paint, never before it.
    from tui.data.bibliography import Bibliography

    return Bibliography(reader.service)


def _problems(result: Partial[object]) -> str | None:
    """The first failure worth telling (offline reading expects missing summaries)."""
    errors = [e for e in result.problems if not isinstance(e, OfflineError)]
    return str(errors[0]) if errors else None


class GraphActions(ReaderBase):
    """Resolving references, the fallback reference list, and the linked-paper panes."""

    def graph_loaded(self, record: Record, *, new: bool) -> None:
        """Start the background work for a record that just appeared on screen."""
        if new:
            for name in LINK_PANES:
                self.workers.cancel_group(self, f"links-{name}")
                self.links_pane(name).reset(record.pmid)
        if not record.references and record.references_source == "pubmed":
            self.references.show_searching()
            self.run_worker(
                self._fill_references(record),
                group="references",
                exclusive=True,
                exit_on_error=False,
            )
        else:
            pmids = [r.pmid for r in record.references if r.pmid]
            self.run_worker(
                self._resolve(pmids), group="references", exclusive=True, exit_on_error=False
            )
        if self.right_pane in LINK_PANES:
            self.ensure_links(self.right_pane)

    async def _after_paint(self) -> None:
        # The first request builds the HTTP client (importing httpx takes about 90 ms on
        # the event loop): a record read from the cache must reach the screen first.
        await self.wait_for_refresh()

    async def _fill_references(self, record: Record) -> None:
        """PubMed has no list: ask Europe PMC, then Crossref, and say who answered."""
        await self._after_paint()
        result = await _bibliography(self).references_for(record)
        filled = result.value
        current = self.record
        if current is None or current.pmid != record.pmid:
            return
        self.record = replace(
            current, references=filled.references, references_source=filled.references_source
        )
        problem = _problems(result)
        if problem:
            self.notify(f"No fallback reference list: {problem}", severity="warning", markup=False)
        await self._resolve([r.pmid for r in filled.references if r.pmid])

    async def _resolve(self, pmids: list[str]) -> None:
        """Titles, authors, journals and retraction flags for the references, by batch."""
        if not pmids:
            return
        await self._after_paint()
        found = await _bibliography(self).summaries(pmids, on_batch=self.references.add_summaries)
        problem = _problems(found)
        if problem:
            self.notify(
                f"Some reference titles could not be loaded: {problem}",
                severity="warning",
                markup=False,
            )

    # -- cited by and similar ------------------------------------------------------------

    def ensure_links(self, name: str) -> None:
        """Load the Cited by or Similar list of the record, unless it is loaded already."""
        record = self.record
        pane = self.links_pane(name)
        if record is None or pane.record_pmid == record.pmid:
            return
        pane.start(record.pmid)
        if not record.pmid.isdigit():
            pane.fail("Only PubMed records have linked papers.")
            return
        self.run_worker(
            self._load_links(name, record.pmid),
            group=f"links-{name}",
            exclusive=True,
            exit_on_error=False,
        )

    async def _load_links(self, name: str, pmid: str) -> None:
        pane = self.links_pane(name)
        fetch = cited_by if name == "cited-by" else similar
        try:
            pmids = await fetch(self.service, pmid)
        except PubtermError as exc:
            pane.fail(str(exc))
            return
        if pane.record_pmid != pmid:
            return
        pane.show_pmids(pmids)
        bibliography = _bibliography(self)
        await bibliography.summaries(pmids, on_batch=pane.add_summaries)
        pane.finish()

    @on(LinksPane.PaperChosen)
    def _paper_chosen(self, event: LinksPane.PaperChosen) -> None:
        event.stop()
        self.load(ArticleId(IdKind.PMID, event.pmid))
