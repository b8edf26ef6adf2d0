"""Is a record canonical? The checks the core applies to everything a connector yields.

A connector yields :class:`~crmflags.model.Client` and
:class:`~crmflags.model.RecordFailure` objects. The core does not trust them:
:func:`checked` turns each one that breaks the model's rules (a naive timestamp, an
amount that is not a number, an unknown activity kind, an id read twice ...) into a
RecordFailure of that client, naming what is wrong, so one bad record fails one
client, never the run. The conformance kit (:mod:`crmflags.testing`) asserts the same
rules, so a connector author finds the fault before a user does.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime
from numbers import Real
from typing import Any

from crmflags.model import (
    ACTIVITY_KINDS,
    NOTE_MARKERS,
    RISK_FIELDS,
    Activity,
    Client,
    Invoice,
    Note,
    RecordFailure,
    TimeEntry,
)

#: Problems named in one RecordFailure's reason; further ones are counted.
SHOWN_PROBLEMS = 3


class RecordChecker:
    """Checks the records of one read, in order: each alone, and ids read twice.

    ``strict`` (the conformance kit) also wants ``risk`` to have exactly the
    ``RISK_FIELDS`` as keys; the core takes a missing one as empty.
    """

    def __init__(self, strict: bool = False) -> None:
        self.strict = strict
        self.seen: set[str] = set()

    def problems(self, record: Any) -> list[str]:
        """Return what is wrong with the next record read (empty when it is canonical)."""
        if isinstance(record, Client):
            problems = client_problems(record, self.strict)
        elif isinstance(record, RecordFailure):
            problems = failure_problems(record)
        else:
            return [f"is a {type(record).__name__}, not a Client or RecordFailure"]
        client_id = record.id if isinstance(record, Client) else record.client_id
        if isinstance(client_id, str):
            if client_id in self.seen:
                problems.append(f"id {client_id!r} was already read")
            self.seen.add(client_id)
        return problems


def checked(records: Iterable[Any], connector: str) -> Iterator[Client | RecordFailure]:
    """Yield the records a connector read, each one that is not canonical as a RecordFailure.

    The failure keeps the client's id when it has one, and its reason names the
    connector and the problems found (``connector acme: not canonical: activity 2:
    occurred_at 2026-03-02T21:15:00 is naive; it must be timezone-aware``). The
    records are checked as they are read, so a streamed read stays streamed.
    """
    checker = RecordChecker()
    for record in records:
        problems = checker.problems(record)
        if not problems:
            yield record
            continue
        shown = "; ".join(problems[:SHOWN_PROBLEMS])
        if len(problems) > SHOWN_PROBLEMS:
            shown += f"; and {len(problems) - SHOWN_PROBLEMS} more"
        client_id = getattr(record, "id", getattr(record, "client_id", None))
        yield RecordFailure(
            client_id if isinstance(client_id, str) and client_id.strip() else None,
            f"connector {connector}: not canonical: {shown}",
        )


def client_problems(client: Client, strict: bool = False) -> list[str]:
    """Return what is wrong with a client (see :class:`RecordChecker` for ``strict``)."""
    problems = []
    for name in ("id", "name"):
        value = getattr(client, name)
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{name} is {value!r}; it must be a non-empty string")
    for name in ("email", "business_type"):
        if not isinstance(getattr(client, name), (str, type(None))):
            problems.append(f"{name} is {getattr(client, name)!r}; expected a string or None")
    for name in ("hourly_rate_target", "contracted_hours", "team_morale"):
        value = getattr(client, name)
        if value is not None and not _number(value):
            problems.append(f"{name} is {value!r}; expected a number or None")
    if not isinstance(client.gut_feeling, bool):
        problems.append(f"gut_feeling is {client.gut_feeling!r}; expected True or False")
    for kind, items, check in (
        ("invoice", client.invoices, _invoice_problems),
        ("activity", client.activities, _activity_problems),
        ("note", client.notes, _note_problems),
        ("time entry", client.time_entries, _time_entry_problems),
    ):
        for number, item in enumerate(items, start=1):
            problems += [f"{kind} {number}: {p}" for p in check(item)]
    problems += _risk_problems(client.risk, strict)
    if not isinstance(client.fields, dict) or not all(
        isinstance(k, str) and k == k.lower() and isinstance(v, str)
        for k, v in client.fields.items()
    ):
        problems.append(
            f"fields is {client.fields!r}; expected a dict of lower-case names to strings"
        )
    return problems


def _invoice_problems(invoice: Any) -> list[str]:
    if not isinstance(invoice, Invoice):
        return [f"is a {type(invoice).__name__}, not an Invoice"]
    problems = []
    for name in ("issued_on", "due_on"):
        if not _day(getattr(invoice, name)):
            problems.append(f"{name} is {getattr(invoice, name)!r}; expected a date")
    if invoice.paid_on is not None and not _day(invoice.paid_on):
        problems.append(f"paid_on is {invoice.paid_on!r}; expected a date or None")
    for name in ("amount", "credited_amount"):
        value = getattr(invoice, name)
        if not _number(value) or value < 0:
            problems.append(f"{name} is {value!r}; expected a number of 0 or more")
    if _day(invoice.issued_on) and _day(invoice.due_on) and invoice.due_on < invoice.issued_on:
        problems.append(f"due_on {invoice.due_on} is before issued_on {invoice.issued_on}")
    return problems


def _activity_problems(activity: Any) -> list[str]:
    if not isinstance(activity, Activity):
        return [f"is a {type(activity).__name__}, not an Activity"]
    problems = _moment_problems("occurred_at", activity.occurred_at)
    if activity.kind not in ACTIVITY_KINDS:
        problems.append(f"kind is {activity.kind!r}; expected one of {', '.join(ACTIVITY_KINDS)}")
    if activity.direction not in ("inbound", "outbound"):
        problems.append(f"direction is {activity.direction!r}; expected inbound or outbound")
    if not isinstance(activity.subject, str):
        problems.append(f"subject is {activity.subject!r}; expected a string")
    return problems


def _note_problems(note: Any) -> list[str]:
    if not isinstance(note, Note):
        return [f"is a {type(note).__name__}, not a Note"]
    problems = _moment_problems("created_at", note.created_at)
    if not isinstance(note.body, str):
        problems.append(f"body is {note.body!r}; expected a string")
    if note.marker is not None and note.marker not in NOTE_MARKERS:
        problems.append(
            f"marker is {note.marker!r}; expected None or one of {', '.join(NOTE_MARKERS)}"
        )
    return problems


def _time_entry_problems(entry: Any) -> list[str]:
    if not isinstance(entry, TimeEntry):
        return [f"is a {type(entry).__name__}, not a TimeEntry"]
    problems = []
    if not _day(entry.date):
        problems.append(f"date is {entry.date!r}; expected a date")
    if not _number(entry.hours) or entry.hours < 0:
        problems.append(f"hours is {entry.hours!r}; expected a number of 0 or more")
    return problems


def _risk_problems(risk: Any, strict: bool) -> list[str]:
    if not isinstance(risk, dict):
        return [f"risk is {risk!r}; expected a dict"]
    problems = []
    missing = [f for f in RISK_FIELDS if f not in risk] if strict else []
    extra = [f for f in risk if f not in RISK_FIELDS]
    if missing or extra:
        problems.append(
            f"risk must have exactly the keys {', '.join(RISK_FIELDS)}"
            + (f"; missing {', '.join(missing)}" if missing else "")
            + (f"; extra {', '.join(map(repr, extra))}" if extra else "")
        )
    problems += [
        f"risk[{key!r}] is {value!r}; expected a string or None"
        for key, value in risk.items()
        if not isinstance(value, (str, type(None)))
    ]
    return problems


def failure_problems(failure: RecordFailure) -> list[str]:
    """Return what is wrong with a RecordFailure: its id (or None) and its reason."""
    problems = []
    if failure.client_id is not None and (
        not isinstance(failure.client_id, str) or not failure.client_id.strip()
    ):
        problems.append(f"client_id is {failure.client_id!r}; expected a non-empty string or None")
    if not isinstance(failure.reason, str) or not failure.reason.strip():
        problems.append(f"reason is {failure.reason!r}; expected a non-empty string")
    return problems


def _moment_problems(name: str, value: Any) -> list[str]:
    if not isinstance(value, datetime):
        return [f"{name} is {value!r}; expected a datetime"]
    if value.tzinfo is None or value.utcoffset() is None:
        return [f"{name} {value.isoformat()} is naive; it must be timezone-aware"]
    return []


def _day(value: Any) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime)


def _number(value: Any) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool)
