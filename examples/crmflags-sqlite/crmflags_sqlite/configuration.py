"""The sqlite connector's settings: where the database is.

From ``--source FILE`` or the ``sqlite:`` section of crmflags.yaml::

    sqlite:
      database: clients.db   # relative to the configuration file's folder
"""

from __future__ import annotations

from pathlib import Path

from crmflags.connector import ConnectorOptions
from crmflags.errors import InputError, did_you_mean

SETTINGS = ("database",)


def database_path(options: ConnectorOptions) -> Path:
    """Return the database file: ``--source``, else ``database:`` under ``sqlite:``.

    Raises InputError, with crmflags.yaml:line where there is one, for an unknown
    setting, a missing or empty ``database:``, or a file that does not exist.
    """
    for key in options.config:
        if key not in SETTINGS:
            raise InputError(
                f"unknown sqlite setting {key!r}{did_you_mean(str(key), SETTINGS)}; "
                f"settings are {', '.join(SETTINGS)}",
                options.place_of(options.config, key),
            )
    if options.source is not None:
        path = Path(options.source)
    else:
        path = _configured_path(options)
    if not path.is_file():
        raise InputError(f"no SQLite database at {path}")
    return path


def _configured_path(options: ConnectorOptions) -> Path:
    database = options.config.get("database")
    if database is None:
        raise InputError(
            "the sqlite connector needs --source FILE (the SQLite database) "
            "or `database:` under sqlite: in crmflags.yaml"
        )
    if not isinstance(database, str) or not database.strip():
        raise InputError(
            "sqlite database must be the path of a file",
            options.place_of(options.config, "database"),
        )
    path = Path(database).expanduser()
    if options.config_path is not None and not path.is_absolute():
        path = Path(options.config_path).parent / path
    return path
