"""The audit of what runs write to a source, in two steps so a killed run loses nothing.

Writes to a source go through the audit in two steps: :meth:`AuditStore.plan_writes`
records *pending* rows before the source is touched, :meth:`AuditStore.settle_writes`
marks them once the source answered, and :meth:`AuditStore.resolve_unsettled` decides,
from what the source holds now, what became of the rows of a run that died in between.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from crmflags.sync.state.database import Database, timestamp
from crmflags.sync.state.records import (
    ABANDONED,
    APPLIED,
    FAILED,
    PENDING,
    SUPERSEDED,
    AuditRow,
    PlannedWrite,
)

#: Statuses of rows whose ``after`` did reach the source.
_WRITTEN = (APPLIED, SUPERSEDED)


class AuditStore(Database):
    """The audit rows of a state store: every value a run wrote or meant to write."""

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
        at = timestamp()
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
        at = timestamp()
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
                (ABANDONED, reason, timestamp(), run_id, PENDING),
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
        at = timestamp()
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


def _marks(values: tuple[str, ...]) -> str:
    return ", ".join("?" * len(values))


def _outcome(row: AuditRow, now: str | None) -> str:
    """Return what became of an unsettled write, given the field's current value."""
    if (now or "") == (row.after or ""):
        return APPLIED
    if (now or "") == (row.before or ""):
        return ABANDONED
    return SUPERSEDED
