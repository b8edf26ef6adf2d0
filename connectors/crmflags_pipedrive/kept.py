"""Organizations' history kept between syncs, so a nightly read lists only what changed.

A full read puts every person, deal, done activity and note it lists into the sync's
record cache (:mod:`crmflags.record_cache`), by id, with its ``update_time`` as version
and its organization as group (an activity or note without one is grouped under its
person's organization, else its deal's; ``""`` when it has none).

An incremental read already lists what changed since the cursor (``updated_since`` on
persons, deals, activities and notes, reference §9); :func:`apply_changes` folds those
records into the cache: a changed record replaces the one kept, a deleted one
(``is_deleted``, ``active_flag`` false) or an activity no longer done is dropped, and
the activities and notes of a person or deal that moved to another organization move
with it. The organizations whose history changed (before and after a move) are read
again with their history from the cache (:func:`kept_histories`): no history list is
read whole.

A record deleted in Pipedrive that the lists do not show (whether v2 lists soft-deleted
items is UNCONFIRMED, §9) stays in the cache until the next full read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from crmflags.record_cache import CachedRecord, RecordCache
from crmflags_pipedrive.mapping import link, owner_org

#: The history kinds kept, in the order a change is applied (links before what uses them).
KINDS = ("persons", "deals", "activities", "notes")
#: The kinds that belong to an organization through a person or deal.
OWNED = ("activities", "notes")


def cached(record: Mapping[str, Any], group: str | None) -> CachedRecord:
    """Return a record to keep: its ``update_time`` is its version, ``group`` its
    organization (None: none)."""
    return CachedRecord(
        str(record["id"]), str(record.get("update_time") or ""), record, group or ""
    )


def apply_changes(
    cache: RecordCache,
    changed: Mapping[str, list[Mapping[str, Any]]],
    person_orgs: Mapping[str, str],
    deal_orgs: Mapping[str, str],
) -> set[str]:
    """Fold the changed records of each kind into the cache; return the organizations
    whose history changed (the one a record left and the one it joined).

    ``person_orgs`` and ``deal_orgs`` give the organization of the persons and deals
    the changed activities and notes name (the cache supplies the others).
    """
    touched: set[str] = set()
    links = {"persons": dict(person_orgs), "deals": dict(deal_orgs)}
    for kind in KINDS:
        records = changed.get(kind, [])
        before = cache.get(kind, [str(r["id"]) for r in records])
        if kind in OWNED:
            learn_links(cache, records, links)
        kept: list[CachedRecord] = []
        gone: list[str] = []
        for record in records:
            record_id = str(record["id"])
            group = _group(kind, record, links)
            if record_id in before:
                touched.add(before[record_id].group)
            if _deleted(kind, record):
                gone.append(record_id)
                continue
            touched.add(group)
            kept.append(cached(record, group))
            if kind not in OWNED:
                links[kind][record_id] = group
        cache.drop(kind, gone)
        cache.put(kind, kept)
        if kind not in OWNED:
            now = {r.record_id: r.group for r in kept}
            moved = {b.group for i, b in before.items() if now.get(i) != b.group}
            touched |= _regroup(cache, moved, links)
    touched.discard("")
    return touched


def kept_histories(cache: RecordCache, organizations: Iterable[str]) -> dict[str, dict]:
    """Return, by organization, its persons, deals, activities and notes from the cache
    (each list in id order, as the lists give them)."""
    wanted = sorted(set(organizations))
    found: dict[str, dict[str, list[Any]]] = {org: {kind: [] for kind in KINDS} for org in wanted}
    for kind in KINDS:
        records = cache.in_groups(kind, wanted)
        for record_id in sorted(records, key=_number):
            record = records[record_id]
            found[record.group][kind].append(record.data)
    return found


def unowned(cache: RecordCache) -> list[str]:
    """Return the activities and notes of no organization, as ``activity 841``, ``note 12``."""
    labels = []
    for kind, label in (("activities", "activity"), ("notes", "note")):
        records = cache.in_groups(kind, [""])
        labels += [f"{label} {i}" for i in sorted(records, key=_number)]
    return labels


def _group(kind: str, record: Mapping[str, Any], links: Mapping[str, Mapping[str, str]]) -> str:
    if kind in OWNED:
        return owner_org(record, links["persons"], links["deals"]) or ""
    return link(record.get("org_id")) or ""


def learn_links(
    cache: RecordCache, records: list[Mapping[str, Any]], links: dict[str, dict[str, str]]
) -> None:
    """Add to ``links`` the organizations of the persons and deals ``records`` name, from
    the cache where the changes did not give them."""
    for key, kind in (("person_id", "persons"), ("deal_id", "deals")):
        ids = {link(r.get(key)) for r in records} - {None} - links[kind].keys()
        for record_id, record in cache.get(kind, [i for i in ids if i]).items():
            links[kind].setdefault(record_id, record.group)


def _regroup(cache: RecordCache, groups: set[str], links: dict[str, dict[str, str]]) -> set[str]:
    """File again the activities and notes kept under ``groups`` (a person or deal of
    theirs moved); return the organizations they left and joined."""
    touched: set[str] = set()
    for kind in OWNED:
        records = cache.in_groups(kind, groups)
        data = [r.data for r in records.values()]
        learn_links(cache, data, links)
        moved = [
            cached(r.data, _group(kind, r.data, links))
            for r in records.values()
            if _group(kind, r.data, links) != r.group
        ]
        touched |= {records[r.record_id].group for r in moved} | {r.group for r in moved}
        cache.put(kind, moved)
    return touched


def _deleted(kind: str, record: Mapping[str, Any]) -> bool:
    """Tell whether a changed record leaves the history: deleted, inactive, not done."""
    if kind == "notes":
        return record.get("active_flag") is False
    if record.get("is_deleted") or (kind == "deals" and record.get("status") == "deleted"):
        return True
    return kind == "activities" and not record.get("done")


def _number(text: str) -> int:
    return int(text) if text.isdigit() else 0
