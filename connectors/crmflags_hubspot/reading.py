"""Read companies and their calls, emails, meetings, notes and invoices, 100 at a time.

For each page of company ids (``GET /crm/v3/objects/companies``, ids only, so the URL
stays short): one ``batch/read`` of the companies with the properties the mapping
needs (in the body: long property lists in a URL fail with 414, reference §2.8) and
one v4 association batch read per related type (§4). The associated records are read
with ``batch/read`` (§2.3) 100 at a time across pages, so no call goes out half
empty. Each company is then mapped by :mod:`crmflags_hubspot.mapping`.

Every associated record read is put into the sync's record cache
(:mod:`crmflags.record_cache`) by id, with its ``updatedAt`` as version and the company
it was read for as group (so a record moved to another company brings back the one it
left, :mod:`crmflags_hubspot.incremental`). An incremental
read (:mod:`crmflags_hubspot.incremental`) knows which records were modified since its
cursor; the others it takes from the cache, so it fetches only the changed records (and
those the cache lacks) with the touched companies' associations.
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone, tzinfo
from typing import Any

from crmflags.model import Client, RecordFailure
from crmflags.record_cache import CachedRecord, RecordCache
from crmflags_hubspot.batches import BATCH_SIZE, batch_errors, describe_error, error_ids, records
from crmflags_hubspot.client import HubSpotClient
from crmflags_hubspot.configuration import HubSpotSettings
from crmflags_hubspot.mapping import (
    RELATED,
    RISK_PROPERTIES,
    MappingFault,
    company_properties,
    to_client,
)

#: How many ids a warning lists before it says "and N more".
SHOWN_IDS = 5
#: The survivor of a merge lists the ids it absorbed here, ``;``-separated (reference §2.7).
MERGED_IDS = "hs_merged_object_ids"


@dataclass
class ReadNotes:
    """What a read noticed on the way, for its warnings and for the next incremental read.

    ``versions`` holds, per object type, the ``updatedAt`` (epoch ms) of every record
    read into a client; ``missing`` the company ids HubSpot no longer has; ``merged``
    the ids the companies read absorbed in merges.
    """

    warnings: list[str] = field(default_factory=list)
    versions: dict[str, dict[str, int]] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    merged: set[str] = field(default_factory=set)
    undated: list[str] = field(default_factory=list)
    incomplete: list[str] = field(default_factory=list)
    #: The risk properties seen on the companies read (HubSpot leaves out those it lacks).
    risk_seen: set[str] | None = None

    def finish(self) -> None:
        """Add the warnings gathered over the whole read: risk properties HubSpot lacks,
        undated and incomplete invoices."""
        missing = sorted(set(RISK_PROPERTIES.values()) - (self.risk_seen or set()))
        if self.risk_seen is not None and missing:
            self.warnings.append(
                f"HubSpot has no company properties {', '.join(missing)} yet: run "
                "`crmflags setup --connector hubspot` before the first sync"
            )
        if self.undated:
            self.warnings.append(
                f"{_invoices(self.undated, 'paid invoice has', 'paid invoices have')} no "
                f"hs_payment_date ({_invoices_named(self.undated)}): counted as paid on "
                f"{'its' if len(self.undated) == 1 else 'their'} due date"
            )
        if self.incomplete:
            self.warnings.append(
                f"{_invoices(self.incomplete, 'invoice has', 'invoices have')} no hs_due_date "
                f"or hs_amount_billed ({_invoices_named(self.incomplete)}): left out"
            )


#: The records modified since an incremental read's cursor: type -> id -> ``updatedAt``
#: ms (None when HubSpot gave none).
Modified = Mapping[str, Mapping[str, int | None]]


def read_clients(
    http: HubSpotClient,
    settings: HubSpotSettings,
    zone: tzinfo,
    notes: ReadNotes,
    cache: RecordCache,
) -> Iterator[Client | RecordFailure]:
    """Yield every company as a Client (or a RecordFailure), in HubSpot's listing order.

    What the read can carry on with (records gone missing, paid invoices without a
    payment date) goes to ``notes.warnings``. ``cache`` is cleared and gets every
    associated record read.
    """
    cache.clear()
    reader = _Reader(http, settings, zone, notes, cache, None)
    yield from reader.read(_id_pages(http, settings.object_type))
    if notes.missing:
        notes.warnings.append(
            f"{len(notes.missing)} {settings.object_type} could not be read and were "
            f"left out ({_ids(notes.missing)})"
        )
        notes.missing = []


def read_companies(
    http: HubSpotClient,
    settings: HubSpotSettings,
    zone: tzinfo,
    ids: Iterable[str],
    notes: ReadNotes,
    cache: RecordCache,
    modified: Modified,
) -> Iterator[Client | RecordFailure]:
    """Yield the given companies as Clients (or RecordFailures), read 100 at a time.

    Ids HubSpot does not have (archived, merged away) go to ``notes.missing``. An
    associated record comes from ``cache`` unless it is among the ``modified`` (at a
    version other than the one kept) or not kept.
    """
    ids = list(ids)
    pages = (ids[start : start + BATCH_SIZE] for start in range(0, len(ids), BATCH_SIZE))
    yield from _Reader(http, settings, zone, notes, cache, modified).read(pages)


@dataclass
class _Waiting:
    """A company read, waiting for its associated records."""

    company_id: str
    company: Mapping[str, Any] | None
    links: dict[str, list[str]]
    failure: str | None


class _Reader:
    """Reads pages of up to 100 company ids into Clients, with few calls.

    Per page: one ``batch/read`` of the companies and one association read per related
    type. The associated records are read 100 at a time across pages (a page of 100
    companies has about 40 calls, or 130 invoices), so each step costs one call per 100
    records; a company is yielded once its records are read, in the order of the pages.
    With ``modified`` (an incremental read), the records kept in ``cache`` that are not
    among them are taken from there instead; every record read is put into ``cache``.
    """

    def __init__(
        self,
        http: HubSpotClient,
        settings: HubSpotSettings,
        zone: tzinfo,
        notes: ReadNotes,
        cache: RecordCache,
        modified: Modified | None,
    ) -> None:
        self.http = http
        self.settings = settings
        self.zone = zone
        self.notes = notes
        self.cache = cache
        self.modified = modified
        self.waiting: deque[_Waiting] = deque()
        kinds = [related.object_type for related in RELATED]
        self.queued: dict[str, list[str]] = {kind: [] for kind in kinds}
        self.asked: dict[str, set[str]] = {kind: set() for kind in kinds}
        self.records: dict[str, dict[str, Mapping[str, Any]]] = {kind: {} for kind in kinds}
        #: The company each queued record is read for (its group in the cache).
        self.owners: dict[str, dict[str, str]] = {kind: {} for kind in kinds}

    def read(self, pages: Iterable[list[str]]) -> Iterator[Client | RecordFailure]:
        """Yield the companies of ``pages`` (lists of up to 100 ids) as they are complete."""
        for ids in pages:
            self._add_page(ids)
            self._read_related(whole_batches=True)
            yield from self._ready()
        self._read_related(whole_batches=False)
        yield from self._ready()
        self.notes.finish()

    def _add_page(self, ids: list[str]) -> None:
        object_type = self.settings.object_type
        properties = [
            *company_properties(self.settings.properties, self.settings.fields),
            MERGED_IDS,
        ]
        companies = batch_read(self.http, object_type, ids, properties)
        self.notes.missing += [i for i in ids if i not in companies]
        risk = set(RISK_PROPERTIES.values())
        for company in companies.values():
            seen = risk.intersection(company.get("properties") or {})
            self.notes.risk_seen = (self.notes.risk_seen or set()) | seen
        failed: dict[str, str] = {}
        links = {
            kind: associations(self.http, object_type, kind, ids, failed, self.notes.warnings)
            for kind in self.queued
        }
        for company_id in ids:
            mine = {kind: links[kind].get(company_id, []) for kind in links}
            self.waiting.append(
                _Waiting(company_id, companies.get(company_id), mine, failed.get(company_id))
            )
        for kind, found in links.items():
            owners: dict[str, str] = {}  # the first company each record is read for
            for company_id in ids:
                for target in found.get(company_id, []):
                    owners.setdefault(target, company_id)
            unseen = [t for t in owners if t not in self.asked[kind]]
            self.asked[kind].update(unseen)
            kept = self._kept(kind, unseen)
            self.records[kind].update(kept)
            queued = [t for t in unseen if t not in kept]
            self.queued[kind] += queued
            self.owners[kind].update((t, owners[t]) for t in queued)

    def _kept(self, kind: str, ids: list[str]) -> dict[str, Mapping[str, Any]]:
        """Return the records of ``ids`` the cache holds at their current version (none
        in a full read)."""
        if self.modified is None or not ids:
            return {}
        changed = self.modified.get(kind, {})
        return {
            i: record.data
            for i, record in self.cache.get(cache_kind(kind), ids).items()
            if i not in changed or str(changed[i]) == record.version
        }

    def _read_related(self, whole_batches: bool) -> None:
        """Read the queued associated records, 100 a call (only full calls if asked)."""
        for related in RELATED:
            queue = self.queued[related.object_type]
            while len(queue) >= BATCH_SIZE or (queue and not whole_batches):
                chunk, queue[:] = queue[:BATCH_SIZE], queue[BATCH_SIZE:]
                found = batch_read(self.http, related.object_type, chunk, list(related.properties))
                self.records[related.object_type].update(found)
                owners = self.owners[related.object_type]
                self.cache.put(
                    cache_kind(related.object_type),
                    [
                        CachedRecord(i, str(updated_ms(r)), r, owners.pop(i, ""))
                        for i, r in found.items()
                    ],
                )
                gone = [i for i in chunk if i not in found]
                if gone:
                    self.notes.warnings.append(
                        f"{len(gone)} {related.object_type} could not be read and were left "
                        f"out ({_ids(gone)})"
                    )

    def _ready(self) -> Iterator[Client | RecordFailure]:
        """Yield the waiting companies, in order, up to the first whose records are queued."""
        while self.waiting and not any(
            set(targets).intersection(self.queued[kind])
            for kind, targets in self.waiting[0].links.items()
        ):
            item = self.waiting.popleft()
            if item.failure is not None:
                yield RecordFailure(item.company_id, item.failure)
            elif item.company is not None:  # None: archived or merged away (notes.missing)
                yield self._client(item, item.company)

    def _client(self, item: _Waiting, company: Mapping[str, Any]) -> Client | RecordFailure:
        related = {
            kind: [self.records[kind][t] for t in targets if t in self.records[kind]]
            for kind, targets in item.links.items()
        }
        try:
            client, found = to_client(
                company, related, self.settings.properties, self.settings.fields, self.zone
            )
        except MappingFault as exc:
            return RecordFailure(item.company_id, str(exc))
        notes = self.notes
        notes.undated += found["undated"]
        notes.incomplete += found["incomplete"]
        notes.merged.update(merged_ids(company))
        _note_version(notes, self.settings.object_type, company)
        for kind, linked in related.items():
            for record in linked:
                _note_version(notes, kind, record)
        return client


def cache_kind(object_type: str) -> str:
    """Return the record cache's kind for records of ``object_type``: the type with a
    digest of the properties read (``calls/3f2a91c0``), so records kept by a release
    that read other properties are never taken for complete ones."""
    return _CACHE_KINDS[object_type]


_CACHE_KINDS = {
    related.object_type: related.object_type
    + "/"
    + hashlib.sha256(",".join(related.properties).encode()).hexdigest()[:8]
    for related in RELATED
}


def merged_ids(record: Mapping[str, Any]) -> list[str]:
    """Return the ids a record absorbed in merges (``hs_merged_object_ids``, reference §2.7)."""
    value = (record.get("properties") or {}).get(MERGED_IDS) or ""
    return [part.strip() for part in str(value).split(";") if part.strip()]


def updated_ms(record: Mapping[str, Any]) -> int | None:
    """Return a record's ``updatedAt`` (ISO 8601, reference §2.2) in epoch ms; None if unreadable."""
    value = record.get("updatedAt")
    return epoch_ms(value) if isinstance(value, str) and value else None


def epoch_ms(value: Any) -> int | None:
    """Epoch ms from epoch-ms text or ISO 8601 (UTC when it names no zone, reference §2.2,
    §2.6); None when it is neither."""
    text = str(value).strip()
    if text.isdigit():
        return int(text)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return round(moment.timestamp() * 1000)


def _note_version(notes: ReadNotes, object_type: str, record: Mapping[str, Any]) -> None:
    stamp = updated_ms(record)
    if stamp is not None:
        notes.versions.setdefault(object_type, {})[str(record["id"])] = stamp


def _id_pages(http: HubSpotClient, object_type: str) -> Iterator[list[str]]:
    """Yield the record ids of the listing, one page of up to 100 at a time."""
    params: dict[str, Any] = {"limit": BATCH_SIZE, "properties": "hs_object_id"}
    while True:
        answer = http.get(f"/crm/v3/objects/{object_type}", params)
        ids = [str(r["id"]) for r in records(answer, "results")]
        if ids:
            yield ids
        after = answer.text("paging", "next", "after")
        if not after:
            return
        params["after"] = after


def batch_read(
    http: HubSpotClient, object_type: str, ids: list[str], properties: list[str]
) -> dict[str, Mapping[str, Any]]:
    """Return the records of ``ids`` that HubSpot has, by id (ids it lacks are left out)."""
    found: dict[str, Mapping[str, Any]] = {}
    for start in range(0, len(ids), BATCH_SIZE):
        chunk = ids[start : start + BATCH_SIZE]
        answer = http.post(
            f"/crm/v3/objects/{object_type}/batch/read",
            {
                "inputs": [{"id": i} for i in chunk],
                "properties": properties,
                "propertiesWithHistory": [],
            },
        )
        for record in records(answer, "results"):
            found[str(record["id"])] = record
    return found


def associations(
    http: HubSpotClient,
    from_type: str,
    to_type: str,
    ids: list[str],
    failed: dict[str, str],
    warnings: list[str],
) -> dict[str, list[str]]:
    """Return the ids of ``to_type`` records associated with each id, following paging.

    A record with none comes back as an error (:func:`no_associations`, reference §8.4):
    that is no associations, not a failure. Other per-record errors go to ``failed``.
    """
    links: dict[str, list[str]] = {}
    pending: list[dict[str, str]] = [{"id": i} for i in ids]
    while pending:
        chunk, pending = pending[:BATCH_SIZE], pending[BATCH_SIZE:]
        answer = http.post(
            f"/crm/v4/associations/{from_type}/{to_type}/batch/read", {"inputs": chunk}
        )
        for number, found in enumerate(answer.records("results", key=None)):
            result = answer.inner(found, f"results[{number}]")
            source = result.text("from", "id")
            if source is None:
                raise result.fault(f"results[{number}].from.id is missing")
            targets = links.setdefault(source, [])
            targets += [
                str(t["toObjectId"]) for t in result.records("to", key="toObjectId", null_ok=True)
            ]
            after = result.text("paging", "next", "after")
            if after:
                pending.append({"id": source, "after": after})
        asked = {i["id"] for i in chunk}
        for error in batch_errors(answer):
            if no_associations(error, asked):
                continue
            named = [i for i in error_ids(error) if i in asked]
            reason = f"reading its {to_type} failed: {describe_error(error)}"
            for company_id in named:
                failed.setdefault(company_id, reason)
            if not named:
                warnings.append(f"reading {to_type} of {from_type}: {describe_error(error)}")
    return links


def no_associations(error: Mapping[str, Any], asked: set[str]) -> bool:
    """Tell whether a batch error only says a record has no associations of the type.

    HubSpot reports a record without any as an error of its own (reference §8.4):
    ``OBJECT_NOT_FOUND`` naming the from-object, whatever its ``subCategory`` holds (the
    string ``crm.associations.NO_ASSOCIATIONS_FOUND`` seen in answers, or the object the
    spec declares), or a subCategory or message saying so.
    """
    sub = error.get("subCategory")
    if isinstance(sub, str) and "NO_ASSOCIATIONS_FOUND" in sub:
        return True
    if "no associations found" in str(error.get("message") or "").lower():
        return True
    named = error_ids(error)
    return error.get("category") == "OBJECT_NOT_FOUND" and all(i in asked for i in named)


def _ids(ids: list[str]) -> str:
    shown = ", ".join(ids[:SHOWN_IDS])
    return f"{shown} and {len(ids) - SHOWN_IDS} more" if len(ids) > SHOWN_IDS else shown


def _invoices(ids: list[str], one: str, many: str) -> str:
    """Return ``1 invoice has`` or ``76 invoices have``."""
    return f"{len(ids)} {one if len(ids) == 1 else many}"


def _invoices_named(ids: list[str]) -> str:
    """Return ``invoice 9`` or ``invoices 1002, 1005, ...``: not to be taken for companies."""
    return f"{'invoice' if len(ids) == 1 else 'invoices'} {_ids(ids)}"
