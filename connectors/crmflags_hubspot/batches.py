"""Reading HubSpot's answers: records as documented, and the per-record errors of batches.

Every record HubSpot returns has an ``id`` and ``properties``, a map of property name to
text or null (reference §2.2); a batch answer's ``errors`` name the records they are
about in ``context`` or ``id`` (§8.3). Anything else is an answer HubSpot does not
document, and :func:`records` refuses it (exit 5) rather than read it as no records.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from crmflags.http import Answer

#: Inputs per batch call and records per list page (reference §2.3, §2.4, §4).
BATCH_SIZE = 100
#: The longest a record's failure reason may quote HubSpot's message.
MAX_REASON = 300


def records(answer: Answer, *path: str, missing_ok: bool = False) -> list[dict[str, Any]]:
    """Return the records at ``path`` (``results``), each with an id and text properties."""
    found = answer.records(*path, missing_ok=missing_ok, objects=("properties",))
    for number, record in enumerate(found):
        properties = record.get("properties") or {}
        where = f"{'.'.join(path)}[{number}].properties"
        for name, value in properties.items():
            if value is not None and not isinstance(value, str):
                raise answer.fault(f"{where}.{name} is not text")
    return found


def batch_errors(answer: Answer) -> list[dict[str, Any]]:
    """Return the ``errors`` of a batch answer (none when it has none)."""
    return answer.records("errors", missing_ok=True, null_ok=True, key=None)


def error_ids(error: Mapping[str, Any]) -> list[str]:
    """Return the record ids an error of a batch answer names (``context`` or ``id``)."""
    ids = [str(error["id"])] if isinstance(error.get("id"), (str, int)) else []
    context = error.get("context")
    if isinstance(context, Mapping):
        for key in ("ids", "id", "fromObjectId", "objectWriteTraceId"):
            values = context.get(key)
            for value in values if isinstance(values, list) else [values]:
                if isinstance(value, (str, int)) and not isinstance(value, bool):
                    ids.append(str(value))
    return list(dict.fromkeys(ids))


def describe_error(error: Mapping[str, Any]) -> str:
    """Return ``CATEGORY: message`` of one batch error, its message cut to a readable length."""
    category = error.get("category")
    message = short(str(error.get("message") or "no message"))
    return f"{category}: {message}" if category else message


def short(text: str, limit: int = MAX_REASON) -> str:
    """Return ``text`` cut at ``limit`` characters (a whole batch's errors in one message
    would repeat on every record's failure line)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
