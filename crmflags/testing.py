"""The connector conformance kit: checks a connector's own test suite runs.

Every check is a plain function that raises :class:`AssertionError` with a message
naming the connector and what is wrong, so it works under pytest (or any runner)
without a plugin::

    from crmflags.testing import run_conformance

    def over(folder):
        return lambda: MyConnector(ConnectorOptions(settings=Settings(), source=folder))

    def test_my_connector_conforms(tmp_path):
        source = build_source(tmp_path / "source", clients=2)
        empty = build_source(tmp_path / "empty", clients=0)
        run_conformance(over(source), make_empty_connector=over(empty))

The contract:

- ``make_connector`` is a zero-argument callable returning a *fresh* connector over
  the same source each time it is called. The checks read and write through several
  connectors, as successive ``crmflags sync`` runs do, so what one wrote must be what
  the next one reads.
- The source holds at least one client that reads as a :class:`~crmflags.model.Client`
  (two or more, so that "other clients are left alone" is tested), and accepts
  ``risk_level`` values ``watch`` and ``warning`` (crmflags' levels).
- The write checks change ``risk_level`` of the first client read: run them on a
  source made for the test (a folder in ``tmp_path``, a fake server), never a real CRM.
- Each write is made the way a sync makes it: by a connector that has read first.
- Risk values are compared as the sync compares them: None (the source lacks the
  field) equals ``""``.
- ``make_empty_connector`` returns a connector over a source with no clients;
  ``make_connector_with_bad_secret`` one whose token (password, API key) is wrong,
  ``secret`` being that wrong value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from crmflags import _conformance as kit
from crmflags.canonical import RecordChecker
from crmflags.connector import ClientChange, Connector, WriteReport
from crmflags.errors import EXIT_AUTH, CrmflagsError
from crmflags.model import Client, RecordFailure

#: The client id the record-failure check writes to: no source should have it.
UNKNOWN_ID = "999999999"
#: The risk field the write checks change, and the two values they alternate between.
WRITTEN_FIELD = "risk_level"
WRITTEN_VALUES = ("watch", "warning")
#: Problems listed in full in one AssertionError; further ones are counted.
SHOWN_PROBLEMS = 10

MakeConnector = Callable[[], Connector]


def check_source_key(make_connector: MakeConnector) -> str:
    """Check ``source_key()`` is a non-empty string, the same for two connectors of a source.

    Returns the key.
    """
    first, second = make_connector(), make_connector()
    key = first.source_key()
    kit.require(
        isinstance(key, str) and key.strip() != "",
        first,
        f"source_key() returned {key!r}; it must be a non-empty string",
    )
    kit.require(
        second.source_key() == key,
        first,
        f"source_key() differs between two connectors over the same source "
        f"({key!r}, then {second.source_key()!r}); the state store would lose its history",
    )
    return key


def check_clients(connector: Connector) -> list[Client | RecordFailure]:
    """Read the connector's source and check every record; return what was read.

    ``read()`` may yield only :class:`Client` and :class:`RecordFailure`. A client
    needs non-empty string ``id`` and ``name``, an id no other record has, invoices
    with dates and non-negative amounts due on or after they were issued, activities
    with timezone-aware ``occurred_at``, a kind of ``ACTIVITY_KINDS`` and direction
    ``inbound`` or ``outbound``, aware notes whose marker is one of ``NOTE_MARKERS``
    or None, time entries with non-negative hours, ``risk`` with exactly the
    ``RISK_FIELDS`` as keys and strings or None as values, and ``fields`` mapping
    lower-case names to strings. Every problem found is listed in one AssertionError.
    """
    try:
        records = list(connector.read())
    except Exception as exc:
        raise AssertionError(
            f"{kit.name(connector)}: read() raised {type(exc).__name__}: {exc}"
        ) from exc
    problems: list[str] = []
    checker = RecordChecker(strict=True)
    for number, record in enumerate(records, start=1):
        if isinstance(record, Client):
            where = f"client {record.id!r} (record {number})"
        elif isinstance(record, RecordFailure):
            where = f"failure {number}"
        else:
            where = f"record {number}"
        problems += [f"{where}: {p}" for p in checker.problems(record)]
    if problems:
        shown = problems[:SHOWN_PROBLEMS]
        if len(problems) > SHOWN_PROBLEMS:
            shown.append(f"and {len(problems) - SHOWN_PROBLEMS} more")
        raise AssertionError(
            f"{kit.name(connector)}: read() gave records that are not canonical:\n- "
            + "\n- ".join(shown)
        )
    return records


def check_empty_source(make_empty_connector: MakeConnector) -> None:
    """Check a connector over a source with no clients reads nothing and writes nothing.

    ``read()`` gives no records, and ``write([])`` raises nothing and reports nothing
    written and no failures.
    """
    connector = make_empty_connector()
    records = check_clients(connector)
    kit.require(
        records == [], connector, f"read {len(records)} record(s) from an empty source: {records}"
    )
    report = _write(connector, [])
    kit.require(
        report.written == 0 and not report.failures,
        connector,
        f"writing no changes to an empty source reported {kit.describe(report)}; "
        "expected 0 written and no failures",
    )
    kit.require(
        check_clients(make_empty_connector()) == [],
        connector,
        "the empty source has records after writing no changes to it",
    )


def check_writes_only_what_asked(make_connector: MakeConnector) -> None:
    """Check a write changes the one field of the one client it names, and nothing else.

    Writing no changes must change nothing. Then ``risk_level`` of the first client
    is given a new value: read again by a fresh connector, that field has it, and every
    other field of that client and every other record are as they were; the report
    says 1 written, no failures.
    """
    before = _read(make_connector)
    connector = make_connector()
    report = _write(connector, [])
    kit.require(
        report.written == 0 and not report.failures,
        connector,
        f"writing no changes reported {kit.describe(report)}; expected 0 written and no failures",
    )
    kit.require_same(connector, before, _read(make_connector), "after writing no changes")
    target = kit.first_client(connector, before)
    value = _new_value(target)
    report = _write(make_connector(), [ClientChange(target.id, {WRITTEN_FIELD: value})])
    kit.require(
        not report.failures,
        connector,
        f"writing {WRITTEN_FIELD}={value!r} to client {target.id!r} failed: {kit.failures(report)}",
    )
    kit.require(
        report.written == 1,
        connector,
        f"writing one change (client {target.id!r}) reported {report.written} written; expected 1",
    )
    expected = [
        kit.with_risk(record, WRITTEN_FIELD, value) if record is target else record
        for record in before
    ]
    kit.require_same(
        connector,
        expected,
        _read(make_connector),
        f"after writing only {WRITTEN_FIELD}={value!r} to client {target.id!r}",
    )


def check_idempotent(make_connector: MakeConnector) -> None:
    """Check writing the same change twice leaves the source as writing it once did.

    The first write reports 1 written and shows in a fresh read; the second reports 0
    or 1 written and no failures; reads after it (two, by fresh connectors) equal the
    read after the first write.
    """
    before = _read(make_connector)
    connector = make_connector()
    target = kit.first_client(connector, before)
    change = ClientChange(target.id, {WRITTEN_FIELD: _new_value(target)})
    first = _write(make_connector(), [change])
    kit.require(
        first.written == 1 and not first.failures,
        connector,
        f"the first write of one change reported {kit.describe(first)}; expected 1 written",
    )
    once = _read(make_connector)
    kit.require(
        any(
            c.id == target.id and c.risk.get(WRITTEN_FIELD) == change.fields[WRITTEN_FIELD]
            for c in once
            if isinstance(c, Client)
        ),
        connector,
        f"after writing {WRITTEN_FIELD} of client {target.id!r}, a fresh read does not show it",
    )
    report = _write(make_connector(), [change])
    kit.require(
        report.written in (0, 1) and not report.failures,
        connector,
        f"writing the same change again reported {kit.describe(report)}; "
        "expected 0 or 1 written and no failures",
    )
    twice = _read(make_connector)
    kit.require_same(connector, once, twice, "after writing the same change a second time")
    kit.require_same(connector, twice, _read(make_connector), "when read again, with no write")


def check_record_failures(make_connector: MakeConnector, unknown_id: str = UNKNOWN_ID) -> None:
    """Check a change for an unknown client is a RecordFailure and the others still land.

    A batch of a change for ``unknown_id`` and one for the first client must not
    raise; its report has one RecordFailure, naming ``unknown_id`` with a reason, and
    1 written; the known client's change is in the source.
    """
    before = _read(make_connector)
    connector = make_connector()
    target = kit.first_client(connector, before)
    kit.require(
        all(kit.id_of(record) != unknown_id for record in before),
        connector,
        f"the source has a client with id {unknown_id!r}: pass another unknown_id",
    )
    value = _new_value(target)
    changes = [
        ClientChange(unknown_id, {WRITTEN_FIELD: value}),
        ClientChange(target.id, {WRITTEN_FIELD: value}),
    ]
    list(connector.read())  # a sync reads before it writes
    try:
        report = _write_batch(connector, changes)
    except Exception as exc:
        raise AssertionError(
            f"{kit.name(connector)}: write() raised {type(exc).__name__} for a change to the "
            f"unknown client {unknown_id!r} ({exc}); it must report a RecordFailure in "
            "the WriteReport and write the other changes"
        ) from exc
    failed = [f for f in report.failures if isinstance(f, RecordFailure)]
    kit.require(
        len(failed) == len(report.failures),
        connector,
        f"WriteReport.failures holds {report.failures!r}; expected RecordFailure objects",
    )
    kit.require(
        [f.client_id for f in failed] == [unknown_id],
        connector,
        f"a batch with a change to the unknown client {unknown_id!r} reported the failures "
        f"{kit.failures(report)}; expected one RecordFailure for {unknown_id!r}",
    )
    kit.require(
        isinstance(failed[0].reason, str) and failed[0].reason.strip() != "",
        connector,
        f"the RecordFailure for {unknown_id!r} has no reason ({failed[0].reason!r})",
    )
    kit.require(
        report.written == 1,
        connector,
        f"a batch with one known and one unknown client reported {report.written} written; "
        "expected 1",
    )
    after = kit.find(_read(make_connector), target.id)
    kit.require(
        after is not None and after.risk.get(WRITTEN_FIELD) == value,
        connector,
        f"the change to client {target.id!r} did not land when the batch also held a change "
        f"to an unknown client ({WRITTEN_FIELD} is "
        f"{after.risk.get(WRITTEN_FIELD) if after else None!r}, expected {value!r})",
    )


def check_no_secret_in_errors(make_connector_with_bad_secret: MakeConnector, secret: str) -> None:
    """Check a wrong secret ends in an AuthError (exit 3) whose message does not show it.

    The connector is made and read; one of the two must raise a CrmflagsError with
    ``exit_code`` 3. Neither its message nor that of an exception it was raised from
    may hold the secret or any run of 8 of its characters (or the whole
    secret, if shorter). This check's own messages never show the secret.
    """
    connector: Connector | None = None
    try:
        connector = make_connector_with_bad_secret()
        list(connector.read())
    except CrmflagsError as exc:
        error = exc
    except Exception as exc:
        raise AssertionError(
            f"{kit.name(connector)}: a wrong secret raised {type(exc).__name__}: "
            f"{kit.hidden(str(exc), secret)}; expected a crmflags.errors.AuthError (exit 3)"
        ) from None
    else:
        raise AssertionError(
            f"{kit.name(connector)}: a connector with a wrong secret read its source without "
            "an error; expected a crmflags.errors.AuthError (exit 3)"
        )
    messages = [str(exc) for exc in kit.chain(error)]
    leaked = [m for m in messages if kit.hidden(m, secret) != m]
    if leaked:
        raise AssertionError(
            f"{kit.name(connector)}: the error for a wrong secret shows it (or part of it): "
            f"{kit.hidden(leaked[0], secret)!r}"
        ) from None
    if error.exit_code != EXIT_AUTH:
        raise AssertionError(
            f"{kit.name(connector)}: a wrong secret raised {type(error).__name__} with exit code "
            f"{error.exit_code} ({messages[0]}); expected a crmflags.errors.AuthError "
            f"(exit {EXIT_AUTH})"
        ) from None


def run_conformance(
    make_connector: MakeConnector,
    *,
    make_empty_connector: MakeConnector | None = None,
    make_connector_with_bad_secret: MakeConnector | None = None,
    secret: str | None = None,
    unknown_id: str = UNKNOWN_ID,
) -> list[str]:
    """Run every check that applies, in order; return the names of the checks passed.

    The empty-source check runs when ``make_empty_connector`` is given, the secret
    check when ``make_connector_with_bad_secret`` and ``secret`` are. The first
    failing check raises its AssertionError.
    """
    checks: list[tuple[str, Callable[[], Any]]] = [
        ("check_source_key", lambda: check_source_key(make_connector)),
        ("check_clients", lambda: check_clients(make_connector())),
    ]
    if make_empty_connector is not None:
        checks.append(("check_empty_source", lambda: check_empty_source(make_empty_connector)))
    checks += [
        ("check_writes_only_what_asked", lambda: check_writes_only_what_asked(make_connector)),
        ("check_idempotent", lambda: check_idempotent(make_connector)),
        ("check_record_failures", lambda: check_record_failures(make_connector, unknown_id)),
    ]
    if make_connector_with_bad_secret is not None and secret is not None:
        checks.append(
            (
                "check_no_secret_in_errors",
                lambda: check_no_secret_in_errors(make_connector_with_bad_secret, secret),
            )
        )
    for _, check in checks:
        check()
    return [name for name, _ in checks]


# ----- reading, writing and comparing -------------------------------------------------


def _read(make_connector: MakeConnector) -> list[Client | RecordFailure]:
    return check_clients(make_connector())


def _write(connector: Connector, changes: list[ClientChange]) -> WriteReport:
    """Write as a sync does (read first, then write); raise AssertionError on an exception."""
    list(connector.read())
    try:
        return _write_batch(connector, changes)
    except AssertionError:
        raise
    except Exception as exc:
        raise AssertionError(
            f"{kit.name(connector)}: write() raised {type(exc).__name__}: {exc}"
        ) from exc


def _write_batch(connector: Connector, changes: Iterable[ClientChange]) -> WriteReport:
    report = connector.write(changes)
    kit.require(
        isinstance(report, WriteReport),
        connector,
        f"write() returned {report!r}; it must return a crmflags.connector.WriteReport",
    )
    return report


def _new_value(client: Client) -> str:
    """Return the one of WRITTEN_VALUES that the client's WRITTEN_FIELD does not have now."""
    current = client.risk.get(WRITTEN_FIELD)
    return WRITTEN_VALUES[1] if current == WRITTEN_VALUES[0] else WRITTEN_VALUES[0]
