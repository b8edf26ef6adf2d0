"""Which HubSpot property feeds which field of the canonical client (the one mapping table).

Company (``companies`` record) -> Client:

- ``id``: the record id
- ``name``: ``name``, else ``domain``, else ``company <id>``
- ``business_type``: ``industry`` (configurable)
- ``email``: none by default (configurable)
- ``hourly_rate_target``, ``contracted_hours``, ``team_morale``: numbers from
  ``crmflags_hourly_rate_target``, ``crmflags_contracted_hours``,
  ``crmflags_team_morale`` (configurable)
- ``gut_feeling``: ``crmflags_gut_feeling``, true/yes/1/on or false/no/0/off/empty
  (configurable)
- ``risk[f]``: ``crmflags_<f>`` for each f of RISK_FIELDS (risk_level, risk_score,
  risk_tags, risk_reasons, risk_changed_at)
- ``fields``: ``domain`` and each property listed under ``fields:``, by lower-case name

Associated records:

- call -> Activity ``call`` at ``hs_timestamp``; ``hs_call_direction`` INBOUND is
  inbound, anything else (OUTBOUND, empty) outbound; subject ``hs_call_title``
- email -> Activity ``email`` at ``hs_timestamp``; ``hs_email_direction``
  INCOMING_EMAIL and FORWARDED_EMAIL are inbound, EMAIL (and empty) outbound;
  subject ``hs_email_subject``
- meeting -> Activity ``meeting`` (outbound) at ``hs_timestamp``, else
  ``hs_meeting_start_time``; subject ``hs_meeting_title``
- note -> Note at ``hs_timestamp`` with ``hs_note_body`` as plain text; no marker
- invoice -> Invoice: issued ``hs_invoice_date`` (else ``hs_createdate``), due
  ``hs_due_date``, amount ``hs_amount_billed``, currency ``hs_currency``, paid
  ``hs_payment_date``; ``draft`` and ``voided`` invoices are left out

A timestamp missing ``hs_timestamp`` falls back to ``hs_createdate``. A paid invoice
without ``hs_payment_date`` (that property is not in HubSpot's docs) counts as paid on
its due date, and the read says so in a warning. Date properties given as a datetime
at midnight UTC are read as that UTC day; other datetimes as their day in the business's
time zone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timezone, tzinfo
from typing import Any

from crmflags.model import RISK_FIELDS, Activity, Client, Invoice, Note
from crmflags.text import html_to_text

#: The HubSpot property holding each risk field (created by ``crmflags setup``).
RISK_PROPERTIES = {name: f"crmflags_{name}" for name in RISK_FIELDS}
#: The default HubSpot property of each manual field; ``properties:`` changes them.
MANUAL_PROPERTIES: dict[str, str | None] = {
    "email": None,
    "business_type": "industry",
    "hourly_rate_target": "crmflags_hourly_rate_target",
    "contracted_hours": "crmflags_contracted_hours",
    "gut_feeling": "crmflags_gut_feeling",
    "team_morale": "crmflags_team_morale",
}
COMPANY_PROPERTIES = ("name", "domain")


@dataclass(frozen=True)
class Related:
    """How one associated object type is read: its properties and what it becomes."""

    object_type: str
    properties: tuple[str, ...]


CALLS = Related("calls", ("hs_timestamp", "hs_createdate", "hs_call_direction", "hs_call_title"))
EMAILS = Related(
    "emails", ("hs_timestamp", "hs_createdate", "hs_email_direction", "hs_email_subject")
)
MEETINGS = Related(
    "meetings", ("hs_timestamp", "hs_meeting_start_time", "hs_createdate", "hs_meeting_title")
)
NOTES = Related("notes", ("hs_timestamp", "hs_createdate", "hs_note_body"))
INVOICES = Related(
    "invoices",
    (
        "hs_invoice_status",
        "hs_invoice_date",
        "hs_createdate",
        "hs_due_date",
        "hs_amount_billed",
        "hs_currency",
        "hs_payment_date",
    ),
)
RELATED = (CALLS, EMAILS, MEETINGS, NOTES, INVOICES)

INBOUND_CALLS = frozenset({"INBOUND"})
INBOUND_EMAILS = frozenset({"INCOMING_EMAIL", "FORWARDED_EMAIL"})
TRUE_WORDS = frozenset({"true", "yes", "1", "on"})
FALSE_WORDS = frozenset({"false", "no", "0", "off", ""})
LEFT_OUT_INVOICES = frozenset({"draft", "voided"})


class MappingFault(Exception):
    """A company's data cannot be mapped; the message names the record and property."""


def company_properties(manual: Mapping[str, str | None], fields: tuple[str, ...]) -> list[str]:
    """Return every company property the connector reads, each once, in a stable order."""
    wanted = [*COMPANY_PROPERTIES, *RISK_PROPERTIES.values()]
    wanted += [prop for prop in manual.values() if prop]
    wanted += fields
    return list(dict.fromkeys(wanted))


def to_client(
    company: Mapping[str, Any],
    related: Mapping[str, list[Mapping[str, Any]]],
    manual: Mapping[str, str | None],
    fields: tuple[str, ...],
    zone: tzinfo,
) -> tuple[Client, dict[str, list[str]]]:
    """Map a company and its associated records to a Client.

    ``related`` maps object type (calls, emails, ...) to the records read. Also
    returns, for warnings, the ids of paid invoices without a payment date
    (``undated``: counted as paid on their due date) and of invoices left out for
    lack of a due date or amount (``incomplete``). Raises MappingFault for a value
    that cannot be read.
    """
    props = company.get("properties") or {}
    company_id = str(company["id"])
    client = Client(
        id=company_id,
        name=_text(props.get("name")) or _text(props.get("domain")) or f"company {company_id}",
    )
    client.email = _text(props.get(manual["email"])) if manual.get("email") else None
    client.business_type = (
        _text(props.get(manual["business_type"])) if manual.get("business_type") else None
    )
    for name in ("hourly_rate_target", "contracted_hours", "team_morale"):
        prop = manual.get(name)
        if prop:
            setattr(client, name, _number(props.get(prop), f"company {company_id}: {prop}"))
    if manual.get("gut_feeling"):
        prop = manual["gut_feeling"]
        client.gut_feeling = _flag(props.get(prop), f"company {company_id}: {prop}")
    client.risk = {name: props.get(prop) for name, prop in RISK_PROPERTIES.items()}
    if tags := client.risk.get("risk_tags"):
        # A multiple-checkbox value may come back in option order: crmflags writes tags
        # sorted, so read them sorted, or every sync would see a change that is none.
        client.risk["risk_tags"] = ";".join(sorted(tags.split(";")))
    for prop in ("domain", *fields):
        if props.get(prop) is not None:
            client.fields[prop.lower()] = str(props[prop])
    notes: dict[str, list[str]] = {"undated": [], "incomplete": []}
    for object_type, what in _ENGAGEMENTS.items():
        client.activities += [_activity(r, what) for r in related.get(object_type, [])]
    client.notes += [_note(r) for r in related.get("notes", [])]
    for record in related.get("invoices", []):
        invoice = _invoice(record, zone, notes)
        if invoice is not None:
            client.invoices.append(invoice)
    client.activities.sort(key=lambda a: a.occurred_at)
    client.notes.sort(key=lambda n: n.created_at)
    return client, notes


@dataclass(frozen=True)
class _Engagement:
    """Where an engagement type keeps what an Activity needs (module doc, the table)."""

    kind: str
    times: tuple[str, ...]
    subject: str
    direction: str | None = None  # the property; None: always outbound
    inbound: frozenset[str] = frozenset()


_ENGAGEMENTS = {
    "calls": _Engagement(
        "call", ("hs_timestamp", "hs_createdate"), "hs_call_title", "hs_call_direction",
        INBOUND_CALLS,
    ),
    "emails": _Engagement(
        "email", ("hs_timestamp", "hs_createdate"), "hs_email_subject", "hs_email_direction",
        INBOUND_EMAILS,
    ),
    "meetings": _Engagement(
        "meeting", ("hs_timestamp", "hs_meeting_start_time", "hs_createdate"), "hs_meeting_title"
    ),
}  # fmt: skip


def _activity(record: Mapping[str, Any], what: _Engagement) -> Activity:
    props = record.get("properties") or {}
    inbound = what.direction is not None and props.get(what.direction) in what.inbound
    return Activity(
        occurred_at=_when(record, what.kind, what.times),
        kind=what.kind,
        direction="inbound" if inbound else "outbound",
        subject=_text(props.get(what.subject)) or "",
    )


def _note(record: Mapping[str, Any]) -> Note:
    props = record.get("properties") or {}
    return Note(
        created_at=_when(record, "note", ("hs_timestamp", "hs_createdate")),
        body=html_to_text(props.get("hs_note_body") or ""),
    )


def _invoice(
    record: Mapping[str, Any], zone: tzinfo, notes: dict[str, list[str]]
) -> Invoice | None:
    """Return the invoice, or None for one left out (draft, voided, or without due date or
    amount, which are noted in ``notes["incomplete"]``: one such invoice must not cost the
    company its evaluation)."""
    props = record.get("properties") or {}
    label = f"invoice {record['id']}"
    status = (_text(props.get("hs_invoice_status")) or "").lower()
    if status in LEFT_OUT_INVOICES:
        return None
    issued_text = props.get("hs_invoice_date") or props.get("hs_createdate")
    if not issued_text:
        raise MappingFault(f"{label}: hs_invoice_date is empty")
    issued = _day(issued_text, zone, f"{label}: hs_invoice_date")
    amount = _number(props.get("hs_amount_billed"), f"{label}: hs_amount_billed")
    if not props.get("hs_due_date") or amount is None:
        notes["incomplete"].append(str(record["id"]))
        return None
    due = _day(props["hs_due_date"], zone, f"{label}: hs_due_date")
    paid = None
    if props.get("hs_payment_date"):
        paid = _day(props["hs_payment_date"], zone, f"{label}: hs_payment_date")
    elif status == "paid":
        paid = due
        notes["undated"].append(str(record["id"]))
    return Invoice(
        invoice_id=str(record["id"]),
        issued_on=issued,
        due_on=due,
        amount=amount,
        paid_on=paid,
        currency=_text(props.get("hs_currency")),
    )


def _when(record: Mapping[str, Any], kind: str, names: tuple[str, ...]) -> datetime:
    props = record.get("properties") or {}
    for name in names:
        if props.get(name):
            return parse_moment(props[name], f"{kind} {record['id']}: {name}")
    raise MappingFault(f"{kind} {record['id']}: {names[0]} is empty")


_FRACTION = re.compile(r"\.(\d+)")


def parse_moment(text: str, where: str) -> datetime:
    """Return an aware UTC datetime from epoch milliseconds or ISO 8601 text (``Z`` allowed).

    Raises MappingFault naming ``where`` for anything else.
    """
    value = str(text).strip()
    try:
        if value.isdigit():
            return datetime.fromtimestamp(int(value) / 1000, tz=timezone.utc)
        value = _FRACTION.sub(lambda m: "." + m.group(1)[:6].ljust(6, "0"), value)
        moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except (ValueError, OverflowError, OSError):
        raise MappingFault(f"{where}: {text!r} is not a date and time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def _day(text: str, zone: tzinfo, where: str) -> date:
    value = str(text).strip()
    if len(value) == 10 and not value.isdigit():
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise MappingFault(f"{where}: {text!r} is not a date") from None
    moment = parse_moment(value, where)
    if (moment.hour, moment.minute, moment.second, moment.microsecond) == (0, 0, 0, 0):
        return moment.date()  # a date property: stored as midnight UTC
    return moment.astimezone(zone).date()


def _text(value: Any) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text or None


def _number(value: Any, where: str) -> float | None:
    text = _text(value)
    if text is None:
        return None
    try:
        number = float(text)
    except ValueError:
        raise MappingFault(f"{where}: {text!r} is not a number") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise MappingFault(f"{where}: {text!r} is not a finite number")
    return number


def _flag(value: Any, where: str) -> bool:
    text = (_text(value) or "").lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise MappingFault(f"{where}: {value!r} is not true or false")
