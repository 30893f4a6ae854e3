"""Copying and opening from the reader: DOIs, PMIDs, PubMed pages, the marked references.

``y``, ``o`` and ``p`` act on what has focus: the record, the highlighted reference, or
the highlighted paper of the Cited by / Similar lists.  ``y`` on something without a DOI
copies the next most useful thing (its PMID, else a reference's citation text) and says
what it copied.  When references are marked, ``y``, ``Y`` and ``I`` copy the marked set
instead, one DOI (or PMID) a line.  Every sentence says whether the text reached the
system clipboard or was only sent to the terminal (OSC 52), which may drop it.  All of it
is read from the reader's state (``host.state``), never from a pane.
"""

from __future__ import annotations

from functools import partial
from typing import Literal

from tui.clipboard import OpenOutcome, Outcome, copy, copy_text, doi_url, open_url, pubmed_url
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

    def focused_id(self, kind: Literal["DOI", "PMID"], *, quiet: bool = False) -> str | None:
        """The DOI or PMID the keys act on: the highlighted entry's when a paper list has
        focus, else the record's.  None after saying why there is none (unless ``quiet``
        and the only reason is that it has no such identifier)."""
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
        if not value and not quiet:
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

    def _send(self, text: str, what: str) -> None:
        """Copy ``text`` and say what went where (warning when it is likely dropped)."""
        copied = copy(self.host.app, text)
        self.host.notify(
            copied.sentence(what),
            severity="warning" if copied.too_large else "information",
            markup=False,
        )

    def _copy_marked(self) -> bool:
        """Copy the marked references' DOIs, if any are marked; False when none are."""
        marked, dois = self.marked_dois()
        if not marked:
            return False
        if not dois:
            self.host.notify("No marked reference has a DOI", severity="warning")
            return True
        plural = "s" if len(dois) != 1 else ""
        self._send("\n".join(dois), f"{len(dois)} DOI{plural} of {len(marked)} marked references")
        return True

    def copy_doi(self) -> None:
        """``y``: the marked set's DOIs, else the focused DOI, else the best there is."""
        if self._copy_marked():
            return
        found = self.focused_copy()
        if found is not None:
            self._send(*found)

    def focused_copy(self) -> tuple[str, str] | None:
        """What ``y`` copies of the focused thing, and how to name it: its DOI; without one
        its PMID; a reference with neither, its citation text.  None after saying why."""
        host = self.host
        if host.record is None:
            host.notify("No record loaded yet", severity="warning")
            return None
        pane = host.focused_pane()
        if pane != "references":
            doi = self.focused_id("DOI", quiet=True)
            if doi:
                return doi, f"DOI {doi}"
            if pane in LINK_PANES and host.state.links(pane).highlighted_pmid is None:
                return None  # "No paper is highlighted" was said
            pmid = self.focused_id("PMID")
            return (pmid, f"PMID {pmid} (it has no DOI)") if pmid else None
        reference = self.highlighted_reference()
        if reference is None:
            return None
        summary = host.state.summary_of(reference)
        doi = reference.doi or (summary.doi if summary is not None else None)
        if doi:
            return doi, f"DOI {doi}"
        if reference.pmid:
            return reference.pmid, f"PMID {reference.pmid} (this reference has no DOI)"
        if reference.citation.strip():
            return reference.citation, "the reference's citation text (it has no DOI or PMID)"
        host.notify("This reference has no DOI, PMID or citation text", severity="warning")
        return None

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
        self._send("\n".join(dois), f"{len(dois)} DOI{'s' if len(dois) != 1 else ''}")

    def copy_all_pmids(self) -> None:
        """``I``: every reference PMID, one a line (the marked ones when any are marked)."""
        record = self.host.record
        if record is None:
            self.host.notify("No record loaded yet", severity="warning")
            return
        marked = self.host.state.marked_entries()
        references = marked or list(record.references)
        pmids = [ref.pmid for ref in references if ref.pmid]
        which = f" of {len(marked)} marked references" if marked else ""
        if not pmids:
            self.host.notify(
                f"No {'marked ' if marked else ''}reference has a PMID", severity="warning"
            )
            return
        noun = "PMID" if len(pmids) == 1 else "PMIDs"
        self._send("\n".join(pmids), f"{len(pmids)} {noun}{which}")

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
