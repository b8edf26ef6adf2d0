"""Replace a file atomically: readers and crashes see the old file or the new one, never half."""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Callable
from pathlib import Path


def write_atomic(
    path: str | os.PathLike, data: bytes, before_replace: Callable[[], None] | None = None
) -> None:
    """Replace the file at ``path`` with ``data``, atomically.

    The bytes go to a temporary file in the same folder, which is flushed, synced to
    disk and then renamed over ``path``. ``before_replace``, if given, is called right
    before the rename: raising there (e.g. because someone else changed the file) writes
    nothing. An existing file keeps its permission bits;
    a new one gets the usual ones (0666 less the umask). A symbolic link is followed,
    so the file it points to is replaced. On any failure the temporary file is
    removed, the old file is left untouched, and the error is raised.
    """
    target = Path(os.path.realpath(path))
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mode = None
    temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(
        temp,
        os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
        0o600 if mode is not None else 0o666,
    )
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if mode is not None:
            os.chmod(temp, mode)
        if before_replace is not None:
            before_replace()
        os.replace(temp, target)
    except BaseException:
        try:
            os.unlink(temp)
        except FileNotFoundError:
            pass
        raise
    _sync_folder(target.parent)


def _sync_folder(folder: Path) -> None:
    """Make the rename durable where the system allows syncing a folder (not on Windows)."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder; the rename itself is done
    finally:
        os.close(fd)


def remove_leftovers(path: str | os.PathLike) -> list[Path]:
    """Delete temporary files a killed :func:`write_atomic` of ``path`` left behind.

    Call it only while no other process can be writing ``path`` (crmflags holds its run
    lock during a sync). Returns the files removed.
    """
    target = Path(os.path.realpath(path))
    removed = []
    for leftover in target.parent.glob(f".{target.name}.*.tmp"):
        try:
            leftover.unlink()
        except FileNotFoundError:
            continue
        removed.append(leftover)
    return removed
