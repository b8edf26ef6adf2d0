"""Read the mapping settings of one bundle file, from crmflags.yaml or from a preset file.

The same grammar serves both, and every error names the setting's ``file:line``:

- ``columns``: canonical column -> a header, a list of headers joined with a space in
  that order (``[Due date, Due time]``), or ``{from: ..., split: ";"}`` (a link column
  holding several client ids) or ``{any_of: [A, B]}`` (the first the file has).
- ``values``: canonical column -> ``{source value: canonical value}``, matched in any
  case and without accents; ``ignore`` leaves the row out.
- ``date_format``: one of the formats of :data:`crmflags_csv.formats.DATE_FORMATS`, or
  canonical column -> format.
- ``decimal``: ``.`` or ``,``, or canonical column -> mark.
- In a preset only: ``fixed`` (column -> one value for every row) and ``skip`` (a
  header of the file -> values whose rows are left out).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from crmflags.errors import InputError, did_you_mean
from crmflags.model import ACTIVITY_KINDS, NOTE_MARKERS, RISK_FIELDS
from crmflags.values import NO, YES
from crmflags_csv.columns import CHOICE, DATE, FLAG, LINK, NUMBER, TIMESTAMP, FileColumns
from crmflags_csv.formats import (
    DATE_FORMATS,
    DECIMAL_MARKS,
    DateForm,
    NumberForm,
    forced_date_form,
    forced_number_form,
    parse_number,
)
from crmflags_csv.plan import IGNORE, ColumnSource, fold

#: Names the ``file:line`` of a key of a mapping read from YAML, for an error message.
Where = Callable[[Any, Any], str]

#: The canonical values of the choice columns that have a fixed set of them.
CHOICES = {
    "kind": ACTIVITY_KINDS,
    "direction": ("inbound", "outbound"),
    "marker": NOTE_MARKERS,
}


@dataclass
class FileSettings:
    """The mapping settings of one canonical file (see the module's docstring)."""

    sources: dict[str, ColumnSource] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    date_forms: dict[str, DateForm] = field(default_factory=dict)
    number_forms: dict[str, NumberForm] = field(default_factory=dict)


def parse_columns(
    mapping: Any, columns: FileColumns, where: Where, origin: str, key_where: str
) -> dict[str, ColumnSource]:
    """Read ``columns`` of one file: canonical column -> where it is (``key_where``: the
    place of the mapping itself)."""
    if not isinstance(mapping, Mapping):
        raise InputError(
            f"columns of {columns.file} must be a mapping of column: your column name", key_where
        )
    result: dict[str, ColumnSource] = {}
    taken: dict[str, str] = {}
    for column, value in mapping.items():
        at = where(mapping, column)
        _known_column(columns, column, at)
        source = _column_source(columns, column, value, at, origin)
        if len(source.choices) == 1 and len(source.choices[0]) == 1:
            key = source.choices[0][0].casefold()
            if key in taken:
                raise InputError(
                    f"{source.choices[0][0]!r} is given for both {taken[key]} and {column}", at
                )
            taken[key] = column
        result[column] = source
    return result


def _column_source(
    columns: FileColumns, column: str, value: Any, at: str, origin: str
) -> ColumnSource:
    kind = columns.types.get(column)
    split = None
    choices: tuple[tuple[str, ...], ...]
    if isinstance(value, Mapping):
        unknown = set(value) - {"from", "any_of", "split"}
        if unknown or ("from" in value) == ("any_of" in value):
            raise InputError(
                f"the name for {column} must be a column name, a list of column names to "
                "join, or a mapping with from: (or any_of:) and split:",
                at,
            )
        if "split" in value:
            split = value["split"]
            if kind != LINK or columns.file == "clients.csv":
                raise InputError(
                    f"split is for the client_id column of history files, not {column}", at
                )
            if not isinstance(split, str) or not split:
                raise InputError('split must be the text between client ids, e.g. ";"', at)
        if "from" in value:
            choices = (_headers(value["from"], column, at),)
        else:
            alternatives = value["any_of"]
            if not isinstance(alternatives, list) or not alternatives:
                raise InputError(f"any_of for {column} must be a list of column names", at)
            choices = tuple(_headers(a, column, at) for a in alternatives)
    else:
        choices = (_headers(value, column, at),)
    if any(len(choice) > 1 for choice in choices) and (kind == LINK or column in RISK_FIELDS):
        raise InputError(f"{column} must be read from one column, not several joined", at)
    return ColumnSource(choices, split, origin)


def _headers(value: Any, column: str, at: str) -> tuple[str, ...]:
    names = value if isinstance(value, list) else [value]
    if not names or not all(isinstance(n, str) and n.strip() for n in names):
        raise InputError(f"the name for {column} must be a column name (text)", at)
    return tuple(n.strip() for n in names)


def parse_values(
    mapping: Any, columns: FileColumns, where: Where, key_where: str
) -> dict[str, dict[str, str]]:
    """Read ``values`` of one file: canonical column -> folded source value -> canonical one."""
    if not isinstance(mapping, Mapping):
        raise InputError(
            f"values of {columns.file} must map columns to {{source value: value}}", key_where
        )
    result = {}
    for column, pairs in mapping.items():
        at = where(mapping, column)
        _known_column(columns, column, at)
        if columns.types.get(column) not in (CHOICE, FLAG, NUMBER):
            mappable = ", ".join(columns.of_type(CHOICE, FLAG, NUMBER))
            raise InputError(
                f"{column} has no set of values to map; in {columns.file} values can map "
                f"{mappable}",
                at,
            )
        if not isinstance(pairs, Mapping):
            raise InputError(f"values of {column} must be a mapping of source value: value", at)
        folded: dict[str, str] = {}
        for source, target in pairs.items():
            pair_at = where(pairs, source)
            if isinstance(source, bool) or source is None:
                raise InputError(
                    "YAML reads this source value as true/false/null: put it in quotes "
                    '("yes": ..., "no": ...)',
                    pair_at,
                )
            key = fold(str(source))
            if key in folded:
                raise InputError(f"{source!r} is given twice (matching ignores case)", pair_at)
            folded[key] = canonical_value(columns, column, target, pair_at)
        result[column] = folded
    return result


def canonical_value(columns: FileColumns, column: str, value: Any, at: str) -> str:
    """Return a canonical value a setting gives a column, as text; InputError if it is none."""
    kind = columns.types.get(column)
    if value == IGNORE:
        if columns.file == "clients.csv":
            raise InputError(
                "ignore leaves out history rows; to leave a client out, remove its row", at
            )
        return IGNORE
    if kind == FLAG:
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, str) and value.strip().casefold() in YES | NO:
            return value.strip()
        raise InputError(f"{value!r} is not yes or no (or ignore)", at)
    if kind == NUMBER:
        try:
            parse_number(str(value))
        except ValueError:
            raise InputError(f"{value!r} is not a number (or ignore)", at) from None
        return str(value)
    choices = CHOICES.get(column)
    if choices is not None:
        if value is None and column == "marker":
            return ""
        if value not in choices:
            raise InputError(
                f"{value!r} is not {_what(column)}{did_you_mean(value, choices)}; "
                f"it must be one of {', '.join(choices)}, or ignore",
                at,
            )
        return value
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"the value for {column} must be text (or ignore)", at)
    return value.strip()


def _what(column: str) -> str:
    return {"kind": "an activity kind", "direction": "a direction", "marker": "a note marker"}[
        column
    ]


def parse_forms(value: Any, columns: FileColumns, where: Where, key_where: str, setting: str):
    """Read ``date_format`` or ``decimal`` of one file: one for every such column, or per column.

    Returns the forced forms by column.
    """
    types: tuple[str, ...]
    allowed: tuple[str, ...]
    make: Callable[[str], DateForm | NumberForm]
    if setting == "date_format":
        types, allowed, make = (DATE, TIMESTAMP), DATE_FORMATS, forced_date_form
    else:
        types, allowed, make = (NUMBER,), DECIMAL_MARKS, forced_number_form
    eligible = columns.of_type(*types)
    if isinstance(value, Mapping):
        result = {}
        for column, one in value.items():
            at = where(value, column)
            _known_column(columns, column, at)
            if column not in eligible:
                raise InputError(
                    f"{setting} is for {', '.join(eligible)} in {columns.file}, not {column}", at
                )
            result[column] = make(_choice_of(one, allowed, setting, at))
        return result
    form = make(_choice_of(value, allowed, setting, key_where))
    return dict.fromkeys(eligible, form)


def _choice_of(value: Any, allowed: tuple[str, ...], setting: str, at: str) -> str:
    if isinstance(value, str):
        for choice in allowed:
            if value.strip().casefold() == choice.casefold():
                return choice
    shown = " or ".join(repr(a) for a in allowed)
    raise InputError(f"{setting} must be {shown}, not {value!r}", at)


def _known_column(columns: FileColumns, column: Any, at: str) -> None:
    if column not in columns.known:
        raise InputError(
            f"{columns.file} has no column {column!r}{did_you_mean(column, columns.known)}; "
            f"its columns are {', '.join(columns.known)}",
            at,
        )
