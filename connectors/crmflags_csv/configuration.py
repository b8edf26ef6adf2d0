"""The csv connector's settings: the bundle folder and the user's own column names.

From the ``csv:`` section of crmflags.yaml::

    csv:
      source: exports/crm          # relative to the configuration file's folder
      columns:
        clients.csv: {id: Client ID, name: Company, risk_level: Risk}
        invoices.csv: {client_id: Client ID}
"""

from __future__ import annotations

from pathlib import Path

from crmflags.connector import ConnectorOptions
from crmflags.errors import InputError, did_you_mean
from crmflags_csv.columns import FILES

SETTINGS = ("source", "columns")


def bundle_folder(options: ConnectorOptions) -> Path:
    """Return the bundle's folder: ``--source``, else ``source:`` under ``csv:``."""
    if options.source is not None:
        return Path(options.source)
    folder = options.path_setting("source", "a folder")
    if folder is None:
        raise InputError(
            "the csv connector needs --source DIR (the folder of the CSV bundle) "
            "or `source:` under csv: in crmflags.yaml"
        )
    return folder


def column_names(options: ConnectorOptions) -> dict[str, dict[str, str]]:
    """Return the configured column names: file -> canonical column -> the user's header.

    Raises InputError with the configuration's file:line for a bad ``columns:`` setting.
    """
    columns = options.config.get("columns")
    if columns is None:
        return {}
    if not isinstance(columns, dict):
        raise InputError(
            "columns must map file names (clients.csv, invoices.csv, ...) to "
            "{column: your column name}",
            options.place_of(options.config, "columns"),
        )
    names: dict[str, dict[str, str]] = {}
    for file, mapping in columns.items():
        if file not in FILES:
            raise InputError(
                f"unknown file {file!r}{did_you_mean(file, FILES)}; files are {', '.join(FILES)}",
                options.place_of(columns, file),
            )
        if not isinstance(mapping, dict):
            raise InputError(
                f"columns of {file} must be a mapping of column: your column name",
                options.place_of(columns, file),
            )
        names[file] = _file_names(options, file, mapping)
    return names


def _file_names(options: ConnectorOptions, file: str, mapping: dict) -> dict[str, str]:
    known = FILES[file].known
    result: dict[str, str] = {}
    taken: dict[str, str] = {}
    for column, header in mapping.items():
        where = options.place_of(mapping, column)
        if column not in known:
            raise InputError(
                f"{file} has no column {column!r}{did_you_mean(column, known)}; "
                f"its columns are {', '.join(known)}",
                where,
            )
        if not isinstance(header, str) or not header.strip():
            raise InputError(f"the name for {column} must be a column name (text)", where)
        key = header.strip().casefold()
        if key in taken:
            raise InputError(f"{header!r} is given for both {taken[key]} and {column}", where)
        taken[key] = column
        result[column] = header.strip()
    return result


def check_settings(options: ConnectorOptions) -> None:
    """Raise InputError with the configuration's file:line for an unknown setting under ``csv:``."""
    options.check_keys("csv", SETTINGS)
