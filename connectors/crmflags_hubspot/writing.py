"""Write changed risk fields to their HubSpot properties, up to 100 records per call.

``POST /crm/v3/objects/{type}/batch/update`` (reference §2.4) with only the changed
properties of each record. A 207 answer names the records that failed (§8.3): they
become RecordFailures with HubSpot's reason and the others count as written. A batch
HubSpot rejects as a whole (4xx) fails its records and the next batch is still sent.
When the daily limit runs out part way, the run stops with QuotaSpent naming the
records the batches before took (the next run writes the rest).

A write moves the record's modified date, which the next incremental read would take
for a change. So before each batch the records' versions are read (one batch read)
and, after it, the version each record has is noted, but only for records nobody
changed since the sync's picture of them was read: an edit made in between still
counts as a change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from crmflags.connector import ClientChange, WriteReport
from crmflags.errors import QuotaSpent
from crmflags.model import RecordFailure
from crmflags_hubspot.batches import (
    BATCH_SIZE,
    batch_errors,
    describe_error,
    error_ids,
    records,
    short,
)
from crmflags_hubspot.client import HubSpotClient, HubSpotError
from crmflags_hubspot.mapping import RISK_PROPERTIES
from crmflags_hubspot.reading import batch_read, updated_ms


def write_changes(
    http: HubSpotClient,
    object_type: str,
    changes: Iterable[ClientChange],
    as_read: Callable[[str, int], bool] | None = None,
    written: dict[str, int] | None = None,
) -> WriteReport:
    """Send each change's fields as their ``crmflags_*`` properties; report what landed.

    ``as_read(id, version)`` tells whether a record at that version (``updatedAt``,
    epoch ms) is the one the sync read. When both are given, ``written`` gets, by id,
    the version each record has after the write, for the records ``as_read`` just
    before it (module doc). Raises AuthError for a refused token, QuotaSpent (with the
    ids written so far) when the daily limit runs out, and HubSpotError when HubSpot
    cannot be reached, is down, or rate limits the run to its end.
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
    taken: list[str] = []  # the ids HubSpot took, for a daily limit met part way
    try:
        for start in range(0, len(inputs), BATCH_SIZE):
            chunk = inputs[start : start + BATCH_SIZE]
            ids = [i["id"] for i in chunk]
            untouched = set()
            if as_read is not None and written is not None:
                untouched = _untouched(http, object_type, ids, as_read)
            known_failures = len(report.failures)
            versions = _send(http, object_type, chunk, report)
            failed = {f.client_id for f in report.failures[known_failures:]}
            taken += [i for i in ids if i not in failed]
            if written is not None:
                written.update({i: v for i, v in versions.items() if i in untouched})
    except QuotaSpent as exc:
        raise QuotaSpent(str(exc), written=taken) from None
    return report


def _untouched(
    http: HubSpotClient, object_type: str, ids: list[str], as_read: Callable[[str, int], bool]
) -> set[str]:
    """Return the ids whose record is still at the version the sync read."""
    now = {i: updated_ms(record) for i, record in batch_read(http, object_type, ids, []).items()}
    return {i for i, version in now.items() if version is not None and as_read(i, version)}


def _send(
    http: HubSpotClient, object_type: str, chunk: list[dict[str, Any]], report: WriteReport
) -> dict[str, int]:
    """Send one batch; return the version each record written has now, by id.

    Each record that failed gets its own error as its reason, once: a batch HubSpot
    refuses as a whole names its records in ``errors`` (or not: then a short summary).
    """
    ids = [item["id"] for item in chunk]
    versions: dict[str, int] = {}
    body = {"inputs": [{**item, "objectWriteTraceId": item["id"]} for item in chunk]}
    try:
        answer = http.call("POST", f"/crm/v3/objects/{object_type}/batch/update", json=body)
    except HubSpotError as exc:
        problem = exc.problem
        if problem is None or problem.status == 429 or problem.status >= 500:
            raise
        whole = short(f"HubSpot rejected the update: {problem.describe()}")
        reasons = _reasons(problem.details, set(ids))
        report.failures += [RecordFailure(i, reasons.get(i, whole)) for i in ids]
        return versions
    results = records(answer, "results", missing_ok=answer.status == 207)
    for result in results:
        stamp = updated_ms(result)
        if stamp is not None:
            versions[str(result["id"])] = stamp
    if answer.status != 207:
        report.written += len(ids)
        return versions
    done = {str(r["id"]) for r in results}
    errors = batch_errors(answer)
    reasons = _reasons(errors, set(ids))
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
    return versions


def _reasons(errors: Iterable[Mapping[str, Any]], ids: set[str]) -> dict[str, str]:
    """Return each record's own failure reason: the errors naming it, each once."""
    found: dict[str, list[str]] = {}
    for error in errors:
        for i in error_ids(error):
            if i in ids:
                mine = found.setdefault(i, [])
                text = describe_error(error)
                if text not in mine:
                    mine.append(text)
    return {
        i: short("HubSpot rejected the update: " + "; ".join(texts)) for i, texts in found.items()
    }
