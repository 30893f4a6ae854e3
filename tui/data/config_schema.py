"""The config file's schema: every key pubterm reads, its type, and what a person should write.

The file is checked once, when the settings are loaded, so that a wrong value stops
pubterm with one line naming the file, the key, what it holds and what it must hold,
instead of a traceback far away (``timeout = "fast"``), a silent surprise
(``offline = "no"`` is a non-empty string, so it was true) or a folder named ``['a']``.
The checking is msgspec's: its import adds about 7 ms to start-up, against about 90 ms
for pydantic (``python -X importtime`` on top of the command line's own imports), and
start-up time is benchmarked.  Keys the schema does not know are dropped with a warning
that names the closest known key, since a misspelt key would otherwise do nothing.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Annotated, Any, get_args, get_type_hints

import msgspec
from msgspec import Meta

# Values never repeated back in a message, as no message ever shows them.
SECRET_KEYS = frozenset({"api_key", "email"})

_HTTP = r"^https?://\S+$"
_SECONDS = "a number of seconds, {}"

Url = Annotated[str, Meta(pattern=_HTTP, description="a web address in quotes, starting https://")]
CacheDir = Annotated[
    str, Meta(min_length=1, description='a folder in quotes, like "~/papers/.pubterm-cache"')
]
ApiKey = Annotated[str, Meta(min_length=1, description="your NCBI API key in quotes")]
Email = Annotated[
    str, Meta(min_length=1, description='an e-mail address in quotes, like "you@example.org"')
]
Megabytes = Annotated[
    int, Meta(ge=1, description="a whole number of megabytes, 1 or more, like 512")
]
Days = Annotated[float, Meta(ge=0, description="a number of days, 0 or more, like 30")]
Timeout = Annotated[float, Meta(gt=0, description=_SECONDS.format("above 0, like 20"))]
Attempts = Annotated[int, Meta(ge=1, description="a whole number, 1 or more, like 5")]
Backoff = Annotated[float, Meta(ge=0, description=_SECONDS.format("0 or more, like 0.5"))]
Switch = Annotated[bool, Meta(description="true or false, without quotes")]
Style = Annotated[str, Meta(min_length=1, description='a citation style in quotes, like "apa"')]
Format = Annotated[str, Meta(min_length=1, description='an output format in quotes, like "bibtex"')]
Theme = Annotated[
    str, Meta(min_length=1, description='a theme name in quotes, like "textual-light"')
]
Queries = Annotated[
    list[str], Meta(description='a list of PubMed queries in quotes, like ["ergothioneine"]')
]
# The user's keymap: binding id -> the keys for it.
Keymap = Annotated[
    dict[str, str],
    Meta(description='a table of binding id = "keys" in quotes, like quit = "ctrl+q"'),
]


class ConfigFile(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The keys of ``config.toml``: the settings (the long options' names) and the tables
    and lists other parts of pubterm keep there (``saved_searches``, the ``[keys]`` map)."""

    eutils_url: Url | None = None
    europepmc_url: Url | None = None
    crossref_url: Url | None = None
    api_key: ApiKey | None = None
    email: Email | None = None
    cache_dir: CacheDir | None = None
    cache_size_mb: Megabytes | None = None
    fresh_days: Days | None = None
    timeout: Timeout | None = None
    max_attempts: Attempts | None = None
    backoff_initial: Backoff | None = None
    backoff_max: Backoff | None = None
    offline: Switch | None = None
    refresh: Switch | None = None
    style: Style | None = None
    last_format: Format | None = None
    theme: Theme | None = None
    saved_searches: Queries | None = None
    keys: Keymap | None = None


KNOWN_KEYS: tuple[str, ...] = ConfigFile.__struct_fields__


class ConfigError(ValueError):
    """A config file value of the wrong kind; ``str`` is the one line to show."""


def _wanted() -> dict[str, str]:
    """Each key's description, read from the schema's own annotations."""
    wants: dict[str, str] = {}
    for name, hint in get_type_hints(ConfigFile, include_extras=True).items():
        for arg in get_args(hint):
            for meta in getattr(arg, "__metadata__", ()):
                if isinstance(meta, Meta) and meta.description:
                    wants[name] = meta.description
    return wants


def _shown(value: Any, secret: bool) -> str:
    """The value as it reads in TOML (or only its kind, for a secret), kept short."""
    if secret:
        kinds = {bool: "true or false", int: "a number", float: "a number", str: "text"}
        kind = kinds.get(type(value), "a list" if isinstance(value, list) else "a table")
        return "empty text" if value == "" else kind
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str | int | float | list):
        text = json.dumps(value, ensure_ascii=False, default=str)
    else:  # a TOML date or time
        text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


_AT = re.compile(r"- at `\$\.(\w+)(.*)`$")


def _culprit(data: Mapping[str, Any], error: msgspec.ValidationError) -> tuple[str, str, Any]:
    """(top-level key, the key as shown, the offending value) of msgspec's error."""
    match = _AT.search(str(error))
    if match is None:  # pragma: no cover - every field error carries a path
        raise ConfigError(str(error)) from None
    key, rest = match.group(1), match.group(2)
    value = data[key]
    if rest == "[...]" and isinstance(value, dict):  # a table value: find which entry
        hint = get_type_hints(ConfigFile)[key]
        for name, item in value.items():
            try:
                msgspec.convert({name: item}, hint)
            except msgspec.ValidationError:
                return key, f"{key}.{name}", item
    index = re.fullmatch(r"\[(\d+)\]", rest)
    if index and isinstance(value, list):
        return key, f"{key}{rest}", value[int(index.group(1))]
    return key, key, value


def unknown_key_warning(path: Path, name: str) -> str:
    """The warning for a key the schema does not have, naming the closest one it has."""
    close = difflib.get_close_matches(name, KNOWN_KEYS, n=1, cutoff=0.6)
    hint = f' (did you mean "{close[0]}"?)' if close else ""
    return f'config file {path}: unknown key "{name}"{hint} is ignored'


def checked_config(
    data: Mapping[str, Any], path: Path, warn: Callable[[str], None]
) -> dict[str, Any]:
    """The config file's values, checked against the schema (unset keys left out).

    Raises ConfigError for a value of the wrong kind; calls ``warn`` once for each key
    the schema does not know, which is then left out.
    """
    known = {}
    for name, value in data.items():
        if name in KNOWN_KEYS:
            known[name] = value
        else:
            warn(unknown_key_warning(path, name))
    try:
        parsed = msgspec.convert(known, ConfigFile)
    except msgspec.ValidationError as exc:
        key, shown_key, value = _culprit(known, exc)
        got = _shown(value, key in SECRET_KEYS)
        wants = _wanted().get(key, "another kind of value")
        raise ConfigError(
            f"config file {path}: {shown_key} is {got}, but it must be {wants}"
        ) from None
    values = msgspec.structs.asdict(parsed)
    return {name: value for name, value in values.items() if value is not None}
