"""The query history: newest last, at most 50, walked like a shell, kept in a file."""

from __future__ import annotations

import json
from pathlib import Path

from tui.data.search_history import HISTORY_LIMIT, QueryHistory, history_path


def test_add_keeps_one_copy_newest_last_and_saves(tmp_path: Path) -> None:
    path = history_path(tmp_path)
    history = QueryHistory.load(path)
    for query in ("tau", "ergothioneine", "  tau  ", ""):
        history.add(query)
    assert history.entries == ["ergothioneine", "tau"]
    assert json.loads(path.read_text(encoding="utf-8")) == {"queries": ["ergothioneine", "tau"]}
    assert QueryHistory.load(path).entries == ["ergothioneine", "tau"]


def test_only_the_last_fifty_are_kept(tmp_path: Path) -> None:
    history = QueryHistory.load(history_path(tmp_path))
    for n in range(HISTORY_LIMIT + 7):
        history.add(f"query {n}")
    again = QueryHistory.load(history_path(tmp_path))
    assert len(again.entries) == HISTORY_LIMIT == 50
    assert again.entries[0] == "query 7" and again.entries[-1] == f"query {HISTORY_LIMIT + 6}"


def test_older_and_newer_walk_and_give_the_draft_back() -> None:
    history = QueryHistory(["a", "b", "c"])
    assert history.newer() is None  # not walking
    assert [history.older("dra"), history.older(""), history.older(""), history.older("")] == [
        "c",
        "b",
        "a",
        None,
    ]
    assert history.newer() == "b"
    assert history.newer() == "c"
    assert history.newer() == "dra"
    assert not history.walking
    assert history.older("x") == "c"
    history.reset()
    assert history.older("y") == "c"


def test_an_empty_history_has_nothing_older() -> None:
    assert QueryHistory().older("typed") is None


def test_a_broken_or_foreign_file_is_an_empty_history(tmp_path: Path) -> None:
    path = history_path(tmp_path)
    for text in ("not json", '["a list"]', '{"queries": [1, "", "ok"]}'):
        path.write_text(text, encoding="utf-8")
        entries = QueryHistory.load(path).entries
        assert entries == ([] if "ok" not in text else ["ok"])


def test_an_unwritable_folder_costs_the_history_not_the_search(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    history = QueryHistory.load(blocker / "sub" / "history.json")
    history.add("tau")  # no exception
    assert history.entries == ["tau"]
    assert history.save() is False
