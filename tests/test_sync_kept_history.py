"""Nightly syncs that fetch only what changed: the HubSpot and Pipedrive connectors keep
their history in the sync's record cache. Each test checks the requests a sync made
and that the picture it keeps is, JSON for JSON, what a full read gives."""

from __future__ import annotations

import sqlite3
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from fakes.clock import FakeTime
from fakes.hubspot import FakeHubSpot
from fakes.pipedrive import FakePipedrive

from crmflags.cli import cli
from crmflags.cli.app import App
from crmflags.connector import ConnectorOptions, IncrementalConnector
from crmflags.model import Client
from crmflags.settings import Settings
from crmflags.sync.snapshot import encode_client
from crmflags.sync.state import StateStore
from crmflags_hubspot.connector import HubSpotConnector
from crmflags_hubspot.reading import cache_kind
from crmflags_pipedrive.connector import PipedriveConnector

AS_OF = "2026-11-20"
SETTINGS = Settings(timezone=ZoneInfo("Europe/Budapest"), timezone_name="Europe/Budapest")
RELATED = ("calls", "emails", "meetings", "notes", "invoices")
OVERDUE = {
    "hs_invoice_status": "open",
    "hs_invoice_date": "2026-08-01",
    "hs_due_date": "2026-09-01",
    "hs_amount_billed": "4000.00",
    "hs_balance_due": "4000.00",
    "hs_currency": "EUR",
}


def sync(fake, *args: str):
    result = CliRunner().invoke(
        cli, ["sync", "--base-url", fake.base_url, "--as-of", AS_OF, *args], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return result


def kept_picture(tmp_path, source: str) -> dict[str, str]:
    with StateStore(tmp_path / "state.db") as store:
        return dict(store.snapshot_clients(source))


def full_picture(connector: IncrementalConnector) -> dict[str, str]:
    """What a full read by a new connector gives, encoded as the snapshot keeps it."""
    return {c.id: encode_client(c) for c in connector.read() if isinstance(c, Client)}


def cached(tmp_path, source: str, kind: str, ids: list[str]):
    if source == PORTAL:
        kind = cache_kind(kind)  # HubSpot's kinds name the properties read too
    with StateStore(tmp_path / "state.db") as store:
        return store.kept_records(source).get(kind, ids)


# -- HubSpot -------------------------------------------------------------------------

PORTAL = "hubspot:77"


@pytest.fixture
def hubspot(tmp_path, monkeypatch):
    """A fake portal of 30 companies with 8 engagements and 4 invoices each, set up and
    synced once whole; the CLI's connector paces on a clock that never waits."""
    real = App.connector

    def connector(self, name, source, base_url):
        made = real(self, name, source, base_url)
        clock = FakeTime()
        return HubSpotConnector(made.options, sleep=clock.sleep, clock=clock.clock)

    monkeypatch.setattr(App, "connector", connector)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "crmflags.yaml").write_text(
        "connector: hubspot\ntimezone: Europe/Budapest\nstate: state.db\nhubspot:\n  portal: '77'\n"
    )
    with FakeHubSpot(burst_limit=10**6, search_per_second=10**6) as fake:
        monkeypatch.setenv("HUBSPOT_TOKEN", fake.token)
        fake.generate(30, seed=3, invoices=4, engagements=8)
        result = CliRunner().invoke(cli, ["setup", "--base-url", fake.base_url])
        assert result.exit_code == 0, result.output
        sync(fake)
        yield fake


def hubspot_full(fake: FakeHubSpot) -> dict[str, str]:
    options = ConnectorOptions(settings=SETTINGS, base_url=fake.base_url, config={"portal": "77"})
    return full_picture(HubSpotConnector(options, sleep=FakeTime().sleep))


def related_reads(fake: FakeHubSpot, start: int) -> list[str]:
    """The engagement and invoice ids batch-read from request number ``start`` on."""
    return [
        item["id"]
        for entry in list(fake.log.entries)[start:]
        if entry.path.startswith("/crm/v3/objects/")
        and entry.path.endswith("/batch/read")
        and entry.path.split("/")[4] in RELATED
        for item in entry.body["inputs"]
    ]


def a_company_with(fake: FakeHubSpot, kind: str, skip: int = 0) -> tuple[str, str]:
    found = [(c, fake.associated("companies", c, kind)) for c in fake.ids()]
    company, linked = [(c, linked) for c, linked in found if linked][skip]
    return company, linked[0]


def test_hubspot_no_change_reads_no_engagement_and_no_association(hubspot, tmp_path):
    start = len(hubspot.log.entries)
    sync(hubspot)
    paths = [e.path for e in list(hubspot.log.entries)[start:]]
    assert related_reads(hubspot, start) == []
    assert not [p for p in paths if p.startswith("/crm/v4/associations/companies/")]
    assert kept_picture(tmp_path, PORTAL) == hubspot_full(hubspot)


def test_hubspot_a_changed_engagement_is_the_only_record_read_again(hubspot, tmp_path):
    company, call = a_company_with(hubspot, "calls")
    before = kept_picture(tmp_path, PORTAL)[company]
    hubspot.modify(call, {"hs_call_direction": "OUTBOUND", "hs_call_title": "Angry"}, "calls")
    hubspot.add_invoice(company, OVERDUE)
    start = len(hubspot.log.entries)
    sync(hubspot)
    new_invoice = hubspot.associated("companies", company, "invoices")[-1]
    assert sorted(related_reads(hubspot, start)) == sorted([call, new_invoice])
    picture = kept_picture(tmp_path, PORTAL)
    assert picture[company] != before
    assert picture == hubspot_full(hubspot)
    assert cached(tmp_path, PORTAL, "calls", [call])[call].data["properties"]["hs_call_title"] == (
        "Angry"
    )


def test_hubspot_an_engagement_moved_to_another_company_leaves_the_first(hubspot, tmp_path):
    left, call = a_company_with(hubspot, "calls")
    joined = next(c for c in hubspot.ids() if c != left)
    hubspot.relink("calls", call, joined)
    hubspot.modify(call, {"hs_call_title": "Moved"}, "calls")
    start = len(hubspot.log.entries)
    sync(hubspot)
    assert related_reads(hubspot, start) == [call]
    assert kept_picture(tmp_path, PORTAL) == hubspot_full(hubspot)


def test_hubspot_a_deleted_engagement_is_dropped_by_the_next_full_read(hubspot, tmp_path):
    company, call = a_company_with(hubspot, "calls")
    other, note = a_company_with(hubspot, "notes", skip=1)
    hubspot.archive("calls", call)
    hubspot.archive("notes", note)
    hubspot.add_engagement("emails", other, {"hs_timestamp": "2026-11-19T09:00:00Z"})
    sync(hubspot)
    # The company whose history changed otherwise is read again, without the note.
    assert kept_picture(tmp_path, PORTAL)[other] == hubspot_full(hubspot)[other]
    assert call in cached(tmp_path, PORTAL, "calls", [call])  # nothing listed it as gone
    start = len(hubspot.log.entries)
    sync(hubspot, "--full")
    everything = sum(len(hubspot.ids(kind)) for kind in RELATED)
    assert len(related_reads(hubspot, start)) == everything
    assert cached(tmp_path, PORTAL, "calls", [call]) == {}
    assert kept_picture(tmp_path, PORTAL) == hubspot_full(hubspot)


def test_hubspot_a_run_killed_before_its_save_leaves_the_cache_as_it_was(
    hubspot, tmp_path, monkeypatch
):
    company, call = a_company_with(hubspot, "calls")
    version = cached(tmp_path, PORTAL, "calls", [call])[call].version
    hubspot.modify(call, {"hs_call_title": "Twice"}, "calls")

    def killed(*args, **kwargs):
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(StateStore, "save_snapshot", killed)
        dead = CliRunner().invoke(cli, ["sync", "--base-url", hubspot.base_url])
    assert dead.exit_code != 0  # interrupted just before it saved
    assert cached(tmp_path, PORTAL, "calls", [call])[call].version == version
    start = len(hubspot.log.entries)
    sync(hubspot)
    assert related_reads(hubspot, start) == [call]
    assert cached(tmp_path, PORTAL, "calls", [call])[call].version != version
    assert kept_picture(tmp_path, PORTAL) == hubspot_full(hubspot)


# -- Pipedrive -----------------------------------------------------------------------

ACCOUNT = "pipedrive:acme"


@pytest.fixture
def pipedrive(tmp_path, monkeypatch):
    """A fake account of 30 organizations with 12 activities and 3 notes each, set up and
    synced once whole; connectors pace on a clock that never waits."""
    clock = FakeTime()
    monkeypatch.setattr(
        "crmflags_pipedrive.connector.time",
        SimpleNamespace(sleep=clock.sleep, monotonic=clock.monotonic),
    )
    monkeypatch.chdir(tmp_path)
    (tmp_path / "crmflags.yaml").write_text(
        "connector: pipedrive\ntimezone: Europe/Budapest\nstate: state.db\n"
        "pipedrive:\n  domain: acme\n  requests_per_2s: 100\n"
    )
    with FakePipedrive("pd-token", burst_limit=10_000, daily_budget=10**7) as fake:
        monkeypatch.setenv("PIPEDRIVE_API_TOKEN", fake.token)
        fake.seed(30, seed=3, activities=12, notes=3)
        result = CliRunner().invoke(cli, ["setup", "--base-url", fake.base_url])
        assert result.exit_code == 0, result.output
        sync(fake)
        yield fake


def pipedrive_full(fake: FakePipedrive) -> dict[str, str]:
    options = ConnectorOptions(settings=SETTINGS, base_url=fake.base_url, config={"domain": "acme"})
    return full_picture(PipedriveConnector(options, sleep=lambda seconds: None))


def history_lists(fake: FakePipedrive, start: int) -> list[str]:
    """The history lists read whole (not only what changed) from request ``start`` on."""
    kinds = ("persons", "deals", "activities", "notes")
    return [
        e.path
        for e in list(fake.log.entries)[start:]
        if e.method == "GET"
        and e.path.rsplit("/", 1)[-1] in kinds
        and "updated_since" not in e.query
        and "ids" not in e.query
    ]


def test_pipedrive_a_changed_activity_is_folded_in_without_listing_history(pipedrive, tmp_path):
    org = pipedrive.ids()[0]
    activity = next(
        a for a in pipedrive.ids("activities") if pipedrive.activity(a)["org_id"] == org
    )
    pipedrive.touch("activities", activity, subject="Shouting on the phone", done=True)
    pipedrive.add_note(org, "<p>Threatened to sue.</p>")
    start = len(pipedrive.log.entries)
    sync(pipedrive)
    assert history_lists(pipedrive, start) == []
    assert kept_picture(tmp_path, ACCOUNT) == pipedrive_full(pipedrive)


def test_pipedrive_no_change_lists_only_what_changed(pipedrive, tmp_path):
    start = len(pipedrive.log.entries)
    sync(pipedrive)
    assert history_lists(pipedrive, start) == []
    assert kept_picture(tmp_path, ACCOUNT) == pipedrive_full(pipedrive)


def test_pipedrive_a_person_who_moves_takes_their_activities_along(pipedrive, tmp_path):
    first, second = pipedrive.ids()[:2]
    person = pipedrive.add_person(first, "Nora Vass")
    pipedrive.add_activity(None, "call", "2026-11-18", "21:30", person_id=person, done=True)
    pipedrive.add_note(None, "<p>Nora is unhappy.</p>", person_id=person)
    sync(pipedrive)
    assert kept_picture(tmp_path, ACCOUNT) == pipedrive_full(pipedrive)
    pipedrive.touch("persons", person, org_id=second)
    start = len(pipedrive.log.entries)
    sync(pipedrive)
    assert history_lists(pipedrive, start) == []
    assert kept_picture(tmp_path, ACCOUNT) == pipedrive_full(pipedrive)


def test_pipedrive_activities_deleted_or_undone_leave_the_history(pipedrive, tmp_path):
    pipedrive.list_deleted = True  # §9: whether lists show deleted items is UNCONFIRMED
    done = [a for a in pipedrive.ids("activities") if pipedrive.activity(a)["done"]]
    pipedrive.delete("activities", done[0])
    pipedrive.touch("activities", done[1], done=False, marked_as_done_time=None)
    sync(pipedrive)
    gone = cached(tmp_path, ACCOUNT, "activities", [str(done[0]), str(done[1])])
    assert gone == {}
    assert kept_picture(tmp_path, ACCOUNT) == pipedrive_full(pipedrive)


def test_pipedrive_a_store_without_a_complete_cache_lists_history_once(pipedrive, tmp_path):
    db = sqlite3.connect(tmp_path / "state.db")
    with db:
        db.execute("DELETE FROM record_cache")  # as a store of before the cache
        db.execute("DELETE FROM record_caches")
    db.close()
    org = pipedrive.ids()[0]
    pipedrive.add_note(org, "<p>First note since the upgrade.</p>")
    start = len(pipedrive.log.entries)
    sync(pipedrive)
    assert history_lists(pipedrive, start)  # read whole once, filling the cache
    pipedrive.add_note(org, "<p>And another.</p>")
    start = len(pipedrive.log.entries)
    sync(pipedrive)
    assert history_lists(pipedrive, start) == []
    assert kept_picture(tmp_path, ACCOUNT) == pipedrive_full(pipedrive)
