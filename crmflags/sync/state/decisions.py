"""What people decided and what runs left alone because of it.

Snoozes and acks keep tags from being raised; keeps accept a person's edit of a risk
field; each run records the drift it found and the tags the decisions took out.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime

from crmflags.sync.state.database import Database, timestamp
from crmflags.sync.state.records import DriftRow, Keep, QuietedTag, Snooze

#: In ``snoozes.tag``, the snooze of every tag of a client (a key column cannot be NULL).
_EVERY_TAG = ""


class DecisionStore(Database):
    """The decisions of a state store: snoozes, acks and keeps, and what runs left alone."""

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

    def keep(self, run_id: int, rows: Iterable[DriftRow]) -> None:
        """Keep people's values of drifted fields (run ``run_id`` records the decision);
        each holds while crmflags wants the ``wanted`` of its row and the source keeps
        the value. A new keep of the same field replaces the old one."""
        source, _ = self._run_source(run_id)
        at = timestamp()
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
                (source, client_id, tag or _EVERY_TAG, until.isoformat(), timestamp()),
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
                (source, client_id, tag, evidence_key, timestamp()),
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
