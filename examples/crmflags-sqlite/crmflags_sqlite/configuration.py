"""The sqlite connector's settings: where the database is.

From ``--source FILE`` or the ``sqlite:`` section of crmflags.yaml::

    sqlite:
      database: clients.db   # relative to the configuration file's folder
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from crmflags.connector import ConnectorOptions
from crmflags.errors import InputError
from crmflags.sections import path, setting


@dataclass(frozen=True)
class SqliteSettings:
    """The ``sqlite:`` section of crmflags.yaml, declared once (validation and docs)."""

    database: Path | None = setting(
        "the SQLite database, relative to crmflags.yaml's folder; --source FILE overrides it",
        path("a file"),
    )


def database_path(options: ConnectorOptions) -> Path:
    """Return the database file: ``--source``, else ``database:`` under ``sqlite:``.

    Raises InputError, with crmflags.yaml:line where there is one, for an unknown
    setting, a missing or empty ``database:``, or a file that does not exist.
    """
    settings = options.read_settings(SqliteSettings, "sqlite")
    path = Path(options.source) if options.source is not None else settings.database
    if path is None:
        raise InputError(
            "the sqlite connector needs --source FILE (the SQLite database) "
            "or `database:` under sqlite: in crmflags.yaml"
        )
    if not path.is_file():
        raise InputError(f"no SQLite database at {path}")
    return path
