"""The command palette's reader commands, one per key in ``tui.keys.KEYS``.

Every action a key can do is also reachable by name (ctrl+p), which is how people find a
key they forgot; the list is generated so it cannot drift from the bindings.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, Mapping
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.keymap import shown_keys
from tui.keys import KEYS, KeySpec

# Scopes that belong to one screen of their own, offered only there.
SCREEN_SCOPES = frozenset({"search", "search-input"})


def palette_specs() -> list[KeySpec]:
    """The bindings the palette offers."""
    return [spec for spec in KEYS if spec.palette]


def offered_specs(scopes: tuple[str, ...] | None = None) -> list[KeySpec]:
    """The palette bindings a screen offers: those of its ``scopes`` when it names them,
    else every one but another screen's own."""
    if scopes is not None:
        return [spec for spec in palette_specs() if spec.scope in scopes]
    return [spec for spec in palette_specs() if spec.scope not in SCREEN_SCOPES]


def command_text(spec: KeySpec, keymap: Mapping[str, str] | None = None) -> str:
    """What the palette lists: the description and, in brackets, the keys (the user's
    own where ``keymap`` remaps them)."""
    return f"{spec.description} ({shown_keys(spec, keymap or {})})"


class ReaderCommands(Provider):
    """Offers every palette binding; runs it on the screen the palette was opened from.

    App-scoped actions (help, quit) run on the app; the others on the reader screen, the
    same targets the keys reach.
    """

    @property
    def _keymap(self) -> Mapping[str, str] | None:
        return getattr(self.app, "keymap", None)

    def _commands(self) -> Iterator[tuple[KeySpec, Callable[[], Awaitable[None]]]]:
        # A screen may name the scopes it answers (the search screen does); the others
        # are offered everything but another screen's own scopes.
        for spec in offered_specs(getattr(self.screen, "PALETTE_SCOPES", None)):
            yield spec, partial(self._run, spec)

    async def _run(self, spec: KeySpec) -> None:
        if spec.scope == "app":
            await self.app.run_action(spec.action)
        else:
            await self.app.run_action(spec.action, self.screen)

    async def discover(self) -> Hits:
        for spec, command in self._commands():
            yield DiscoveryHit(command_text(spec, self._keymap), command, help=spec.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for spec, command in self._commands():
            text = command_text(spec, self._keymap)
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), command, text=text, help=spec.help)
