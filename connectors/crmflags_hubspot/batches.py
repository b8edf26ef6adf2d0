"""Reading the per-record errors of HubSpot's batch answers (207, reference §8.3)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: Inputs per batch call and records per list page (reference §2.3, §2.4, §4).
BATCH_SIZE = 100


def error_ids(error: Mapping[str, Any]) -> list[str]:
    """Return the record ids an error of a batch answer names (``context`` or ``id``)."""
    ids = [str(error["id"])] if error.get("id") is not None else []
    context = error.get("context") or {}
    if isinstance(context, Mapping):
        for key in ("ids", "id", "fromObjectId", "objectWriteTraceId"):
            values = context.get(key) or []
            ids += [str(v) for v in (values if isinstance(values, list) else [values])]
    return list(dict.fromkeys(ids))


def describe_error(error: Mapping[str, Any]) -> str:
    """Return ``CATEGORY: message`` of one batch error."""
    category = error.get("category")
    message = error.get("message") or "no message"
    return f"{category}: {message}" if category else str(message)
