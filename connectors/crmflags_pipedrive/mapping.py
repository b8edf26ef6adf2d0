"""Which Pipedrive data feeds which field of the canonical client (the one mapping table).

Organization (API v2) -> Client:

- ``id``: the organization id; ``name``: ``name``, else ``organization <id>``
- ``email``: the primary e-mail of the organization's first person (lowest id) that has
  one, unless ``fields: {email: <field name>}`` names an organization field
- ``business_type``: the field named ``Industry`` (its option label), if the company has it
- ``hourly_rate_target``, ``contracted_hours``, ``team_morale``, ``gut_feeling``: the
  organization fields named under ``fields:`` (none by default)
- ``risk[f]``: the crmflags fields :data:`RISK_FIELDS` (created by ``crmflags setup``);
  options are read as their labels, tags sorted and joined by ``;``
- ``fields``: ``deals_open``, ``deals_won``, ``deals_lost`` (counts of the organization's
  deals) and each field of ``extra_fields:``, by lower-case name

History (an activity or note belongs to its ``org_id``, else to the organization of
its person, else of its deal):

- activity (only those marked done) -> Activity of the kind ``activity_types`` gives its
  ``type`` (call, email, meeting; lunch is a meeting; other types are left out), at
  ``due_date`` + ``due_time`` in UTC (a date alone counts for its day, not its hour),
  else ``marked_as_done_time``; Pipedrive has no direction, so every activity is inbound
  unless its type is listed in ``outbound_types``; subject ``subject``
- note -> Note at ``add_time`` (UTC) with ``content`` as plain text; no marker
- Pipedrive has no invoices or time entries: rules on payments and hours see none

Deleted organizations, persons, deals and activities (``is_deleted``) and inactive
notes (``active_flag`` false) are left out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone, tzinfo
from typing import Any

from crmflags.model import Activity, Client, Note
from crmflags.text import html_to_text
from crmflags.values import parse_flag, parse_number, parse_timestamp
from crmflags_pipedrive.fields import FieldMap, OrgField

#: The organization field holding each risk field: (its name, its Pipedrive type).
RISK_FIELDS: dict[str, tuple[str, str]] = {
    "risk_level": ("crmflags risk level", "enum"),
    "risk_score": ("crmflags risk score", "double"),
    "risk_tags": ("crmflags risk tags", "set"),
    "risk_reasons": ("crmflags risk reasons", "text"),
    "risk_changed_at": ("crmflags risk changed at", "date"),
}
#: The organization field (by name) behind each manual field; ``fields:`` changes them.
MANUAL_FIELDS: dict[str, str | None] = {
    "email": None,
    "business_type": "Industry",
    "hourly_rate_target": None,
    "contracted_hours": None,
    "gut_feeling": None,
    "team_morale": None,
}
#: Pipedrive activity type key -> crmflags kind; ``activity_types:`` adds to it.
DEFAULT_ACTIVITY_TYPES: dict[str, str | None] = {
    "call": "call",
    "email": "email",
    "meeting": "meeting",
    "lunch": "meeting",
    "task": None,
    "deadline": None,
}
NUMBER_FIELDS = ("hourly_rate_target", "contracted_hours", "team_morale")
_DUE_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DUE_TIME = re.compile(r"^\d{2}:\d{2}(:\d{2})?$")


class MappingFault(Exception):
    """An organization's data cannot be mapped; the message names the record and field."""


@dataclass
class History:
    """What belongs to one organization: its persons, deals, activities and notes."""

    persons: list[Mapping[str, Any]] = field(default_factory=list)
    deals: list[Mapping[str, Any]] = field(default_factory=list)
    activities: list[Mapping[str, Any]] = field(default_factory=list)
    notes: list[Mapping[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Mapper:
    """Maps organizations with their history to Clients, with the company's fields resolved.

    ``manual`` holds the field behind each manual field (None: not read); ``extra`` the
    fields read into ``Client.fields``; ``risk`` the crmflags field of each risk field
    (None while ``crmflags setup`` has not created it).
    """

    manual: dict[str, OrgField | None]
    extra: tuple[OrgField, ...]
    risk: dict[str, OrgField | None]
    activity_types: Mapping[str, str | None]
    outbound_types: frozenset[str]
    zone: tzinfo

    @classmethod
    def resolve(
        cls,
        fields: FieldMap,
        settings: Any,
        config: Mapping[str, Any],
        zone: tzinfo,
        place_of,
    ) -> Mapper:
        """Find the fields the settings name; a field named in crmflags.yaml must exist.

        ``settings`` are the connector's PipedriveSettings, ``zone`` the business's time
        zone (for activities known only to the day), ``config`` the connector's section of
        crmflags.yaml (a default field the company lacks, such as Industry, is quietly not
        read), and ``place_of(mapping, key)`` gives crmflags.yaml:line for an error.
        """
        configured = config.get("fields") or {}
        resolved: dict[str, OrgField | None] = {}
        for name, field_name in settings.fields.items():
            if name in configured and field_name:
                resolved[name] = fields.require(field_name, place_of(configured, name))
            else:
                resolved[name] = fields.get(field_name)
        extra = tuple(
            fields.require(name, place_of(config, "extra_fields")) for name in settings.extra_fields
        )
        risk = {name: fields.get(field_name) for name, (field_name, _) in RISK_FIELDS.items()}
        return cls(
            resolved,
            extra,
            risk,
            settings.activity_types,
            settings.outbound_types,
            zone,
        )

    def wanted_codes(self) -> list[str]:
        """Return the custom field keys the mapping reads (for ``custom_fields=``)."""
        fields = [*self.manual.values(), *self.extra, *self.risk.values()]
        return list(dict.fromkeys(f.code for f in fields if f is not None and f.custom))

    def own_fields(self, org: Mapping[str, Any]) -> tuple[str | None, ...]:
        """Return what the mapping reads from the organization itself, risk fields aside.

        Two copies with the same own fields make the same client (with the same history):
        the connector compares the copy it read with the one its write was answered with.
        """
        sources = [f for f in [*self.manual.values(), *self.extra] if f is not None]
        return (_text(org.get("name")), *(source.text(org) for source in sources))

    def to_client(self, org: Mapping[str, Any], history: History) -> Client:
        """Map an organization and its history to a Client; raise MappingFault for bad data."""
        org_id = str(org["id"])
        label = f"organization {org_id}"
        client = Client(id=org_id, name=_text(org.get("name")) or label)
        manual = self.manual
        if email := manual.get("email"):
            client.email = email.text(org)
        else:
            client.email = _person_email(history.persons)
        if business_type := manual.get("business_type"):
            client.business_type = business_type.text(org)
        for name in NUMBER_FIELDS:
            if number := manual.get(name):
                setattr(client, name, _number(number.text(org), f"{label}: {number.name}"))
        if flag := manual.get("gut_feeling"):
            client.gut_feeling = _flag(flag.text(org), f"{label}: {flag.name}")
        client.risk = {
            name: (source.text(org) if source is not None else None)
            for name, source in self.risk.items()
        }
        deals = [d for d in history.deals if not d.get("is_deleted")]
        for status in ("open", "won", "lost"):
            client.fields[f"deals_{status}"] = str(sum(d.get("status") == status for d in deals))
        for source in self.extra:
            value = source.text(org)
            if value is not None:
                client.fields[source.name.lower()] = value
        for record in history.activities:
            activity = self._activity(record)
            if activity is not None:
                client.activities.append(activity)
        client.notes += [_note(n) for n in history.notes if n.get("active_flag", True)]
        client.activities.sort(key=lambda a: a.occurred_at)
        client.notes.sort(key=lambda n: n.created_at)
        return client

    def _activity(self, record: Mapping[str, Any]) -> Activity | None:
        """The Activity of a done activity of a mapped type; None for any other."""
        if record.get("is_deleted") or not record.get("done"):
            return None
        kind = self.activity_types.get(str(record.get("type") or ""))
        if kind is None:
            return None
        where = f"activity {record.get('id')}"
        due_date, due_time = _text(record.get("due_date")), _text(record.get("due_time"))
        if due_date and due_time:
            moment, has_time = _due_moment(due_date, due_time, where), True
        elif due_date:
            day, _ = _parse(due_date, self.zone, where, "due_date")
            moment, has_time = day, False
        elif _text(record.get("marked_as_done_time")):
            moment, has_time = _moment(record["marked_as_done_time"], where, "done time"), True
        else:
            raise MappingFault(f"{where}: due_date is empty")
        direction = "outbound" if record.get("type") in self.outbound_types else "inbound"
        return Activity(
            occurred_at=moment,
            kind=kind,
            direction=direction,
            subject=_text(record.get("subject")) or "",
            has_time=has_time,
        )


def owner_org(record: Mapping[str, Any], person_orgs: Mapping[str, str], deal_orgs) -> str | None:
    """Return the organization an activity or note belongs to (org, else person's, else deal's)."""
    org = link(record.get("org_id"))
    if org:
        return org
    person = link(record.get("person_id"))
    if person and person_orgs.get(person):
        return person_orgs[person]
    deal = link(record.get("deal_id"))
    return deal_orgs.get(deal) if deal else None


def link(value: Any) -> str | None:
    """Return the id in a link field: a number (v2) or ``{"value": id}`` (v1); None if empty."""
    if isinstance(value, Mapping):
        value = value.get("value", value.get("id"))
    if value in (None, "", 0):
        return None
    return str(value)


def _person_email(persons: list[Mapping[str, Any]]) -> str | None:
    def key(person: Mapping[str, Any]) -> int:
        try:
            return int(person.get("id") or 0)
        except (TypeError, ValueError):
            return 0

    for person in sorted(persons, key=key):
        if person.get("is_deleted"):
            continue
        listed = person.get("emails") or person.get("email") or []
        emails = [e for e in listed if isinstance(e, dict)] if isinstance(listed, list) else []
        emails.sort(key=lambda e: not e.get("primary"))
        for email in emails:
            if _text(email.get("value")):
                return _text(email.get("value"))
    return None


def _note(record: Mapping[str, Any]) -> Note:
    where = f"note {record.get('id')}"
    if not _text(record.get("add_time")):
        raise MappingFault(f"{where}: add_time is empty")
    return Note(
        created_at=_moment(record["add_time"], where, "add_time"),
        body=html_to_text(str(record.get("content") or "")),
    )


def _due_moment(due_date: str, due_time: str, where: str) -> datetime:
    """An activity's ``due_date`` + ``due_time`` (UTC, reference §7), each checked on its own
    so that a fault names the field and the value as Pipedrive holds them."""
    faults = []
    try:
        day = date.fromisoformat(due_date) if _DUE_DATE.match(due_date) else None
    except ValueError:
        day = None
    if day is None:
        faults.append(f"due_date {due_date!r} is not a date (YYYY-MM-DD)")
    try:
        at = time.fromisoformat(due_time) if _DUE_TIME.match(due_time) else None
    except ValueError:
        at = None
    if at is None:
        faults.append(f"due_time {due_time!r} is not a time of day (HH:MM or HH:MM:SS)")
    if faults or day is None or at is None:
        raise MappingFault(f"{where}: {' and '.join(faults)}")
    return datetime.combine(day, at, tzinfo=timezone.utc)


def _moment(text: str, where: str, name: str) -> datetime:
    """An aware datetime from RFC 3339 or v1's ``YYYY-MM-DD HH:MM:SS`` (both UTC)."""
    moment, _ = _parse(text, timezone.utc, where, name)
    return moment.astimezone(timezone.utc)


def _parse(text: str, zone: tzinfo, where: str, name: str) -> tuple[datetime, bool]:
    try:
        return parse_timestamp(str(text), zone)
    except ValueError as exc:
        raise MappingFault(f"{where}: {name}: {exc}") from None


def _text(value: Any) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text or None


def _number(text: str | None, where: str) -> float | None:
    if text is None:
        return None
    try:
        return parse_number(text)
    except ValueError as exc:
        raise MappingFault(f"{where}: {exc}") from None


def _flag(text: str | None, where: str) -> bool:
    try:
        return parse_flag(text or "")
    except ValueError as exc:
        raise MappingFault(f"{where}: {exc}") from None
