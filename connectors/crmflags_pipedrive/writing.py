"""Write changed risk fields to the crmflags organization fields, one PATCH per organization.

``PATCH /api/v2/organizations/{id}`` with ``{"custom_fields": {...}}`` holding only the
changed fields' keys (reference §11). Option fields take option ids, never labels (§10):
the level's id, the tags' ids; clearing sends ``null`` (an empty list is refused).
Numbers go as JSON numbers, the changed-at date as ``YYYY-MM-DD``. An organization
Pipedrive refuses (404, 400, 422...) becomes a RecordFailure with Pipedrive's message
and the next one is still written; a refused token, a spent budget or a Pipedrive that
is down ends the run (the next run writes what is still missing). A spent budget ends
it with BudgetSpent naming the organizations written before.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from crmflags.connector import ClientChange, WriteReport
from crmflags.errors import InputError
from crmflags.model import RecordFailure
from crmflags.values import parse_number
from crmflags_pipedrive.client import BudgetSpent, PipedriveClient, PipedriveError
from crmflags_pipedrive.fields import OrgField
from crmflags_pipedrive.mapping import RISK_FIELDS

ORGANIZATION = "/api/v2/organizations/{id}"


class ValueFault(Exception):
    """A risk value the organization field cannot hold; the message says why."""


def write_changes(
    http: PipedriveClient,
    risk: Mapping[str, OrgField | None],
    changes: Iterable[ClientChange],
    answers: dict[str, Mapping[str, Any]],
) -> WriteReport:
    """PATCH each change's fields into the crmflags fields; report what landed.

    ``risk`` holds the crmflags field of each risk field; ``answers`` gets, by id, the
    organization each PATCH was answered with (its new ``update_time`` included). Raises
    InputError before writing anything when a risk field is missing (``crmflags setup``
    was not run), AuthError for a refused token, BudgetSpent (with the ids written so
    far) for a spent daily budget, PipedriveError when Pipedrive is down.
    """
    changes = list(changes)
    missing = [RISK_FIELDS[name][0] for name, found in risk.items() if found is None]
    if changes and missing:
        raise InputError(
            f"Pipedrive has no organization fields {', '.join(repr(m) for m in missing)} "
            "yet, so nothing was written: run `crmflags setup --connector pipedrive` once, "
            "then sync again"
        )
    report = WriteReport()
    taken: list[str] = []
    try:
        for change in changes:
            if _write_one(http, risk, change, answers, report):
                taken.append(change.client_id)
    except BudgetSpent as exc:
        raise BudgetSpent(str(exc), exc.problem, written=taken) from None
    return report


def _write_one(
    http: PipedriveClient,
    risk: Mapping[str, OrgField | None],
    change: ClientChange,
    answers: dict[str, Mapping[str, Any]],
    report: WriteReport,
) -> bool:
    """PATCH one organization; tell whether Pipedrive took it.

    A value or organization Pipedrive refuses becomes a RecordFailure in ``report``.
    """
    unknown = sorted(set(change.fields) - set(RISK_FIELDS))
    if unknown:
        report.failures.append(
            RecordFailure(change.client_id, f"not risk fields: {', '.join(unknown)}")
        )
        return False
    if not change.fields:
        return False
    try:
        custom = {
            _field(risk, name).code: pipedrive_value(_field(risk, name), value)
            for name, value in change.fields.items()
        }
    except ValueFault as fault:
        report.failures.append(RecordFailure(change.client_id, str(fault)))
        return False
    try:
        answer = http.patch(ORGANIZATION.format(id=change.client_id), {"custom_fields": custom})
    except PipedriveError as exc:
        problem = exc.problem
        if problem is None or problem.status == 429 or problem.status >= 500:
            raise
        report.failures.append(
            RecordFailure(change.client_id, f"Pipedrive refused the update: {problem.describe()}")
        )
        return False
    report.written += 1
    organization = answer.part("data")
    if organization:
        answers[change.client_id] = organization
    return True


def pipedrive_value(field: OrgField, text: str | None) -> Any:
    """Return the JSON value of a risk field's text for ``field`` (None clears it).

    Raises ValueFault for a level or tag the field has no option for, or a score that
    is not a number.
    """
    if text is None or text == "":
        return None
    if field.field_type in ("enum", "set"):
        labels = [t for t in text.split(";") if t] if field.field_type == "set" else [text]
        ids, missing = field.option_ids(labels)
        if missing:
            raise ValueFault(
                f"the field {field.name!r} has no option {', '.join(missing)}: run "
                "crmflags setup --connector pipedrive to add it"
            )
        return ids if field.field_type == "set" else ids[0]
    if field.field_type in ("double", "monetary"):
        try:
            number = parse_number(text)
        except ValueError as exc:
            raise ValueFault(f"{field.name}: {exc}") from None
        return int(number) if number.is_integer() else number
    if field.field_type == "date":
        return text[:10]
    return text


def _field(risk: Mapping[str, OrgField | None], name: str) -> OrgField:
    found = risk[name]
    assert found is not None, "write_changes checks that every risk field exists"
    return found
