"""Copying and opening from the reader: DOIs, PubMed pages, the marked references.

``y``, ``o`` and ``p`` act on what has focus: the record, the highlighted reference, or
the highlighted paper of the Cited by / Similar lists.  When references are marked,
``y`` and ``Y`` copy the marked set instead, one DOI a line.
"""

from __future__ import annotations

from functools import partial
from typing import Literal

from tui.clipboard import OpenOutcome, Outcome, copy_text, doi_url, open_url, pubmed_url
from tui.data.model import Reference
from tui.screens.reader_base import LINK_PANES, ReaderBase


class CopyActions(ReaderBase):
    """Copy and open actions; ``opened`` reports a browser worker's outcome."""

    def _reference(self) -> Reference | None:
        reference = self.references.highlighted_reference
        if reference is None:
            self.notify("No reference is highlighted", severity="warning")
        return reference

    # -- copy and open -----------------------------------------------------------------

    def _focused_id(self, kind: Literal["DOI", "PMID"]) -> str | None:
        """The DOI or PMID the keys act on: the highlighted entry's when a paper list has
        focus, else the record's.  None after saying why there is none."""
        if self.record is None:
            self.notify("No record loaded yet", severity="warning")
            return None
        pane = self.pane_of(self.focused)
        value: str | None
        if pane == "references":
            reference = self._reference()
            if reference is None:
                return None
            summary = self.references.summary_of(reference)
            what = "reference"
            if kind == "PMID":
                value = reference.pmid
            else:
                value = reference.doi or (summary.doi if summary is not None else None)
        elif pane in LINK_PANES:
            links = self.links_pane(pane)
            pmid = links.highlighted_pmid
            if pmid is None:
                self.notify("No paper is highlighted", severity="warning")
                return None
            summary = links.summary_of(pmid)
            what = "paper"
            value = pmid if kind == "PMID" else (summary.doi if summary is not None else None)
        else:
            what, value = "record", self.record.doi if kind == "DOI" else self.record.pmid
        if not value:
            self.notify(f"This {what} has no {kind}", severity="warning")
        return value or None

    def _copy_marked(self) -> bool:
        """Copy the marked references' DOIs, if any are marked; False when none are."""
        marked, dois = self.marked_dois()
        if not marked:
            return False
        if not dois:
            self.notify("No marked reference has a DOI", severity="warning")
            return True
        copy_text(self.app, "\n".join(dois))
        plural = "s" if len(dois) != 1 else ""
        self.notify(f"Copied {len(dois)} DOI{plural} of {len(marked)} marked references")
        return True

    def action_copy_doi(self) -> None:
        if self._copy_marked():
            return
        doi = self._focused_id("DOI")
        if doi:
            copy_text(self.app, doi)
            self.notify(f"Copied DOI {doi}", markup=False)

    def action_copy_all_dois(self) -> None:
        if self.record is None:
            self.notify("No record loaded yet", severity="warning")
            return
        if self._copy_marked():
            return
        dois = [ref.doi for ref in self.record.references if ref.doi]
        if not dois:
            self.notify("No reference has a DOI", severity="warning")
            return
        copy_text(self.app, "\n".join(dois))
        self.notify(f"Copied {len(dois)} DOI{'s' if len(dois) != 1 else ''}")

    def action_open_doi(self) -> None:
        doi = self._focused_id("DOI")
        if doi:
            self._open(doi_url(doi))

    def action_open_pubmed(self) -> None:
        pmid = self._focused_id("PMID")
        if pmid:
            self._open(pubmed_url(pmid))

    def _open(self, url: str) -> None:
        # Browsers can take seconds to start: never on the UI thread.
        self.run_worker(partial(open_url, url), thread=True, group="open", exit_on_error=False)

    def opened(self, outcome: OpenOutcome) -> None:
        if outcome.outcome is Outcome.COPY_INSTEAD:
            copy_text(self.app, outcome.url)
        failed = outcome.outcome in (Outcome.REFUSED, Outcome.FAILED)
        self.notify(outcome.message, severity="error" if failed else "information", markup=False)

    def marked_dois(self) -> tuple[list[Reference], list[str]]:
        """The marked references and their DOIs (esummary's DOI where the list has none)."""
        pane = self.references
        marked = pane.marked_references
        dois: list[str] = []
        for reference in marked:
            summary = pane.summary_of(reference)
            doi = reference.doi or (summary.doi if summary is not None else None)
            if doi:
                dois.append(doi)
        return marked, dois
