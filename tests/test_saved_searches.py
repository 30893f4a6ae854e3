"""Saved searches in the config file, and when each last ran, as plain functions."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tui.data.config_write import ConfigWriteError
from tui.data.saved_searches import LastRuns, new_sentence, read_saved, save_term, saved_terms


def test_saved_terms_skip_what_is_not_a_query() -> None:
    assert saved_terms({"saved_searches": ["a", " ", 3, "a", "b"]}) == ["a", "b"]
    assert saved_terms({"saved_searches": "a"}) == []
    assert saved_terms({}) == []


def test_save_term_appends_once_and_keeps_the_rest_of_the_file(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('# keep me\nemail = "me@example.org"\n', encoding="utf-8")
    assert save_term('tau AND "a b"[ti]', config) is True
    assert save_term("ergothioneine", config) is True
    assert save_term('tau AND "a b"[ti]', config) is False
    assert read_saved(config) == ['tau AND "a b"[ti]', "ergothioneine"]
    assert config.read_text(encoding="utf-8").startswith('# keep me\nemail = "me@example.org"\n')


def test_a_layout_that_cannot_be_edited_safely_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    text = 'saved_searches = [\n  "tau",\n]\n'
    config.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigWriteError):
        save_term("ergothioneine", config)
    assert config.read_text(encoding="utf-8") == text


def test_last_runs_survive_and_a_broken_file_is_empty(tmp_path: Path) -> None:
    runs = LastRuns.in_cache(tmp_path)
    assert runs.last_run("tau") is None
    runs.ran("tau", date(2026, 11, 20))
    assert LastRuns.in_cache(tmp_path).last_run("tau") == date(2026, 11, 20)
    runs.path.write_text("{not json", encoding="utf-8")
    assert LastRuns.in_cache(tmp_path).last_run("tau") is None


def test_new_sentence() -> None:
    since = date(2026, 11, 20)
    assert new_sentence(12, since) == "12 new since you last ran it (2026-11-20)"
    assert new_sentence(0, since) == "nothing new since you last ran it (2026-11-20)"
    assert new_sentence(None, since) == "counting new results…"
    assert new_sentence(None, None) == "not run yet"
