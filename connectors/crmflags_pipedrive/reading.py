"""Read organizations with their persons, deals, activities and notes, whole or what changed.

A full read lists every organization (``GET /api/v2/organizations``), then the persons,
deals and activities (API v2, cursor pages of 500) and the notes (``GET /v1/notes``,
v1 has the only notes endpoint, start/limit pages of 500), files each record under its
organization, and maps each organization with :mod:`crmflags_pipedrive.mapping`. A few
dozen list calls cover thousands of organizations, instead of calls per organization.

An incremental read asks each of those lists for what changed since the cursor (less a
lookback; ``updated_since``, reference §9), collects the organizations touched (a
changed person, deal, activity or note counts for its organization), and re-reads those
whole: the organizations by id (100 a call), their history from the sync's record cache
with the changes folded in (:mod:`crmflags_pipedrive.kept`); only when the cache is not
complete (a store from before it existed) from the history lists, read whole.
An organization listed at the ``update_time`` our own write gave it (the cursor keeps
those, :mod:`crmflags_pipedrive.cursor`) is not counted as changed by itself.
Soft-deleted organizations are reported as removed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from crmflags.model import Client, RecordFailure
from crmflags.record_cache import RecordCache
from crmflags_pipedrive.client import PipedriveClient
from crmflags_pipedrive.cursor import Cursor
from crmflags_pipedrive.kept import cached, kept_histories, learn_links, unowned
from crmflags_pipedrive.mapping import History, Mapper, MappingFault, link, owner_org

ORGANIZATIONS = "/api/v2/organizations"
PERSONS = "/api/v2/persons"
DEALS = "/api/v2/deals"
ACTIVITIES = "/api/v2/activities"
NOTES = "/api/v1/notes"
#: How many ids one ``ids=`` filter may hold (reference §4).
IDS_PER_CALL = 100
#: How many ids a warning lists before it says "and N more".
SHOWN_IDS = 5


@dataclass
class Histories:
    """Every person, deal, activity and note read, filed under its organization."""

    by_org: dict[str, History] = field(default_factory=lambda: defaultdict(History))
    #: The activities and notes of no organization, as ``activity 841``, ``note 12``.
    unowned: list[str] = field(default_factory=list)

    def of(self, org_id: str) -> History:
        """Return the history of one organization (empty when it has none)."""
        return self.by_org.get(org_id) or History()

    def unowned_warning(self) -> str | None:
        """Return the warning for the activities and notes left out, None if none were."""
        if not self.unowned:
            return None
        count = len(self.unowned)
        kinds = {label.split()[0] for label in self.unowned}
        if kinds == {"activity"}:
            what = "activity" if count == 1 else "activities"
        elif kinds == {"note"}:
            what = "note" if count == 1 else "notes"
        else:
            what = "activities and notes"
        shown = ", ".join(self.unowned[:SHOWN_IDS])
        if count > SHOWN_IDS:
            shown += f" and {count - SHOWN_IDS} more"
        verb = "belongs" if count == 1 else "belong"
        return (
            f"{count} {what} {verb} to no organization (nor to a person or deal of one): "
            f"left out ({shown})"
        )


def read_histories(
    http: PipedriveClient, only: set[str] | None = None, cache: RecordCache | None = None
) -> Histories:
    """Read the persons, deals, activities and notes, and file them under organizations.

    ``only`` keeps the records of those organizations (None: all); ``cache`` gets every
    record read, filed under its organization (:mod:`crmflags_pipedrive.kept`). An
    activity or note without an organization of its own belongs to its person's, else
    its deal's.
    """
    histories = Histories()
    person_orgs: dict[str, str] = {}
    deal_orgs: dict[str, str] = {}
    for kind, path, links in (("persons", PERSONS, person_orgs), ("deals", DEALS, deal_orgs)):
        for record in http.pages_v2(path):
            org = link(record.get("org_id"))
            if cache is not None:
                cache.put(kind, [cached(record, org)])
            if org:
                links[str(record["id"])] = org
                if only is None or org in only:
                    getattr(histories.by_org[org], kind).append(record)
    for kind, label, records in (
        ("activities", "activity", http.pages_v2(ACTIVITIES, {"done": "true"})),
        ("notes", "note", http.pages_v1(NOTES)),
    ):
        for record in records:
            org = owner_org(record, person_orgs, deal_orgs)
            if cache is not None:
                cache.put(kind, [cached(record, org)])
            if org is None:
                histories.unowned.append(f"{label} {record.get('id')}")
            elif only is None or org in only:
                getattr(histories.by_org[org], kind).append(record)
    return histories


def cached_histories(cache: RecordCache, organizations: set[str]) -> Histories:
    """Return the history of ``organizations`` from the cache (:mod:`crmflags_pipedrive.kept`),
    with every activity and note of no organization for the warning."""
    histories = Histories(unowned=unowned(cache))
    for org, kinds in kept_histories(cache, organizations).items():
        histories.by_org[org] = History(**kinds)
    return histories


def read_clients(
    http: PipedriveClient,
    mapper: Mapper,
    warnings: list[str],
    seen: dict[str, tuple],
    listed: Callable[[int], None] = lambda count: None,
    cache: RecordCache | None = None,
) -> Iterator[Client | RecordFailure]:
    """Yield every live organization as a Client (or a RecordFailure), in id order.

    ``seen`` gets each organization's own fields as read (:meth:`Mapper.own_fields`);
    ``listed`` is told how many there are once they are listed, before their history;
    ``cache`` is cleared and gets every history record read.
    """
    organizations = [o for o in http.pages_v2(ORGANIZATIONS, _custom(mapper)) if _live(o)]
    listed(len(organizations))
    if cache is not None:
        cache.clear()
    histories = read_histories(http, cache=cache)
    if warning := histories.unowned_warning():
        warnings.append(warning)
    for org in organizations:
        seen[str(org["id"])] = mapper.own_fields(org)
        yield map_one(mapper, org, histories.of(str(org["id"])))


@dataclass
class Changes:
    """What changed since a moment: organizations to read again, and those deleted."""

    changed: set[str] = field(default_factory=set)
    removed: set[str] = field(default_factory=set)
    organizations: dict[str, Mapping[str, Any]] = field(default_factory=dict)
    #: The persons, deals, activities and notes listed as changed, by kind.
    records: dict[str, list[Mapping[str, Any]]] = field(default_factory=dict)
    #: The organizations of the persons and deals those name.
    links: dict[str, dict[str, str]] = field(default_factory=dict)


def find_changes(
    http: PipedriveClient,
    mapper: Mapper,
    cursor: Cursor,
    lookback_minutes: int,
    cache: RecordCache | None = None,
) -> Changes:
    """Return the organizations changed since ``cursor`` (less the lookback), or touched
    through history.

    A changed person, deal, activity or note counts for its organization (an activity or
    note without one, for its person's or deal's organization). An organization still at
    the update time our last write gave it did not change by itself (it is kept in
    ``organizations``, in case its history changed). The organizations of persons and
    deals the changed activities and notes name come from ``cache`` where it has them,
    else from Pipedrive.
    """
    stamp = rfc3339(cursor.since(lookback_minutes))
    changes = Changes()
    for org in http.pages_v2(ORGANIZATIONS, {**_custom(mapper), "updated_since": stamp}):
        org_id = str(org["id"])
        if not _live(org):
            changes.removed.add(org_id)
            continue
        changes.organizations[org_id] = org
        if not cursor.is_ours(org):
            changes.changed.add(org_id)
    person_orgs: dict[str, str] = {}
    deal_orgs: dict[str, str] = {}
    changes.links = {"persons": person_orgs, "deals": deal_orgs}
    for kind, path, links in (("persons", PERSONS, person_orgs), ("deals", DEALS, deal_orgs)):
        changes.records[kind] = list(http.pages_v2(path, {"updated_since": stamp}))
        for record in changes.records[kind]:
            owner = link(record.get("org_id"))
            if owner:
                links[str(record["id"])] = owner
                changes.changed.add(owner)
    changes.records["activities"] = list(http.pages_v2(ACTIVITIES, {"updated_since": stamp}))
    changes.records["notes"] = list(http.pages_v1(NOTES, {"updated_since": stamp}))
    history = [*changes.records["activities"], *changes.records["notes"]]
    if cache is not None and cache.complete:
        learn_links(cache, history, changes.links)
    _learn_links(http, history, person_orgs, deal_orgs)
    for entry in history:
        owner = owner_org(entry, person_orgs, deal_orgs)
        if owner:
            changes.changed.add(owner)
    changes.changed -= changes.removed
    return changes


def read_organizations(
    http: PipedriveClient, mapper: Mapper, ids: Iterable[str]
) -> dict[str, Mapping[str, Any]]:
    """Return the organizations of ``ids`` that Pipedrive lists, by id (100 ids a call)."""
    wanted = sorted(ids, key=_number)
    found: dict[str, Mapping[str, Any]] = {}
    for start in range(0, len(wanted), IDS_PER_CALL):
        chunk = ",".join(wanted[start : start + IDS_PER_CALL])
        for org in http.pages_v2(ORGANIZATIONS, {**_custom(mapper), "ids": chunk}):
            found[str(org["id"])] = org
    return found


def map_one(mapper: Mapper, org: Mapping[str, Any], history: History) -> Client | RecordFailure:
    """Map one organization; its broken data becomes a RecordFailure naming the field."""
    try:
        return mapper.to_client(org, history)
    except MappingFault as fault:
        return RecordFailure(str(org["id"]), str(fault))


def rfc3339(moment: datetime) -> str:
    """Return a moment as Pipedrive v2 wants it: ``2026-11-23T17:05:00Z`` (UTC, seconds)."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _learn_links(
    http: PipedriveClient,
    records: list[Mapping[str, Any]],
    person_orgs: dict[str, str],
    deal_orgs: dict[str, str],
) -> None:
    """Look up the organizations of the persons and deals that records without one name."""
    for key, path, links in (("person_id", PERSONS, person_orgs), ("deal_id", DEALS, deal_orgs)):
        unknown = {
            link(r.get(key))
            for r in records
            if not link(r.get("org_id")) and link(r.get(key)) and link(r.get(key)) not in links
        }
        wanted = sorted((u for u in unknown if u is not None), key=_number)
        for start in range(0, len(wanted), IDS_PER_CALL):
            chunk = ",".join(wanted[start : start + IDS_PER_CALL])
            for item in http.pages_v2(path, {"ids": chunk}):
                org = link(item.get("org_id"))
                if org:
                    links[str(item["id"])] = org


def _custom(mapper: Mapper) -> dict[str, str]:
    """The ``custom_fields=`` filter (at most 15 keys, reference §4), when it fits."""
    codes = mapper.wanted_codes()
    return {"custom_fields": ",".join(codes)} if 0 < len(codes) <= 15 else {}


def _live(org: Mapping[str, Any]) -> bool:
    return not org.get("is_deleted")


def _number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        return 0
