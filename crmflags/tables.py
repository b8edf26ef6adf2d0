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
from datetime import datetime, timedelta, timezone
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
        activities["occurred_at"].append(_micros(act.occurred_at))
        activities["offset_s"].append(_offset_seconds(act.occurred_at))
        activities["zone"].append(_zone_key(act.occurred_at))
        for name in ("kind", "direction", "subject", "has_time"):
            activities[name].append(getattr(act, name))
    notes = columns["notes"]
    for note in client.notes:
        notes["client_id"].append(client.id)
        notes["created_at"].append(_micros(note.created_at))
        notes["offset_s"].append(_offset_seconds(note.created_at))
        notes["zone"].append(_zone_key(note.created_at))
        notes["body"].append(note.body)
        notes["marker"].append(note.marker)
    entries = columns["time_entries"]
    for entry in client.time_entries:
        entries["client_id"].append(client.id)
        entries["date"].append(entry.date)
        entries["hours"].append(float(entry.hours))
        entries["billable"].append(entry.billable)
        entries["in_scope"].append(entry.in_scope)


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
    makers = {"invoices": _invoice, "activities": _activity, "notes": _note}
    makers["time_entries"] = _time_entry
    rows = {name: _by_client(t, makers[name]) if history else {} for name, t in parts.items()}
    for row in clients.iter_rows(named=True):
        client_id = row["id"]
        yield Client(
            id=client_id,
            name=row["name"],
            email=row["email"],
            business_type=row["business_type"],
            hourly_rate_target=row["hourly_rate_target"],
            contracted_hours=row["contracted_hours"],
            gut_feeling=row["gut_feeling"],
            team_morale=row["team_morale"],
            invoices=rows["invoices"].get(client_id, []),
            activities=rows["activities"].get(client_id, []),
            notes=rows["notes"].get(client_id, []),
            time_entries=rows["time_entries"].get(client_id, []),
            risk={pair["name"]: pair["value"] for pair in row["risk"] or ()},
            fields={pair["name"]: pair["value"] for pair in row["fields"] or ()},
        )


def _by_client(table: pl.DataFrame, make: Any) -> dict[str, list]:
    """Return each client's records of a history table, made by ``make(row)``, in order."""
    found: dict[str, list] = {}
    for row in table.iter_rows(named=True):
        found.setdefault(row["client_id"], []).append(make(row))
    return found


def _invoice(row: dict) -> Invoice:
    return Invoice(
        invoice_id=row["invoice_id"],
        issued_on=row["issued_on"],
        due_on=row["due_on"],
        amount=row["amount"],
        paid_on=row["paid_on"],
        currency=row["currency"],
        disputed=row["disputed"],
        credited_amount=row["credited_amount"],
    )


def _activity(row: dict) -> Activity:
    return Activity(
        occurred_at=_local(row["occurred_at"], row["offset_s"], row["zone"]),
        kind=row["kind"],
        direction=row["direction"],
        subject=row["subject"],
        has_time=row["has_time"],
    )


def _note(row: dict) -> Note:
    return Note(
        created_at=_local(row["created_at"], row["offset_s"], row["zone"]),
        body=row["body"],
        marker=row["marker"],
    )


def _time_entry(row: dict) -> TimeEntry:
    return TimeEntry(
        date=row["date"], hours=row["hours"], billable=row["billable"], in_scope=row["in_scope"]
    )


def _local(moment: datetime, offset_s: int, zone: str | None) -> datetime:
    """Return a UTC timestamp of a table as it was written: its wall time in its zone.

    The wall time is the UTC time plus the offset it had, so a time that does not exist
    in the zone (in the hour skipped in spring) comes back as it was written, and one
    that exists twice (in autumn) comes back with the offset it had.
    """
    wall = moment.replace(tzinfo=None) + timedelta(seconds=offset_s)
    if zone is None:
        return wall.replace(
            tzinfo=timezone(timedelta(seconds=offset_s)) if offset_s else timezone.utc
        )
    local = wall.replace(tzinfo=ZoneInfo(zone))
    offset = local.utcoffset()
    if offset is None or offset.total_seconds() != offset_s:
        local = local.replace(fold=1)
    return local
