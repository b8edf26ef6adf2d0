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

The grammar of ``columns``, ``values``, ``date_format`` and ``decimal`` is in
:mod:`crmflags_csv.mappings`; a user's settings override the preset's.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from crmflags.connector import ConnectorOptions
from crmflags.errors import InputError, did_you_mean
from crmflags_csv.columns import FILES
from crmflags_csv.mappings import FileSettings, parse_columns, parse_forms, parse_values
from crmflags_csv.plan import FilePlan
from crmflags_csv.presets import preset_plans

SETTINGS = ("source", "preset", "columns", "values", "date_format", "decimal")
#: The settings given per file.
PER_FILE = ("columns", "values", "date_format", "decimal")
#: The settings that force a form, for every file at once or per file.
FORMS = ("date_format", "decimal")


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


def check_settings(options: ConnectorOptions) -> None:
    """Raise InputError with the configuration's file:line for an unknown setting under ``csv:``."""
    options.check_keys("csv", SETTINGS)


def bundle_plans(options: ConnectorOptions) -> tuple[list[FilePlan], str]:
    """Return how each file of the bundle is read (clients.csv's plan first), and the
    preset's description for messages ("" without a preset).

    Raises InputError with crmflags.yaml:line (or the preset file's) for a bad setting.
    """
    preset = options.config.get("preset")
    if preset is None:
        plans, origin = [FilePlan(columns, (columns.file,)) for columns in FILES.values()], ""
    else:
        plans, origin = preset_plans(options, preset)
    settings = user_settings(options)
    for plan in plans:
        mine = settings.get(plan.canonical)
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


def user_settings(options: ConnectorOptions) -> dict[str, FileSettings]:
    """Return the user's ``columns``, ``values``, ``date_format`` and ``decimal`` by file."""
    where = options.place_of
    settings = {file: FileSettings() for file in FILES}
    for key in PER_FILE:
        value = options.config.get(key)
        if value is None:
            continue
        at = where(options.config, key)
        if key in FORMS and not isinstance(value, Mapping):  # one form for every file
            for file, columns in FILES.items():
                _forms_of(settings[file], key).update(parse_forms(value, columns, where, at, key))
            continue
        if not isinstance(value, Mapping):
            raise InputError(
                f"{key} must map file names (clients.csv, invoices.csv, ...) to their settings",
                at,
            )
        for file, setting in value.items():
            at = where(value, file)
            if file not in FILES:
                raise InputError(
                    f"unknown file {file!r}{did_you_mean(file, FILES)}; files are "
                    f"{', '.join(FILES)}",
                    at,
                )
            columns, mine = FILES[file], settings[file]
            if key == "columns":
                mine.sources = parse_columns(setting, columns, where, "the configuration", at)
            elif key == "values":
                mine.values = parse_values(setting, columns, where, at)
            else:
                _forms_of(mine, key).update(parse_forms(setting, columns, where, at, key))
    return settings


def _forms_of(settings: FileSettings, key: str) -> dict:
    return settings.date_forms if key == "date_format" else settings.number_forms
