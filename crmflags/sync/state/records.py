"""What the state store hands back: runs, results, audit rows, snapshots and decisions.

Plain frozen dataclasses, and the statuses of an audit row; nothing here touches the
database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

#: Audit row statuses.
PENDING = "pending"  # planned, the source not yet answered (or the run died)
APPLIED = "applied"  # the source holds ``after``
FAILED = "failed"  # the source refused the write; ``reason`` says why
ABANDONED = "abandoned"  # the run died before the write reached the source
SUPERSEDED = "superseded"  # the run died after writing; the value was changed since
STATUSES = (PENDING, APPLIED, FAILED, ABANDONED, SUPERSEDED)

#: Statuses of rows whose ``after`` did reach the source.
_WRITTEN = (APPLIED, SUPERSEDED)

#: One value to write: (client_id, field, before, after); None = the field was absent.
PlannedWrite = tuple[str, str, str | None, str | None]

#: One client's evaluation: (client_id, score, level, tags, reasons).
ResultRow = tuple[str, float, str, list[str], list[dict[str, Any]]]


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
