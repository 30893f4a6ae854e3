"""How the reader lays its panes out and moves between them: two columns when wide, one
pane behind tabs when not; number keys, tab and clicks on a tab move the focus.

The layout is a handful of classes on the screen (``-narrow``, ``-show-<pane>``,
``-right-<pane>``) that ``reader.tcss`` rules read, plus the tab labels' ``-active``.
Every change here is made at once, only when a class actually changes, and restyles
only the nodes the rules reading those classes select (:mod:`tui.screens.restyle`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.widgets import Footer

from tui.screens.panes import LINK_PANES, PANES, RIGHT_PANES
from tui.screens.restyle import restyle_for
from tui.widgets.fulltext import FullTextPane

if TYPE_CHECKING:
    from textual.widget import Widget

    from tui.screens.reader import ReaderScreen

WIDE_COLUMNS = 120
"""Below this width the panes are shown one at a time behind a tab strip."""


class PaneLayout:
    """The layout classes of one reader screen."""

    def __init__(self, screen: ReaderScreen) -> None:
        self.screen = screen

    @property
    def narrow(self) -> bool:
        return self.screen.has_class("-narrow")

    def set_classes(self, narrow: bool, active: str, right: str) -> None:
        """The screen's layout classes; what they style is restyled if any changed."""
        screen = self.screen
        wanted = {"-narrow": narrow, "-show-right": active in RIGHT_PANES}
        wanted.update({f"-show-{pane}": pane == active for pane in PANES})
        wanted.update({f"-right-{pane}": pane == right for pane in RIGHT_PANES})
        changed = [name for name, on in wanted.items() if screen.has_class(name) != on]
        for name in changed:
            screen.set_class(wanted[name], name, update=False)
        if changed and screen.is_mounted:
            restyle_for(screen, frozenset(changed))

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

    def pane_of(self, widget: Widget | None) -> str | None:
        """The name of the pane holding ``widget`` (None outside the panes)."""
        node: Any = widget
        while node is not None and node is not self.screen:
            if getattr(node, "id", None) in PANES:
                return str(node.id)
            node = node.parent
        return None

    def _focus_target(self, name: str) -> Widget:
        screen = self.screen
        if name == "references":
            pane = screen.references
            return pane.filter_input if pane.filter_input.has_focus else pane.reference_list
        if name in LINK_PANES:
            return screen.links_pane(name).paper_list
        found = screen.query_one(f"#{name}")
        if isinstance(found, FullTextPane):
            return found.focus_target  # one focus move, not the pane's then its text's
        return found

    def focus(self, name: str) -> None:
        """Put the reader in pane ``name`` (loading a linked list the first time)."""
        if name not in PANES:
            return
        screen = self.screen
        screen.update(lambda state: state.focusing(name, right=name in RIGHT_PANES))
        # At once, not on the next idle: keys typed in the same burst ("3jjy") must
        # reach the pane just focused.
        screen.set_focus(self._focus_target(name))
        if name in LINK_PANES:
            screen.graph.ensure_links(name)

    def cycle(self, step: int) -> None:
        """The next (``step`` 1) or previous (-1) pane, wrapping round."""
        current = self.pane_of(self.screen.focused) or self.screen.state.pane
        self.focus(PANES[(PANES.index(current) + step) % len(PANES)])
