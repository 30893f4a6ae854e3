"""Where pubterm's settings come from: defaults, the config file, the environment, flags.

Later sources win.  The config file is TOML in the platform config folder (or wherever
``--config`` / ``PUBTERM_CONFIG`` point) and takes the same names as the long options; it
is checked once, against ``tui.data.config_schema``, as it is read.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

DEFAULT_EUTILS_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"
DEFAULT_EUROPEPMC_URL = "https://www.ebi.ac.uk/europepmc/webservices/rest/"
DEFAULT_CROSSREF_URL = "https://api.crossref.org/"

# Setting name -> environment variable.
ENVIRONMENT = {
    "eutils_url": "PUBTERM_EUTILS_URL",
    "europepmc_url": "PUBTERM_EUROPEPMC_URL",
    "crossref_url": "PUBTERM_CROSSREF_URL",
    "api_key": "NCBI_API_KEY",
    "email": "PUBTERM_EMAIL",
    "cache_dir": "PUBTERM_CACHE_DIR",
    "config_file": "PUBTERM_CONFIG",
}


def default_cache_dir() -> Path:
    """The platform cache folder (``~/.cache/pubterm`` on Linux)."""
    from platformdirs import user_cache_path

    return user_cache_path("pubterm", appauthor=False)


def default_config_file() -> Path:
    """The platform config file (``~/.config/pubterm/config.toml`` on Linux)."""
    from platformdirs import user_config_path

    return user_config_path("pubterm", appauthor=False) / "config.toml"


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the data layer needs to reach the services and the cache.

    ``api_key`` and ``email`` are secrets of a sort: the key goes to NCBI only; the e-mail
    goes to NCBI (its ``email`` parameter) and, as their etiquette asks, in the User-Agent
    to Europe PMC and Crossref.  Neither appears in a repr, a message, a log or a cache key.
    """

    eutils_url: str = DEFAULT_EUTILS_URL
    europepmc_url: str = DEFAULT_EUROPEPMC_URL
    crossref_url: str = DEFAULT_CROSSREF_URL
    api_key: str | None = field(default=None, repr=False)
    email: str | None = field(default=None, repr=False)
    cache_dir: Path | None = None
    cache_size_mb: int = 512
    fresh_days: float = 30.0
    timeout: float = 20.0
    max_attempts: int = 5
    backoff_initial: float = 0.5
    backoff_max: float = 30.0
    offline: bool = False
    refresh: bool = False
    style: str | None = None
    last_format: str | None = None
    # The reader's colour theme (a Textual theme name), remembered when the user picks one.
    theme: str | None = None
    # The config file these settings were read from, so remembered choices go back there.
    config_file: Path | None = None
    # The config file's [keys] table: binding id -> keys (tui/keymap.py applies it).
    keys: Mapping[str, str] | None = field(default=None, compare=False)

    @property
    def resolved_cache_dir(self) -> Path:
        return self.cache_dir if self.cache_dir is not None else default_cache_dir()

    @property
    def requests_per_second(self) -> float:
        """NCBI's published limit: 3 requests a second without an API key, 10 with one."""
        return 10.0 if self.api_key else 3.0

    def merged(self, values: Mapping[str, Any]) -> Settings:
        """A copy with the given non-None values applied (unknown names ignored)."""
        known = {f.name: f for f in fields(self)}
        changes: dict[str, Any] = {}
        for name, value in values.items():
            if value is None or name not in known:
                continue
            if name in ("cache_dir", "config_file"):
                value = Path(os.path.expanduser(str(value)))
            changes[name] = value
        return replace(self, **changes)


def read_config_file(path: Path) -> dict[str, Any]:
    """Read the TOML config; a missing file is empty, a broken one raises ValueError."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ValueError(f"cannot read config file {path}: {exc.strerror}") from exc
    import tomllib  # only when there is a file: a print's request leaves before its import

    try:
        parsed = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"config file {path} is not valid TOML: {exc}") from exc
    return {k.replace("-", "_"): v for k, v in parsed.items()}


def _checked(data: dict[str, Any], path: Path, warn: Callable[[str], None]) -> dict[str, Any]:
    """The file's values checked by the schema; with no file or an empty one there is
    nothing to check, so the start skips importing the schema (and msgspec)."""
    if not data:
        return {}
    from tui.data.config_schema import checked_config

    return checked_config(data, path, warn)


def warn_on_stderr(message: str) -> None:
    """Where config warnings go unless the caller says otherwise: one line on stderr."""
    print(f"pubterm: warning: {message}", file=sys.stderr)


def load_settings(
    overrides: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
    config_file: Path | None = None,
    warn: Callable[[str], None] = warn_on_stderr,
) -> Settings:
    """Defaults, then the config file, then the environment, then ``overrides`` (flags).

    The config file is checked against its schema (``tui.data.config_schema``): a value
    of the wrong kind raises ConfigError (a ValueError), an unknown key is warned about.
    """
    env = os.environ if environ is None else environ
    path = config_file or (Path(env["PUBTERM_CONFIG"]) if env.get("PUBTERM_CONFIG") else None)
    path = path or default_config_file()
    checked = _checked(read_config_file(path), path, warn)
    settings = Settings(config_file=path).merged(checked)
    from_env = {
        name: env.get(var) or None for name, var in ENVIRONMENT.items() if name != "config_file"
    }
    settings = settings.merged(from_env)
    return settings.merged(overrides or {})
