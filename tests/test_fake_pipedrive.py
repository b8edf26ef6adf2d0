"""The fake Pipedrive behaves as /work/shared/reference/pipedrive.md says (§n cited), so the
connector tests that run against it test the connector, not a wrong fake."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from typing import Any

import pytest
from fakes.pipedrive import FakePipedrive
from fakes.server import Failures, Injection, Request, SlidingWindow

NOW = 1_790_000_000  # 2026-09-21T12:53:20Z: seeds are reproducible from (seed, NOW)


class Answer:
    """Status, lower-case headers and body (JSON when it parses, else text) of one call."""

    def __init__(self, status: int, headers: dict[str, str], raw: bytes) -> None:
        self.status = status
        self.headers = {k.lower(): v for k, v in headers.items()}
        try:
            self.body: Any = json.loads(raw)
        except ValueError:
            self.body = raw.decode()


def call(
    fake: FakePipedrive,
    method: str,
    path: str,
    body: Any = None,
    token: str | None = None,
    headers: dict[str, str] | None = None,
) -> Answer:
    """One request to the fake; the token goes in ``x-api-token`` unless ``headers`` say."""
    sent = {"x-api-token": fake.token if token is None else token} if headers is None else headers
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        sent = {**sent, "Content-Type": "application/json"}
    request = urllib.request.Request(fake.base_url + path, data, sent, method=method)
    try:
        with urllib.request.urlopen(request) as response:
            return Answer(response.status, dict(response.headers), response.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, dict(error.headers), error.read())


def walk_cursor(fake: FakePipedrive, path: str) -> list[dict]:
    """Every item of a v2 list, following ``additional_data.next_cursor`` (§3)."""
    items, cursor = [], None
    while True:
        sep = "&" if "?" in path else "?"
        answer = call(fake, "GET", path + (f"{sep}cursor={cursor}" if cursor else ""))
        assert answer.status == 200, answer.body
        items += answer.body["data"]
        cursor = answer.body["additional_data"]["next_cursor"]
        if cursor is None:
            return items


@pytest.fixture
def fake():
    with FakePipedrive(burst_limit=100_000, daily_budget=10_000_000) as server:
        server.seed(60, seed=7, now=NOW)
        yield server


def test_cursor_pagination_walks_every_organization_once_in_each_sort(fake):
    every = set(fake.ids("organizations"))
    by_id = walk_cursor(fake, "/api/v2/organizations?limit=7")
    assert [o["id"] for o in by_id] == sorted(every)
    newest_first = walk_cursor(
        fake, "/api/v2/organizations?limit=9&sort_by=update_time&sort_direction=desc"
    )
    stamps = [o["update_time"] for o in newest_first]
    assert stamps == sorted(stamps, reverse=True)
    assert sorted(o["id"] for o in newest_first) == sorted(every)
    activities = walk_cursor(fake, "/api/v2/activities?limit=11&sort_by=due_date")
    assert len({a["id"] for a in activities}) == len(activities) == len(fake.ids("activities"))


def test_the_limit_defaults_to_100_and_may_not_exceed_500(fake):
    fake.seed(150, seed=8, now=NOW)
    assert len(call(fake, "GET", "/api/v2/organizations").body["data"]) == 100
    assert call(fake, "GET", "/api/v2/organizations?limit=501").status == 400


def test_v1_notes_pagination_walks_every_note_once_and_ends_without_next_start(fake):
    seen, start = [], 0
    while True:
        answer = call(fake, "GET", f"/api/v1/notes?start={start}&limit=13")
        pagination = answer.body["additional_data"]["pagination"]
        seen += [n["id"] for n in answer.body["data"]]
        if not pagination["more_items_in_collection"]:
            assert "next_start" not in pagination
            break
        start = pagination["next_start"]
    assert sorted(seen) == fake.ids("notes") and len(seen) == len(set(seen))


def test_updated_since_returns_only_items_changed_at_or_after_it(fake):
    org_ids = fake.ids("organizations")
    fake.touch("organizations", org_ids[3], name="Renamed")
    since = fake.organization(org_ids[3])["update_time"]
    fake.touch("organizations", org_ids[5], website="https://new.example.com")
    changed = walk_cursor(fake, f"/api/v2/organizations?updated_since={since}&sort_by=update_time")
    assert [o["id"] for o in changed] == [org_ids[3], org_ids[5]]
    assert changed[0]["name"] == "Renamed"
    before = walk_cursor(fake, f"/api/v2/organizations?updated_until={since}")
    assert {o["id"] for o in before}.isdisjoint({org_ids[3], org_ids[5]})
    assert len(before) == len(org_ids) - 2
    assert call(fake, "GET", "/api/v2/organizations?updated_since=yesterday").status == 400


def test_notes_and_activities_filter_by_organization_and_updated_since(fake):
    org_id = fake.note(fake.ids("notes")[0])["org_id"]
    notes = call(fake, "GET", f"/api/v1/notes?org_id={org_id}&limit=500").body["data"]
    assert notes and {n["org_id"] for n in notes} == {org_id}
    note_id = fake.add_note(org_id, "<p>Late again.</p>")
    since = fake.note(note_id)["update_time"].replace(" ", "T") + "Z"
    recent = call(fake, "GET", f"/api/v1/notes?updated_since={since}").body["data"]
    assert [n["id"] for n in recent] == [note_id]
    activities = walk_cursor(fake, f"/api/v2/activities?org_id={org_id}")
    assert {a["org_id"] for a in activities} <= {org_id}


def test_a_created_set_field_has_a_40_hex_key_and_integer_option_ids(fake):
    body = {
        "field_name": "crmflags tags",
        "field_type": "set",
        "options": [{"label": "late_payer"}, {"label": "scope_creep"}],
    }
    created = call(fake, "POST", "/api/v2/organizationFields", body).body["data"]
    assert re.fullmatch(r"[0-9a-f]{40}", created["field_code"])
    assert created["is_custom_field"] is True
    ids = [o["id"] for o in created["options"]]
    assert all(isinstance(i, int) for i in ids) and len(set(ids)) == 2
    again = call(fake, "POST", "/api/v2/organizationFields", body).body["data"]
    assert again["field_code"] != created["field_code"]  # a second field, not the same one
    listed = walk_cursor(fake, "/api/v2/organizationFields?limit=2")
    assert [f["field_code"] for f in listed if f["field_name"] == "crmflags tags"] == [
        created["field_code"],
        again["field_code"],
    ]


def test_adding_options_returns_only_the_new_ones_and_keeps_the_old_ids(fake):
    code = fake.add_field("crmflags level", "enum", ["ok", "watch"])
    old = {o["label"]: o["id"] for o in fake.field_by_name("crmflags level")["options"]}
    path = f"/api/v2/organizationFields/{code}/options"
    added = call(fake, "POST", path, [{"label": "warning"}, {"label": "fire"}]).body["data"]
    assert [o["label"] for o in added] == ["warning", "fire"]
    assert not {o["id"] for o in added} & set(old.values())
    now = {o["label"]: o["id"] for o in fake.field_by_name("crmflags level")["options"]}
    assert now == {**old, **{o["label"]: o["id"] for o in added}}
    one = call(fake, "GET", f"/api/v2/organizationFields/{code}").body["data"]
    assert len(one["options"]) == 4
    assert call(fake, "POST", "/api/v2/organizationFields", {"field_name": "x"}).status == 400
    no_options = {"field_name": "x", "field_type": "set"}
    assert call(fake, "POST", "/api/v2/organizationFields", no_options).status == 400


def test_patch_writes_custom_fields_in_v2_shape_and_changes_update_time(fake):
    tags = fake.add_field("crmflags tags", "set", ["late_payer", "scope_creep"])
    level = fake.add_field("crmflags level", "enum", ["ok", "fire"])
    score = fake.add_field("crmflags score", "double")
    reasons = fake.add_field("crmflags reasons", "text")
    tag_ids = [o["id"] for o in fake.field_by_name("crmflags tags")["options"]]
    fire = fake.field_by_name("crmflags level")["options"][1]["id"]
    org_id = fake.ids()[0]
    before = fake.organization(org_id)["update_time"]
    custom = {tags: tag_ids, level: fire, score: 72.5, reasons: "late_payer: 3 invoices"}
    answer = call(fake, "PATCH", f"/api/v2/organizations/{org_id}", {"custom_fields": custom})
    assert answer.status == 200
    assert answer.body["data"]["custom_fields"] == custom
    assert answer.body["data"]["update_time"] > before
    assert fake.custom_value(org_id, "crmflags tags") == tag_ids
    assert fake.write_calls("/api/v2/organizations") == 1
    labelled = call(fake, "GET", f"/api/v2/organizations/{org_id}?include_option_labels=true")
    assert labelled.body["data"]["custom_fields"][level] == {"id": fire, "label": "fire"}
    cleared = call(
        fake, "PATCH", f"/api/v2/organizations/{org_id}", {"custom_fields": {tags: None}}
    )
    assert cleared.body["data"]["custom_fields"][tags] is None


@pytest.mark.parametrize(
    "values",
    [
        {"tags": []},  # §10: clear with null, never []
        {"tags": ["late_payer"]},  # labels are not option ids
        {"level": "1"},  # §0: numbers as strings are refused in v2
        {"score": "72.5"},
        {"level": 999_999},  # not an option of the field
        {"unknown": 1},
    ],
)
def test_patch_refuses_values_of_the_wrong_shape(fake, values):
    codes = {
        "tags": fake.add_field("t", "set", ["late_payer"]),
        "level": fake.add_field("l", "enum", ["ok"]),
        "score": fake.add_field("s", "double"),
        "unknown": "0" * 40,
    }
    org_id = fake.ids()[0]
    before = fake.organization(org_id)
    custom = {codes[name]: value for name, value in values.items()}
    answer = call(fake, "PATCH", f"/api/v2/organizations/{org_id}", {"custom_fields": custom})
    assert answer.status == 400 and answer.body["success"] is False
    assert answer.body["error"]
    assert fake.organization(org_id) == before
    assert fake.write_calls() == 0


def test_requests_past_the_burst_get_429_with_the_rate_limit_headers(fake):
    fake.burst_limit = 3
    fake.burst_window = 3600.0  # no hit leaves the window during the test, however slow
    fake.reset_limits()
    answers = [call(fake, "GET", "/api/v2/organizations?limit=1") for _ in range(4)]
    assert [a.status for a in answers] == [200, 200, 200, 429]
    assert [a.headers["x-ratelimit-remaining"] for a in answers] == ["2", "1", "0", "0"]
    assert answers[3].headers["x-ratelimit-limit"] == "3"
    assert int(answers[3].headers["x-ratelimit-reset"]) >= 1
    assert answers[3].body == {
        "success": False,
        "error": "Request over limit",
        "error_info": "Please check developers.pipedrive.com",
        "data": None,
        "additional_data": None,
    }
    assert "retry-after" not in answers[3].headers  # UNCONFIRMED in §12: off by default
    fake.reset_limits()
    assert call(fake, "GET", "/api/v2/organizations?limit=1").status == 200


def test_the_lite_plan_allows_20_requests_per_window_by_default():
    with FakePipedrive(burst_window=3600.0) as fake:
        statuses = [call(fake, "GET", "/api/v1/users/me").status for _ in range(21)]
    assert statuses == [200] * 20 + [429]


def test_the_daily_token_budget_counts_section_14_costs_and_then_refuses_everything(fake):
    fake.daily_budget = 31
    fake.reset_limits()
    first = call(fake, "GET", "/api/v2/organizations?limit=1")  # 10 tokens
    assert first.headers["x-daily-ratelimit-token-remaining"] == "21"
    call(fake, "GET", "/api/v1/notes?limit=1")  # 20 tokens
    assert fake.tokens_used == 30
    assert call(fake, "GET", f"/api/v2/organizations/{fake.ids()[0]}").status == 200  # 1 token
    refused = call(fake, "GET", "/api/v1/users/me")
    assert refused.status == 429 and refused.body["error"] == "Request over limit"
    assert refused.headers["x-daily-ratelimit-token-remaining"] == "0"


def test_injected_429_burst_and_502_come_first_and_then_the_call_succeeds(fake):
    fake.burst_next(times=2, path_prefix="/api/v2/organizations")
    fake.fail_next(502, path_prefix="/api/v2/organizations")
    statuses = [call(fake, "GET", "/api/v2/organizations?limit=1") for _ in range(4)]
    assert [a.status for a in statuses] == [429, 429, 502, 200]
    assert statuses[0].headers["x-ratelimit-remaining"] == "0"
    assert statuses[2].body.startswith("<html>")  # §2: never assume a JSON body
    assert call(fake, "GET", "/api/v1/users/me").status == 200  # other paths untouched
    assert fake.statuses[429] == 2 and fake.statuses[502] == 1
    fake.block_next()
    blocked = call(fake, "GET", "/api/v1/users/me")
    assert blocked.status == 403 and "Cloudflare" in blocked.body


def test_removed_v1_entity_endpoints_answer_410(fake):
    for path in ("/api/v1/organizations", "/v1/organizations", "/api/v1/persons/1"):
        gone = call(fake, "GET", path)
        assert gone.status == 410
        assert gone.body["success"] is False and gone.body["error"]
    assert call(fake, "GET", "/v1/notes?limit=1").status == 200  # v1 stays for notes (§0)
    assert call(fake, "GET", "/v2/organizations").status == 404  # only /api/v2 (§0)


def test_a_wrong_token_gets_401_with_the_envelope_and_the_log_never_holds_a_token(fake):
    wrong = call(fake, "GET", "/api/v2/organizations", token="wrong-token-0123456789")
    assert wrong.status == 401
    assert wrong.body == {"success": False, "error": "unauthorized access", "errorCode": 401}
    assert call(fake, "GET", "/api/v2/organizations", headers={}).status == 401
    by_query = call(
        fake, "GET", f"/api/v2/organizations?limit=1&api_token={fake.token}", headers={}
    )
    assert by_query.status == 200  # §1 legacy query parameter (UNCONFIRMED), on by default
    bearer = {"Authorization": f"Bearer {fake.oauth_token}"}
    assert call(fake, "GET", "/api/v2/organizations?limit=1", headers=bearer).status == 200
    logged = repr(fake.log.entries)
    for secret in (fake.token, fake.oauth_token, "wrong-token-0123456789"):
        assert secret not in logged


def test_a_deleted_organization_leaves_the_lists_but_stays_readable_with_is_deleted(fake):
    org_id = fake.ids()[0]
    before = fake.organization(org_id)["update_time"]
    assert call(fake, "DELETE", f"/api/v2/organizations/{org_id}").status == 200
    record = call(fake, "GET", f"/api/v2/organizations/{org_id}").body["data"]
    assert record["is_deleted"] is True and record["update_time"] > before  # §4, §9
    listed = {o["id"] for o in walk_cursor(fake, "/api/v2/organizations?limit=500")}
    assert org_id not in listed
    fake.list_deleted = True  # §9: UNCONFIRMED whether lists show deleted items
    assert org_id in {o["id"] for o in walk_cursor(fake, "/api/v2/organizations?limit=500")}
    assert call(fake, "GET", "/api/v2/organizations/999999").status == 404


def test_deleted_deals_are_listed_only_with_status_deleted(fake):
    deal_id = fake.ids("deals")[0]
    fake.delete("deals", deal_id)
    assert deal_id not in {d["id"] for d in walk_cursor(fake, "/api/v2/deals?limit=500")}
    deleted = walk_cursor(fake, "/api/v2/deals?status=deleted")
    assert [d["id"] for d in deleted] == [deal_id]


def test_seeding_is_reproducible_and_realistic():
    with FakePipedrive() as one, FakePipedrive() as two:
        one.seed(40, seed=3, now=NOW)
        two.seed(40, seed=3, now=NOW)
        kinds = ("organizations", "persons", "deals", "activities", "notes")
        for kind in kinds:
            assert [one.get(kind, i) for i in one.ids(kind)] == [
                two.get(kind, i) for i in two.ids(kind)
            ]
        activities = [one.activity(i) for i in one.ids("activities")]
        notes = [one.note(i) for i in one.ids("notes")]
    assert {a["type"] for a in activities} == {"call", "meeting", "email"}
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d", a["due_date"]) for a in activities)
    assert any(a["due_time"] for a in activities) and any(not a["due_time"] for a in activities)
    assert all(bool(a["marked_as_done_time"]) == a["done"] for a in activities)
    assert any("<" in n["content"] for n in notes)
    assert all(n["update_time"] <= "2026-09-21 12:53:20" for n in notes)


def test_patch_of_persons_and_unknown_routes(fake):
    person_id = fake.ids("persons")[0]
    answer = call(fake, "PATCH", f"/api/v2/persons/{person_id}", {"name": "New Name"})
    assert answer.status == 200 and fake.person(person_id)["name"] == "New Name"
    assert call(fake, "PATCH", f"/api/v2/deals/{fake.ids('deals')[0]}", {}).status == 405
    assert call(fake, "GET", "/api/v2/nothing").status == 404
    assert call(fake, "PATCH", f"/api/v2/persons/{person_id}", {"owner_id": "101"}).status == 400


def test_the_sliding_window_frees_room_as_hits_age():
    now = [0.0]
    window = SlidingWindow(2, 2.0, clock=lambda: now[0])
    assert window.hit("t")[:2] == (True, 1)
    now[0] = 1.0
    assert window.hit("t")[:2] == (True, 0)
    allowed, remaining, reset = window.hit("t")
    assert (allowed, remaining, reset) == (False, 0, 1.0)
    now[0] = 2.0  # the first hit leaves the window
    assert window.hit("t")[0] is True
    assert window.hit("other")[0] is True  # per key


def test_failures_match_path_prefix_and_method_and_run_out():
    failures = Failures()
    failures.add(Injection(2, 502, "/api/v2/organizations", "GET"))
    get = Request("GET", "/api/v2/organizations/1", {}, {})
    patch = Request("PATCH", "/api/v2/organizations/1", {}, {})
    assert failures.take(patch) is None
    assert failures.take(get).status == 502
    assert failures.pending() == 1
    assert failures.take(get).status == 502
    assert failures.take(get) is None
