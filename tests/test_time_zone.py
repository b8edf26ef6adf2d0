"""The business's time zone: proposed by ``init`` from the data, warned about on a UTC server."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import yaml
from click.testing import CliRunner

from crmflags.cli import cli
from crmflags.cli import setup as setup_command
from crmflags.cli.app import App
from crmflags.evaluation.evaluate import evaluate
from crmflags.loading.zones import guess_zone
from crmflags.model import Activity

from conftest import client, csv_bundle, day

CET, CEST = timezone(timedelta(hours=1)), timezone(timedelta(hours=2))
EET, EEST = timezone(timedelta(hours=2)), timezone(timedelta(hours=3))


def test_winter_and_summer_offsets_tell_the_zone():
    budapest = [datetime(2026, 1, 12, 9, tzinfo=CET), datetime(2026, 7, 6, 9, tzinfo=CEST)]
    assert guess_zone(budapest).zone == "Europe/Budapest"
    assert guess_zone(budapest).offsets == ("+01:00", "+02:00")
    helsinki = [datetime(2026, 1, 12, 9, tzinfo=EET), datetime(2026, 7, 6, 9, tzinfo=EEST)]
    guess = guess_zone(helsinki)
    assert guess.zone == "Europe/Helsinki" and "Europe/Riga" in guess.others


def test_utc_and_naive_timestamps_say_nothing_about_where_the_business_is():
    moments = [
        datetime(2026, 1, 12, 9, tzinfo=timezone.utc),
        datetime(2026, 1, 12, 9, tzinfo=ZoneInfo("Europe/Budapest")),  # read without an offset
    ]
    assert guess_zone(moments).zone is None
    # UTC timestamps beside local ones do not spoil the guess.
    mixed = [*moments, datetime(2026, 1, 13, 9, tzinfo=CET), datetime(2026, 8, 3, tzinfo=CEST)]
    assert guess_zone(mixed).zone == "Europe/Budapest"


def test_offsets_no_zone_has_fit_nothing():
    # +01:00 and +03:00 on the same winter day: no place has both.
    moments = [datetime(2026, 1, 12, 9, tzinfo=CET), datetime(2026, 1, 12, 10, tzinfo=EEST)]
    assert guess_zone(moments).zone is None


@pytest.fixture
def bundle(tmp_path, monkeypatch):
    monkeypatch.delenv("CRMFLAGS_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    return csv_bundle(
        tmp_path / "exports",
        clients="id,name\nc-1,Példa Kft\n",
        activities="client_id,occurred_at,kind\n"
        "c-1,2026-01-12T19:30:00+01:00,call\n"
        "c-1,2026-07-06T20:10:00+02:00,email\n"
        "c-1,2026-07-07T07:10:00Z,email\n",
    )


def test_init_proposes_the_zone_of_the_data(bundle, tmp_path):
    result = CliRunner().invoke(cli, ["init"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert (
        "timezone: Europe/Budapest (from the offsets in the data (+01:00, +02:00)" in result.output
    )
    written = (tmp_path / "crmflags.yaml").read_text(encoding="utf-8")
    assert yaml.safe_load(written)["timezone"] == "Europe/Budapest"
    assert "# from the offsets in the data" in written


def test_init_asks_at_a_terminal_and_checks_the_answer(bundle, tmp_path, monkeypatch):
    monkeypatch.setattr(setup_command, "_interactive", lambda: True)
    result = CliRunner().invoke(cli, ["init"], input="Mars/Olympus\nEurope/Riga\n")
    assert result.exit_code == 0, result.output
    assert "[Europe/Budapest]" in result.output  # the proposal is the default answer
    assert "unknown time zone 'Mars/Olympus'" in result.output
    assert yaml.safe_load((tmp_path / "crmflags.yaml").read_text())["timezone"] == "Europe/Riga"


def test_init_without_offsets_in_the_data_says_to_check_the_machines_zone(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["init", "--source", "nowhere"], catch_exceptions=False)
    assert "the data's timestamps do not tell; check it" in result.output
    given = CliRunner().invoke(cli, ["init", "--path", "b.yaml", "--timezone", "Europe/Helsinki"])
    assert yaml.safe_load((tmp_path / "b.yaml").read_text())["timezone"] == "Europe/Helsinki"
    assert given.exit_code == 0


def evening_calls():
    calls = [
        Activity(datetime(2026, 11, d, 19, 30, tzinfo=CET), "call") for d in (16, 17, 18, 19, 20)
    ]
    return client("c-1", activities=calls)


@pytest.fixture(scope="module")
def freelancer():
    return App.start(None).ruleset("freelancer")


def test_a_run_on_the_machines_utc_warns_once_when_the_data_has_offsets(freelancer, settings):
    on_utc = replace(settings, timezone=ZoneInfo("Etc/UTC"), timezone_name="Etc/UTC")
    as_of, now = day("2026-11-20"), datetime(2026, 11, 20, 23, 0)
    evaluation = evaluate([evening_calls(), evening_calls()], freelancer, on_utc, as_of, now)
    (warning,) = evaluation.warnings
    assert "Etc/UTC" in warning and "+01:00" in warning and "timezone:" in warning
    # Set in crmflags.yaml, or a machine with a zone of its own: nothing to warn about.
    configured = replace(on_utc, timezone_configured=True)
    assert evaluate([evening_calls()], freelancer, configured, as_of, now).warnings == []
    assert evaluate([evening_calls()], freelancer, settings, as_of, now).warnings == []
