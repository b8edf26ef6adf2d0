"""Turn evaluation results into the risk field values to store, and keep only the changes.

This is the one place that decides what a sync writes: a connector is only ever
asked to store values that differ from what it read.
"""

from __future__ import annotations

from datetime import datetime

from crmflags.connector import ClientChange
from crmflags.evaluate import ClientResult, Evaluation, plain_number

REASON_SEPARATOR = " | "


def risk_values(result: ClientResult) -> dict[str, str]:
    """Return the text of risk_level, risk_score, risk_tags and risk_reasons for a result."""
    reasons = [f"{reason.tag}: {reason.message}" for reason in result.reasons]
    return {
        "risk_level": result.level,
        "risk_score": str(plain_number(result.score)),
        "risk_tags": ";".join(result.tags),
        "risk_reasons": REASON_SEPARATOR.join(reasons),
    }


def change_for(result: ClientResult, evaluated_at: datetime) -> ClientChange | None:
    """Return the fields of a client that differ from the source, or None if none do.

    ``risk_changed_at`` is set to ``evaluated_at`` when the level or the tags change
    (or were never written), and otherwise left as it is.
    """
    current = result.client.risk
    desired = risk_values(result)
    # A field the source does not have at all (None) equals an empty one.
    fields = {name: value for name, value in desired.items() if (current.get(name) or "") != value}
    if "risk_level" in fields or "risk_tags" in fields or not current.get("risk_changed_at"):
        fields["risk_changed_at"] = evaluated_at.isoformat(timespec="seconds")
    return ClientChange(result.client.id, fields) if fields else None


def changes_for(evaluation: Evaluation) -> list[ClientChange]:
    """Return the changes of every evaluated client that has any, in source order."""
    changes = []
    for result in evaluation.results:
        change = change_for(result, evaluation.evaluated_at)
        if change is not None:
            changes.append(change)
    return changes
