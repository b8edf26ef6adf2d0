"""The pipedrive connector and crmflags.http against recorded-shape answers (``responses``)."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses
from fakes.clock import FakeTime
from responses import matchers

from crmflags.connector import ClientChange, ConnectorOptions
from crmflags.errors import AuthError, InputError
from crmflags.http import Pacer, retry_after_seconds, retrying_session
from crmflags.loading.config import load_config
from crmflags.model import RecordFailure
from crmflags.tags import LEVELS
from crmflags_pipedrive.client import BudgetSpent, PipedriveError, scrub
from crmflags_pipedrive.connector import PipedriveConnector
from crmflags_pipedrive.cursor import Cursor

BASE = "https://acme.pipedrive.com"
TOKEN = "pd-0123456789abcdef0123456789abcdef01234567"
ORGS = f"{BASE}/api/v2/organizations"
PERSONS = f"{BASE}/api/v2/persons"
DEALS = f"{BASE}/api/v2/deals"
ACTIVITIES = f"{BASE}/api/v2/activities"
NOTES = f"{BASE}/api/v1/notes"
FIELDS = f"{BASE}/api/v2/organizationFields"
LEVEL_CODE, TAGS_CODE, SCORE_CODE = "a" * 40, "b" * 40, "c" * 40
REASONS_CODE, CHANGED_CODE, RATE_CODE = "d" * 40, "e" * 40, "f" * 40
TAG_IDS = {"late_payer": 11, "scope_creep": 12, "after_hours": 13}
LEVEL_IDS = {level: 21 + n for n, level in enumerate(LEVELS)}


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


def make(settings, fake_time, config=None, **kwargs) -> PipedriveConnector:
    options = ConnectorOptions(
        settings=settings, config={"domain": "acme", **(config or {})}, **kwargs
    )
    return PipedriveConnector(
        options,
        sleep=fake_time.sleep,
        clock=fake_time.clock,
        backoff_factor=0,
        now=lambda: datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc),
    )


@pytest.fixture
def connector(monkeypatch, settings, fake_time) -> PipedriveConnector:
    monkeypatch.setenv("PIPEDRIVE_API_TOKEN", TOKEN)
    monkeypatch.delenv("PIPEDRIVE_ACCESS_TOKEN", raising=False)
    return make(settings, fake_time)


def field(code, name, field_type, options=None, custom=True):
    return {
        "field_code": code,
        "field_name": name,
        "field_type": field_type,
        "options": [{"id": i, "label": label} for label, i in (options or {}).items()] or None,
        "is_custom_field": custom,
    }


RISK_DEFINITIONS = [
    field("name", "Name", "varchar", custom=False),
    field(LEVEL_CODE, "crmflags risk level", "enum", LEVEL_IDS),
    field(SCORE_CODE, "crmflags risk score", "double"),
    field(TAGS_CODE, "crmflags risk tags", "set", TAG_IDS),
    field(REASONS_CODE, "crmflags risk reasons", "text"),
    field(CHANGED_CODE, "crmflags risk changed at", "date"),
    field(RATE_CODE, "Hourly rate", "double"),
]


def v2(items, cursor=None):
    return {"success": True, "data": items, "additional_data": {"next_cursor": cursor}}


def add_fields(definitions=None):
    responses.get(FIELDS, json=v2(RISK_DEFINITIONS if definitions is None else definitions))


def add_lists(orgs=(), persons=(), deals=(), activities=(), notes=()):
    responses.get(ORGS, json=v2(list(orgs)))
    responses.get(PERSONS, json=v2(list(persons)))
    responses.get(DEALS, json=v2(list(deals)))
    responses.get(ACTIVITIES, json=v2(list(activities)))
    responses.get(NOTES, json={"success": True, "data": list(notes), "additional_data": {}})


def org(org_id, name="Acme Kft", **custom):
    return {"id": org_id, "name": name, "is_deleted": False, "custom_fields": custom}


def query(call) -> dict[str, list[str]]:
    return parse_qs(urlsplit(call.request.url).query)


# ----- crmflags.http -----------------------------------------------------------------


def test_the_pacer_sleeps_only_when_the_window_is_full(fake_time):
    pacer = Pacer(3, 2.0, fake_time.clock, fake_time.sleep)
    for _ in range(3):
        pacer.wait_turn()
    assert fake_time.sleeps == []
    fake_time.now += 0.5
    pacer.wait_turn()
    assert fake_time.sleeps == [1.5]  # until the first request leaves the 2-second window


@responses.activate
def test_a_retrying_session_retries_5xx_counts_each_retry_and_leaves_429_alone():
    retried = []
    session = retrying_session(backoff_factor=0, on_retry=lambda: retried.append(1))
    responses.get("https://x.test/a", status=502)
    responses.get("https://x.test/a", status=200, json={"ok": True})
    assert session.get("https://x.test/a").json() == {"ok": True}
    assert len(retried) == 1
    responses.get("https://x.test/b", status=429)
    responses.get("https://x.test/b", status=200)
    assert session.get("https://x.test/b").status_code == 429
    assert len(retried) == 1


def test_retry_after_reads_seconds_and_http_dates():
    assert retry_after_seconds("5") == 5.0
    two_am = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc).timestamp()
    assert retry_after_seconds("Mon, 23 Nov 2026 02:00:10 GMT", now=lambda: two_am) == 10.0
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None


# ----- settings ------------------------------------------------------------------------


def test_a_missing_token_is_exit_2_naming_the_variable_and_the_file(
    monkeypatch, settings, fake_time
):
    monkeypatch.delenv("PIPEDRIVE_API_TOKEN", raising=False)
    with pytest.raises(InputError, match="PIPEDRIVE_API_TOKEN.*token_file: under pipedrive:"):
        make(settings, fake_time)


def test_the_domain_builds_the_address_and_names_the_source(connector, monkeypatch, settings):
    assert connector.settings.base_url == "https://acme.pipedrive.com"
    assert connector.source_key() == "pipedrive:acme"
    other = make(settings, FakeTime(), {"domain": "https://Beta.pipedrive.com/"})
    assert other.settings.base_url == "https://beta.pipedrive.com"
    with pytest.raises(InputError, match="company domain"):
        make(settings, FakeTime(), {"domain": None})


def test_without_a_domain_the_base_url_is_needed(monkeypatch, settings, fake_time):
    monkeypatch.setenv("PIPEDRIVE_API_TOKEN", TOKEN)
    options = ConnectorOptions(settings=settings)
    with pytest.raises(InputError, match="needs your company domain: domain: mycompany"):
        PipedriveConnector(options)
    connector = PipedriveConnector(
        ConnectorOptions(settings=settings, base_url="http://127.0.0.1:9")
    )
    assert connector.source_key() == "pipedrive:127.0.0.1:9"


def test_a_base_url_with_a_query_string_is_refused_without_repeating_it(connector, settings):
    with pytest.raises(InputError) as caught:
        make(settings, FakeTime(), base_url=f"{BASE}/?api_token=secret-in-url")
    assert "secret-in-url" not in str(caught.value)


def test_an_unknown_setting_is_named_with_a_hint(connector, settings):
    with pytest.raises(InputError, match="unknown pipedrive setting 'requests_per_10s'"):
        make(settings, FakeTime(), {"requests_per_10s": 5})


def test_the_token_can_come_from_a_file_next_to_the_config(monkeypatch, settings, tmp_path):
    monkeypatch.delenv("PIPEDRIVE_API_TOKEN", raising=False)
    (tmp_path / "pd-token").write_text(TOKEN + "\n")
    options = ConnectorOptions(
        settings=settings,
        config={"domain": "acme", "token_file": "pd-token"},
        config_path=tmp_path / "crmflags.yaml",
    )
    assert PipedriveConnector(options).settings.token == TOKEN


def test_a_misspelt_auth_kind_names_the_closest(monkeypatch, settings, fake_time):
    monkeypatch.setenv("PIPEDRIVE_API_TOKEN", TOKEN)
    with pytest.raises(InputError) as refused:
        make(settings, fake_time, {"auth": "oath"})
    assert "auth must be one of api_token, oauth, not 'oath' (did you mean 'oauth'?)" in str(
        refused.value
    )


@responses.activate
def test_oauth_sends_the_access_token_as_a_bearer(monkeypatch, settings, fake_time):
    monkeypatch.setenv("PIPEDRIVE_ACCESS_TOKEN", "oauth-access-token-123")
    connector = make(settings, fake_time, {"auth": "oauth"})
    add_fields()
    add_lists()
    assert list(connector.read()) == []
    headers = responses.calls[0].request.headers
    assert headers["Authorization"] == "Bearer oauth-access-token-123"
    assert "x-api-token" not in headers


# ----- HTTP: token, errors, limits -----------------------------------------------------


@responses.activate
def test_the_token_travels_in_the_header_never_in_the_url(connector):
    add_fields()
    add_lists(orgs=[org(1)])
    assert len(list(connector.read())) == 1
    assert connector.api_calls == len(responses.calls) == 6
    for call in responses.calls:
        assert call.request.headers["x-api-token"] == TOKEN
        assert TOKEN not in call.request.url


@responses.activate
def test_401_is_exit_3_with_pipedrives_message_and_no_token(connector):
    responses.get(
        FIELDS,
        status=401,
        json={"success": False, "error": "unauthorized access", "errorCode": 401},
    )
    with pytest.raises(AuthError) as caught:
        list(connector.read())
    assert caught.value.exit_code == 3
    assert "Pipedrive refused the token (401: unauthorized access)" in str(caught.value)
    assert TOKEN not in str(caught.value)


@responses.activate
def test_a_cloudflare_403_page_is_not_read_as_json(connector):
    responses.get(FIELDS, status=403, body="<html>Attention Required! | Cloudflare</html>")
    with pytest.raises(AuthError, match="not a JSON answer.*block after ignored 429s"):
        list(connector.read())


@responses.activate
def test_410_says_the_endpoint_is_gone(connector):
    responses.get(FIELDS, status=410, json={"success": False, "error": "Gone"})
    with pytest.raises(
        PipedriveError, match="Pipedrive has removed GET /api/v2/organizationFields"
    ):
        list(connector.read())


@responses.activate
def test_the_envelope_of_an_error_is_in_the_message(connector):
    responses.get(
        FIELDS,
        status=400,
        json={"success": False, "error": "Invalid cursor", "error_info": "See the docs"},
    )
    with pytest.raises(PipedriveError) as caught:
        list(connector.read())
    assert str(caught.value) == (
        "Pipedrive answered GET /api/v2/organizationFields with 400: Invalid cursor (See the docs)"
    )


@responses.activate
def test_a_success_that_is_not_json_is_an_error_naming_the_call(connector):
    responses.get(FIELDS, status=200, body="<html>Maintenance</html>")
    with pytest.raises(PipedriveError) as caught:
        list(connector.read())
    assert str(caught.value) == (
        "Pipedrive answered GET /api/v2/organizationFields with 200 but no JSON object"
    )


@responses.activate
def test_a_burst_429_waits_the_reset_then_goes_on(connector, fake_time):
    responses.get(FIELDS, status=429, headers={"x-ratelimit-reset": "2"}, json={"success": False})
    add_fields()
    add_lists()
    assert list(connector.read()) == []
    assert fake_time.sleeps == [2.0]


@responses.activate
def test_a_spent_daily_budget_stops_the_run_without_waiting(connector, fake_time):
    responses.get(
        FIELDS,
        status=429,
        headers={"x-daily-ratelimit-token-remaining": "0"},
        json={"success": False, "error": "Request over limit"},
    )
    with pytest.raises(BudgetSpent, match="daily API token budget is used up.*run again"):
        list(connector.read())
    assert fake_time.sleeps == []


@responses.activate
def test_429s_that_do_not_stop_end_the_run_as_a_spent_budget(connector, fake_time):
    for _ in range(6):
        responses.get(FIELDS, status=429, json={"success": False, "error": "Request over limit"})
    with pytest.raises(BudgetSpent, match="kept refusing .* after 5 waits"):
        list(connector.read())
    assert len(fake_time.sleeps) == 5


@responses.activate
def test_a_budget_reported_spent_sends_no_further_request(connector):
    responses.get(
        FIELDS, json=v2(RISK_DEFINITIONS), headers={"x-daily-ratelimit-token-remaining": "0"}
    )
    with pytest.raises(BudgetSpent, match="said 0 tokens left"):
        list(connector.read())
    assert len(responses.calls) == 1


@responses.activate
def test_5xx_is_retried_and_each_try_counted(connector):
    responses.get(FIELDS, status=502, body="<html>Bad Gateway</html>")
    add_fields()
    add_lists()
    assert list(connector.read()) == []
    assert connector.api_calls == 7


def test_a_token_in_a_url_is_scrubbed_from_messages():
    text = "GET https://x.pipedrive.com/api/v1/notes?start=0&api_token=abc123&limit=5 failed"
    assert scrub(text) == (
        "GET https://x.pipedrive.com/api/v1/notes?start=0&api_token=***&limit=5 failed"
    )


# ----- reading and mapping ---------------------------------------------------------------


@responses.activate
def test_both_pagination_styles_are_followed(connector):
    add_fields()
    responses.get(ORGS, json=v2([org(1)], cursor="c2"))
    responses.get(ORGS, json=v2([org(2)]))
    for url in (PERSONS, DEALS, ACTIVITIES):
        responses.get(url, json=v2([]))
    for note_id, org_id, more in ((7, 1, True), (8, 2, False)):
        pagination = {"start": 0, "limit": 500, "more_items_in_collection": more}
        if more:
            pagination["next_start"] = 500
        responses.get(
            NOTES,
            json={
                "success": True,
                "data": [{"id": note_id, "org_id": org_id, "add_time": "2026-03-02 10:00:00"}],
                "additional_data": {"pagination": pagination},
            },
        )
    clients = list(connector.read())
    assert [(c.id, len(c.notes)) for c in clients] == [("1", 1), ("2", 1)]
    org_calls = [query(c) for c in responses.calls if c.request.url.startswith(ORGS)]
    assert [q.get("cursor") for q in org_calls] == [None, ["c2"]]
    assert all(q["limit"] == ["500"] for q in org_calls)
    note_calls = [query(c) for c in responses.calls if c.request.url.startswith(NOTES)]
    assert [q["start"] for q in note_calls] == [["0"], ["500"]]


@responses.activate
def test_an_organization_and_its_history_map_to_one_client(connector):
    add_fields()
    acme = org(
        1,
        **{
            LEVEL_CODE: LEVEL_IDS["watch"],
            TAGS_CODE: [TAG_IDS["scope_creep"], TAG_IDS["late_payer"]],
            SCORE_CODE: 7.0,
            REASONS_CODE: "late_payer: 3 invoices late",
            CHANGED_CODE: "2026-11-20",
        },
    )
    add_lists(
        orgs=[acme],
        persons=[
            {"id": 9, "org_id": 1, "emails": [{"value": "b@acme.example", "primary": True}]},
            {
                "id": 5,
                "org_id": 1,
                "emails": [
                    {"value": "other@acme.example", "primary": False},
                    {"value": "anna@acme.example", "primary": True},
                ],
            },
        ],
        deals=[
            {"id": 3, "org_id": 1, "status": "won"},
            {"id": 4, "org_id": 1, "status": "open"},
            {"id": 6, "org_id": 1, "status": "won", "is_deleted": True},
        ],
        activities=[
            {
                "id": 1,
                "org_id": 1,
                "type": "call",
                "done": True,
                "due_date": "2026-03-02",
                "due_time": "21:15",
                "subject": "Late call",
            },
            {
                "id": 2,
                "org_id": None,
                "person_id": 5,
                "type": "meeting",
                "done": True,
                "due_date": "2026-03-07",
                "due_time": "",
            },
            {
                "id": 3,
                "org_id": None,
                "deal_id": 4,
                "type": "lunch",
                "done": True,
                "due_date": "2026-03-08",
                "due_time": "12:00:00",
            },
            {"id": 4, "org_id": 1, "type": "task", "done": True, "due_date": "2026-03-09"},
            {"id": 5, "org_id": 1, "type": "call", "done": False, "due_date": "2026-03-10"},
        ],
        notes=[
            {
                "id": 1,
                "org_id": 1,
                "content": "<p>Client <b>unhappy</b> &amp; late</p>",
                "add_time": "2026-03-02 09:30:00",
                "active_flag": True,
            },
            {
                "id": 2,
                "org_id": None,
                "person_id": 9,
                "content": "via person",
                "add_time": "2026-03-04 09:30:00",
            },
        ],
    )
    [client] = connector.read()
    assert (client.id, client.name, client.email) == ("1", "Acme Kft", "anna@acme.example")
    assert client.risk == {
        "risk_level": "watch",
        "risk_score": "7",
        "risk_tags": "late_payer;scope_creep",
        "risk_reasons": "late_payer: 3 invoices late",
        "risk_changed_at": "2026-11-20",
    }
    assert client.fields == {"deals_open": "1", "deals_won": "1", "deals_lost": "0"}
    kinds = [
        (a.kind, a.occurred_at.isoformat(), a.has_time, a.direction) for a in client.activities
    ]
    assert kinds == [
        ("call", "2026-03-02T21:15:00+00:00", True, "inbound"),
        ("meeting", "2026-03-07T00:00:00+01:00", False, "inbound"),
        ("meeting", "2026-03-08T12:00:00+00:00", True, "inbound"),
    ]
    assert [n.body for n in client.notes] == ["Client unhappy & late", "via person"]


@responses.activate
def test_configured_fields_and_outbound_types_are_read(monkeypatch, settings, fake_time):
    monkeypatch.setenv("PIPEDRIVE_API_TOKEN", TOKEN)
    connector = make(
        settings,
        fake_time,
        {"fields": {"hourly_rate_target": "hourly RATE"}, "outbound_types": ["call"]},
    )
    add_fields()
    add_lists(
        orgs=[org(1, **{RATE_CODE: 85})],
        activities=[{"id": 1, "org_id": 1, "type": "call", "done": True, "due_date": "2026-03-02"}],
    )
    [client] = connector.read()
    assert client.hourly_rate_target == 85.0
    assert client.activities[0].direction == "outbound"
    fields_call = next(c for c in responses.calls if c.request.url.startswith(ORGS))
    assert RATE_CODE in query(fields_call)["custom_fields"][0]


@responses.activate
def test_a_configured_field_pipedrive_lacks_is_named_with_the_closest(monkeypatch, settings):
    monkeypatch.setenv("PIPEDRIVE_API_TOKEN", TOKEN)
    connector = make(settings, FakeTime(), {"fields": {"hourly_rate_target": "Hourly rat"}})
    add_fields()
    with pytest.raises(InputError, match="no organization field named 'Hourly rat'.*'Hourly rate'"):
        list(connector.read())


@responses.activate
def test_broken_data_fails_only_that_organization(connector):
    add_fields()
    add_lists(
        orgs=[org(1), org(2, **{SCORE_CODE: 3})],
        activities=[{"id": 8, "org_id": 1, "type": "call", "done": True, "due_date": "03/02/2026"}],
    )
    records = list(connector.read())
    assert isinstance(records[0], RecordFailure) and records[0].client_id == "1"
    assert "activity 8: due_date" in records[0].reason
    assert records[1].risk["risk_score"] == "3"


@responses.activate
def test_a_bad_due_time_names_pipedrives_fields_and_values(connector):
    add_fields()
    call = {"org_id": 1, "type": "call", "done": True}
    add_lists(
        orgs=[org(1), org(2)],
        activities=[
            {"id": 8, **call, "due_date": "2026-11-02", "due_time": "25:99"},
            {"id": 9, **call, "org_id": 2, "due_date": "2026-13-45", "due_time": "7pm"},
        ],
    )
    first, second = list(connector.read())
    assert first.reason == ("activity 8: due_time '25:99' is not a time of day (HH:MM or HH:MM:SS)")
    assert second.reason == (
        "activity 9: due_date '2026-13-45' is not a date (YYYY-MM-DD) and due_time '7pm' is "
        "not a time of day (HH:MM or HH:MM:SS)"
    )


# ----- incremental ---------------------------------------------------------------------


@responses.activate
def test_read_changed_asks_since_the_cursor_less_the_lookback_and_re_reads_whole(connector):
    add_fields()
    since = [
        matchers.query_param_matcher({"updated_since": "2026-11-20T01:45:00Z"}, strict_match=False)
    ]
    notes = {"success": True, "data": [], "additional_data": {}}
    for url, answer in (
        (ORGS, v2([org(1), {**org(4), "is_deleted": True}])),
        (PERSONS, v2([])),
        (DEALS, v2([{"id": 30, "org_id": 2}])),
        (ACTIVITIES, v2([{"id": 40, "person_id": 50}])),
        (NOTES, notes),
    ):
        responses.get(url, json=answer, match=since)
    responses.get(
        PERSONS,
        json=v2([{"id": 50, "org_id": 3}]),
        match=[matchers.query_param_matcher({"ids": "50"}, strict_match=False)],
    )
    responses.get(
        ORGS,
        json=v2([org(2), org(3), org(7)]),
        match=[matchers.query_param_matcher({"ids": "2,3,7,8"}, strict_match=False)],
    )
    add_lists(
        activities=[
            {"id": 41, "org_id": 2, "type": "call", "done": True, "due_date": "2026-11-01"},
            {"id": 841, "type": "call", "done": True, "due_date": "2026-11-01"},
        ],
    )
    changed = connector.read_changed("2026-11-20T02:00:00Z", again=["7", "8"])
    clients = list(changed.clients)
    assert [c.id for c in clients] == ["1", "2", "3", "7"]
    assert len(clients[1].activities) == 1
    assert changed.removed == {"4", "8"}
    assert changed.cursor == "2026-11-23T02:00:00Z"
    assert connector.warnings() == [
        "1 activity belongs to no organization (nor to a person or deal of one): left out "
        "(activity 841)"
    ]


@responses.activate
def test_history_of_no_organization_is_named_in_the_warning(connector):
    add_fields()
    loose = {"type": "call", "done": True, "due_date": "2026-11-01"}
    add_lists(
        orgs=[org(1)],
        activities=[{"id": 841 + i, **loose} for i in range(5)],
        notes=[{"id": 12, "content": "hi", "add_time": "2026-11-01 10:00:00"}],
    )
    list(connector.read())
    assert connector.warnings() == [
        "6 activities and notes belong to no organization (nor to a person or deal of one): "
        "left out (activity 841, activity 842, activity 843, activity 844, activity 845 and "
        "1 more)"
    ]


def test_the_cursor_keeps_our_writes_only_while_the_next_read_can_meet_them():
    at = "2026-11-23T02:00:00Z"
    assert Cursor.parse(at).text() == at  # the plain form earlier versions stored
    cursor = Cursor(at).with_written(
        {"1": "2026-11-23T01:50:00Z", "2": "2026-11-23T01:40:00Z"}, lookback_minutes=15
    )
    assert Cursor.parse(cursor.text()) == Cursor(at, {"1": "2026-11-23T01:50:00Z"})
    assert cursor.is_ours({"id": 1, "update_time": "2026-11-23T01:50:00Z"})
    assert not cursor.is_ours({"id": 1, "update_time": "2026-11-23T01:50:01Z"})  # edited


def test_a_cursor_that_is_not_a_time_asks_for_a_full_read(connector):
    with pytest.raises(InputError, match="sync --full"):
        connector.read_changed("page-7", again=[])


# ----- writing -------------------------------------------------------------------------


@responses.activate
def test_only_the_changed_fields_are_sent_as_option_ids_and_numbers(connector):
    add_fields()
    responses.patch(f"{ORGS}/1", json={"success": True, "data": {"id": 1}})
    report = connector.write(
        [
            ClientChange(
                "1",
                {
                    "risk_level": "fire",
                    "risk_tags": "late_payer;after_hours",
                    "risk_score": "12.5",
                    "risk_changed_at": "2026-11-23T03:00:00+01:00",
                },
            ),
            ClientChange("1", {}),
        ]
    )
    assert (report.written, report.failures) == (1, [])
    body = json.loads(responses.calls[-1].request.body)
    assert body == {
        "custom_fields": {
            LEVEL_CODE: LEVEL_IDS["fire"],
            TAGS_CODE: [TAG_IDS["late_payer"], TAG_IDS["after_hours"]],
            SCORE_CODE: 12.5,
            CHANGED_CODE: "2026-11-23",
        }
    }


@responses.activate
def test_an_empty_value_clears_the_field_with_null(connector):
    add_fields()
    responses.patch(f"{ORGS}/1", json={"success": True, "data": {"id": 1}})
    connector.write([ClientChange("1", {"risk_tags": "", "risk_reasons": ""})])
    body = json.loads(responses.calls[-1].request.body)
    assert body == {"custom_fields": {TAGS_CODE: None, REASONS_CODE: None}}


@responses.activate
def test_a_refused_organization_fails_alone_and_the_next_is_written(connector):
    add_fields()
    responses.patch(
        f"{ORGS}/1", status=404, json={"success": False, "error": "Organization not found"}
    )
    responses.patch(f"{ORGS}/2", json={"success": True, "data": {"id": 2}})
    report = connector.write(
        [
            ClientChange("1", {"risk_level": "ok"}),
            ClientChange("3", {"risk_tags": "not_a_tag"}),
            ClientChange("2", {"risk_level": "ok"}),
        ]
    )
    assert report.written == 1
    assert report.failures == [
        RecordFailure("1", "Pipedrive refused the update: 404: Organization not found"),
        RecordFailure(
            "3",
            "the field 'crmflags risk tags' has no option not_a_tag: run crmflags setup "
            "--connector pipedrive to add it",
        ),
    ]


@responses.activate
def test_writing_before_setup_says_to_run_it_and_sends_nothing(connector):
    add_fields([field("name", "Name", "varchar", custom=False), RISK_DEFINITIONS[1]])
    with pytest.raises(InputError, match="nothing was written: run `crmflags setup --connector"):
        connector.write([ClientChange("1", {"risk_level": "ok"}), ClientChange("2", {})])
    assert [call.request.method for call in responses.calls] == ["GET"]  # no PATCH


# ----- setup ---------------------------------------------------------------------------


@responses.activate
def test_setup_adds_only_the_missing_options_and_keeps_foreign_ones(connector):
    tags = field(TAGS_CODE, "crmflags risk tags", "set", {"late_payer": 11, "vip": 99})
    definitions = [d for d in RISK_DEFINITIONS if d["field_code"] != TAGS_CODE] + [tags]
    add_fields(definitions)
    responses.post(f"{FIELDS}/{TAGS_CODE}/options", json={"success": True, "data": []})
    lines = connector.setup()
    assert len(lines) == 1 and lines[0].startswith('added 16 options to "crmflags risk tags"')
    sent = json.loads(responses.calls[-1].request.body)
    assert {"label": "late_payer"} not in sent and {"label": "scope_creep"} in sent
    assert all(set(option) == {"label"} for option in sent)  # never an id of someone else's


@responses.activate
def test_setup_refuses_a_field_of_ours_with_the_wrong_type(connector):
    tags = field(TAGS_CODE, "crmflags risk tags", "varchar")
    add_fields([d for d in RISK_DEFINITIONS if d["field_code"] != TAGS_CODE] + [tags])
    with pytest.raises(InputError) as stopped:
        connector.setup()
    assert str(stopped.value) == (
        'the organization field "crmflags risk tags" is a Text (varchar) field; crmflags '
        "needs a Multiple options (set) field there: rename or delete that field in "
        "Pipedrive, then run crmflags setup again"
    )


@responses.activate
def test_setup_stopped_by_a_wrong_type_says_what_it_created_before(connector):
    tags = field(TAGS_CODE, "crmflags risk tags", "text")
    kept = (SCORE_CODE, REASONS_CODE, CHANGED_CODE)
    add_fields([d for d in RISK_DEFINITIONS if d["field_code"] in kept] + [tags])
    responses.post(FIELDS, json={"success": True, "data": {}})
    with pytest.raises(InputError) as stopped:
        connector.setup()
    assert str(stopped.value).startswith(
        'created the organization field "crmflags risk level" (Single option); then stopped: '
        'the organization field "crmflags risk tags" is a Large text (text) field; crmflags '
        "needs a Multiple options (set) field there"
    )


@responses.activate
def test_setup_without_permission_names_it(connector):
    add_fields([])
    responses.post(FIELDS, status=403, json={"success": False, "error": "Forbidden"})
    with pytest.raises(AuthError, match="contact-fields:full"):
        connector.setup()


def test_requests_exceptions_never_carry_the_url_into_the_message(connector):
    connector.http.session.request = _raise_with_url
    with pytest.raises(PipedriveError) as caught:
        connector.http.get("/api/v2/organizations", {"api_token": "leaky-secret"})
    assert "leaky-secret" not in str(caught.value)
    assert "ConnectionError" in str(caught.value)


def _raise_with_url(method, url, **kwargs):
    raise requests.ConnectionError(f"cannot connect to {url}?api_token=leaky-secret")


def test_the_settings_example_in_the_docs_loads(monkeypatch, settings, tmp_path):
    monkeypatch.setenv("PIPEDRIVE_API_TOKEN", TOKEN)
    doc = Path(__file__).resolve().parent.parent / "docs" / "connectors" / "pipedrive.md"
    text = doc.read_text(encoding="utf-8")
    example = re.search(r"## Settings\n\n```yaml\n(.*?)```", text, re.DOTALL).group(1)
    (tmp_path / "crmflags.yaml").write_text(example, encoding="utf-8")
    config = load_config(tmp_path / "crmflags.yaml", {"csv", "hubspot", "pipedrive"})
    options = ConnectorOptions(
        settings=settings, config=config.section("pipedrive"), config_path=config.path
    )
    loaded = PipedriveConnector(options).settings
    assert loaded.base_url == "https://mycompany.pipedrive.com"
    assert loaded.activity_types["whatsapp"] == "message"
    assert loaded.fields["email"] == "Billing e-mail"
    assert loaded.outbound_types == {"call_out"}
