"""The reader's widgets, in the order the screen shows them.

Every pane that shows the record alone is bound to the screen's ``record``; the panes
that show what the reader did with it (references, cited by, similar) are bound to the
whole reading state and tell the screen's ``report`` what the reader does.  Tab labels
come from the pane table, so the strip, the keys and the help never disagree.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import Reactive
from textual.widgets import Label

from tui.screens.citing import EXPORT_HINT
from tui.screens.panes import PANE_TABLE
from tui.screens.reading_events import Report
from tui.widgets.abstract import AbstractPane
from tui.widgets.details import DetailsView
from tui.widgets.footer import ReaderFooter
from tui.widgets.fulltext import FullTextPane
from tui.widgets.header import RecordHeader
from tui.widgets.keywords import KeywordsPane
from tui.widgets.links import LinksPane
from tui.widgets.notice_banner import NoticeBanner
from tui.widgets.progress import PrefetchProgress
from tui.widgets.references import ReferencesPane
from tui.widgets.status import StatusBanner

FIRST_PANE = "abstract"
FIRST_RIGHT = "references"


def reader_widgets(record: Reactive[Any], state: Reactive[Any], report: Report) -> ComposeResult:
    """The header, banners, tab strips, panes and footer, bound to the screen's
    ``record`` and ``state`` reactives (call it from the screen's ``compose``)."""
    yield RecordHeader(id="header").data_bind(record)
    yield NoticeBanner(id="notices").data_bind(record)
    yield StatusBanner(id="status")
    yield PrefetchProgress(id="prefetch")
    yield PrefetchProgress(id="export-progress", verb="Resolving references", hint=EXPORT_HINT)
    with Horizontal(id="tabs"):
        for pane in PANE_TABLE:
            active = " -active" if pane.id == FIRST_PANE else ""
            yield Label(f"{pane.key} {pane.title}", id=f"tab-{pane.id}", classes=f"tab{active}")
    with Horizontal(id="panes"):
        with Vertical(id="left"):
            yield AbstractPane(id="abstract", classes="pane").data_bind(record)
            yield KeywordsPane(id="keywords", classes="pane").data_bind(record)
            yield FullTextPane(id="fulltext", classes="pane")
        with Vertical(id="right"):
            with Horizontal(id="right-tabs"):
                for pane in PANE_TABLE:
                    if pane.side == "right":
                        active = " -active" if pane.id == FIRST_RIGHT else ""
                        label = f"{pane.key} {pane.title}"
                        yield Label(label, id=f"rtab-{pane.id}", classes=f"rtab{active}")
            yield ReferencesPane(id="references", classes="pane", report=report).data_bind(state)
            yield LinksPane(
                "Cited by",
                "No PubMed record cites this one.",
                id="cited-by",
                classes="pane",
                report=report,
            ).data_bind(state)
            yield LinksPane(
                "Similar articles",
                "PubMed lists no similar articles.",
                id="similar",
                classes="pane",
                report=report,
            ).data_bind(state)
            yield DetailsView(id="details", classes="pane").data_bind(record)
    yield ReaderFooter()
