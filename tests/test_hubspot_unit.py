"""The hubspot connector against recorded-shape answers (``responses``): HTTP, mapping, writes."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone

import pytest
import responses
from click.testing import CliRunner
from fakes.clock import FakeTime
from responses import matchers

from crmflags.cli import cli
from crmflags.connector import ClientChange, ConnectorOptions
from crmflags.errors import AuthError, InputError, QuotaSpent
from crmflags.model import Client, RecordFailure
from crmflags.yamlfile import load_yaml
from crmflags_hubspot.client import HubSpotError
from crmflags_hubspot.connector import HubSpotConnector
from crmflags_hubspot.mapping import RISK_PROPERTIES

BASE = "https://hubspot.test"
TOKEN = "pat-eu1-11111111-2222-3333-4444-555555555555"
LIST = f"{BASE}/crm/v3/objects/companies"
UPDATE = f"{BASE}/crm/v3/objects/companies/batch/update"
RELATED = ("calls", "emails", "meetings", "notes", "invoices")
#: The risk properties of a portal where crmflags setup ran, all unset.
SET_UP = {name: None for name in RISK_PROPERTIES.values()}


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def connector(monkeypatch, settings, fake_time) -> HubSpotConnector:
    monkeypatch.setenv("HUBSPOT_TOKEN", TOKEN)
    return HubSpotConnector(
        ConnectorOptions(settings=settings, base_url=BASE),
        sleep=fake_time.sleep,
        clock=fake_time.clock,
        backoff_factor=0,
    )


def listing(ids, after=None):
    body = {"results": [{"id": i, "properties": {"hs_object_id": i}} for i in ids]}
    if after:
        body["paging"] = {"next": {"after": after}}
    return body


def records(kind, items):
    """A batch/read answer of ``kind`` records; items are (id, properties)."""
    return {
        "status": "COMPLETE",
        "results": [{"id": i, "properties": p, "archived": False} for i, p in items],
        "startedAt": "2026-11-20T10:00:00Z",
        "completedAt": "2026-11-20T10:00:01Z",
    }


def links(pairs):
    """A v4 association batch read answer: {from id: [to ids]}."""
    return {
        "status": "COMPLETE",
        "results": [
            {
                "from": {"id": source},
                "to": [
                    {"toObjectId": int(t), "associationTypes": [{"category": "HUBSPOT_DEFINED"}]}
                    for t in targets
                ],
            }
            for source, targets in pairs.items()
        ],
    }


def no_links(ids):
    """The 207 HubSpot gives for records without associations (reference §8.4)."""
    return {
        "status": "COMPLETE",
        "results": [],
        "numErrors": len(ids),
        "errors": [
            {
                "status": "error",
                "category": "OBJECT_NOT_FOUND",
                "subCategory": "crm.associations.NO_ASSOCIATIONS_FOUND",
                "message": f"No associations found for {i}",
                "context": {"fromObjectId": [i]},
            }
            for i in ids
        ],
    }


def add_company_page(ids, companies=None, related=None):
    """Register the calls that read one page of companies (no related records by default)."""
    responses.get(LIST, json=listing(ids))
    # HubSpot returns the properties it has, unset ones as null (reference §2.2).
    companies = companies or [(i, {"name": f"Company {i}", **SET_UP}) for i in ids]
    responses.post(f"{LIST}/batch/read", json=records("companies", companies))
    related = related or {}
    for kind in RELATED:
        pairs, items = related.get(kind, ({}, []))
        url = f"{BASE}/crm/v4/associations/companies/{kind}/batch/read"
        if pairs:
            responses.post(url, json=links(pairs))
            responses.post(f"{BASE}/crm/v3/objects/{kind}/batch/read", json=records(kind, items))
        else:
            responses.post(url, json=no_links(ids), status=207)


def body_of(call) -> dict:
    return json.loads(call.request.body)


# --- settings ---------------------------------------------------------------


def test_a_missing_token_is_exit_2_telling_how_to_set_it(monkeypatch, settings):
    monkeypatch.delenv("HUBSPOT_TOKEN", raising=False)
    with pytest.raises(InputError) as caught:
        HubSpotConnector(ConnectorOptions(settings=settings))
    assert caught.value.exit_code == 2
    assert "HUBSPOT_TOKEN" in str(caught.value) and "token_file:" in str(caught.value)


def test_the_token_can_come_from_token_file_relative_to_the_config(monkeypatch, settings, tmp_path):
    monkeypatch.delenv("HUBSPOT_TOKEN", raising=False)
    (tmp_path / "token").write_text(TOKEN + "\n")
    options = ConnectorOptions(
        settings=settings,
        config={"token_file": "token", "portal": 4242},
        config_path=tmp_path / "crmflags.yaml",
    )
    connector = HubSpotConnector(options)
    assert connector.settings.token == TOKEN
    assert connector.source_key() == "hubspot:4242"


@pytest.mark.parametrize(
    ("section", "problem"),
    [
        ("  token_file: empty-token\n", "token_file: {folder}/empty-token is empty"),
        ("  token_file: no-such-file\n", "cannot read token_file: {folder}/no-such-file"),
        ("  timeout: 0\n", "timeout must be a number of seconds above 0"),
        ("  requests_per_10s: 400\n", "requests_per_10s must be a whole number 1-250"),
        ("  properties:\n    team_moral: x\n", "unknown field 'team_moral' (did you mean"),
        ("  fields: lifecyclestage\n", "fields must be a list of HubSpot property names"),
    ],
)
def test_a_bad_setting_is_exit_2_naming_its_line(monkeypatch, settings, tmp_path, section, problem):
    monkeypatch.delenv("HUBSPOT_TOKEN", raising=False)
    (tmp_path / "empty-token").write_text("\n")
    (tmp_path / "token").write_text(TOKEN)
    path = tmp_path / "crmflags.yaml"
    text = "hubspot:\n" + ("" if "token_file" in section else "  token_file: token\n") + section
    path.write_text(text)
    options = ConnectorOptions(
        settings=settings, config=load_yaml(path)["hubspot"], config_path=path
    )
    with pytest.raises(InputError) as caught:
        HubSpotConnector(options)
    last_line = text.count("\n")  # the faulty key is on the section's last line
    assert str(caught.value).startswith(f"{path}:{last_line}: ")
    assert problem.format(folder=tmp_path) in str(caught.value)


def test_a_base_url_with_a_query_string_is_refused_without_repeating_it(monkeypatch, settings):
    monkeypatch.setenv("HUBSPOT_TOKEN", TOKEN)
    with pytest.raises(InputError, match="https://api.hubapi.com") as caught:
        HubSpotConnector(ConnectorOptions(settings=settings, base_url=f"{BASE}/?hapikey=sec-ret"))
    assert "sec-ret" not in str(caught.value)


def test_source_key_without_portal_is_the_api_host(connector):
    assert connector.source_key() == "hubspot:hubspot.test"


def test_an_unknown_setting_is_named_with_a_hint(monkeypatch, settings):
    monkeypatch.setenv("HUBSPOT_TOKEN", TOKEN)
    with pytest.raises(InputError, match="unknown hubspot setting 'portl' .*'portal'"):
        HubSpotConnector(ConnectorOptions(settings=settings, config={"portl": 1}))


# --- HTTP -------------------------------------------------------------------


@responses.activate
def test_every_request_carries_the_bearer_token_and_is_counted(connector):
    add_company_page(["1", "2"])
    clients = list(connector.read())
    assert [c.id for c in clients] == ["1", "2"]
    assert all(c.request.headers["Authorization"] == f"Bearer {TOKEN}" for c in responses.calls)
    # list + company batch read + 5 association reads (nothing associated)
    assert connector.api_calls == len(responses.calls) == 7


@responses.activate
def test_401_is_exit_3_with_hubspots_message_and_no_token(monkeypatch):
    monkeypatch.setenv("HUBSPOT_TOKEN", TOKEN)
    responses.get(
        LIST,
        status=401,
        json={
            "status": "error",
            "message": "Authentication credentials not found.",
            "category": "INVALID_AUTHENTICATION",
            "correlationId": "4f6a1c1e-0000-4000-8000-000000000001",
        },
    )
    result = CliRunner().invoke(
        cli, ["evaluate", "--connector", "hubspot", "--base-url", BASE], catch_exceptions=False
    )
    assert result.exit_code == 3
    assert "Authentication credentials not found." in result.stderr
    assert "4f6a1c1e-0000-4000-8000-000000000001" in result.stderr
    assert TOKEN not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


@responses.activate
def test_403_names_the_missing_scopes(connector):
    responses.get(
        LIST,
        status=403,
        json={
            "status": "error",
            "message": "This app hasn't been granted all required scopes to make this call.",
            "category": "MISSING_SCOPES",
            "correlationId": "c0ffee00-0000-4000-8000-000000000002",
            "errors": [
                {
                    "message": "One or more of the following scopes are required.",
                    "context": {"requiredGranularScopes": ["crm.objects.companies.read"]},
                }
            ],
        },
    )
    with pytest.raises(AuthError) as caught:
        list(connector.read())
    assert caught.value.exit_code == 3
    message = str(caught.value)
    assert "403 MISSING_SCOPES" in message
    assert "crm.objects.companies.read" in message
    assert TOKEN not in message


@responses.activate
def test_429_waits_as_retry_after_says_then_goes_on(connector, fake_time):
    limited = {
        "status": "error",
        "message": "You have reached your ten_secondly_rolling limit.",
        "errorType": "RATE_LIMIT",
        "correlationId": "aa",
        "policyName": "TEN_SECONDLY_ROLLING",
    }
    responses.get(LIST, status=429, json=limited, headers={"Retry-After": "3"})
    add_company_page(["1"])
    assert [c.id for c in connector.read()] == ["1"]
    assert fake_time.sleeps == [3.0]
    assert connector.api_calls == 8


@responses.activate
def test_429_without_retry_after_waits_the_rest_of_the_window(connector, fake_time):
    responses.get(
        LIST,
        status=429,
        json={"status": "error", "message": "You have reached your secondly limit."},
        headers={"X-HubSpot-RateLimit-Interval-Milliseconds": "10000"},
    )
    add_company_page(["1"])
    assert [c.id for c in connector.read()] == ["1"]
    assert fake_time.sleeps == [10.0]


@responses.activate
def test_a_search_429_waits_a_second_not_the_ten_second_window(connector, fake_time):
    search = f"{BASE}/crm/v3/objects/companies/search"
    secondly = {"status": "error", "message": "You have reached your secondly limit."}
    responses.post(search, status=429, json={**secondly, "category": "RATE_LIMITS"})
    responses.post(search, json={"total": 0, "results": []})
    assert connector.http.post("/crm/v3/objects/companies/search", {})["total"] == 0
    assert fake_time.sleeps == [1.0]  # search 429s carry no rate headers (reference §7.2)


@responses.activate
def test_the_daily_limit_stops_the_run(connector, fake_time):
    responses.get(
        LIST,
        status=429,
        json={"message": "You have reached your daily limit.", "policyName": "DAILY"},
    )
    with pytest.raises(QuotaSpent, match="daily API limit is used up") as stopped:
        list(connector.read())
    assert stopped.value.exit_code == 1 and stopped.value.written == set()
    assert fake_time.sleeps == []


@responses.activate
def test_5xx_is_retried_and_each_try_counted(connector):
    responses.get(LIST, status=502, json={"message": "Bad gateway"})
    responses.get(LIST, status=503, json={"message": "Unavailable"})
    add_company_page(["1"])
    assert [c.id for c in connector.read()] == ["1"]
    assert connector.api_calls == 9


@responses.activate
def test_an_error_body_is_surfaced_with_status_category_and_correlation_id(connector):
    responses.get(
        LIST,
        status=400,
        json={
            "status": "error",
            "message": "Invalid input JSON",
            "category": "VALIDATION_ERROR",
            "correlationId": "bb-11",
        },
    )
    with pytest.raises(HubSpotError) as caught:
        list(connector.read())
    assert str(caught.value) == (
        "HubSpot answered GET /crm/v3/objects/companies with "
        "400 VALIDATION_ERROR: Invalid input JSON (correlationId bb-11)"
    )


@responses.activate
def test_pacing_keeps_below_the_configured_burst(monkeypatch, settings, fake_time):
    monkeypatch.setenv("HUBSPOT_TOKEN", TOKEN)
    connector = HubSpotConnector(
        ConnectorOptions(settings=settings, base_url=BASE, config={"requests_per_10s": 3}),
        sleep=fake_time.sleep,
        clock=fake_time.clock,
    )
    add_company_page(["1"])
    list(connector.read())
    assert connector.api_calls == 7
    assert fake_time.sleeps == [10.0, 10.0]  # requests 4 and 7 wait for the window


# --- reading ----------------------------------------------------------------


@responses.activate
def test_companies_are_read_by_pages_in_batches_of_at_most_100(connector):
    first = [str(i) for i in range(1, 101)]
    responses.get(
        LIST,
        json=listing(first, after="100"),
        match=[matchers.query_param_matcher({"limit": "100", "properties": "hs_object_id"})],
    )
    responses.post(
        f"{LIST}/batch/read", json=records("companies", [(i, {"name": i}) for i in first])
    )
    for kind in RELATED:
        responses.post(
            f"{BASE}/crm/v4/associations/companies/{kind}/batch/read",
            json=no_links(first),
            status=207,
        )
    add_company_page(["101"])
    clients = list(connector.read())
    assert len(clients) == 101
    assert responses.calls[7].request.params == {
        "limit": "100",
        "properties": "hs_object_id",
        "after": "100",
    }
    for call in responses.calls:
        if call.request.method == "POST":
            assert len(body_of(call)["inputs"]) <= 100


@responses.activate
def test_company_properties_travel_in_the_body_not_the_url(connector):
    add_company_page(["1"])
    list(connector.read())
    read = next(c for c in responses.calls if c.request.url.endswith("/companies/batch/read"))
    body = body_of(read)
    assert body["inputs"] == [{"id": "1"}]
    assert body["propertiesWithHistory"] == []
    assert {"name", "crmflags_risk_level", "crmflags_team_morale"} <= set(body["properties"])


ACME = {
    "name": "Acme Kft",
    "domain": "acme.example",
    "industry": "Design",
    "crmflags_hourly_rate_target": "45.5",
    "crmflags_gut_feeling": "true",
    "crmflags_team_morale": None,
    "crmflags_risk_level": "watch",
    "crmflags_risk_score": "4",
    "crmflags_risk_tags": "late_payer",
    "crmflags_risk_reasons": None,
    "crmflags_risk_changed_at": None,
}


@responses.activate
def test_a_company_and_its_history_map_to_one_client(connector, settings):
    add_company_page(
        ["7"],
        companies=[("7", ACME)],
        related={
            # 23:00 in Budapest is 22:00 UTC in winter
            "calls": (
                {"7": ["31"]},
                [
                    (
                        "31",
                        {
                            "hs_timestamp": "2026-11-18T22:00:00.000Z",
                            "hs_call_direction": "INBOUND",
                            "hs_call_title": "Urgent",
                        },
                    )
                ],
            ),
            "emails": (
                {"7": ["41", "42"]},
                [
                    (
                        "41",
                        {
                            "hs_timestamp": "2026-11-17T09:15:00Z",
                            "hs_email_direction": "INCOMING_EMAIL",
                            "hs_email_subject": "Re: draft",
                        },
                    ),
                    (
                        "42",
                        {
                            "hs_timestamp": "1763370000000",
                            "hs_email_direction": "EMAIL",
                            "hs_email_subject": "Draft",
                        },
                    ),
                ],
            ),
            "notes": (
                {"7": ["51"]},
                [
                    (
                        "51",
                        {
                            "hs_timestamp": "2026-11-19T10:00:00Z",
                            "hs_note_body": "<p>They said &quot;no&quot;</p><p>again</p>",
                        },
                    )
                ],
            ),
            "invoices": (
                {"7": ["61", "62"]},
                [
                    (
                        "61",
                        {
                            "hs_invoice_status": "paid",
                            "hs_invoice_date": "2026-09-01",
                            "hs_due_date": "2026-09-15T00:00:00Z",
                            "hs_amount_billed": "1200.00",
                            "hs_currency": "EUR",
                            "hs_payment_date": "2026-10-02",
                        },
                    ),
                    (
                        "62",
                        {
                            "hs_invoice_status": "draft",
                            "hs_due_date": "2026-12-01",
                            "hs_amount_billed": "5",
                        },
                    ),
                ],
            ),
        },
    )
    [client] = list(connector.read())
    assert isinstance(client, Client)
    assert (client.id, client.name, client.business_type) == ("7", "Acme Kft", "Design")
    assert client.hourly_rate_target == 45.5 and client.gut_feeling is True
    assert client.team_morale is None
    assert client.risk == {
        "risk_level": "watch",
        "risk_score": "4",
        "risk_tags": "late_payer",
        "risk_reasons": None,
        "risk_changed_at": None,
    }
    assert client.fields == {"domain": "acme.example"}
    call, inbound, outbound = sorted(client.activities, key=lambda a: a.kind + a.direction)
    assert (call.kind, call.direction, call.subject) == ("call", "inbound", "Urgent")
    assert call.occurred_at == datetime(2026, 11, 18, 22, tzinfo=timezone.utc)
    local = call.occurred_at.astimezone(settings.timezone)
    assert local.hour == 23 and settings.business_hours.is_outside(local)
    assert (inbound.kind, inbound.direction) == ("email", "inbound")
    assert (outbound.kind, outbound.direction) == ("email", "outbound")
    assert outbound.occurred_at == datetime(2025, 11, 17, 9, tzinfo=timezone.utc)
    [note] = client.notes
    assert note.body == 'They said "no"\nagain' and note.marker is None
    [invoice] = client.invoices  # the draft is left out
    assert (invoice.invoice_id, invoice.issued_on, invoice.due_on, invoice.paid_on) == (
        "61",
        date(2026, 9, 1),
        date(2026, 9, 15),
        date(2026, 10, 2),
    )
    assert (invoice.amount, invoice.currency) == (1200.0, "EUR")
    assert connector.warnings() == []


@responses.activate
def test_association_paging_is_followed(connector):
    responses.get(LIST, json=listing(["1"]))
    responses.post(f"{LIST}/batch/read", json=records("companies", [("1", {"name": "A"})]))
    calls_url = f"{BASE}/crm/v4/associations/companies/calls/batch/read"
    first = links({"1": ["10"]})
    first["results"][0]["paging"] = {"next": {"after": "c1"}}
    responses.post(calls_url, json=first)
    responses.post(calls_url, json=links({"1": ["11"]}))
    responses.post(
        f"{BASE}/crm/v3/objects/calls/batch/read",
        json=records(
            "calls", [(i, {"hs_timestamp": "2026-11-02T10:00:00Z"}) for i in ("10", "11")]
        ),
    )
    for kind in RELATED[1:]:
        responses.post(
            f"{BASE}/crm/v4/associations/companies/{kind}/batch/read",
            json=no_links(["1"]),
            status=207,
        )
    [client] = list(connector.read())
    assert len(client.activities) == 2
    pages = [body_of(c) for c in responses.calls if c.request.url == calls_url]
    assert pages == [{"inputs": [{"id": "1"}]}, {"inputs": [{"id": "1", "after": "c1"}]}]
    read = next(c for c in responses.calls if "/objects/calls/batch/read" in c.request.url)
    assert body_of(read)["inputs"] == [{"id": "10"}, {"id": "11"}]


@responses.activate
def test_broken_data_fails_only_that_company(connector):
    add_company_page(
        ["1", "2"],
        companies=[
            ("1", {"name": "A", "crmflags_hourly_rate_target": "lots"}),
            ("2", {"name": "B"}),
        ],
    )
    first, second = list(connector.read())
    assert first == RecordFailure(
        "1", "company 1: crmflags_hourly_rate_target: 'lots' is not a number"
    )
    assert isinstance(second, Client) and second.id == "2"


@responses.activate
def test_a_paid_invoice_without_a_payment_date_is_on_time_with_a_warning(connector):
    add_company_page(
        ["1"],
        related={
            "invoices": (
                {"1": ["9"]},
                [
                    (
                        "9",
                        {
                            "hs_invoice_status": "paid",
                            "hs_invoice_date": "2026-01-01",
                            "hs_due_date": "2026-01-15",
                            "hs_amount_billed": "10",
                        },
                    )
                ],
            )
        },
    )
    [client] = list(connector.read())
    assert client.invoices[0].paid_on == date(2026, 1, 15)
    assert connector.warnings() == [
        "1 paid invoice has no hs_payment_date (invoice 9): counted as paid on its due date"
    ]


@responses.activate
def test_a_read_before_setup_says_to_run_it_without_another_call(connector):
    add_company_page(["1", "2"], companies=[("1", {"name": "A"}), ("2", {"name": "B"})])
    assert len(list(connector.read())) == 2
    assert connector.warnings() == [
        "HubSpot has no company properties crmflags_risk_changed_at, crmflags_risk_level, "
        "crmflags_risk_reasons, crmflags_risk_score, crmflags_risk_tags yet: run "
        "`crmflags setup --connector hubspot` before the first sync"
    ]
    assert not any("/properties/" in call.request.url for call in responses.calls)


@responses.activate
def test_many_undated_invoices_are_named_as_invoices(connector):
    paid = {
        "hs_invoice_status": "paid",
        "hs_invoice_date": "2026-01-01",
        "hs_due_date": "2026-01-15",
        "hs_amount_billed": "10",
    }
    invoices = [(str(i), paid) for i in range(1002, 1009)]
    add_company_page(["1"], related={"invoices": ({"1": [i for i, _ in invoices]}, invoices)})
    list(connector.read())
    assert connector.warnings() == [
        "7 paid invoices have no hs_payment_date (invoices 1002, 1003, 1004, 1005, 1006 and "
        "2 more): counted as paid on their due date"
    ]


# --- writing ----------------------------------------------------------------


PROPERTIES = f"{BASE}/crm/v3/properties/companies"


@pytest.fixture
def writer(connector) -> HubSpotConnector:
    """The connector on a portal where setup ran (it asks once, before its first write)."""
    listed = [{"name": name, "type": "string"} for name in ["name", *RISK_PROPERTIES.values()]]
    responses.get(PROPERTIES, json={"results": listed})
    return connector


def updates() -> list:
    return [c for c in responses.calls if c.request.url == UPDATE]


@responses.activate
def test_only_the_changed_risk_properties_are_sent(writer):
    responses.post(UPDATE, json={"status": "COMPLETE", "results": [{"id": "7", "properties": {}}]})
    report = writer.write([ClientChange("7", {"risk_level": "fire", "risk_tags": ""})])
    assert report.written == 1 and report.failures == []
    assert body_of(updates()[0]) == {
        "inputs": [
            {
                "id": "7",
                "properties": {"crmflags_risk_level": "fire", "crmflags_risk_tags": ""},
                "objectWriteTraceId": "7",
            }
        ]
    }
    assert writer.api_calls == 2  # the properties asked once, then the update


@responses.activate
def test_updates_go_in_batches_of_at_most_100(writer):
    responses.post(UPDATE, json={"status": "COMPLETE", "results": []})
    changes = [ClientChange(str(i), {"risk_score": "3"}) for i in range(250)]
    report = writer.write(changes)
    assert [len(body_of(c)["inputs"]) for c in updates()] == [100, 100, 50]
    assert report.written == 250 and writer.api_calls == 4


@responses.activate
def test_a_207_fails_only_the_rejected_record(writer):
    responses.post(
        UPDATE,
        status=207,
        json={
            "status": "COMPLETE",
            "results": [{"id": "1", "properties": {}}, {"id": "3", "properties": {}}],
            "numErrors": 1,
            "errors": [
                {
                    "status": "error",
                    "category": "OBJECT_NOT_FOUND",
                    "message": "Object not found. objectId are usually numeric.",
                    "context": {"ids": ["2"]},
                }
            ],
        },
    )
    report = writer.write([ClientChange(i, {"risk_level": "watch"}) for i in ("1", "2", "3")])
    assert report.written == 2
    assert report.failures == [
        RecordFailure(
            "2",
            "HubSpot rejected the update: OBJECT_NOT_FOUND: "
            "Object not found. objectId are usually numeric.",
        )
    ]


@responses.activate
def test_a_batch_rejected_as_a_whole_fails_its_records_and_the_next_batch_goes(writer):
    responses.post(
        UPDATE,
        status=400,
        json={
            "status": "error",
            "message": "Property values were not valid",
            "category": "VALIDATION_ERROR",
            "correlationId": "cc",
        },
    )
    responses.post(UPDATE, json={"status": "COMPLETE", "results": []})
    report = writer.write([ClientChange(str(i), {"risk_level": "ok"}) for i in range(101)])
    assert report.written == 1
    assert len(report.failures) == 100
    assert report.failures[0].reason == (
        "HubSpot rejected the update: 400 VALIDATION_ERROR: "
        "Property values were not valid (correlationId cc)"
    )


@responses.activate
def test_5xx_to_the_end_of_the_retries_stops_the_run_with_hubspots_answer(connector):
    for _ in range(5):
        responses.get(LIST, status=504, json={"message": "Gateway timeout", "correlationId": "dd"})
    with pytest.raises(HubSpotError, match="with 504: Gateway timeout \\(correlationId dd\\)"):
        list(connector.read())
    assert connector.api_calls == 5  # the first try and 4 retries
