"""Every read of a CSV bundle in the tests is read a second time as tables, and compared.

:func:`twin_read` replaces ``CsvConnector.read`` for a test (the ``csv_tables_twin``
fixture of conftest.py): it reads the bundle as ``read`` always has, then again with a
fresh connector's ``read_tables``, and fails the test unless both give the same clients
(``clients_from_tables``), the same failures in the same order, the same warnings and
output dialect, or the same InputError. So each CSV test bundle of the suite (Excel
dialects, mappings, presets, faulty rows) also checks the columnar reader.
"""

from __future__ import annotations

from collections.abc import Iterator

from crmflags.errors import InputError
from crmflags.model import Client, RecordFailure
from crmflags.tables import clients_from_tables
from crmflags_csv.connector import CsvConnector

#: The reader the twin compares with (the connector's own ``read``).
ROW_READ = CsvConnector.read


def twin_read(self: CsvConnector) -> Iterator[Client | RecordFailure]:
    """Read the bundle row by row as ``read`` does (as lazily, raising as early); once its
    records are all taken, read it as tables and compare."""
    try:
        rows = ROW_READ(self)
    except InputError as exc:
        try:
            CsvConnector(self.options).read_tables()
        except InputError as columnar:
            assert str(columnar) == str(exc)
        else:
            raise AssertionError(f"read_tables read a bundle that read() rejects: {exc}")
        raise
    return _compared(self, rows)


def _compared(
    connector: CsvConnector, rows: Iterator[Client | RecordFailure]
) -> Iterator[Client | RecordFailure]:
    records = []
    for record in rows:
        records.append(record)
        yield record
    compare_reads(connector, records, CsvConnector(connector.options))


def compare_reads(
    connector: CsvConnector, records: list[Client | RecordFailure], twin: CsvConnector
) -> None:
    """Fail unless ``twin.read_tables()`` gives what ``connector.read()`` gave: ``records``."""
    tables = twin.read_tables()
    read_file, twin_file = connector._clients_file, twin._clients_file
    if read_file and twin_file and read_file.fingerprint != twin_file.fingerprint:
        return  # clients.csv was saved again meanwhile (a test of exactly that)
    clients = [r for r in records if isinstance(r, Client)]
    assert list(clients_from_tables(tables)) == clients
    assert tables.failures == [r for r in records if isinstance(r, RecordFailure)]
    assert twin.warnings() == connector.warnings()
    assert twin.csv_dialect() == connector.csv_dialect()
