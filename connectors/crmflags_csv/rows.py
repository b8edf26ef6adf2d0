"""Turn one record of a bundle file into a canonical object, collecting every bad value.

Each builder returns None when the record has a fault; the faults, one message per
bad value (``invoices.csv:7: field due_on: 'abc' is not a date ...``), are left in
``Cells.faults`` for the client's RecordFailure. Dates and numbers are read in their
column's form (:mod:`crmflags_csv.formats`); a value that only its column can settle,
met before the column is read through, sets ``Cells.unsettled`` instead of a fault.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, tzinfo
from typing import TypeVar

from crmflags import values
from crmflags.errors import place
from crmflags.model import (
    ACTIVITY_KINDS,
    NOTE_MARKERS,
    RISK_FIELDS,
    Activity,
    Client,
    Invoice,
    Note,
    TimeEntry,
)
from crmflags_csv import formats
from crmflags_csv.column_forms import SETTLED, ColumnForms
from crmflags_csv.columns import Layout

T = TypeVar("T")


class Cells:
    """The values of one record by canonical column, and the faults found reading them.

    ``unknown`` collects (column, value) of each value that is not one a choice or
    yes/no column knows, for a warning that names the setting mapping them.
    """

    __slots__ = ("cells", "faults", "forms", "layout", "line", "unknown", "unsettled", "values")

    def __init__(
        self, layout: Layout, line: int, cell_values: list[str], forms: ColumnForms = SETTLED
    ):
        self.layout = layout
        self.line = line
        self.cells = cell_values
        self.forms = forms
        count = len(cell_values)
        self.values = {column: cell_values[i] for column, i in layout.index.items() if i < count}
        self.faults: list[str] = []
        self.unknown: list[tuple[str, str]] = []
        self.unsettled = False

    def failed(self) -> bool:
        """Tell whether some value is bad, or waits for its column to be settled."""
        return bool(self.faults) or self.unsettled

    def others(self) -> dict[str, str]:
        """Return the values of the columns crmflags does not know, by lower-case header."""
        count = len(self.cells)
        return {name: self.cells[i] for name, i in self.layout.others.items() if i < count}

    def text(self, column: str) -> str:
        """Return the column's value as written ("" where the column or cell is missing)."""
        return self.values.get(column, "")

    def fault(self, column: str, message: str) -> None:
        """Record a bad value of a column."""
        self.faults.append(
            f"{place(self.layout.file, self.line, self.layout.labels[column])}: {message}"
        )

    def required(self, column: str) -> str:
        """Return the column's value stripped; a fault if it is empty."""
        text = self.text(column).strip()
        if not text:
            self.fault(column, "empty")
        return text

    def optional(self, column: str) -> str | None:
        """Return the column's value stripped, or None if it is empty."""
        return self.text(column).strip() or None

    def number(self, column: str, required: bool = False) -> float | None:
        """Return a number in the column's form; None if empty and not required."""
        form = self.forms.number(column)
        return self._parse(column, lambda text: formats.parse_number(text, form), required)

    def money(self, column: str, required: bool = False) -> tuple[float, str | None] | None:
        """Return an amount that may not be negative and its currency (None if it has none)."""
        form = self.forms.number(column)
        money = self._parse(column, lambda text: formats.parse_money(text, form), required)
        if money is not None and money[0] < 0:
            self.fault(column, f"{self.text(column).strip()!r} is negative")
        return money

    def amount(self, column: str, required: bool = False) -> float | None:
        """Return a number that may not be negative; None if empty and not required."""
        number = self.number(column, required)
        if number is not None and number < 0:
            self.fault(column, f"{self.text(column).strip()!r} is negative")
        return number

    def date(self, column: str, required: bool = False) -> date | None:
        """Return a date in the column's form; None if empty and not required."""
        form = self.forms.date(column)
        return self._parse(column, lambda text: formats.parse_date(text, form), required)

    def timestamp(self, column: str, zone: tzinfo) -> tuple[datetime, bool] | None:
        """Return a required timestamp, in ``zone`` unless it has an offset, and ``has_time``."""
        form = self.forms.date(column)
        return self._parse(column, lambda text: formats.parse_timestamp(text, form, zone), True)

    def flag(self, column: str, default: bool) -> bool:
        """Return a yes/no value; ``default`` when empty."""
        text = self.text(column)
        if not text.strip():
            return default
        try:
            return values.parse_flag(text)
        except ValueError as exc:
            self.unknown.append((column, text.strip()))
            self.fault(column, f"{exc}; {self.mapping_hint(column)}")
            return default

    def currency(
        self, column: str, *amounts: tuple[str, tuple[float, str | None] | None]
    ) -> str | None:
        """Return the currency: the column's, else the one written with the amounts.

        ``amounts`` are (column, money) of the amounts; one written in another currency
        than the column's (or than an earlier amount's) is a fault.
        """
        text = self.optional(column)
        code = formats.currency_code(text) if text else None
        for amount_column, money in amounts:
            if money is None or money[1] is None:
                continue
            if code is None:
                code = money[1]
            elif money[1] != code:
                self.fault(
                    amount_column,
                    f"{self.text(amount_column).strip()!r} is in {money[1]}, but the currency is "
                    f"{code}",
                )
        return code

    def choice(
        self, column: str, choices: tuple[str, ...], what: str, required: bool = False
    ) -> str | None:
        """Return one of ``choices`` (any case, ``-`` or space for ``_``); None if empty."""
        text = self.text(column).strip()
        word = text.casefold().replace("-", "_").replace(" ", "_")
        if not word and required:
            self.fault(column, "empty")
        elif word and word not in choices:
            self.unknown.append((column, text))
            hint = self.mapping_hint(column)
            self.fault(column, f"{text!r} is not {what} ({', '.join(choices)}); {hint}")
        return word if word in choices else None

    def mapping_hint(self, column: str) -> str:
        """Return where a value of the column is mapped to a canonical one."""
        return f"csv.values.{self.layout.canonical}.{column} can map it (or ignore the row)"

    def _parse(self, column: str, parse: Callable[[str], T], required: bool) -> T | None:
        text = self.text(column)
        if not text.strip():
            if required:
                self.fault(column, "empty")
            return None
        try:
            return parse(text)
        except formats.Unsettled:
            self.unsettled = True
            return None
        except ValueError as exc:
            self.fault(column, str(exc))
            return None


def client_from(cells: Cells) -> Client | None:
    """Return the client of a clients.csv record (no history yet), or None if it has a fault."""
    client_id = cells.required("id")
    name = cells.required("name")
    morale = cells.number("team_morale")
    if morale is not None and not 1 <= morale <= 5:
        cells.fault("team_morale", f"{cells.text('team_morale')!r} is not between 1 and 5")
    client = Client(
        id=client_id,
        name=name,
        email=cells.optional("email"),
        business_type=cells.optional("business_type"),
        hourly_rate_target=cells.amount("hourly_rate_target"),
        contracted_hours=cells.amount("contracted_hours"),
        gut_feeling=cells.flag("gut_feeling", False),
        team_morale=morale,
        risk={f: cells.text(f) if f in cells.layout.index else None for f in RISK_FIELDS},
        fields=cells.others(),
    )
    return None if cells.failed() else client


def invoice_from(cells: Cells) -> Invoice | None:
    """Return the invoice of an invoices.csv record, or None if it has a fault.

    The currency is the currency column's, else the one written with the amount (``9.500
    Ft``) or the credited amount.
    """
    invoice_id = cells.required("invoice_id")
    issued_on = cells.date("issued_on", required=True)
    due_on = cells.date("due_on", required=True)
    amount = cells.money("amount", required=True)
    paid_on = cells.date("paid_on")
    disputed = cells.flag("disputed", False)
    credited = cells.money("credited_amount")
    currency = cells.currency("currency", ("amount", amount), ("credited_amount", credited))
    # A required value is None only with a fault: the None tests narrow, they add no case.
    if cells.failed() or issued_on is None or due_on is None:
        return None
    invoice = Invoice(
        invoice_id=invoice_id,
        issued_on=issued_on,
        due_on=due_on,
        amount=amount[0] if amount else 0.0,
        paid_on=paid_on,
        currency=currency,
        disputed=disputed,
        credited_amount=credited[0] if credited else 0.0,
    )
    if invoice.due_on < invoice.issued_on:
        cells.fault("due_on", f"{invoice.due_on} is before issued_on {invoice.issued_on}")
    if invoice.credited_amount > invoice.amount:
        cells.fault("credited_amount", f"{invoice.credited_amount:g} is more than the amount")
    return None if cells.faults else invoice


def activity_from(cells: Cells, zone: tzinfo) -> Activity | None:
    """Return the activity of an activities.csv record, or None if it has a fault.

    An empty direction is inbound, except for a reminder, which the business sends.
    """
    moment = cells.timestamp("occurred_at", zone)
    kind = cells.choice("kind", ACTIVITY_KINDS, "an activity kind", required=True)
    direction = cells.choice("direction", ("inbound", "outbound"), "a direction")
    if cells.failed() or moment is None or kind is None:  # None only with a fault
        return None
    return Activity(
        occurred_at=moment[0],
        kind=kind,
        direction=direction or ("outbound" if kind == "reminder" else "inbound"),
        subject=cells.text("subject"),
        has_time=moment[1],
    )


def note_from(cells: Cells, zone: tzinfo) -> Note | None:
    """Return the note of a notes.csv record, or None if it has a fault."""
    moment = cells.timestamp("created_at", zone)
    body = cells.text("body")
    if not body.strip():
        cells.fault("body", "empty")
    marker = cells.choice("marker", NOTE_MARKERS, "a note marker")
    if cells.failed() or moment is None:  # None only with a fault
        return None
    return Note(created_at=moment[0], body=body, marker=marker)


def time_entry_from(cells: Cells) -> TimeEntry | None:
    """Return the time entry of a time_entries.csv record, or None if it has a fault.

    Empty billable and in_scope cells mean yes.
    """
    day = cells.date("date", required=True)
    hours = cells.amount("hours", required=True)
    billable = cells.flag("billable", True)
    in_scope = cells.flag("in_scope", True)
    if cells.failed() or day is None or hours is None:  # None only with a fault
        return None
    return TimeEntry(date=day, hours=hours, billable=billable, in_scope=in_scope)
