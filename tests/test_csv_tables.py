"""The csv connector's read_tables() reads every bundle as read() does.

For random bundles of every dialect (delimiters, byte-order marks, CRLF, quoted cells
with line breaks, blank and short rows), with settings that force forms, rename columns
and map values, and with faulty rows of every kind (bad dates and numbers, unknown
words, invoices due before they are issued, clients twice or without an id, history of
unknown clients), the clients read as tables and rebuilt (clients_from_tables) equal
read()'s, and the failures, warnings and InputErrors are the very same. The same holds
for the benchmark's generated bundles, the judgement sets and the shipped sample data.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import random
import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from tables_twin import ROW_READ, compare_reads

from crmflags.connector import ConnectorOptions
from crmflags.errors import InputError
from crmflags.model import Client, RecordFailure
from crmflags.settings import Settings
from crmflags.tables import clients_from_tables
from crmflags.yamlfile import load_yaml
from crmflags_csv import bundle as bundle_module
from crmflags_csv.connector import CsvConnector
from crmflags_csv.frames import open_frame
from crmflags_csv.table import stream_records

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = Settings(timezone=ZoneInfo("Europe/Budapest"), timezone_name="Europe/Budapest")

#: Values each kind of column is written with: most are good, some are faults.
GOOD = {
    "date": ["2026-03-04", "2026-11-30", " 2026-01-02 ", "2026.03.04.", "04.03.2026"],
    "early": ["2026-01-02", "2026.01.05.", "2025-12-30"],
    "due": ["2026-11-30", "30.11.2026", "2026-12-01"],
    "paid": ["", "", "2026-11-28"],
    "credit": ["", "", "0", "1,5"],
    "moment": [
        "2026-03-04T10:30",
        "2026-03-04 22:15:30",
        "2026-03-29T02:30",  # in the hour Budapest skips
        "2026-10-25T02:30",  # in the hour Budapest has twice
        "2026-10-25T01:59:59",
        "2026-06-01T08:00:00+03:00",
        "2026-06-01T08:00Z",
        "2026-05-05",
        "2026.09.08. 10:30",
    ],
    "number": ["12.5", "1200", "0", "7", "430.69", "0.5", "9.500", "3 EUR"],
    "comma": ["12,5", "1200", "1.200,00", "€ 12", "9.500", "7"],
    "flag": ["", "yes", "no", "igen", "Kyllä", "0"],
    "kind": ["call", "Email", "rush request", "reminder", "meeting"],
    "direction": ["", "inbound", "OUTBOUND"],
    "marker": ["", "legal", "threat"],
    "currency": ["", "EUR", "huf"],
    "text": ["Weekly call", 'said, then "left"', "two\nlines", " spaced ", "Kovács"],
}
BAD = {
    "date": ["2026-13-01", "abc", ""],
    "moment": ["2026-03-04T25:00", "yesterday", "", "2026-02-30T10:00"],
    "number": ["lots", "-3", "1.2.3", "", "12 kr"],
    "comma": ["lots", "-3", "12.5"],
    "flag": ["maybe"],
    "kind": ["fax", "", "Hívás"],
    "direction": ["sideways"],
    "marker": ["rude"],
    "currency": ["Euro"],
    "text": ["", "   "],
}
COLUMNS = {
    "invoices": {
        "client_id": "id",
        "invoice_id": "text",
        "issued_on": "early",
        "due_on": "due",
        "amount": "number",
        "paid_on": "paid",
        "currency": "currency",
        "disputed": "flag",
        "credited_amount": "credit",
    },
    "activities": {
        "client_id": "id",
        "occurred_at": "moment",
        "kind": "kind",
        "direction": "direction",
        "subject": "text",
    },
    "notes": {"client_id": "id", "created_at": "moment", "body": "text", "marker": "marker"},
    "time_entries": {
        "client_id": "id",
        "date": "date",
        "hours": "number",
        "billable": "flag",
        "in_scope": "flag",
    },
}
OPTIONAL = {"paid_on", "currency", "disputed", "credited_amount", "direction", "subject"}
OPTIONAL |= {"marker", "billable", "in_scope"}


def connector(folder: Path, config: dict | None = None) -> CsvConnector:
    return CsvConnector(ConnectorOptions(settings=SETTINGS, source=folder, config=config or {}))


def write(path: Path, rows: list[list[str]], rng: random.Random, delimiter: str) -> None:
    """Write rows as a spreadsheet might: quoting, line ends, BOM, blank and short rows."""
    out = io.StringIO()
    quoting = rng.choice([csv.QUOTE_MINIMAL, csv.QUOTE_ALL])
    end = rng.choice(["\n", "\r\n"])
    writer = csv.writer(out, delimiter=delimiter, quoting=quoting, lineterminator=end)
    for at, row in enumerate(rows):
        if at and rng.random() < 0.03:
            out.write(end if rng.random() < 0.5 else delimiter * 2 + end)
        if at and rng.random() < 0.02:
            row = row[: rng.randrange(1, len(row))]
        writer.writerow(row)
    bom = "\ufeff" if rng.random() < 0.3 else ""
    path.write_text(bom + out.getvalue(), encoding="utf-8", newline="")


def random_bundle(folder: Path, seed: int) -> dict:
    """Write a random bundle into ``folder``; return its csv: settings."""
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    delimiter = rng.choice([",", ";", "\t"])
    faulty = rng.choice([0.0, 0.002, 0.02])
    numbers = rng.choice(["number", "comma"])
    ids = [f"c{n}" for n in range(rng.randint(1, 25))]
    clients = [["id", "name", "hourly_rate_target", "gut_feeling", "team_morale", "Owner"]]
    for client_id in ids:
        morale = rng.choice(["", "3", "4,5", "9"] if rng.random() < faulty * 4 else ["", "2"])
        owner = rng.choice(["", "Anna", " Béla "])
        clients.append(
            [client_id, f"Client {client_id}", rng.choice(["60", ""]), "no", morale, owner]
        )
    if len(ids) > 3 and rng.random() < 0.3:
        clients.append([ids[1], "Again", "", "", "", ""])  # the same id twice
    if rng.random() < 0.2:
        clients.append(["", "No id", "", "", "", ""])
    write(folder / "clients.csv", clients, rng, delimiter)
    config: dict = {}
    renamed = rng.random() < 0.3
    for file, columns in COLUMNS.items():
        if rng.random() < 0.15:
            continue  # a bundle without this file
        names = [c for c in columns if c not in OPTIONAL or rng.random() < 0.8]
        rng.shuffle(names)
        header = [f"My {c}" if renamed else c for c in names]
        if renamed:
            config.setdefault("columns", {})[f"{file}.csv"] = {c: f"My {c}" for c in names}
        rows = [header]
        for _ in range(rng.randint(0, 80)):
            client_id = rng.choice(ids + ["nobody", ""] if rng.random() < 0.05 else ids)
            kinds = [numbers if columns[c] == "number" else columns[c] for c in names]
            rows.append([cell(kind, client_id, rng, faulty) for kind in kinds])
        if (rng.random() < 0.03 or seed % 16 == 5) and "date" in columns.values():
            rows.append([cell(columns[c], ids[0], rng, 0) for c in names])
            rows[-1][names.index("date")] = "03/04/2026"  # a date that reads two ways
        write(folder / f"{file}.csv", rows, rng, delimiter)
    if rng.random() < 0.2:
        config["decimal"] = rng.choice([".", ","])
    if rng.random() < 0.2:
        config["date_format"] = {"activities.csv": "YYYY-MM-DD"}
    if rng.random() < 0.3:
        config["values"] = {"activities.csv": {"kind": {"Hívás": "call", "fax": "ignore"}}}
    return config


def cell(kind: str, client_id: str, rng: random.Random, faulty: float) -> str:
    if kind == "id":
        return client_id
    pool = BAD.get(kind, BAD["date"]) if rng.random() < faulty else GOOD[kind]
    return rng.choice(pool)


def read_both(source: Path, config: dict | None = None) -> tuple[list, Exception | None]:
    """Return read()'s records (or its InputError), having checked read_tables() agrees."""
    rows = connector(source, config)
    try:
        records = list(ROW_READ(rows))
    except InputError as exc:
        with pytest.raises(InputError) as columnar:
            connector(source, config).read_tables()
        assert str(columnar.value) == str(exc)
        return [], exc
    compare_reads(rows, records, connector(source, config))
    return records, None


@pytest.mark.parametrize("seed", range(40))
def test_random_bundles_read_alike_as_tables(tmp_path, seed):
    config = random_bundle(tmp_path / "bundle", seed)
    read_both(tmp_path / "bundle", config)


def test_the_random_bundles_have_clients_failures_and_errors(tmp_path):
    """The random bundles above are no easy case: they have all three outcomes."""
    clients = failures = errors = 0
    for seed in range(40):
        config = random_bundle(tmp_path / str(seed), seed)
        records, error = read_both(tmp_path / str(seed), config)
        clients += sum(isinstance(r, Client) and bool(r.activities or r.invoices) for r in records)
        failures += sum(isinstance(r, RecordFailure) for r in records)
        errors += error is not None
    assert clients > 200 and failures > 20 and errors >= 1


def load_generator():
    """Import bench/generate.py, the synthetic bundle writer of the benchmark."""
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench/generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("seed", [1, 7])
def test_generated_bundles_read_alike_as_tables(tmp_path, seed):
    load_generator().generate(tmp_path / "bundle", 60, seed=seed)
    records, _ = read_both(tmp_path / "bundle")
    assert len(records) == 60


@pytest.mark.parametrize("name", ["dev", "dev2", "holdout"])
def test_the_judgement_sets_read_alike_as_tables(name):
    folder = ROOT / "bench" / "judgement" / name
    settings = load_yaml(folder / "crmflags.yaml").get("csv") or {}
    records, error = read_both(folder, settings)
    assert error is None and records


def test_the_sample_data_reads_alike_as_tables():
    records, error = read_both(ROOT / "crmflags" / "sample_data")
    assert error is None and len(records) == 30


def test_tables_keep_the_history_in_file_order(tmp_path):
    folder = tmp_path / "bundle"
    folder.mkdir()
    (folder / "clients.csv").write_text("id,name\na,A\nb,B\n")
    (folder / "invoices.csv").write_text(
        "client_id,invoice_id,issued_on,due_on,amount\n"
        "b,3,2026-01-01,2026-01-31,9.500\n"  # read once the column says 9.500 is 9500
        'a,1,2026-01-01,2026-01-31,"1.200,00"\n'
        "b,2,2026-01-01,2026-01-31,12\n"
    )
    tables = connector(folder).read_tables()

    assert tables.invoices["invoice_id"].to_list() == ["3", "1", "2"]
    assert tables.invoices["amount"].to_list() == [9500.0, 1200.0, 12.0]
    (a, b) = clients_from_tables(tables)
    assert [i.invoice_id for i in b.invoices] == ["3", "2"]


def test_a_faulty_row_fails_its_client_with_the_row_readers_message(tmp_path):
    folder = tmp_path / "bundle"
    folder.mkdir()
    (folder / "clients.csv").write_text("id,name\na,A\nb,B\n")
    (folder / "time_entries.csv").write_text(
        "client_id,date,hours\na,2026-01-01,2\nb,2026-01-01,lots\nb,2026-13-01,1\n"
    )
    tables = connector(folder).read_tables()

    assert tables.clients["id"].to_list() == ["a"]
    assert tables.time_entries["client_id"].to_list() == ["a"]
    assert tables.failures == [
        RecordFailure(
            "b",
            "time_entries.csv:3: field hours: 'lots' is not a number; time_entries.csv:4: "
            "field date: '2026-13-01' is not a date (expected YYYY-MM-DD)",
        )
    ]


def test_reading_tables_writes_no_spill_files(tmp_path, monkeypatch):
    spill = tmp_path / "tmp"
    spill.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spill))
    monkeypatch.setattr(bundle_module, "CHUNK_BYTES", 200)  # read() would spill at this size

    def no_spill():
        raise AssertionError("the tables path spilled")

    monkeypatch.setattr(bundle_module, "Spill", no_spill)
    load_generator().generate(tmp_path / "bundle", 20, seed=3)
    tables = connector(tmp_path / "bundle").read_tables()

    assert tables.clients.height == 20 and tables.activities.height > 100
    assert not list(spill.iterdir())


PIECES = ["a", "b", "", " ", '"q,x"', '"l\nm"', '"d""e"', 'x"y', "\r\n", "\n", "\n", ",", ";"]
PIECES += ["é", "\t", '"\r\n"', '"bad"z', "\r", ",", '"', "  "]


@pytest.mark.parametrize("seed", range(4))
def test_polars_splits_files_as_the_csv_reader_does(tmp_path, seed):
    """Whatever the quoting, line ends and blank lines: the same cells on the same lines,
    or the same InputError."""
    rng = random.Random(seed)
    path = tmp_path / "f.csv"
    for _ in range(500):
        head = rng.choice(["h1,h2,h3\n", "\ufeffh1;h2;h3\n", '"h1",h2\r\n', "h1\th2\n"])
        path.write_bytes((head + "".join(rng.choices(PIECES, k=rng.randint(0, 40)))).encode())
        assert _cells(lambda: _frame_cells(path)) == _cells(lambda: _stream_cells(path))


def _cells(read):
    try:
        return read()
    except InputError as exc:
        return str(exc)


def _frame_cells(path: Path):
    raw = open_frame(path)
    return None if raw is None else (raw.header, [tuple(r) for r in raw.records().rows()])


def _stream_cells(path: Path):
    records = stream_records(path).records
    first = next(records, None)
    if first is None:
        return None
    width, rows = len(first[1]), []
    for line, values in records:
        if "".join(values).strip():
            rows.append((line, *[values[i] if i < len(values) else "" for i in range(width)]))
    return first[1], rows
