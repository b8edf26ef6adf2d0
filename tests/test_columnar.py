"""The columnar metrics against the reference, every metric of every client, float for float.

:mod:`crmflags.evaluation.metrics` defines the metrics; :mod:`crmflags.evaluation.columnar`
computes them as group-bys. On generated bundles, the sample data, the judgement sets
and random clients of every shape (mixed currencies, missing values, DST edges, empty
histories), under several settings, each client's metrics must be the same values in
the same order, its note matches the same, and the run's converter and UTC offsets left
as the reference leaves them.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from shapes import AS_OF, random_clients
from test_csv_large import load_generator

from crmflags.cli.app import App
from crmflags.cli.output import to_json
from crmflags.connector import ConnectorOptions
from crmflags.evaluation.columnar import metric_rows
from crmflags.evaluation.evaluate import evaluate, metric_units
from crmflags.evaluation.metrics import MetricContext, clean_value, client_metrics, note_matches
from crmflags.loading.plugins import PluginInfo, PluginMetric
from crmflags.model import Client, RecordFailure
from crmflags.rules.ruleset import RulesetLibrary
from crmflags.settings import BusinessHours, Settings
from crmflags.tables import tables_from_clients
from crmflags_csv import CsvConnector

from conftest import client, contact, day, hours, invoice, note

ROOT = Path(__file__).resolve().parent.parent
BUDAPEST = Settings(timezone=ZoneInfo("Europe/Budapest"), timezone_name="Europe/Budapest")
SETTINGS = {
    "budapest": BUDAPEST,
    "rates": replace(
        BUDAPEST, currency="EUR", exchange_rates=(("HUF", 0.0025), ("USD", 0.9), ("GBP", 1))
    ),
    "new-york": Settings(timezone=ZoneInfo("America/New_York"), timezone_name="America/New_York"),
    "utc": Settings(timezone=timezone.utc, timezone_name="UTC"),
    "fixed": Settings(timezone=timezone(timedelta(hours=5, minutes=45)), timezone_name="+05:45"),
    "odd-hours": replace(
        BUDAPEST,
        business_hours=BusinessHours(time(2, 30), time(3, 15, 0, 1), frozenset({0, 2, 6})),
        activity_days=30,
        billing_days=100,
    ),
    # Sunday 2026-03-29 02:30-03:15 in Budapest is the hour skipped in spring.
    "skipped-hour": replace(
        BUDAPEST,
        business_hours=BusinessHours(time(2, 30), time(3, 15), frozenset({6})),
        activity_days=250,
    ),
}


class Terms:
    """A ruleset's term lists, compiled once (it takes seconds)."""

    def __init__(self, ruleset):
        self.matcher = ruleset.term_matcher()
        self.days = {name: terms.days for name, terms in ruleset.terms.items() if terms.days}


@pytest.fixture(scope="module")
def freelancer() -> Terms:
    return Terms(App.start(None).ruleset("freelancer"))


def reference(clients: list[Client], ctx: MetricContext, terms: Terms) -> list:
    matcher, days = terms.matcher, terms.days
    measured = []
    for c in clients:
        matches = note_matches(c, ctx, matcher, days)
        measured.append((client_metrics(c, ctx, matches), matches))
    return measured


def exact(metrics: dict) -> list[tuple[str, str]]:
    """The metrics as the evaluation keeps them, written exactly (0.0 is not -0.0)."""
    return [(name, repr(clean_value(value))) for name, value in metrics.items()]


def assert_same(clients: list[Client], settings: Settings, terms: Terms) -> None:
    expected_ctx = MetricContext.of(AS_OF, settings)
    expected = reference(clients, expected_ctx, terms)
    ctx = MetricContext.of(AS_OF, settings)
    tables = tables_from_clients(clients)
    got = list(metric_rows(tables, ctx, terms.matcher, terms.days))
    assert [c.id for c, _, _ in got] == [c.id for c in clients]
    for (c, metrics, matches), (want, want_matches) in zip(got, expected, strict=True):
        assert exact(metrics) == exact(want), c.id
        assert list(matches.items()) == list(want_matches.items()), c.id
        assert c.invoices == c.activities == c.notes == c.time_entries == []
    assert ctx.money.reporting == expected_ctx.money.reporting
    assert ctx.money.missing == expected_ctx.money.missing
    assert list(ctx.offsets.items()) == list(expected_ctx.offsets.items())


@pytest.mark.parametrize("name", SETTINGS)
@pytest.mark.parametrize("seed", range(4))
def test_random_clients_of_every_shape_measure_the_same(seed, name, freelancer):
    assert_same(random_clients(seed, 80), SETTINGS[name], freelancer)


def read_csv(folder: Path, settings: Settings) -> list[Client]:
    connector = CsvConnector(ConnectorOptions(settings=settings, source=folder))
    return [r for r in connector.read() if not isinstance(r, RecordFailure)]


@pytest.mark.parametrize("name", ["budapest", "new-york", "odd-hours"])
def test_a_generated_bundle_measures_the_same(tmp_path, name, freelancer):
    load_generator().generate(tmp_path / "bundle", 150, seed=3)
    assert_same(read_csv(tmp_path / "bundle", SETTINGS[name]), SETTINGS[name], freelancer)


FOLDERS = [ROOT / "crmflags" / "sample_data"]
FOLDERS += sorted(p for p in (ROOT / "bench" / "judgement").iterdir() if p.is_dir())


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_the_sample_data_and_judgement_sets_measure_the_same(folder, freelancer):
    assert_same(read_csv(folder, BUDAPEST), BUDAPEST, freelancer)


def test_a_portfolio_of_one_currency_without_a_setting_reports_in_the_first_one_named(freelancer):
    # The first client names no currency; the second one's target rate is in its
    # invoicing currency, USD, which becomes the reporting currency; HUF has no rate.
    plain = client("a", invoices=[invoice("2026-05-01", "2026-05-15", 100.0)])
    dollars = client(
        "b",
        hourly_rate_target=80.0,
        invoices=[invoice("2026-12-01", "2026-12-15", 100.0, currency="usd")],
    )
    forints = client("c", invoices=[invoice("2026-06-01", "2026-06-15", 9000.0, currency="Ft")])
    assert_same([plain, dollars, forints], BUDAPEST, freelancer)
    ctx = MetricContext.of(AS_OF, BUDAPEST)
    rows = list(metric_rows(tables_from_clients([plain, dollars, forints]), ctx, None))
    assert ctx.money.reporting == "USD" and ctx.money.missing == {"HUF": {"c"}}
    assert rows[2][1]["invoiced_amount"] is None and rows[0][1]["invoiced_amount"] == 100.0


def test_sums_are_added_in_the_order_of_the_source(freelancer):
    tenths = client("t", time_entries=[hours("2026-11-01", h) for h in (0.1, 0.2, 0.3, 0.4)])
    assert_same([tenths], BUDAPEST, freelancer)
    ((_, metrics, _),) = metric_rows(
        tables_from_clients([tenths]), MetricContext.of(AS_OF, BUDAPEST), None
    )
    assert metrics["hours"] == ((0.1 + 0.2) + 0.3) + 0.4 != 0.1 + (0.2 + (0.3 + 0.4))


def test_clients_without_history_and_an_empty_portfolio_measure_the_same(freelancer):
    assert_same(
        [client("empty"), client("also", contracted_hours=0.0, team_morale=3.0)],
        BUDAPEST,
        freelancer,
    )
    assert_same([], BUDAPEST, freelancer)


def test_timestamps_around_the_daylight_saving_changes_are_read_as_python_reads_them(freelancer):
    moments = ["2026-03-29 02:30", "2026-03-29 01:59", "2026-10-25 02:30", "2026-11-20 23:59"]
    edges = client(
        "dst",
        activities=[contact(m) for m in moments] + [contact("2026-11-21 00:00")],
        notes=[note(m, "He threatened to sue us.") for m in moments],
    )
    for name in ("budapest", "odd-hours", "new-york", "skipped-hour"):
        assert_same([edges], SETTINGS[name], freelancer)
    assert day("2026-11-20") == AS_OF


NOW = datetime(2026, 11, 20, 23, 59, 59, tzinfo=ZoneInfo("Europe/Budapest"))


def evaluated_both_ways(records: list, ruleset, settings: Settings, plugin_metrics=None):
    """Evaluate the records as read and as tables; return both evaluations."""
    by_client = evaluate(list(records), ruleset, settings, AS_OF, NOW, plugin_metrics)
    by_column = evaluate(
        tables_from_clients(records), ruleset, settings, AS_OF, NOW, plugin_metrics
    )
    return by_client, by_column


@pytest.mark.parametrize("folder", FOLDERS[:2], ids=lambda p: p.name)
def test_an_evaluation_of_tables_writes_the_same_json_as_one_of_clients(folder):
    app = App.start(None)
    ruleset = app.ruleset("freelancer")
    connector = CsvConnector(ConnectorOptions(settings=BUDAPEST, source=folder))
    by_client, by_column = evaluated_both_ways(list(connector.read()), ruleset, BUDAPEST)
    assert by_column.results and to_json(by_column) == to_json(by_client)
    assert [r.client for r in by_column.results] == [r.client for r in by_client.results]
    assert by_column.warnings == by_client.warnings


def test_plugin_metrics_get_whole_clients_and_a_failing_one_fails_its_client(tmp_path):
    info = PluginInfo("vip", "crmflags-vip", "1.0")

    def compute(c, context):
        if c.id == "broken":
            raise KeyError("tier")
        return len(c.invoices) + len(c.notes) + len(c.activities) + len(c.time_entries)

    metrics = {"history_rows": PluginMetric("history_rows", compute, "count", "rows", info)}
    (tmp_path / "vip.yaml").write_text(
        "rules:\n  - {id: busy, tag: gut_feeling, when: history_rows >= 3,"
        " message: '{history_rows} rows'}\n"
    )
    ruleset = RulesetLibrary([tmp_path], metric_units(metrics)).load("vip")
    clients = [*random_clients(5, 30), client("broken")]
    failure = RecordFailure("bad", "clients.csv:9: email: not an address")
    # Tables keep the read failures apart, ahead of the failures of measuring: a read
    # failure after a client whose plugin metric fails comes first there.
    by_client, by_column = evaluated_both_ways([failure, *clients], ruleset, BUDAPEST, metrics)
    assert to_json(by_column) == to_json(by_client)
    assert any(r.tags for r in by_column.results)
    assert by_column.failures == [
        failure,
        RecordFailure(
            "broken", "metric history_rows (plugin crmflags-vip) failed: KeyError: 'tier'"
        ),
    ]
    assert all(not r.client.invoices for r in by_column.results)
