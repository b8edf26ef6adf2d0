"""Turn rows of the database into canonical objects, collecting every bad value.

Each builder returns None when its row has a fault; the faults, one message per bad
value (``invoices rowid 7: column due_on: 'abc' is not a date ...``), are kept in
``Row.faults`` for the client's RecordFailure.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date, datetime, tzinfo
from typing import Any, TypeVar

from crmflags import values
from crmflags.model import (
    ACTIVITY_KINDS,
    NOTE_MARKERS,
    RISK_FIELDS,
    Activity,
    Client,
    Invoice,
    Note,
)
from crmflags_sqlite.database import ROWID

T = TypeVar("T")

#: The columns of clients the connector knows; the others go to ``Client.fields``.
CLIENT_COLUMNS = (
    "id",
    "name",
    "email",
    "hourly_rate_target",
    "gut_feeling",
    "team_morale",
    *RISK_FIELDS,
)


class Row:
    """One row of a table, read column by column; bad values become faults."""

    def __init__(self, table: str, row: sqlite3.Row):
        self.table = table
        self.row = row
        self.faults: list[str] = []

    def value(self, column: str) -> Any:
        """Return the column's raw value (None where the table has no such column)."""
        return self.row[column] if column in self.row.keys() else None

    def text(self, column: str, required: bool = False) -> str | None:
        """Return the column's value as stripped text; None if empty."""
        raw = self.value(column)
        text = None if raw is None else str(raw).strip() or None
        if text is None and required:
            self.fault(column, "empty")
        return text

    def fault(self, column: str, message: str) -> None:
        """Record a bad value of a column."""
        self.faults.append(f"{self.table} rowid {self.row[ROWID]}: column {column}: {message}")

    def number(self, column: str, required: bool = False) -> float | None:
        """Return a non-negative number (text may use decimal commas)."""
        raw = self.value(column)
        if isinstance(raw, int | float):
            number = float(raw)
        else:
            number = self._parse(column, values.parse_number, required)
        if number is not None and number < 0:
            self.fault(column, f"{raw!r} is negative")
        return number

    def flag(self, column: str) -> bool:
        """Return a yes/no value (0/1 or yes/no words); empty is no."""
        raw = self.value(column)
        if isinstance(raw, int):
            return raw != 0
        return bool(self._parse(column, values.parse_flag))

    def date(self, column: str, required: bool = False) -> date | None:
        """Return a YYYY-MM-DD date."""
        return self._parse(column, values.parse_date, required)

    def timestamp(self, column: str, zone: tzinfo) -> tuple[datetime, bool] | None:
        """Return an aware timestamp (naive ones in ``zone``) and whether it had a time."""
        return self._parse(column, lambda text: values.parse_timestamp(text, zone), True)

    def choice(self, column: str, choices: tuple[str, ...]) -> str | None:
        """Return one of ``choices`` (case-insensitive), or None if empty."""
        text = self.text(column)
        if text is not None and text.casefold() not in choices:
            self.fault(column, f"{text!r} is not one of {', '.join(choices)}")
        return text.casefold() if text else None

    def _parse(self, column: str, parse: Callable[[str], T], required: bool = False) -> T | None:
        text = self.text(column, required)
        if text is None:
            return None
        try:
            return parse(text)
        except ValueError as exc:
            self.fault(column, str(exc))
            return None


def client_from(row: Row) -> Client | None:
    """Return the client of a clients row (its history still empty)."""
    client_id = row.text("id", required=True)
    name = row.text("name", required=True)
    rate = row.number("hourly_rate_target")
    gut = row.flag("gut_feeling")
    morale = row.number("team_morale")
    if morale is not None and not 1 <= morale <= 5:
        row.fault("team_morale", f"{row.value('team_morale')!r} is not between 1 and 5")
    if row.faults:
        return None
    return Client(
        id=client_id,
        name=name,
        email=row.text("email"),
        hourly_rate_target=rate,
        gut_feeling=gut,
        team_morale=morale,
        risk={column: _risk_text(row.value(column)) for column in RISK_FIELDS},
        fields={
            column.lower(): str(row.value(column))
            for column in row.row.keys()
            if column not in CLIENT_COLUMNS and column != ROWID and row.value(column) is not None
        },
    )


def invoice_from(row: Row) -> Invoice | None:
    """Return the invoice of an invoices row."""
    invoice_id = row.text("invoice_id", required=True)
    issued_on = row.date("issued_on", required=True)
    due_on = row.date("due_on", required=True)
    paid_on = row.date("paid_on")
    amount = row.number("amount", required=True)
    if row.faults:
        return None
    return Invoice(invoice_id, issued_on, due_on, amount, paid_on=paid_on)


def activity_from(row: Row, zone: tzinfo) -> Activity | None:
    """Return the activity of an activities row."""
    moment = row.timestamp("occurred_at", zone)
    kind = row.choice("kind", ACTIVITY_KINDS)
    if kind is None:
        row.fault("kind", "empty")
    direction = row.choice("direction", ("inbound", "outbound"))
    if row.faults:
        return None
    return Activity(
        occurred_at=moment[0],
        kind=kind,
        direction=direction or ("outbound" if kind == "reminder" else "inbound"),
        subject=row.text("subject") or "",
        has_time=moment[1],
    )


def note_from(row: Row, zone: tzinfo) -> Note | None:
    """Return the note of a notes row."""
    moment = row.timestamp("created_at", zone)
    marker = row.choice("marker", NOTE_MARKERS)
    if row.faults:
        return None
    return Note(created_at=moment[0], body=row.text("body") or "", marker=marker)


def _risk_text(raw: Any) -> str | None:
    return None if raw is None else str(raw)
