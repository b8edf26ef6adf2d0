"""Open the database and list what is in it, turning SQLite's errors into InputErrors."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from crmflags.errors import InputError

#: The columns each table must have; the history tables themselves are optional.
REQUIRED = {
    "clients": ("id", "name"),
    "invoices": ("client_id", "invoice_id", "issued_on", "due_on", "amount"),
    "activities": ("client_id", "occurred_at", "kind"),
    "notes": ("client_id", "created_at"),
}
#: The name each row's rowid is selected under (a table's own ``id`` may alias rowid).
ROWID = "_rowid"


@contextlib.contextmanager
def opened(path: Path) -> Iterator[sqlite3.Connection]:
    """Open an existing database (never create one) in autocommit mode, and close it.

    SQLite errors inside the block become InputError naming the file.
    """
    try:
        connection = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=10, isolation_level=None
        )
    except sqlite3.Error as exc:
        raise InputError(f"cannot open it: {exc}", str(path)) from None
    connection.row_factory = sqlite3.Row
    try:
        yield connection
    except sqlite3.Error as exc:
        raise InputError(f"{exc}; nothing was written", str(path)) from None
    finally:
        connection.close()


def columns(connection: sqlite3.Connection, table: str) -> list[str] | None:
    """Return the column names of a table, or None if there is no such table."""
    names = [row["name"] for row in connection.execute(f'PRAGMA table_info("{table}")')]
    return names or None


def check_tables(connection: sqlite3.Connection, path: Path) -> set[str]:
    """Return the tables present of clients, invoices, activities and notes.

    Raises InputError when clients is missing, or a table lacks a required column.
    """
    present = set()
    for table, required in REQUIRED.items():
        names = columns(connection, table)
        if names is None:
            if table == "clients":
                raise InputError("the database has no clients table", str(path))
            continue
        missing = [column for column in required if column not in names]
        if missing:
            raise InputError(f"table {table} has no column {', '.join(missing)}", str(path))
        present.add(table)
    return present


def rows(connection: sqlite3.Connection, table: str) -> Iterator[sqlite3.Row]:
    """Yield every row of a table in rowid order, with its rowid as ``_rowid``."""
    yield from connection.execute(f'SELECT rowid AS {ROWID}, * FROM "{table}" ORDER BY rowid')
