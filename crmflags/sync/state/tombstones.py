"""Clients gone from a source: set aside, not erased, and given back if they return."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime, timezone

from crmflags.sync.state.database import Database, timestamp
from crmflags.sync.state.records import Snooze, Tombstone


class TombstoneStore(Database):
    """The tombstones of a state store: what is kept of clients gone from a source."""

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
        at = timestamp()
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
