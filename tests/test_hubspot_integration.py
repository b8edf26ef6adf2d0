"""The HubSpot connector end to end against the fake HubSpot server on 127.0.0.1."""

from __future__ import annotations

import json
import math

import pytest
from click.testing import CliRunner
from fakes.hubspot import FakeHubSpot

from crmflags.cli import cli

AS_OF = "2026-11-20"


@pytest.fixture
def hubspot(tmp_path, monkeypatch):
    with FakeHubSpot(burst_window=1.0) as fake:
        fake.generate(250, seed=3)
        monkeypatch.setenv("HUBSPOT_TOKEN", fake.token)
        monkeypatch.chdir(tmp_path)
        (tmp_path / "crmflags.yaml").write_text(
            "connector: hubspot\ntimezone: Europe/Budapest\nstate: state.db\n"
            "hubspot:\n  portal: '4242'\n  requests_per_10s: 250\n"
        )
        setup = CliRunner().invoke(cli, ["setup", "--base-url", fake.base_url])
        assert setup.exit_code == 0, setup.output
        fake.reset_limits()
        yield fake


def sync(fake: FakeHubSpot, *args: str):
    return CliRunner().invoke(
        cli, ["sync", "--base-url", fake.base_url, "--as-of", AS_OF, *args], catch_exceptions=False
    )


def test_full_sync_writes_in_batches_then_nothing_through_a_503_and_a_429_burst(hubspot):
    fake = hubspot
    fake.fail_next(status=503, times=1, path_prefix="/crm/v3/objects/companies/batch/read")
    fake.burst_limit = 5  # well below what the run needs: it meets 429s and waits them out
    first = sync(fake)
    assert first.exit_code == 0, first.output
    changed = int(first.stdout.split(" changed")[0].rsplit(", ", 1)[1])
    assert changed == 250
    assert fake.statuses[429] >= 1  # the burst limit was met and waited out
    batches = {  # a batch refused with a 429 is sent again as it was
        json.dumps(body)
        for method, path, body in fake.requests
        if path == "/crm/v3/objects/companies/batch/update"
    }
    assert len(batches) == math.ceil(changed / 100)
    levels = {fake.get("companies", cid)["crmflags_risk_level"] for cid in fake.ids("companies")}
    assert levels <= {"ok", "watch", "warning", "fire"} and len(levels) > 1
    fake.burst_limit = 1000
    before = fake.count("/crm/v3/objects/companies/batch/update")
    second = sync(fake)
    assert second.exit_code == 0 and " 0 changed" in second.stdout
    assert fake.count("/crm/v3/objects/companies/batch/update") == before  # 0 write calls


def test_a_wrong_token_is_exit_3_without_the_token_in_the_message(hubspot, monkeypatch):
    monkeypatch.setenv("HUBSPOT_TOKEN", "pat-wrong-0123456789")
    result = sync(hubspot)
    assert result.exit_code == 3
    assert "0123456789" not in result.output


def test_an_incomplete_invoice_is_left_out_with_a_warning_not_the_whole_company(hubspot):
    fake = hubspot
    company = fake.ids("companies")[0]
    invoice = fake.add_invoice(
        company, {"hs_invoice_status": "paid", "hs_invoice_date": "2026-01-01"}
    )
    result = sync(fake)
    assert result.exit_code == 0, result.output
    assert (
        f"1 invoice has no hs_due_date or hs_amount_billed (invoice {invoice}): left out"
        in result.stderr
    )
    assert fake.get("companies", company)["crmflags_risk_level"] in {
        "ok",
        "watch",
        "warning",
        "fire",
    }


def updated_ids(fake: FakeHubSpot) -> list[str]:
    """The ids of every company update HubSpot took, in order."""
    return [
        item["id"]
        for entry in list(fake.log.entries)
        if entry.path == "/crm/v3/objects/companies/batch/update" and entry.status < 300
        for item in entry.body["inputs"]
    ]


def run_detail(run_id: int) -> dict:
    shown = CliRunner().invoke(cli, ["runs", str(run_id), "--format", "json"])
    assert shown.exit_code == 0, shown.output
    return json.loads(shown.stdout)


def test_a_spent_daily_limit_stops_the_sync_and_the_next_run_writes_the_rest(hubspot):
    fake = hubspot
    before = fake.count()
    assert sync(fake, "--dry-run").exit_code == 0
    reading = fake.count() - before
    fake.reset_limits()
    # The read fits, then one batch (its version check and update) and the next check.
    fake.daily_limit = reading + 3
    stopped = sync(fake)
    assert stopped.exit_code == 1, stopped.output
    assert "daily API limit is used up" in stopped.stderr
    assert fake.token not in stopped.output
    taken = updated_ids(fake)
    assert len(taken) == 100
    detail = run_detail(1)
    assert detail["exit_code"] == 1 and detail["counts"]["changed"] == 100
    status = {w["client_id"]: w["status"] for w in detail["writes"]}
    assert {i for i, s in status.items() if s == "applied"} == set(taken)
    assert {i for i, s in status.items() if s == "abandoned"} == set(status) - set(taken)
    fake.daily_limit = 250_000
    fake.reset_limits()
    resumed = sync(fake)
    assert resumed.exit_code == 0, resumed.output
    assert " 150 changed" in resumed.stdout
    rest = updated_ids(fake)[len(taken) :]
    assert sorted(rest) == sorted(set(fake.ids("companies")) - set(taken))


def test_a_daily_limit_met_while_reading_is_exit_1_and_writes_nothing(hubspot):
    fake = hubspot
    fake.daily_limit = 10
    stopped = sync(fake)
    assert stopped.exit_code == 1, stopped.output
    assert "daily API limit is used up" in stopped.stderr
    assert updated_ids(fake) == []
    fake.daily_limit = 250_000
    fake.reset_limits()
    resumed = sync(fake)
    assert resumed.exit_code == 0 and " 250 changed" in resumed.stdout


def test_a_new_timeout_or_pacing_keeps_the_next_sync_incremental(hubspot, tmp_path):
    fake = hubspot
    assert sync(fake).exit_code == 0
    config = tmp_path / "crmflags.yaml"
    config.write_text(config.read_text().replace("250\n", "200\n") + "  timeout: 12\n")
    second = sync(fake)
    assert second.exit_code == 0, second.output
    assert "changed since the last run" in second.stdout
