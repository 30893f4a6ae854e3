"""clean_text: record text must reach the terminal as inert characters."""

from __future__ import annotations

import unicodedata

import pytest

from tui.data.text import clean_or_none, clean_text

ESC = "\x1b"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # CSI (colours, cursor movement, screen clearing)
        (f"red{ESC}[31mtext{ESC}[0m", "redtext"),
        (f"a{ESC}[2J{ESC}[1;1Hb", "ab"),
        (f"a{ESC}[?1049hb", "ab"),
        # OSC terminated by BEL and by ST: window title, hyperlink, clipboard write
        (f"a{ESC}]0;owned\x07b", "ab"),
        (f"x{ESC}]8;;https://evil.example{ESC}\\link{ESC}]8;;{ESC}\\y", "xlinky"),
        (f"a{ESC}]52;c;ZXZpbA==\x07b", "ab"),
        # DCS, SOS, PM, APC with their payloads
        (f"a{ESC}Pq#0;2;0;0;0{ESC}\\b", "ab"),
        (f"a{ESC}_Gf=100;AAAA{ESC}\\b", "ab"),
        (f"a{ESC}^private{ESC}\\b", "ab"),
        (f"a{ESC}Xsos{ESC}\\b", "ab"),
        # two-character and charset-designation sequences
        (f"a{ESC}cb", "ab"),
        (f"a{ESC}7b{ESC}8", "ab"),
        (f"a{ESC}(Bb", "ab"),
        # unterminated sequences and a lone ESC
        (f"title{ESC}]0;rest of it", "title"),
        (f"end{ESC}", "end"),
        (f"end{ESC}[", "end"),
        # 8-bit C1 introducers with their payloads
        ("a\x9b31mb", "ab"),
        ("a\x9d0;owned\x07b", "ab"),
        ("a\x90payload\x9cb", "ab"),
        # other C0/C1 controls vanish
        ("a\x00b\x07c\x08d\x7fe\x85f\x9ag", "abcde fg"),
    ],
)
def test_escape_sequences_and_controls_are_removed(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


@pytest.mark.parametrize(
    "char",
    [
        "\u202a",
        "\u202b",
        "\u202c",
        "\u202d",
        "\u202e",
        "\u2066",
        "\u2067",
        "\u2068",
        "\u2069",
        "\u200e",
        "\u200f",
        "\u061c",
        "\u200b",
        "\u2060",
        "\ufeff",
    ],
)
def test_bidi_and_zero_width_characters_are_removed(char: str) -> None:
    assert clean_text(f"ab{char}cd") == "abcd"


@pytest.mark.parametrize(
    "word",
    [
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",  # Persian "I want", with ZWNJ
        "\u0915\u094d\u200d\u0937",  # Devanagari half form, with ZWJ
        "\U0001f469\u200d\U0001f4bb",  # the emoji "woman technologist", a ZWJ sequence
    ],
)
def test_zero_width_joiners_are_kept(word: str) -> None:
    # ZWJ and ZWNJ are part of the spelling; they hide and reorder nothing.
    assert clean_text(f"a {word} b") == f"a {word} b"


def test_reversed_text_trick_is_defused() -> None:
    # A right-to-left override would make "exe.txt" display as "txt.exe".
    assert clean_text("report\u202eexe.txt") == "reportexe.txt"


def test_whitespace_collapses_to_single_spaces() -> None:
    raw = "  Title\n\t  with\r\nlines\u00a0and\u2009thin\u3000spaces\u2028end  "
    assert clean_text(raw) == "Title with lines and thin spaces end"


@pytest.mark.parametrize(
    "text",
    [
        "OXA-48-Like β-Lactamases",
        "Akgün Gökmen, Başar Eviç Zeynep, Şahin, Doğan, Anık, İstanbul",
        "漢字とかな 한국어",
        "Ελληνικά — “quotes” – ≤ ≥ ® ©",
        "[@click=app.quit]x [bold]y[/bold]",
        "emoji 🧬 stays",
    ],
)
def test_ordinary_text_is_kept_exactly(text: str) -> None:
    assert clean_text(text) == text


def test_decomposed_letters_keep_their_combining_marks() -> None:
    decomposed = unicodedata.normalize("NFD", "Sönmez")
    assert clean_text(decomposed) == decomposed
    assert len(decomposed) == 7


def test_output_never_contains_controls_for_any_control_input() -> None:
    every_control = "".join(chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)])
    cleaned = clean_text(f"a{every_control}b{every_control}c")
    assert all(unicodedata.category(ch) != "Cc" for ch in cleaned)
    assert cleaned.startswith("a")


def test_plain_controls_do_not_swallow_the_text_around_them() -> None:
    introducers = {0x1B, 0x90, 0x98, 0x9B, 0x9D, 0x9E, 0x9F}
    plain = "".join(chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)] if c not in introducers)
    assert clean_text(f"a{plain}b{plain}c") == "a b c"


def test_clean_or_none() -> None:
    assert clean_or_none(None) is None
    assert clean_or_none("") is None
    assert clean_or_none(" \n\t\u200b ") is None
    assert clean_or_none(f"{ESC}[1m") is None
    assert clean_or_none("  kept  ") == "kept"
    assert clean_text("") == ""


def test_every_character_is_cleaned_as_the_full_table_says() -> None:
    """The quick path (no dropped character found) must agree with translating always."""
    from tui.data.text import _ESCAPES, _TABLE

    def slow(s: str) -> str:
        return " ".join(_ESCAPES.sub("", s).translate(_TABLE).split())

    for code in [*range(0x0, 0x3000), 0xFEFF, 0x180E]:
        for text in (f"a{chr(code)}b", f" {chr(code)}", f"x [{chr(code)}31m y"):
            assert clean_text(text) == slow(text), hex(code)
