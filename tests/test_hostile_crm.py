"""HubSpot and Pipedrive syncs under attack, end to end against the fakes on 127.0.0.1.

Each test reproduces an attack of issue 17: a "200 OK" that is not the documented
answer on a full read, malformed JSON, a redirect to another host, an answer trickled
one byte at a time, a sync before setup, a batch refused with every record's errors in
one message. The CRM's failures are exit 5 and forget nothing; a token never leaves
its host; no run hangs.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from fakes.clock import FakeTime
from fakes.hubspot import FakeHubSpot
from fakes.pipedrive import FakePipedrive
from fakes.server import (
    Catcher,
    FakeServer,
    Injection,
    json_response,
    malformed_json,
    redirect,
    shape_attack,
    trickle,
)

from crmflags.cli import cli
from crmflags.http import CountingRetry

AS_OF = "2026-11-20"
PD_TOKEN = "pd-live-token-0123456789abcdef0123456789abcdef"
COMPANIES = 20


@pytest.fixture
def hubspot(tmp_path, monkeypatch):
    """A portal of 20 companies where setup ran; crmflags.yaml in the cwd."""
    with FakeHubSpot(burst_limit=100_000, search_per_second=100_000) as fake:
        fake.generate(COMPANIES, seed=11)
        monkeypatch.setenv("HUBSPOT_TOKEN", fake.token)
        monkeypatch.chdir(tmp_path)
        (tmp_path / "crmflags.yaml").write_text(
            "connector: hubspot\ntimezone: Europe/Budapest\nstate: state.db\n"
            "hubspot:\n  portal: '77'\n  requests_per_10s: 250\n  timeout: 1\n"
        )
        yield fake


@pytest.fixture
def pipedrive(tmp_path, monkeypatch):
    """A company of 20 organizations; crmflags.yaml in the cwd; pacing on a fake clock."""
    clock = FakeTime()
    monkeypatch.setattr(
        "crmflags_pipedrive.connector.time",
        SimpleNamespace(sleep=clock.sleep, monotonic=clock.monotonic),
    )
    with FakePipedrive(PD_TOKEN, burst_limit=10_000, daily_budget=10_000_000) as fake:
        fake.seed(COMPANIES, seed=11)
        monkeypatch.setenv("PIPEDRIVE_API_TOKEN", PD_TOKEN)
        monkeypatch.chdir(tmp_path)
        (tmp_path / "crmflags.yaml").write_text(
            "connector: pipedrive\ntimezone: Europe/Budapest\nstate: state.db\n"
            "pipedrive:\n  domain: acme\n  requests_per_2s: 100\n  timeout: 1\n"
        )
        yield fake


def run(fake, *args: str):
    return CliRunner().invoke(cli, [*args, "--base-url", fake.base_url], catch_exceptions=False)


def sync(fake, *args: str):
    return run(fake, "sync", "--as-of", AS_OF, *args)


def set_up_and_sync(fake) -> None:
    assert run(fake, "setup").exit_code == 0
    first = sync(fake)
    assert first.exit_code == 0, first.output
    fake.log.clear()


def evaluated(result) -> int:
    return int(re.search(r"(\d+) evaluated", result.stdout).group(1))


# ----- a 200 that is not the documented answer never reads as "no records" ---------------

HUBSPOT_LIST = "/crm/v3/objects/companies"
PIPEDRIVE_LIST = "/api/v2/organizations"


@pytest.mark.parametrize(
    "body",
    [{"ok": True}, {"results": "x"}, {"results": [None, 1, "a"]}, {}, {"results": [{}]}],
    ids=["ok-true", "results-text", "results-junk", "empty-object", "record-without-id"],
)
def test_a_hubspot_full_read_answered_off_the_spec_is_exit_5_and_forgets_no_one(hubspot, body):
    set_up_and_sync(hubspot)
    hubspot.answer_next(shape_attack(body, HUBSPOT_LIST, method="GET"))
    result = sync(hubspot, "--full")
    assert result.exit_code == 5, result.output
    assert f"HubSpot answered GET {HUBSPOT_LIST} with 200 in a shape it does not document" in (
        result.stderr
    )
    assert "forgot" not in result.output
    assert hubspot.count("/crm/v3/objects/companies/batch/update") == 0
    after = sync(hubspot)  # the next run still knows every client
    assert after.exit_code == 0, after.output
    assert evaluated(after) == COMPANIES


@pytest.mark.parametrize(
    "body",
    [
        {"ok": True},
        {"success": True, "data": "x"},
        {"success": True, "data": [None, 1, "a"]},
        {"data": []},  # no success: the envelope is not Pipedrive's (reference §2)
    ],
    ids=["ok-true", "data-text", "data-junk", "no-envelope"],
)
def test_a_pipedrive_full_read_answered_off_the_spec_is_exit_5_and_forgets_no_one(pipedrive, body):
    set_up_and_sync(pipedrive)
    pipedrive.answer_next(shape_attack(body, PIPEDRIVE_LIST, method="GET"))
    result = sync(pipedrive, "--full")
    assert result.exit_code == 5, result.output
    assert "Pipedrive answered GET /api/v2/organizations with 200 in a shape" in result.stderr
    assert "forgot" not in result.output
    after = sync(pipedrive)
    assert after.exit_code == 0, after.output
    assert evaluated(after) == COMPANIES


def test_hubspot_associations_off_the_spec_are_exit_5_too(hubspot):
    set_up_and_sync(hubspot)
    hubspot.answer_next(shape_attack({"results": [{"to": []}]}, "/crm/v4/associations/"))
    result = sync(hubspot, "--full")
    assert result.exit_code == 5
    assert "(results[0].from.id is missing)" in result.stderr


@pytest.mark.parametrize("deep", [False, True], ids=["cut-off", "nested-100000"])
@pytest.mark.parametrize("crm", ["hubspot", "pipedrive"])
def test_malformed_json_from_the_crm_is_a_named_error_not_a_traceback(request, crm, deep):
    fake = request.getfixturevalue(crm)
    set_up_and_sync(fake)
    path = HUBSPOT_LIST if crm == "hubspot" else PIPEDRIVE_LIST
    fake.answer_next(malformed_json(path, deep=deep, method="GET"))
    result = sync(fake, "--full")
    assert result.exit_code == 5
    assert f"answered GET {path} with 200 but no JSON object" in result.stderr
    assert "Traceback" not in result.output


# ----- tokens stay on their host ----------------------------------------------------------


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_pipedrives_token_never_follows_a_redirect_to_another_host(pipedrive, status):
    set_up_and_sync(pipedrive)
    with Catcher() as elsewhere:
        pipedrive.answer_next(
            redirect(f"{elsewhere.base_url}{PIPEDRIVE_LIST}?limit=500", status, times=12)
        )
        result = sync(pipedrive, "--full")
        assert elsewhere.requests == []  # no x-api-token, no request at all
    assert result.exit_code == 5
    assert f"Pipedrive redirected GET /api/v2/organizationFields ({status}) to another" in (
        result.stderr
    )
    assert PD_TOKEN not in result.output


def test_hubspots_token_never_follows_a_redirect_to_another_host(hubspot):
    set_up_and_sync(hubspot)
    with Catcher() as elsewhere:
        hubspot.answer_next(redirect(f"{elsewhere.base_url}/crm", 307, "/crm/v3/objects/"))
        result = sync(hubspot, "--full")
        assert elsewhere.requests == []
    assert result.exit_code == 5 and "not followed, so the credentials stay with" in result.stderr


def test_a_same_host_redirect_of_a_read_is_followed(pipedrive):
    set_up_and_sync(pipedrive)
    fields = f"{pipedrive.base_url}/api/v2/organizationFields?limit=500"
    pipedrive.answer_next(redirect(fields, 302, "/api/v2/organizationFields", method="GET"))
    result = sync(pipedrive, "--full")
    assert result.exit_code == 0, result.output
    assert pipedrive.count("/api/v2/organizationFields") == 2


# ----- no endless hang --------------------------------------------------------------------


@pytest.mark.parametrize("crm", ["hubspot", "pipedrive"])
def test_a_crm_trickling_its_answer_ends_the_run_at_the_deadline(request, crm, monkeypatch):
    fake = request.getfixturevalue(crm)
    set_up_and_sync(fake)
    config = Path("crmflags.yaml")
    config.write_text(config.read_text().replace("timeout: 1", "timeout: 0.5"))
    monkeypatch.setattr(CountingRetry, "sleep", lambda self, response=None: None)  # no backoff
    fake.answer_next(trickle(0.1, times=5))  # each of the 5 attempts: no socket timeout trips
    started = time.monotonic()
    result = sync(fake, "--full")
    took = time.monotonic() - started
    assert result.exit_code == 5, result.output
    assert "in full within 0.5 s, even after retries" in result.stderr
    assert took < 5 * 0.5 + 2  # five attempts of 0.5 s, not the 20 s each trickle lasts
    assert sync(fake).exit_code == 0  # and the lock is free for the next run


# ----- setup first; each failure line names its own error, once ----------------------------


def test_a_hubspot_sync_before_setup_writes_nothing_and_says_to_run_setup(hubspot):
    result = sync(hubspot)
    assert result.exit_code == 2, result.output
    assert "run `crmflags setup --connector hubspot` once, then sync again" in result.stderr
    assert hubspot.count("/crm/v3/objects/companies/batch/update") == 0
    assert len(result.stderr) < 2000


def test_a_pipedrive_sync_before_setup_writes_nothing_and_says_to_run_setup(pipedrive):
    result = sync(pipedrive)
    assert result.exit_code == 2, result.output
    assert "run `crmflags setup --connector pipedrive` once, then sync again" in result.stderr
    assert pipedrive.write_calls() == 0


def test_a_batch_refused_as_a_whole_gives_each_company_its_own_error_once(hubspot):
    assert run(hubspot, "setup").exit_code == 0
    ids = hubspot.ids()
    errors = [
        {"message": f'Property "crmflags_risk_level" on {i} is invalid', "context": {"id": [i]}}
        for i in ids
    ]
    whole = {
        "status": "error",
        "category": "VALIDATION_ERROR",
        "message": "Property values were not valid: " + " ".join(e["message"] for e in errors),
        "errors": errors,
    }
    hubspot.answer_next(Injection(1, 400, "/crm/v3/objects/companies/batch/update", body=whole))
    result = sync(hubspot)
    assert result.exit_code == 1, result.output
    lines = [line for line in result.stderr.splitlines() if "failed: client" in line]
    assert len(lines) == COMPANIES
    for company in ids:
        mine = [line for line in lines if f"client {company}:" in line]
        assert len(mine) == 1 and mine[0].count("is invalid") == 1
        assert f"on {company} is invalid" in mine[0]


# ----- HubSpot as documented --------------------------------------------------------------


@pytest.mark.parametrize("style", ["observed", "spec"])
def test_no_associations_in_either_documented_shape_is_no_failure(hubspot, style):
    hubspot.association_errors = style
    assert run(hubspot, "setup").exit_code == 0
    result = sync(hubspot)
    assert result.exit_code == 0, result.output
    assert " 0 failed" in result.stdout
    assert hubspot.statuses[207] > 0  # companies without some association type were met


def test_opaque_cursors_page_a_full_read(hubspot):
    hubspot.opaque_cursors = True
    for _ in range(130):  # more than one page of 100
        hubspot.add_company({"name": "Extra"})
    assert run(hubspot, "setup").exit_code == 0
    result = sync(hubspot)
    assert result.exit_code == 0, result.output
    assert evaluated(result) == COMPANIES + 130


# ----- webhook URLs are secrets -----------------------------------------------------------

SLACK_KEY = "XyZ0aBcD1eFgH2iJkL3mNoP4"


@pytest.mark.parametrize("log_format", ["plain", "json"])
def test_a_webhook_url_whose_path_is_the_key_is_never_printed_or_logged(
    pipedrive, tmp_path, log_format
):
    with FakeServer(lambda request: json_response(500, {"error": "down"})) as hook:
        url = f"{hook.base_url}/services/T0AAAAAAA/B0BBBBBBB/{SLACK_KEY}"
        config = tmp_path / "crmflags.yaml"
        config.write_text(config.read_text() + f"webhook:\n  url: {url}\n  retries: 0\n")
        assert run(pipedrive, "setup").exit_code == 0
        log = tmp_path / f"sync.{log_format}.log"
        result = CliRunner().invoke(
            cli,
            ["--log-file", str(log), "--log-format", log_format, "sync", "--as-of", AS_OF]
            + ["--base-url", pipedrive.base_url],
            catch_exceptions=False,
        )
    assert result.exit_code == 0, result.output
    written = log.read_text()
    stored = (tmp_path / "state.db").read_bytes().decode("latin-1")
    warnings = [line for line in result.stderr.splitlines() if "webhook" in line]
    assert len(warnings) == COMPANIES  # the first failure, then each client skipped
    assert f"webhook {hook.base_url} failed for client" in result.stderr
    for text in (result.stdout, result.stderr, written, stored):
        for secret in (SLACK_KEY, "/services/T0AAAAAAA", url, PD_TOKEN):
            assert secret not in text


@pytest.mark.parametrize("crm", ["hubspot", "pipedrive"])
def test_a_crm_that_cannot_be_reached_is_exit_5_not_2(request, crm, monkeypatch):
    fake = request.getfixturevalue(crm)
    monkeypatch.setattr(CountingRetry, "sleep", lambda self, response=None: None)  # no backoff
    closed = SimpleNamespace(base_url=fake.base_url)
    fake.stop()  # nobody listens on that port any more
    result = sync(closed)
    assert result.exit_code == 5, result.output
    assert "could not reach" in result.stderr and "(no connection), even after retries" in (
        result.stderr
    )
