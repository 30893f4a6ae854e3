"""How the reader lays its panes out: two columns when wide, one pane behind tabs when not.

The layout is a handful of classes on the screen (``-narrow``, ``-show-<pane>``,
``-right-<pane>``) that ``reader.tcss`` rules read, plus the tab labels' ``-active``.
Changing classes restyles the tree, so every change here is made at once, with one
restyle, and only when a class actually changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Footer

from tui.screens.panes import PANES, RIGHT_PANES

if TYPE_CHECKING:
    from textual.screen import Screen

WIDE_COLUMNS = 120
"""Below this width the panes are shown one at a time behind a tab strip."""


class PaneLayout:
    """The layout classes of one reader screen."""

    def __init__(self, screen: Screen[None]) -> None:
        self.screen = screen

    @property
    def narrow(self) -> bool:
        return self.screen.has_class("-narrow")

    def set_classes(self, narrow: bool, active: str, right: str) -> None:
        """The screen's layout classes, with one restyle of the tree if any changed."""
        screen = self.screen
        wanted = {"-narrow": narrow, "-show-right": active in RIGHT_PANES}
        wanted.update({f"-show-{pane}": pane == active for pane in PANES})
        wanted.update({f"-right-{pane}": pane == right for pane in RIGHT_PANES})
        changed = [name for name, on in wanted.items() if screen.has_class(name) != on]
        for name in changed:
            screen.set_class(wanted[name], name, update=False)
        if changed and screen.is_mounted:
            screen.update_node_styles()

    def fit(self, width: int, active: str, right: str) -> None:
        """Lay out for a screen ``width`` columns wide."""
        narrow = width < WIDE_COLUMNS
        self.set_classes(narrow, active, right)
        # At 80 columns every cell of the footer counts: ctrl+p is listed in the help.
        footer = self.screen.query_one(Footer)
        footer.compact = narrow
        footer.show_command_palette = not narrow

    def show(self, active: str, right: str) -> None:
        """Show pane ``active`` (and ``right`` in the right column), tabs marked."""
        self.set_classes(self.narrow, active, right)
        screen = self.screen
        for pane in PANES:
            screen.query_one(f"#tab-{pane}").set_class(pane == active, "-active")
        for pane in RIGHT_PANES:
            screen.query_one(f"#rtab-{pane}").set_class(pane == right, "-active")
