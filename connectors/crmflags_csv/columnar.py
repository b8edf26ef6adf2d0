"""Read a CSV bundle as tables (:class:`crmflags.tables.HistoryTables`), a column at a time.

The same clients, failures and warnings as :func:`crmflags_csv.bundle.read_bundle`,
without building a Python object per history row and without spill files: clients.csv
is read as it always is (its rows are few, and write-back needs them), each history file
with polars (:mod:`crmflags_csv.frames`), its columns' forms found from all its values at
once and its cells read a column at a time (:mod:`crmflags_csv.history_columns`). The
records that reading leaves out are read by the careful row builders of
:mod:`crmflags_csv.rows`, in the order :mod:`crmflags_csv.bundle` reads them (a record
whose value only its column can settle after the others of its file), so every fault is
named, and counted, exactly as before.
"""

from __future__ import annotations

from datetime import tzinfo
from pathlib import Path

import polars as pl

from crmflags.errors import place
from crmflags.model import Client
from crmflags.tables import HISTORY, SCHEMAS, HistoryTables, empty_table, tables_from_clients
from crmflags_csv.bundle import (
    Bundle,
    HistoryFile,
    check_folder,
    clients_path,
    history_warnings,
    no_history,
)
from crmflags_csv.client_columns import POSITION, ClientsRead, read_client_table
from crmflags_csv.clients_file import parse_clients_file
from crmflags_csv.column_forms import ColumnForms
from crmflags_csv.frames import LINE, RawFile, cell, open_frame
from crmflags_csv.history_columns import OK, read_columns, stripped, text_of
from crmflags_csv.plan import FilePlan, RowShape, files_of, locate
from crmflags_csv.rows import Cells
from crmflags_csv.table import read_bytes

_ID, _ENTRY = "_client", POSITION


def read_tables(
    folder: Path, plans: list[FilePlan], zone: tzinfo, origin: str = ""
) -> tuple[HistoryTables, Bundle]:
    """Read the bundle in ``folder`` as tables, as :func:`~crmflags_csv.bundle.read_bundle`
    reads it (same arguments, same InputErrors); return the tables and the read's bundle
    (warnings, clients.csv, forms; its ``records`` are empty)."""
    check_folder(folder)
    found = files_of(folder, plans)
    path = clients_path(folder, found[0], origin)
    data = read_bytes(path)
    clients_file = parse_clients_file(path, data, found[0][0])
    warnings = list(clients_file.warnings)
    clients, clients_forms = read_client_table(clients_file, found[0][0], data)
    forms = {path.name: clients_forms}
    history_paths = [(plan, p) for plan, paths in found[1:] for p in paths]
    if not history_paths:
        warnings.append(no_history(folder, origin))
    read: dict[str, list[pl.DataFrame]] = {name: [] for name in HISTORY}
    for plan, history_path in history_paths:
        raw = open_frame(history_path)
        if raw is None:
            continue
        layout, shape, missing = locate(plan, raw.header, history_path.name, place(history_path, 1))
        warnings += missing
        history = HistoryFile(layout, shape, plan, zone)
        table, file_forms, file_warnings = _HistoryColumns(history, zone, clients).read(raw)
        read[history.target].append(table)
        forms[history_path.name] = file_forms
        warnings += file_warnings
    failed = {at for at, faults in clients.faults.items() if faults}
    good = [clients.places[at] for at in sorted(clients.readable - failed)]
    good_ids = pl.Series(good, dtype=pl.Utf8).implode()
    tables = HistoryTables(
        clients=clients.table
        if len(good) == clients.table.height
        else clients.table.filter(pl.col("id").is_in(good_ids)),
        failures=clients.failures(),
    )
    every = len(good) == clients.ids.height  # every client named is read whole
    for name, frames in read.items():
        if frames:
            table = pl.concat(frames, how="vertical", rechunk=False)
            if not every:
                table = table.filter(pl.col("client_id").is_in(good_ids))
            setattr(tables, name, table)
    return tables, Bundle(iter(()), warnings, clients_file, forms)


class _HistoryColumns:
    """One history file read into its table: the records read by columns, the others by
    the careful row builders in the order the row-by-row reader reads them."""

    def __init__(self, history: HistoryFile, zone: tzinfo, clients: ClientsRead):
        self.history, self.zone, self.clients = history, zone, clients
        self.layout = history.layout

    def read(self, raw: RawFile) -> tuple[pl.DataFrame, ColumnForms, list[str]]:
        """Return the file's table (``client_id`` first, in file order), the forms its
        columns were read in, and its warnings. Only the table is kept: the file's cells
        are let go as soon as they are read."""
        history, layout = self.history, self.layout
        frame = raw.records()
        if history.shape is not None:
            frame = _shaped(frame, history.shape)
        frame = frame.with_columns(stripped(text_of(frame, layout, "client_id")).alias(_ID))
        history.evidence.see_frame(frame, cell, LINE)
        if history.split is not None:
            frame = self._split(frame)
        entries = frame.select(_ID).join(
            self.clients.ids, on=_ID, how="left", maintain_order="left"
        )[_ENTRY]
        frame = frame.with_columns(entries)  # no copy of the cells, as a join would make
        warnings = self._link_warnings(frame)
        forms = history.evidence.settle()
        if entries.null_count():
            frame = frame.filter(pl.col(_ENTRY).is_not_null())
        values = read_columns(frame, layout, self.zone, forms)
        ok = values[OK]
        columns = list(SCHEMAS[history.target])
        table = values.with_columns(client_id=frame[_ID], **{LINE: frame[LINE]})
        if ok.all():
            return table.select(columns), forms, warnings + history.warnings()
        careful = self._carefully(frame.filter(~ok), forms)
        del frame
        table = pl.concat([table.filter(ok).select(*columns, LINE), careful], how="vertical")
        table = table.sort(LINE, maintain_order=True)
        return table.select(columns), forms, warnings + history.warnings()

    def _split(self, frame: pl.DataFrame) -> pl.DataFrame:
        """Give each client id of a split link cell (``a;b``) its own copy of the record."""
        split, history = self.history.split, self.history
        assert split is not None
        texts = frame[_ID].unique().to_list()
        lists = {t: ([t] if split not in t else history.split_ids(t)) for t in texts}
        table = pl.DataFrame(
            {_ID: texts, "_ids": [lists[t] for t in texts]},
            schema={_ID: pl.Utf8, "_ids": pl.List(pl.Utf8)},
        )
        joined = frame.join(table, on=_ID, how="left", maintain_order="left")
        return joined.drop(_ID).rename({"_ids": _ID}).explode(_ID).drop_nulls(_ID)

    def _link_warnings(self, frame: pl.DataFrame) -> list[str]:
        """Warn of the records of clients not in clients.csv, and of those without an id."""
        lost = frame.filter(pl.col(_ENTRY).is_null())
        unknown = lost.filter(pl.col(_ID) != "").group_by(_ID, maintain_order=True).len()
        no_id = lost.filter(pl.col(_ID) == "")[LINE].to_list()
        return history_warnings(self.layout.file, dict(unknown.iter_rows()), no_id)

    def _carefully(self, frame: pl.DataFrame, forms: ColumnForms) -> pl.DataFrame:
        """Build the records the columns left out with the careful builders: first as the
        row-by-row reader does while the file is read (a record only its column can settle
        waits), then the records that waited; return the table of those built."""
        history = self.history
        cells_at = [c for c in frame.columns if c.startswith("c") and c[1:].isdigit()]
        built: list[tuple[int, int, object]] = []
        waiting = []
        for row in frame.select(LINE, _ENTRY, *cells_at).iter_rows():
            line, position, cell_values = row[0], row[1], list(row[2:])
            if not self._build(position, line, cell_values, history.forms, built):
                waiting.append((position, line, cell_values))
        for position, line, cell_values in waiting:
            self._build(position, line, cell_values, forms, built)
        target = history.target
        if not built:
            return empty_table(target).with_columns(pl.lit(0, pl.Int64).alias(LINE)).clear()
        places = self.clients.places
        clients = []
        for _, at, item in built:
            client = Client(id=places[at] or "", name="")
            getattr(client, target).append(item)
            clients.append(client)
        table = tables_from_clients(clients).table(target)
        return table.with_columns(pl.Series(LINE, [line for line, _, _ in built], pl.Int64))

    def _build(
        self,
        position: int,
        line: int,
        cell_values: list[str],
        forms: ColumnForms,
        built: list[tuple[int, int, object]],
    ) -> bool:
        """Build one record of the client at ``position`` in ``forms``; False if it must
        wait for its column's form."""
        history = self.history
        cells = Cells(self.layout, line, cell_values, forms)
        item = history.build(cells, self.zone)
        if item is not None:
            if position in self.clients.readable:
                built.append((line, position, item))
            return True
        if cells.unsettled and not cells.faults:
            return False
        self.clients.faults.setdefault(position, []).extend(cells.faults)
        for key in cells.unknown:
            history.unknown[key] = history.unknown.get(key, 0) + 1
        return True


def _shaped(frame: pl.DataFrame, shape: RowShape) -> pl.DataFrame:
    """Return the records as the file's RowShape makes them (joined, fixed and mapped
    cells; rows it leaves out dropped, and counted in ``shape.left_out``)."""
    lines: list[int] = []
    rows: list[list[str]] = []
    for line, *cell_values in frame.iter_rows():
        shaped_cells = shape.shape(list(cell_values))
        if shaped_cells is not None:
            lines.append(line)
            rows.append(shaped_cells)
    width = len(rows[0]) if rows else frame.width - 1
    columns = {cell(i): pl.Series([r[i] for r in rows], dtype=pl.Utf8) for i in range(width)}
    return pl.DataFrame({LINE: pl.Series(lines, dtype=pl.Int64), **columns})
