"""The sqlite connector's settings: where the database is.

From ``--source FILE`` or the ``sqlite:`` section of crmflags.yaml::

    sqlite:
      database: clients.db   # relative to the configuration file's folder
"""

from __future__ import annotations

from pathlib import Path

from crmflags.connector import ConnectorOptions
from crmflags.errors import InputError

SETTINGS = ("database",)


def database_path(options: ConnectorOptions) -> Path:
    """Return the database file: ``--source``, else ``database:`` under ``sqlite:``.

    Raises InputError, with crmflags.yaml:line where there is one, for an unknown
    setting, a missing or empty ``database:``, or a file that does not exist.
    """
    options.check_keys("sqlite", SETTINGS)
    if options.source is not None:
        path = Path(options.source)
    else:
        path = _configured_path(options)
    if not path.is_file():
        raise InputError(f"no SQLite database at {path}")
    return path


def _configured_path(options: ConnectorOptions) -> Path:
    path = options.path_setting("database", "a file")
    if path is None:
        raise InputError(
            "the sqlite connector needs --source FILE (the SQLite database) "
            "or `database:` under sqlite: in crmflags.yaml"
        )
    return path
