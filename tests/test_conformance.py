"""The connector conformance kit: our connectors pass it, a broken connector fails it clearly."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from fakes.hubspot import FakeHubSpot

from crmflags.connector import ClientChange, Connector, ConnectorOptions, WriteReport
from crmflags.errors import AuthError, InputError
from crmflags.model import RISK_FIELDS, Activity, Client, RecordFailure
from crmflags.settings import Settings
from crmflags.testing import (
    check_clients,
    check_empty_source,
    check_idempotent,
    check_no_secret_in_errors,
    check_record_failures,
    check_writes_only_what_asked,
    run_conformance,
)
from crmflags_csv import CsvConnector
from crmflags_hubspot import HubSpotConnector

SETTINGS = Settings(timezone=ZoneInfo("Europe/Budapest"), timezone_name="Europe/Budapest")
ALL_CHECKS = [
    "check_source_key",
    "check_clients",
    "check_empty_source",
    "check_writes_only_what_asked",
    "check_idempotent",
    "check_record_failures",
]


# ----- the csv connector ---------------------------------------------------------------


@pytest.mark.parametrize(
    "clients",
    [
        "id,name,email,risk_level,outcome\n"
        "c-1,Acme Kft,a@acme.example,ok,kept\n"
        "c-2,Beta Oy,,watch,fired\n"
        "c-3,Gamma SIA,,,\n",
        # No risk columns yet: the first write adds them, empty for the other clients.
        "id,name,outcome\nc-1,Acme Kft,kept\nc-2,Beta Oy,fired\n",
    ],
    ids=["risk columns", "no risk columns"],
)
def test_the_csv_connector_conforms(tmp_path, clients):
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    (bundle / "clients.csv").write_text(clients, encoding="utf-8")
    (bundle / "invoices.csv").write_text(
        "client_id,invoice_id,issued_on,due_on,amount,paid_on\n"
        "c-1,i-1,2026-01-05,2026-01-20,1200,2026-01-19\n"
        "c-2,i-2,2026-02-01,2026-02-15,300,\n",
        encoding="utf-8",
    )
    (bundle / "activities.csv").write_text(
        "client_id,occurred_at,kind,direction\n"
        "c-1,2026-03-02 21:15,email,inbound\n"
        "c-2,2026-03-07,call,outbound\n",
        encoding="utf-8",
    )
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "clients.csv").write_text("id,name\n", encoding="utf-8")

    def csv_over(folder):
        return lambda: CsvConnector(ConnectorOptions(settings=SETTINGS, source=folder))

    assert run_conformance(csv_over(bundle), make_empty_connector=csv_over(empty)) == ALL_CHECKS


# ----- the hubspot connector -----------------------------------------------------------

GOOD_TOKEN = "pat-good-0123456789abcdef"
BAD_TOKEN = "pat-wrong-9876543210fedcba"


def hubspot_over(fake: FakeHubSpot, token_file):
    """Return a factory of hubspot connectors for ``fake`` reading the token from a file."""
    options = ConnectorOptions(
        settings=SETTINGS,
        base_url=fake.base_url,
        config={"token_file": str(token_file), "requests_per_10s": 250},
    )
    return lambda: HubSpotConnector(options, sleep=lambda seconds: None)


@pytest.fixture
def hubspot_tokens(tmp_path, monkeypatch):
    """The token files of the good and the wrong token (HUBSPOT_TOKEN would override them)."""
    monkeypatch.delenv("HUBSPOT_TOKEN", raising=False)
    good, bad = tmp_path / "good-token", tmp_path / "bad-token"
    good.write_text(GOOD_TOKEN)
    bad.write_text(BAD_TOKEN)
    return good, bad


def test_the_hubspot_connector_conforms(hubspot_tokens):
    good, bad = hubspot_tokens
    with FakeHubSpot({GOOD_TOKEN: None}) as fake, FakeHubSpot({GOOD_TOKEN: None}) as empty:
        for company in ("Acme Kft", "Beta Oy", "Gamma SIA"):
            company_id = fake.add_company({"name": company, "domain": "example.com"})
            fake.add_engagement(
                "calls",
                company_id,
                {"hs_timestamp": "2026-03-02T20:15:00Z", "hs_call_direction": "INBOUND"},
            )
        fake.add_engagement(
            "notes", fake.ids()[0], {"hs_timestamp": "2026-03-03T09:00:00Z", "hs_note_body": "hi"}
        )
        for server in (fake, empty):
            assert hubspot_over(server, good)().setup()  # crmflags setup: the risk properties
        passed = run_conformance(
            hubspot_over(fake, good),
            make_empty_connector=hubspot_over(empty, good),
            make_connector_with_bad_secret=hubspot_over(fake, bad),
            secret=BAD_TOKEN,
        )
    assert passed == [*ALL_CHECKS, "check_no_secret_in_errors"]


# ----- a deliberately broken connector -------------------------------------------------

SECRET = "s3cret-token-0123456789"
ZONE = ZoneInfo("Europe/Budapest")


def client(client_id: str, level: str | None = None) -> Client:
    """A client with one aware activity and all risk fields (``risk_level`` set to ``level``)."""
    return Client(
        id=client_id,
        name=f"Client {client_id}",
        activities=[Activity(datetime(2026, 3, 2, 21, 15, tzinfo=ZONE), "email")],
        risk={**dict.fromkeys(RISK_FIELDS), "risk_level": level},
        fields={"outcome": "kept"},
    )


class MemoryConnector(Connector):
    """A correct connector over a list of clients held in memory (the "source").

    ``defects`` names the ways it is broken, for the tests that show the kit catches them.
    """

    name = "memory"

    def __init__(self, store: list[Client], defects: frozenset[str] = frozenset(), token=""):
        super().__init__(ConnectorOptions(settings=SETTINGS))
        self.store, self.defects = store, defects
        if token != SECRET and "leaks token" in defects:
            raise AuthError(f"the token {token} was refused")
        if token != SECRET and "wrong exit code" in defects:
            raise InputError("the token was refused")
        if token != SECRET and "accepts any token" not in defects:
            raise AuthError("the token was refused; check MEMORY_TOKEN")

    def read(self) -> Iterator[Client | RecordFailure]:
        for stored in self.store:
            record = dataclasses.replace(stored, risk=dict(stored.risk))
            if "naive datetimes" in self.defects:
                record.activities = [
                    dataclasses.replace(a, occurred_at=a.occurred_at.replace(tzinfo=None))
                    for a in record.activities
                ]
            if "unknown kind" in self.defects:
                record.activities = [dataclasses.replace(a, kind="fax") for a in record.activities]
            if "drops risk keys" in self.defects:
                record.risk = {k: v for k, v in record.risk.items() if v is not None}
            yield record
        if "duplicate ids" in self.defects and self.store:
            yield self.store[0]
        if "yields dicts" in self.defects:
            yield {"id": "x"}

    def write(self, changes: Iterable[ClientChange]) -> WriteReport:
        report = WriteReport()
        if "fake writes" in self.defects:
            report.written = 1
        by_id = {c.id: c for c in self.store}
        for change in changes:
            if change.client_id not in by_id:
                if "raises on unknown ids" in self.defects:
                    raise KeyError(change.client_id)
                report.failures.append(RecordFailure(change.client_id, "no such client"))
                continue
            targets = (
                self.store if "writes every client" in self.defects else [by_id[change.client_id]]
            )
            for target in targets:
                for field, value in change.fields.items():
                    if "clears an equal value" in self.defects and target.risk[field] == value:
                        value = None
                    target.risk[field] = value
                    if "writes every field" in self.defects:
                        target.risk.update(dict.fromkeys(RISK_FIELDS, value))
            report.written += 1
        return report


def memory(*defects: str, clients: int = 2):
    """Return a factory of memory connectors with ``defects`` over one shared store."""
    store = [client(f"m-{n}", "ok") for n in range(1, clients + 1)]
    return lambda token=SECRET: MemoryConnector(store, frozenset(defects), token)


def test_a_correct_connector_passes_every_check():
    make = memory()
    assert run_conformance(
        make,
        make_empty_connector=memory(clients=0),
        make_connector_with_bad_secret=lambda: make("wrong"),
        secret="wrong",
    ) == [*ALL_CHECKS, "check_no_secret_in_errors"]


@pytest.mark.parametrize(
    ("defect", "message"),
    [
        (
            "naive datetimes",
            r"connector 'memory': read\(\) gave records that are not canonical:\n"
            r"- client 'm-1' \(record 1\): activity 1: occurred_at 2026-03-02T21:15:00 is naive",
        ),
        ("unknown kind", r"client 'm-2' \(record 2\): activity 1: kind is 'fax'; expected one of"),
        ("drops risk keys", r"risk must have exactly the keys .*; missing risk_score"),
        ("duplicate ids", r"record 3\): id 'm-1' was already read"),
        ("yields dicts", r"record 3: is a dict, not a Client or RecordFailure"),
    ],
)
def test_check_clients_names_the_client_and_what_is_wrong(defect, message):
    with pytest.raises(AssertionError, match=message):
        check_clients(memory(defect)())


def test_writing_every_client_fails_writes_only_what_asked():
    with pytest.raises(
        AssertionError,
        match=r"after writing only risk_level='watch' to client 'm-1', the source is not as "
        r"expected:\n- client 'm-2': risk\['risk_level'\] expected 'ok', read 'watch'",
    ):
        check_writes_only_what_asked(memory("writes every client"))


def test_writing_every_field_fails_writes_only_what_asked():
    with pytest.raises(
        AssertionError, match=r"client 'm-1': .*risk\['risk_reasons'\] expected None, read 'watch'"
    ):
        check_writes_only_what_asked(memory("writes every field"))


def test_reporting_a_write_of_nothing_fails_writes_only_what_asked():
    with pytest.raises(
        AssertionError,
        match=r"connector 'memory': writing no changes reported 1 written and failures \[\]",
    ):
        check_writes_only_what_asked(memory("fake writes"))


def test_an_empty_source_that_reports_writes_fails_the_empty_check():
    with pytest.raises(AssertionError, match=r"writing no changes to an empty source reported 1"):
        check_empty_source(memory("fake writes", clients=0))


def test_a_non_empty_source_fails_the_empty_check():
    with pytest.raises(AssertionError, match=r"read 2 record\(s\) from an empty source"):
        check_empty_source(memory())


def test_clearing_an_equal_value_fails_the_idempotence_check():
    with pytest.raises(
        AssertionError,
        match=r"after writing the same change a second time, the source is not as expected:\n"
        r"- client 'm-1': risk\['risk_level'\] expected 'watch', read None",
    ):
        check_idempotent(memory("clears an equal value"))


def test_raising_on_an_unknown_id_fails_the_record_failure_check():
    with pytest.raises(
        AssertionError,
        match=r"write\(\) raised KeyError for a change to the unknown client '999999999' .*"
        r"it must report a RecordFailure",
    ):
        check_record_failures(memory("raises on unknown ids"))


def test_a_leaked_token_fails_without_the_message_showing_it():
    make = memory("leaks token")
    with pytest.raises(
        AssertionError, match=r"the error for a wrong secret shows it \(or part of it\)"
    ) as failure:
        check_no_secret_in_errors(lambda: make("pat-wrong-0123456789"), "pat-wrong-0123456789")
    assert "0123456789" not in str(failure.value)


@pytest.mark.parametrize(
    ("defect", "message"),
    [
        ("accepts any token", r"with a wrong secret read its source without an error"),
        (
            "wrong exit code",
            r"raised InputError with exit code 2 .*expected .*AuthError \(exit 3\)",
        ),
    ],
)
def test_a_wrong_secret_must_be_an_auth_error(defect, message):
    make = memory(defect)
    with pytest.raises(AssertionError, match=message):
        check_no_secret_in_errors(lambda: make("wrong-token"), "wrong-token")


def test_the_write_checks_need_a_client():
    with pytest.raises(AssertionError, match=r"need a source with at least one client"):
        check_writes_only_what_asked(memory(clients=0))
