"""Write risk fields back into clients.csv, keeping every other byte as it was.

Only the cells whose values change are rewritten; every other record and cell is
copied verbatim from the file as read, with its quoting, spacing and line
terminator. The first time any risk column gets a value, every missing one is added at
the end of the header in the documented order (RISK_FIELDS), so the columns never
drift over runs; each record gets empty cells for them, except rows that are empty or
shorter than the header and not written, which keep their bytes (they read the same).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from crmflags.connector import ClientChange, WriteReport
from crmflags.errors import InputError, place
from crmflags.model import RISK_FIELDS, RecordFailure
from crmflags_csv.columns import Layout
from crmflags_csv.plan import FilePlan, RowShape, locate
from crmflags_csv.table import Record, Table, parse_table, quote, unquote


@dataclass
class ClientsFile:
    """clients.csv as read: its records, where its columns are, and a fingerprint of its bytes.

    ``rows`` maps each client id to the indexes of its records in ``table.records``
    (more than one when the id is duplicated). ``shape`` turns a record's values into
    those the client is built from (None: as they are); ``warnings`` name configured
    columns the file lacks.
    """

    path: Path
    fingerprint: bytes
    table: Table
    layout: Layout
    rows: dict[str, list[int]]
    shape: RowShape | None = None
    warnings: list[str] = dataclasses.field(default_factory=list)

    def ensure_unchanged(self) -> None:
        """Raise InputError if the file on disk is no longer the one that was read.

        Called just before the new file is renamed over it: the contents are compared
        with what was read, and the file they were read from must still be the one at
        the path (same device, inode, size and modification time), so that a save by
        someone else landing meanwhile is never replaced.
        """
        try:
            with open(self.path, "rb") as file:
                identity = _identity(os.fstat(file.fileno()))
                data = file.read()
            unchanged = _fingerprint(data) == self.fingerprint
            unchanged = unchanged and _identity(os.stat(self.path)) == identity
        except FileNotFoundError:
            unchanged = False
        except OSError as exc:
            raise InputError(f"cannot read it ({exc.strerror})", str(self.path)) from None
        if not unchanged:
            raise InputError(
                "it changed after crmflags read it (edited meanwhile?); nothing was "
                "written: run crmflags again",
                str(self.path),
            )


def parse_clients_file(path: Path, data: bytes, plan: FilePlan) -> ClientsFile:
    """Parse the bytes of clients.csv; ``plan`` says how its columns are named.

    Raises InputError naming the file for an empty file or a missing id or name column.
    """
    table = parse_table(data, str(path))
    if not table.records:
        raise InputError(
            "the file is empty; it needs a header row with at least id and name", str(path)
        )
    header = table.records[0].values()
    layout, shape, warnings = locate(plan, header, path.name, place(path, 1))
    rows: dict[str, list[int]] = {}
    id_at = layout.index["id"]
    for number, record in enumerate(table.records[1:], start=1):
        raw = record.cells[id_at] if id_at < len(record.cells) else ""
        client_id = (unquote(raw) if raw[:1] == '"' else raw).strip()
        if client_id:
            rows.setdefault(client_id, []).append(number)
    return ClientsFile(path, _fingerprint(data), table, layout, rows, shape, warnings)


def apply_changes(
    clients: ClientsFile, changes: Iterable[ClientChange]
) -> tuple[bytes | None, WriteReport]:
    """Return the new bytes of clients.csv with the changes made, or None if no byte changes.

    A change for an id that is not in the file, or is in it twice, is reported as a
    RecordFailure and left out. ``written`` counts the clients whose cells changed.
    """
    report = WriteReport()
    wanted: dict[int, dict[str, str]] = {}
    for change in changes:
        row = _row_of(clients, change, report)
        if row is not None:
            wanted.setdefault(row, {}).update(change.fields)
    layout, table = clients.layout, clients.table
    width = len(table.records[0].cells)
    missing = [f for f in RISK_FIELDS if f not in layout.index]
    needed = any(fields.get(f) for f in missing for fields in wanted.values())
    added = missing if needed else []
    positions = {
        **{f: layout.index[f] for f in RISK_FIELDS if f in layout.index},
        **{f: width + i for i, f in enumerate(added)},
    }
    edited: dict[int, list[str]] = {}
    for row, fields in wanted.items():
        cells = _edited_cells(
            table.records[row], fields, positions, width, len(added), table.delimiter
        )
        if cells is not None:
            edited[row] = cells
    report.written = len(edited)
    if not edited:
        return None, report
    header = table.records[0].cells + [quote(layout.labels[f], table.delimiter) for f in added]
    texts = [table.delimiter.join(header) + table.records[0].end]
    for row, record in enumerate(table.records[1:], start=1):
        if row in edited:
            texts.append(table.delimiter.join(edited[row]) + record.end)
        elif added and len(record.cells) >= width and any(record.cells):
            texts.append(
                table.delimiter.join(_widened(record.cells, width, len(added))) + record.end
            )
        else:
            texts.append(table.text_of(record))
    return table.render(texts), report


def _row_of(clients: ClientsFile, change: ClientChange, report: WriteReport) -> int | None:
    rows = clients.rows.get(change.client_id, [])
    unknown = sorted(set(change.fields) - set(RISK_FIELDS))
    if unknown:
        reason = f"not a risk field: {', '.join(unknown)}"
    elif not rows:
        reason = f"no client with id {change.client_id!r}"
    elif len(rows) > 1:
        lines = " and ".join(str(clients.table.records[r].line) for r in rows)
        reason = f"id {change.client_id!r} is on lines {lines}"
    else:
        return rows[0]
    report.failures.append(
        RecordFailure(change.client_id, f"{clients.layout.file}: {reason}; not written")
    )
    return None


def _edited_cells(
    record: Record,
    fields: dict[str, str],
    positions: dict[str, int],
    width: int,
    added: int,
    delimiter: str,
) -> list[str] | None:
    """Return the record's cells with the changed values, or None if no value changes."""
    cells = _widened(record.cells, width, added)
    changed = False
    for field, value in fields.items():
        position = positions.get(field)
        if position is None:
            continue  # an empty value for a column the file does not have: nothing to store
        current = unquote(cells[position]) if position < len(cells) else ""
        if current == value:
            continue
        cells.extend([""] * (position + 1 - len(cells)))
        cells[position] = quote(value, delimiter)
        changed = True
    return cells if changed else None


def _widened(cells: list[str], width: int, added: int) -> list[str]:
    """Return a copy of the cells with ``added`` empty cells after the header's ``width``."""
    if not added:
        return list(cells)
    head = cells[:width] + [""] * (width - len(cells))
    return head + [""] * added + cells[width:]


def _fingerprint(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _identity(status: os.stat_result) -> tuple[int, int, int, int]:
    """Return what tells one version of a file from another without reading it."""
    return status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns
