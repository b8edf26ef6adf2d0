"""The state database file: opening it, checking it, migrating it, and its transactions.

The file is opened in WAL mode: readers never wait for a writer, and every write
method is one transaction, durable when it returns (``synchronous=FULL``). A full
disk, a damaged file or a file that is not a crmflags state database raise
:class:`~crmflags.errors.InputError` naming the file and what to do.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import TypeVar

from crmflags.errors import InputError
from crmflags.sync.state.schema import is_current, upgrade

#: How long a write waits for another writer before giving up, in seconds.
BUSY_TIMEOUT = 30.0

#: The advice of every error about a damaged or lost state store.
BACKUP_ADVICE = (
    "restore it from your backup of it; or move it aside and sync with --new-state to start"
    " a new memory (the snoozes, acks and record of what crmflags wrote are then lost)"
)

_Store = TypeVar("_Store", bound="Database")


class Database:
    """The connection to a state database, which the parts of the store share.

    Opening creates the file (readable by its owner only) and its folder if needed and
    migrates an older schema. Use it as a context manager, or call :meth:`close`.
    """

    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path)
        self._db = self._connect()
        try:
            self._migrate()
        except sqlite3.DatabaseError as exc:
            self._db.close()
            self._raise_for(exc)
        except BaseException:
            self._db.close()
            raise

    def __enter__(self: _Store) -> _Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    # -- opening ---------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            _create_private(self.path)
        except OSError as exc:
            if exc.errno == errno.ENOSPC:
                raise self._full() from exc
            raise InputError(
                f"cannot create the state database: {exc.strerror}", str(self.path)
            ) from exc
        db = None
        try:
            db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT, isolation_level=None)
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = FULL")
            db.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error as exc:
            if db is not None:
                db.close()
            # SQLite reports a file that is not a database as a bare DatabaseError.
            if type(exc) is sqlite3.DatabaseError:
                message = (
                    "not a crmflags state database: it is not a SQLite file. If it is your"
                    f" state store, it is damaged: {BACKUP_ADVICE}"
                )
            elif _is_full(exc):
                raise self._full() from exc
            else:
                message = f"cannot open the state database: {exc}"
            raise InputError(message, str(self.path)) from exc
        return db

    def check_integrity(self) -> None:
        """Raise InputError, naming the file and what to do, unless the database is intact.

        Runs SQLite's ``PRAGMA integrity_check``, which reads the whole file: a sync
        calls it before it trusts the store's memory of a source.
        """
        try:
            problems = [row[0] for row in self._db.execute("PRAGMA integrity_check(5)")]
        except sqlite3.DatabaseError as exc:
            self._raise_for(exc)
        if problems != ["ok"]:
            found = "; ".join(" ".join(problem.split()) for problem in problems)
            raise InputError(
                f"the state database is damaged ({found}): {BACKUP_ADVICE}",
                str(self.path),
            )

    def _raise_for(self, exc: sqlite3.Error) -> None:
        """Raise what a failed SQLite call means: a full disk, a damaged file, or ``exc``."""
        if _is_full(exc):
            raise self._full() from exc
        if type(exc) is sqlite3.DatabaseError:  # "malformed", "not a database"
            raise InputError(
                f"the state database is damaged ({exc}): {BACKUP_ADVICE}", str(self.path)
            ) from exc
        raise exc

    def _full(self) -> InputError:
        """Return the error of a full disk, naming the disk and the file."""
        return InputError(
            f"the disk is full: the state database could not grow on {_disk_of(self.path)};"
            " free some space and run again (a run stopped here is finished by the next one,"
            " nothing is lost)",
            str(self.path),
        )

    def _migrate(self) -> None:
        if is_current(self._db):
            return
        with self._transaction() as db:
            upgrade(db, self.path)

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed if the block ends, rolled back if it raises.

        A full disk raises InputError naming the disk and the file: SQLite may have
        rolled the transaction back itself then, which must not hide the cause.
        """
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
                self._db.execute("COMMIT")
            except BaseException:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            self._raise_for(exc)

    def _run_source(self, run_id: int) -> tuple[str, bool]:
        row = self._db.execute("SELECT source, dry_run FROM runs WHERE id = ?", (run_id,))
        found = row.fetchone()
        if found is None:
            raise ValueError(f"no run {run_id} in the state database")
        return found[0], bool(found[1])


def _create_private(path: Path) -> None:
    """Create an empty database file readable by its owner only, unless it exists."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass


def timestamp() -> str:
    """Return now, in UTC to the second, as the ISO text the store keeps."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _is_full(exc: BaseException) -> bool:
    """Tell whether a SQLite error means the disk (or the database's size limit) is full."""
    return getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL or (
        "database or disk is full" in str(exc)
    )


def _disk_of(path: Path) -> str:
    """Name the disk a file is on: ``the disk mounted at /home (/dev/sda2, 3.1 GB free now)``."""
    folder = path.resolve().parent
    while not folder.is_dir() and folder != folder.parent:
        folder = folder.parent
    mount = folder
    while not os.path.ismount(mount) and mount != mount.parent:
        mount = mount.parent
    about = []
    try:
        with open("/proc/mounts", encoding="utf-8") as mounts:
            devices = [f[0] for f in map(str.split, mounts) if len(f) > 1 and f[1] == str(mount)]
        about += devices[-1:]  # the last mount there is the one in use
    except OSError:
        pass
    try:
        stats = os.statvfs(folder)
        about.append(f"{_size(stats.f_bavail * stats.f_frsize)} free now")
    except OSError:
        pass
    return f"the disk mounted at {mount}" + (f" ({', '.join(about)})" if about else "")


def _size(count: int) -> str:
    """Return a byte count as people read it: ``0 bytes``, ``512 KB``, ``3.2 GB``."""
    size, unit = float(count), "bytes"
    for bigger in ("KB", "MB", "GB", "TB"):
        if size < 1024:
            break
        size, unit = size / 1024, bigger
    return f"{size:.1f} {unit}" if unit != "bytes" and size < 10 else f"{size:.0f} {unit}"
