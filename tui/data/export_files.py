"""Writing export files: all or nothing, never over an earlier file, failures in words.

An export that says "Exported 212 BibTeX entries" must have 212 entries on disk.  So the
text goes to a hidden temporary file in the target folder, is flushed and fsynced, and
only then takes its final name; any failure on the way removes the temporary file and
ends as one :class:`ExportFileError` sentence.  The final name is taken with a hard
link, which fails rather than replaces when the name exists, so an earlier export (or a
file another program made meanwhile) is never overwritten.  Plain functions with no
Textual, so the reader and the search screen only ask and show the sentence.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tui.data.errors import PubtermError

TEMP_PREFIX = ".pubterm-export-"
TEMP_SUFFIX = ".part"
# Folders where hard links are not possible (some network and FAT file systems) say so
# with one of these; the final name is then taken by an exclusive create and a rename.
_NO_LINKS = frozenset({errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK, errno.EXDEV})
_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the folder is on a read-only file system",
    errno.EACCES: "pubterm may not write in that folder",
    errno.EPERM: "pubterm may not write in that folder",
    errno.EFBIG: "the file would be larger than this system allows",
    errno.EIO: "the disk reported an input/output error",
    errno.ENOTDIR: "part of the path is a file, not a folder",
    errno.EEXIST: "a file of that name is in the way",
    errno.ENAMETOOLONG: "the file name is too long",
}


class ExportFileError(PubtermError):
    """An export file could not be written; ``str`` is the sentence to show."""


@dataclass(frozen=True, slots=True)
class Written:
    """An export file that is complete on disk: where it is and its size in bytes."""

    path: Path
    size: int


def reason(error: OSError) -> str:
    """What an OS error means for an export, in words ("the disk is full")."""
    known = _REASONS.get(error.errno or 0)
    if known:
        return known
    return (error.strerror or str(error) or type(error).__name__).lower()


def download_dir() -> Path:
    """The user's download folder (``~/Downloads`` or the XDG setting), as Textual uses."""
    from platformdirs import user_downloads_path

    return user_downloads_path()


def free_filename(directory: Path, name: str) -> str:
    """``name``, or "name-2.ext", "name-3.ext"... so an earlier export is never overwritten.

    Any entry counts as taken, a dangling symlink too: writing through it would land the
    export wherever the link points.
    """
    path = Path(name)
    candidate, number = name, 1
    while os.path.lexists(directory / candidate):
        number += 1
        candidate = f"{path.stem}-{number}{path.suffix}"
    return candidate


def ensure_folder(directory: Path) -> None:
    """Make the target folder if needed; ExportFileError when it cannot exist."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportFileError(f"Could not create {directory}: {exc.strerror or exc}") from exc


def write_export(
    directory: Path,
    name: str,
    text: str,
    *,
    cancelled: Callable[[], bool] | None = None,
) -> Written | None:
    """Write ``text`` as a new file ``name`` (or "name-2"...) in ``directory``.

    Blocking (callers run it in a thread).  Returns the file written, or None when
    ``cancelled()`` turned true before the file took its name: nothing is left then.
    Raises ExportFileError, leaving no partial file, when any step fails.
    """
    data = text.encode("utf-8")
    temp: Path | None = None
    try:
        fd, temp = _new_temp(directory)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if cancelled is not None and cancelled():
            return None
        final = _take_name(temp, directory, name)
        temp = None  # it is the export now (or its link is), not a leftover
        _sync_folder(directory)
        size = final.stat().st_size
    except OSError as exc:
        raise ExportFileError(
            f"Could not write the export to {directory}: {reason(exc)}, so no file was saved"
        ) from exc
    finally:
        if temp is not None:
            _remove(temp)
    if size != len(data):
        _remove(final)
        raise ExportFileError(
            f"Could not write the export to {directory}: only {size} of {len(data)} bytes "
            "reached the disk, so no file was saved"
        )
    return Written(final, size)


def _new_temp(directory: Path) -> tuple[int, Path]:
    """A new hidden file in ``directory``, made with the user's usual permissions (umask)."""
    while True:
        temp = directory / f"{TEMP_PREFIX}{secrets.token_hex(6)}{TEMP_SUFFIX}"
        try:
            return os.open(temp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666), temp
        except FileExistsError:
            continue


def _take_name(temp: Path, directory: Path, name: str) -> Path:
    """Give the finished temporary file a free name, never replacing an existing file."""
    while True:
        final = directory / free_filename(directory, name)
        try:
            os.link(temp, final)
        except FileExistsError:
            continue  # taken between the look and the link: try the next number
        except OSError as exc:
            if exc.errno not in _NO_LINKS:
                raise
            if not _claim(final):
                continue
            try:
                os.replace(temp, final)  # onto the empty file this call just created
            except OSError:
                _remove(final)
                raise
            return final
        _remove(temp)
        return final


def _claim(final: Path) -> bool:
    """Create ``final`` empty and exclusively (False when the name was taken meanwhile)."""
    try:
        os.close(os.open(final, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
    except FileExistsError:
        return False
    return True


def _sync_folder(directory: Path) -> None:
    """Make the new name itself durable; best effort (not every system can open a folder)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _remove(path: Path) -> None:
    """Delete a file of pubterm's own making; one already gone (or stuck) is let be."""
    with contextlib.suppress(OSError):
        path.unlink()
