"""Turn evaluation results into the risk field values to store, and keep only the changes.

This is the one place that decides what a sync writes: a connector is only ever asked
to store values that differ from what it read, and never a value over one a person
set by hand. A crmflags field whose value in the source differs from what crmflags
last wrote there was edited by someone: that is *drift*, left alone unless the sync
is told to take it back.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from crmflags.connector import ClientChange
from crmflags.evaluation.evaluate import ClientResult, Evaluation, plain_number

REASON_SEPARATOR = " | "

#: How a source stores a risk field's text: (field, value) -> the text it gives back.
Stored = Callable[[str, str], str]


def as_given(field: str, value: str) -> str:
    """Store a value as it is given (what most sources do)."""
    return value


@dataclass(frozen=True)
class Drift:
    """A risk field a person changed since crmflags wrote it, and what crmflags wanted now."""

    client_id: str
    field: str
    ours: str | None
    theirs: str | None
    wanted: str


@dataclass
class Plan:
    """What a sync will write, and the hand-edited fields it leaves alone."""

    changes: list[ClientChange]
    drift: list[Drift]


def risk_values(result: ClientResult) -> dict[str, str]:
    """Return the text of risk_level, risk_score, risk_tags and risk_reasons for a result."""
    reasons = [f"{reason.tag}: {reason.message}" for reason in result.reasons]
    return {
        "risk_level": result.level,
        "risk_score": str(plain_number(result.score)),
        "risk_tags": ";".join(result.tags),
        "risk_reasons": REASON_SEPARATOR.join(reasons),
    }


def same(a: str | None, b: str | None) -> bool:
    """Tell whether two field values are equal; a field the source lacks (None) equals ''."""
    return (a or "") == (b or "")


def change_for(
    result: ClientResult,
    evaluated_at: datetime,
    written: Mapping[str, str | None] | None = None,
    overwrite_drift: bool = False,
    stored: Stored = as_given,
) -> tuple[ClientChange | None, list[Drift]]:
    """Return the fields of a client to write, and the fields left alone as drift.

    ``written`` holds what crmflags last wrote for this client (from the state store);
    a field whose current value differs from it was edited by a person and is left as
    it is, unless ``overwrite_drift``; a field the source lacks altogether (None: a
    fresh export without the column) is written again. ``risk_changed_at`` is set to ``evaluated_at``
    when the level or the tags are written (or it was never set). Values are compared
    and written as the source stores them (``stored``, e.g. a date for a timestamp).
    """
    current = result.client.risk
    written = written or {}
    fields, drift = {}, []

    def edited(name: str) -> bool:
        # A field the source does not have at all (a fresh export) was not edited by anyone.
        return (
            not overwrite_drift
            and name in written
            and current.get(name) is not None
            and not same(current.get(name), written[name])
        )

    for name, value in risk_values(result).items():
        value = stored(name, value)
        if same(current.get(name), value):
            continue
        if edited(name):
            drift.append(Drift(result.client.id, name, written[name], current.get(name), value))
            continue
        fields[name] = value
    if "risk_level" in fields or "risk_tags" in fields or not current.get("risk_changed_at"):
        stamp = stored("risk_changed_at", evaluated_at.isoformat(timespec="seconds"))
        if same(current.get("risk_changed_at"), stamp):
            pass
        elif edited("risk_changed_at"):
            drift.append(
                Drift(
                    result.client.id,
                    "risk_changed_at",
                    written["risk_changed_at"],
                    current.get("risk_changed_at"),
                    stamp,
                )
            )
        else:
            fields["risk_changed_at"] = stamp
    change = ClientChange(result.client.id, fields) if fields else None
    return change, drift


def plan_changes(
    evaluation: Evaluation,
    last_written: Mapping[str, Mapping[str, str | None]] | None = None,
    overwrite_drift: bool = False,
    stored: Stored = as_given,
) -> Plan:
    """Return the changes of every evaluated client that has any, in source order, and the drift."""
    plan = Plan([], [])
    last_written = last_written or {}
    for result in evaluation.results:
        change, drift = change_for(
            result,
            evaluation.evaluated_at,
            last_written.get(result.client.id),
            overwrite_drift,
            stored,
        )
        if change is not None:
            plan.changes.append(change)
        plan.drift.extend(drift)
    return plan
