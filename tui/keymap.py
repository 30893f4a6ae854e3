"""The user's own keys: the config file's ``[keys]`` table, binding id -> keys.

Every binding in ``tui.keys.KEYS`` has an id, so a key is remapped by naming it::

    [keys]
    copy-doi = "d"
    quit = "q,ctrl+q"

The app hands the table to Textual's keymap support (``App.set_keymap``), which rebinds
the keys wherever the binding is used; the footer follows on its own and the help screen
shows the keys through ``shown_keys``.  An id pubterm does not have is reported with the
closest one it does, rather than ignored in silence.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping

from tui.keys import KEYS, KeySpec

KEY_IDS = frozenset(spec.id for spec in KEYS)


def user_keymap(table: Mapping[str, object] | None) -> dict[str, str]:
    """The entries of ``[keys]`` that name a binding pubterm has, keys as Textual writes
    them (``"d, ctrl+d"`` -> ``"d,ctrl+d"``)."""
    if not table:
        return {}
    return {
        key_id: ",".join(part.strip() for part in keys.split(",") if part.strip())
        for key_id, keys in table.items()
        if key_id in KEY_IDS and isinstance(keys, str) and keys.strip()
    }


def keymap_problems(table: Mapping[str, object] | None) -> list[str]:
    """One sentence per entry of ``[keys]`` that cannot be used, saying what would be."""
    problems: list[str] = []
    for key_id, keys in (table or {}).items():
        if key_id not in KEY_IDS:
            close = difflib.get_close_matches(key_id, sorted(KEY_IDS), n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            problems.append(f"[keys] {key_id}: pubterm has no key of that name{hint}")
        elif not isinstance(keys, str) or not keys.strip():
            problems.append(f'[keys] {key_id}: wants keys as text, like "d" or "d,ctrl+d"')
    return problems


def shown_keys(spec: KeySpec, keymap: Mapping[str, str]) -> str:
    """How the keys of ``spec`` are written for people, the user's own when remapped."""
    keys = keymap.get(spec.id)
    if keys is None:
        return spec.key_display
    return " ".join(part.strip() for part in keys.split(","))
