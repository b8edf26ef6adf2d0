"""The sqlite connector: clients and their history from a SQLite database; risk columns back."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from crmflags.connector import ClientChange, Connector, ConnectorOptions, WriteReport
from crmflags.errors import InputError
from crmflags.model import RISK_FIELDS, Client, RecordFailure
from crmflags_sqlite.configuration import database_path
from crmflags_sqlite.database import columns, opened
from crmflags_sqlite.reading import read_database


class SqliteConnector(Connector):
    """Reads clients, invoices, activities and notes from a SQLite database.

    The database is ``--source FILE`` or ``database:`` under ``sqlite:`` in
    crmflags.yaml; the risk fields are written to the risk columns of clients.
    """

    name = "sqlite"
    description = (
        "a SQLite database of clients, invoices, activities and notes; risk columns go to clients"
    )

    def __init__(self, options: ConnectorOptions):
        super().__init__(options)
        self.path = database_path(options)
        self._warnings: list[str] = []

    def source_key(self) -> str:
        """Return ``sqlite:`` and the database's absolute path."""
        return f"sqlite:{self.path.resolve()}"

    def read(self) -> Iterator[Client | RecordFailure]:
        """Read every client with its history, in rowid order of clients."""
        with opened(self.path) as connection:
            reading = read_database(connection, self.path, self.options.settings.timezone)
        self._warnings = reading.warnings
        return iter(reading.records)

    def write(self, changes: Iterable[ClientChange]) -> WriteReport:
        """Update the given risk columns of the given clients in one transaction.

        A client id not in clients is a failure in the report. Raises InputError,
        writing nothing, when clients lacks a risk column (``crmflags setup`` adds it).
        """
        report = WriteReport()
        changes = [change for change in changes if change.fields]
        if not changes:
            return report
        with opened(self.path) as connection:
            self._check_risk_columns(connection, changes)
            connection.execute("BEGIN IMMEDIATE")
            try:
                rowids = {
                    str(id_): rowid
                    for rowid, id_ in connection.execute("SELECT rowid, id FROM clients")
                }
                for change in changes:
                    rowid = rowids.get(change.client_id)
                    if rowid is None:
                        report.failures.append(
                            RecordFailure(change.client_id, "no client with this id in clients")
                        )
                        continue
                    assignments = ", ".join(f'"{column}" = ?' for column in change.fields)
                    connection.execute(
                        f"UPDATE clients SET {assignments} WHERE rowid = ?",
                        [*change.fields.values(), rowid],
                    )
                    report.written += 1
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
        return report

    def setup(self) -> list[str]:
        """Add the risk columns clients lacks, as TEXT; return one line per column added."""
        done = []
        with opened(self.path) as connection:
            present = columns(connection, "clients")
            if present is None:
                raise InputError("the database has no clients table", str(self.path))
            for column in RISK_FIELDS:
                if column not in present:
                    connection.execute(f'ALTER TABLE clients ADD COLUMN "{column}" TEXT')
                    done.append(f"added column clients.{column} (TEXT) to {self.path}")
        return done

    def warnings(self) -> list[str]:
        """Return what the last read noticed: history rows of clients not in clients."""
        return list(self._warnings)

    def _check_risk_columns(self, connection, changes: list[ClientChange]) -> None:
        wanted = {column for change in changes for column in change.fields}
        unknown = wanted - set(RISK_FIELDS)
        if unknown:
            raise ValueError(f"not risk fields: {', '.join(sorted(unknown))}")
        missing = sorted(wanted - set(columns(connection, "clients") or ()))
        if missing:
            raise InputError(
                f"clients has no column {', '.join(missing)}; run `crmflags setup "
                "--connector sqlite` to add the risk columns; nothing was written",
                str(self.path),
            )
