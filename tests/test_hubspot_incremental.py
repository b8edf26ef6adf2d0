"""The hubspot connector's incremental reads (read_changed) against the fake HubSpot."""

from __future__ import annotations

import math
import re
from collections import Counter
from datetime import datetime, timezone

import pytest
from click.testing import CliRunner
from fakes.clock import FakeTime
from fakes.hubspot import FakeHubSpot

from crmflags.cli import cli
from crmflags.cli.app import App
from crmflags.connector import ClientChange, ConnectorOptions
from crmflags.errors import InputError
from crmflags.model import Client
from crmflags.sync.state import StateStore
from crmflags_hubspot import incremental
from crmflags_hubspot.connector import HubSpotConnector

COMPANY_READ = "/crm/v3/objects/companies/batch/read"
COMPANY_SEARCH = "/crm/v3/objects/companies/search"
CALLED_AT = datetime(2026, 11, 19, 9, tzinfo=timezone.utc)


@pytest.fixture
def fake(monkeypatch):
    # Limits well above what the tests need: pacing runs on a clock that never waits.
    with FakeHubSpot(burst_limit=100_000, search_per_second=100_000) as hubspot:
        hubspot.generate(120, seed=5)
        monkeypatch.setenv("HUBSPOT_TOKEN", hubspot.token)
        yield hubspot


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def connector(fake, settings, fake_time):
    hubspot = HubSpotConnector(
        ConnectorOptions(settings=settings, base_url=fake.base_url),
        sleep=fake_time.sleep,
        clock=fake_time.clock,
        backoff_factor=0,
    )
    hubspot.setup()
    return hubspot


def full_read(connector: HubSpotConnector) -> tuple[str, list[Client]]:
    """Read everything as a sync does; return the cursor it keeps and the clients."""
    cursor = connector.start_cursor()
    clients = [c for c in connector.read() if isinstance(c, Client)]
    return connector.cursor_after_write(cursor), clients


def changed(connector: HubSpotConnector, cursor: str, again=()):
    """Read what changed since ``cursor``; return the clients by id, the removed and cursor."""
    result = connector.read_changed(cursor, again)
    clients = {c.client_id if not isinstance(c, Client) else c.id: c for c in result.clients}
    return clients, result.removed, connector.cursor_after_write(result.cursor)


def test_only_companies_edited_since_the_cursor_are_read_again(fake, connector):
    cursor, clients = full_read(connector)
    assert len(clients) == 120
    edited = fake.ids()[:3]
    for company_id in edited:
        fake.modify(company_id, {"name": f"Renamed {company_id}"})
    reads = fake.count(COMPANY_READ)
    clients, removed, cursor = changed(connector, cursor)
    assert set(clients) == set(edited) and removed == set()
    assert clients[edited[0]].name == f"Renamed {edited[0]}"
    assert fake.count(COMPANY_READ) == reads + 1  # 3 companies: one batch read
    again, _, _ = changed(connector, cursor)
    assert again == {}  # the versions read are known: nothing new


def test_the_syncs_own_writes_are_not_changes_but_a_later_edit_is(fake, connector):
    cursor = connector.start_cursor()
    ids = [c.id for c in connector.read() if isinstance(c, Client)]
    report = connector.write([ClientChange(i, {"risk_level": "watch"}) for i in ids])
    assert report.written == 120
    plain = cursor  # what a sync keeps if it never asks for the versions written
    cursor = connector.cursor_after_write(cursor)
    assert changed(connector, cursor)[0] == {}
    assert set(changed(connector, plain)[0]) == set(ids)  # every write looks like a change
    person = ids[7]
    fake.modify(person, {"crmflags_risk_level": "ok"})  # someone edits a risk field
    clients, _, _ = changed(connector, cursor)
    assert list(clients) == [person] and clients[person].risk["risk_level"] == "ok"


def test_an_edit_between_the_read_and_the_write_is_read_next_time(fake, connector):
    cursor = connector.start_cursor()
    ids = [c.id for c in connector.read() if isinstance(c, Client)]
    edited = ids[3]
    fake.modify(edited, {"name": "Edited while the sync ran"})
    connector.write([ClientChange(i, {"risk_level": "watch"}) for i in ids])
    clients, _, _ = changed(connector, connector.cursor_after_write(cursor))
    assert list(clients) == [edited] and clients[edited].name == "Edited while the sync ran"


def test_writing_a_company_the_run_did_not_read_again_is_no_change(fake, connector):
    cursor, _ = full_read(connector)
    result = connector.read_changed(cursor, ())
    assert list(result.clients) == []
    overdue = fake.ids()[40]  # an invoice fell overdue: the sync writes a company it kept
    connector.write([ClientChange(overdue, {"risk_level": "warning"})])
    assert changed(connector, connector.cursor_after_write(result.cursor))[0] == {}


def test_new_and_edited_history_brings_its_company_back(fake, connector):
    cursor, _ = full_read(connector)
    called, billed, noted = fake.ids()[10:13]
    fake.add_engagement(
        "calls", called, {"hs_timestamp": "2026-11-19T09:00:00Z", "hs_call_direction": "INBOUND"}
    )
    fake.add_invoice(
        billed,
        {
            "hs_invoice_status": "open",
            "hs_invoice_date": "2026-10-01",
            "hs_due_date": "2026-10-31",
            "hs_amount_billed": "999.00",
            "hs_currency": "EUR",
        },
    )
    note = fake.add_engagement("notes", noted, {"hs_note_body": "fine"})
    clients, _, cursor = changed(connector, cursor)
    assert set(clients) == {called, billed, noted}
    assert CALLED_AT in [a.occurred_at for a in clients[called].activities]
    assert 999 in [i.amount for i in clients[billed].invoices]
    fake.modify(note, {"hs_note_body": "<p>Client unhappy</p>"}, object_type="notes")
    clients, _, _ = changed(connector, cursor)
    assert set(clients) == {noted}
    assert "Client unhappy" in [n.body for n in clients[noted].notes]


def test_archived_and_merged_companies_are_removed_and_not_read(fake, connector):
    cursor, _ = full_read(connector)
    archived, survivor, absorbed = fake.ids()[20:23]
    fake.add_engagement("calls", absorbed, {"hs_timestamp": "2026-11-19T09:00:00Z"})
    fake.archive("companies", archived)
    fake.merge(survivor, absorbed)
    clients, removed, cursor = changed(connector, cursor, again=[absorbed])
    assert removed == {archived, absorbed}
    assert set(clients) == {survivor}  # the merge changed it, and it has the absorbed call
    assert CALLED_AT in [a.occurred_at for a in clients[survivor].activities]
    assert changed(connector, cursor)[:2] == ({}, set())  # each is reported once


def test_companies_asked_for_again_are_read_unchanged(fake, connector):
    cursor, _ = full_read(connector)
    again = fake.ids()[30:32]
    clients, removed, _ = changed(connector, cursor, again=again)
    assert set(clients) == set(again) and removed == set()


@pytest.mark.parametrize("opaque", [False, True], ids=["numeric-after", "opaque-after"])
def test_search_pages_past_the_result_cap_by_moving_the_window(
    fake, connector, monkeypatch, opaque
):
    monkeypatch.setattr(incremental, "SEARCH_CAP", 25)
    fake.search_cap = 25
    fake.opaque_cursors = opaque  # §2.6: `after` is an opaque cursor, never a number to count
    cursor, _ = full_read(connector)
    edited = fake.ids()[:90]
    for company_id in edited:
        fake.modify(company_id, {"city": "Porto"})
    searches = fake.count(COMPANY_SEARCH)
    clients, _, _ = changed(connector, cursor)
    assert set(clients) == set(edited)
    # 90 results, 25 a query, each next query starting at the last one seen: 4 queries.
    assert fake.count(COMPANY_SEARCH) - searches == 4
    assert fake.statuses[400] == 0  # never asked past the cap


@pytest.mark.parametrize("opaque", [False, True], ids=["numeric-after", "opaque-after"])
def test_more_ties_than_the_cap_are_walked_by_id(fake, connector, monkeypatch, opaque):
    monkeypatch.setattr(incremental, "SEARCH_CAP", 25)
    fake.search_cap = 25
    fake.opaque_cursors = opaque
    cursor, _ = full_read(connector)
    imported = fake.ids()[:70]
    fake.touch(imported)  # a bulk import: 70 companies modified in the same millisecond
    clients, _, _ = changed(connector, cursor)
    assert set(clients) == set(imported)
    assert fake.statuses[400] == 0


def test_a_cursor_it_did_not_write_asks_for_a_full_read(connector):
    with pytest.raises(InputError, match="--full"):
        connector.read_changed("last tuesday", ())


def test_searches_are_paced_at_four_a_second(connector, fake_time):
    assert fake_time.sleeps == []  # setting up made no search and stayed below the burst
    for _ in range(5):
        connector.http.post(COMPANY_SEARCH, {"limit": 1})
    assert fake_time.sleeps == [pytest.approx(1.0)]
    connector.http.get("/crm/v3/objects/companies", {"limit": 1})
    assert len(fake_time.sleeps) == 1  # other calls have their own, 10-second, pacing


# ----- crmflags sync end to end ---------------------------------------------------------

MANY = 25_000
LIST = "/crm/v3/objects/companies"
UPDATE = "/crm/v3/objects/companies/batch/update"
RELATED_TYPES = ("calls", "emails", "meetings", "notes", "invoices")


#: An invoice long overdue at the sync's date: it makes its company a late payer.
OVERDUE_INVOICE = {
    "hs_invoice_status": "open",
    "hs_invoice_date": "2026-08-01",
    "hs_due_date": "2026-08-31",
    "hs_amount_billed": "4000.00",
    "hs_balance_due": "4000.00",
    "hs_currency": "EUR",
}


def written_since(fake: FakeHubSpot, start: int) -> set[str]:
    """The ids of the companies batch updates sent from request number ``start`` on."""
    return {
        item["id"]
        for _, path, body in fake.requests[start:]
        if path == UPDATE
        for item in body["inputs"]
    }


@pytest.fixture
def portal(tmp_path, monkeypatch):
    """A factory of fake portals with N generated companies (a year of history each), set
    up for crmflags; the CLI's hubspot connector paces on a clock that never waits, and
    the fake's limits are generous."""
    real = App.connector

    def connector(self, name, source, base_url):
        made = real(self, name, source, base_url)
        time = FakeTime()
        return HubSpotConnector(made.options, sleep=time.sleep, clock=time.clock)

    monkeypatch.setattr(App, "connector", connector)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "crmflags.yaml").write_text(
        "connector: hubspot\ntimezone: Europe/Budapest\nstate: state.db\n"
        "hubspot:\n  portal: '77'\n  requests_per_10s: 250\n"
    )
    with FakeHubSpot(burst_limit=1_000_000, search_per_second=1_000_000) as hubspot:
        monkeypatch.setenv("HUBSPOT_TOKEN", hubspot.token)

        def make(companies: int) -> FakeHubSpot:
            hubspot.generate(companies, seed=11)
            assert run(hubspot, "setup").exit_code == 0
            hubspot.reset_limits()
            return hubspot

        yield make


def run(fake: FakeHubSpot, command: str, *args: str):
    return CliRunner().invoke(
        cli, [command, "--base-url", fake.base_url, *args], catch_exceptions=False
    )


def calls_by_path(fake: FakeHubSpot) -> Counter:
    return Counter({path: n for (_, path), n in fake.calls.items()})


def assert_near_minimum(made: Counter, minimum: dict[str, int]) -> None:
    """Each step's calls: at least the minimum, at most 5% over it."""
    for path, least in minimum.items():
        assert least <= made[path] <= math.ceil(least * 1.05), (path, made[path], least)


def assert_nothing_lost(fake: FakeHubSpot, tmp_path) -> dict:
    """Every live company holds what the last evaluation wanted; no state for gone ones."""
    with StateStore(tmp_path / "state.db") as store:
        results = store.last_results("hubspot:77")
    live = fake.ids()
    assert set(results) == set(live)
    for company_id in live:
        stored, wanted = fake.get("companies", company_id), results[company_id]
        assert stored["crmflags_risk_level"] == wanted.level, company_id
        tags = stored.get("crmflags_risk_tags")
        assert (tags.split(";") if tags else []) == sorted(wanted.tags), company_id
        assert float(stored["crmflags_risk_score"]) == wanted.score, company_id
    return results


def related_count(fake: FakeHubSpot, companies, kind: str) -> int:
    return len({r for c in companies for r in fake.associated("companies", c, kind)})


@pytest.mark.slow  # about 40 s: three syncs and a dry run of 25,000 companies
def test_25000_companies_synced_whole_then_only_what_changed(portal, tmp_path):
    fake = portal(MANY)
    fake.fail_next(status=429, times=3, path_prefix="/crm/v4/associations/companies/notes")
    fake.fail_next(status=503, times=1, path_prefix="/crm/v3/objects/companies/batch/read")
    before = calls_by_path(fake)
    first = run(fake, "sync")
    assert first.exit_code == 0, first.output
    assert f"{MANY} clients read" in first.stdout and f"{MANY} changed" in first.stdout
    made = calls_by_path(fake) - before
    pages = math.ceil(MANY / 100)
    # Companies are read twice: for the evaluation, and for their versions before the
    # writes (one more for the 503's retry).
    minimum = {LIST: pages, COMPANY_READ: 2 * pages + 1, UPDATE: pages}
    for kind in RELATED_TYPES:
        minimum[f"/crm/v4/associations/companies/{kind}/batch/read"] = pages
        minimum[f"/crm/v3/objects/{kind}/batch/read"] = math.ceil(
            related_count(fake, fake.ids(), kind) / 100
        )
    minimum["/crm/v4/associations/companies/notes/batch/read"] += 3  # the 429s, sent again
    assert_near_minimum(made, minimum)
    assert_nothing_lost(fake, tmp_path)

    dry = run(fake, "sync", "--dry-run")
    assert dry.exit_code == 0 and re.search(r"[1-9]\d* API calls", dry.stdout), dry.stdout

    ids = fake.ids()
    renamed, moved, noted, billed = ids[:100], ids[100:150], ids[150:250], ids[250:300]
    archived, (survivor, absorbed) = ids[300:320], ids[320:322]
    for company_id in renamed:
        fake.modify(company_id, {"name": f"Renamed {company_id}"})
    for company_id in moved:
        fake.modify(company_id, {"industry": "RETAIL"})
    for company_id in noted:
        fake.add_engagement("notes", company_id, {"hs_note_body": "Client unhappy with delays."})
    for company_id in billed:
        fake.add_invoice(company_id, OVERDUE_INVOICE)
    for company_id in archived:
        fake.archive("companies", company_id)
    fake.merge(survivor, absorbed)
    reread = {*renamed, *moved, *noted, *billed, survivor}
    before = calls_by_path(fake)
    writes_before = len(fake.requests)
    second = run(fake, "sync")
    assert second.exit_code == 0, second.output
    assert f"{len(reread)} clients read (changed since the last run" in second.stdout
    made = calls_by_path(fake) - before
    written = written_since(fake, writes_before)
    assert written and written <= reread  # nothing to archived or merged companies
    chunks = math.ceil(len(reread) / 100)
    minimum = {COMPANY_READ: chunks + math.ceil(len(written) / 100)}
    # Their history comes from the record cache, but for the records added since:
    # one new note per noted company, one new invoice per billed one.
    added = {"notes": len(noted), "invoices": len(billed)}
    for kind in RELATED_TYPES:
        minimum[f"/crm/v4/associations/companies/{kind}/batch/read"] = chunks
        minimum[f"/crm/v3/objects/{kind}/batch/read"] = math.ceil(added.get(kind, 0) / 100)
    # Every company the first sync wrote is found by the search (200 a page), then left.
    minimum[COMPANY_SEARCH] = math.ceil(MANY / 200)
    assert_near_minimum(made, minimum)
    assert made[LIST] == 1  # the archived companies, one page
    results = assert_nothing_lost(fake, tmp_path)
    assert not {*archived, absorbed} & set(results)
    assert all("late_payer" in results[c].tags for c in billed)  # the new overdue invoices

    updates = fake.count(UPDATE)
    third = run(fake, "sync")
    assert third.exit_code == 0 and " 0 changed" in third.stdout, third.output
    assert fake.count(UPDATE) == updates  # no write calls


def test_a_nightly_sync_reads_changes_and_forgets_archived_and_merged_companies(portal, tmp_path):
    fake = portal(300)
    assert run(fake, "sync").exit_code == 0
    ids = fake.ids()
    billed, archived, (survivor, absorbed) = ids[:5], ids[5:7], ids[7:9]
    for company_id in billed:
        fake.add_invoice(company_id, OVERDUE_INVOICE)
    for company_id in archived:
        fake.archive("companies", company_id)
    fake.merge(survivor, absorbed)
    writes_before = len(fake.requests)
    second = run(fake, "sync")
    assert second.exit_code == 0, second.output
    assert "clients read (changed since the last run" in second.stdout
    assert "3 removed" in second.stdout
    written = written_since(fake, writes_before)
    assert set(billed) <= written and not written & {*archived, absorbed}
    results = assert_nothing_lost(fake, tmp_path)
    assert not {*archived, absorbed} & set(results)
    assert all("late_payer" in results[c].tags for c in billed)
    updates = fake.count(UPDATE)
    third = run(fake, "sync")
    assert third.exit_code == 0 and " 0 changed" in third.stdout, third.output
    assert fake.count(UPDATE) == updates
