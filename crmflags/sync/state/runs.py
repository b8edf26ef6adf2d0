"""Runs, the results they recorded, and each client's score history."""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from crmflags.sync.state.database import Database, timestamp
from crmflags.sync.state.records import HistoryPoint, Result, ResultRow, Run


class RunsStore(Database):
    """The runs of a state store, their results and the score history."""

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
                    started_at.isoformat(timespec="seconds") if started_at else timestamp(),
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
                (timestamp(), json.dumps(dict(counts), sort_keys=True), exit_code, failed, run_id),
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
        at = timestamp()
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

    def last_sync(self, source: str) -> Run | None:
        """Return the newest run of a source that recorded results (a sync, not a revert)."""
        row = self._db.execute(
            "SELECT max(run_id) FROM score_history WHERE source = ?", (source,)
        ).fetchone()
        return self.run(row[0]) if row and row[0] is not None else None


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
