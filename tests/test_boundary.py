"""What a connector yields is checked where it enters the core: a bad record fails its
client only (exit 1, named), and the run goes on with the others."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from click.testing import CliRunner

from crmflags.canonical import checked
from crmflags.cli import cli
from crmflags.connector import Connector, WriteReport
from crmflags.model import Activity, Invoice, RecordFailure

from conftest import at, client, contact, invoice


def shaky_clients():
    """Two good clients around three a connector got wrong."""
    return [
        client("c-1", invoices=[invoice("2026-01-01", "2026-01-15", 100.0)]),
        client("c-2", activities=[Activity(datetime(2026, 3, 2, 21, 15), "call")]),  # naive
        client("c-3", invoices=[Invoice("i-9", date(2026, 1, 1), date(2026, 1, 15), "100")]),
        {"id": "c-4", "name": "a dict"},
        client("c-5", activities=[contact("2026-03-02 10:00")]),
    ]


class Shaky(Connector):
    """A connector that yields what it is given, and records what it is asked to write."""

    name = "shaky"
    description = "yields some records that are not canonical"
    written: list[str] = []

    def read(self):
        yield from shaky_clients()

    def write(self, changes):
        Shaky.written = [change.client_id for change in changes]
        return WriteReport(written=len(Shaky.written))


@pytest.fixture
def shaky(installed, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    installed.connector(Shaky)
    Shaky.written = []


NAIVE = (
    "failed: client c-2: connector shaky: not canonical: activity 1: occurred_at "
    "2026-03-02T21:15:00 is naive; it must be timezone-aware"
)
NOT_A_NUMBER = (
    "failed: client c-3: connector shaky: not canonical: invoice 1: amount is '100'; "
    "expected a number of 0 or more"
)
NOT_A_CLIENT = (
    "failed: a record: connector shaky: not canonical: is a dict, not a Client or RecordFailure"
)


def test_a_sync_fails_only_the_bad_clients_and_writes_the_good_ones(shaky):
    result = CliRunner().invoke(cli, ["sync", "--connector", "shaky", "--as-of", "2026-04-01"])
    assert result.exit_code == 1, result.output
    for line in (NAIVE, NOT_A_NUMBER, NOT_A_CLIENT):
        assert line in result.stderr
    assert "Traceback" not in result.output
    assert Shaky.written == ["c-1", "c-5"]
    assert "5 clients read, 2 evaluated, 2 changed, 0 drifted, 3 failed" in result.stdout


def test_an_evaluation_reports_the_good_clients_and_names_the_bad(shaky):
    result = CliRunner().invoke(
        cli, ["evaluate", "--connector", "shaky", "--as-of", "2026-04-01", "--format", "json"]
    )
    assert result.exit_code == 1
    assert [c["id"] for c in json.loads(result.stdout)["clients"]] == ["c-1", "c-5"]
    assert NAIVE in result.stderr


def test_records_are_checked_as_they_are_read():
    def read():
        yield client("c-1")
        yield client("c-1")  # read twice
        raise RuntimeError("the source went away")

    records = checked(read(), "acme")
    assert next(records) == client("c-1")  # before the source fails
    assert next(records) == RecordFailure(
        "c-1", "connector acme: not canonical: id 'c-1' was already read"
    )
    with pytest.raises(RuntimeError):
        next(records)


def test_a_failure_a_connector_yields_passes_through_and_many_problems_are_counted():
    bad = client(
        "c-9",
        name="",
        activities=[Activity(at("2026-03-02 10:00"), "fax", "sideways")],
        risk={"risk_level": 3},
    )
    failure = RecordFailure("c-8", "crm: field due_on: not a date")
    got = list(checked([failure, bad], "acme"))
    assert got[0] is failure
    assert got[1].client_id == "c-9"
    assert got[1].reason.startswith("connector acme: not canonical: name is ''; it must be")
    assert got[1].reason.endswith("; and 1 more")  # risk_level 3 is not text
