"""Read a CSV bundle (contracts §1) into canonical clients, in clients.csv order.

Every file is read through and its columns found before any client is returned, so
a structural fault (unreadable file, missing column) stops the read with an
InputError. A bad value only fails its own client: the client becomes a
RecordFailure naming every bad value's file:line: field.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path

from crmflags.errors import InputError, place
from crmflags.model import Client, RecordFailure
from crmflags_csv.bulk import bulk_allocation
from crmflags_csv.clients_file import ClientsFile, parse_clients_file
from crmflags_csv.columns import (
    ACTIVITIES,
    INVOICES,
    NOTES,
    TIME_ENTRIES,
    Layout,
    locate,
    missing_mapped,
)
from crmflags_csv.quick import quick_builder
from crmflags_csv.rows import (
    Cells,
    activity_from,
    client_from,
    invoice_from,
    note_from,
    time_entry_from,
)
from crmflags_csv.spill import Spill
from crmflags_csv.table import read_bytes, stream_records

#: Reasons listed in full in one RecordFailure; further ones are counted.
SHOWN_REASONS = 3
#: Unknown client ids named in a warning; further ones are counted.
SHOWN_IDS = 5


@dataclass
class Bundle:
    """What one read of a bundle gave: clients and failures in order, warnings, clients.csv.

    ``records`` is an iterator: a bundle of many clients is assembled a chunk of clients
    at a time as it is iterated (see :func:`read_bundle`).
    """

    records: Iterator[Client | RecordFailure]
    warnings: list[str]
    clients_file: ClientsFile


#: The history files: their columns, the Client list their rows go to, and the row builder.
HISTORY = (
    (INVOICES, "invoices", lambda cells, zone: invoice_from(cells)),
    (ACTIVITIES, "activities", activity_from),
    (NOTES, "notes", note_from),
    (TIME_ENTRIES, "time_entries", lambda cells, zone: time_entry_from(cells)),
)

#: History (bytes of the files) assembled at once: a bundle with more is built in chunks
#: of clients, each with about this much history (128 MB is ~40,000 clients with a year
#: of history each, ~400 MB of Python objects).
CHUNK_BYTES = 128 * 2**20


@dataclass
class _Entry:
    """One client being assembled: its place in clients.csv order, the client (None if its
    row is bad), its id and its faults."""

    position: int
    client_id: str
    client: Client | None
    faults: list[str] = field(default_factory=list)


class _HistoryFile:
    """Turns the records of one history file into history items of the clients."""

    def __init__(self, layout: Layout, target: str, build: Callable, zone: tzinfo):
        self.layout, self.target, self.build, self.zone = layout, target, build, zone
        self.quick = quick_builder(layout, zone)

    def add(self, entry: _Entry, line: int, cell_values: list[str]) -> None:
        """Build the record's item and add it to the client's history, or its faults."""
        item = self.quick(cell_values)
        if item is None:
            cells = Cells(self.layout, line, cell_values)
            item = self.build(cells, self.zone)
            if item is None:
                entry.faults += cells.faults
                return
        if entry.client is not None:
            getattr(entry.client, self.target).append(item)


def read_bundle(folder: Path, names: dict[str, dict[str, str]], zone: tzinfo) -> Bundle:
    """Read the bundle in ``folder``; naive timestamps are taken to be in ``zone``.

    ``names`` holds the user's column names per file. Raises InputError for a missing
    folder or clients.csv and for structural faults in any file: every file is read
    through before this returns. The history files are read a block at a time; while
    they hold no more than CHUNK_BYTES, the history is built as it is read. A larger
    bundle's history is built for the first chunk of clients as it is read; the other
    chunks' records wait in temporary files, and each chunk's clients are built only
    when the returned records reach it, so memory holds one chunk's history at a time
    whatever order the files are in.
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
    order: list[_Entry | RecordFailure | None] = []
    _read_clients(clients_file, entries, order)
    history_bytes = sum(
        (folder / columns.file).stat().st_size
        for columns, _, _ in HISTORY
        if (folder / columns.file).is_file()
    )
    chunks = min(max(1, -(-history_bytes // CHUNK_BYTES)), max(1, len(order)))
    size = -(-len(order) // chunks) or 1  # clients per chunk
    spill = Spill() if chunks > 1 else None
    files: list[_HistoryFile] = []
    try:
        for columns, target, build in HISTORY:
            path = folder / columns.file
            if not path.is_file():
                continue
            stream = stream_records(path)
            header = next(stream.records, None)
            if header is None:
                continue
            file_names = names.get(columns.file, {})
            layout = locate(columns, header[1], file_names, place(path, 1))
            warnings += missing_mapped(layout, file_names)
            history = _HistoryFile(layout, target, build, zone)
            if spill is None:
                deliver = history.add
            else:
                deliver = functools.partial(_wait, spill, history, len(files), size)
            files.append(history)
            warnings += _read_history(layout, stream.records, entries, deliver)
    except BaseException:
        if spill is not None:
            spill.close()
        raise
    return Bundle(_assembled(order, size, files, spill), warnings, clients_file)


def _wait(
    spill: Spill,
    history: _HistoryFile,
    file_number: int,
    size: int,
    entry: _Entry,
    line: int,
    cells: list[str],
) -> None:
    """Build a record of the first chunk of ``size`` clients now; keep the others' in the
    spill until their chunk is assembled."""
    if entry.position < size:
        history.add(entry, line, cells)
    else:
        spill.add((file_number, entry.position // size), (entry.position, line, cells))


def _assembled(
    order: list, size: int, files: list[_HistoryFile], spill: Spill | None
) -> Iterator[Client | RecordFailure]:
    """Yield the records in order, building each chunk's history from the spill first."""
    try:
        for start in range(0, len(order), size):
            if spill is not None:
                with bulk_allocation():
                    for number, history in enumerate(files):
                        for position, line, cells in spill.take((number, start // size)):
                            history.add(order[position], line, cells)
            for position in range(start, min(len(order), start + size)):
                item, order[position] = order[position], None
                yield _finished(item)
    finally:
        if spill is not None:
            spill.close()


def _read_clients(clients_file: ClientsFile, entries: dict[str, _Entry], order: list) -> None:
    layout = clients_file.layout
    for number, record in enumerate(clients_file.table.records[1:], start=1):
        cell_values = record.values()
        if not "".join(cell_values).strip():
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
                entries[client_id] = _Entry(len(order), client_id, None, [reason])
                order.append(entries[client_id])
            continue
        entries[client_id] = _Entry(len(order), client_id, client, cells.faults)
        order.append(entries[client_id])


def _read_history(
    layout: Layout,
    records: Iterator[tuple[int, list[str]]],
    entries: dict[str, _Entry],
    deliver: Callable[[_Entry, int, list[str]], None],
) -> list[str]:
    """Hand each record of a history file to ``deliver`` with its client; return warnings."""
    unknown: dict[str, int] = {}
    no_id: list[int] = []
    id_at = layout.index["client_id"]
    for line, cell_values in records:
        if not "".join(cell_values).strip():
            continue
        client_id = cell_values[id_at].strip() if id_at < len(cell_values) else ""
        entry = entries.get(client_id)
        if entry is None:
            if client_id:
                unknown[client_id] = unknown.get(client_id, 0) + 1
            else:
                no_id.append(line)
            continue
        deliver(entry, line, cell_values)
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
