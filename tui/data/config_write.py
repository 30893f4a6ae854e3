"""Remembering a choice (the last export format, the citation style) in the config file.

``tomllib`` only reads TOML, and rewriting the whole file from parsed data would drop the
user's comments and layout.  So only the lines of the keys being set are replaced (or
added before the first table), the result is parsed again to prove nothing else
changed, and the file is swapped in atomically so a crash never leaves half a config.
"""

from __future__ import annotations

import os
import re
import tempfile
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from tui.data.settings import default_config_file


class ConfigWriteError(Exception):
    """The config file could not be updated; ``str`` is the sentence to show."""


def config_path(settings: object | None = None, environ: Mapping[str, str] | None = None) -> Path:
    """The config file the settings were read from: PUBTERM_CONFIG, else the platform one.

    A ``config_file`` attribute on the settings (a ``--config`` flag) wins when present.
    """
    chosen = getattr(settings, "config_file", None) if settings is not None else None
    if chosen:
        return Path(chosen)
    env = os.environ if environ is None else environ
    if env.get("PUBTERM_CONFIG"):
        return Path(env["PUBTERM_CONFIG"])
    return default_config_file()


_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


def toml_string(value: str) -> str:
    """A TOML basic string holding exactly ``value`` (control characters escaped)."""
    out = []
    for ch in value:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


_TABLE = re.compile(r"^\s*\[")


def _key_line(key: str) -> re.Pattern[str]:
    # Both spellings are accepted when reading ("last-format" and "last_format").
    names = "|".join(re.escape(k) for k in {key, key.replace("_", "-")})
    return re.compile(rf'^\s*(?:{names}|"(?:{names})")\s*=')


def toml_value(value: str | Sequence[str]) -> str:
    """A TOML string, or a one-line array of strings (the saved searches)."""
    if isinstance(value, str):
        return toml_string(value)
    return "[" + ", ".join(toml_string(v) for v in value) + "]"


def updated_text(text: str, values: Mapping[str, str | Sequence[str]]) -> str:
    """The TOML ``text`` with each top-level key of ``values`` set, everything else kept."""
    lines = text.splitlines(keepends=True)
    first_table = next((i for i, line in enumerate(lines) if _TABLE.match(line)), len(lines))
    head, tail = lines[:first_table], lines[first_table:]
    for key, value in values.items():
        new_line = f"{key} = {toml_value(value)}\n"
        pattern = _key_line(key)
        index = next((i for i, line in enumerate(head) if pattern.match(line)), None)
        if index is not None:
            head[index] = new_line
            continue
        if head and not head[-1].endswith("\n"):
            head[-1] += "\n"
        # Before the blank lines that separate the top-level keys from the first table.
        at = len(head)
        while at > 0 and not head[at - 1].strip() and tail:
            at -= 1
        head.insert(at, new_line)
    return "".join(head + tail)


def _plain(value: str | Sequence[str]) -> str | list[str]:
    return value if isinstance(value, str) else list(value)


def _normalised(data: Mapping[str, Any]) -> dict[str, Any]:
    return {k.replace("-", "_"): v for k, v in data.items()}


def remember(values: Mapping[str, str | Sequence[str]], path: Path) -> None:
    """Set top-level string keys in the config file at ``path``, creating it if needed.

    Raises ConfigWriteError, leaving the file untouched, when it cannot be read, is not
    valid TOML, or the edit would change anything but the given keys.
    """
    try:
        original = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        original = ""
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigWriteError(f"Could not read the config file {path}: {exc}") from None
    try:
        before = _normalised(tomllib.loads(original))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigWriteError(f"The config file {path} is not valid TOML: {exc}") from None
    text = updated_text(original, values)
    try:
        after = _normalised(tomllib.loads(text))
    except tomllib.TOMLDecodeError:
        after = None
    expected = {**before, **{k.replace("-", "_"): _plain(v) for k, v in values.items()}}
    if after != expected:
        raise ConfigWriteError(f"The config file {path} has a layout pubterm cannot edit safely")
    _write_atomically(path, text)


def _write_atomically(link: Path, text: str) -> None:
    # A symlinked config (dotfiles kept in a repository) is written where the link points,
    # so the link stays a link; replacing the link itself would cut the file loose.
    path = Path(os.path.realpath(link)) if link.is_symlink() else link
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        mode = path.stat().st_mode & 0o777 if path.exists() else None
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise ConfigWriteError(f"Could not write the config file {link}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        # A new file keeps mkstemp's owner-only mode: the config may hold an API key.
        if mode is not None:
            os.chmod(temp, mode)
        os.replace(temp, path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise ConfigWriteError(f"Could not write the config file {link}: {exc.strerror}") from None
