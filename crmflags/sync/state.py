"""The memory of unattended syncs: one embedded SQLite file, no server.

The store keeps the runs (start, end, connector, ruleset, counts, exit code), each
client's last result, its score history, an audit row for every value written to a
source, and the snoozes and acks people set. Everything is keyed by a *source*
string the caller chooses (``csv:/abs/path``, ``hubspot:portal-123``), so one store
serves several sources.

Apart from the *snapshot* below, nothing but ids, names and risk values is stored:
client ids and names, scores, levels, tags, rule reasons, the risk field values
written, ruleset and connector names. Never a token or password; callers must not pass such things in.

For connectors that read incrementally (HubSpot, Pipedrive), the store also keeps a
snapshot: the last-read copy of every client of the source with its history (as
encoded by :mod:`crmflags.sync.snapshot`), and the connector's cursor. It is as private as
the CRM data it copies; the file is created readable by its owner only.

The file is opened in WAL mode: readers never wait for a writer, and every write
method is one transaction, durable when it returns (``synchronous=FULL``). The
schema version is ``PRAGMA user_version``; :data:`MIGRATIONS` brings a database from
any older version to the current one, each step inside the same transaction as the
version bump, so a later crmflags adds one function to the list.

A client gone from a source is *tombstoned*, not erased (:meth:`StateStore.forget_clients`):
its last result, snoozes and acks are set aside for a while and come back if the client
does (:meth:`StateStore.restore_clients`), so no single run can erase what people decided.

Writes to a source go through the audit in two steps, so a run killed at any moment
loses nothing: :meth:`StateStore.plan_writes` records *pending* rows before the
source is touched, :meth:`StateStore.settle_writes` marks them once the source
answered, and :meth:`StateStore.resolve_unsettled` decides, from what the source
holds now, what became of the rows of a run that died in between.
"""

from __future__ import annotations

import errno
import json
import os
import socket
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from crmflags.errors import InputError
from crmflags.record_cache import CacheChanges
from crmflags.sync import cache

#: Audit row statuses.
PENDING = "pending"  # planned, the source not yet answered (or the run died)
APPLIED = "applied"  # the source holds ``after``
FAILED = "failed"  # the source refused the write; ``reason`` says why
ABANDONED = "abandoned"  # the run died before the write reached the source
SUPERSEDED = "superseded"  # the run died after writing; the value was changed since
STATUSES = (PENDING, APPLIED, FAILED, ABANDONED, SUPERSEDED)

#: Statuses of rows whose ``after`` did reach the source.
_WRITTEN = (APPLIED, SUPERSEDED)

#: How long a write waits for another writer before giving up, in seconds.
BUSY_TIMEOUT = 30.0

#: One value to write: (client_id, field, before, after); None = the field was absent.
PlannedWrite = tuple[str, str, str | None, str | None]

#: One client's evaluation: (client_id, score, level, tags, reasons).
ResultRow = tuple[str, float, str, list[str], list[dict[str, Any]]]


def default_path() -> Path:
    """Return where the state database lives unless configured otherwise.

    ``$XDG_STATE_HOME/crmflags/state.db``, or ``~/.local/state/crmflags/state.db``
    when ``XDG_STATE_HOME`` is not set.
    """
    base = os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state"
    return Path(base) / "crmflags" / "state.db"


def _schema_1(db: sqlite3.Connection) -> None:
    """The first schema: runs, results, score history, audit, snoozes, acks."""
    statements = [
        """CREATE TABLE runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            source TEXT NOT NULL,
            connector TEXT NOT NULL,
            ruleset TEXT NOT NULL,
            as_of TEXT NOT NULL,
            dry_run INTEGER NOT NULL,
            pid INTEGER NOT NULL,
            host TEXT NOT NULL,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            counts TEXT NOT NULL DEFAULT '{}',
            exit_code INTEGER
        )""",
        "CREATE INDEX runs_by_source ON runs (source, id)",
        """CREATE TABLE results (
            source TEXT NOT NULL,
            client_id TEXT NOT NULL,
            run_id INTEGER NOT NULL REFERENCES runs (id),
            score REAL NOT NULL,
            level TEXT NOT NULL,
            tags TEXT NOT NULL,
            reasons TEXT NOT NULL,
            PRIMARY KEY (source, client_id)
        )""",
        """CREATE TABLE score_history (
            run_id INTEGER NOT NULL REFERENCES runs (id),
            source TEXT NOT NULL,
            client_id TEXT NOT NULL,
            at TEXT NOT NULL,
            score REAL NOT NULL,
            level TEXT NOT NULL,
            tags TEXT NOT NULL,
            PRIMARY KEY (run_id, client_id)
        )""",
        "CREATE INDEX score_history_by_client ON score_history (source, client_id, run_id)",
        f"""CREATE TABLE audit (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            run_id INTEGER NOT NULL REFERENCES runs (id),
            source TEXT NOT NULL,
            client_id TEXT NOT NULL,
            field TEXT NOT NULL,
            before TEXT,
            after TEXT,
            status TEXT NOT NULL CHECK (status IN ({", ".join(map(repr, STATUSES))})),
            reason TEXT,
            planned_at TEXT NOT NULL,
            settled_at TEXT
        )""",
        "CREATE INDEX audit_by_run ON audit (run_id)",
        "CREATE INDEX audit_by_value ON audit (source, client_id, field, status)",
        "CREATE INDEX audit_by_status ON audit (source, status)",
        """CREATE TABLE snoozes (
            source TEXT NOT NULL,
            client_id TEXT NOT NULL,
            tag TEXT NOT NULL,
            until TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (source, client_id, tag)
        )""",
        """CREATE TABLE acks (
            source TEXT NOT NULL,
            client_id TEXT NOT NULL,
            tag TEXT NOT NULL,
            evidence_key TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (source, client_id, tag)
        )""",
    ]
    for statement in statements:
        db.execute(statement)


def _run_failures_2(db: sqlite3.Connection) -> None:
    """Version 2: each run keeps the clients that failed, with their reasons."""
    db.execute("ALTER TABLE runs ADD COLUMN failures TEXT NOT NULL DEFAULT '[]'")


def _snapshots_3(db: sqlite3.Connection) -> None:
    """Version 3: the last-read copy of each client, and the cursor, of incremental sources.

    Also each client's name (for reports of a recorded run), and an index for settling
    a run's writes client by client (a 10,000-client first sync settled 50,000 audit
    rows in two minutes without it).
    """
    db.execute(
        """CREATE TABLE client_names (
            source TEXT NOT NULL,
            client_id TEXT NOT NULL,
            name TEXT NOT NULL,
            PRIMARY KEY (source, client_id)
        )"""
    )
    db.execute("CREATE INDEX audit_by_run_client ON audit (run_id, client_id, status)")
    db.execute(
        """CREATE TABLE snapshots (
            source TEXT PRIMARY KEY,
            cursor TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            full_read_at TEXT NOT NULL,
            again TEXT NOT NULL DEFAULT '[]'
        )"""
    )
    db.execute(
        """CREATE TABLE snapshot_clients (
            source TEXT NOT NULL,
            client_id TEXT NOT NULL,
            data TEXT NOT NULL,
            PRIMARY KEY (source, client_id)
        )"""
    )


def _what_runs_left_4(db: sqlite3.Connection) -> None:
    """Version 4: what each run left alone and why, and the hand edits people keep.

    ``drift``: each risk field a run found edited by a person (kept or not), with the
    source's value, crmflags' last write and what it wanted; ``quieted``: each tag a
    snooze or ack took out of a run's results; ``keeps``: the edits ``crmflags keep``
    accepted, each for the value crmflags wanted when it was kept.
    """
    db.execute(
        """CREATE TABLE drift (
            run_id INTEGER NOT NULL REFERENCES runs (id),
            source TEXT NOT NULL,
            client_id TEXT NOT NULL,
            field TEXT NOT NULL,
            ours TEXT,
            theirs TEXT,
            wanted TEXT NOT NULL,
            kept INTEGER NOT NULL,
            PRIMARY KEY (run_id, client_id, field)
        )"""
    )
    db.execute(
        """CREATE TABLE quieted (
            run_id INTEGER NOT NULL REFERENCES runs (id),
            source TEXT NOT NULL,
            client_id TEXT NOT NULL,
            tag TEXT NOT NULL,
            why TEXT NOT NULL,
            until TEXT,
            every_tag INTEGER NOT NULL,
            set_at TEXT,
            messages TEXT NOT NULL,
            PRIMARY KEY (run_id, client_id, tag)
        )"""
    )
    db.execute(
        """CREATE TABLE keeps (
            source TEXT NOT NULL,
            client_id TEXT NOT NULL,
            field TEXT NOT NULL,
            value TEXT,
            wanted TEXT NOT NULL,
            run_id INTEGER NOT NULL REFERENCES runs (id),
            created_at TEXT NOT NULL,
            PRIMARY KEY (source, client_id, field)
        )"""
    )


def _tombstones_5(db: sqlite3.Connection) -> None:
    """Version 5: what is kept of clients gone from a source, to give back if they return."""
    db.execute(
        """CREATE TABLE tombstones (
            source TEXT NOT NULL,
            client_id TEXT NOT NULL,
            removed_at TEXT NOT NULL,
            result TEXT,
            snoozes TEXT NOT NULL DEFAULT '[]',
            acks TEXT NOT NULL DEFAULT '[]',
            PRIMARY KEY (source, client_id)
        )"""
    )


#: Schema migrations, in order: entry *n* brings version *n* to *n + 1*. Append only.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _schema_1,
    _run_failures_2,
    _snapshots_3,
    _what_runs_left_4,
    _tombstones_5,
    cache.create_tables,  # 6: the records connectors keep between syncs
]

#: The advice of every error about a damaged or lost state store.
BACKUP_ADVICE = (
    "restore it from your backup of it; or move it aside and sync with --new-state to start"
    " a new memory (the snoozes, acks and record of what crmflags wrote are then lost)"
)

#: In ``snoozes.tag``, the snooze of every tag of a client (a key column cannot be NULL).
_EVERY_TAG = ""


@dataclass(frozen=True)
class Run:
    """One sync run. ``finished_at`` and ``exit_code`` are None while it runs or if it died."""

    id: int
    source: str
    connector: str
    ruleset: str
    as_of: date
    dry_run: bool
    pid: int
    host: str
    started_at: datetime
    finished_at: datetime | None
    counts: dict[str, int]
    exit_code: int | None
    failures: list[tuple[str | None, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Result:
    """A client's last evaluation, from run ``run_id``."""

    client_id: str
    run_id: int
    score: float
    level: str
    tags: list[str]
    reasons: list[dict[str, Any]]


@dataclass(frozen=True)
class HistoryPoint:
    """A client's score at one run (``at``: when it was recorded; ``as_of``: the run's day)."""

    run_id: int
    at: datetime
    as_of: date
    score: float
    level: str
    tags: list[str]


@dataclass(frozen=True)
class AuditRow:
    """One value written (or meant to be written) to a source by a run.

    ``before`` and ``after`` are the field's text before and after; None means the
    field was absent. ``status`` is one of :data:`STATUSES`; ``reason`` says why a
    write failed.
    """

    id: int
    run_id: int
    source: str
    client_id: str
    field: str
    before: str | None
    after: str | None
    status: str
    reason: str | None


@dataclass(frozen=True)
class Snapshot:
    """Where an incremental source was left: the connector's cursor and what to read again.

    ``fingerprint`` identifies the connector settings and snapshot encoding the copies
    were made with (a change means a full read); ``again`` names the clients whose
    last read failed.
    """

    cursor: str
    fingerprint: str
    full_read_at: datetime
    again: list[str]


@dataclass(frozen=True)
class DriftRow:
    """A risk field a run found changed by a person: the source's value (``theirs``),
    crmflags' last write (``ours``), what it wanted to write, and whether it is kept."""

    client_id: str
    field: str
    ours: str | None
    theirs: str | None
    wanted: str
    kept: bool = False


@dataclass(frozen=True)
class QuietedTag:
    """A tag a snooze or an ack took out of a run's results.

    ``why`` is ``snoozed`` (in force before ``until``; ``every_tag`` when the snooze
    was of every tag of the client) or ``acknowledged`` (until its evidence changes);
    ``set_at`` is when the person set it, ``messages`` the reasons it hid.
    """

    client_id: str
    tag: str
    why: str
    until: date | None = None
    every_tag: bool = False
    set_at: datetime | None = None
    messages: tuple[str, ...] = ()


@dataclass(frozen=True)
class Keep:
    """A person's value of a risk field kept by ``crmflags keep`` (run ``run_id``), while
    crmflags' evaluation still wants ``wanted`` there."""

    client_id: str
    field: str
    value: str | None
    wanted: str
    run_id: int
    created_at: datetime


@dataclass(frozen=True)
class Tombstone:
    """What is kept of a client gone from a source since ``removed_at``.

    ``level`` is its last level (None if it had no result); ``snoozes`` and ``acks``
    (tag → evidence key) are the human decisions that come back with the client.
    """

    client_id: str
    removed_at: datetime
    level: str | None
    snoozes: list[Snooze]
    acks: dict[str, str]


@dataclass(frozen=True)
class Snooze:
    """A snooze of one tag of a client (``tag`` None: every tag), in force before ``until``."""

    client_id: str
    tag: str | None
    until: date
    created_at: datetime


class StateStore:
    """The state database of crmflags (see the module documentation).

    Opening creates the file (readable by its owner only) and its folder if needed and
    migrates an older schema. A file that is not a crmflags state database, or one
    written by a newer crmflags, raises :class:`~crmflags.errors.InputError`.
    Use it as a context manager, or call :meth:`close`.
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

    def __enter__(self) -> StateStore:
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
        target = len(MIGRATIONS)
        if self._version() == target:
            return
        with self._transaction() as db:
            version = self._version()
            if version > target:
                raise InputError(
                    f"the state database was written by a newer crmflags (schema version "
                    f"{version}; this crmflags knows up to {target}): upgrade crmflags",
                    str(self.path),
                )
            if version == 0 and db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                raise InputError(
                    "not a crmflags state database: it holds other tables", str(self.path)
                )
            for number in range(version, target):
                MIGRATIONS[number](db)
                db.execute(f"PRAGMA user_version = {number + 1}")

    def _version(self) -> int:
        return self._db.execute("PRAGMA user_version").fetchone()[0]

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

    # -- runs ------------------------------------------------------------------

    def start_run(
        self,
        source: str,
        connector: str,
        ruleset: str,
        as_of: date,
        dry_run: bool,
        started_at: datetime | None = None,
    ) -> int:
        """Record the start of a run (this process's pid and host) and return its id.

        ``started_at`` is when the run began, e.g. when it took the run lock (default:
        now), so that ``crmflags runs`` shows the moment the lock file showed.
        """
        with self._transaction() as db:
            cursor = db.execute(
                "INSERT INTO runs (source, connector, ruleset, as_of, dry_run, pid, host,"
                " started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    source,
                    connector,
                    ruleset,
                    as_of.isoformat(),
                    int(dry_run),
                    os.getpid(),
                    socket.gethostname(),
                    started_at.isoformat(timespec="seconds") if started_at else _now(),
                ),
            )
        return cursor.lastrowid  # type: ignore[return-value]  # set by the INSERT

    def finish_run(
        self,
        run_id: int,
        counts: Mapping[str, int],
        exit_code: int,
        failures: Iterable[tuple[str | None, str]] = (),
    ) -> None:
        """Record the end of a run: now, its counts (``{"changed": 3, ...}``), exit code,
        and the clients that failed, as (client_id, reason)."""
        failed = json.dumps([{"client_id": cid, "reason": reason} for cid, reason in failures])
        with self._transaction() as db:
            cursor = db.execute(
                "UPDATE runs SET finished_at = ?, counts = ?, exit_code = ?, failures = ?"
                " WHERE id = ?",
                (_now(), json.dumps(dict(counts), sort_keys=True), exit_code, failed, run_id),
            )
            if cursor.rowcount == 0:
                raise ValueError(f"no run {run_id} in the state database")

    def runs(self, source: str | None = None, limit: int = 20) -> list[Run]:
        """Return the last ``limit`` runs, newest first (of one source, or of all)."""
        where, params = ("WHERE source = ?", (source,)) if source is not None else ("", ())
        rows = self._db.execute(
            "SELECT id, source, connector, ruleset, as_of, dry_run, pid, host, started_at,"
            f" finished_at, counts, exit_code, failures FROM runs {where} ORDER BY id DESC LIMIT ?",
            (*params, limit),
        )
        return [_run(row) for row in rows]

    def run(self, run_id: int) -> Run | None:
        """Return the run ``run_id``, or None when the store has no such run."""
        row = self._db.execute(
            "SELECT id, source, connector, ruleset, as_of, dry_run, pid, host, started_at,"
            " finished_at, counts, exit_code, failures FROM runs WHERE id = ?",
            (run_id,),
        ).fetchone()
        return _run(row) if row else None

    # -- results ---------------------------------------------------------------

    def sources(self, connector: str | None = None) -> list[str]:
        """Return the sources with runs (of ``connector`` only, if given), latest run first."""
        rows = self._db.execute(
            "SELECT source, max(id) AS latest FROM runs"
            + (" WHERE connector = ?" if connector else "")
            + " GROUP BY source ORDER BY latest DESC",
            (connector,) if connector else (),
        )
        return [source for source, _ in rows]

    def record_results(self, run_id: int, results: Iterable[ResultRow]) -> None:
        """Keep each client's result as its last one and add it to its score history.

        ``results`` holds ``(client_id, score, level, tags, reasons)``; reasons are
        JSON-able dicts (rule, tag, weight, message, evidence, advice). The source is
        the run's. Recording a client twice in one run keeps the later result.
        """
        source, _ = self._run_source(run_id)
        at = _now()
        with self._transaction() as db:
            for client_id, score, level, tags, reasons in results:
                tags_text = json.dumps(list(tags))
                db.execute(
                    "INSERT OR REPLACE INTO results (source, client_id, run_id, score, level,"
                    " tags, reasons) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (source, client_id, run_id, score, level, tags_text, json.dumps(reasons)),
                )
                db.execute(
                    "INSERT OR REPLACE INTO score_history (run_id, source, client_id, at,"
                    " score, level, tags) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (run_id, source, client_id, at, score, level, tags_text),
                )

    def record_names(self, source: str, names: Mapping[str, str]) -> None:
        """Keep the name of each client (client id → name) of a source, replacing old ones."""
        with self._transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO client_names (source, client_id, name) VALUES (?, ?, ?)",
                [(source, client_id, name) for client_id, name in names.items()],
            )

    def client_names(self, source: str) -> dict[str, str]:
        """Return the last known name of every client of a source, by client id."""
        rows = self._db.execute(
            "SELECT client_id, name FROM client_names WHERE source = ?", (source,)
        )
        return dict(rows.fetchall())

    def last_results(self, source: str) -> dict[str, Result]:
        """Return the last recorded result of every client of a source."""
        rows = self._db.execute(
            "SELECT client_id, run_id, score, level, tags, reasons FROM results WHERE source = ?",
            (source,),
        )
        return {
            client_id: Result(client_id, run_id, score, level, json.loads(tags), json.loads(why))
            for client_id, run_id, score, level, tags, why in rows
        }

    def histories(self, source: str) -> dict[str, list[HistoryPoint]]:
        """Return the score history of every client a source ever recorded, oldest first.

        Clients gone from the source are included: their history ends at their last run.
        """
        rows = self._db.execute(
            "SELECT h.client_id, h.run_id, h.at, r.as_of, h.score, h.level, h.tags"
            " FROM score_history h JOIN runs r ON r.id = h.run_id WHERE h.source = ?"
            " ORDER BY h.run_id",
            (source,),
        )
        found: dict[str, list[HistoryPoint]] = {}
        for client_id, *point in rows:
            found.setdefault(client_id, []).append(_history_point(*point))
        return found

    def history(self, source: str, client_id: str) -> list[HistoryPoint]:
        """Return a client's score at every run that recorded it, oldest first."""
        rows = self._db.execute(
            "SELECT h.run_id, h.at, r.as_of, h.score, h.level, h.tags FROM score_history h"
            " JOIN runs r ON r.id = h.run_id WHERE h.source = ? AND h.client_id = ?"
            " ORDER BY h.run_id",
            (source, client_id),
        )
        return [_history_point(*row) for row in rows]

    # -- writes and their audit ------------------------------------------------

    def plan_writes(self, run_id: int, rows: Iterable[PlannedWrite]) -> None:
        """Record the values a run is about to write, as pending audit rows.

        Call it, and let it return, BEFORE touching the source: once it returns the
        rows are on disk, so a run killed during the write leaves a trace that
        :meth:`resolve_unsettled` can sort out. ``rows`` holds
        ``(client_id, field, before, after)``. A dry run writes nothing and is refused.
        """
        source, dry_run = self._run_source(run_id)
        if dry_run:
            raise ValueError(f"run {run_id} is a dry run: it writes nothing")
        at = _now()
        with self._transaction() as db:
            db.executemany(
                "INSERT INTO audit (run_id, source, client_id, field, before, after, status,"
                " planned_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (run_id, source, client_id, field, before, after, PENDING, at)
                    for client_id, field, before, after in rows
                ],
            )

    def settle_writes(self, run_id: int, applied: Iterable[str], failed: Mapping[str, str]) -> None:
        """Mark a run's pending rows once the source answered, AFTER the write returned.

        Rows of the clients in ``applied`` become applied; those in ``failed``
        (client id → reason) failed. Rows of a client in neither stay pending: their
        outcome is unknown, and :meth:`resolve_unsettled` decides it on the next run.
        """
        applied = set(applied)
        both = applied & failed.keys()
        if both:
            raise ValueError(f"clients both applied and failed: {', '.join(sorted(both))}")
        at = _now()
        pending = "WHERE run_id = ? AND client_id = ? AND status = ?"
        with self._transaction() as db:
            db.executemany(
                f"UPDATE audit SET status = ?, settled_at = ? {pending}",
                [(APPLIED, at, run_id, client_id, PENDING) for client_id in applied],
            )
            db.executemany(
                f"UPDATE audit SET status = ?, reason = ?, settled_at = ? {pending}",
                [(FAILED, why, at, run_id, client, PENDING) for client, why in failed.items()],
            )

    def discard_pending(self, run_id: int) -> None:
        """Delete a run's pending rows: its write was refused before anything was sent.

        For a connector that raised InputError (e.g. its setup is missing), which by
        contract writes nothing: the run then shows only its error.
        """
        with self._transaction() as db:
            db.execute("DELETE FROM audit WHERE run_id = ? AND status = ?", (run_id, PENDING))

    def abandon_pending(self, run_id: int, reason: str) -> int:
        """Mark a run's pending rows abandoned: the source is known not to have them.

        For a write that stopped part way (the source's quota ran out), so that
        ``crmflags runs N`` shows what was not written and why. Returns how many rows
        it marked.
        """
        with self._transaction() as db:
            cursor = db.execute(
                "UPDATE audit SET status = ?, reason = ?, settled_at = ?"
                " WHERE run_id = ? AND status = ?",
                (ABANDONED, reason, _now(), run_id, PENDING),
            )
        return cursor.rowcount

    def last_written(self, source: str) -> dict[str, dict[str, str | None]]:
        """Return what crmflags last wrote to each client's fields, for drift detection.

        For every client and field, the ``after`` of the newest row that reached the
        source (applied or superseded); pending, failed and abandoned rows do not
        count. A current value that differs from it was changed by someone else.
        Resolve unsettled rows first, or a write of a killed run is missed.
        """
        # SQLite takes the bare columns of an aggregate query from the row with the max.
        rows = self._db.execute(
            "SELECT client_id, field, after, max(id) FROM audit WHERE source = ?"
            f" AND status IN ({_marks(_WRITTEN)}) GROUP BY client_id, field",
            (source, *_WRITTEN),
        )
        written: dict[str, dict[str, str | None]] = {}
        for client_id, name, after, _ in rows:
            written.setdefault(client_id, {})[name] = after
        return written

    def unsettled(self, source: str) -> list[AuditRow]:
        """Return the pending audit rows of a source, oldest first.

        Outside a run these come from runs that died between :meth:`plan_writes` and
        :meth:`settle_writes`, or whose outcome the connector did not report. Call it
        at the start of a run, while holding the run lock, before planning anything.
        """
        return self._audit_rows("source = ? AND status = ?", (source, PENDING))

    def resolve_unsettled(
        self, source: str, current: Mapping[str, Mapping[str, str | None]]
    ) -> list[AuditRow]:
        """Decide what became of the pending rows of a source, from what it holds now.

        ``current`` maps each client id read from the source to its risk field values
        (a missing field or None: absent, which equals an empty value). A row whose
        field now holds ``after`` is applied; one that holds ``before`` is abandoned
        (the write never happened: the next run writes it again); anything else is
        superseded (written, then changed). A client missing from ``current`` stays
        pending. Returns the rows resolved, with their new status, oldest first.
        """
        at = _now()
        resolved = []
        with self._transaction() as db:
            for row in self.unsettled(source):
                if row.client_id in current:
                    now = current[row.client_id].get(row.field)
                    resolved.append(replace(row, status=_outcome(row, now)))
            db.executemany(
                "UPDATE audit SET status = ?, settled_at = ? WHERE id = ?",
                [(row.status, at, row.id) for row in resolved],
            )
        return resolved

    def audit(self, run_id: int) -> list[AuditRow]:
        """Return every audit row of a run, in the order they were planned."""
        return self._audit_rows("run_id = ?", (run_id,))

    def _audit_rows(self, where: str, params: tuple[Any, ...]) -> list[AuditRow]:
        rows = self._db.execute(
            "SELECT id, run_id, source, client_id, field, before, after, status, reason"
            f" FROM audit WHERE {where} ORDER BY id",
            params,
        )
        return [AuditRow(*row) for row in rows]

    # -- snapshots of incremental sources --------------------------------------

    def snapshot(self, source: str) -> Snapshot | None:
        """Return where the last incremental-capable read of a source left off; None if never."""
        row = self._db.execute(
            "SELECT cursor, fingerprint, full_read_at, again FROM snapshots WHERE source = ?",
            (source,),
        ).fetchone()
        if row is None:
            return None
        cursor, fingerprint, full_read_at, again = row
        return Snapshot(
            cursor, fingerprint, datetime.fromisoformat(full_read_at), json.loads(again)
        )

    def snapshot_clients(self, source: str) -> Iterator[tuple[str, str]]:
        """Yield ``(client_id, data)`` of every client copy kept for a source."""
        yield from self._db.execute(
            "SELECT client_id, data FROM snapshot_clients WHERE source = ?", (source,)
        )

    def kept_records(self, source: str) -> cache.StoredRecords:
        """Return the records a connector kept for a source (:mod:`crmflags.sync.cache`)."""
        return cache.StoredRecords(self._db, source)

    def save_snapshot(
        self,
        source: str,
        snapshot: Snapshot,
        clients: Mapping[str, str],
        removed: Iterable[str] = (),
        replace_all: bool = False,
        records: CacheChanges | None = None,
    ) -> None:
        """Store a read's client copies and cursor in one transaction.

        ``clients`` maps client ids to encoded copies, replacing those kept; the copies
        of ``removed`` are dropped; ``replace_all`` (a full read) drops every copy not
        in ``clients`` first; ``records`` are the changes to the connector's record
        cache. Call it once the run's writes are settled, so that a run that dies
        earlier reads the same changes again, with the cache it had.
        """
        with self._transaction() as db:
            if records is not None:
                cache.save_changes(db, source, records, _now())
            if replace_all:
                db.execute("DELETE FROM snapshot_clients WHERE source = ?", (source,))
            db.executemany(
                "DELETE FROM snapshot_clients WHERE source = ? AND client_id = ?",
                [(source, client_id) for client_id in removed],
            )
            db.executemany(
                "INSERT OR REPLACE INTO snapshot_clients (source, client_id, data)"
                " VALUES (?, ?, ?)",
                [(source, client_id, data) for client_id, data in clients.items()],
            )
            db.execute(
                "INSERT OR REPLACE INTO snapshots (source, cursor, fingerprint, full_read_at,"
                " again) VALUES (?, ?, ?, ?, ?)",
                (
                    source,
                    snapshot.cursor,
                    snapshot.fingerprint,
                    snapshot.full_read_at.isoformat(timespec="seconds"),
                    json.dumps(sorted(snapshot.again)),
                ),
            )

    def forget_clients(self, source: str, client_ids: Iterable[str]) -> int:
        """Tombstone clients gone from a source: set aside their last results, snoozes and
        acks; drop their kept edits.

        They stop counting (no last result, no snooze or ack in force) but are kept in
        a tombstone until :meth:`restore_clients` gives them back or
        :meth:`purge_tombstones` ends them. Their snapshot copies are dropped; their
        names, score history and audit rows stay (what was written must stay revertible
        and explainable, and a report can say who left). Returns how many clients had a
        last result.
        """
        ids = [(source, client_id) for client_id in client_ids]
        at = _now()
        with self._transaction() as db:
            dropped = 0
            for key in ids:
                result = db.execute(
                    "SELECT run_id, score, level, tags, reasons FROM results"
                    " WHERE source = ? AND client_id = ?",
                    key,
                ).fetchone()
                snoozes = db.execute(
                    "SELECT tag, until, created_at FROM snoozes WHERE source = ? AND client_id = ?",
                    key,
                ).fetchall()
                acks = db.execute(
                    "SELECT tag, evidence_key, created_at FROM acks"
                    " WHERE source = ? AND client_id = ?",
                    key,
                ).fetchall()
                dropped += result is not None
                if result is not None or snoozes or acks:
                    db.execute(
                        "INSERT OR REPLACE INTO tombstones (source, client_id, removed_at,"
                        " result, snoozes, acks) VALUES (?, ?, ?, ?, ?, ?)",
                        (*key, at, json.dumps(result), json.dumps(snoozes), json.dumps(acks)),
                    )
            for table in ("results", "snoozes", "acks", "snapshot_clients", "keeps"):
                db.executemany(f"DELETE FROM {table} WHERE source = ? AND client_id = ?", ids)
        return dropped

    def restore_clients(self, source: str, client_ids: Iterable[str]) -> list[str]:
        """Give clients back to a source from their tombstones: last result, snoozes, acks.

        For clients read again after they were gone. A snooze or ack set since (on the
        returned client) wins over the kept one. Returns the ids restored, in order.
        """
        restored = []
        with self._transaction() as db:
            for client_id in client_ids:
                row = db.execute(
                    "SELECT result, snoozes, acks FROM tombstones"
                    " WHERE source = ? AND client_id = ?",
                    (source, client_id),
                ).fetchone()
                if row is None:
                    continue
                result, snoozes, acks = (json.loads(text) for text in row)
                if result is not None:
                    # The run it came from may have been pruned since: then only the
                    # decisions come back.
                    db.execute(
                        "INSERT OR IGNORE INTO results (source, client_id, run_id, score, level,"
                        " tags, reasons) SELECT ?, ?, ?, ?, ?, ?, ? WHERE EXISTS"
                        " (SELECT 1 FROM runs WHERE id = ?)",
                        (source, client_id, *result, result[0]),
                    )
                db.executemany(
                    "INSERT OR IGNORE INTO snoozes (source, client_id, tag, until, created_at)"
                    " VALUES (?, ?, ?, ?, ?)",
                    [(source, client_id, *snooze) for snooze in snoozes],
                )
                db.executemany(
                    "INSERT OR IGNORE INTO acks (source, client_id, tag, evidence_key,"
                    " created_at) VALUES (?, ?, ?, ?, ?)",
                    [(source, client_id, *ack) for ack in acks],
                )
                db.execute(
                    "DELETE FROM tombstones WHERE source = ? AND client_id = ?",
                    (source, client_id),
                )
                restored.append(client_id)
        return restored

    def tombstones(self, source: str) -> dict[str, Tombstone]:
        """Return what is kept of every client gone from a source, by client id."""
        rows = self._db.execute(
            "SELECT client_id, removed_at, result, snoozes, acks FROM tombstones"
            " WHERE source = ? ORDER BY client_id",
            (source,),
        )
        kept = {}
        for client_id, removed_at, result, snoozes, acks in rows:
            result = json.loads(result)
            kept[client_id] = Tombstone(
                client_id,
                datetime.fromisoformat(removed_at),
                result[2] if result else None,
                [
                    Snooze(
                        client_id,
                        tag or None,
                        date.fromisoformat(until),
                        datetime.fromisoformat(at),
                    )
                    for tag, until, at in json.loads(snoozes)
                ],
                {tag: key for tag, key, _ in json.loads(acks)},
            )
        return kept

    def purge_tombstones(self, source: str, before: datetime) -> int:
        """End the tombstones of a source made before ``before``; return how many."""
        with self._transaction() as db:
            cursor = db.execute(
                "DELETE FROM tombstones WHERE source = ? AND removed_at < ?",
                (source, before.astimezone(timezone.utc).isoformat(timespec="seconds")),
            )
        return cursor.rowcount

    # -- what a run left alone: drift, quieted tags, kept edits ---------------

    def record_left_alone(
        self, run_id: int, drift: Iterable[DriftRow], quieted: Iterable[QuietedTag]
    ) -> None:
        """Keep the drift a run found and the tags snoozes and acks took out of it."""
        source, _ = self._run_source(run_id)
        with self._transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO drift (run_id, source, client_id, field, ours, theirs,"
                " wanted, kept) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (run_id, source, d.client_id, d.field, d.ours, d.theirs, d.wanted, d.kept)
                    for d in drift
                ],
            )
            db.executemany(
                "INSERT OR REPLACE INTO quieted (run_id, source, client_id, tag, why, until,"
                " every_tag, set_at, messages) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        run_id,
                        source,
                        q.client_id,
                        q.tag,
                        q.why,
                        q.until.isoformat() if q.until else None,
                        q.every_tag,
                        q.set_at.isoformat(timespec="seconds") if q.set_at else None,
                        json.dumps(list(q.messages), ensure_ascii=False),
                    )
                    for q in quieted
                ],
            )

    def drift(self, run_id: int) -> list[DriftRow]:
        """Return the drift run ``run_id`` found, by client and field."""
        rows = self._db.execute(
            "SELECT client_id, field, ours, theirs, wanted, kept FROM drift WHERE run_id = ?"
            " ORDER BY client_id, field",
            (run_id,),
        )
        return [
            DriftRow(client, name, ours, theirs, wanted, kept=bool(kept))
            for client, name, ours, theirs, wanted, kept in rows
        ]

    def quieted(self, run_id: int) -> list[QuietedTag]:
        """Return the tags snoozes and acks took out of run ``run_id``, by client and tag."""
        rows = self._db.execute(
            "SELECT client_id, tag, why, until, every_tag, set_at, messages FROM quieted"
            " WHERE run_id = ? ORDER BY client_id, tag",
            (run_id,),
        )
        return [
            QuietedTag(
                client,
                tag,
                why,
                date.fromisoformat(until) if until else None,
                bool(every),
                datetime.fromisoformat(set_at) if set_at else None,
                tuple(json.loads(messages)),
            )
            for client, tag, why, until, every, set_at, messages in rows
        ]

    def describe_quieted(
        self, source: str, as_of: date, taken: Iterable[tuple[str, str, str, Iterable[str]]]
    ) -> list[QuietedTag]:
        """Return ``(client_id, tag, why, messages)`` of tags taken out on day ``as_of`` with
        the snooze or ack that took each: its end, whether it was of every tag, when set."""
        snoozes = {(s.client_id, s.tag): s for s in self.snoozes(source) if s.until > as_of}
        rows = self._db.execute(
            "SELECT client_id, tag, created_at FROM acks WHERE source = ?", (source,)
        )
        acked = {(client, tag): datetime.fromisoformat(at) for client, tag, at in rows}
        described = []
        for client_id, tag, why, messages in taken:
            if why == "snoozed":
                snooze = snoozes.get((client_id, tag)) or snoozes.get((client_id, None))
                described.append(
                    QuietedTag(
                        client_id,
                        tag,
                        why,
                        snooze.until if snooze else None,
                        bool(snooze and snooze.tag is None),
                        snooze.created_at if snooze else None,
                        tuple(messages),
                    )
                )
            else:
                set_at = acked.get((client_id, tag))
                described.append(
                    QuietedTag(client_id, tag, why, set_at=set_at, messages=tuple(messages))
                )
        return described

    def last_sync(self, source: str) -> Run | None:
        """Return the newest run of a source that recorded results (a sync, not a revert)."""
        row = self._db.execute(
            "SELECT max(run_id) FROM score_history WHERE source = ?", (source,)
        ).fetchone()
        return self.run(row[0]) if row and row[0] is not None else None

    def keep(self, run_id: int, rows: Iterable[DriftRow]) -> None:
        """Keep people's values of drifted fields (run ``run_id`` records the decision);
        each holds while crmflags wants the ``wanted`` of its row and the source keeps
        the value. A new keep of the same field replaces the old one."""
        source, _ = self._run_source(run_id)
        at = _now()
        with self._transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO keeps (source, client_id, field, value, wanted, run_id,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(source, d.client_id, d.field, d.theirs, d.wanted, run_id, at) for d in rows],
            )

    def keeps(self, source: str) -> dict[tuple[str, str], Keep]:
        """Return every kept edit of a source, by (client id, field)."""
        rows = self._db.execute(
            "SELECT client_id, field, value, wanted, run_id, created_at FROM keeps"
            " WHERE source = ?",
            (source,),
        )
        return {
            (client, name): Keep(client, name, value, wanted, run_id, datetime.fromisoformat(at))
            for client, name, value, wanted, run_id, at in rows
        }

    def keeps_of_run(self, run_id: int) -> list[Keep]:
        """Return the edits run ``run_id`` (a ``crmflags keep``) kept that still hold."""
        source, _ = self._run_source(run_id)
        return [k for k in self.keeps(source).values() if k.run_id == run_id]

    def unkeep(self, source: str, client_id: str, fields: Iterable[str] | None = None) -> int:
        """Stop keeping a client's edits (those of ``fields``, or all); return how many."""
        with self._transaction() as db:
            if fields is None:
                cursor = db.execute(
                    "DELETE FROM keeps WHERE source = ? AND client_id = ?", (source, client_id)
                )
                return cursor.rowcount
            before = db.total_changes
            db.executemany(
                "DELETE FROM keeps WHERE source = ? AND client_id = ? AND field = ?",
                [(source, client_id, name) for name in fields],
            )
            return db.total_changes - before

    # -- snoozes and acks ------------------------------------------------------

    def snooze(self, source: str, client_id: str, tag: str | None, until: date) -> None:
        """Keep a client's tag (None: every tag) from being raised before ``until``.

        The snooze is in force while a run's as-of day is before ``until``; on that
        day the tag is raised again. A new snooze of the same tag replaces the old one.
        """
        with self._transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO snoozes (source, client_id, tag, until, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (source, client_id, tag or _EVERY_TAG, until.isoformat(), _now()),
            )

    def unsnooze(self, source: str, client_id: str, tag: str | None) -> bool:
        """Remove the snooze of a client's tag (None: the every-tag snooze); False if none."""
        with self._transaction() as db:
            cursor = db.execute(
                "DELETE FROM snoozes WHERE source = ? AND client_id = ? AND tag = ?",
                (source, client_id, tag or _EVERY_TAG),
            )
        return cursor.rowcount > 0

    def snoozes(self, source: str) -> list[Snooze]:
        """Return every snooze of a source, expired ones included, by client and tag."""
        rows = self._db.execute(
            "SELECT client_id, tag, until, created_at FROM snoozes WHERE source = ?"
            " ORDER BY client_id, tag",
            (source,),
        )
        return [
            Snooze(client, tag or None, date.fromisoformat(until), datetime.fromisoformat(at))
            for client, tag, until, at in rows
        ]

    def snoozed(self, source: str, as_of: date) -> dict[str, set[str | None]]:
        """Return the tags snoozed on day ``as_of``, per client (None in a set: every tag)."""
        rows = self._db.execute(
            "SELECT client_id, tag FROM snoozes WHERE source = ? AND until > ?",
            (source, as_of.isoformat()),
        )
        snoozed: dict[str, set[str | None]] = {}
        for client_id, tag in rows:
            snoozed.setdefault(client_id, set()).add(tag or None)
        return snoozed

    def ack(self, source: str, client_id: str, tag: str, evidence_key: str) -> None:
        """Acknowledge a client's tag for the evidence hashed as ``evidence_key``.

        The caller keeps the tag from being raised again while its evidence hashes to
        the same key. A new ack of the same tag replaces the old one.
        """
        with self._transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO acks (source, client_id, tag, evidence_key, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (source, client_id, tag, evidence_key, _now()),
            )

    def unack(self, source: str, client_id: str, tag: str) -> bool:
        """Remove the ack of a client's tag; False if there was none."""
        with self._transaction() as db:
            cursor = db.execute(
                "DELETE FROM acks WHERE source = ? AND client_id = ? AND tag = ?",
                (source, client_id, tag),
            )
        return cursor.rowcount > 0

    def acks(self, source: str) -> dict[tuple[str, str], str]:
        """Return the evidence key of every ack of a source, by (client id, tag)."""
        rows = self._db.execute(
            "SELECT client_id, tag, evidence_key FROM acks WHERE source = ?", (source,)
        )
        return {(client_id, tag): key for client_id, tag, key in rows}


def _create_private(path: Path) -> None:
    """Create an empty database file readable by its owner only, unless it exists."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass


def _history_point(
    run_id: int, at: str, as_of: str, score: float, level: str, tags: str
) -> HistoryPoint:
    """Return a score_history row (joined with its run's as-of day) as a HistoryPoint."""
    return HistoryPoint(
        run_id,
        datetime.fromisoformat(at),
        date.fromisoformat(as_of),
        score,
        level,
        json.loads(tags),
    )


def _now() -> str:
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


def _marks(values: tuple[str, ...]) -> str:
    return ", ".join("?" * len(values))


def _run(row: tuple[Any, ...]) -> Run:
    run_id, source, connector, ruleset, as_of, dry_run, pid, host, started, finished = row[:10]
    return Run(
        run_id,
        source,
        connector,
        ruleset,
        date.fromisoformat(as_of),
        bool(dry_run),
        pid,
        host,
        datetime.fromisoformat(started),
        datetime.fromisoformat(finished) if finished else None,
        counts=json.loads(row[10]),
        exit_code=row[11],
        failures=[(f["client_id"], f["reason"]) for f in json.loads(row[12])],
    )


def _outcome(row: AuditRow, now: str | None) -> str:
    """Return what became of an unsettled write, given the field's current value."""
    if (now or "") == (row.after or ""):
        return APPLIED
    if (now or "") == (row.before or ""):
        return ABANDONED
    return SUPERSEDED
