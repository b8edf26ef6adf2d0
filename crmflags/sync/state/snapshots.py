"""The last-read copy of every client of an incremental source, its cursor, and the
records its connector keeps between syncs (:mod:`.cache`)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime, timezone

from crmflags.record_cache import CacheChanges
from crmflags.sync.state.cache import StoredRecords, save_changes
from crmflags.sync.state.database import Database
from crmflags.sync.state.records import Snapshot


class SnapshotStore(Database):
    """The snapshots of a state store: where each incremental source was left."""

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

    def kept_records(self, source: str) -> StoredRecords:
        """Return the records a connector kept for a source (:mod:`.cache`)."""
        return StoredRecords(self._db, source)

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
                stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
                save_changes(db, source, records, stamp)
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
