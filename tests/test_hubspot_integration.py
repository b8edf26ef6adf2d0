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
    fake.add_invoice(company, {"hs_invoice_status": "paid", "hs_invoice_date": "2026-01-01"})
    result = sync(fake)
    assert result.exit_code == 0, result.output
    assert "invoices have no hs_due_date or hs_amount_billed" in result.stderr
    assert fake.get("companies", company)["crmflags_risk_level"] in {
        "ok",
        "watch",
        "warning",
        "fire",
    }
