"""The fake HubSpot server itself, driven with plain ``requests``."""

from __future__ import annotations

import time

import pytest
import requests
from fakes.hubspot import FakeHubSpot

RISK_TAGS = {
    "name": "crmflags_risk_tags",
    "label": "Risk tags",
    "groupName": "crmflags",
    "type": "enumeration",
    "fieldType": "checkbox",
    "options": [
        {"label": "Late payment", "value": "late_payment", "hidden": False},
        {"label": "Scope creep", "value": "scope_creep", "hidden": False},
    ],
}


@pytest.fixture
def hubspot():
    with FakeHubSpot() as fake:
        yield fake


def call(fake: FakeHubSpot, method: str, path: str, token: str | None = None, **kwargs):
    """One request to the fake, with the default token unless another is given."""
    headers = {"Authorization": f"Bearer {token or fake.token}"}
    return requests.request(method, fake.base_url + path, headers=headers, timeout=5, **kwargs)


def search(fake: FakeHubSpot, **body):
    return call(fake, "POST", "/crm/v3/objects/companies/search", json=body)


def create_risk_tags(fake: FakeHubSpot) -> None:
    call(
        fake,
        "POST",
        "/crm/v3/properties/companies/groups",
        json={"name": "crmflags", "label": "crmflags"},
    )
    assert call(fake, "POST", "/crm/v3/properties/companies", json=RISK_TAGS).status_code == 201


# ----- auth (§1, §8) -------------------------------------------------------------------


def test_missing_or_wrong_token_is_401_with_error_body(hubspot):
    no_header = requests.get(hubspot.base_url + "/crm/v3/objects/companies", timeout=5)
    wrong = call(hubspot, "GET", "/crm/v3/objects/companies", token="nope")
    for response in (no_header, wrong):
        assert response.status_code == 401
        body = response.json()
        assert body["status"] == "error"
        assert body["category"] == "INVALID_AUTHENTICATION"
        assert body["message"] and body["correlationId"]


def test_token_without_scope_is_403_naming_the_scopes(hubspot):
    hubspot.add_token("reader", ["crm.objects.companies.read"])
    assert call(hubspot, "GET", "/crm/v3/objects/companies", token="reader").status_code == 200
    response = call(
        hubspot,
        "POST",
        "/crm/v3/objects/companies/batch/update",
        token="reader",
        json={"inputs": []},
    )
    assert response.status_code == 403
    body = response.json()
    assert body["category"] == "MISSING_SCOPES"
    assert body["errors"][0]["context"]["requiredGranularScopes"] == ["crm.objects.companies.write"]
    assert body["context"]["missingScopes"] == ["crm.objects.companies.write"]
    schema = call(hubspot, "POST", "/crm/v3/properties/companies", token="reader", json=RISK_TAGS)
    assert schema.json()["context"]["missingScopes"] == ["crm.schemas.companies.write"]


def test_emails_accept_either_read_scope(hubspot):
    hubspot.add_token("mail", ["sales-email-read"])
    assert call(hubspot, "GET", "/crm/v3/objects/emails", token="mail").status_code == 200
    assert call(hubspot, "GET", "/crm/v3/objects/calls", token="mail").status_code == 403


def test_unknown_routes_types_and_methods(hubspot):
    assert call(hubspot, "GET", "/crm/v3/objects/widgets").status_code == 400
    assert call(hubspot, "DELETE", "/crm/v3/objects/companies").status_code == 405
    missing = call(hubspot, "GET", "/nope")
    assert missing.status_code == 404 and missing.json()["correlationId"]


# ----- objects (§2.2-§2.4, §2.7) -------------------------------------------------------


def test_list_pages_with_after_until_paging_is_absent(hubspot):
    ids = [hubspot.add_company({"name": f"C{n}"}) for n in range(25)]
    seen, after, pages = [], None, 0
    while True:
        params = {"limit": 10, "properties": "name", **({"after": after} if after else {})}
        body = call(hubspot, "GET", "/crm/v3/objects/companies", params=params).json()
        seen += [r["id"] for r in body["results"]]
        pages += 1
        if "paging" not in body:
            break
        after = body["paging"]["next"]["after"]
    assert seen == ids and pages == 3
    assert set(body["results"][0]["properties"]) == {"name"}


def test_list_limit_over_100_is_refused(hubspot):
    response = call(hubspot, "GET", "/crm/v3/objects/companies", params={"limit": 101})
    assert response.status_code == 400
    assert response.json()["category"] == "VALIDATION_ERROR"


def test_default_properties_and_unknown_names_ignored(hubspot):
    company = hubspot.add_company({"name": "Acme", "domain": "acme.example", "city": "Pécs"})
    default = call(hubspot, "GET", "/crm/v3/objects/companies").json()["results"][0]["properties"]
    assert set(default) == {"name", "domain", "createdate", "hs_lastmodifieddate", "hs_object_id"}
    asked = call(
        hubspot,
        "GET",
        "/crm/v3/objects/companies",
        params=[("properties", "city"), ("properties", "nope")],
    )
    assert asked.json()["results"][0]["properties"] == {"city": "Pécs"}
    assert default["hs_object_id"] == company


def test_archived_records_only_with_archived_true(hubspot):
    kept, gone = hubspot.add_company(), hubspot.add_company()
    hubspot.archive("companies", gone)
    live = call(hubspot, "GET", "/crm/v3/objects/companies").json()["results"]
    archived = call(hubspot, "GET", "/crm/v3/objects/companies", params={"archived": "true"}).json()
    assert [r["id"] for r in live] == [kept]
    assert archived["results"][0]["id"] == gone and archived["results"][0]["archived"] is True
    assert archived["results"][0]["archivedAt"]


def test_batch_read_reports_missing_ids_in_a_207(hubspot):
    company = hubspot.add_company({"name": "Acme"})
    body = {
        "inputs": [{"id": company}, {"id": "999"}],
        "properties": ["name"],
        "propertiesWithHistory": [],
    }
    response = call(hubspot, "POST", "/crm/v3/objects/companies/batch/read", json=body)
    assert response.status_code == 207
    payload = response.json()
    assert [r["properties"] for r in payload["results"]] == [{"name": "Acme"}]
    assert payload["numErrors"] == 1
    assert payload["errors"][0]["category"] == "OBJECT_NOT_FOUND"
    assert payload["errors"][0]["context"]["ids"] == ["999"]


def test_batch_inputs_are_capped_at_100(hubspot):
    inputs = [{"id": str(n)} for n in range(101)]
    read = call(hubspot, "POST", "/crm/v3/objects/companies/batch/read", json={"inputs": inputs})
    update = call(
        hubspot,
        "POST",
        "/crm/v3/objects/companies/batch/update",
        json={"inputs": [{**i, "properties": {"name": "x"}} for i in inputs]},
    )
    history = call(
        hubspot,
        "POST",
        "/crm/v3/objects/companies/batch/read",
        json={"inputs": inputs[:51], "propertiesWithHistory": ["name"]},
    )
    assert read.status_code == update.status_code == history.status_code == 400


def test_batch_update_partial_failure_is_207_with_per_item_errors(hubspot):
    create_risk_tags(hubspot)
    good, bad_option = hubspot.add_company(), hubspot.add_company()
    before = hubspot.get("companies", good)["hs_lastmodifieddate"]
    inputs = [
        {"id": good, "properties": {"crmflags_risk_tags": "late_payment;scope_creep"}},
        {
            "id": bad_option,
            "properties": {"crmflags_risk_tags": "angry"},
            "objectWriteTraceId": "t2",
        },
        {"id": "404404", "properties": {"crmflags_risk_tags": ""}},
    ]
    response = call(
        hubspot, "POST", "/crm/v3/objects/companies/batch/update", json={"inputs": inputs}
    )
    assert response.status_code == 207
    payload = response.json()
    assert [r["id"] for r in payload["results"]] == [good]
    errors = {e["context"]["ids"][0]: e for e in payload["errors"]}
    assert errors[bad_option]["category"] == "VALIDATION_ERROR"
    assert errors[bad_option]["objectWriteTraceId"] == "t2"
    assert errors["404404"]["category"] == "OBJECT_NOT_FOUND"
    stored = hubspot.get("companies", good)
    assert stored["crmflags_risk_tags"] == "late_payment;scope_creep"
    assert stored["hs_lastmodifieddate"] > before
    assert "crmflags_risk_tags" not in hubspot.get("companies", bad_option)


def test_batch_update_answers_with_the_new_modified_date(hubspot):
    company = hubspot.add_company()
    body = {"inputs": [{"id": company, "properties": {"city": "Pécs"}}]}
    answer = call(hubspot, "POST", "/crm/v3/objects/companies/batch/update", json=body).json()
    assert (
        answer["results"][0]["updatedAt"]
        == hubspot.get("companies", company)["hs_lastmodifieddate"]
    )


def test_merge_absorbs_a_company_with_its_history_into_the_survivor(hubspot):
    survivor, absorbed = hubspot.add_company({"name": "Keep"}), hubspot.add_company()
    note = hubspot.add_engagement("notes", absorbed, {"hs_note_body": "hello"})
    before = hubspot.get("companies", survivor)["hs_lastmodifieddate"]
    path = "/crm/v3/objects/companies/merge"
    merged = call(
        hubspot, "POST", path, json={"primaryObjectId": survivor, "objectIdToMerge": absorbed}
    )
    assert merged.status_code == 200 and merged.json()["id"] == survivor
    kept = hubspot.get("companies", survivor)
    assert kept["hs_merged_object_ids"] == absorbed and kept["hs_lastmodifieddate"] > before
    assert hubspot.associated("companies", survivor, "notes") == [note]
    assert hubspot.associated("notes", note, "companies") == [survivor]
    read = {"inputs": [{"id": absorbed}], "properties": [], "propertiesWithHistory": []}
    assert (
        call(hubspot, "POST", "/crm/v3/objects/companies/batch/read", json=read).json()["errors"][
            0
        ]["category"]
        == "OBJECT_NOT_FOUND"
    )
    for archived in ("false", "true"):  # gone, and not listed as archived either
        listed = call(hubspot, "GET", "/crm/v3/objects/companies", params={"archived": archived})
        assert absorbed not in [r["id"] for r in listed.json()["results"]]
    again = {"primaryObjectId": survivor, "objectIdToMerge": absorbed}
    assert call(hubspot, "POST", path, json=again).status_code == 404
    invoice = {"primaryObjectId": "1", "objectIdToMerge": "2"}
    assert call(hubspot, "POST", "/crm/v3/objects/invoices/merge", json=invoice).status_code == 400


def test_engagements_are_searchable_on_their_modified_date(hubspot):
    company = hubspot.add_company()
    old, new = (hubspot.add_engagement("calls", company) for _ in range(2))
    hubspot.modify(new, {"hs_call_title": "Follow-up"}, object_type="calls")
    since = hubspot.get("calls", new)["hs_lastmodifieddate"]
    window = {
        "propertyName": "hs_lastmodifieddate",
        "operator": "BETWEEN",
        "value": since,
        "highValue": str(int(time.time() * 1000) + 60_000),
    }
    found = call(
        hubspot,
        "POST",
        "/crm/v3/objects/calls/search",
        json={"filterGroups": [{"filters": [window]}]},
    ).json()
    assert [r["id"] for r in found["results"]] == [new] and old != new


def test_batch_update_rejects_non_string_values_and_unknown_properties(hubspot):
    company = hubspot.add_company()
    numeric = {"inputs": [{"id": company, "properties": {"name": 7}}]}
    path = "/crm/v3/objects/companies/batch/update"
    assert call(hubspot, "POST", path, json=numeric).status_code == 400
    unknown = {"inputs": [{"id": company, "properties": {"nope": "1"}}]}
    assert (
        call(hubspot, "POST", path, json=unknown).json()["errors"][0]["category"]
        == "VALIDATION_ERROR"
    )


# ----- search (§2.6) -------------------------------------------------------------------


def test_search_filters_sorts_and_pages_by_offset(hubspot):
    ids = [hubspot.add_company({"name": f"C{n}"}) for n in range(6)]
    hubspot.modify(ids[1], {"name": "touched"})
    hubspot.modify(ids[0])
    watermark = hubspot.get("companies", ids[1])["hs_lastmodifieddate"]
    query = {
        "filterGroups": [
            {
                "filters": [
                    {"propertyName": "hs_lastmodifieddate", "operator": "GTE", "value": watermark}
                ]
            }
        ],
        "sorts": [{"propertyName": "hs_lastmodifieddate", "direction": "ASCENDING"}],
        "properties": ["name"],
        "limit": 1,
    }
    first = search(hubspot, **query).json()
    assert first["total"] == 2 and first["results"][0]["properties"]["name"] == "touched"
    second = search(hubspot, **query, after=first["paging"]["next"]["after"]).json()
    assert second["results"][0]["id"] == ids[0] and "paging" not in second
    epoch_ms = str(int(time.time() * 1000) + 60_000)
    future = {"propertyName": "hs_lastmodifieddate", "operator": "GT", "value": epoch_ms}
    assert search(hubspot, filterGroups=[{"filters": [future]}]).json()["total"] == 0


def test_search_limit_and_filter_counts(hubspot):
    assert search(hubspot, limit=200).status_code == 200
    assert search(hubspot, limit=201).status_code == 400
    many = [{"propertyName": "name", "operator": "HAS_PROPERTY"}] * 7
    assert search(hubspot, filterGroups=[{"filters": many}]).status_code == 400


def test_search_stops_at_the_result_cap(hubspot):
    hubspot.search_cap = 5
    for n in range(8):
        hubspot.add_company({"name": f"C{n}"})
    page = search(hubspot, limit=4, after="4").json()
    assert page["total"] == 8 and len(page["results"]) == 1
    assert page["paging"]["next"]["after"] == "5"
    beyond = search(hubspot, limit=4, after="5")
    assert beyond.status_code == 400
    assert beyond.json()["category"] == "VALIDATION_ERROR"
    assert search(hubspot, after="10000").status_code == 400


def test_search_has_its_own_per_second_limit_without_rate_headers(hubspot):
    hubspot.search_per_second, hubspot.search_window = 2, 0.2
    first = search(hubspot)
    assert first.status_code == 200 and "X-HubSpot-RateLimit-Remaining" not in first.headers
    assert search(hubspot).status_code == 200
    limited = search(hubspot)
    assert limited.status_code == 429
    assert limited.json()["category"] == "RATE_LIMITS" and "policyName" not in limited.json()
    assert call(hubspot, "GET", "/crm/v3/objects/companies").status_code == 200
    time.sleep(0.25)
    assert search(hubspot).status_code == 200


# ----- associations v4 (§4, §8.4) ------------------------------------------------------


def test_association_batch_read_pages_per_record_and_flags_empty_ones(hubspot):
    hubspot.association_page_size = 2
    busy, quiet = hubspot.add_company(), hubspot.add_company()
    calls = [
        hubspot.add_engagement("calls", busy, {"hs_timestamp": "2024-01-01T10:00:00Z"})
        for _ in range(3)
    ]
    path = "/crm/v4/associations/companies/calls/batch/read"
    response = call(hubspot, "POST", path, json={"inputs": [{"id": busy}, {"id": quiet}]})
    assert response.status_code == 207
    payload = response.json()
    first = payload["results"][0]
    assert first["from"]["id"] == busy
    assert [str(t["toObjectId"]) for t in first["to"]] == calls[:2]
    assert payload["errors"][0]["subCategory"] == "crm.associations.NO_ASSOCIATIONS_FOUND"
    rest = call(
        hubspot,
        "POST",
        path,
        json={"inputs": [{"id": busy, "after": first["paging"]["next"]["after"]}]},
    )
    assert rest.status_code == 200
    assert [str(t["toObjectId"]) for t in rest.json()["results"][0]["to"]] == calls[2:]
    back = call(
        hubspot,
        "POST",
        "/crm/v4/associations/calls/companies/batch/read",
        json={"inputs": [{"id": calls[0]}]},
    )
    assert back.json()["results"][0]["to"][0]["toObjectId"] == int(busy)


# ----- properties (§5) -----------------------------------------------------------------


def test_property_setup_conflicts_and_option_patch(hubspot):
    group = {"name": "crmflags", "label": "crmflags"}
    assert (
        call(hubspot, "POST", "/crm/v3/properties/companies/groups", json=group).status_code == 201
    )
    again = call(hubspot, "POST", "/crm/v3/properties/companies/groups", json=group)
    assert again.status_code == 409 and again.json()["correlationId"]
    created = call(hubspot, "POST", "/crm/v3/properties/companies", json=RISK_TAGS)
    assert created.status_code == 201 and created.headers["Location"].endswith(
        "/crmflags_risk_tags"
    )
    assert call(hubspot, "POST", "/crm/v3/properties/companies", json=RISK_TAGS).status_code == 409
    options = [*RISK_TAGS["options"], {"label": "Abusive", "value": "abusive", "hidden": False}]
    path = "/crm/v3/properties/companies/crmflags_risk_tags"
    assert call(hubspot, "PATCH", path, json={"options": options}).status_code == 200
    stored = call(hubspot, "GET", path).json()
    assert [o["value"] for o in stored["options"]] == ["late_payment", "scope_creep", "abusive"]
    groups = call(hubspot, "GET", "/crm/v3/properties/companies/groups").json()["results"]
    assert "crmflags" in [g["name"] for g in groups]
    listed = call(hubspot, "GET", "/crm/v3/properties/companies").json()["results"]
    assert "crmflags_risk_tags" in [p["name"] for p in listed]


def test_property_create_validates_shape(hubspot):
    call(
        hubspot,
        "POST",
        "/crm/v3/properties/companies/groups",
        json={"name": "crmflags", "label": "x"},
    )
    path = "/crm/v3/properties/companies"
    no_options = {**RISK_TAGS, "options": []}
    bad_pair = {**RISK_TAGS, "type": "number"}
    no_hidden = {**RISK_TAGS, "options": [{"label": "A", "value": "a"}]}
    no_group = {**RISK_TAGS, "groupName": "missing"}
    for body in (no_options, bad_pair, no_hidden, no_group, {"name": "x"}):
        assert call(hubspot, "POST", path, json=body).status_code == 400
    assert call(hubspot, "GET", path + "/crmflags_risk_tags").status_code == 404


# ----- rate limits (§7) and failure injection ------------------------------------------


def test_burst_limit_429_then_success_after_the_window():
    with FakeHubSpot(burst_limit=3, burst_window=0.2, retry_after=True) as fake:
        statuses = [call(fake, "GET", "/crm/v3/objects/companies").status_code for _ in range(3)]
        limited = call(fake, "GET", "/crm/v3/objects/companies")
        assert statuses == [200, 200, 200] and limited.status_code == 429
        body = limited.json()
        assert body["policyName"] == "TEN_SECONDLY_ROLLING" and body["errorType"] == "RATE_LIMIT"
        assert body["correlationId"] and body["requestId"]
        assert limited.headers["X-HubSpot-RateLimit-Remaining"] == "0"
        assert limited.headers["X-HubSpot-RateLimit-Interval-Milliseconds"] == "200"
        assert limited.headers["Retry-After"] == "1"
        time.sleep(0.25)
        assert call(fake, "GET", "/crm/v3/objects/companies").status_code == 200


def test_daily_limit_answers_daily_policy_until_reset():
    with FakeHubSpot(daily_limit=2) as fake:
        ok = call(fake, "GET", "/crm/v3/objects/companies")
        assert ok.headers["X-HubSpot-RateLimit-Daily-Remaining"] == "1"
        call(fake, "GET", "/crm/v3/objects/companies")
        limited = call(fake, "GET", "/crm/v3/objects/companies")
        assert limited.status_code == 429 and limited.json()["policyName"] == "DAILY"
        assert "Retry-After" not in limited.headers
        fake.reset_limits()
        assert call(fake, "GET", "/crm/v3/objects/companies").status_code == 200


def test_injected_failures_and_request_log(hubspot):
    hubspot.fail_next(status=503, times=2, path_prefix="/crm/v3/objects/companies/search")
    assert [search(hubspot).status_code for _ in range(3)] == [503, 503, 200]
    assert call(hubspot, "GET", "/crm/v3/objects/companies").status_code == 200
    assert hubspot.count("/crm/v3/objects/companies/search") == 3
    assert hubspot.count("/crm/v3/objects/companies", method="GET") == 1
    assert hubspot.requests[0] == ("POST", "/crm/v3/objects/companies/search", {})


def test_slow_next_delays_one_request(hubspot):
    hubspot.slow_next(0.2)
    started = time.monotonic()
    call(hubspot, "GET", "/crm/v3/objects/companies")
    call(hubspot, "GET", "/crm/v3/objects/companies")
    assert 0.2 <= time.monotonic() - started < 0.6


# ----- seeding -------------------------------------------------------------------------


def test_generate_is_reproducible_and_linked():
    first, second = FakeHubSpot(), FakeHubSpot()
    now_ms = int(time.time() * 1000)
    ids = first.generate(200, seed=3, now_ms=now_ms)
    assert ids == second.generate(200, seed=3, now_ms=now_ms)
    assert first.get("companies", ids[7]) == second.get("companies", ids[7])
    invoices = [i for c in ids for i in first.associated("companies", c, "invoices")]
    assert invoices and first.associated("invoices", invoices[0], "companies")[0] in ids
    assert first.get("invoices", invoices[0])["hs_invoice_status"] in {
        "draft",
        "open",
        "paid",
        "voided",
    }
