"""Copying and opening from the reader: DOIs, PubMed pages, the marked references.

``y``, ``o`` and ``p`` act on what has focus: the record, the highlighted reference, or
the highlighted paper of the Cited by / Similar lists.  When references are marked,
``y`` and ``Y`` copy the marked set instead, one DOI a line.  All of it is read from the
reader's state (``host.state``), never from a pane.
"""

from __future__ import annotations

from functools import partial
from typing import Literal

from tui.clipboard import OpenOutcome, Outcome, copy_text, doi_url, open_url, pubmed_url
from tui.data.model import Reference
from tui.screens.host import ReaderHost
from tui.screens.panes import LINK_PANES


class CopyLinks:
    """The copy and open actions of one reader screen."""

    def __init__(self, host: ReaderHost) -> None:
        self.host = host

    def highlighted_reference(self) -> Reference | None:
        """The reference under the cursor, after saying so when there is none."""
        reference = self.host.state.highlighted_reference()
        if reference is None:
            self.host.notify("No reference is highlighted", severity="warning")
        return reference

    def focused_id(self, kind: Literal["DOI", "PMID"]) -> str | None:
        """The DOI or PMID the keys act on: the highlighted entry's when a paper list has
        focus, else the record's.  None after saying why there is none."""
        host = self.host
        record = host.record
        if record is None:
            host.notify("No record loaded yet", severity="warning")
            return None
        pane = host.focused_pane()
        value: str | None
        if pane == "references":
            reference = self.highlighted_reference()
            if reference is None:
                return None
            summary = host.state.summary_of(reference)
            what = "reference"
            if kind == "PMID":
                value = reference.pmid
            else:
                value = reference.doi or (summary.doi if summary is not None else None)
        elif pane in LINK_PANES:
            pmid = host.state.links(pane).highlighted_pmid
            if pmid is None:
                host.notify("No paper is highlighted", severity="warning")
                return None
            summary = host.state.summaries.get(pmid)
            what = "paper"
            value = pmid if kind == "PMID" else (summary.doi if summary is not None else None)
        else:
            what, value = "record", record.doi if kind == "DOI" else record.pmid
        if not value:
            host.notify(f"This {what} has no {kind}", severity="warning")
        return value or None

    def marked_dois(self) -> tuple[list[Reference], list[str]]:
        """The marked references and their DOIs (esummary's DOI where the list has none)."""
        state = self.host.state
        marked = state.marked_entries()
        dois: list[str] = []
        for reference in marked:
            summary = state.summary_of(reference)
            doi = reference.doi or (summary.doi if summary is not None else None)
            if doi:
                dois.append(doi)
        return marked, dois

    def _copy_marked(self) -> bool:
        """Copy the marked references' DOIs, if any are marked; False when none are."""
        marked, dois = self.marked_dois()
        if not marked:
            return False
        if not dois:
            self.host.notify("No marked reference has a DOI", severity="warning")
            return True
        copy_text(self.host.app, "\n".join(dois))
        plural = "s" if len(dois) != 1 else ""
        self.host.notify(f"Copied {len(dois)} DOI{plural} of {len(marked)} marked references")
        return True

    def copy_doi(self) -> None:
        """``y``: the marked set's DOIs, else the focused DOI."""
        if self._copy_marked():
            return
        doi = self.focused_id("DOI")
        if doi:
            copy_text(self.host.app, doi)
            self.host.notify(f"Copied DOI {doi}", markup=False)

    def copy_all_dois(self) -> None:
        """``Y``: every reference DOI (the marked ones when any are marked)."""
        record = self.host.record
        if record is None:
            self.host.notify("No record loaded yet", severity="warning")
            return
        if self._copy_marked():
            return
        dois = [ref.doi for ref in record.references if ref.doi]
        if not dois:
            self.host.notify("No reference has a DOI", severity="warning")
            return
        copy_text(self.host.app, "\n".join(dois))
        self.host.notify(f"Copied {len(dois)} DOI{'s' if len(dois) != 1 else ''}")

    def open_doi(self) -> None:
        doi = self.focused_id("DOI")
        if doi:
            self.open(doi_url(doi))

    def open_pubmed(self) -> None:
        pmid = self.focused_id("PMID")
        if pmid:
            self.open(pubmed_url(pmid))

    def open(self, url: str) -> None:
        """Open ``url`` in a thread: browsers can take seconds to start."""
        self.host.start_job(partial(open_url, url), "open", thread=True)

    def opened(self, outcome: OpenOutcome) -> None:
        """Report a browser worker's outcome (copying the URL where none can open)."""
        if outcome.outcome is Outcome.COPY_INSTEAD:
            copy_text(self.host.app, outcome.url)
        failed = outcome.outcome in (Outcome.REFUSED, Outcome.FAILED)
        self.host.notify(
            outcome.message, severity="error" if failed else "information", markup=False
        )
