"""``crmflags setup`` against the fake HubSpot server: group, properties, tag options, scopes."""

from __future__ import annotations

import pytest
import requests
from click.testing import CliRunner
from fakes.hubspot import FakeHubSpot

from crmflags.cli import cli
from crmflags.tags import TAGS

PROPERTIES = "/crm/v3/properties/companies"
RISK_PROPERTIES = (
    "crmflags_risk_level",
    "crmflags_risk_score",
    "crmflags_risk_tags",
    "crmflags_risk_reasons",
    "crmflags_risk_changed_at",
)


@pytest.fixture
def hubspot(tmp_path, monkeypatch):
    with FakeHubSpot() as fake:
        monkeypatch.setenv("HUBSPOT_TOKEN", fake.token)
        monkeypatch.delenv("CRMFLAGS_CONFIG", raising=False)
        monkeypatch.chdir(tmp_path)
        yield fake


def setup(fake: FakeHubSpot, *args: str):
    return CliRunner().invoke(
        cli,
        ["setup", "--connector", "hubspot", "--base-url", fake.base_url, *args],
        catch_exceptions=False,
    )


def schema_writes(fake: FakeHubSpot) -> int:
    return fake.count(PROPERTIES, method="POST") + fake.count(PROPERTIES, method="PATCH")


def api(fake: FakeHubSpot, method: str, path: str, body: dict | None = None) -> dict:
    """Ask the fake's properties API directly, as HubSpot's own settings pages would."""
    answer = requests.request(
        method,
        f"{fake.base_url}{PROPERTIES}{path}",
        json=body,
        headers={"Authorization": f"Bearer {fake.token}"},
        timeout=10,
    )
    answer.raise_for_status()
    return answer.json()


def stored(fake: FakeHubSpot, name: str) -> dict:
    return api(fake, "GET", f"/{name}")


def test_first_setup_creates_the_group_and_the_five_properties(hubspot):
    result = setup(hubspot)
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 6
    assert api(hubspot, "GET", "/groups/crmflags")["label"] == "crmflags risk"
    props = {name: stored(hubspot, name) for name in RISK_PROPERTIES}
    kinds = {name: (p["type"], p["fieldType"]) for name, p in props.items()}
    assert kinds == {
        "crmflags_risk_level": ("string", "text"),
        "crmflags_risk_score": ("string", "text"),
        "crmflags_risk_tags": ("enumeration", "checkbox"),
        "crmflags_risk_reasons": ("string", "textarea"),
        "crmflags_risk_changed_at": ("string", "text"),
    }
    assert {p["groupName"] for p in props.values()} == {"crmflags"}
    assert [o["value"] for o in props["crmflags_risk_tags"]["options"]] == list(TAGS)


def test_a_second_setup_does_nothing(hubspot):
    assert setup(hubspot).exit_code == 0
    before = schema_writes(hubspot)
    again = setup(hubspot)
    assert again.exit_code == 0
    assert again.stdout == "nothing to do: everything is in place\n"
    assert schema_writes(hubspot) == before


def test_missing_tags_are_added_keeping_foreign_options_in_their_order(hubspot):
    assert setup(hubspot).exit_code == 0
    options = stored(hubspot, "crmflags_risk_tags")["options"]
    kept = [o for o in options if o["value"] not in ("abusive", "gut_feeling")]
    foreign = {"label": "VIP", "value": "vip", "hidden": False, "displayOrder": 0}
    api(hubspot, "PATCH", "/crmflags_risk_tags", {"options": [foreign, *kept]})
    before = hubspot.count(PROPERTIES, method="PATCH")
    result = setup(hubspot)
    assert result.exit_code == 0, result.output
    assert result.stdout == "added 2 options to crmflags_risk_tags: abusive, gut_feeling\n"
    assert hubspot.count(PROPERTIES, method="PATCH") == before + 1
    after = stored(hubspot, "crmflags_risk_tags")["options"]
    assert after[: len(kept) + 1] == [foreign, *kept]
    assert [o["value"] for o in after[len(kept) + 1 :]] == ["abusive", "gut_feeling"]


def test_the_csv_connector_has_nothing_to_set_up(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "clients.csv").write_text("id,name\nc-1,Acme\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["setup", "--connector", "csv", "--source", str(folder)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == "nothing to do: everything is in place\n"


def test_a_token_without_the_schema_scope_is_exit_3_naming_it(hubspot, monkeypatch):
    hubspot.add_token("read-only-token", ["crm.objects.companies.read"])
    monkeypatch.setenv("HUBSPOT_TOKEN", "read-only-token")
    result = setup(hubspot)
    assert result.exit_code == 3
    assert "crm.schemas.companies.write" in result.stderr
    groups = api(hubspot, "GET", "/groups")["results"]
    assert "crmflags" not in {g["name"] for g in groups}


def test_a_hidden_tag_option_is_made_visible(hubspot):
    assert setup(hubspot).exit_code == 0
    options = stored(hubspot, "crmflags_risk_tags")["options"]
    for option in options:
        option["hidden"] = option["value"] == "late_payer"
    api(hubspot, "PATCH", "/crmflags_risk_tags", {"options": options})
    result = setup(hubspot)
    assert result.exit_code == 0
    assert result.stdout == "made 1 hidden options of crmflags_risk_tags visible: late_payer\n"
    assert not any(o["hidden"] for o in stored(hubspot, "crmflags_risk_tags")["options"])


def test_a_single_select_tags_property_is_refused(hubspot):
    api(hubspot, "POST", "/groups", {"name": "crmflags", "label": "crmflags"})
    options = [{"label": "Mine", "value": "mine", "hidden": False, "displayOrder": 0}]
    api(
        hubspot,
        "POST",
        "",
        {
            "name": "crmflags_risk_tags",
            "label": "tags",
            "type": "enumeration",
            "fieldType": "select",
            "groupName": "crmflags",
            "options": options,
        },
    )
    result = setup(hubspot)
    assert result.exit_code == 2
    assert (
        "crmflags_risk_tags on companies is a select field; it must be multiple checkboxes"
        in result.stderr
    )
