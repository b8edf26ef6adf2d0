"""Large bundles: read a block at a time and assembled a chunk of clients at a time.

A bundle too big to hold whole is read in blocks of lines and, past CHUNK_BYTES of
history, its history waits on disk until its chunk of clients is built. These tests shrink the
block, the chunk and the spill batch so that a small bundle takes every one of those
paths, and check that the clients come out exactly as from a whole-file read.
"""

from __future__ import annotations

import importlib.util
import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from crmflags.connector import ConnectorOptions
from crmflags.errors import InputError
from crmflags.settings import Settings
from crmflags_csv import CsvConnector
from crmflags_csv import bundle as bundle_module
from crmflags_csv import spill as spill_module
from crmflags_csv import table as table_module

BENCH = Path(__file__).resolve().parent.parent / "bench" / "generate.py"
SETTINGS = Settings(timezone=ZoneInfo("Europe/Budapest"), timezone_name="Europe/Budapest")


def load_generator():
    """Import bench/generate.py, the synthetic bundle writer of the benchmark."""
    spec = importlib.util.spec_from_file_location("bench_generate", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read(folder: Path) -> list:
    connector = CsvConnector(ConnectorOptions(settings=SETTINGS, source=folder))
    return list(connector.read())


@pytest.fixture
def tiny_pieces(monkeypatch):
    """Read in blocks of about 64 bytes, chunks of 200 bytes of history, batches of 4 rows."""

    def shrink():
        monkeypatch.setattr(table_module, "BLOCK_BYTES", 64)
        monkeypatch.setattr(bundle_module, "CHUNK_BYTES", 200)
        monkeypatch.setattr(spill_module, "BATCH_ROWS", 4)

    return shrink


def test_the_benchmark_bundle_reads_the_same_in_blocks_and_chunks(tmp_path, tiny_pieces):
    generate = load_generator().generate
    counts = generate(tmp_path / "bundle", 12, seed=4)
    assert counts["clients"] == 12 and min(counts.values()) > 0
    whole = read(tmp_path / "bundle")
    assert all(not hasattr(c, "reason") for c in whole)  # no failures: the generator is valid
    assert sum(len(c.invoices) for c in whole) == counts["invoices"]
    assert sum(len(c.notes) for c in whole) == counts["notes"]
    tiny_pieces()
    assert read(tmp_path / "bundle") == whole


def test_the_generator_is_deterministic(tmp_path):
    generate = load_generator().generate
    generate(tmp_path / "a", 5, seed=9)
    generate(tmp_path / "b", 5, seed=9)
    for file in (tmp_path / "a").iterdir():
        assert file.read_bytes() == (tmp_path / "b" / file.name).read_bytes()


def test_bad_values_and_their_places_survive_chunking(tmp_path, tiny_pieces):
    folder = tmp_path / "bundle"
    folder.mkdir()
    clients = "id,name\n" + "".join(f"c{n},Client {n}\n" for n in range(1, 8))
    (folder / "clients.csv").write_text(clients)
    (folder / "invoices.csv").write_text(
        "client_id,invoice_id,issued_on,due_on,amount\n"
        'c6,i1,2026-01-01,2026-01-15,"1,5"\n'
        "c2,i2,2026-01-01,2025-12-01,10\n"  # due before issued: c2 fails
        'c6,"i\n3",2026-02-01,2026-02-15,abc\n'  # a quoted line break, then a bad amount
        "c9,i4,2026-01-01,2026-01-15,10\n"  # no such client: left out
        "c1,i5,2026-03-01,2026-03-15,7\n"
    )
    whole = read(folder)
    tiny_pieces()
    chunked = read(folder)
    assert chunked == whole
    failures = {r.client_id: r.reason for r in chunked if hasattr(r, "reason")}
    assert failures["c2"].startswith("invoices.csv:3: field due_on:")
    assert failures["c6"].startswith("invoices.csv:4: field amount:")
    assert [i.invoice_id for i in chunked[0].invoices] == ["i5"]


def test_a_quote_never_closed_is_found_across_blocks(tmp_path, tiny_pieces):
    folder = tmp_path / "bundle"
    folder.mkdir()
    (folder / "clients.csv").write_text("id,name\nc1,One\n")
    notes = "client_id,created_at,body\n" + "c1,2026-01-01,fine\n" * 20
    (folder / "notes.csv").write_text(notes + 'c1,2026-01-02,"never closed\n' + "more\n" * 5)
    tiny_pieces()
    with pytest.raises(InputError, match=r"notes.csv:22: a quoted field .* never closed"):
        read(folder)


def test_the_spilled_history_is_removed_after_the_read(tmp_path, tiny_pieces, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    load_generator().generate(tmp_path / "bundle", 10, seed=2)
    tiny_pieces()
    records = CsvConnector(ConnectorOptions(settings=SETTINGS, source=tmp_path / "bundle")).read()
    next(records)
    assert list((tmp_path / "tmp").iterdir())  # the history of later chunks waits on disk
    list(records)
    assert not list((tmp_path / "tmp").iterdir())
