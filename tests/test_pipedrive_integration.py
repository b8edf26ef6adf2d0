"""The Pipedrive connector end to end against the fake Pipedrive server on 127.0.0.1."""

from __future__ import annotations

import json
import logging
import time
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import requests
from click.testing import CliRunner
from fakes.clock import FakeTime
from fakes.pipedrive import FakePipedrive

from crmflags.cli import cli
from crmflags.connector import ClientChange, ConnectorOptions
from crmflags.settings import Settings
from crmflags.sync.state import StateStore
from crmflags.tags import LEVELS, TAGS
from crmflags.testing import run_conformance
from crmflags_pipedrive import PipedriveConnector
from crmflags_pipedrive.mapping import RISK_FIELDS

AS_OF = "2026-11-20"
TOKEN = "pd-live-token-0123456789abcdef0123456789abcdef"
SOURCE = "pipedrive:acme"
SETTINGS = Settings(timezone=ZoneInfo("Europe/Budapest"), timezone_name="Europe/Budapest")
TAGS_FIELD, LEVEL_FIELD = RISK_FIELDS["risk_tags"][0], RISK_FIELDS["risk_level"][0]
SCORE_FIELD = RISK_FIELDS["risk_score"][0]


@pytest.fixture
def fake_time(monkeypatch) -> FakeTime:
    """Make connectors created by the CLI pace and wait on a fake clock."""
    clock = FakeTime()
    monkeypatch.setattr(
        "crmflags_pipedrive.connector.time",
        SimpleNamespace(sleep=clock.sleep, monotonic=clock.monotonic),
    )
    return clock


@pytest.fixture
def account(tmp_path, monkeypatch, fake_time):
    """A fake Pipedrive account, its token in the environment, crmflags.yaml in the cwd."""
    with FakePipedrive(TOKEN, burst_limit=10_000, daily_budget=10_000_000) as fake:
        monkeypatch.setenv("PIPEDRIVE_API_TOKEN", TOKEN)
        monkeypatch.delenv("CRMFLAGS_CONFIG", raising=False)
        monkeypatch.chdir(tmp_path)
        (tmp_path / "crmflags.yaml").write_text(
            "connector: pipedrive\ntimezone: Europe/Budapest\nstate: state.db\n"
            "pipedrive:\n  domain: acme\n  requests_per_2s: 100\n"
        )
        yield fake


def run(fake: FakePipedrive, *args: str, log_file=None):
    head = ["--log-file", str(log_file)] if log_file else []
    return CliRunner().invoke(
        cli, [*head, *args, "--base-url", fake.base_url], catch_exceptions=False
    )


def sync(fake: FakePipedrive, *args: str, log_file=None):
    return run(fake, "sync", "--as-of", AS_OF, *args, log_file=log_file)


def changed(result) -> int:
    return int(result.stdout.split(" changed")[0].rsplit(", ", 1)[1])


def labels(fake: FakePipedrive, org_id: int, field_name: str) -> list[str]:
    """The labels of the options an option field of an organization holds."""
    options = {o["id"]: o["label"] for o in fake.field_by_name(field_name)["options"]}
    value = fake.custom_value(org_id, field_name)
    ids = value if isinstance(value, list) else [] if value is None else [value]
    return sorted(options[i] for i in ids)


def stored_risk(fake: FakePipedrive) -> dict[str, tuple[str | None, list[str], float | None]]:
    """Each organization's level, tags and score as Pipedrive's own API lists them."""
    fields = {name: fake.field_by_name(name) for name in (LEVEL_FIELD, TAGS_FIELD, SCORE_FIELD)}
    options = {
        name: {o["id"]: o["label"] for o in field["options"] or []}
        for name, field in fields.items()
    }
    code = {name: field["field_code"] for name, field in fields.items()}
    found, cursor = {}, None
    while True:
        answer = requests.get(
            f"{fake.base_url}/api/v2/organizations",
            params={"limit": 500, **({"cursor": cursor} if cursor else {})},
            headers={"x-api-token": fake.token},
            timeout=30,
        ).json()
        for org in answer["data"]:
            custom = org["custom_fields"]
            level = custom.get(code[LEVEL_FIELD])
            found[str(org["id"])] = (
                options[LEVEL_FIELD].get(level),
                sorted(options[TAGS_FIELD][i] for i in custom.get(code[TAGS_FIELD]) or []),
                custom.get(code[SCORE_FIELD]),
            )
        cursor = answer["additional_data"]["next_cursor"]
        if not cursor:
            return found


# ----- setup ---------------------------------------------------------------------------


def test_setup_creates_the_fields_once_and_keeps_options_that_are_not_ours(account):
    fake = account
    fake.add_field(TAGS_FIELD, "set", options=("vip", "late_payer"))
    before = {o["label"]: o["id"] for o in fake.field_by_name(TAGS_FIELD)["options"]}
    first = run(fake, "setup", "--connector", "pipedrive")
    assert first.exit_code == 0, first.output
    assert first.stdout.count("created the organization field") == 4
    assert f'added {len(TAGS) - 1} options to "{TAGS_FIELD}"' in first.stdout
    tags = {o["label"]: o["id"] for o in fake.field_by_name(TAGS_FIELD)["options"]}
    assert set(tags) == {"vip", *TAGS}
    assert {label: tags[label] for label in before} == before  # same options, same ids
    kinds = {name: fake.field_by_name(name)["field_type"] for name, _ in RISK_FIELDS.values()}
    assert kinds == {name: kind for name, kind in RISK_FIELDS.values()}
    assert [o["label"] for o in fake.field_by_name(LEVEL_FIELD)["options"]] == list(LEVELS)
    writes = fake.write_calls()
    second = run(fake, "setup", "--connector", "pipedrive")
    assert second.exit_code == 0, second.output
    assert "nothing to do" in second.stdout
    assert fake.write_calls() == writes
    assert {o["label"] for o in fake.field_by_name(TAGS_FIELD)["options"]} == {"vip", *TAGS}


# ----- 10,000 organizations ------------------------------------------------------------


@pytest.mark.slow  # about 50 s: 10,000 organizations read, evaluated and written, twice
def test_10k_organizations_sync_through_a_429_burst_and_a_502_then_write_nothing(
    account, tmp_path, caplog
):
    fake = account
    started = time.monotonic()
    fake.seed(10_000, seed=7)
    assert run(fake, "setup").exit_code == 0
    fake.burst_next(times=3, path_prefix="/api/v2/organizations")
    fake.fail_next(502, times=1, path_prefix="/api/v2/activities")
    fake.fail_next(502, times=1, path_prefix="/api/v2/organizations/", method="PATCH")
    caplog.set_level(logging.DEBUG)
    log_file = tmp_path / "sync.log"
    first = sync(fake, log_file=log_file)
    assert first.exit_code == 0, first.output
    assert changed(first) == 10_000
    assert fake.statuses[429] == 3 and fake.statuses[502] == 2
    with StateStore(tmp_path / "state.db") as store:
        results = store.last_results(SOURCE)
    assert len(results) == 10_000
    stored = stored_risk(fake)
    lost = [
        org_id
        for org_id, result in results.items()
        if stored[org_id] != (result.level, sorted(result.tags), result.score)
    ]
    assert lost == []
    assert len({r.level for r in results.values()}) > 1
    writes = fake.write_calls()
    second = sync(fake)
    assert second.exit_code == 0, second.output
    assert changed(second) == 0
    assert "changed since the last run" in second.stdout  # read incrementally
    assert fake.write_calls() == writes  # a sync with nothing to change writes nothing
    texts = [first.output, second.output, log_file.read_text(), caplog.text]
    assert all(TOKEN not in text for text in texts)
    print(f"10k organizations: two syncs in {time.monotonic() - started:.1f} s")


# ----- incremental reads ---------------------------------------------------------------


def connector_over(fake: FakePipedrive, **config) -> PipedriveConnector:
    options = ConnectorOptions(
        settings=SETTINGS,
        base_url=fake.base_url,
        config={"domain": "acme", "requests_per_2s": 480, **config},
    )
    return PipedriveConnector(options, sleep=lambda seconds: None)


def test_an_incremental_read_returns_only_the_organizations_whose_data_changed(account):
    fake = account
    day_ago = int(time.time()) - 86_400
    org_ids = fake.seed(300, seed=3, now=day_ago)
    connector = connector_over(fake, lookback_minutes=5)
    assert connector.setup()
    cursor = connector.start_cursor()
    assert list(connector.read_changed(cursor, again=[]).clients) == []
    renamed, with_note, via_person, deleted = org_ids[10], org_ids[20], org_ids[30], org_ids[40]
    fake.touch("organizations", renamed, name="Renamed Kft")
    fake.add_note(with_note, "<p>Threatened to sue</p>")
    person = next(p for p in fake.ids("persons") if fake.person(p)["org_id"] == via_person)
    fake.add_activity(None, "call", "2026-11-19", "22:30", person_id=person, done=True)
    fake.delete("organizations", deleted)
    fake.list_deleted = True  # whether Pipedrive lists deleted ones is unconfirmed (§9)
    changes = connector_over(fake, lookback_minutes=5).read_changed(cursor, again=[str(org_ids[0])])
    clients = {c.id: c for c in changes.clients}
    assert set(clients) == {str(i) for i in (org_ids[0], renamed, with_note, via_person)}
    assert clients[str(renamed)].name == "Renamed Kft"
    assert "Threatened to sue" in [n.body for n in clients[str(with_note)].notes]
    assert any(a.occurred_at.hour == 22 for a in clients[str(via_person)].activities)
    assert changes.removed == {str(deleted)}
    assert changes.cursor >= cursor


def test_after_a_sync_the_next_one_reads_no_organization_it_only_wrote(account):
    fake = account
    org_ids = fake.seed(40, seed=9, now=int(time.time()) - 86_400)
    assert run(fake, "setup").exit_code == 0
    first = sync(fake)
    assert first.exit_code == 0 and changed(first) == len(org_ids)  # every one written
    done = len(fake.log.entries)
    second = sync(fake)
    assert second.exit_code == 0, second.output
    assert "changed since the last run" in second.stdout
    asked = fake.log.entries[done:]
    reads = [e for e in asked if not e.path.startswith("/api/v2/organizationFields")]
    assert {e.method for e in asked} == {"GET"}
    # Only the lists of what changed since the cursor: no organization read by id, no
    # history list read whole to rebuild an organization.
    assert reads and all("updated_since" in e.query for e in reads), [e.path for e in reads]
    assert not any("ids" in e.query for e in reads)


def full_sync_by_hand(fake: FakePipedrive, between_read_and_write=lambda: None) -> str:
    """Read every organization, write a risk field to each, as a sync does; return the
    cursor kept. ``between_read_and_write`` runs while the "sync" evaluates."""
    connector = connector_over(fake)
    assert connector.setup()
    cursor = connector.start_cursor()
    clients = list(connector.read())
    between_read_and_write()
    written = connector.write(
        ClientChange(c.id, {"risk_reasons": f"checked {c.id}"}) for c in clients
    )
    assert written.written == len(clients) > 0
    return connector.cursor_after_write(cursor)


def test_an_organization_edited_after_our_write_is_read_again(account):
    fake = account
    org_ids = fake.seed(30, seed=4, now=int(time.time()) - 86_400)
    cursor = full_sync_by_hand(fake)
    later = connector_over(fake)
    quiet = later.read_changed(cursor, again=[])
    assert list(quiet.clients) == [] and quiet.removed == set()
    fake.advance(1)  # an edit in the second of our own write would look like it
    fake.touch("organizations", org_ids[5], name="Edited Kft")
    edited = later.read_changed(later.cursor_after_write(quiet.cursor), again=[])
    assert [(c.id, c.name) for c in edited.clients] == [(str(org_ids[5]), "Edited Kft")]


def test_an_organization_edited_between_our_read_and_our_write_is_read_again(account):
    fake = account
    org_ids = fake.seed(10, seed=6, now=int(time.time()) - 86_400)
    cursor = full_sync_by_hand(
        fake, lambda: fake.touch("organizations", org_ids[2], name="Renamed Bt")
    )
    again = connector_over(fake).read_changed(cursor, again=[])
    assert [(c.id, c.name) for c in again.clients] == [(str(org_ids[2]), "Renamed Bt")]


# ----- limits and errors ---------------------------------------------------------------


def patched_orgs(fake: FakePipedrive) -> list[str]:
    """The ids of the organizations Pipedrive took a PATCH of, in order."""
    return [
        e.path.rsplit("/", 1)[1]
        for e in list(fake.log.entries)
        if e.method == "PATCH" and e.path.startswith("/api/v2/organizations/") and e.status < 300
    ]


def run_detail(fake: FakePipedrive, run_id: int) -> dict:
    shown = CliRunner().invoke(cli, ["runs", str(run_id), "--format", "json"])
    assert shown.exit_code == 0, shown.output
    return json.loads(shown.stdout)


def test_a_spent_daily_budget_stops_the_sync_and_the_next_run_finishes_the_rest(account):
    fake = account
    org_ids = fake.seed(300, seed=5)
    assert run(fake, "setup").exit_code == 0
    fake.daily_budget = fake.tokens_used + 800  # the read fits, the writes do not
    stopped = sync(fake)
    assert stopped.exit_code == 1, stopped.output
    assert "daily API token budget is used up" in stopped.output
    assert TOKEN not in stopped.output
    taken = patched_orgs(fake)
    assert 0 < len(taken) < len(org_ids)
    detail = run_detail(fake, 1)
    assert detail["exit_code"] == 1 and detail["counts"]["changed"] == len(taken)
    status = {w["client_id"]: w["status"] for w in detail["writes"]}
    assert {i for i, s in status.items() if s == "applied"} == set(taken)
    assert {i for i, s in status.items() if s == "abandoned"} == set(status) - set(taken)
    fake.daily_budget = 10_000_000
    fake.reset_limits()
    resumed = sync(fake)
    assert resumed.exit_code == 0, resumed.output
    assert changed(resumed) == len(org_ids) - len(taken)
    rest = patched_orgs(fake)[len(taken) :]
    assert sorted(rest) == sorted({str(i) for i in org_ids} - set(taken))
    assert all(labels(fake, org_id, LEVEL_FIELD) for org_id in org_ids)


def test_a_budget_spent_while_reading_is_exit_1_and_writes_nothing(account):
    fake = account
    fake.seed(20, seed=5)
    assert run(fake, "setup").exit_code == 0
    fake.daily_budget = fake.tokens_used + 30
    stopped = sync(fake)
    assert stopped.exit_code == 1, stopped.output
    assert "daily API token budget is used up" in stopped.output
    assert patched_orgs(fake) == []
    fake.daily_budget = 10_000_000
    fake.reset_limits()
    resumed = sync(fake)
    assert resumed.exit_code == 0 and changed(resumed) == 20


def test_a_wrong_token_is_exit_3_and_shows_neither_token(account, monkeypatch, tmp_path):
    fake = account
    wrong = "pd-wrong-token-9876543210fedcba"
    monkeypatch.setenv("PIPEDRIVE_API_TOKEN", wrong)
    log_file = tmp_path / "wrong.log"
    result = sync(fake, log_file=log_file)
    assert result.exit_code == 3
    assert "Pipedrive refused the token (401: unauthorized access)" in result.output
    for text in (result.output, log_file.read_text()):
        assert wrong not in text and TOKEN not in text


def test_cloudflares_block_page_is_exit_3_with_advice(account):
    fake = account
    fake.block_next(times=1)
    result = sync(fake)
    assert result.exit_code == 3
    assert "block after ignored 429s" in result.output


# ----- the conformance kit ---------------------------------------------------------------


def test_the_pipedrive_connector_conforms(account, monkeypatch, tmp_path):
    fake = account
    fake.seed(3, seed=11)
    bad = tmp_path / "bad-token"
    bad.write_text("pd-wrong-token-0123456789abcdef")
    with FakePipedrive(TOKEN, burst_limit=10_000) as empty:
        for server in (fake, empty):
            assert connector_over(server).setup()

        def over(server, **config):
            return lambda: connector_over(server, **config)

        monkeypatch.delenv("PIPEDRIVE_API_TOKEN")
        good = tmp_path / "good-token"
        good.write_text(TOKEN)
        passed = run_conformance(
            over(fake, token_file=str(good)),
            make_empty_connector=over(empty, token_file=str(good)),
            make_connector_with_bad_secret=over(fake, token_file=str(bad)),
            secret="pd-wrong-token-0123456789abcdef",
        )
    assert passed[-1] == "check_no_secret_in_errors" and len(passed) == 7


def test_the_changed_at_date_moves_with_a_later_change_and_is_not_drift(account):
    fake = account
    org_ids = fake.seed(60, seed=11)
    assert run(fake, "setup").exit_code == 0
    first = sync(fake)
    assert first.exit_code == 0 and changed(first) == len(org_ids)
    stamped = {
        org_id: fake.custom_value(org_id, RISK_FIELDS["risk_changed_at"][0]) for org_id in org_ids
    }
    assert set(stamped.values()) == {AS_OF}  # a date field keeps the day only
    before = stored_risk(fake)
    # A hundred days on, the activity windows are quiet: levels and tags change.
    later = run(fake, "sync", "--as-of", "2027-03-01")
    assert later.exit_code == 0, later.output
    assert "0 drifted" in later.stdout and "drift:" not in later.output
    after = stored_risk(fake)
    moved = [oid for oid in org_ids if after[str(oid)][:2] != before[str(oid)][:2]]
    assert moved
    for org_id in org_ids:
        day = fake.custom_value(org_id, RISK_FIELDS["risk_changed_at"][0])
        assert day == ("2027-03-01" if org_id in moved else AS_OF), org_id


def test_a_new_timeout_or_pacing_keeps_the_next_sync_incremental(account, tmp_path):
    fake = account
    fake.seed(5, seed=3)
    assert run(fake, "setup").exit_code == 0
    assert sync(fake).exit_code == 0
    config = tmp_path / "crmflags.yaml"
    paced = config.read_text().replace("requests_per_2s: 100", "requests_per_2s: 50")
    config.write_text(paced + "  timeout: 12\n  lookback_minutes: 30\n")
    second = sync(fake)
    assert second.exit_code == 0, second.output
    assert "changed since the last run" in second.stdout
    config.write_text(config.read_text() + "  outbound_types: [call]\n")
    third = sync(fake)
    assert third.exit_code == 0, third.output
    assert "changed since the last run" not in third.stdout  # what it reads changed


def test_a_dry_run_before_setup_says_to_run_setup_first(account):
    fake = account
    fake.seed(3, seed=3)
    result = sync(fake, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Pipedrive has no organization fields 'crmflags risk level'" in result.stderr
    assert "run `crmflags setup --connector pipedrive` before the first sync" in result.stderr
    assert run(fake, "setup").exit_code == 0
    assert "crmflags setup" not in sync(fake, "--dry-run").stderr
