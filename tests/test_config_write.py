"""Remembering choices in the TOML config file without losing what the user wrote."""

from __future__ import annotations

import os
import stat
import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.data.config_write import ConfigWriteError, config_path, remember, toml_string
from tui.data.settings import default_config_file, load_settings

USER_CONFIG = """\
# pubterm settings
email = "me@example.org"   # sent to NCBI
last-format = "ris"
timeout = 12.5

[extra]
style = "kept in its table"
"""


def test_a_missing_file_is_created_with_the_values(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "config.toml"
    remember({"last_format": "bibtex", "style": "nature"}, path)
    assert tomllib.loads(path.read_text()) == {"last_format": "bibtex", "style": "nature"}
    settings = load_settings(environ={"PUBTERM_CONFIG": str(path)})
    assert (settings.last_format, settings.style) == ("bibtex", "nature")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_existing_keys_comments_tables_and_mode_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(USER_CONFIG)
    path.chmod(0o640)
    remember({"last_format": "medline", "style": "apa"}, path)
    text = path.read_text()
    assert text == USER_CONFIG.replace('last-format = "ris"', 'last_format = "medline"').replace(
        "timeout = 12.5\n", 'timeout = 12.5\nstyle = "apa"\n'
    )
    data = tomllib.loads(text)
    assert data["extra"] == {"style": "kept in its table"}
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["config.toml"]  # no temporary left over


def test_a_broken_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("email = \n")
    with pytest.raises(ConfigWriteError, match="not valid TOML"):
        remember({"last_format": "ris"}, path)
    assert path.read_text() == "email = \n"


def test_a_layout_that_cannot_be_edited_safely_is_refused(tmp_path: Path) -> None:
    # The key's line sits inside a multi-line string: replacing it would change the string.
    original = 'note = """\nstyle = "x"\n"""\n'
    path = tmp_path / "config.toml"
    path.write_text(original)
    with pytest.raises(ConfigWriteError, match="cannot edit safely"):
        remember({"style": "apa"}, path)
    assert path.read_text() == original


def test_the_path_follows_pubterm_config_then_the_platform(tmp_path: Path) -> None:
    chosen = tmp_path / "c.toml"
    assert config_path(environ={"PUBTERM_CONFIG": str(chosen)}) == chosen
    assert config_path(environ={}) == default_config_file()
    assert config_path(None) == Path(os.environ["PUBTERM_CONFIG"])


@given(st.text())
def test_any_string_round_trips(value: str) -> None:
    assert tomllib.loads(f"k = {toml_string(value)}") == {"k": value}


def test_a_symlinked_config_is_written_through_the_link(tmp_path: Path) -> None:
    """Dotfiles kept in a repository: the link stays a link, the file it names changes."""
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    real = dotfiles / "pubterm.toml"
    real.write_text(USER_CONFIG)
    real.chmod(0o640)
    (tmp_path / "config").mkdir()
    hop = tmp_path / "config" / "hop.toml"
    hop.symlink_to(Path("..") / "dotfiles" / "pubterm.toml")  # relative, and two links deep
    link = tmp_path / "config" / "config.toml"
    link.symlink_to(hop)
    remember({"last_format": "bibtex", "style": "nature"}, link)
    assert link.is_symlink() and hop.is_symlink()
    assert os.readlink(link) == str(hop)
    text = real.read_text()
    assert "# pubterm settings" in text and 'last_format = "bibtex"' in text
    assert tomllib.loads(text)["style"] == "nature"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert sorted(p.name for p in dotfiles.iterdir()) == ["pubterm.toml"]  # no temp left
    settings = load_settings(environ={}, config_file=link)
    assert (settings.last_format, settings.style) == ("bibtex", "nature")


def test_a_link_to_a_file_not_yet_made_creates_it_where_it_points(tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "pubterm.toml"
    real.parent.mkdir()
    link = tmp_path / "config.toml"
    link.symlink_to(real)
    remember({"last_format": "ris"}, link)
    assert link.is_symlink()
    assert tomllib.loads(real.read_text()) == {"last_format": "ris"}
