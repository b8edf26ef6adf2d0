"""One run at a time: an exclusive ``flock`` on a lock file, held for the whole run.

The lock belongs to the open file, not to the file's text: the operating system
releases it when the holder's process ends, however it ends (``kill -9``
included). A lock left by a dead process is therefore simply free, and the next
run takes it at once; the stale text that process left in the file is overwritten
by the new holder.

The file is never deleted, not even on release: deleting it would let a run lock a
new file while another still holds the old one. It must be on a local file system
(``flock`` on network file systems may not exclude other machines).
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from crmflags.errors import EXIT_LOCKED, CrmflagsError, InputError

#: The most of the lock file read to name its holder.
_MAX_HOLDER_TEXT = 4096


@dataclass(frozen=True)
class Holder:
    """Who holds a lock: process id, host name and when it took the lock (ISO 8601)."""

    pid: int
    host: str
    since: str

    def describe(self) -> str:
        """Return ``pid 1234 on host x since 2026-11-23T02:00:03+00:00``."""
        return f"pid {self.pid} on host {self.host} since {self.since}"


class LockHeld(CrmflagsError):
    """Another run holds the lock (exit 4); ``holder`` is None if it has not named itself yet."""

    exit_code = EXIT_LOCKED

    def __init__(self, path: Path, holder: Holder | None):
        self.path = path
        self.holder = holder
        who = holder.describe() if holder else "a process that has not written its name yet"
        super().__init__(f"another crmflags run holds the lock: {who} (lock file {path})")


class RunLock:
    """An exclusive, non-blocking lock on ``path``, as a context manager.

    Entering creates the file (and its folder) if missing, takes the lock at once or
    raises :class:`LockHeld` naming the holder, then writes this process's pid, host
    name and start time into the file. Leaving empties the file and releases the
    lock. Two ``RunLock`` objects on the same path exclude each other, in one
    process or in two. The lock is not passed on to child processes started with
    ``subprocess``.
    """

    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path)
        self._fd: int | None = None
        #: When this object took the lock (UTC, to the second), as the file says; None
        #: until it does. The run it guards is recorded with the same start time.
        self.since: datetime | None = None

    def __enter__(self) -> RunLock:
        self.acquire()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()

    def acquire(self) -> None:
        """Take the lock or raise :class:`LockHeld`; see the class documentation."""
        if self._fd is not None:
            raise RuntimeError(f"the lock {self.path} is already held by this object")
        fd = self._open()
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(fd)
            os.close(fd)
            raise LockHeld(self.path, holder) from None
        except OSError as exc:
            os.close(fd)
            raise InputError(f"cannot lock the file: {exc.strerror}", str(self.path)) from exc
        since = datetime.now(timezone.utc).replace(microsecond=0)
        try:
            _write_holder(fd, since)
        except BaseException:
            os.close(fd)
            raise
        self._fd, self.since = fd, since

    def release(self) -> None:
        """Empty the lock file and release the lock (nothing if not held)."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            os.ftruncate(fd, 0)
        finally:
            os.close(fd)

    def _open(self) -> int:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            return os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise InputError(
                f"cannot create the lock file: {exc.strerror}", str(self.path)
            ) from exc


def _write_holder(fd: int, since: datetime) -> None:
    """Replace the file's text with this process's pid, host name and ``since``."""
    holder = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "since": since.isoformat(timespec="seconds"),
    }
    os.ftruncate(fd, 0)
    os.pwrite(fd, (json.dumps(holder) + "\n").encode(), 0)


def _read_holder(fd: int) -> Holder | None:
    """Return the holder named in the file, or None if it is empty or unreadable."""
    try:
        data = json.loads(os.pread(fd, _MAX_HOLDER_TEXT, 0))
        return Holder(int(data["pid"]), str(data["host"]), str(data["since"]))
    except (OSError, ValueError, TypeError, KeyError):
        return None
