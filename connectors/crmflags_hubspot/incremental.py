"""Read only what changed in HubSpot since a cursor (reference §2.6, §2.7, §8.4).

A company is read again when, since the cursor less :data:`LOOKBACK_MS`:

- its own ``hs_lastmodifieddate`` moved (search, sorted on it; past the 10,000-result
  cap of one query by starting a new query at the last value seen, and by record id
  when 10,000 records share one value);
- a call, email, meeting, note or invoice associated with it was modified (the same
  search on that type, then its v4 associations to companies): logging a call need not
  move the company's own date (§8.4);
- a record it had before (the record cache says so) was modified: it may have moved
  to another company;
- the core asks for it again (its last read failed).

The history of those companies comes from the sync's record cache, but for the records
modified since the cursor (the same searches list them) and those it does not hold:
only those are read again (:mod:`crmflags_hubspot.reading`).

Removed are the companies archived since then (``archived=true`` listing, §2.7), the
ids a company read has absorbed in merges (``hs_merged_object_ids``), and companies
that could not be found when read.

Writing a company moves its ``hs_lastmodifieddate`` too. So the cursor remembers the
version (``updatedAt``) of each record this connector has read or written lately; a
record found at that same version is not read again, and an archived company already
reported is not reported again. The cursor is JSON:
``{"at": <epoch ms the read began>, "known": {"companies": {"1001": <epoch ms>}, ...}}``;
plain epoch ms (no known versions) is accepted too.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import tzinfo
from typing import Any

from crmflags.connector import ChangedClients
from crmflags.errors import InputError
from crmflags.model import Client, RecordFailure
from crmflags.record_cache import RecordCache
from crmflags_hubspot.batches import BATCH_SIZE, records
from crmflags_hubspot.client import HubSpotClient, HubSpotError
from crmflags_hubspot.configuration import HubSpotSettings
from crmflags_hubspot.mapping import RELATED
from crmflags_hubspot.reading import (
    ReadNotes,
    associations,
    cache_kind,
    epoch_ms,
    read_companies,
    updated_ms,
)

#: How far before the cursor a read looks again: clocks that disagree, and records that
#: reach the search index a few moments after they change (§2.6).
LOOKBACK_MS = 10 * 60 * 1000
#: Results per search page (§2.6: up to 200) and results one query can page through.
SEARCH_PAGE = 200
SEARCH_CAP = 10_000
MODIFIED = "hs_lastmodifieddate"
RECORD_ID = "hs_object_id"
#: The cursor's name for the archived companies it has reported, with when they were archived.
ARCHIVED = "archived"


@dataclass
class Cursor:
    """Where an incremental read starts, and the record versions already read or written."""

    at: int
    known: dict[str, dict[str, int]] = field(default_factory=dict)

    @classmethod
    def parse(cls, text: str) -> Cursor:
        """Read a stored cursor; InputError (exit 2) when it is not one this connector wrote."""
        text = text.strip()
        if text.isdigit():
            return cls(int(text))
        try:
            data = json.loads(text)
            known = {
                str(kind): {str(i): int(stamp) for i, stamp in versions.items()}
                for kind, versions in data.get("known", {}).items()
            }
            return cls(int(data["at"]), known)
        except (ValueError, TypeError, KeyError, AttributeError):
            raise InputError(
                "the state store holds a HubSpot cursor this version cannot read; "
                "run `crmflags sync --full` once to read everything again"
            ) from None

    def text(self) -> str:
        """Return the cursor as the text the core stores."""
        return json.dumps({"at": self.at, "known": self.known}, separators=(",", ":"))

    @property
    def since(self) -> int:
        """Return the epoch ms a read from this cursor starts at (the lookback included)."""
        return self.at - LOOKBACK_MS

    def is_known(self, object_type: str, record_id: str, stamp: int | None) -> bool:
        """Tell whether this version of the record was read or written before."""
        return stamp is not None and self.known.get(object_type, {}).get(record_id) == stamp

    def add(self, versions: Mapping[str, Mapping[str, int]]) -> Cursor:
        """Return this cursor with more known versions, keeping only those the next read
        can meet (no older than its lookback)."""
        known: dict[str, dict[str, int]] = {}
        for source in (self.known, versions):
            for kind, stamps in source.items():
                known.setdefault(kind, {}).update(stamps)
        kept = {
            kind: {i: stamp for i, stamp in stamps.items() if stamp >= self.since}
            for kind, stamps in known.items()
        }
        return Cursor(self.at, {kind: stamps for kind, stamps in kept.items() if stamps})


def read_changed(
    http: HubSpotClient,
    settings: HubSpotSettings,
    zone: tzinfo,
    previous: Cursor,
    at: int,
    again: Collection[str],
    notes: ReadNotes,
    cache: RecordCache,
) -> ChangedClients:
    """Return the companies changed since ``previous`` and those removed (module doc).

    ``at`` (epoch ms, now) becomes the new cursor's start. Nothing is requested before
    the core iterates ``clients``; ``removed`` and ``cursor`` are filled in at its end.
    """
    changed = ChangedClients(clients=())
    changed.clients = _changed_clients(
        http, settings, zone, (previous, at), again, notes, changed, cache
    )
    return changed


def _changed_clients(
    http: HubSpotClient,
    settings: HubSpotSettings,
    zone: tzinfo,
    cursors: tuple[Cursor, int],
    again: Collection[str],
    notes: ReadNotes,
    changed: ChangedClients,
    cache: RecordCache,
) -> Iterator[Client | RecordFailure]:
    previous, at = cursors
    object_type = settings.object_type
    since = previous.since
    wanted = [
        i
        for i, stamp in changed_since(http, object_type, since)
        if not previous.is_known(object_type, i, stamp)
    ]
    modified: dict[str, dict[str, int | None]] = {}
    for related in RELATED:
        kind = related.object_type
        modified[kind] = dict(changed_since(http, kind, since))
        touched = [
            i for i, stamp in modified[kind].items() if not previous.is_known(kind, i, stamp)
        ]
        unlinked: dict[str, str] = {}
        for start in range(0, len(touched), BATCH_SIZE):
            chunk = touched[start : start + BATCH_SIZE]
            links = associations(http, kind, object_type, chunk, unlinked, notes.warnings)
            wanted += [company for targets in links.values() for company in targets]
        wanted += [r.group for r in cache.get(cache_kind(kind), touched).values() if r.group]
        if unlinked:
            notes.warnings.append(
                f"the companies of {len(unlinked)} changed {kind} could not be read "
                f"({next(iter(unlinked.values()))}): run `crmflags sync --full` to be sure"
            )
    wanted += [str(i) for i in again]
    archived = archived_since(http, object_type, since)
    ids = [i for i in dict.fromkeys(wanted) if i not in archived]
    yield from read_companies(http, settings, zone, ids, notes, cache, modified)
    # A company archived before the last run was reported then; the lookback finds it again.
    gone = {i for i, stamp in archived.items() if not previous.is_known(ARCHIVED, i, stamp)}
    changed.removed = gone | set(notes.missing) | notes.merged
    stamps = {i: stamp for i, stamp in archived.items() if stamp is not None}
    changed.cursor = Cursor(at).add(previous.known).add({**notes.versions, ARCHIVED: stamps}).text()


def changed_since(
    http: HubSpotClient, object_type: str, since: int
) -> Iterator[tuple[str, int | None]]:
    """Yield ``(id, updatedAt ms)`` of each record modified at or after ``since``, once each.

    Sorted on ``hs_lastmodifieddate``; when a query reaches the 10,000-result cap the
    next starts at the last value seen (again included: ties are read twice and
    yielded once), and 10,000 records sharing one value are walked by id (§2.6).
    """
    seen: set[str] = set()
    lower, operator = since, "GTE"
    while True:
        found, capped = _search(http, object_type, [_filter(MODIFIED, operator, lower)], MODIFIED)
        yield from _unseen(found, seen)
        if not capped:
            return
        last = _modified_ms(found[-1])
        if last is not None and last > lower:
            lower, operator = last, "GTE"
            continue
        yield from _ties(http, object_type, lower, seen)
        operator = "GT"


def _ties(
    http: HubSpotClient, object_type: str, value: int, seen: set[str]
) -> Iterator[tuple[str, int | None]]:
    """Yield the records modified exactly at ``value``, walking them by id past the cap."""
    last_id = -1
    while True:
        filters = [_filter(MODIFIED, "EQ", value), _filter(RECORD_ID, "GT", last_id)]
        found, capped = _search(http, object_type, filters, RECORD_ID)
        yield from _unseen(found, seen)
        if not capped:
            return
        following = max(_number(r["id"]) for r in found)
        if following <= last_id:
            raise HubSpotError(
                f"HubSpot's search of {object_type} answered the same records again past its "
                "10,000-result cap (ids that are not numbers?)"
            )
        last_id = following


def _search(
    http: HubSpotClient, object_type: str, filters: list[dict[str, str]], sort: str
) -> tuple[list[Mapping[str, Any]], bool]:
    """Page through one search query; also tell whether it stopped at the result cap.

    ``after`` is an opaque cursor (reference §2.6): only followed, never computed with.
    The cap is reached when the query has given 10,000 results and offers more.
    """
    body: dict[str, Any] = {
        "filterGroups": [{"filters": filters}],
        "sorts": [{"propertyName": sort, "direction": "ASCENDING"}],
        "properties": [MODIFIED],
        "limit": SEARCH_PAGE,
        "after": "0",
    }
    found: list[Mapping[str, Any]] = []
    while True:
        answer = http.post(f"/crm/v3/objects/{object_type}/search", body)
        found += records(answer, "results")
        after = answer.text("paging", "next", "after")
        if not after:
            return found, False
        if len(found) >= SEARCH_CAP:
            return found, True
        body["after"] = after


def _unseen(records: list[Mapping[str, Any]], seen: set[str]) -> Iterator[tuple[str, int | None]]:
    for record in records:
        record_id = str(record["id"])
        if record_id not in seen:
            seen.add(record_id)
            yield record_id, updated_ms(record)


def _filter(name: str, operator: str, value: int) -> dict[str, str]:
    """One search filter; dates go as epoch ms text (§2.6)."""
    return {"propertyName": name, "operator": operator, "value": str(value)}


def _modified_ms(record: Mapping[str, Any]) -> int | None:
    value = (record.get("properties") or {}).get(MODIFIED)
    return epoch_ms(value) if value else updated_ms(record)


def archived_since(http: HubSpotClient, object_type: str, since: int) -> dict[str, int | None]:
    """Return the records archived at or after ``since`` (``archived=true``, §2.7), by id,
    with the epoch ms they were archived at.

    A record listed without ``archivedAt`` counts (with None): it is gone either way.
    """
    removed: dict[str, int | None] = {}
    params: dict[str, Any] = {"limit": BATCH_SIZE, "archived": "true", "properties": RECORD_ID}
    while True:
        answer = http.get(f"/crm/v3/objects/{object_type}", params)
        for number, record in enumerate(records(answer, "results")):
            when = answer.inner(record, f"results[{number}]").text("archivedAt")
            stamp = epoch_ms(when) if when else None
            if stamp is None or stamp >= since:
                removed[str(record["id"])] = stamp
        after = answer.text("paging", "next", "after")
        if not after:
            return removed
        params["after"] = after


def _number(record_id: Any) -> int:
    """A record id as a number, for the ``hs_object_id`` filter (ids are numeric, §2.2)."""
    text = str(record_id)
    return int(text) if text.isdigit() else -1
