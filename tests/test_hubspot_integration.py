"""The HubSpot connector end to end against the fake HubSpot server on 127.0.0.1."""

from __future__ import annotations

import math

import pytest
import requests
from click.testing import CliRunner
from fakes.hubspot import FakeHubSpot

from crmflags.cli import cli
from crmflags.tags import TAGS

AS_OF = "2026-11-20"


def create_risk_properties(fake: FakeHubSpot) -> None:
    """Create the crmflags property group and risk properties (crmflags setup will do this)."""
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {fake.token}"
    base = f"{fake.base_url}/crm/v3/properties/companies"
    session.post(
        f"{base}/groups", json={"name": "crmflags", "label": "crmflags"}
    ).raise_for_status()
    text = {"type": "string", "fieldType": "text", "groupName": "crmflags"}
    for name in ("risk_level", "risk_score", "risk_reasons", "risk_changed_at"):
        session.post(
            base, json={**text, "name": f"crmflags_{name}", "label": name}
        ).raise_for_status()
    options = [{"label": tag, "value": tag, "hidden": False} for tag in TAGS]
    session.post(
        base,
        json={
            "name": "crmflags_risk_tags",
            "label": "risk tags",
            "type": "enumeration",
            "fieldType": "checkbox",
            "groupName": "crmflags",
            "options": options,
        },
    ).raise_for_status()


@pytest.fixture
def hubspot(tmp_path, monkeypatch):
    with FakeHubSpot(burst_window=1.0) as fake:
        fake.generate(250, seed=3)
        create_risk_properties(fake)
        fake.reset_limits()
        monkeypatch.setenv("HUBSPOT_TOKEN", fake.token)
        monkeypatch.chdir(tmp_path)
        (tmp_path / "crmflags.yaml").write_text(
            "connector: hubspot\ntimezone: Europe/Budapest\nstate: state.db\n"
            "hubspot:\n  portal: '4242'\n  requests_per_10s: 250\n"
        )
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
    updates = fake.count("/crm/v3/objects/companies/batch/update", method="POST")
    assert updates == math.ceil(changed / 100)
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
