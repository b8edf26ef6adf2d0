"""Read the whole database into canonical clients with their history, in clients' order."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path

from crmflags.model import Client, RecordFailure
from crmflags_sqlite.database import ROWID, check_tables, rows
from crmflags_sqlite.rows import Row, activity_from, client_from, invoice_from, note_from

#: History table -> (builder of one item, the Client list it goes to).
HISTORY = {
    "invoices": (lambda row, zone: invoice_from(row), "invoices"),
    "activities": (activity_from, "activities"),
    "notes": (note_from, "notes"),
}


@dataclass
class Reading:
    """What one read found: clients and failures in order, and the warnings."""

    records: list[Client | RecordFailure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def read_database(connection: sqlite3.Connection, path: Path, zone: tzinfo) -> Reading:
    """Read clients and their invoices, activities and notes; naive timestamps are in ``zone``.

    A client with a bad row, its own or in its history, becomes one RecordFailure
    naming every bad value; a history row of an unknown client is a warning.
    """
    tables = check_tables(connection, path)
    reading = Reading()
    order: list[str | RecordFailure] = []
    clients: dict[str, Client] = {}
    faults: dict[str, list[str]] = {}
    for raw in rows(connection, "clients"):
        row = Row("clients", raw)
        client_id = row.text("id")
        if client_id in faults:
            row.fault("id", f"{client_id!r} is the id of an earlier client too")
        client = client_from(row)
        if client_id is None or client_id in faults:
            order.append(RecordFailure(client_id, "; ".join(row.faults)))
            continue
        order.append(client_id)
        faults[client_id] = row.faults
        if client is not None:
            clients[client_id] = client
    for table in (t for t in HISTORY if t in tables):
        _attach(connection, table, clients, faults, zone, reading.warnings)
    for entry in order:
        if isinstance(entry, RecordFailure):
            reading.records.append(entry)
        elif faults[entry]:
            reading.records.append(RecordFailure(entry, "; ".join(faults[entry])))
        else:
            reading.records.append(clients[entry])
    return reading


def _attach(connection, table, clients, faults, zone, warnings) -> None:
    build, attribute = HISTORY[table]
    for raw in rows(connection, table):
        row = Row(table, raw)
        client_id = row.text("client_id")
        if client_id not in faults:
            warnings.append(
                f"{table} rowid {raw[ROWID]}: client {client_id!r} is not in clients; row left out"
            )
            continue
        item = build(row, zone)
        if item is None:
            faults[client_id].extend(row.faults)
        elif client_id in clients:
            getattr(clients[client_id], attribute).append(item)
