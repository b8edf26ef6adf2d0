"""Presets: how a vendor's export files map onto the bundle, as YAML data.

A preset file says which files of an export folder are read as which bundle file, and
how their columns and values map (the grammar of :mod:`crmflags_csv.mappings`)::

    description: HubSpot's exports of companies and their activities
    files:
      clients.csv:
        match: "*compan*.csv"             # file names, shell patterns, any case
        columns: {id: Record ID, name: Company name}
      activities.csv:                     # several exports may feed one bundle file
        - match: "*call*.csv"
          fixed: {kind: call}             # a value for every row of these files
          columns:
            client_id: {from: Associated Company IDs, split: ";"}
            occurred_at: Activity date
          values:
            direction: {Inbound: inbound, Outbound: outbound}
          skip: {Call status: [Canceled]} # rows left out by a column crmflags does not read

The shipped presets are in this package's ``presets`` folder, registered through the
``register_csv_presets`` hook like any plugin's; ``csv.preset`` names one by its file
name, or is the path of a preset file of one's own.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from crmflags.connector import ConnectorOptions
from crmflags.errors import InputError, did_you_mean, place
from crmflags.yamlfile import load_yaml
from crmflags_csv.columns import CHOICE, FILES, FLAG, FileColumns
from crmflags_csv.mappings import canonical_value, parse_columns, parse_forms, parse_values
from crmflags_csv.plan import IGNORE, FilePlan, fold

#: The folder of the shipped presets.
PRESET_FOLDER = Path(__file__).parent / "presets"
#: The keys of one source of a preset.
SOURCE_KEYS = ("match", "columns", "values", "fixed", "skip", "date_format", "decimal")


def preset_plans(options: ConnectorOptions, value: Any) -> tuple[list[FilePlan], str]:
    """Return the plans of the preset ``csv.preset`` names, and its name for messages."""
    at = options.place_of(options.config, "preset")
    if not isinstance(value, str) or not value.strip():
        raise InputError(
            "preset must name a preset (hubspot-export, pipedrive-export) or a preset file", at
        )
    name = value.strip()
    if name.endswith((".yaml", ".yml")) or "/" in name or "\\" in name:
        path = options.path_setting("preset", "a preset file")
        assert path is not None  # value is the csv.preset setting, so it is set
        if not path.is_file():
            raise InputError(f"no preset file {path}", at)
    else:
        shipped = {file.stem: file for file in sorted(PRESET_FOLDER.glob("*.yaml"))}
        available = {**options.presets, **shipped}  # the shipped ones win a name
        if name not in available:
            raise InputError(
                f"unknown preset {name!r}{did_you_mean(name, available)}; presets are "
                f"{', '.join(sorted(available))} (or give the path of a preset file)",
                at,
            )
        path = available[name]
    return load_preset(path), f"the preset {path.stem}"


def load_preset(path: Path) -> list[FilePlan]:
    """Read a preset file into the plans of its files, clients.csv's first.

    Raises InputError naming the preset file and line for anything that is not a
    valid preset.
    """
    data = load_yaml(path)
    origin = f"the preset {path.stem}"

    def where(mapping: Any, key: Any) -> str:
        line_of = getattr(mapping, "line_of", None)
        return place(path, line_of(key) if line_of else None)

    if not isinstance(data, Mapping) or not isinstance(data.get("files"), Mapping):
        raise InputError("a preset is a mapping with files: (and description:)", place(path, 1))
    for key in data:
        if key not in ("description", "files"):
            raise InputError(
                f"unknown preset key {key!r}; keys are description, files", where(data, key)
            )
    files = data["files"]
    by_file: dict[str, list[FilePlan]] = {}
    for file, sources in files.items():
        at = where(files, file)
        if file not in FILES:
            raise InputError(
                f"unknown file {file!r}{did_you_mean(file, FILES)}; files are {', '.join(FILES)}",
                at,
            )
        listed = sources if isinstance(sources, list) else [sources]
        if file == "clients.csv" and len(listed) != 1:
            raise InputError("clients.csv must be read from one export, not several", at)
        by_file[file] = [
            _source(
                FILES[file], source, where, origin, where(listed, n) if listed is sources else at
            )
            for n, source in enumerate(listed)
        ]
    if "clients.csv" not in by_file:
        raise InputError("a preset must say which file is clients.csv", where(data, "files"))
    return [plan for file in FILES for plan in by_file.get(file, [])]


def _source(columns: FileColumns, source: Any, where, origin: str, at: str) -> FilePlan:
    """Read one source of a preset: the files it matches and how they map."""
    if not isinstance(source, Mapping) or "match" not in source:
        raise InputError(
            f"each source of {columns.file} is a mapping with match: (file names) and columns:",
            at,
        )
    for key in source:
        if key not in SOURCE_KEYS:
            raise InputError(
                f"unknown key {key!r}{did_you_mean(key, SOURCE_KEYS)}; a source has "
                f"{', '.join(SOURCE_KEYS)}",
                where(source, key),
            )
    plan = FilePlan(columns, _patterns(source["match"], where(source, "match")), origin=origin)
    if "columns" in source:
        plan.sources = parse_columns(
            source["columns"], columns, where, origin, where(source, "columns")
        )
    if "values" in source:
        plan.values = parse_values(source["values"], columns, where, where(source, "values"))
    if "fixed" in source:
        plan.fixed = _fixed(source["fixed"], columns, where, where(source, "fixed"))
    if "skip" in source:
        plan.skip = _skip(source["skip"], where, where(source, "skip"))
    if "date_format" in source:
        at = where(source, "date_format")
        plan.date_forms = parse_forms(source["date_format"], columns, where, at, "date_format")
    if "decimal" in source:
        at = where(source, "decimal")
        plan.number_forms = parse_forms(source["decimal"], columns, where, at, "decimal")
    return plan


def _patterns(value: Any, at: str) -> tuple[str, ...]:
    names = value if isinstance(value, list) else [value]
    if not names or not all(isinstance(n, str) and n.strip() for n in names):
        raise InputError("match must be a file name pattern, or a list of them", at)
    return tuple(n.strip() for n in names)


def _fixed(value: Any, columns: FileColumns, where, at: str) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise InputError("fixed must map columns to one value each", at)
    fixed = {}
    for column, one in value.items():
        one_at = where(value, column)
        if columns.types.get(column) not in (CHOICE, FLAG):
            choices = ", ".join(columns.of_type(CHOICE, FLAG))
            raise InputError(f"fixed is for {choices} in {columns.file}, not {column!r}", one_at)
        fixed[column] = canonical_value(columns, column, one, one_at)
        if fixed[column] == IGNORE:
            raise InputError("a fixed value cannot be ignore", one_at)
    return fixed


def _skip(value: Any, where, at: str) -> dict[str, frozenset[str]]:
    if not isinstance(value, Mapping):
        raise InputError("skip must map column names to the values whose rows are left out", at)
    skip = {}
    for header, values in value.items():
        listed = values if isinstance(values, list) else [values]
        if not isinstance(header, str) or not all(isinstance(v, (str, int)) for v in listed):
            raise InputError(
                "skip must map a column name to a value or a list of values", where(value, header)
            )
        skip[header] = frozenset(fold(str(v)) for v in listed)
    return skip
