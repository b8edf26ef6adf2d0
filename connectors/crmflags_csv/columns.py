"""The columns of each bundle file (contracts §1), and finding them in a file's header."""

from __future__ import annotations

from dataclasses import dataclass

from crmflags.errors import InputError
from crmflags.model import RISK_FIELDS


@dataclass(frozen=True)
class FileColumns:
    """The canonical columns of one bundle file."""

    file: str
    required: tuple[str, ...]
    optional: tuple[str, ...]

    @property
    def known(self) -> tuple[str, ...]:
        """Return every column the file may have, required ones first."""
        return self.required + self.optional


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
)
INVOICES = FileColumns(
    "invoices.csv",
    ("client_id", "invoice_id", "issued_on", "due_on", "amount"),
    ("paid_on", "currency", "disputed", "credited_amount"),
)
ACTIVITIES = FileColumns(
    "activities.csv", ("client_id", "occurred_at", "kind"), ("direction", "subject")
)
NOTES = FileColumns("notes.csv", ("client_id", "created_at", "body"), ("marker",))
TIME_ENTRIES = FileColumns(
    "time_entries.csv", ("client_id", "date", "hours"), ("billable", "in_scope")
)

#: Every bundle file, clients.csv first.
FILES = {f.file: f for f in (CLIENTS, INVOICES, ACTIVITIES, NOTES, TIME_ENTRIES)}


@dataclass(frozen=True)
class Layout:
    """Where the columns of one file are: canonical name -> position in the header.

    ``labels`` gives each known column's name as the user sees it: the header text
    where the column exists, else the configured name or the canonical one (the
    header a new risk column gets). ``others`` gives the position of every other
    column, by its lower-case header.
    """

    file: str
    index: dict[str, int]
    labels: dict[str, str]
    others: dict[str, int]


def locate(columns: FileColumns, header: list[str], names: dict[str, str], where: str) -> Layout:
    """Find the known columns in a header, matching names case-insensitively.

    ``names`` maps canonical names to the user's own column names. Raises InputError
    naming the file and column when a required column is missing or a known column
    appears twice.
    """
    positions: dict[str, list[int]] = {}
    for position, text in enumerate(header):
        positions.setdefault(text.strip().casefold(), []).append(position)
    index, labels = {}, {}
    for column in columns.known:
        wanted = names.get(column, column)
        found = positions.get(wanted.strip().casefold(), [])
        if len(found) > 1:
            numbers = " and ".join(str(p + 1) for p in found)
            raise InputError(f"column {wanted!r} appears more than once (columns {numbers})", where)
        if found:
            index[column] = found[0]
            labels[column] = header[found[0]].strip()
        elif column in columns.required:
            mapped = (
                f" (the name given for {column} in the configuration)" if column in names else ""
            )
            shown = ", ".join(repr(h.strip()) for h in header[:12]) + (
                ", ..." if len(header) > 12 else ""
            )
            raise InputError(f"no column {wanted!r}{mapped}; the header has {shown}", where)
        else:
            labels[column] = wanted
    taken = set(index.values())
    others = {
        text.strip().casefold(): position
        for position, text in enumerate(header)
        if position not in taken and text.strip()
    }
    return Layout(columns.file, index, labels, others)


def missing_mapped(layout: Layout, names: dict[str, str]) -> list[str]:
    """Return the configured column names the file does not have (risk columns aside)."""
    return [
        f"{layout.file}: no column {names[c]!r} (configured for {c})"
        for c in names
        if c not in layout.index and c not in RISK_FIELDS
    ]
