"""Read companies and their calls, emails, meetings, notes and invoices, 100 at a time.

For each page of company ids (``GET /crm/v3/objects/companies``, ids only, so the URL
stays short): one ``batch/read`` of the companies with the properties the mapping
needs (in the body: long property lists in a URL fail with 414, reference §2.8), one
v4 association batch read per related type (§4), and ``batch/read`` of the associated
records (§2.3). Each company is then mapped by :mod:`crmflags_hubspot.mapping`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import tzinfo
from typing import Any

from crmflags.model import Client, RecordFailure
from crmflags_hubspot.batches import BATCH_SIZE, describe_error, error_ids
from crmflags_hubspot.client import HubSpotClient
from crmflags_hubspot.configuration import HubSpotSettings
from crmflags_hubspot.mapping import RELATED, MappingFault, company_properties, to_client

#: How many ids a warning lists before it says "and N more".
SHOWN_IDS = 5


def read_clients(
    http: HubSpotClient, settings: HubSpotSettings, zone: tzinfo, warnings: list[str]
) -> Iterator[Client | RecordFailure]:
    """Yield every company as a Client (or a RecordFailure), in HubSpot's listing order.

    What the read can carry on with (records gone missing, paid invoices without a
    payment date) is appended to ``warnings``.
    """
    object_type = settings.object_type
    properties = company_properties(settings.properties, settings.fields)
    undated: list[str] = []
    incomplete: list[str] = []
    for ids in _id_pages(http, object_type):
        companies = _batch_read(http, object_type, ids, properties, warnings)
        failed: dict[str, str] = {}
        links = {
            related.object_type: _associations(
                http, object_type, related.object_type, ids, failed, warnings
            )
            for related in RELATED
        }
        records = {
            related.object_type: _batch_read(
                http,
                related.object_type,
                list(
                    dict.fromkeys(
                        t for targets in links[related.object_type].values() for t in targets
                    )
                ),
                list(related.properties),
                warnings,
            )
            for related in RELATED
        }
        for company_id in ids:
            if company_id in failed:
                yield RecordFailure(company_id, failed[company_id])
                continue
            company = companies.get(company_id)
            if company is None:
                continue  # deleted between the listing and the read; _batch_read warned
            related = {
                kind: [
                    records[kind][t] for t in links[kind].get(company_id, []) if t in records[kind]
                ]
                for kind in links
            }
            try:
                client, notes = to_client(
                    company, related, settings.properties, settings.fields, zone
                )
            except MappingFault as exc:
                yield RecordFailure(company_id, str(exc))
                continue
            undated += notes["undated"]
            incomplete += notes["incomplete"]
            yield client
    if undated:
        warnings.append(
            f"{len(undated)} paid invoices have no hs_payment_date ({_ids(undated)}): "
            "counted as paid on their due date"
        )
    if incomplete:
        warnings.append(
            f"{len(incomplete)} invoices have no hs_due_date or hs_amount_billed "
            f"({_ids(incomplete)}): left out"
        )


def _id_pages(http: HubSpotClient, object_type: str) -> Iterator[list[str]]:
    """Yield the record ids of the listing, one page of up to 100 at a time."""
    params: dict[str, Any] = {"limit": BATCH_SIZE, "properties": "hs_object_id"}
    while True:
        body = http.get(f"/crm/v3/objects/{object_type}", params)
        ids = [str(r["id"]) for r in body.get("results") or [] if "id" in r]
        if ids:
            yield ids
        after = ((body.get("paging") or {}).get("next") or {}).get("after")
        if not after:
            return
        params["after"] = after


def _batch_read(
    http: HubSpotClient,
    object_type: str,
    ids: list[str],
    properties: list[str],
    warnings: list[str],
) -> dict[str, Mapping[str, Any]]:
    """Return the records of ``ids`` by id; ids HubSpot could not return are warned about."""
    found: dict[str, Mapping[str, Any]] = {}
    for start in range(0, len(ids), BATCH_SIZE):
        chunk = ids[start : start + BATCH_SIZE]
        _, body = http.post(
            f"/crm/v3/objects/{object_type}/batch/read",
            {
                "inputs": [{"id": i} for i in chunk],
                "properties": properties,
                "propertiesWithHistory": [],
            },
        )
        for record in body.get("results") or []:
            found[str(record["id"])] = record
        missing = [i for i in chunk if i not in found]
        if missing:
            warnings.append(
                f"{len(missing)} {object_type} could not be read and were left out "
                f"({_ids(missing)}){_first_error(body)}"
            )
    return found


def _associations(
    http: HubSpotClient,
    from_type: str,
    to_type: str,
    ids: list[str],
    failed: dict[str, str],
    warnings: list[str],
) -> dict[str, list[str]]:
    """Return the ids of ``to_type`` records associated with each id, following paging.

    A record with none comes back as a NO_ASSOCIATIONS_FOUND error (reference §8.4):
    that is no associations, not a failure. Other per-record errors go to ``failed``.
    """
    links: dict[str, list[str]] = {}
    pending: list[dict[str, str]] = [{"id": i} for i in ids]
    while pending:
        chunk, pending = pending[:BATCH_SIZE], pending[BATCH_SIZE:]
        _, body = http.post(
            f"/crm/v4/associations/{from_type}/{to_type}/batch/read", {"inputs": chunk}
        )
        for result in body.get("results") or []:
            source = str((result.get("from") or {}).get("id"))
            targets = links.setdefault(source, [])
            targets += [str(t["toObjectId"]) for t in result.get("to") or [] if "toObjectId" in t]
            after = ((result.get("paging") or {}).get("next") or {}).get("after")
            if after:
                pending.append({"id": source, "after": str(after)})
        asked = {i["id"] for i in chunk}
        for error in body.get("errors") or []:
            if _no_associations(error):
                continue
            named = [i for i in error_ids(error) if i in asked]
            reason = f"reading its {to_type} failed: {describe_error(error)}"
            for company_id in named:
                failed.setdefault(company_id, reason)
            if not named:
                warnings.append(f"reading {to_type} of {from_type}: {describe_error(error)}")
    return links


def _no_associations(error: Mapping[str, Any]) -> bool:
    marker = "NO_ASSOCIATIONS_FOUND"
    return (
        marker in str(error.get("subCategory") or "")
        or "no associations found" in str(error.get("message") or "").lower()
    )


def _first_error(body: Mapping[str, Any]) -> str:
    errors = body.get("errors") or []
    return f": {describe_error(errors[0])}" if errors and isinstance(errors[0], dict) else ""


def _ids(ids: list[str]) -> str:
    shown = ", ".join(ids[:SHOWN_IDS])
    return f"{shown} and {len(ids) - SHOWN_IDS} more" if len(ids) > SHOWN_IDS else shown
