"""The forms of one file's date and number columns: forced by a setting, or found from all
their values while the file is read (the rules are in :mod:`crmflags_csv.formats`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter

import polars as pl

from crmflags.errors import InputError, place
from crmflags_csv.columns import DATE, NUMBER, TIMESTAMP, Layout
from crmflags_csv.formats import (
    ANY_DATE,
    ANY_NUMBER,
    UNSETTLED_DATE,
    UNSETTLED_NUMBER,
    DateEvidence,
    DateForm,
    NumberEvidence,
    NumberForm,
)
from crmflags_csv.plan import FilePlan


@dataclass(frozen=True)
class ColumnForms:
    """How each date and number column of one file is read (ANY_DATE, ANY_NUMBER if unnamed)."""

    dates: dict[str, DateForm] = field(default_factory=dict)
    numbers: dict[str, NumberForm] = field(default_factory=dict)

    def date(self, column: str) -> DateForm:
        """Return the form of a date or timestamp column."""
        return self.dates.get(column, ANY_DATE)

    def number(self, column: str) -> NumberForm:
        """Return the form of a number column."""
        return self.numbers.get(column, ANY_NUMBER)


#: The forms of a file whose columns are all settled the usual way.
SETTLED = ColumnForms()


#: Records whose values are weighed at once (see :meth:`ColumnEvidence.see_rows`).
BLOCK_ROWS = 256
#: Every digit but 0 reads as 9 in a number's shape: its evidence depends on nothing else.
_SHAPE = str.maketrans("12345678", "99999999")


class ColumnEvidence:
    """What the values of a file's date and number columns say, collected a block of
    records at a time.

    A number's evidence depends only on its shape (``1234.56`` and ``5678.12`` say the
    same), and a date's only if it has a ``/``; so each block is reduced to the distinct
    shapes (or slash dates) it holds, with the line each is first seen on, by string
    operations that run in C, and only those are weighed. Detecting the forms then costs
    little beside reading the file.
    """

    def __init__(self, plan: FilePlan, layout: Layout):
        self.layout = layout
        index = layout.index
        columns = plan.columns
        self.forced = ColumnForms(
            {c: f for c, f in plan.date_forms.items() if c in index},
            {c: f for c, f in plan.number_forms.items() if c in index},
        )
        self.dates = [
            (index[c], c, DateEvidence())
            for c in columns.of_type(DATE, TIMESTAMP)
            if c in index and c not in plan.date_forms
        ]
        #: Per number column: position, name, evidence, and the line each shape was first on.
        self.numbers: list[tuple[int, str, NumberEvidence, dict[str, int]]] = [
            (index[c], c, NumberEvidence(), {})
            for c in columns.of_type(NUMBER)
            if c in index and c not in plan.number_forms
        ]

    def unsettled(self) -> ColumnForms:
        """Return the forms to read with until every value has been seen."""
        return ColumnForms(
            {**{c: UNSETTLED_DATE for _, c, _ in self.dates}, **self.forced.dates},
            {**{c: UNSETTLED_NUMBER for _, c, _, _ in self.numbers}, **self.forced.numbers},
        )

    def see_rows(self, rows: list[tuple[int, list[str]]]) -> None:
        """Take a block of records, ``(line, values)`` in file order, into account."""
        if not rows:
            return
        for position, _, evidence in self.dates:
            texts = _column(rows, position)
            if "/" in "".join(texts):  # only slash dates say anything
                for at, text in enumerate(texts):
                    if "/" in text:
                        evidence.see(text, rows[at][0])
        for position, _, marks, shapes in self.numbers:
            texts = "\x00".join(_column(rows, position)).translate(_SHAPE).split("\x00")
            new = set(texts).difference(shapes)
            for at, shape in sorted((texts.index(shape), shape) for shape in new):
                shapes[shape] = rows[at][0]
                marks.see(shape, rows[at][0])

    def see_frame(self, frame: pl.DataFrame, cell: Callable[[int], str], line: str) -> None:
        """Take a whole file's records into account at once: ``frame`` has each record's
        line in column ``line`` and its values at position ``p`` in column ``cell(p)``.

        Each distinct slash date and number shape is weighed once, at the first line it
        is on, in the order of the lines, which is what :meth:`see_rows` weighs.
        """
        for position, _, evidence in self.dates:
            column = pl.col(cell(position))
            slashed = frame.filter(column.str.contains("/", literal=True))
            firsts = slashed.group_by(column, maintain_order=True).agg(pl.col(line).first())
            for text, at in firsts.iter_rows():
                evidence.see(text, at)
        for position, _, marks, shapes in self.numbers:
            column = pl.col(cell(position)).str.replace_all("[1-8]", "9")
            firsts = frame.group_by(column, maintain_order=True).agg(pl.col(line).first())
            for shape, at in firsts.iter_rows():
                if shape not in shapes:
                    shapes[shape] = at
                    marks.see(shape, at)

    def settle(self) -> ColumnForms:
        """Return every column's form, once the whole file has been seen.

        Raises InputError naming the file and column when a date column reads two ways.
        """
        dates = dict(self.forced.dates)
        for _, column, evidence in self.dates:
            try:
                dates[column] = evidence.settle()
            except ValueError as exc:
                where = place(self.layout.file, None, self.layout.labels[column])
                raise InputError(str(exc), where) from None
        numbers = dict(self.forced.numbers)
        numbers.update((column, evidence.settle()) for _, column, evidence, _ in self.numbers)
        return ColumnForms(dates, numbers)


def _column(rows: list[tuple[int, list[str]]], position: int) -> list[str]:
    """Return one column's values of some records ("" where a record is short)."""
    try:
        return list(map(itemgetter(position), map(itemgetter(1), rows)))
    except IndexError:
        return [r[position] if position < len(r) else "" for _, r in rows]
