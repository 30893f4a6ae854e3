"""Citation actions of the reader (``c`` cite, ``e`` export), kept apart from the screen.

A mixin so the reader screen stays small; it relies only on the screen's ``record`` and
its references pane.
"""

from __future__ import annotations


class CiteActions:
    """The ``cite`` and ``export`` actions; mixed into the reader screen."""

    def action_cite(self) -> None:
        """Open the citation chooser (format, then style) and copy the result."""

    def action_export(self) -> None:
        """Write the reference list (or the marked set) to a file in the download folder."""
