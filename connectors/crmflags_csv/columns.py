"""The columns of each bundle file (contracts §1), what each holds, and where a file has them."""

from __future__ import annotations

from dataclasses import dataclass, field

from crmflags.model import RISK_FIELDS

#: What a column holds, for the columns that are not plain text: how its values are read
#: and checked (dates and numbers by the column's form, see formats.py).
DATE, TIMESTAMP, NUMBER, FLAG, CHOICE, LINK = (
    "date",
    "timestamp",
    "number",
    "flag",
    "choice",
    "link",
)


@dataclass(frozen=True)
class FileColumns:
    """The canonical columns of one bundle file, and what each non-text column holds."""

    file: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    types: dict[str, str] = field(default_factory=dict)

    @property
    def known(self) -> tuple[str, ...]:
        """Return every column the file may have, required ones first."""
        return self.required + self.optional

    def of_type(self, *types: str) -> tuple[str, ...]:
        """Return the columns that hold one of ``types``, in the file's order."""
        return tuple(c for c in self.known if self.types.get(c) in types)


CLIENTS = FileColumns(
    "clients.csv",
    ("id", "name"),
    (
        "email",
        "business_type",
        "hourly_rate_target",
        "contracted_hours",
        "gut_feeling",
        "team_morale",
        "notes",
    )
    + RISK_FIELDS,
    {
        "id": LINK,
        "business_type": CHOICE,
        "hourly_rate_target": NUMBER,
        "contracted_hours": NUMBER,
        "gut_feeling": FLAG,
        "team_morale": NUMBER,
    },
)
INVOICES = FileColumns(
    "invoices.csv",
    ("client_id", "invoice_id", "issued_on", "due_on", "amount"),
    ("paid_on", "currency", "disputed", "credited_amount"),
    {
        "client_id": LINK,
        "issued_on": DATE,
        "due_on": DATE,
        "amount": NUMBER,
        "paid_on": DATE,
        "currency": CHOICE,
        "disputed": FLAG,
        "credited_amount": NUMBER,
    },
)
ACTIVITIES = FileColumns(
    "activities.csv",
    ("client_id", "occurred_at", "kind"),
    ("direction", "subject"),
    {"client_id": LINK, "occurred_at": TIMESTAMP, "kind": CHOICE, "direction": CHOICE},
)
NOTES = FileColumns(
    "notes.csv",
    ("client_id", "created_at", "body"),
    ("marker",),
    {"client_id": LINK, "created_at": TIMESTAMP, "marker": CHOICE},
)
TIME_ENTRIES = FileColumns(
    "time_entries.csv",
    ("client_id", "date", "hours"),
    ("billable", "in_scope"),
    {"client_id": LINK, "date": DATE, "hours": NUMBER, "billable": FLAG, "in_scope": FLAG},
)

#: Every bundle file, clients.csv first.
FILES = {f.file: f for f in (CLIENTS, INVOICES, ACTIVITIES, NOTES, TIME_ENTRIES)}


@dataclass(frozen=True)
class Layout:
    """Where the columns of one file are: canonical name -> position in its records.

    ``file`` is the file's name, ``canonical`` the bundle file it is read as (the
    same, unless a preset reads e.g. a HubSpot companies export as clients.csv).
    ``labels`` gives each known column's name as the user sees it: the header text
    where the column exists, else the configured name or the canonical one (the
    header a new risk column gets). ``others`` gives the position of every other
    column, by its lower-case header. A position past the header's width is a cell
    the file's RowShape adds (a joined or fixed column).
    """

    file: str
    index: dict[str, int]
    labels: dict[str, str]
    others: dict[str, int]
    canonical: str
