"""``Connector.expected_total``: how many clients a read will give, for the progress bar.

The CSV bundle knows it from clients.csv; HubSpot from the ``total`` of one search call;
Pipedrive once it has listed the organizations, before it reads their history.
"""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from fakes.hubspot import FakeHubSpot
from fakes.pipedrive import FakePipedrive

from crmflags.connector import Connector, ConnectorOptions
from crmflags.settings import Settings
from crmflags_csv import CsvConnector
from crmflags_hubspot import HubSpotConnector
from crmflags_pipedrive import PipedriveConnector

SETTINGS = Settings(timezone=ZoneInfo("Europe/Budapest"), timezone_name="Europe/Budapest")
PIPEDRIVE_TOKEN = "pd-live-token-0123456789abcdef0123456789abcdef"


def test_a_connector_that_cannot_tell_says_none():
    class Quiet(Connector):
        name = "quiet"

        def read(self):
            return iter(())

        def write(self, changes):
            raise NotImplementedError

    assert Quiet(ConnectorOptions(settings=SETTINGS)).expected_total() is None


def test_the_csv_bundle_counts_its_clients_rows_before_and_after_reading(tmp_path: Path):
    (tmp_path / "clients.csv").write_text(
        'id,name,notes\nc-1,One,"two\nlines"\nc-2,Two,\nc-3,Three,\n', encoding="utf-8"
    )
    connector = CsvConnector(ConnectorOptions(settings=SETTINGS, source=tmp_path))
    assert connector.expected_total() == 4  # before: its lines, one more for the line break
    records = connector.read()
    assert connector.expected_total() == 3  # clients.csv is parsed before the first client
    assert len(list(records)) == 3
    missing = CsvConnector(ConnectorOptions(settings=SETTINGS, source=tmp_path / "gone"))
    assert missing.expected_total() is None


def test_hubspot_asks_the_total_once_with_one_search_call(monkeypatch):
    with FakeHubSpot() as fake:
        fake.generate(37, seed=5)
        monkeypatch.setenv("HUBSPOT_TOKEN", fake.token)
        options = ConnectorOptions(settings=SETTINGS, base_url=fake.base_url, config={})
        connector = HubSpotConnector(options, sleep=lambda seconds: None)
        assert connector.expected_total() == 37
        assert connector.expected_total() == 37
        assert connector.api_calls == 1
        assert fake.count("/crm/v3/objects/companies/search") == 1
        fake.fail_next(status=503, times=10, path_prefix="/crm/v3/objects/companies/search")
        broken = HubSpotConnector(options, sleep=lambda seconds: None, backoff_factor=0)
        assert broken.expected_total() is None  # no bar total; the read says what is wrong


def test_pipedrive_knows_the_total_once_the_organizations_are_listed(monkeypatch):
    with FakePipedrive(PIPEDRIVE_TOKEN, burst_limit=10_000, daily_budget=10_000_000) as fake:
        fake.seed(12, seed=2)
        monkeypatch.setenv("PIPEDRIVE_API_TOKEN", PIPEDRIVE_TOKEN)
        options = ConnectorOptions(
            settings=SETTINGS, base_url=fake.base_url, config={"domain": "acme"}
        )
        connector = PipedriveConnector(options, sleep=lambda seconds: None)
        assert connector.expected_total() is None
        records = connector.read()
        first = next(records)
        assert first is not None and connector.expected_total() == 12
        assert 1 + len(list(records)) == 12
