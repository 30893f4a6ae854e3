"""The reader's panes, composed by the app; their look lives in widgets.tcss.

Load the stylesheet with ``CSS_PATH = [WIDGETS_CSS, ...]`` on the App.
"""

from __future__ import annotations

from pathlib import Path

from tui.widgets.abstract import AbstractPane
from tui.widgets.header import RecordHeader
from tui.widgets.keywords import KeywordsPane
from tui.widgets.references import ReferenceList, ReferencesPane
from tui.widgets.status import StatusBanner

WIDGETS_CSS = Path(__file__).with_name("widgets.tcss")
"""The panes' stylesheet, for the App's CSS_PATH."""

__all__ = [
    "WIDGETS_CSS",
    "AbstractPane",
    "KeywordsPane",
    "RecordHeader",
    "ReferenceList",
    "ReferencesPane",
    "StatusBanner",
]
