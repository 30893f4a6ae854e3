"""The pubterm reader application and the entry point the command line calls.

Imported only when the reader opens, so the print path never pays for Textual.  The app
owns the one data service of the session (its HTTP client carries the rate limit) and
closes it on the way out, whatever state a fetch is in.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, ClassVar

from textual import events, work
from textual.actions import SkipAction
from textual.app import App
from textual.binding import Binding, BindingType
from textual.theme import Theme
from textual.widgets import Input

from tui.contrast import reader_variables
from tui.data.config_write import ConfigWriteError, config_path, remember
from tui.data.ids import ArticleId
from tui.data.settings import Settings
from tui.keymap import keymap_problems, user_keymap
from tui.keys import bindings, spec
from tui.screens.help import HelpScreen
from tui.screens.reader import ReaderScreen
from tui.survivors import PASSES, QUIET, freeze_survivors

if TYPE_CHECKING:
    from textual.timer import Timer

    from tui.data.early import EarlyFetch
    from tui.data.eutils import RetryNotice
    from tui.data.service import PubMed
    from tui.screens.search import SearchScreen

HERE = Path(__file__).resolve().parent
DEFAULT_THEME = "textual-dark"


def _stylesheets() -> list[str | PurePath]:
    # The widgets' stylesheet first, so the app's layout rules can refine it.
    sheets: list[str | PurePath] = []
    widgets = HERE / "widgets" / "widgets.tcss"
    if widgets.exists():
        sheets.append(widgets)
    sheets.append(HERE / "app.tcss")
    sheets.append(HERE / "widgets" / "fulltext.tcss")  # after app.tcss: it refines the layout
    return sheets


class PubtermApp(App[int]):
    """The reader: one ``ReaderScreen``, with help and paste-an-ID screens on top."""

    TITLE = "pubterm"
    CSS_PATH = _stylesheets()
    BINDINGS: ClassVar[list[BindingType]] = [
        *bindings("app"),
        # The reader's own back key, asked first: on a record opened from the search
        # results it returns to them; anywhere else check_action turns it off, so the
        # key goes on to the reader (or a text field) and the footer shows the reader's.
        Binding(
            spec("back").keys,
            "back_to_search",
            spec("back").description,
            priority=True,
            id=spec("back").id,  # a [keys] entry for back moves this one too
        ),
    ]

    def __init__(
        self,
        settings: Settings,
        initial: ArticleId | None = None,
        *,
        service: PubMed | None = None,
        early: EarlyFetch | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.initial = initial
        if service is None:
            from tui.data.service import PubMed

            service = PubMed(settings, on_retry=self.on_retry, early=early)
        elif service.on_retry is None:
            service.on_retry = self.on_retry
        self.service = service
        self.theme = starting_theme(settings, self.available_themes)
        self.reader = ReaderScreen(service, initial)
        self._search: SearchScreen | None = None
        """The search screen, made when first needed: opening an ID never imports it."""
        # The result last opened from the search screen: b on it goes back to the list.
        self.opened_from_search: ArticleId | None = None
        self._settled = False
        self._quiet: Timer | None = None
        self._last_key = 0.0
        self.keymap: dict[str, str] = {}
        """The user's remapped keys (binding id -> keys), from the config file."""

    def get_css_variables(self) -> dict[str, str]:
        """Textual's theme variables plus pubterm's readable ``$pubterm-*`` colours."""
        variables = super().get_css_variables()
        variables.update(reader_variables(variables))
        return variables

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self._apply_keymap()
        self.push_screen(self.reader)
        self.watch(self.reader, "record", self._settle, init=False)
        if self.initial is None:
            self.ask_for_id()

    @property
    def search(self) -> SearchScreen:
        """The search screen, made and installed on first use (so leaving it for the
        reader keeps its results and cursor)."""
        if self._search is None:
            from tui.screens.search import SearchScreen

            self._search = SearchScreen(self.service, self.settings)
            self.install_screen(self._search, "search")
        return self._search

    def _on_search_screen(self) -> bool:
        """Whether the search screen is the one showing (without making it)."""
        return self._search is not None and self.screen is self._search

    def _settle(self, record: object) -> None:
        # Once the first record is on screen, the objects made so far (Textual, the
        # widget tree, the record's entries) live as long as the reader does: freezing
        # them keeps the collector's full passes (30-50 ms each, landing on random
        # keystrokes) from walking them again (tui/survivors.py).
        if record is not None and not self._settled:
            self._settled = True
            self.reader.call_after_refresh(freeze_survivors)

    def _apply_keymap(self) -> None:
        """The config file's ``[keys]`` through Textual's keymap; a bad entry is said."""
        self.keymap = user_keymap(self.settings.keys)
        self.set_keymap(self.keymap)
        for problem in keymap_problems(self.settings.keys):
            self.notify(problem, title="Keys", severity="warning", timeout=10, markup=False)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            self._hold_full_passes()
        await super().on_event(event)

    def _hold_full_passes(self) -> None:
        """No full garbage collection while keys come in (tui/survivors.py)."""
        PASSES.hold()
        self._last_key = time.monotonic()
        if self._quiet is None:
            self._quiet = self.set_timer(QUIET, self._keys_quiet, name="keys-quiet")

    def _keys_quiet(self) -> None:
        waited = time.monotonic() - self._last_key
        if waited < QUIET:
            self._quiet = self.set_timer(QUIET - waited, self._keys_quiet, name="keys-quiet")
            return
        self._quiet = None
        PASSES.release()

    async def on_unmount(self) -> None:
        PASSES.release()
        if self._settled:
            gc.unfreeze()  # the reader's objects become garbage like any others
        await self.service.aclose()

    def on_retry(self, notice: RetryNotice) -> None:
        """Called by the data layer (same event loop) before it waits to retry."""
        if self._on_search_screen():
            self.search.show_retry(notice)
        elif self.reader.is_mounted:
            self.reader.show_retry(notice)

    def ask_for_id(self) -> None:
        """Start on the search screen, which also opens a pasted ID; with nothing
        loaded, leaving it leaves pubterm."""
        self.push_screen(self.search)

    def action_open_search(self) -> None:
        """``s``: the search screen from the reader; on it, back to the query."""
        if self._on_search_screen():
            self.search.action_edit_query()
        elif self.screen is self.reader:
            self.push_screen(self.search)

    def on_search_screen_open_requested(self, event: SearchScreen.OpenRequested) -> None:
        # Named, not @on(...): the decorator would import the search screen at start.
        self.opened_from_search = event.aid
        if self._on_search_screen():
            self.pop_screen()
        self.reader.load(event.aid)

    def on_search_screen_leave_requested(self) -> None:
        if not self._on_search_screen():
            return
        if self.reader.record is None and self.reader.request is None:
            self.exit(0)
        else:
            self.pop_screen()

    def _on_search_result(self) -> bool:
        """Whether the reader shows (or is fetching) the result opened from the search."""
        opened = self.opened_from_search
        if opened is None or self.screen is not self.reader:
            return False
        request = self.reader.request
        if request is not None:
            return request.aid == opened
        current = self.reader.history.current
        return current is not None and current.aid == opened

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back_to_search":
            return self._on_search_result() and not isinstance(self.focused, Input)
        return True

    def action_back_to_search(self) -> None:
        """Back to the results from the result opened there; otherwise the key goes on
        to the reader (or to a text field being typed in)."""
        if isinstance(self.focused, Input) or not self._on_search_result():
            raise SkipAction()
        self.push_screen(self.search)

    def _theme_changed(self, theme: Theme) -> None:
        """A theme picked (palette: "Change theme") is the one pubterm opens in next time."""
        if theme.name != starting_theme(self.settings, self.available_themes):
            self.settings = replace(self.settings, theme=theme.name)
            self._remember_theme(theme.name)

    @work(thread=True, exclusive=True, group="theme", exit_on_error=False)
    def _remember_theme(self, name: str) -> None:
        try:
            remember({"theme": name}, config_path(self.settings))
        except ConfigWriteError as exc:
            message = f"Could not remember the theme: {exc}"
            self.call_from_thread(self.notify, message, severity="warning", markup=False)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())


def starting_theme(settings: Settings, available: Mapping[str, object]) -> str:
    """The remembered theme while Textual still has it, else pubterm's default."""
    chosen = settings.theme
    return chosen if chosen and chosen in available else DEFAULT_THEME


def run_reader(
    settings: Settings, initial: ArticleId | None, *, early: EarlyFetch | None = None
) -> int:
    """Run the reader until the user quits; the exit code for the command line.

    ``early`` is the first record's fetch the command line started before importing the
    reader; the session's service adopts it.
    """
    app = PubtermApp(settings, initial, early=early)
    result = app.run()
    return result if isinstance(result, int) else (app.return_code or 0)
