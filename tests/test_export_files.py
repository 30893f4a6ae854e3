"""Export files are written all or nothing, never over another file, failures in words."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tui.data import export_files
from tui.data.export_files import (
    ExportFileError,
    Written,
    ensure_folder,
    free_filename,
    write_export,
)

ROOT = Path(__file__).resolve().parent.parent
TEXT = "@misc{a,\n  note = {Ewing ET. 2020. The last pandemic}\n}\n" * 200
NAME = "pubterm-1-references.bib"


def listing(folder: Path) -> list[str]:
    """Every entry of the folder, hidden ones too."""
    return sorted(p.name for p in folder.iterdir())


def test_the_text_is_written_whole_under_its_name(tmp_path: Path) -> None:
    written = write_export(tmp_path, NAME, TEXT)
    assert written == Written(tmp_path / NAME, len(TEXT.encode()))
    assert (tmp_path / NAME).read_text(encoding="utf-8") == TEXT
    assert listing(tmp_path) == [NAME]  # no temporary file left beside it


def test_non_ascii_text_is_counted_in_bytes(tmp_path: Path) -> None:
    text = "@misc{b, note = {β-lactamase – Çelik}}\n"
    written = write_export(tmp_path, NAME, text)
    assert written is not None and written.size == len(text.encode("utf-8")) > len(text)
    assert written.path.read_text(encoding="utf-8") == text


def test_an_earlier_file_or_link_is_never_overwritten(tmp_path: Path) -> None:
    (tmp_path / NAME).write_text("earlier")
    (tmp_path / "pubterm-1-references-2.bib").symlink_to(tmp_path / "nowhere" / "x")
    written = write_export(tmp_path, NAME, TEXT)
    assert written is not None
    assert written.path == tmp_path / "pubterm-1-references-3.bib"
    assert (tmp_path / NAME).read_text() == "earlier"
    assert not (tmp_path / "nowhere").exists()  # nothing was written through the link


def test_a_name_taken_while_writing_is_not_overwritten(tmp_path: Path) -> None:
    # Another program creates the file between pubterm's look and its rename.
    def meanwhile() -> bool:
        (tmp_path / NAME).write_text("someone else's")
        return False

    written = write_export(tmp_path, NAME, TEXT, cancelled=meanwhile)
    assert written is not None and written.path.name == "pubterm-1-references-2.bib"
    assert (tmp_path / NAME).read_text() == "someone else's"
    assert written.path.read_text() == TEXT
    assert listing(tmp_path) == sorted([NAME, "pubterm-1-references-2.bib"])


def test_a_cancelled_write_leaves_nothing(tmp_path: Path) -> None:
    assert write_export(tmp_path, NAME, TEXT, cancelled=lambda: True) is None
    assert listing(tmp_path) == []


def test_a_failed_fsync_leaves_no_file_and_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(export_files.os, "fsync", full)
    with pytest.raises(ExportFileError) as caught:
        write_export(tmp_path, NAME, TEXT)
    assert str(caught.value) == (
        f"Could not write the export to {tmp_path}: the disk is full, so no file was saved"
    )
    assert listing(tmp_path) == []


def test_a_folder_without_hard_links_still_never_overwrites(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(src: object, dst: object) -> None:
        raise OSError(errno.EPERM, os.strerror(errno.EPERM))

    monkeypatch.setattr(export_files.os, "link", no_links)
    (tmp_path / NAME).write_text("earlier")
    written = write_export(tmp_path, NAME, TEXT)
    assert written is not None and written.path.name == "pubterm-1-references-2.bib"
    assert written.path.read_text() == TEXT and (tmp_path / NAME).read_text() == "earlier"
    assert listing(tmp_path) == sorted([NAME, "pubterm-1-references-2.bib"])


def test_a_file_larger_than_the_system_allows_leaves_nothing(tmp_path: Path) -> None:
    """A real write failure, no stand-in: the process may write files of 4 KB at most."""
    code = f"""
import resource, signal, sys
from pathlib import Path
from tui.data.export_files import ExportFileError, write_export
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
try:
    write_export(Path(sys.argv[1]), {NAME!r}, {TEXT!r})
except ExportFileError as exc:
    print(exc)
"""
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    assert len(TEXT) > 4096
    assert done.stdout.strip() == (
        f"Could not write the export to {tmp_path}: the file would be larger than this "
        "system allows, so no file was saved"
    )
    assert listing(tmp_path) == []


def test_a_folder_that_is_a_file_is_one_sentence(tmp_path: Path) -> None:
    blocker = tmp_path / "Downloads"
    blocker.write_text("a file, not a folder")
    with pytest.raises(ExportFileError) as caught:
        ensure_folder(blocker)
    assert str(caught.value) == f"Could not create {blocker}: File exists"
    with pytest.raises(ExportFileError) as caught:
        write_export(blocker, NAME, TEXT)
    assert str(caught.value) == (
        f"Could not write the export to {blocker}: part of the path is a file, not a "
        "folder, so no file was saved"
    )
    ensure_folder(tmp_path / "new" / "deeper")
    assert (tmp_path / "new" / "deeper").is_dir()


def test_free_names_count_up(tmp_path: Path) -> None:
    assert free_filename(tmp_path, NAME) == NAME
    (tmp_path / NAME).write_text("")
    assert free_filename(tmp_path, NAME) == "pubterm-1-references-2.bib"


def test_writing_exports_needs_no_textual() -> None:
    code = "import sys, tui.data.export_files; print('textual' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.strip() == "False"
