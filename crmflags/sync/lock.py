"""One run at a time: an exclusive ``flock`` on a lock file, held for the whole run.

The lock belongs to the open file, not to the file's text: the operating system
releases it when the holder's process ends, however it ends (``kill -9``
included). A lock left by a dead process is therefore simply free, and the next
run takes it at once; the stale text that process left in the file is overwritten
by the new holder.

The file is never deleted, not even on release: deleting it would let a run lock a
new file while another still holds the old one. It must be on a local file system
(``flock`` on network file systems may not exclude other machines).

A lock may carry a *deadline* (a sync's start plus ``max_run_minutes``). A holder still
alive past it is stuck (a server that never finishes its answer, a hung disk): a run
allowed to (``end_stuck``) ends that process, when it is on this machine and provably
the one holding the lock, and takes the lock. That is safe because a run may be killed
at any moment: the next one settles what it left.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import signal
import socket
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from crmflags.errors import EXIT_LOCKED, CrmflagsError, InputError

log = logging.getLogger("crmflags")

#: The most of the lock file read to name its holder.
_MAX_HOLDER_TEXT = 4096
#: Seconds a stuck holder gets to end after SIGTERM, then after SIGKILL.
END_GRACE = (10.0, 5.0)


@dataclass(frozen=True)
class Holder:
    """Who holds a lock: process id, host name, when it took the lock and its deadline
    (ISO 8601; None when the lock has none)."""

    pid: int
    host: str
    since: str
    deadline: str | None = None

    def overdue(self, now: datetime | None = None) -> bool:
        """Tell whether the holder is past its deadline (stuck)."""
        if self.deadline is None:
            return False
        try:
            deadline = datetime.fromisoformat(self.deadline)
        except ValueError:
            return False
        return (now or datetime.now(timezone.utc)) > deadline

    def describe(self) -> str:
        """Return ``pid 1234 on host x since 2026-11-23T02:00:03+00:00`` (and its deadline
        when it is past it)."""
        text = f"pid {self.pid} on host {self.host} since {self.since}"
        if self.overdue():
            text += f", stuck: past its deadline {self.deadline}"
        return text


class LockHeld(CrmflagsError):
    """Another run holds the lock (exit 4); ``holder`` is None if it has not named itself yet."""

    exit_code = EXIT_LOCKED

    def __init__(self, path: Path, holder: Holder | None):
        self.path = path
        self.holder = holder
        who = holder.describe() if holder else "a process that has not written its name yet"
        message = f"another crmflags run holds the lock: {who} (lock file {path})"
        if holder and holder.overdue():
            message += (
                f"; end it on host {holder.host} (kill {holder.pid}): a run is safe to end at"
                " any point, the next one finishes its work"
            )
        super().__init__(message)


class RunLock:
    """An exclusive, non-blocking lock on ``path``, as a context manager.

    Entering creates the file (and its folder) if missing, takes the lock at once or
    raises :class:`LockHeld` naming the holder, then writes this process's pid, host
    name and start time into the file. Leaving empties the file and releases the
    lock. Two ``RunLock`` objects on the same path exclude each other, in one
    process or in two. The lock is not passed on to child processes started with
    ``subprocess``.

    ``max_run`` gives the lock a deadline (written into the file); with ``end_stuck``,
    a holder past its own deadline is ended and the lock taken (module documentation).
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        max_run: timedelta | None = None,
        end_stuck: bool = False,
    ):
        self.path = Path(path)
        self.max_run = max_run
        self.end_stuck = end_stuck
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
            if not _try_lock(fd):
                holder = _read_holder(fd)
                if not (self.end_stuck and holder and holder.overdue() and _end(holder, fd)):
                    os.close(fd)
                    raise LockHeld(self.path, holder)
        except OSError as exc:
            os.close(fd)
            raise InputError(f"cannot lock the file: {exc.strerror}", str(self.path)) from exc
        since = datetime.now(timezone.utc).replace(microsecond=0)
        try:
            _write_holder(fd, since, self.max_run)
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


def _write_holder(fd: int, since: datetime, max_run: timedelta | None = None) -> None:
    """Replace the file's text with this process's pid, host name and ``since``, and the
    deadline ``max_run`` after ``since`` if given."""
    holder = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "since": since.isoformat(timespec="seconds"),
    }
    if max_run is not None:
        holder["deadline"] = (since + max_run).isoformat(timespec="seconds")
    os.ftruncate(fd, 0)
    os.pwrite(fd, (json.dumps(holder) + "\n").encode(), 0)


def _read_holder(fd: int) -> Holder | None:
    """Return the holder named in the file, or None if it is empty or unreadable."""
    try:
        data = json.loads(os.pread(fd, _MAX_HOLDER_TEXT, 0))
        deadline = data.get("deadline")
        return Holder(
            int(data["pid"]),
            str(data["host"]),
            str(data["since"]),
            str(deadline) if deadline is not None else None,
        )
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def lock_holder(path: str | os.PathLike[str]) -> Holder | None:
    """Return who the lock file at ``path`` names as its holder (None: nobody, or unknown).

    Reads the file only; whether the lock is really held, only taking it tells.
    """
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        return _read_holder(fd)
    finally:
        os.close(fd)


def _try_lock(fd: int) -> bool:
    """Take the lock of ``fd`` if it is free; tell whether it was."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _end(holder: Holder, fd: int) -> bool:
    """End a stuck holder and take the lock of ``fd``; False when that cannot be done safely.

    Only a process on this machine that has this very lock file open is ended: first
    with SIGTERM, then SIGKILL (:data:`END_GRACE`).
    """
    if holder.host != socket.gethostname() or holder.pid == os.getpid():
        return False
    if not _has_open(holder.pid, os.fstat(fd)):
        return False
    log.warning("ending the stuck run %s: it holds the lock past its deadline", holder.describe())
    for sig, grace in zip((signal.SIGTERM, signal.SIGKILL), END_GRACE, strict=True):
        try:
            os.kill(holder.pid, sig)
        except ProcessLookupError:
            pass
        waited = time.monotonic() + grace
        while time.monotonic() < waited:
            if _try_lock(fd):
                return True
            time.sleep(0.05)
    return _try_lock(fd)


def _has_open(pid: int, lock: os.stat_result) -> bool:
    """Tell whether process ``pid`` has the file ``lock`` open (Linux /proc; else False)."""
    folder = Path(f"/proc/{pid}/fd")
    try:
        entries = list(folder.iterdir())
    except OSError:
        return False
    for entry in entries:
        try:
            found = entry.stat()
        except OSError:
            continue
        if (found.st_dev, found.st_ino) == (lock.st_dev, lock.st_ino):
            return True
    return False
