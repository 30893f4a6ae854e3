"""The screen as a snapshot sees it: each run of text with its colours (no tests here).

``export_screenshot()`` prints the compositor's update to a true-colour console and
writes SVG; this prints the same update and keeps the segments, so a test can measure
the colours a person would see.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from rich.color import Color as RichColor
from rich.color import ColorSystem
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from textual.app import App
from textual.geometry import Region

RGB = tuple[int, int, int]
# Box drawing and block elements draw borders and scroll bars, not text.
BOX = frozenset(chr(c) for c in range(0x2500, 0x25A0)) | frozenset("▔▁▕▏")


@dataclass(frozen=True)
class Run:
    """Consecutive cells of one style, at column ``x`` of row ``y``."""

    x: int
    y: int
    text: str
    style: Style

    @property
    def is_text(self) -> bool:
        return bool(set(self.text) - BOX - {" ", "\u00a0"})

    @property
    def is_border(self) -> bool:
        return bool(self.text.strip()) and set(self.text) <= BOX

    def inside(self, region: Region) -> bool:
        return region.contains(self.x, self.y)

    def colours(self) -> tuple[RichColor, RichColor]:
        """Foreground and background as drawn (reverse applied)."""
        assert self.style.color is not None and self.style.bgcolor is not None, self
        fg, bg = self.style.color, self.style.bgcolor
        return (bg, fg) if self.style.reverse else (fg, bg)

    def rgb(self) -> tuple[RGB, RGB]:
        """True-colour foreground and background; dim text as the SVG export draws it."""
        fg_colour, bg_colour = self.colours()
        fg, bg = tuple(fg_colour.get_truecolor()), tuple(bg_colour.get_truecolor())
        if self.style.dim:
            fg = tuple(int(f + (b - f) * 0.4) for f, b in zip(fg, bg, strict=True))
        return fg, bg  # type: ignore[return-value]

    def ansi16(self) -> tuple[int | None, int | None]:
        """The palette numbers a 16-colour terminal (``TERM=xterm``) draws instead."""
        fg, bg = self.colours()
        return (
            fg.downgrade(ColorSystem.STANDARD).number,
            bg.downgrade(ColorSystem.STANDARD).number,
        )


def screen_runs(app: App[object]) -> list[Run]:
    """Every run of cells on the app's screen, dialogs over dimmed screens included."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        legacy_windows=False,
        safe_box=False,
    )
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    runs: list[Run] = []
    lines = Segment.split_and_crop_lines(console.render(update), length=width, pad=False)
    for y, line in enumerate(lines):
        x = 0
        for text, style, control in line:
            if control:
                continue
            if style is not None:
                runs.append(Run(x, y, text, style))
            x += len(text)
    return runs


def _luminance(rgb: RGB) -> float:
    def channel(value: int) -> float:
        v = value / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = rgb
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def wcag(first: RGB, second: RGB) -> float:
    """The WCAG 2 contrast ratio of two colours (1 to 21)."""
    high, low = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)
