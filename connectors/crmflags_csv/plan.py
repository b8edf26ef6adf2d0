"""What to read from a bundle folder, and how: the files, their columns, their values.

A :class:`FilePlan` says which files of the folder feed one canonical file
(clients.csv, activities.csv, ...) and how their columns become the canonical ones: a
header per column (or several joined, such as a date and a time; or the first of some
alternatives that the file has), a link column split into several client ids, values
mapped to canonical ones (or rows ignored), columns fixed to one value, rows skipped by
the value of a column crmflags does not know, and date formats and decimal marks
forced. Without a preset there is one plan per canonical file, reading the file of
that name; a preset gives several, e.g. one for each of HubSpot's call, email and
meeting exports.

:func:`locate` finds a plan's columns in a file's header. The :class:`Layout` it
returns says where each canonical column is; the :class:`RowShape` (None when the
file needs none) turns each record's cells into the cells the row builders read.
"""

from __future__ import annotations

import fnmatch
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from crmflags.errors import InputError
from crmflags.model import RISK_FIELDS
from crmflags_csv.columns import FileColumns, Layout
from crmflags_csv.formats import DateForm, NumberForm

#: The canonical value that drops a row (``csv.values``).
IGNORE = "ignore"
#: Where a missing-column error points the user to.
MISSING_COLUMN_HELP = (
    "map your column names with csv.columns in crmflags.yaml, name your export's preset "
    "with csv.preset (hubspot-export, pipedrive-export), or read the CRM itself with "
    "--connector hubspot or pipedrive (see docs/csv-bundle.md)"
)


def fold(text: str) -> str:
    """Return a value as ``csv.values`` compares it: any case, accents, spaces, ``-`` or ``_``.

    ``Hívás``, ``HIVAS`` and ``hi-vas`` fold alike.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c) and c not in " -_\t")


@dataclass(frozen=True)
class ColumnSource:
    """Where a canonical column's value is in a file.

    ``choices`` are alternatives, the first the file has is read: each is one header,
    or several whose values are joined with a space in that order (a date and a time).
    ``split`` (link columns only) separates several client ids in one cell. ``origin``
    names who set it, for messages ("the configuration", "the preset hubspot-export").
    """

    choices: tuple[tuple[str, ...], ...]
    split: str | None = None
    origin: str = "the configuration"

    def describe(self) -> str:
        """Return the headers as a message shows them: ``'A' or 'B + C'``."""
        return " or ".join(repr(" + ".join(choice)) for choice in self.choices)


@dataclass
class FilePlan:
    """How one canonical file is read from some files of the folder.

    ``patterns`` are the file names (shell patterns, any case) it reads. ``sources`` map
    canonical columns to their place where it is not the canonical name; ``values`` map
    each column's folded source values to canonical ones (or IGNORE); ``fixed`` gives
    columns one value for every row; ``skip`` leaves out rows whose column (a folded
    header of the file) holds one of some folded values; ``date_forms`` and
    ``number_forms`` are the forms forced for some columns.
    """

    columns: FileColumns
    patterns: tuple[str, ...]
    sources: dict[str, ColumnSource] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    fixed: dict[str, str] = field(default_factory=dict)
    skip: dict[str, frozenset[str]] = field(default_factory=dict)
    date_forms: dict[str, DateForm] = field(default_factory=dict)
    number_forms: dict[str, NumberForm] = field(default_factory=dict)
    origin: str = "the configuration"

    @property
    def canonical(self) -> str:
        """Return the canonical file this plan reads into (clients.csv, ...)."""
        return self.columns.file

    def matches(self, name: str) -> bool:
        """Tell whether a file name is one of this plan's."""
        return any(fnmatch.fnmatch(name.casefold(), p.casefold()) for p in self.patterns)

    def split_of(self, column: str) -> str | None:
        """Return the separator of several client ids in a link column (None: one id)."""
        source = self.sources.get(column)
        return source.split if source else None


def files_of(folder: Path, plans: list[FilePlan]) -> list[tuple[FilePlan, list[Path]]]:
    """Return each plan with the files of ``folder`` it reads, by name.

    A file is read by the first plan that matches it only.
    """
    names = sorted(p.name for p in folder.iterdir() if p.is_file())
    taken: set[str] = set()
    result = []
    for plan in plans:
        mine = [n for n in names if n not in taken and plan.matches(n)]
        taken.update(mine)
        result.append((plan, [folder / n for n in mine]))
    return result


class RowShape:
    """Turns a record's cells into the cells the row builders read, or leaves the row out.

    Joined and fixed columns are appended after the header's width (the layout's index
    points there); mapped values replace their cells. A row left out is counted in
    ``left_out`` by (column, value).
    """

    def __init__(
        self,
        width: int,
        joins: list[tuple[int, ...]],
        fixed: list[str],
        maps: list[tuple[int, str, dict[str, str]]],
        skips: list[tuple[int, str, frozenset[str]]],
    ):
        self.width = width
        self.joins, self.fixed, self.maps, self.skips = joins, fixed, maps, skips
        self.left_out: dict[tuple[str, str], int] = {}
        self._folded: dict[str, str] = {}

    def shape(self, cells: list[str]) -> list[str] | None:
        """Return the cells to build from, or None (counted) for a row left out."""
        count = len(cells)
        if self.joins or self.fixed:
            row = cells[: self.width] + [""] * (self.width - count)
            for positions in self.joins:
                row.append(" ".join(p for p in (row[i].strip() for i in positions) if p))
            row += self.fixed
        else:
            row = list(cells)
        for position, label, values in self.skips:
            text = row[position] if position < count else ""
            if self._fold(text) in values:
                self._leave_out(label, text)
                return None
        for position, label, mapping in self.maps:
            text = row[position] if position < len(row) else ""
            mapped = mapping.get(self._fold(text))
            if mapped == IGNORE:
                self._leave_out(label, text)
                return None
            if mapped is not None:
                row[position] = mapped
        return row

    def _fold(self, text: str) -> str:
        folded = self._folded.get(text)
        if folded is None:
            folded = fold(text)
            if len(self._folded) < 10_000:
                self._folded[text] = folded
        return folded

    def _leave_out(self, label: str, text: str) -> None:
        key = (label, text.strip())
        self.left_out[key] = self.left_out.get(key, 0) + 1


def locate(
    plan: FilePlan, header: list[str], file: str, where: str
) -> tuple[Layout, RowShape | None, list[str]]:
    """Find the plan's columns in a file's header, matching names case-insensitively.

    Returns the layout, the row shape (None when the records need none) and warnings
    for configured columns the file does not have. Raises InputError naming the file
    and column (``where``, its line 1) when a required column is missing or a column
    it reads appears twice.
    """
    positions: dict[str, list[int]] = {}
    for position, text in enumerate(header):
        positions.setdefault(text.strip().casefold(), []).append(position)

    def find(name: str) -> int | None:
        found = positions.get(name.strip().casefold(), [])
        if len(found) > 1:
            numbers = " and ".join(str(p + 1) for p in found)
            raise InputError(f"column {name!r} appears more than once (columns {numbers})", where)
        return found[0] if found else None

    width = len(header)
    index: dict[str, int] = {}
    labels: dict[str, str] = {}
    joins: list[tuple[int, ...]] = []
    fixed: list[str] = []
    warnings: list[str] = []
    for column in plan.columns.known:
        if column in plan.fixed:
            continue  # placed after the joined columns, below
        source = plan.sources.get(column)
        choices = source.choices if source else ((column,),)
        for choice in choices:
            located = [find(name) for name in choice]
            found = [p for p in located if p is not None]
            if len(found) < len(located):
                continue
            if len(found) == 1:
                index[column] = found[0]
                labels[column] = header[found[0]].strip()
            else:
                index[column] = width + len(joins)
                joins.append(tuple(found))
                labels[column] = " + ".join(header[p].strip() for p in found)
            break
        else:
            _missing(plan, column, source, header, file, where, warnings)
            labels[column] = " + ".join(choices[0])
    for column in plan.values:
        shared = column in index and any(
            other != column and at == index[column] for other, at in index.items()
        )
        if shared:  # another column reads the same cell as written: map a copy of it
            joins.append((index[column],))
            index[column] = width + len(joins) - 1
    for column in plan.columns.known:
        if column in plan.fixed:
            index[column] = width + len(joins) + len(fixed)
            labels[column] = column
            fixed.append(plan.fixed[column])
    taken = {p for choice_positions in joins for p in choice_positions} | set(index.values())
    others = {
        text.strip().casefold(): position
        for position, text in enumerate(header)
        if position not in taken and text.strip()
    }
    layout = Layout(file, index, labels, others, plan.canonical)
    maps = [
        (index[column], labels[column], mapping)
        for column, mapping in plan.values.items()
        if column in index and mapping
    ]
    skips = []
    for name, values in plan.skip.items():
        skip_at = find(name)
        if skip_at is not None:
            skips.append((skip_at, header[skip_at].strip(), values))
    if not (joins or fixed or maps or skips):
        return layout, None, warnings
    return layout, RowShape(width, joins, fixed, maps, skips), warnings


def _missing(
    plan: FilePlan,
    column: str,
    source: ColumnSource | None,
    header: list[str],
    file: str,
    where: str,
    warnings: list[str],
) -> None:
    """Raise for a required column the header lacks; warn for a configured optional one."""
    if column in plan.columns.required:
        wanted = source.describe() if source else repr(column)
        given = f" (the name given for {column} in {source.origin})" if source else ""
        shown = ", ".join(repr(h.strip()) for h in header[:12]) + (
            ", ..." if len(header) > 12 else ""
        )
        raise InputError(
            f"no column {wanted}{given}; the header has {shown}; {MISSING_COLUMN_HELP}", where
        )
    if source is not None and column not in RISK_FIELDS:
        warnings.append(
            f"{file}: no column {source.describe()} (set for {column} in {source.origin})"
        )
