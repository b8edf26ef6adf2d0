"""Read a CSV bundle (contracts §1) into canonical clients, in clients.csv order.

Every file is read through and its columns found before any client is returned, so
a structural fault (unreadable file, missing column, a date column that reads two
ways) stops the read with an InputError. A bad value only fails its own client: the
client becomes a RecordFailure naming every bad value's file:line: field.

Which files are read, and how their columns and values map to the canonical ones, is
the bundle's plan (:mod:`crmflags_csv.plan`): without a preset, clients.csv,
invoices.csv, ... by name; with one, a vendor's export files.
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
from crmflags_csv.column_forms import BLOCK_ROWS, ColumnEvidence, ColumnForms
from crmflags_csv.columns import ACTIVITIES, INVOICES, NOTES, TIME_ENTRIES, Layout
from crmflags_csv.plan import FilePlan, RowShape, files_of, locate
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
    at a time as it is iterated (see :func:`read_bundle`). ``forms`` are the forms its
    files' date and number columns were read in, by file name.
    """

    records: Iterator[Client | RecordFailure]
    warnings: list[str]
    clients_file: ClientsFile
    forms: dict[str, ColumnForms] = field(default_factory=dict)


#: The history files: the Client list their rows go to, and the row builder.
HISTORY = {
    INVOICES.file: ("invoices", lambda cells, zone: invoice_from(cells)),
    ACTIVITIES.file: ("activities", activity_from),
    NOTES.file: ("notes", note_from),
    TIME_ENTRIES.file: ("time_entries", lambda cells, zone: time_entry_from(cells)),
}

#: History (bytes of the files) assembled at once: a bundle with more is built in chunks
#: of clients, each with about this much history (128 MB is ~40,000 clients with a year
#: of history each, ~400 MB of Python objects).
CHUNK_BYTES = 128 * 2**20


@dataclass
class Entry:
    """One client being assembled: its place in clients.csv order, the client (None if its
    row is bad), its id and its faults."""

    position: int
    client_id: str
    client: Client | None
    faults: list[str] = field(default_factory=list)


class HistoryFile:
    """Turns the records of one history file into history items of the clients.

    Until the whole file has been seen (:meth:`finish`), a record with a value that only
    its column can settle (``9.500``, ``03/04/2026``) is held back, its place in the
    client's history kept, and built when the column is settled.
    """

    def __init__(self, layout: Layout, shape: RowShape | None, plan: FilePlan, zone: tzinfo):
        self.layout, self.shape, self.zone = layout, shape, zone
        self.target, self.build = HISTORY[layout.canonical]
        self.split = plan.split_of("client_id")
        self.evidence = ColumnEvidence(plan, layout)
        self.forms = self.evidence.unsettled()
        self.quick = quick_builder(layout, zone, self.forms)
        self.held: list[tuple[Entry, int | None, int, list[str]]] = []
        self.unknown: dict[tuple[str, str], int] = {}

    def add(self, entry: Entry, line: int, cell_values: list[str]) -> None:
        """Build the record's item and add it to the client's history, or its faults."""
        item = self.quick(cell_values)
        if item is None:
            cells = Cells(self.layout, line, cell_values, self.forms)
            item = self.build(cells, self.zone)
            if item is None:
                if cells.unsettled and not cells.faults:
                    self._hold(entry, line, cell_values)
                    return
                entry.faults += cells.faults
                for key in cells.unknown:
                    self.unknown[key] = self.unknown.get(key, 0) + 1
                return
        if entry.client is not None:
            getattr(entry.client, self.target).append(item)

    def _hold(self, entry: Entry, line: int, cell_values: list[str]) -> None:
        place_kept = None
        if entry.client is not None:
            items = getattr(entry.client, self.target)
            items.append(None)
            place_kept = len(items) - 1
        self.held.append((entry, place_kept, line, cell_values))

    def finish(self) -> ColumnForms:
        """Settle the columns' forms now that every record has been seen, and build the
        records held back; return the forms. InputError for a column that reads two ways."""
        self.forms = self.evidence.settle()
        self.quick = quick_builder(self.layout, self.zone, self.forms)
        held, self.held = self.held, []
        emptied = []
        for entry, kept, line, cell_values in held:
            if entry.client is None:
                self.add(entry, line, cell_values)
                continue
            items = getattr(entry.client, self.target)
            size = len(items)
            self.add(entry, line, cell_values)
            if len(items) > size:
                items[kept] = items.pop()
            else:
                emptied.append(items)
        for items in emptied:
            items[:] = [item for item in items if item is not None]
        return self.forms

    def split_ids(self, text: str) -> list[str]:
        """Return the client ids in a split link cell (``a;b``), each once."""
        return list(dict.fromkeys(p.strip() for p in text.split(self.split) if p.strip()))

    def warnings(self) -> list[str]:
        """Say which rows the file's value mappings left out, and which values none maps."""
        layout, shape = self.layout, self.shape
        warnings = []
        if shape is not None and shape.left_out:
            counts = ", ".join(
                f"{label} {value!r}: {count}" for (label, value), count in shape.left_out.items()
            )
            total = sum(shape.left_out.values())
            warnings.append(f"{layout.file}: {_rows(total)} ignored ({counts})")
        by_column: dict[str, list[str]] = {}
        for (column, value), count in self.unknown.items():
            by_column.setdefault(column, []).append(f"{value!r} ({_rows(count)})")
        for column, shown in by_column.items():
            warnings.append(
                f"{layout.file}: {layout.labels[column]} has values crmflags does not know: "
                f"{', '.join(shown)}; map them with csv.values.{layout.canonical}.{column} "
                "(or to ignore, to leave those rows out)"
            )
        return warnings


def read_bundle(folder: Path, plans: list[FilePlan], zone: tzinfo, origin: str = "") -> Bundle:
    """Read the bundle in ``folder``; naive timestamps are taken to be in ``zone``.

    ``plans`` say which files are read and how (clients.csv's first); ``origin``
    names a preset for messages. Raises InputError for a missing folder or clients.csv
    and for structural faults in any file: every file is read through before this
    returns. The history files are read a block at a time; while they hold no more than
    CHUNK_BYTES, the history is built as it is read. A larger bundle's history is built
    for the first chunk of clients as it is read; the other chunks' records wait in
    temporary files, and each chunk's clients are built only when the returned records
    reach it, so memory holds one chunk's history at a time whatever order the files are
    in.
    """
    check_folder(folder)
    found = files_of(folder, plans)
    path = clients_path(folder, found[0], origin)
    clients_file = parse_clients_file(path, read_bytes(path), found[0][0])
    warnings = list(clients_file.warnings)
    entries: dict[str, Entry] = {}
    order: list[Entry | RecordFailure | None] = []
    forms = {path.name: read_clients(clients_file, found[0][0], entries, order)}
    history_paths = [(plan, p) for plan, paths in found[1:] for p in paths]
    if not history_paths:
        warnings.append(no_history(folder, origin))
    history_bytes = sum(p.stat().st_size for _, p in history_paths)
    chunks = min(max(1, -(-history_bytes // CHUNK_BYTES)), max(1, len(order)))
    size = -(-len(order) // chunks) or 1  # clients per chunk
    spill = Spill() if chunks > 1 else None
    files: list[HistoryFile] = []
    try:
        for plan, path in history_paths:
            stream = stream_records(path)
            header = next(stream.records, None)
            if header is None:
                continue
            layout, shape, missing = locate(plan, header[1], path.name, place(path, 1))
            warnings += missing
            history = HistoryFile(layout, shape, plan, zone)
            if spill is None:
                deliver = history.add
            else:
                deliver = functools.partial(_wait, spill, history, len(files), size)
            files.append(history)
            warnings += _read_history(history, stream.records, entries, deliver)
            forms[path.name] = history.finish()
            warnings += history.warnings()
    except BaseException:
        if spill is not None:
            spill.close()
        raise
    return Bundle(_assembled(order, size, files, spill), warnings, clients_file, forms)


def check_folder(folder: Path) -> None:
    """Raise InputError unless ``folder`` is a folder (saying so if it is a file)."""
    if folder.is_file():
        raise InputError(
            f"{folder} is a file; the csv connector reads the folder it is in, with "
            f"clients.csv and the other files beside it: use --source {folder.parent}"
        )
    if not folder.is_dir():
        raise InputError(f"no such folder: {folder}")


def clients_path(folder: Path, found: tuple[FilePlan, list[Path]], origin: str) -> Path:
    """Return the clients file of the folder; InputError if there is none or several."""
    plan, paths = found
    if len(paths) > 1:
        names = ", ".join(p.name for p in paths)
        raise InputError(f"several files could be the clients file in {folder}: {names}")
    if paths:
        return paths[0]
    if origin:
        raise InputError(
            f"no clients file in {folder}: {origin} reads it from a file named like "
            f"{' or '.join(plan.patterns)}"
        )
    raise InputError(
        f"no clients.csv in {folder} (a CSV bundle needs at least clients.csv "
        "with id and name columns)"
    )


def no_history(folder: Path, origin: str) -> str:
    files = "invoices.csv, activities.csv, notes.csv or time_entries.csv"
    if origin:
        files = f"export of invoices, activities or notes that {origin} reads"
    return (
        f"{folder}: no {files}: without history every client will be ok "
        "(only gut_feeling and team_morale in the clients file can raise a tag)"
    )


def _wait(
    spill: Spill,
    history: HistoryFile,
    file_number: int,
    size: int,
    entry: Entry,
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
    order: list, size: int, files: list[HistoryFile], spill: Spill | None
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
                yield finished(item)
    finally:
        if spill is not None:
            spill.close()


def read_clients(
    clients_file: ClientsFile, plan: FilePlan, entries: dict[str, Entry], order: list
) -> ColumnForms:
    """Build the clients of clients.csv into ``entries`` and ``order``; return the forms its
    number columns were read in (found from all its values first)."""
    layout, shape = clients_file.layout, clients_file.shape
    evidence = ColumnEvidence(plan, layout)
    records = []
    for number, record in enumerate(clients_file.table.records[1:], start=1):
        cell_values = record.values()
        if not "".join(cell_values).strip():
            continue
        if shape is not None:
            shaped = shape.shape(cell_values)
            if shaped is None:  # a preset's skip: left the row out (it used to crash here)
                continue
            cell_values = shaped
        records.append((number, record.line, cell_values))
    evidence.see_rows([(line, cell_values) for _, line, cell_values in records])
    forms = evidence.settle()
    for number, line, cell_values in records:
        cells = Cells(layout, line, cell_values, forms)
        client = client_from(cells)
        client_id = cells.text("id").strip()
        if not client_id:
            order.append(RecordFailure(None, fault_reason(cells.faults)))
            continue
        rows = clients_file.rows[client_id]
        if len(rows) > 1:
            if number == rows[0]:
                lines = " and ".join(str(clients_file.table.records[r].line) for r in rows)
                reason = (
                    f"{place(layout.file, line, layout.labels['id'])}: {client_id!r} is on "
                    f"lines {lines}; none of them is evaluated or written"
                )
                entries[client_id] = Entry(len(order), client_id, None, [reason])
                order.append(entries[client_id])
            continue
        entries[client_id] = Entry(len(order), client_id, client, cells.faults)
        order.append(entries[client_id])
    return forms


def _read_history(
    history: HistoryFile,
    records: Iterator[tuple[int, list[str]]],
    entries: dict[str, Entry],
    deliver: Callable[[Entry, int, list[str]], None],
) -> list[str]:
    """Hand each record of a history file to ``deliver`` with its clients; return warnings."""
    unknown: dict[str, int] = {}
    no_id: list[int] = []
    shape, evidence = history.shape, history.evidence
    id_at, split = history.layout.index["client_id"], history.split
    block: list[tuple[int, list[str]]] = []  # records whose forms evidence is still to see
    for record in records:
        line, cell_values = record
        if not "".join(cell_values).strip():
            continue
        if shape is not None:
            shaped = shape.shape(cell_values)
            if shaped is None:
                continue
            cell_values = shaped
            record = line, cell_values
        block.append(record)
        if len(block) == BLOCK_ROWS:
            evidence.see_rows(block)
            block = []
        text = cell_values[id_at].strip() if id_at < len(cell_values) else ""
        ids = (text,) if split is None or split not in text else history.split_ids(text)
        for client_id in ids:
            entry = entries.get(client_id)
            if entry is None:
                if client_id:
                    unknown[client_id] = unknown.get(client_id, 0) + 1
                else:
                    no_id.append(line)
                continue
            deliver(entry, line, cell_values)
    evidence.see_rows(block)
    return history_warnings(history.layout.file, unknown, no_id)


def history_warnings(file: str, unknown: dict[str, int], no_id: list[int]) -> list[str]:
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


def finished(item: Entry | RecordFailure) -> Client | RecordFailure:
    if isinstance(item, RecordFailure):
        return item
    if not item.faults:
        assert item.client is not None  # a client is None only when its row has faults
        return item.client
    return RecordFailure(item.client_id, fault_reason(item.faults))


def fault_reason(faults: list[str]) -> str:
    reason = "; ".join(faults[:SHOWN_REASONS])
    if len(faults) > SHOWN_REASONS:
        reason += f"; and {len(faults) - SHOWN_REASONS} more"
    return reason
