"""The csv connector's settings: the bundle folder, a preset, and the user's own mappings.

From the ``csv:`` section of crmflags.yaml::

    csv:
      source: exports/crm          # relative to the configuration file's folder
      preset: hubspot-export       # a vendor's export files (presets.py), or a preset file
      columns:
        clients.csv: {id: Client ID, name: Company, risk_level: Risk}
        activities.csv:
          occurred_at: [Date, Time]               # two columns, joined in that order
          client_id: {from: Clients, split: ";"}  # several client ids in one cell
      values:
        activities.csv:
          kind: {Hívás: call, Feladat: ignore}
      date_format: DD/MM/YYYY      # or per file, or per file and column
      decimal: ","                 # likewise

The section is declared once, as :class:`CsvSettings`: its checks give every error
with ``crmflags.yaml:line``, and docs/csv-bundle.md's table comes from it. The grammar
of ``columns``, ``values``, ``date_format`` and ``decimal`` is in
:mod:`crmflags_csv.mappings`; a user's settings override the preset's.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crmflags.connector import ConnectorOptions
from crmflags.errors import InputError, did_you_mean
from crmflags.sections import At, Check, path, setting
from crmflags_csv.columns import FILES
from crmflags_csv.formats import DATE_FORMATS, DECIMAL_MARKS
from crmflags_csv.mappings import FileSettings, parse_columns, parse_forms, parse_values
from crmflags_csv.plan import FilePlan
from crmflags_csv.presets import preset_plans

#: What a per-file setting holds for one file: its value read for that file's columns.
PerFile = dict[str, dict[str, Any]]


def _preset(value: Any, at: At) -> str:
    if not isinstance(value, str) or not value.strip():
        raise at.error(
            "preset must name a preset (hubspot-export, pipedrive-export) or a preset file"
        )
    return value.strip()


def _files(value: Any, at: At) -> Iterator[tuple[str, Any, str]]:
    """Yield ``(file, its setting, the setting's place)`` of a mapping of file names."""
    if not isinstance(value, Mapping):
        raise at.error(
            f"{at.key} must map file names (clients.csv, invoices.csv, ...) to their settings"
        )
    for file, setting_of_file in value.items():
        if file not in FILES:
            raise InputError(
                f"unknown file {file!r}{did_you_mean(file, FILES)}; files are {', '.join(FILES)}",
                at.where(value, file),
            )
        yield file, setting_of_file, at.where(value, file)


def _columns(value: Any, at: At) -> PerFile:
    return {
        file: parse_columns(mine, FILES[file], at.where, "the configuration", place)
        for file, mine, place in _files(value, at)
    }


def _values(value: Any, at: At) -> PerFile:
    return {
        file: parse_values(mine, FILES[file], at.where, place)
        for file, mine, place in _files(value, at)
    }


def _forms(value: Any, at: At) -> PerFile:
    """Read ``date_format`` or ``decimal``: one form for every file, or per file."""
    if not isinstance(value, Mapping):
        return {
            file: parse_forms(value, columns, at.where, at.where(), at.key)
            for file, columns in FILES.items()
        }
    return {
        file: parse_forms(mine, FILES[file], at.where, place, at.key)
        for file, mine, place in _files(value, at)
    }


@dataclass(frozen=True)
class CsvSettings:
    """The ``csv:`` section of crmflags.yaml, declared once (validation and docs).

    The per-file settings hold, by canonical file name, what was read for that file's
    columns; :func:`user_settings` gathers them into each file's :class:`FileSettings`.
    """

    source: Path | None = setting(
        "the bundle's folder, relative to crmflags.yaml's folder; --source DIR overrides it",
        path("a folder"),
    )
    preset: str | None = setting(
        "a vendor's export files: hubspot-export, pipedrive-export, or a preset file's path",
        Check("a preset name or the path of a preset file", _preset),
    )
    columns: PerFile = setting(
        "per file, crmflags' column: your column's header (or several, joined)",
        Check("a mapping of file: {column: header}", _columns),
        default_factory=dict,
    )
    values: PerFile = setting(
        "per file and column, your value: crmflags' value (or ignore: leave the row out)",
        Check("a mapping of file: {column: {value: value}}", _values),
        default_factory=dict,
    )
    date_format: PerFile = setting(
        "the form of dates where detection cannot tell: for every file, per file or per column",
        Check(f"one of {', '.join(DATE_FORMATS)}; or per file or column", _forms),
        default_factory=dict,
    )
    decimal: PerFile = setting(
        "the decimal mark where detection cannot tell: for every file, per file or per column",
        Check(f"{' or '.join(f'`{m}`' for m in DECIMAL_MARKS)}; or per file or column", _forms),
        default_factory=dict,
    )


def csv_settings(options: ConnectorOptions) -> CsvSettings:
    """Return the ``csv:`` section read into :class:`CsvSettings`.

    Raises InputError with crmflags.yaml:line (and the closest name) for an unknown
    setting or a bad value.
    """
    return options.read_settings(CsvSettings, "csv")


def check_settings(options: ConnectorOptions) -> None:
    """Raise InputError with the configuration's file:line for a bad setting under ``csv:``."""
    csv_settings(options)


def bundle_folder(options: ConnectorOptions) -> Path:
    """Return the bundle's folder: ``--source``, else ``source:`` under ``csv:``."""
    if options.source is not None:
        return Path(options.source)
    folder = csv_settings(options).source
    if folder is None:
        raise InputError(
            "the csv connector needs --source DIR (the folder of the CSV bundle) "
            "or `source:` under csv: in crmflags.yaml"
        )
    return folder


def bundle_plans(options: ConnectorOptions) -> tuple[list[FilePlan], str]:
    """Return how each file of the bundle is read (clients.csv's plan first), and the
    preset's description for messages ("" without a preset).

    Raises InputError with crmflags.yaml:line (or the preset file's) for a bad setting.
    """
    settings = csv_settings(options)
    if settings.preset is None:
        plans, origin = [FilePlan(columns, (columns.file,)) for columns in FILES.values()], ""
    else:
        plans, origin = preset_plans(options, settings.preset)
    mapped = user_settings(settings)
    for plan in plans:
        mine = mapped.get(plan.canonical)
        if mine is None:
            continue
        for column, source in mine.sources.items():
            plan.sources[column] = source
            plan.fixed.pop(column, None)
        for column, mapping in mine.values.items():
            plan.values[column] = {**plan.values.get(column, {}), **mapping}
        plan.date_forms.update(mine.date_forms)
        plan.number_forms.update(mine.number_forms)
    return plans, origin


def user_settings(settings: CsvSettings) -> dict[str, FileSettings]:
    """Return the user's ``columns``, ``values``, ``date_format`` and ``decimal`` by file."""
    return {
        file: FileSettings(
            sources=settings.columns.get(file, {}),
            values=settings.values.get(file, {}),
            date_forms=settings.date_format.get(file, {}),
            number_forms=settings.decimal.get(file, {}),
        )
        for file in FILES
    }
