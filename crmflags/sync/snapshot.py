"""Incremental reads: keep the last full picture of a source and merge what changed into it.

A connector that reads incrementally (an :class:`~crmflags.connector.IncrementalConnector`)
is read whole once;
every client it yields is kept, encoded, in the state store with the connector's
cursor. The next sync asks the connector only for what changed since that cursor,
replaces those clients' copies, drops the removed ones, and evaluates *every* client
again: risk moves with the calendar (an invoice falls overdue without anyone touching
the CRM), and the portfolio shares compare each client with all of them.

A full read happens when there is no snapshot yet, when ``--full`` asks for it, when
the connector's settings or this module's encoding changed since the snapshot was
made, and when the last full read is older than ``full_read_days`` (crmflags.yaml,
default 7), which catches anything an incremental read cannot see.

The snapshot is saved only after the run's writes are settled, with the risk values
written, so a run that dies earlier reads the same changes again next time. A connector
that keeps records (``keeps_records``) is handed its record cache before it reads: empty
for a full read, else what the last finished run kept; the run's changes to it are saved
in the same transaction as the snapshot (:mod:`crmflags.sync.cache`).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from crmflags.canonical import checked
from crmflags.connector import ClientChange, Connector, IncrementalConnector
from crmflags.loading.config import FULL_READ_DAYS
from crmflags.logs import Progress
from crmflags.model import Activity, Client, Invoice, Note, RecordFailure, TimeEntry
from crmflags.record_cache import RecordCache
from crmflags.sync.state import StateStore
from crmflags.sync.state.records import Snapshot

log = logging.getLogger("crmflags")

#: The version of :func:`encode_client`'s layout; a snapshot of another version is read again.
ENCODING = 1


def encode_client(client: Client) -> str:
    """Return a client with its whole history as compact JSON (see :func:`decode_client`)."""
    return json.dumps(
        [
            client.id,
            client.name,
            client.email,
            client.business_type,
            client.hourly_rate_target,
            client.contracted_hours,
            client.gut_feeling,
            client.team_morale,
            [
                [
                    i.invoice_id,
                    i.issued_on.isoformat(),
                    i.due_on.isoformat(),
                    i.amount,
                    i.paid_on.isoformat() if i.paid_on else None,
                    i.currency,
                    i.disputed,
                    i.credited_amount,
                ]
                for i in client.invoices
            ],
            [
                [a.occurred_at.isoformat(), a.kind, a.direction, a.subject, a.has_time]
                for a in client.activities
            ],
            [[n.created_at.isoformat(), n.body, n.marker] for n in client.notes],
            [[t.date.isoformat(), t.hours, t.billable, t.in_scope] for t in client.time_entries],
            client.risk,
            client.fields,
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def decode_client(data: str) -> Client:
    """Return the client :func:`encode_client` encoded."""
    (cid, name, email, business_type, rate, contracted, gut, morale, invoices, activities,
     notes, entries, risk, fields) = json.loads(data)  # fmt: skip
    return Client(
        id=cid,
        name=name,
        email=email,
        business_type=business_type,
        hourly_rate_target=rate,
        contracted_hours=contracted,
        gut_feeling=gut,
        team_morale=morale,
        invoices=[
            Invoice(
                number,
                date.fromisoformat(issued),
                date.fromisoformat(due),
                amount,
                date.fromisoformat(paid) if paid else None,
                currency,
                disputed,
                credited,
            )
            for number, issued, due, amount, paid, currency, disputed, credited in invoices
        ],
        activities=[
            Activity(datetime.fromisoformat(at), kind, direction, subject, has_time)
            for at, kind, direction, subject, has_time in activities
        ],
        notes=[Note(datetime.fromisoformat(at), body, marker) for at, body, marker in notes],
        time_entries=[
            TimeEntry(date.fromisoformat(day), hours, billable, in_scope)
            for day, hours, billable, in_scope in entries
        ],
        risk=risk,
        fields=fields,
    )


class OnePass:
    """The records of a streamed read: iterated once; a second pass raises.

    A connector that cannot read incrementally is streamed into the evaluation, which
    then holds one client's history at a time; a caller that went over the records a
    second time would silently get none, so it gets an error instead.
    """

    def __init__(self, records: Iterable[Client | RecordFailure]):
        self._records: Iterable[Client | RecordFailure] | None = records

    def __iter__(self) -> Iterator[Client | RecordFailure]:
        """Return the records; a second call raises RuntimeError."""
        if self._records is None:
            raise RuntimeError("the records of a streamed read were read already")
        records, self._records = self._records, None
        return iter(records)


@dataclass
class SourceRead:
    """The clients a sync evaluates, and what to keep of them once the run is done.

    ``records`` are every client to evaluate (read now or kept from the snapshot) and
    the failures: a list, or a :class:`OnePass` of the connector's records when it
    reads everything and cannot read incrementally.
    ``full`` says whether the source was read whole; ``read`` counts the clients the
    connector returned this time, ``removed`` the clients gone from the source;
    ``cursor`` is None for a connector that does not read incrementally.
    """

    records: list[Client | RecordFailure] | OnePass
    full: bool
    read: int = 0
    removed: set[str] = field(default_factory=set)
    cursor: str | None = None
    fingerprint: str = ""
    full_read_at: datetime | None = None
    fresh: dict[str, Client] = field(default_factory=dict)
    failed: set[str] = field(default_factory=set)
    #: The connector's record cache, when it keeps one.
    cache: RecordCache | None = None


def fingerprint(connector: Connector) -> str:
    """Return a hash of what the snapshot's copies depend on: connector settings and encoding.

    The connector's ``transport_settings`` (pacing, timeouts) are left out.
    """
    shaping = {
        key: value
        for key, value in connector.options.config.items()
        if key not in connector.transport_settings
    }
    settings = json.dumps([ENCODING, connector.name, shaping], sort_keys=True, default=str)
    return hashlib.sha256(settings.encode()).hexdigest()[:16]


def read_source(
    connector: Connector,
    store: StateStore,
    *,
    full: bool = False,
    full_read_days: int = FULL_READ_DAYS,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> SourceRead:
    """Read a source for a sync: only what changed when a usable snapshot allows it.

    ``progress`` counts the records as the connector yields them.
    """
    progress = progress or Progress()
    if not isinstance(connector, IncrementalConnector):
        # Streamed: the evaluation holds one client's history at a time.
        progress.phase(f"reading {connector.name}", connector.expected_total)
        records = progress.count(checked(connector.read(), connector.name))
        return SourceRead(OnePass(records), full=True)
    now = now or datetime.now(timezone.utc)
    source = connector.source_key()
    kept = store.snapshot(source)
    why_full = _why_full(kept, fingerprint(connector), full, full_read_days, now)
    cache = _hand_cache(connector, store, source, bool(why_full))
    if why_full:
        log.info("reading %s whole: %s", source, why_full)
        cursor = connector.start_cursor()
        progress.phase(f"reading {connector.name}", connector.expected_total)
        records = progress.count(checked(connector.read(), connector.name))
        got = _full(records, cursor, fingerprint(connector), now)
        got.cache = cache
        return got
    assert kept is not None  # _why_full says why when there is none
    progress.phase(f"reading {connector.name} (what changed)")
    changes = connector.read_changed(kept.cursor, kept.again)
    records = progress.count(checked(changes.clients, connector.name))
    got = _full(records, "", kept.fingerprint, kept.full_read_at)
    got.cache = cache
    got.full = False
    got.cursor = changes.cursor
    kept_ids = set()
    merged = list(got.records)
    for client_id, data in store.snapshot_clients(source):
        kept_ids.add(client_id)
        if client_id not in got.fresh and client_id not in got.failed:
            merged.append(decode_client(data))
    # A removal the lookback shows again, or of a client never kept, removes nothing.
    got.removed = (set(changes.removed) & kept_ids) - got.fresh.keys()
    got.records = [r for r in merged if not (isinstance(r, Client) and r.id in got.removed)]
    log.info(
        "read %s of %s changed since the last run (%d removed)",
        _clients(got.read),
        source,
        len(got.removed),
    )
    return got


def _hand_cache(
    connector: IncrementalConnector, store: StateStore, source: str, full: bool
) -> RecordCache | None:
    """Give a connector that keeps records its cache: empty for a full read."""
    if not connector.keeps_records:
        return None
    cache = RecordCache(None if full else store.kept_records(source))
    if full:
        cache.clear()
    connector.record_cache = cache
    return cache


def _clients(count: int) -> str:
    return f"{count} client" if count == 1 else f"{count} clients"


def _why_full(
    kept: Snapshot | None, print_: str, full: bool, days: int, now: datetime
) -> str | None:
    """Return why this sync must read the source whole, or None if it can read changes."""
    if full:
        return "--full"
    if kept is None:
        return "no earlier read in the state store"
    if kept.fingerprint != print_:
        return "the connector settings (or crmflags' snapshot format) changed since the last read"
    if now - kept.full_read_at >= timedelta(days=days):
        return f"the last full read was over {days} days ago ({kept.full_read_at:%Y-%m-%d})"
    return None


def _full(
    records: Iterable[Client | RecordFailure], cursor: str, print_: str, at: datetime
) -> SourceRead:
    read: list[Client | RecordFailure] = []
    got = SourceRead(read, full=True, cursor=cursor, fingerprint=print_, full_read_at=at)
    for record in records:
        got.read += 1
        read.append(record)
        if isinstance(record, Client):
            got.fresh[record.id] = record
        elif record.client_id:
            got.failed.add(record.client_id)
    return got


def save_source(
    store: StateStore, connector: Connector, got: SourceRead, written: Iterable[ClientChange]
) -> None:
    """Keep what a sync read for the next incremental read, with the risk values it wrote.

    ``written`` are the changes the source accepted; the copies of clients gone from
    the source are dropped (the sync tombstones their results, snoozes and acks).
    Nothing happens for a connector that does not read incrementally.
    """
    if got.cursor is None or got.full_read_at is None:
        return
    assert isinstance(connector, IncrementalConnector)  # only they give a cursor
    source = connector.source_key()
    copies = dict(got.fresh)
    evaluated = {c.id: c for c in got.records if isinstance(c, Client)}
    for change in written:
        client = evaluated.get(change.client_id)
        if client is not None:
            client.risk.update(change.fields)
            copies[client.id] = client
    gone = set(got.removed)
    if got.full:
        read_now = copies.keys() | got.failed
        gone |= {client_id for client_id, _ in store.snapshot_clients(source)} - read_now
    store.save_snapshot(
        source,
        Snapshot(
            connector.cursor_after_write(got.cursor),
            got.fingerprint,
            got.full_read_at,
            sorted(got.failed),
        ),
        {client_id: encode_client(client) for client_id, client in copies.items()},
        removed=gone,
        replace_all=got.full,
        records=got.cache.changes() if got.cache is not None else None,
    )
