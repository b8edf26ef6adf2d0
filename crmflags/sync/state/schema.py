"""The state database's tables and the migrations that bring an older file up to date.

The schema version is ``PRAGMA user_version``; :data:`MIGRATIONS` brings a database from
any older version to the current one. The store runs each step inside the same
transaction as the version bump, so a later crmflags adds one function to the list.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from crmflags.errors import InputError
from crmflags.sync.state.records import STATUSES


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


def _record_cache_6(db: sqlite3.Connection) -> None:
    """Version 6: the records connectors keep between syncs (:mod:`.cache`), and which
    sources' caches are complete (filled by a full read and kept up since)."""
    db.execute(
        """CREATE TABLE record_cache (
            source TEXT NOT NULL,
            kind TEXT NOT NULL,
            record_id TEXT NOT NULL,
            version TEXT NOT NULL,
            grp TEXT NOT NULL DEFAULT '',
            data TEXT NOT NULL,
            PRIMARY KEY (source, kind, record_id)
        )"""
    )
    db.execute("CREATE INDEX record_cache_by_group ON record_cache (source, kind, grp)")
    db.execute(
        """CREATE TABLE record_caches (
            source TEXT PRIMARY KEY,
            complete_since TEXT NOT NULL
        )"""
    )


#: Schema migrations, in order: entry *n* brings version *n* to *n + 1*. Append only.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _schema_1,
    _run_failures_2,
    _snapshots_3,
    _what_runs_left_4,
    _tombstones_5,
    _record_cache_6,
]


def is_current(db: sqlite3.Connection) -> bool:
    """Tell whether a database is at the schema version of this crmflags."""
    return _version(db) == len(MIGRATIONS)


def upgrade(db: sqlite3.Connection, path: Path) -> None:
    """Bring a database to the current schema, inside the caller's write transaction.

    Each step runs with its version bump. A database of a newer crmflags, or a SQLite
    file holding other tables, raises InputError naming ``path``.
    """
    target = len(MIGRATIONS)
    version = _version(db)
    if version > target:
        raise InputError(
            f"the state database was written by a newer crmflags (schema version "
            f"{version}; this crmflags knows up to {target}): upgrade crmflags",
            str(path),
        )
    if version == 0 and db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
        raise InputError("not a crmflags state database: it holds other tables", str(path))
    for number in range(version, target):
        MIGRATIONS[number](db)
        db.execute(f"PRAGMA user_version = {number + 1}")


def _version(db: sqlite3.Connection) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]
