"""What the risk report shows, gathered from an evaluation or from the state store.

Two ways in, one shape out (:class:`Report`):

- :func:`from_evaluation`: clients evaluated just now; their history and the previous
  run come from the state store when there is one.
- :func:`from_store`: the last recorded run of a source, with the client names the
  store keeps.

Every value a CRM provided (names, reasons, note snippets) stays plain text here; the
template escapes it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from crmflags.errors import InputError
from crmflags.evaluation.evaluate import Evaluation
from crmflags.sync.changes import Stored, as_given, plan_changes
from crmflags.sync.run import Quieted, reasons_json, split_kept
from crmflags.sync.state import StateStore
from crmflags.sync.state.records import DriftRow, HistoryPoint, QuietedTag, Run
from crmflags.tags import LEVELS

#: Points of a client's score history drawn, the newest ones.
MAX_HISTORY = 60

#: Levels whose clients get a card of their own, worst first.
ATTENTION_LEVELS = ("fire", "warning")


@dataclass(frozen=True)
class Point:
    """A client's score at one run; ``run_id`` None is the evaluation shown, not recorded."""

    run_id: int | None
    as_of: date
    score: float
    level: str
    tags: tuple[str, ...] = ()


@dataclass
class ClientRow:
    """One client as the report shows it: now, over time, and at the previous run."""

    id: str
    name: str | None
    score: float
    level: str
    tags: list[str]
    reasons: list[dict[str, Any]]
    history: list[Point] = field(default_factory=list)
    before: Point | None = None


@dataclass(frozen=True)
class Change:
    """How a client differs from the previous run.

    ``kind`` is ``new`` (not in the previous run), ``gone`` (in the previous run,
    not now), ``worse`` or ``better`` (level up or down) or ``tags`` (same level,
    other tags).
    """

    client_id: str
    name: str | None
    kind: str
    before: Point | None
    now: Point | None
    added: tuple[str, ...]
    removed: tuple[str, ...]


@dataclass
class Report:
    """Everything the page shows. ``run`` is the run shown (None: evaluated now)."""

    source: str
    ruleset: str
    as_of: date
    run: Run | None
    evaluated_at: datetime | None
    previous_run: Run | None
    clients: list[ClientRow]
    failures: list[tuple[str | None, str]]
    changes: list[Change]
    #: Tags snoozes and acks took out of the results, with until when and by what.
    quieted: list[QuietedTag] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    #: Risk fields a person edited in the source, which the sync left as they are.
    drift: list[DriftRow] = field(default_factory=list)

    @property
    def level_counts(self) -> dict[str, int]:
        """Return how many clients are at each level, best level first."""
        counts = dict.fromkeys(LEVELS, 0)
        for client in self.clients:
            counts[client.level] += 1
        return counts

    @property
    def tag_counts(self) -> list[tuple[str, int]]:
        """Return each tag raised and how many clients have it, most common first."""
        counts = Counter(tag for client in self.clients for tag in client.tags)
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))

    @property
    def attention(self) -> list[ClientRow]:
        """Return the clients at fire and warning, worst first."""
        return [c for c in self.clients if c.level in ATTENTION_LEVELS]

    def quieted_of(self, client_id: str) -> list[QuietedTag]:
        """Return the snoozed and acknowledged tags of one client."""
        return [q for q in self.quieted if q.client_id == client_id]

    def drift_of(self, client_id: str) -> list[DriftRow]:
        """Return the hand-edited risk fields of one client."""
        return [d for d in self.drift if d.client_id == client_id]


def from_evaluation(
    evaluation: Evaluation,
    source: str,
    store: StateStore | None,
    quieted: list[Quieted] | None = None,
    stored: Stored = as_given,
) -> Report:
    """Return the report of an evaluation made now, with history from ``store`` (if any).

    ``quieted`` are the tags :func:`crmflags.sync.run.quiet` took out; with the store
    they are shown with their snooze or ack, and the risk fields people edited since
    the last sync wrote them as drift (``stored``: how the source keeps a value).
    """
    clients = [
        ClientRow(r.client.id, r.client.name, r.score, r.level, list(r.tags), reasons_json(r), [])
        for r in evaluation.results
    ]
    recorded = _recorded(store, source) if store else {}
    runs = _runs(store, source) if store else {}
    previous = max((p.run_id for ps in recorded.values() for p in ps), default=None)
    report = Report(
        source=source,
        ruleset=evaluation.ruleset.name,
        as_of=evaluation.as_of,
        run=None,
        evaluated_at=evaluation.evaluated_at,
        previous_run=runs.get(previous) if previous is not None else None,
        clients=clients,
        failures=[(f.client_id, f.reason) for f in evaluation.failures],
        changes=[],
        names={**(store.client_names(source) if store else {}), **_names(clients)},
    )
    if store:
        taken = [(q.client_id, q.tag, q.why, q.messages) for q in quieted or []]
        report.quieted = store.describe_quieted(source, evaluation.as_of, taken)
        plan = plan_changes(evaluation, store.last_written(source), stored=stored)
        warned, kept = split_kept(plan.drift, store.keeps(source))
        report.drift = sorted(
            [_drift_row(d, False) for d in warned] + [_drift_row(d, True) for d in kept],
            key=lambda d: (_natural(d.client_id), d.field),
        )
    _add_history(report, recorded, previous, None)
    return report


def _drift_row(drift, kept: bool) -> DriftRow:
    return DriftRow(drift.client_id, drift.field, drift.ours, drift.theirs, drift.wanted, kept)


def from_store(store: StateStore, source: str) -> Report:
    """Return the report of the last run of ``source`` that recorded results.

    Raises InputError when the store holds no results of that source.
    """
    last = store.last_results(source)
    if not last:
        raise InputError(
            f"the state store {store.path} holds no sync of {source}: run `crmflags sync` "
            "first, or give --connector/--source to evaluate now"
        )
    shown = max(result.run_id for result in last.values())
    runs = _runs(store, source)
    recorded = _recorded(store, source)
    earlier = {cid: [p for p in ps if p.run_id < shown] for cid, ps in recorded.items()}
    previous = max((p.run_id for ps in earlier.values() for p in ps), default=None)
    names = store.client_names(source)
    clients = [
        ClientRow(r.client_id, names.get(r.client_id), r.score, r.level, r.tags, r.reasons)
        for r in sorted(last.values(), key=lambda r: _natural(r.client_id))
        if r.run_id == shown
    ]
    run = runs[shown]
    report = Report(
        source=source,
        ruleset=run.ruleset,
        as_of=run.as_of,
        run=run,
        evaluated_at=None,
        previous_run=runs.get(previous) if previous is not None else None,
        clients=clients,
        failures=list(run.failures),
        changes=[],
        names=names,
        quieted=store.quieted(shown),
        drift=store.drift(shown),
    )
    _add_history(report, earlier, previous, shown)
    return report


def _add_history(
    report: Report,
    earlier: dict[str, list[HistoryPoint]],
    previous: int | None,
    shown: int | None,
) -> None:
    """Give each client its history and previous point; list the changes; sort worst first."""
    for client in report.clients:
        points = [_point(p) for p in earlier.get(client.id, [])]
        client.before = next((p for p in points if p.run_id == previous), None)
        now = Point(shown, report.as_of, client.score, client.level, tuple(client.tags))
        client.history = [*points, now][-MAX_HISTORY:]
    if previous is not None:
        failed = {client_id for client_id, _ in report.failures if client_id}
        report.changes = _changes(report.clients, earlier, previous, failed, report.names)
    order = {level: rank for rank, level in enumerate(reversed(LEVELS))}
    report.clients.sort(key=lambda c: (order[c.level], -c.score))


def _changes(
    clients: list[ClientRow],
    earlier: dict[str, list[HistoryPoint]],
    previous: int,
    failed: set[str],
    names: dict[str, str],
) -> list[Change]:
    """Return what changed between the previous run and now, worst news first.

    A client in the previous run and not now is ``gone``, unless it failed now (it is
    listed with the failures instead).
    """
    rank = {level: i for i, level in enumerate(LEVELS)}
    changes = []
    present = set()
    for client in clients:
        present.add(client.id)
        now = client.history[-1]
        before = client.before
        if before is None:
            changes.append(Change(client.id, client.name, "new", None, now, now.tags, ()))
            continue
        added = tuple(t for t in now.tags if t not in before.tags)
        removed = tuple(t for t in before.tags if t not in now.tags)
        if rank[now.level] != rank[before.level]:
            kind = "worse" if rank[now.level] > rank[before.level] else "better"
        elif added or removed:
            kind = "tags"
        else:
            continue
        changes.append(Change(client.id, client.name, kind, before, now, added, removed))
    for client_id, points in earlier.items():
        last = points[-1] if points else None
        gone = client_id not in present and client_id not in failed
        if gone and last is not None and last.run_id == previous:
            before = _point(last)
            name = names.get(client_id)
            changes.append(Change(client_id, name, "gone", before, None, (), before.tags))
    order = {"worse": 0, "new": 1, "tags": 2, "better": 3, "gone": 4}
    changes.sort(key=lambda c: (order[c.kind], -(c.now.score if c.now else 0), c.client_id))
    return changes


def _recorded(store: StateStore, source: str) -> dict[str, list[HistoryPoint]]:
    """Return the recorded score history of every client a source ever had."""
    return store.histories(source)


def _names(clients: list[ClientRow]) -> dict[str, str]:
    return {client.id: client.name for client in clients if client.name}


def _runs(store: StateStore, source: str) -> dict[int, Run]:
    return {run.id: run for run in store.runs(source, limit=1_000_000)}


def _point(point: HistoryPoint) -> Point:
    return Point(point.run_id, point.as_of, point.score, point.level, tuple(point.tags))


def _natural(client_id: str) -> tuple:
    """Sort ids like people do: c-2 before c-10."""
    digits = "".join(ch for ch in client_id if ch.isdigit())
    return (client_id.rstrip("0123456789"), int(digits) if digits.isdigit() else 0, client_id)
