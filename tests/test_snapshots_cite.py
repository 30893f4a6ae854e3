"""What the citation chooser looks like, at 80×24 and 160×48.

The chooser is shown on its own, over an empty screen, so these pictures change only
when the chooser does (the reader's own look has its snapshots elsewhere).  Regenerate
with ``--snapshot-update`` and look at the result before accepting it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.app import App
from textual.pilot import Pilot

from tui.app import DEFAULT_THEME
from tui.contrast import reader_variables
from tui.screens.cite import CiteChooser

SIZES = pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])

SnapCompare = Callable[..., bool]


class ChooserApp(App[None]):
    """Just the chooser, as ``c`` opens it on a record, with a steady cursor."""

    TITLE = "pubterm"

    def get_css_variables(self) -> dict[str, str]:
        """The chooser's colours are pubterm's own, as in the reader."""
        variables = super().get_css_variables()
        variables.update(reader_variables(variables))
        return variables

    def on_mount(self) -> None:
        self.theme = DEFAULT_THEME
        self.push_screen(CiteChooser("Cite PMID 35856662", fmt="cite", style="apa"))


@SIZES
@pytest.mark.parametrize(
    "keys", [(), ("enter",), ("enter", *"harvard")], ids=["format", "style", "filtered"]
)
def test_cite_chooser(
    snap_compare: SnapCompare, size: tuple[int, int], keys: tuple[str, ...]
) -> None:
    async def typed(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        await pilot.press(*keys)
        await pilot.pause()

    assert snap_compare(ChooserApp(), terminal_size=size, run_before=typed)
