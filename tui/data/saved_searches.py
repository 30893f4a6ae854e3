"""Saved searches: PubMed queries kept in the config file, with what is new since each ran.

A saved search is the esearch term itself, filters included (``ergothioneine AND
review[pt]``), as PubMed's own saved searches are: a person can read and edit the list
in the config file (``saved_searches = [...]``), and the same term pasted into PubMed's
web page finds the same papers.  When each was last run is state, not configuration, so
it lives in a small JSON file next to the cache; "12 new since you last ran it" is one
esearch with ``datetype=edat&mindate=<last run>`` (``Search.count_new``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from tui.data.config_write import remember
from tui.data.settings import read_config_file

CONFIG_KEY = "saved_searches"
RUNS_FILE = "saved-search-runs-v1.json"


def saved_terms(config: Mapping[str, Any]) -> list[str]:
    """The saved searches of a parsed config file, in order, blanks and non-strings skipped."""
    value = config.get(CONFIG_KEY)
    if not isinstance(value, list):
        return []
    return list(dict.fromkeys(v.strip() for v in value if isinstance(v, str) and v.strip()))


def read_saved(path: Path) -> list[str]:
    """The saved searches in the config file at ``path`` (none when it is missing or broken)."""
    try:
        return saved_terms(read_config_file(path))
    except ValueError:
        return []


def save_term(term: str, path: Path) -> bool:
    """Add ``term`` to the config file's saved searches; False when it was there already.

    Raises ConfigWriteError (the file is left untouched) when it cannot be edited safely.
    """
    terms = read_saved(path)
    if term in terms:
        return False
    remember({CONFIG_KEY: [*terms, term]}, path)
    return True


class LastRuns:
    """When each saved search was last run, kept in ``saved-search-runs-v1.json``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._runs: dict[str, str] = {}
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = None
        if isinstance(data, dict):
            self._runs = {k: v for k, v in data.items() if isinstance(v, str)}

    @classmethod
    def in_cache(cls, cache_dir: Path) -> LastRuns:
        return cls(cache_dir / RUNS_FILE)

    def last_run(self, term: str) -> date | None:
        try:
            return date.fromisoformat(self._runs[term])
        except (KeyError, ValueError):
            return None

    def ran(self, term: str, on: date | None = None) -> None:
        """Record a run (today by default); a file that cannot be written costs nothing."""
        self._runs[term] = (on or date.today()).isoformat()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(json.dumps(self._runs, indent=0), encoding="utf-8")
        except OSError:
            pass


def new_sentence(count: int | None, since: date | None) -> str:
    """'12 new since you last ran it (2026-11-20)', or why there is no count."""
    if since is None:
        return "not run yet"
    if count is None:
        return "counting new results…"
    when = since.isoformat()
    if count == 0:
        return f"nothing new since you last ran it ({when})"
    return f"{count:,} new since you last ran it ({when})"
