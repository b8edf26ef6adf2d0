"""Read the clients of clients.csv into the clients table, a column at a time.

The clients are the ones :func:`crmflags_csv.bundle.read_clients` builds, in clients.csv
order: a record is read by columns when each of its values is one the careful builder
(:func:`crmflags_csv.rows.client_from`) takes without a fault; the others, and every
record of a file a preset shapes, are built by the row readers, which name the faults.
An id on several records fails the first of them and leaves out the others; a record
without an id is a failure without a name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from crmflags.errors import place
from crmflags.model import RISK_FIELDS, Client, RecordFailure
from crmflags.tables import SCHEMAS
from crmflags.values import parse_flag
from crmflags_csv import formats
from crmflags_csv.bundle import Entry, fault_reason, read_clients
from crmflags_csv.clients_file import ClientsFile
from crmflags_csv.column_forms import ColumnEvidence, ColumnForms
from crmflags_csv.columns import Layout
from crmflags_csv.frames import LINE, cell, open_frame
from crmflags_csv.history_columns import OK, ColumnReading, stripped, text_of
from crmflags_csv.plan import FilePlan
from crmflags_csv.rows import Cells, client_from
from crmflags_csv.table import Record
from crmflags_csv.tables_of import clients_table

#: The column holding a client's place in clients.csv order.
POSITION = "_entry"
_AT = "_at"
_PAIRS = SCHEMAS["clients"]["risk"]
_FIELDS = [name for name in SCHEMAS["clients"] if name not in ("risk", "fields")]


@dataclass
class ClientsRead:
    """The clients of clients.csv: the table of those read whole, and what the history
    files need: each id's place (``ids``: ``_client``, POSITION), the faults by place, the
    places whose client is read (``readable``), and the id of each place (None: no id)."""

    table: pl.DataFrame
    ids: pl.DataFrame
    places: list[str | None]
    readable: set[int]
    faults: dict[int, list[str]] = field(default_factory=dict)

    def failures(self) -> list[RecordFailure]:
        """Return the failed clients in clients.csv order."""
        return [
            RecordFailure(self.places[at], fault_reason(faults))
            for at, faults in sorted(self.faults.items())
            if faults
        ]


def read_client_table(
    clients_file: ClientsFile, plan: FilePlan, data: bytes
) -> tuple[ClientsRead, ColumnForms]:
    """Read the clients of clients.csv (``data`` are its bytes); return them and the forms
    of its number columns."""
    if clients_file.shape is not None:
        return _by_rows(clients_file, plan)
    layout = clients_file.layout
    frame, whole = _records(clients_file, data)
    evidence = ColumnEvidence(plan, layout)
    evidence.see_frame(frame, cell, LINE)
    forms = evidence.settle()
    ids = stripped(text_of(frame, layout, "id"))
    counted = ids.to_frame("i").with_columns(
        n=pl.len().over("i"), first=pl.int_range(pl.len()).over("i") == 0
    )
    single = (counted["n"] == 1) & (ids != "")
    values = _read(frame, layout, forms)
    quick = values[OK] & single & whole
    places: list[str | None] = []
    faults: dict[int, list[str]] = {}
    readable: set[int] = set()
    lines = frame[LINE].to_list()
    built: list[tuple[int, Client]] = []
    records: dict[int, Record] | None = None
    rows = zip(ids.to_list(), counted["first"].to_list(), counted["n"].to_list(), strict=True)
    for at, (client_id, first, number), read in zip(
        range(frame.height), rows, quick.to_list(), strict=True
    ):
        if read:
            readable.add(len(places))
            places.append(client_id)
            continue
        if number > 1 and client_id:
            if first:
                faults[len(places)] = [_twice(layout, lines, ids, at, client_id)]
                places.append(client_id)
            continue
        if records is None:  # as written: a short record's fields lack its missing cells
            records = {record.line: record for record in clients_file.table.records}
        cells = Cells(layout, lines[at], records[lines[at]].values(), forms)
        client = client_from(cells)
        if client_id and client is not None:
            readable.add(len(places))
            built.append((at, client))
        else:
            faults[len(places)] = cells.faults
        places.append(client_id or None)
    table = _table(frame, layout, values, quick, built)
    return ClientsRead(table, _ids(places), places, readable, faults), forms


def _twice(layout: Layout, lines: list[int], ids: pl.Series, at: int, client_id: str) -> str:
    """Return the fault of an id on several records (named on the first of them)."""
    on = [str(lines[i]) for i in (ids == client_id).arg_true().to_list()]
    return (
        f"{place(layout.file, lines[at], layout.labels['id'])}: {client_id!r} is on lines "
        f"{' and '.join(on)}; none of them is evaluated or written"
    )


def _ids(places: list[str | None]) -> pl.DataFrame:
    named = [(client_id, at) for at, client_id in enumerate(places) if client_id]
    return pl.DataFrame(
        {"_client": [n for n, _ in named], POSITION: [at for _, at in named]},
        schema={"_client": pl.Utf8, POSITION: pl.Int64},
    )


def _records(clients_file: ClientsFile, data: bytes) -> tuple[pl.DataFrame, pl.Series]:
    """Return the non-blank records of clients.csv (its ``data``) as text columns with
    their lines, and whether each record has every cell of the header."""
    raw = open_frame(clients_file.path, data)
    assert raw is not None  # clients.csv has its header: parse_clients_file made sure
    frame = raw.records()
    records = clients_file.table.records
    width = len(records[0].cells)
    short = [record.line for record in records[1:] if len(record.cells) < width]
    whole = ~frame[LINE].is_in(pl.Series(short, dtype=pl.Int64).implode())
    return frame, whole


def _read(frame: pl.DataFrame, layout: Layout, forms: ColumnForms) -> pl.DataFrame:
    """Read the client columns of every record, as client_from reads them without a fault."""
    readers: dict[str, Callable[[str], Any]] = {
        "email": lambda text: text.strip() or None,
        "business_type": lambda text: text.strip() or None,
        "hourly_rate_target": _amount(forms.number("hourly_rate_target")),
        "contracted_hours": _amount(forms.number("contracted_hours")),
        "gut_feeling": lambda text: parse_flag(text) if text.strip() else False,
        "team_morale": _morale(forms.number("team_morale")),
    }
    reading = ColumnReading(frame, layout, readers)
    names = {name: stripped(reading.texts(name)) for name in ("id", "name")}
    reading.checked((names["id"] != "") & (names["name"] != ""))
    columns: dict[str, pl.Series] = dict(names)
    for name in ("email", "business_type"):
        columns[name] = reading.memo(name, {"v": pl.Utf8})["v"]
    for name in ("hourly_rate_target", "contracted_hours", "team_morale"):
        columns[name] = reading.memo(name, {"v": pl.Float64})["v"]
    columns["gut_feeling"] = reading.memo("gut_feeling", {"v": pl.Boolean})["v"]
    return reading.result({name: columns[name].alias(name) for name in _FIELDS})


def _amount(form: formats.NumberForm) -> Callable[[str], float | None]:
    def read(text: str) -> float | None:
        if not text.strip():
            return None
        number = formats.parse_number(text, form)
        if number < 0:
            raise ValueError
        return number

    return read


def _morale(form: formats.NumberForm) -> Callable[[str], float | None]:
    def read(text: str) -> float | None:
        if not text.strip():
            return None
        number = formats.parse_number(text, form)
        if not 1 <= number <= 5:
            raise ValueError
        return number

    return read


def _table(
    frame: pl.DataFrame,
    layout: Layout,
    values: pl.DataFrame,
    quick: pl.Series,
    built: list[tuple[int, Client]],
) -> pl.DataFrame:
    """Return the clients table: the records read by columns and the clients built, in
    clients.csv order."""
    risk = pl.concat_list(
        pl.struct(
            pl.lit(name, pl.Utf8).alias("name"),
            (
                pl.col(cell(layout.index[name])) if name in layout.index else pl.lit(None, pl.Utf8)
            ).alias("value"),
        )
        for name in RISK_FIELDS
    )
    others = [
        pl.struct(pl.lit(name, pl.Utf8).alias("name"), pl.col(cell(at)).alias("value"))
        for name, at in layout.others.items()
    ]
    fields = pl.concat_list(others) if others else pl.lit([], dtype=_PAIRS)
    pairs = frame.with_columns(
        risk.cast(_PAIRS).alias("risk"), fields.cast(_PAIRS).alias("fields")
    ).select("risk", "fields")
    table = pl.concat([values.drop(OK), pairs], how="horizontal")
    table = table.with_columns(pl.int_range(pl.len(), dtype=pl.Int64).alias(_AT)).filter(quick)
    if built:
        careful = clients_table([client for _, client in built]).with_columns(
            pl.Series(_AT, [at for at, _ in built], dtype=pl.Int64)
        )
        table = pl.concat([table, careful], how="vertical").sort(_AT)
    return table.drop(_AT)


def _by_rows(clients_file: ClientsFile, plan: FilePlan) -> tuple[ClientsRead, ColumnForms]:
    """Read the clients of a clients file a preset shapes, with the row readers."""
    entries: dict[str, Entry] = {}
    order: list[Entry | RecordFailure | None] = []
    forms = read_clients(clients_file, plan, entries, order)
    places: list[str | None] = []
    faults: dict[int, list[str]] = {}
    readable: set[int] = set()
    clients: list[Client] = []
    for item in order:
        if isinstance(item, RecordFailure):
            faults[len(places)] = [item.reason]
            places.append(None)
            continue
        assert item is not None
        if item.faults:
            faults[len(places)] = list(item.faults)
        elif item.client is not None:
            readable.add(len(places))
            clients.append(item.client)
        places.append(item.client_id)
    return ClientsRead(clients_table(clients), _ids(places), places, readable, faults), forms
