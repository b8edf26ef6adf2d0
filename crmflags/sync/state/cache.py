"""The record caches of connectors (:mod:`crmflags.record_cache`) in the state store.

Table ``record_cache`` (:mod:`.schema`, version 6) holds, per source, each record a connector keeps: its kind, id,
version, group and data (JSON), with an index to find records by group. Table
``record_caches`` names the sources whose cache is *complete*: filled by a full read
and kept up since. A run's changes are written by :func:`save_changes` inside the
transaction that saves the snapshot and cursor, so the cache never runs ahead of, or
behind, the cursor the next run starts from.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator

from crmflags.record_cache import CacheChanges, CachedRecord

#: How many ids one ``IN (...)`` query asks for (below SQLite's variable limit).
CHUNK = 500


class StoredRecords:
    """The records the last finished sync of ``source`` kept (read lazily, never written)."""

    def __init__(self, db: sqlite3.Connection, source: str) -> None:
        self._db = db
        self._source = source
        row = db.execute("SELECT 1 FROM record_caches WHERE source = ?", (source,)).fetchone()
        #: Whether a full read filled the cache and every run since kept it up.
        self.complete = row is not None

    def get(self, kind: str, ids: list[str]) -> dict[str, CachedRecord]:
        """Return the kept records of ``kind`` among ``ids``, by id."""
        return dict(self._select(kind, "record_id", ids))

    def in_groups(self, kind: str, groups: list[str]) -> dict[str, CachedRecord]:
        """Return the kept records of ``kind`` whose group is one of ``groups``, by id."""
        return dict(self._select(kind, "grp", groups))

    def _select(
        self, kind: str, column: str, values: list[str]
    ) -> Iterator[tuple[str, CachedRecord]]:
        for start in range(0, len(values), CHUNK):
            chunk = values[start : start + CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                "SELECT record_id, version, data, grp FROM record_cache"
                f" WHERE source = ? AND kind = ? AND {column} IN ({marks})",
                (self._source, kind, *chunk),
            )
            for record_id, version, data, group in rows:
                yield record_id, CachedRecord(record_id, version, json.loads(data), group)


def save_changes(db: sqlite3.Connection, source: str, changes: CacheChanges, at: str) -> None:
    """Write a run's cache changes for ``source`` (inside the caller's transaction).

    A cleared cache drops every record of the source first and is complete from ``at``.
    """
    if changes.cleared:
        db.execute("DELETE FROM record_cache WHERE source = ?", (source,))
        db.execute(
            "INSERT OR REPLACE INTO record_caches (source, complete_since) VALUES (?, ?)",
            (source, at),
        )
    db.executemany(
        "DELETE FROM record_cache WHERE source = ? AND kind = ? AND record_id = ?",
        [(source, kind, i) for (kind, i), record in changes.records.items() if record is None],
    )
    db.executemany(
        "INSERT OR REPLACE INTO record_cache (source, kind, record_id, version, grp, data)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [
            (
                source,
                kind,
                i,
                record.version,
                record.group,
                json.dumps(record.data, ensure_ascii=False, separators=(",", ":")),
            )
            for (kind, i), record in changes.records.items()
            if record is not None
        ],
    )
