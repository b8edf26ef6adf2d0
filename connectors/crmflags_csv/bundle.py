"""Read a CSV bundle (contracts §1) into canonical clients, in clients.csv order.

Every file is parsed and its columns found before any client is built, so a
structural fault (unreadable file, missing column) stops the read with an
InputError. A bad value only fails its own client: the client becomes a
RecordFailure naming every bad value's file:line: field.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path

from crmflags.errors import InputError, place
from crmflags.model import Client, RecordFailure
from crmflags_csv.clients_file import ClientsFile, parse_clients_file
from crmflags_csv.columns import (
    ACTIVITIES,
    INVOICES,
    NOTES,
    TIME_ENTRIES,
    FileColumns,
    Layout,
    locate,
    missing_mapped,
)
from crmflags_csv.rows import (
    Cells,
    activity_from,
    client_from,
    invoice_from,
    note_from,
    time_entry_from,
)
from crmflags_csv.table import Record, parse_table, read_bytes

#: Reasons listed in full in one RecordFailure; further ones are counted.
SHOWN_REASONS = 3
#: Unknown client ids named in a warning; further ones are counted.
SHOWN_IDS = 5


@dataclass
class Bundle:
    """What one read of a bundle gave: clients and failures in order, warnings, clients.csv."""

    records: list[Client | RecordFailure]
    warnings: list[str]
    clients_file: ClientsFile


#: The history files: their columns, the Client list their rows go to, and the row builder.
HISTORY = (
    (INVOICES, "invoices", lambda cells, zone: invoice_from(cells)),
    (ACTIVITIES, "activities", activity_from),
    (NOTES, "notes", note_from),
    (TIME_ENTRIES, "time_entries", lambda cells, zone: time_entry_from(cells)),
)


@dataclass
class _Entry:
    """One client being assembled: its id, the client (None if its row is bad), its faults."""

    client_id: str
    client: Client | None
    faults: list[str] = field(default_factory=list)


def read_bundle(folder: Path, names: dict[str, dict[str, str]], zone: tzinfo) -> Bundle:
    """Read the bundle in ``folder``; naive timestamps are taken to be in ``zone``.

    ``names`` holds the user's column names per file. Raises InputError for a missing
    folder or clients.csv and for structural faults in any file.
    """
    if not folder.is_dir():
        raise InputError(f"no such folder: {folder}")
    path = folder / "clients.csv"
    if not path.is_file():
        raise InputError(
            f"no clients.csv in {folder} (a CSV bundle needs at least clients.csv "
            "with id and name columns)"
        )
    clients_file = parse_clients_file(path, read_bytes(path), names.get("clients.csv", {}))
    warnings = missing_mapped(clients_file.layout, names.get("clients.csv", {}))
    entries: dict[str, _Entry] = {}
    order: list[_Entry | RecordFailure] = []
    _read_clients(clients_file, entries, order)
    # One history file at a time, so only one file's raw records are held at once; a
    # structural fault in any of them still raises before read() returns anything.
    for columns, target, build in HISTORY:
        loaded = _history_file(folder, columns, names.get(columns.file, {}))
        if loaded is not None:
            layout, records = loaded
            warnings += missing_mapped(layout, names.get(layout.file, {}))
            warnings += _read_history(layout, records, entries, target, build, zone)
    return Bundle([_finished(item) for item in order], warnings, clients_file)


def _history_file(
    folder: Path, columns: FileColumns, names: dict[str, str]
) -> tuple[Layout, list[Record]] | None:
    path = folder / columns.file
    if not path.is_file():
        return None
    table = parse_table(read_bytes(path), str(path))
    if not table.records:
        return None
    return locate(columns, table.records[0].values(), names, place(path, 1)), table.records[1:]


def _read_clients(clients_file: ClientsFile, entries: dict[str, _Entry], order: list) -> None:
    layout = clients_file.layout
    for number, record in enumerate(clients_file.table.records[1:], start=1):
        cell_values = record.values()
        if not any(v.strip() for v in cell_values):
            continue
        cells = Cells(layout, record.line, cell_values)
        client = client_from(cells)
        client_id = cells.text("id").strip()
        if not client_id:
            order.append(RecordFailure(None, _reason(cells.faults)))
            continue
        rows = clients_file.rows[client_id]
        if len(rows) > 1:
            if number == rows[0]:
                lines = " and ".join(str(clients_file.table.records[r].line) for r in rows)
                reason = (
                    f"{place(layout.file, record.line, layout.labels['id'])}: {client_id!r} is on "
                    f"lines {lines}; none of them is evaluated or written"
                )
                entries[client_id] = _Entry(client_id, None, [reason])
                order.append(entries[client_id])
            continue
        entries[client_id] = _Entry(client_id, client, cells.faults)
        order.append(entries[client_id])


def _read_history(
    layout: Layout,
    records: list[Record],
    entries: dict[str, _Entry],
    target: str,
    build: Callable[[Cells, tzinfo], object | None],
    zone: tzinfo,
) -> list[str]:
    unknown: dict[str, int] = {}
    no_id: list[int] = []
    for record in records:
        cell_values = record.values()
        if not any(v.strip() for v in cell_values):
            continue
        cells = Cells(layout, record.line, cell_values)
        client_id = cells.text("client_id").strip()
        entry = entries.get(client_id)
        if entry is None:
            if client_id:
                unknown[client_id] = unknown.get(client_id, 0) + 1
            else:
                no_id.append(record.line)
            continue
        item = build(cells, zone)
        if item is None:
            entry.faults += cells.faults
        elif entry.client is not None:
            getattr(entry.client, target).append(item)
    return _history_warnings(layout.file, unknown, no_id)


def _history_warnings(file: str, unknown: dict[str, int], no_id: list[int]) -> list[str]:
    warnings = []
    if unknown:
        ids = ", ".join(list(unknown)[:SHOWN_IDS]) + (
            f", and {len(unknown) - SHOWN_IDS} more" if len(unknown) > SHOWN_IDS else ""
        )
        warnings.append(
            f"{file}: {_rows(sum(unknown.values()))} for clients not in clients.csv ({ids})"
        )
    if no_id:
        lines = ", ".join(map(str, no_id[:SHOWN_IDS])) + (", ..." if len(no_id) > SHOWN_IDS else "")
        warnings.append(f"{file}: {_rows(len(no_id))} without a client_id (lines {lines})")
    return warnings


def _rows(count: int) -> str:
    return f"{count} row" if count == 1 else f"{count} rows"


def _finished(item: _Entry | RecordFailure) -> Client | RecordFailure:
    if isinstance(item, RecordFailure):
        return item
    if not item.faults:
        return item.client
    return RecordFailure(item.client_id, _reason(item.faults))


def _reason(faults: list[str]) -> str:
    reason = "; ".join(faults[:SHOWN_REASONS])
    if len(faults) > SHOWN_REASONS:
        reason += f"; and {len(faults) - SHOWN_REASONS} more"
    return reason
