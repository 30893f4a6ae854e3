"""Text colours the reader can read in every theme, light or dark.

Textual's ``$text`` family is an "auto" colour worked out against the background of the
widget that uses it; in a component class (a span of the header, a reference number)
there is no background of its own, so it comes out as if the screen were dark: white on
light grey in ``textual-light``.  And several built-in themes pick a foreground or an
accent that does not reach WCAG AA (4.5:1) on their own panels (``atom-one-dark``,
``solarized-*``, ``tokyo-night``).  So pubterm derives its own ``$pubterm-*`` variables from
each theme: the theme's colour where it is readable already, otherwise the same hue
moved towards black or white just far enough to reach the target against every
background the reader paints text on.  ANSI themes are left alone: their colours are the
terminal's own palette, which only the terminal knows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rich.color import Color as RichColor
from rich.color import ColorSystem
from textual.color import Color

TARGET = 4.6
"""WCAG AA asks for 4.5:1; a little more, so rounding to whole RGB values never dips under."""

WHITE = Color(255, 255, 255)
BLACK = Color(0, 0, 0)
STEPS = 40

# Where the reader paints text: the screen, the panes, the header and tab strips, the
# filter field and dialogs; the cursor rows are added below.  The footer has its own
# colours: some themes paint it in their primary colour.
BACKGROUND_NAMES = ("background", "surface", "panel", "primary-muted")


def luminance(colour: Color) -> float:
    """WCAG relative luminance of an opaque colour."""

    def channel(value: int) -> float:
        v = value / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.r) + 0.7152 * channel(colour.g) + 0.0722 * channel(colour.b)


def contrast(first: Color, second: Color) -> float:
    """WCAG contrast ratio of two opaque colours, 1 to 21."""
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def worst(colour: Color, backgrounds: Iterable[Color]) -> float:
    """The lowest contrast of ``colour`` against any of ``backgrounds``."""
    return min(contrast(colour, bg) for bg in backgrounds)


def readable(colour: Color, backgrounds: list[Color], target: float = TARGET) -> Color:
    """``colour`` if it reaches ``target`` on every background, else the least change of it
    (towards black or white, whichever the backgrounds favour) that does."""
    extreme = max((WHITE, BLACK), key=lambda end: worst(end, backgrounds))
    for step in range(STEPS + 1):
        candidate = colour.blend(extreme, step / STEPS, alpha=1.0)
        if worst(candidate, backgrounds) >= target:
            return candidate
    return extreme


def ansi16(colour: Color) -> int:
    """The colour a 16-colour terminal (``TERM=xterm``) shows instead: its palette number."""
    rich = RichColor.from_rgb(colour.r, colour.g, colour.b)
    number = rich.downgrade(ColorSystem.STANDARD).number
    return -1 if number is None else number


def visible_border(surface: Color, screen: Color, foreground: Color) -> Color:
    """An unfocused pane's border: quiet, yet not mapped onto the surface or the screen
    by a 16-colour terminal (which draws colours this close to the background as it)."""
    hidden = {ansi16(surface), ansi16(screen)}
    for step in range(9, 21):
        border = surface.blend(foreground, step / 20, alpha=1.0)
        if ansi16(border) not in hidden:
            return border
    return foreground


def _opaque(value: str, under: Color) -> Color:
    colour = Color.parse(value)
    return under.blend(colour.with_alpha(1.0), colour.a, alpha=1.0) if colour.a < 1 else colour


def reader_variables(variables: Mapping[str, str]) -> dict[str, str]:
    """The ``$pubterm-*`` variables for one theme's variables (Textual's own, generated)."""
    names = ("foreground", "text-accent", "text-primary", "text-error", "text-warning")
    if any(Color.parse(variables[name]).ansi is not None for name in ("background", *names)):
        return _ansi_variables(variables)
    screen = _opaque(variables["background"], BLACK)
    surface = _opaque(variables["surface"], screen)
    primary = _opaque(variables["primary"], screen)
    foreground = _opaque(variables["foreground"], surface)
    # The highlighted entry of a list: a quiet tint of the primary colour, so every span
    # of the entry (number, badges, muted notes) stays readable on it.
    cursor = surface.blend(primary, 0.3, alpha=1.0)
    cursor_blurred = surface.blend(primary, 0.15, alpha=1.0)
    backgrounds = [_opaque(variables[name], screen) for name in BACKGROUND_NAMES]
    backgrounds += [cursor, cursor_blurred, surface.blend(foreground, 0.05, alpha=1.0)]
    text = readable(foreground, backgrounds)
    muted_start = surface.blend(foreground, 0.7, alpha=1.0)

    def tuned(name: str) -> str:
        return readable(_opaque(variables[name], surface), backgrounds).hex

    footer = [_opaque(variables["footer-background"], screen)]
    footer_key = _opaque(variables["footer-key-foreground"], footer[0])
    footer_text = _opaque(variables["footer-description-foreground"], footer[0])

    return {
        "pubterm-text": text.hex,
        "pubterm-muted": readable(muted_start, backgrounds).hex,
        "pubterm-accent": tuned("text-accent"),
        "pubterm-link": tuned("text-primary"),
        "pubterm-error": tuned("text-error"),
        "pubterm-warning": tuned("text-warning"),
        "pubterm-footer-key": readable(footer_key, footer).hex,
        "pubterm-footer-text": readable(footer_text, footer).hex,
        "pubterm-cursor-text": text.hex,
        "pubterm-cursor": cursor.hex,
        "pubterm-cursor-blurred": cursor_blurred.hex,
        "pubterm-border": visible_border(surface, screen, foreground).hex,
    }


def _ansi_variables(variables: Mapping[str, str]) -> dict[str, str]:
    """The terminal's own colours, as the theme names them: readable wherever the
    terminal's palette is.  Only the unfocused border changes: the theme's ``ansi_black``
    (or ``ansi_white``) is the terminal's background colour on half the terminals."""
    return {
        "pubterm-text": variables["foreground"],
        "pubterm-muted": variables["foreground"],
        "pubterm-accent": variables["text-accent"],
        "pubterm-link": variables["text-primary"],
        "pubterm-error": variables["text-error"],
        "pubterm-warning": variables["text-warning"],
        "pubterm-footer-key": variables["footer-key-foreground"],
        "pubterm-footer-text": variables["footer-description-foreground"],
        "pubterm-cursor-text": variables["block-cursor-foreground"],
        "pubterm-cursor": variables["block-cursor-background"],
        "pubterm-cursor-blurred": variables["block-cursor-blurred-background"],
        "pubterm-border": "ansi_bright_black",
    }
