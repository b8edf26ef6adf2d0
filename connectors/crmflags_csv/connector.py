"""The csv connector: clients and history from a CSV bundle; risk fields back to clients.csv."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from crmflags.atomicfile import remove_leftovers, write_atomic
from crmflags.connector import ClientChange, Connector, ConnectorOptions, WriteReport
from crmflags.errors import InputError
from crmflags.model import Client, RecordFailure
from crmflags.tables import HistoryTables
from crmflags_csv.bulk import bulk_allocation
from crmflags_csv.bundle import Bundle, read_bundle
from crmflags_csv.clients_file import ClientsFile, apply_changes, parse_clients_file
from crmflags_csv.columnar import read_tables
from crmflags_csv.configuration import bundle_folder, bundle_plans, check_settings
from crmflags_csv.plan import files_of
from crmflags_csv.table import read_bytes


class CsvConnector(Connector):
    """Reads a folder of CSV files (clients.csv, invoices.csv, ...); writes risk columns back.

    The folder is ``--source DIR`` or ``source:`` under ``csv:`` in crmflags.yaml;
    ``columns:``, ``values:``, ``date_format:``, ``decimal:`` and ``preset:`` there say how
    the files are named and written (see configuration.py).
    """

    name = "csv"
    description = (
        "a folder of CSV files (clients.csv and their history); risk columns go to clients.csv"
    )

    def __init__(self, options: ConnectorOptions):
        super().__init__(options)
        check_settings(options)
        self.folder = bundle_folder(options)
        self.plans, self.preset = bundle_plans(options)
        self._clients_file: ClientsFile | None = None
        self._warnings: list[str] = []
        self._decimal = "."

    def source_key(self) -> str:
        """Return ``csv:`` and the bundle folder's absolute path."""
        return f"csv:{self.folder.resolve()}"

    def expected_total(self) -> int | None:
        """Return the number of rows of clients.csv: exact once :meth:`read` parsed it,
        before that its line count (more only if a quoted value holds a line break)."""
        if self._clients_file is not None:
            return len(self._clients_file.table.records) - 1
        try:
            return max((self.folder / "clients.csv").read_bytes().count(b"\n") - 1, 0)
        except OSError:
            return None

    def read(self) -> Iterator[Client | RecordFailure]:
        """Read the whole bundle and return its clients and failures in clients.csv order.

        Raises InputError (before returning anything) for a missing folder or
        clients.csv, a file that is not UTF-8, or a missing required column. A large
        bundle's clients are built a chunk at a time as the returned iterator is
        consumed; each client is complete when it is yielded.
        """
        with bulk_allocation():
            bundle = read_bundle(
                self.folder, self.plans, self.options.settings.timezone, self.preset
            )
        self._read(bundle)
        return bundle.records

    def _read(self, bundle: Bundle) -> None:
        """Keep what write-back, warnings and the output dialect need of a read."""
        self._clients_file = bundle.clients_file
        self._warnings = bundle.warnings
        marks = {form.decimal for forms in bundle.forms.values() for form in forms.numbers.values()}
        self._decimal = "," if marks - {None} == {","} else "."

    def read_tables(self) -> HistoryTables:
        """Read the whole bundle as tables: the clients and failures :meth:`read` gives.

        The same InputErrors as :meth:`read`, the same warnings; no spill files at any
        size (the history is held as columns).
        """
        tables, bundle = read_tables(
            self.folder, self.plans, self.options.settings.timezone, self.preset
        )
        self._read(bundle)
        return tables

    def write(self, changes: Iterable[ClientChange]) -> WriteReport:
        """Write the changed risk fields into clients.csv, replacing it atomically.

        Nothing is written when no byte would change. Raises InputError, writing
        nothing, if clients.csv changed on disk since it was read (checked again just
        before the new file takes its place) or cannot be replaced.
        """
        with bulk_allocation():
            clients_file = self._clients_file or self._load_clients_file()
            clients_file.ensure_unchanged()
            data, report = apply_changes(clients_file, changes)
            if data is None:
                return report
            try:
                remove_leftovers(clients_file.path)  # from a sync killed while writing
                # Checked again right before the rename: a save meanwhile is never lost.
                write_atomic(clients_file.path, data, clients_file.ensure_unchanged)
            except OSError as exc:
                raise InputError(
                    f"cannot replace it ({exc.strerror or exc}; is it open in another "
                    "program?); nothing was written",
                    str(clients_file.path),
                ) from None
            self._clients_file = parse_clients_file(clients_file.path, data, self.plans[0])
        return report

    def warnings(self) -> list[str]:
        """Return what the last read noticed but could carry on with (rows for unknown clients)."""
        return list(self._warnings)

    def csv_dialect(self) -> tuple[str, str]:
        """Return the delimiter and the decimal mark of the bundle as last read.

        ``evaluate --format csv`` writes in them, so the output opens in the same
        spreadsheet settings as the bundle. The decimal mark is ``,`` when every number
        column that tells uses one.
        """
        delimiter = self._clients_file.table.delimiter if self._clients_file else ","
        return delimiter, self._decimal

    def _load_clients_file(self) -> ClientsFile:
        paths = files_of(self.folder, self.plans[:1])[0][1] if self.folder.is_dir() else []
        if len(paths) != 1:
            raise InputError(f"no single clients file in {self.folder} to write to")
        return parse_clients_file(paths[0], read_bytes(paths[0]), self.plans[0])
