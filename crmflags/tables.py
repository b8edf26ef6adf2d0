"""Clients' history as tables: one polars DataFrame per record type, in the source's order.

A connector that can read its source as columns (CSV files) offers
``read_tables()`` returning :class:`HistoryTables`; the core then computes the built-in
metrics as group-bys on the columns, and builds :class:`~crmflags.model.Client`
objects only where something needs them (plugin metrics, ``explain``, ``backtest``).
Connectors that yield clients go the same way through :func:`tables_from_clients`;
:func:`clients_from_tables` gives back clients equal to the ones read.

The schema (:data:`SCHEMAS`): column names are the model's field names, and each
history table names its client in ``client_id``. Rows are in the source's order
(metrics that add up amounts add them in that order). Timestamps are UTC, each with
``offset_s``, the UTC offset it was written with, and ``zone``, the IANA name of its time
zone (None for a fixed offset), so a client is rebuilt with the very wall times and
zones it had. ``risk`` and ``fields`` are lists of ``{name, value}`` pairs, so a
client rebuilt has exactly the keys it was read with. Only clients read whole are in
the tables; a client with a faulty row is in ``failures`` and in no table.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone, tzinfo
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

import polars as pl

from crmflags.model import Activity, Client, Invoice, Note, RecordFailure, TimeEntry

_PAIRS = pl.List(pl.Struct({"name": pl.Utf8, "value": pl.Utf8}))
_UTC = pl.Datetime("us", "UTC")

#: The columns of each table and their types.
SCHEMAS: dict[str, dict[str, Any]] = {
    "clients": {
        "id": pl.Utf8,
        "name": pl.Utf8,
        "email": pl.Utf8,
        "business_type": pl.Utf8,
        "hourly_rate_target": pl.Float64,
        "contracted_hours": pl.Float64,
        "gut_feeling": pl.Boolean,
        "team_morale": pl.Float64,
        "risk": _PAIRS,
        "fields": _PAIRS,
    },
    "invoices": {
        "client_id": pl.Utf8,
        "invoice_id": pl.Utf8,
        "issued_on": pl.Date,
        "due_on": pl.Date,
        "amount": pl.Float64,
        "paid_on": pl.Date,
        "currency": pl.Utf8,
        "disputed": pl.Boolean,
        "credited_amount": pl.Float64,
    },
    "activities": {
        "client_id": pl.Utf8,
        "occurred_at": _UTC,
        "offset_s": pl.Int32,
        "zone": pl.Utf8,
        "kind": pl.Utf8,
        "direction": pl.Utf8,
        "subject": pl.Utf8,
        "has_time": pl.Boolean,
    },
    "notes": {
        "client_id": pl.Utf8,
        "created_at": _UTC,
        "offset_s": pl.Int32,
        "zone": pl.Utf8,
        "body": pl.Utf8,
        "marker": pl.Utf8,
    },
    "time_entries": {
        "client_id": pl.Utf8,
        "date": pl.Date,
        "hours": pl.Float64,
        "billable": pl.Boolean,
        "in_scope": pl.Boolean,
    },
}

#: The history tables, in the order of a client's lists.
HISTORY = ("invoices", "activities", "notes", "time_entries")


def empty_table(name: str) -> pl.DataFrame:
    """Return table ``name`` of :data:`SCHEMAS` without rows."""
    return pl.DataFrame(schema=SCHEMAS[name])


@dataclass
class HistoryTables:
    """Every client of a source and their history, one table per record type.

    ``failures`` are the clients that could not be read (named, with the place of the
    fault); they are in no table.
    """

    clients: pl.DataFrame = field(default_factory=lambda: empty_table("clients"))
    invoices: pl.DataFrame = field(default_factory=lambda: empty_table("invoices"))
    activities: pl.DataFrame = field(default_factory=lambda: empty_table("activities"))
    notes: pl.DataFrame = field(default_factory=lambda: empty_table("notes"))
    time_entries: pl.DataFrame = field(default_factory=lambda: empty_table("time_entries"))
    failures: list[RecordFailure] = field(default_factory=list)

    def table(self, name: str) -> pl.DataFrame:
        """Return the table called ``name`` (a key of :data:`SCHEMAS`)."""
        return getattr(self, name)


def tables_from_clients(records: Iterable[Client | RecordFailure]) -> HistoryTables:
    """Return the tables of clients a connector read; its RecordFailures become ``failures``."""
    columns: dict[str, dict[str, list]] = {
        name: {column: [] for column in schema} for name, schema in SCHEMAS.items()
    }
    failures: list[RecordFailure] = []
    for record in records:
        if isinstance(record, RecordFailure):
            failures.append(record)
        else:
            _add_client(record, columns)
    frames = {name: _frame(name, columns[name]) for name in SCHEMAS}
    return HistoryTables(**frames, failures=failures)


def _frame(name: str, columns: dict[str, list]) -> pl.DataFrame:
    """Return a table of :data:`SCHEMAS` from its columns (timestamps as UTC microseconds)."""
    schema = SCHEMAS[name]
    moments = [column for column, kind in schema.items() if kind == _UTC]
    given = {column: pl.Int64 if column in moments else kind for column, kind in schema.items()}
    frame = pl.DataFrame(columns, schema=given, strict=False)
    return frame.with_columns(pl.col(column).cast(_UTC) for column in moments)


def _add_client(client: Client, columns: dict[str, dict[str, list]]) -> None:
    row = columns["clients"]
    for name in ("id", "name", "email", "business_type", "gut_feeling"):
        row[name].append(getattr(client, name))
    for name in ("hourly_rate_target", "contracted_hours", "team_morale"):
        value = getattr(client, name)
        row[name].append(None if value is None else float(value))
    row["risk"].append([{"name": k, "value": v} for k, v in client.risk.items()])
    row["fields"].append([{"name": k, "value": v} for k, v in client.fields.items()])
    invoices = columns["invoices"]
    for inv in client.invoices:
        invoices["client_id"].append(client.id)
        for name in ("invoice_id", "issued_on", "due_on", "paid_on", "currency", "disputed"):
            invoices[name].append(getattr(inv, name))
        invoices["amount"].append(float(inv.amount))
        invoices["credited_amount"].append(float(inv.credited_amount))
    activities = columns["activities"]
    for act in client.activities:
        activities["client_id"].append(client.id)
        _add_moment(activities, "occurred_at", act.occurred_at)
        for name in ("kind", "direction", "subject", "has_time"):
            activities[name].append(getattr(act, name))
    notes = columns["notes"]
    for note in client.notes:
        notes["client_id"].append(client.id)
        _add_moment(notes, "created_at", note.created_at)
        notes["body"].append(note.body)
        notes["marker"].append(note.marker)
    entries = columns["time_entries"]
    for entry in client.time_entries:
        entries["client_id"].append(client.id)
        entries["date"].append(entry.date)
        entries["hours"].append(float(entry.hours))
        entries["billable"].append(entry.billable)
        entries["in_scope"].append(entry.in_scope)


def _add_moment(table: dict[str, list], column: str, moment: datetime) -> None:
    """Add a timestamp to a table's columns: UTC microseconds, its offset and its zone."""
    table[column].append(_micros(moment))
    table["offset_s"].append(_offset_seconds(moment))
    table["zone"].append(_zone_key(moment))


_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MICROSECOND = timedelta(microseconds=1)


def _micros(moment: datetime) -> int:
    """Return a timezone-aware timestamp as microseconds since the epoch (UTC)."""
    return (moment - _EPOCH) // _MICROSECOND


def _offset_seconds(moment: datetime) -> int:
    offset = moment.utcoffset()
    return int(offset.total_seconds()) if offset else 0


def _zone_key(moment: datetime) -> str | None:
    """Return the IANA name of a timestamp's zone (None for a fixed offset)."""
    zone = moment.tzinfo
    return zone.key if isinstance(zone, ZoneInfo) else None


def clients_from_tables(
    tables: HistoryTables, ids: Iterable[str] | None = None, history: bool = True
) -> Iterator[Client]:
    """Yield the clients of the tables (only those named in ``ids``, when given), in order.

    Each client equals (``==``) the one the tables were read from: the same fields,
    and its history in the source's order, timestamps with their own UTC offsets.
    Without ``history`` the clients come with empty lists of invoices, activities,
    notes and time entries (what an evaluation's results keep).
    """
    clients, parts = tables.clients, {name: tables.table(name) for name in HISTORY}
    if ids is not None:
        wanted = pl.Series(list(ids), dtype=pl.Utf8).implode()
        clients = clients.filter(pl.col("id").is_in(wanted))
        parts = {n: t.filter(pl.col("client_id").is_in(wanted)) for n, t in parts.items()}
    makers = {
        "invoices": Invoice,
        "activities": _activity,
        "notes": _note,
        "time_entries": TimeEntry,
    }
    rows = {n: _by_client(t, n, makers[n]) if history else {} for n, t in parts.items()}
    names = ("id", "name", "email", "business_type", "hourly_rate_target", "contracted_hours")
    columns = [clients[name].to_list() for name in (*names, "gut_feeling", "team_morale")]
    pairs = [_dicts(clients[name]) for name in ("risk", "fields")]
    for client_id, name, email, kind, rate, hours, gut, morale, risk, fields in zip(
        *columns, *pairs, strict=True
    ):
        yield Client(
            client_id,
            name,
            email,
            kind,
            rate,
            hours,
            gut,
            morale,
            invoices=rows["invoices"].get(client_id, []),
            activities=rows["activities"].get(client_id, []),
            notes=rows["notes"].get(client_id, []),
            time_entries=rows["time_entries"].get(client_id, []),
            risk=risk,
            fields=fields,
        )


def _dicts(pairs: pl.Series) -> list[dict]:
    """Return a column of ``{name, value}`` lists as dicts (a list's column at a time)."""
    lengths = pairs.list.len().fill_null(0).to_list()
    flat = pairs.filter(pairs.list.len() > 0).explode().struct.unnest()
    names, values = flat["name"].to_list(), flat["value"].to_list()
    found, start = [], 0
    for length in lengths:
        end = start + length
        found.append(dict(zip(names[start:end], values[start:end], strict=True)))
        start = end
    return found


def _by_client(table: pl.DataFrame, name: str, make: Any) -> dict[str, list]:
    """Return each client's records of history table ``name``, made by ``make(*row)``
    (the columns of :data:`SCHEMAS` but the client's id), in order.

    A timestamp comes as its wall time (UTC time plus its offset, in microseconds since
    1970).
    """
    columns = []
    for column in SCHEMAS[name]:
        if column in ("occurred_at", "created_at"):
            offset = pl.col("offset_s").cast(pl.Int64) * 1_000_000
            columns.append(table.select(pl.col(column).dt.epoch("us") + offset)[column].to_list())
        else:
            columns.append(table[column].to_list())
    found: dict[str, list] = {}
    for client_id, *values in zip(*columns, strict=True):
        found.setdefault(client_id, []).append(make(*values))
    return found


def _activity(
    wall_us: int,
    offset_s: int,
    zone: str | None,
    kind: str,
    direction: str,
    subject: str,
    has_time: bool,
) -> Activity:
    return Activity(_local(wall_us, offset_s, zone), kind, direction, subject, has_time)


def _note(wall_us: int, offset_s: int, zone: str | None, body: str, marker: str | None) -> Note:
    return Note(_local(wall_us, offset_s, zone), body, marker)


_WALL_EPOCH = datetime(1970, 1, 1)


def _local(wall_us: int, offset_s: int, zone: str | None) -> datetime:
    """Return a timestamp of a table as it was written: its wall time in its zone.

    The wall time is the UTC time plus the offset it had, so a time that does not exist
    in its zone (in the hour skipped in spring) comes back as it was written, and one
    that exists twice (in autumn) with the offset it had.
    """
    wall = _WALL_EPOCH + timedelta(microseconds=wall_us)
    if zone is None:
        return wall.replace(tzinfo=_fixed(offset_s))
    local = wall.replace(tzinfo=ZoneInfo(zone))
    offset = local.utcoffset()
    if offset is None or offset != timedelta(seconds=offset_s):
        local = local.replace(fold=1)
    return local


@cache
def _fixed(offset_s: int) -> tzinfo:
    return timezone(timedelta(seconds=offset_s)) if offset_s else timezone.utc
