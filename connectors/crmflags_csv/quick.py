"""Build history objects from clean records quickly; anything unusual goes to :mod:`rows`.

Most history rows of a large bundle are plain: an ISO date, a dot-decimal number, a
yes/no word. A quick builder reads such a row with one look-up per cell in a memo of
the values already parsed (a year of history has a few hundred distinct days, a few
distinct hours and flags), so each distinct text is parsed once and its value object
is shared by every row that has it, which also saves memory. It declines (returns
None) a row it is not sure of: a short row, an empty required cell, a value the
parsers reject, an invoice due before it is issued. The caller then reads that row
with the builders of :mod:`crmflags_csv.rows`, which give the same objects for any
row the quick builder accepts and name every fault of a bad one.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import date, datetime, tzinfo
from typing import Any, Final, Generic, Literal, TypeVar, overload

from crmflags import values
from crmflags.model import ACTIVITY_KINDS, NOTE_MARKERS, Activity, Invoice, Note, TimeEntry
from crmflags_csv import formats
from crmflags_csv.column_forms import ColumnForms
from crmflags_csv.columns import ACTIVITIES, INVOICES, NOTES, TIME_ENTRIES, Layout

#: Distinct texts a memo keeps for one column (a column of unique values stops there).
MEMO_LIMIT = 100_000

#: A quick builder: a record's cell values to its item, or None to leave it to the careful ones.
QuickBuilder = Callable[[list[str]], object | None]


class _Unsure(Exception):
    """The cell is not one the quick builder reads: the careful builder must."""


class _Marker(enum.Enum):
    """The value of a cell the quick builder declines (an enum member, so mypy can narrow)."""

    UNSURE = "unsure"


_UNSURE: Final = _Marker.UNSURE

T = TypeVar("T")
E = TypeVar("E")


class _Memo(dict[str, T | _Marker]):
    """Parsed values by cell text, parsing each text once; ``_UNSURE`` marks a text to decline."""

    __slots__ = ("parse",)

    def __init__(self, parse: Callable[[str], T]) -> None:
        super().__init__()
        self.parse = parse

    def __missing__(self, text: str) -> T | _Marker:
        value: T | _Marker
        try:
            value = self.parse(text)
        except (ValueError, _Unsure):
            value = _UNSURE
        if len(self) < MEMO_LIMIT:
            self[text] = value
        return value


def _required(parse: Callable[[str], T]) -> Callable[[str], T]:
    def read(text: str) -> T:
        if not text.strip():
            raise _Unsure
        return parse(text)

    return read


def _optional(parse: Callable[[str], T], empty: E) -> Callable[[str], T | E]:
    def read(text: str) -> T | E:
        return parse(text) if text.strip() else empty

    return read


def _amount(form: formats.NumberForm) -> Callable[[str], float]:
    def read(text: str) -> float:
        number = formats.parse_number(text, form)
        if number < 0:
            raise _Unsure
        return number

    return read


def _money(form: formats.NumberForm) -> Callable[[str], tuple[float, str | None]]:
    def read(text: str) -> tuple[float, str | None]:
        money = formats.parse_money(text, form)
        if money[0] < 0:
            raise _Unsure
        return money

    return read


def _date(form: formats.DateForm) -> Callable[[str], date]:
    return lambda text: formats.parse_date(text, form)


def _timestamp(form: formats.DateForm, zone: tzinfo) -> Callable[[str], tuple[datetime, bool]]:
    return lambda text: formats.parse_timestamp(text, form, zone)


@overload
def _choice(choices: tuple[str, ...], required: Literal[True]) -> Callable[[str], str]: ...
@overload
def _choice(choices: tuple[str, ...], required: Literal[False]) -> Callable[[str], str | None]: ...
def _choice(choices: tuple[str, ...], required: bool) -> Callable[[str], str | None]:
    def read(text: str) -> str | None:
        word = text.strip().casefold().replace("-", "_").replace(" ", "_")
        if word in choices:
            return word
        if word or required:
            raise _Unsure
        return None

    return read


def _stripped(text: str) -> str:
    word = text.strip()
    if not word:
        raise _Unsure
    return word


class _Column(Generic[T]):
    """How to read one column of a file: where it is, and a function from cell text to value.

    The function is a memo's look-up, or the parser guarded to give ``_UNSURE``; a
    column the file lacks reads cell 0 and always gives the value of an empty cell.
    """

    __slots__ = ("index", "read")

    index: int
    read: Callable[[str], T | _Marker]

    def __init__(
        self, layout: Layout, column: str, parse: Callable[[str], T], memo: bool = True
    ) -> None:
        index = layout.index.get(column)
        if index is None:
            empty = _guarded(parse)("")
            self.index, self.read = 0, lambda text: empty
        else:
            self.index = index
            self.read = _Memo(parse).__getitem__ if memo else _guarded(parse)


def _guarded(parse: Callable[[str], T]) -> Callable[[str], T | _Marker]:
    def read(text: str) -> T | _Marker:
        try:
            return parse(text)
        except (ValueError, _Unsure):
            return _UNSURE

    return read


def _width(*columns: _Column[Any]) -> int:
    """Return how many cells a record needs for the quick builder to read it."""
    return max(column.index for column in columns) + 1


#: What a cell reader raises for a cell the quick builders decline.
DECLINED = (ValueError, _Unsure)


def cell_readers(canonical: str, zone: tzinfo, forms: ColumnForms) -> dict[str, Callable]:
    """Return, by column of the history file ``canonical``, the function its quick builder
    reads a cell with: the cell's value, or DECLINED raised for a cell it leaves to the
    careful builders (an empty required cell, a value the parsers reject)."""
    if canonical == INVOICES.file:

        def required_date(column: str) -> Callable[[str], date]:
            return _required(_date(forms.date(column)))

        return {
            "invoice_id": _stripped,
            "issued_on": required_date("issued_on"),
            "due_on": required_date("due_on"),
            "amount": _required(_money(forms.number("amount"))),
            "paid_on": _optional(_date(forms.date("paid_on")), None),
            "currency": lambda t: formats.currency_code(t) if t.strip() else None,
            "disputed": _optional(values.parse_flag, False),
            "credited_amount": _optional(_money(forms.number("credited_amount")), None),
        }
    if canonical == ACTIVITIES.file:
        return {
            "occurred_at": _required(_timestamp(forms.date("occurred_at"), zone)),
            "kind": _choice(ACTIVITY_KINDS, required=True),
            "direction": _choice(("inbound", "outbound"), required=False),
            "subject": lambda text: text,
        }
    if canonical == NOTES.file:
        moment = _timestamp(forms.date("created_at"), zone)
        return {
            "created_at": _required(lambda text: moment(text)[0]),
            "body": _required(lambda text: text),
            "marker": _choice(NOTE_MARKERS, required=False),
        }
    return {
        "date": _required(_date(forms.date("date"))),
        "hours": _required(_amount(forms.number("hours"))),
        "billable": _optional(values.parse_flag, True),
        "in_scope": _optional(values.parse_flag, True),
    }


#: The columns whose cells are too varied to memoise (nearly every one is new).
_UNMEMOISED = ("invoice_id", "amount", "credited_amount", "subject", "body")


def _columns(layout: Layout, zone: tzinfo, forms: ColumnForms) -> dict[str, _Column]:
    readers = cell_readers(layout.canonical, zone, forms)
    return {
        column: _Column(layout, column, read, memo=column not in _UNMEMOISED)
        for column, read in readers.items()
    }


def _invoices(layout: Layout, zone: tzinfo, forms: ColumnForms) -> QuickBuilder:
    columns = _columns(layout, zone, forms)
    c_id, c_issued, c_due = columns["invoice_id"], columns["issued_on"], columns["due_on"]
    c_amount, c_paid, c_currency = columns["amount"], columns["paid_on"], columns["currency"]
    c_disputed, c_credited = columns["disputed"], columns["credited_amount"]
    width = _width(*columns.values())

    def build(cells: list[str]) -> Invoice | None:
        if len(cells) < width:
            return None
        invoice_id = c_id.read(cells[c_id.index])
        issued, due = c_issued.read(cells[c_issued.index]), c_due.read(cells[c_due.index])
        amount = c_amount.read(cells[c_amount.index])
        paid = c_paid.read(cells[c_paid.index])
        currency = c_currency.read(cells[c_currency.index])
        disputed = c_disputed.read(cells[c_disputed.index])
        credited = c_credited.read(cells[c_credited.index])
        if (
            invoice_id is _UNSURE
            or issued is _UNSURE
            or due is _UNSURE
            or amount is _UNSURE
            or paid is _UNSURE
            or currency is _UNSURE
            or disputed is _UNSURE
            or credited is _UNSURE
        ):
            return None
        for written in (amount[1], credited[1] if credited else None):
            if written is not None:
                if currency is None:
                    currency = written
                elif written != currency:
                    return None
        credited_amount = credited[0] if credited else 0.0
        if due < issued or credited_amount > amount[0]:
            return None
        return Invoice(
            invoice_id, issued, due, amount[0], paid, currency, disputed, credited_amount
        )

    return build


def _activities(layout: Layout, zone: tzinfo, forms: ColumnForms) -> QuickBuilder:
    columns = _columns(layout, zone, forms)
    c_at, c_kind = columns["occurred_at"], columns["kind"]
    c_direction, c_subject = columns["direction"], columns["subject"]
    width = _width(*columns.values())

    def build(cells: list[str]) -> Activity | None:
        if len(cells) < width:
            return None
        moment = c_at.read(cells[c_at.index])
        kind = c_kind.read(cells[c_kind.index])
        direction = c_direction.read(cells[c_direction.index])
        subject = c_subject.read(cells[c_subject.index])  # never _UNSURE: no parse fails
        if moment is _UNSURE or kind is _UNSURE or direction is _UNSURE or subject is _UNSURE:
            return None
        if direction is None:
            direction = "outbound" if kind == "reminder" else "inbound"
        return Activity(moment[0], kind, direction, subject, moment[1])

    return build


def _notes(layout: Layout, zone: tzinfo, forms: ColumnForms) -> QuickBuilder:
    columns = _columns(layout, zone, forms)
    c_at, c_body, c_marker = columns["created_at"], columns["body"], columns["marker"]
    width = _width(*columns.values())

    def build(cells: list[str]) -> Note | None:
        if len(cells) < width:
            return None
        moment = c_at.read(cells[c_at.index])
        body = c_body.read(cells[c_body.index])
        marker = c_marker.read(cells[c_marker.index])
        if moment is _UNSURE or body is _UNSURE or marker is _UNSURE:
            return None
        return Note(moment, body, marker)

    return build


def _time_entries(layout: Layout, zone: tzinfo, forms: ColumnForms) -> QuickBuilder:
    columns = _columns(layout, zone, forms)
    c_date, c_hours = columns["date"], columns["hours"]
    c_billable, c_in_scope = columns["billable"], columns["in_scope"]
    width = _width(*columns.values())

    def build(cells: list[str]) -> TimeEntry | None:
        if len(cells) < width:
            return None
        day = c_date.read(cells[c_date.index])
        hours = c_hours.read(cells[c_hours.index])
        billable = c_billable.read(cells[c_billable.index])
        in_scope = c_in_scope.read(cells[c_in_scope.index])
        if day is _UNSURE or hours is _UNSURE or billable is _UNSURE or in_scope is _UNSURE:
            return None
        return TimeEntry(day, hours, billable, in_scope)

    return build


_BUILDERS = {
    INVOICES.file: _invoices,
    ACTIVITIES.file: _activities,
    NOTES.file: _notes,
    TIME_ENTRIES.file: _time_entries,
}


def quick_builder(layout: Layout, zone: tzinfo, forms: ColumnForms) -> QuickBuilder:
    """Return the quick builder for the records of the history file ``layout`` describes,
    reading dates and numbers in the columns' ``forms``."""
    return _BUILDERS[layout.canonical](layout, zone, forms)
