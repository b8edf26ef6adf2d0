"""Helpers of the conformance kit (:mod:`crmflags.testing`): comparing reads, and messages.

Internal: plugins use :mod:`crmflags.testing`, whose checks these serve.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from crmflags.connector import Connector, WriteReport
from crmflags.model import Client, RecordFailure

#: The shortest run of a secret's characters that counts as leaking it.
LEAK_LENGTH = 8


def require_same(
    connector: Connector,
    expected: list[Client | RecordFailure],
    actual: list[Client | RecordFailure],
    when: str,
) -> None:
    """Raise AssertionError listing how ``actual`` differs from ``expected``, if it does.

    Risk values are compared as the sync compares them: a value the source lacks
    (None) equals an empty one, so a column added for one client may appear, empty,
    for the others.
    """
    expected, actual = comparable(expected), comparable(actual)
    if expected == actual:
        return
    if [id_of(r) for r in expected] != [id_of(r) for r in actual]:
        raise AssertionError(
            f"{name(connector)}: {when}, the source reads as records "
            f"{[id_of(r) for r in actual]} instead of {[id_of(r) for r in expected]}"
        )
    changes = []
    for old, new in zip(expected, actual, strict=True):
        if old != new:
            changes.append(f"client {id_of(old)!r}: {'; '.join(differences(old, new))}")
    raise AssertionError(
        f"{name(connector)}: {when}, the source is not as expected:\n- " + "\n- ".join(changes)
    )


def differences(expected: Any, actual: Any) -> list[str]:
    if not (isinstance(expected, Client) and isinstance(actual, Client)):
        return [f"expected {expected!r}, read {actual!r}"]
    differences = []
    for attribute in (f.name for f in dataclasses.fields(Client)):
        old, new = getattr(expected, attribute), getattr(actual, attribute)
        if old == new:
            continue
        if attribute in ("risk", "fields") and isinstance(new, dict):
            differences += [
                f"{attribute}[{key!r}] expected {old.get(key)!r}, read {new.get(key)!r}"
                for key in sorted({*old, *new})
                if old.get(key) != new.get(key)
            ]
        else:
            differences.append(f"{attribute} expected {old!r}, read {new!r}")
    return differences


def comparable(records: list[Client | RecordFailure]) -> list[Client | RecordFailure]:
    return [
        dataclasses.replace(r, risk={k: v or None for k, v in r.risk.items()})
        if isinstance(r, Client) and isinstance(r.risk, dict)
        else r
        for r in records
    ]


def first_client(connector: Connector, records: list[Client | RecordFailure]) -> Client:
    for record in records:
        if isinstance(record, Client):
            return record
    raise AssertionError(
        f"{name(connector)}: the write checks need a source with at least one client that "
        "reads as a Client; it has none"
    )


def find(records: list[Client | RecordFailure], client_id: str) -> Client | None:
    return next((r for r in records if isinstance(r, Client) and r.id == client_id), None)


def with_risk(client: Client, key: str, value: str) -> Client:
    return dataclasses.replace(client, risk={**client.risk, key: value})


def id_of(record: Client | RecordFailure) -> str | None:
    return record.id if isinstance(record, Client) else record.client_id


def name(connector: Connector | None) -> str:
    if connector is None:
        return "connector"
    return f"connector {getattr(connector, 'name', type(connector).__name__)!r}"


def require(condition: bool, connector: Connector, message: str) -> None:
    if not condition:
        raise AssertionError(f"{name(connector)}: {message}")


def describe(report: WriteReport) -> str:
    return f"{report.written} written and failures {failures(report)}"


def failures(report: WriteReport) -> str:
    return repr([(f.client_id, f.reason) for f in report.failures]) if report.failures else "[]"


def chain(error: BaseException) -> list[BaseException]:
    """Return the error and the exceptions a traceback of it would show."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    return chain


def hidden(text: str, secret: str) -> str:
    """Return ``text`` with every run of LEAK_LENGTH characters of ``secret`` replaced."""
    size = min(LEAK_LENGTH, len(secret))
    if not size:
        return text
    for start in range(len(secret) - size + 1):
        text = text.replace(secret[start : start + size], "***")
    return text
