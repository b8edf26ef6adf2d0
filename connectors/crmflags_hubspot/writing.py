"""Write changed risk fields to their HubSpot properties, up to 100 records per call.

``POST /crm/v3/objects/{type}/batch/update`` (reference §2.4) with only the changed
properties of each record. A 207 answer names the records that failed (§8.3): they
become RecordFailures with HubSpot's reason and the others count as written. A batch
HubSpot rejects as a whole (4xx) fails its records and the next batch is still sent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from crmflags.connector import ClientChange, WriteReport
from crmflags.model import RecordFailure
from crmflags_hubspot.batches import BATCH_SIZE, describe_error, error_ids
from crmflags_hubspot.client import HubSpotClient, HubSpotError
from crmflags_hubspot.mapping import RISK_PROPERTIES


def write_changes(
    http: HubSpotClient, object_type: str, changes: Iterable[ClientChange]
) -> WriteReport:
    """Send each change's fields as their ``crmflags_*`` properties; report what landed.

    Raises AuthError for a refused token and HubSpotError when HubSpot cannot be
    reached, is down, or rate limits the run to its end.
    """
    report = WriteReport()
    inputs: list[dict[str, Any]] = []
    for change in changes:
        unknown = sorted(set(change.fields) - set(RISK_PROPERTIES))
        if unknown:
            report.failures.append(
                RecordFailure(change.client_id, f"not risk fields: {', '.join(unknown)}")
            )
            continue
        if change.fields:
            properties = {RISK_PROPERTIES[name]: value for name, value in change.fields.items()}
            inputs.append({"id": change.client_id, "properties": properties})
    for start in range(0, len(inputs), BATCH_SIZE):
        _send(http, object_type, inputs[start : start + BATCH_SIZE], report)
    return report


def _send(
    http: HubSpotClient, object_type: str, chunk: list[dict[str, Any]], report: WriteReport
) -> None:
    ids = [item["id"] for item in chunk]
    body = {"inputs": [{**item, "objectWriteTraceId": item["id"]} for item in chunk]}
    try:
        status, answer = http.post(f"/crm/v3/objects/{object_type}/batch/update", body)
    except HubSpotError as exc:
        problem = exc.problem
        if problem is None or problem.status == 429 or problem.status >= 500:
            raise
        reason = f"HubSpot rejected the update: {problem.describe()}"
        report.failures += [RecordFailure(i, reason) for i in ids]
        return
    if status != 207:
        report.written += len(ids)
        return
    done = {str(r.get("id")) for r in answer.get("results") or [] if isinstance(r, Mapping)}
    reasons: dict[str, str] = {}
    errors = [e for e in answer.get("errors") or [] if isinstance(e, Mapping)]
    for error in errors:
        for i in error_ids(error):
            reasons.setdefault(i, f"HubSpot rejected the update: {describe_error(error)}")
    unnamed = f"HubSpot rejected the update: {describe_error(errors[0])}" if errors else None
    for i in ids:
        if i in reasons:
            report.failures.append(RecordFailure(i, reasons[i]))
        elif i in done:
            report.written += 1
        else:
            report.failures.append(
                RecordFailure(i, unnamed or "HubSpot did not confirm the update")
            )
