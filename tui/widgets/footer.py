"""The key footer, without the memory it keeps for every key it ever showed.

Textual's ``Footer`` rebuilds its keys whenever the screen's bindings change: each focus
move, so several times for every record walked into and back out of.  The reader walks
hundreds of records in a session; this footer keeps its memory flat while doing so.

Textual bug (seen in 8.2.8; a report for upstream):

    ``Footer.compose`` yields ``FooterKey(...).data_bind(compact=Footer.compact)``.
    ``data_bind`` registers a watcher on the *footer's* ``compact`` reactive, holding a
    reference to the key.  Watchers of removed nodes are dropped only when the watched
    reactive next changes (``Reactive._check_watchers`` filters ``_closing`` reactables),
    and ``compact`` rarely or never changes, so every ``recompose`` adds one watcher per
    key and every removed ``FooterKey`` (styles, render caches, tooltips) stays alive.

    Minimal repro (prints 202, 402, 602: one watcher per key per rebuild, kept)::

        import asyncio
        from textual.app import App
        from textual.widgets import Button, Footer

        class Leak(App[None]):
            BINDINGS = [("x", "bell", "Bell")]

            def compose(self):
                yield Button("a")
                yield Button("b")
                yield Footer()

        async def main():
            app = Leak()
            async with app.run_test() as pilot:
                for n in range(1, 301):
                    await pilot.press("tab")  # bindings change: the footer recomposes
                    if n % 100 == 0:
                        await pilot.pause()
                        footer = app.query_one(Footer)
                        print(len(getattr(footer, "__watchers")["compact"]))

        asyncio.run(main())

    Fix upstream: remove a node's watchers when it is unmounted, or let ``data_bind``
    watchers be pruned on ``recompose``.

The workaround: after each rebuild, ask Textual to run the ``compact`` watchers once
(``mutate_reactive``, public API), which drops the removed keys' watchers on the way.
The live keys receive the value they already have, so nothing on screen changes.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer


class ReaderFooter(Footer):
    """``Footer`` whose rebuilds leave nothing behind (see the module docstring).

    It also rebuilds once for any number of binding changes before the next refresh:
    opening a pane moves the focus and changes what applies several times over, and
    Textual's footer would rebuild (mount, style, lay out its keys) once for each."""

    _rebuild_pending = False
    _shown: tuple[object, ...] | None = None

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if self._rebuild_pending:
            return  # the rebuild already asked for reads the bindings as they are then
        super().bindings_changed(screen)
        # Textual schedules a rebuild only in this case (see Footer.bindings_changed).
        self._rebuild_pending = bool(
            screen.app.app_focus and self.is_attached and screen is self.screen
        )

    def _keys_shown(self) -> tuple[object, ...]:
        """What ``Footer.compose`` draws the keys from, one entry per action as it
        draws them: a rebuild that would draw the same keys is skipped (most focus
        moves within a pane change nothing the footer shows)."""
        if not self._bindings_ready or not self.is_attached:
            return ()
        active = self.screen.active_bindings
        palette = active.get(self.app.COMMAND_PALETTE_BINDING)
        shown: dict[str, tuple[object, ...]] = {}
        for _, binding, enabled, tip in active.values():
            if binding.show and binding.action not in shown:
                display = self.app.get_key_display(binding)
                shown[binding.action] = (
                    binding.key, display, binding.action, binding.description,
                    binding.group, enabled, tip,
                )  # fmt: skip
        palette_key = (palette[2], palette[3]) if palette is not None else None
        return (self.show_command_palette, palette_key, *shown.values())

    async def recompose(self) -> None:
        self._rebuild_pending = False
        shown = self._keys_shown()
        if shown == self._shown and self.children:
            return
        self._shown = shown
        await super().recompose()
        self.mutate_reactive(Footer.compact)
