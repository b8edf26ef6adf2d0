"""The canonical client model that every connector produces.

Connectors translate their source (CSV files, HubSpot, Pipedrive, ...) into these
objects; the core derives every metric from them, so all connectors get the same
metrics. Timestamps are timezone-aware; a connector that reads a naive timestamp
gives it the business's time zone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

#: Activity kinds (contracts §1).
ACTIVITY_KINDS = (
    "call",
    "email",
    "meeting",
    "message",
    "change_request",
    "rush_request",
    "reminder",
)
#: Note markers (contracts §1).
NOTE_MARKERS = (
    "advice_ignored",
    "agreement_disputed",
    "disrespect",
    "threat",
    "legal",
    "competitor",
)
#: The risk fields crmflags owns in a source, in the order they are added to it.
RISK_FIELDS = ("risk_level", "risk_score", "risk_tags", "risk_reasons", "risk_changed_at")


@dataclass(slots=True)
class Invoice:
    """One invoice; ``paid_on`` is None while it is unpaid."""

    invoice_id: str
    issued_on: date
    due_on: date
    amount: float
    paid_on: date | None = None
    currency: str | None = None
    disputed: bool = False
    credited_amount: float = 0.0


@dataclass(slots=True)
class Activity:
    """A call, email, meeting, message, change request, rush request or reminder.

    ``has_time`` is False when the source gave only a date: such an activity counts
    for weekends but not for hours of the day.
    """

    occurred_at: datetime
    kind: str
    direction: str = "inbound"
    subject: str = ""
    has_time: bool = True


@dataclass(slots=True)
class Note:
    """A free-text note; ``marker`` is one of NOTE_MARKERS or None."""

    created_at: datetime
    body: str
    marker: str | None = None


@dataclass(slots=True)
class TimeEntry:
    """Hours worked for the client on one day."""

    date: date
    hours: float
    billable: bool = True
    in_scope: bool = True


@dataclass(slots=True)
class Client:
    """A client and their whole history, as read from one source.

    ``risk`` holds the risk fields as they are in the source now (RISK_FIELDS as
    keys, strings as values, None where the source has no value); the sync compares
    them with a new result to send only what changed. ``fields`` holds the source's
    other fields of the client (columns or properties crmflags does not know), by
    lower-case name, e.g. the outcome column ``rules backtest`` reads.
    """

    id: str
    name: str
    email: str | None = None
    business_type: str | None = None
    hourly_rate_target: float | None = None
    contracted_hours: float | None = None
    gut_feeling: bool = False
    team_morale: float | None = None
    invoices: list[Invoice] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    time_entries: list[TimeEntry] = field(default_factory=list)
    risk: dict[str, str | None] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True, frozen=True)
class RecordFailure:
    """A record that could not be read, evaluated or written; the run goes on without it.

    ``client_id`` is None when the record was too broken to name its client.
    """

    client_id: str | None
    reason: str
