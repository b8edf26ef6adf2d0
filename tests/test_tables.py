"""crmflags.tables: clients as tables and back, unchanged.

A connector's clients go through :func:`tables_from_clients` and come back from
:func:`clients_from_tables` equal, history order, UTC offsets, missing values and the
exact keys of ``risk`` and ``fields`` included.
"""

from __future__ import annotations

from datetime import timedelta, timezone
from pathlib import Path

import polars as pl
import pytest
from shapes import random_clients
from test_csv_large import SETTINGS, load_generator

from crmflags.connector import ConnectorOptions
from crmflags.model import Activity, Note, RecordFailure
from crmflags.settings import Settings
from crmflags.tables import SCHEMAS, HistoryTables, clients_from_tables, tables_from_clients
from crmflags_csv import CsvConnector

from conftest import at, client, contact, day, hours, invoice, note

ROOT = Path(__file__).resolve().parent.parent
JUDGEMENT = sorted(p for p in (ROOT / "bench" / "judgement").iterdir() if p.is_dir())


def round_trip(records):
    return list(clients_from_tables(tables_from_clients(records)))


@pytest.mark.parametrize("seed", range(6))
def test_random_clients_of_every_shape_come_back_equal(seed):
    clients = random_clients(seed, 60)
    back = round_trip(clients)
    assert back == clients
    for before, after in zip(clients, back, strict=True):
        offsets = [a.occurred_at.utcoffset() for a in before.activities]
        assert [a.occurred_at.utcoffset() for a in after.activities] == offsets


def read_csv(folder: Path, settings: Settings = SETTINGS) -> list:
    return list(CsvConnector(ConnectorOptions(settings=settings, source=folder)).read())


def test_a_generated_bundle_comes_back_equal(tmp_path):
    load_generator().generate(tmp_path / "bundle", 40, seed=7)
    records = read_csv(tmp_path / "bundle")
    assert records and all(not isinstance(r, RecordFailure) for r in records)
    assert round_trip(records) == records


@pytest.mark.parametrize("folder", [ROOT / "crmflags" / "sample_data", *JUDGEMENT], ids=str)
def test_the_sample_data_and_judgement_sets_come_back_equal(folder):
    records = [r for r in read_csv(folder) if not isinstance(r, RecordFailure)]
    assert records
    assert round_trip(records) == records


def test_a_client_without_history_or_optional_values_comes_back_equal():
    bare = client("bare")
    assert bare.risk == {} and bare.fields == {}
    assert round_trip([bare]) == [bare]
    assert round_trip([]) == []


def test_none_values_stay_none_and_risk_keeps_exactly_its_keys():
    partial = client(
        "c-2",
        email=None,
        hourly_rate_target=None,
        team_morale=None,
        risk={"risk_level": None, "risk_tags": "late_payer"},
        fields={"billing": "", "owner": "Ann"},
        invoices=[invoice("2026-01-01", "2026-01-15", 10.0, currency=None)],
        notes=[note("2026-02-01 10:00", "ok", marker=None)],
    )
    (back,) = round_trip([partial])
    assert back == partial
    assert back.risk == {"risk_level": None, "risk_tags": "late_payer"}
    assert back.invoices[0].paid_on is None and back.invoices[0].currency is None


def test_timestamps_keep_their_own_utc_offset():
    kathmandu = timezone(timedelta(hours=5, minutes=45))
    moment = at("2026-03-29 02:30").astimezone(kathmandu)
    odd = client(
        "c-3",
        activities=[
            Activity(moment, "call"),
            contact("2026-10-25 02:30"),
            contact("2026-07-01 09:00"),
        ],
        notes=[Note(moment.astimezone(timezone(timedelta(hours=-9, minutes=-30))), "x")],
    )
    (back,) = round_trip([odd])
    assert [a.occurred_at.utcoffset() for a in back.activities] == [
        a.occurred_at.utcoffset() for a in odd.activities
    ]
    assert back.notes[0].created_at.utcoffset() == timedelta(hours=-9, minutes=-30)
    assert back.activities[0].occurred_at.isoformat() == moment.isoformat()


def test_wall_times_skipped_or_doubled_by_daylight_saving_come_back_as_written():
    # 02:30 on 2026-03-29 does not exist in Budapest; 02:30 on 2026-10-25 exists twice.
    skipped, doubled = contact("2026-03-29 02:30"), contact("2026-10-25 02:30")
    later = Activity(doubled.occurred_at.replace(fold=1), "email")
    (back,) = round_trip([client("dst", activities=[skipped, doubled, later])])
    assert [str(a.occurred_at) for a in back.activities] == [
        "2026-03-29 02:30:00+01:00",
        "2026-10-25 02:30:00+02:00",
        "2026-10-25 02:30:00+01:00",
    ]
    assert all(a.occurred_at.tzinfo is skipped.occurred_at.tzinfo for a in back.activities)


def test_the_tables_are_in_the_source_order_with_the_schema_types():
    first = client("b", time_entries=[hours("2026-02-02", 2.0), hours("2026-01-01", 1.0)])
    second = client("a", time_entries=[hours("2026-03-03", 3.0)])
    failure = RecordFailure("x", "clients.csv:4: email: not an address")
    tables = tables_from_clients([first, failure, second])
    assert tables.clients["id"].to_list() == ["b", "a"]
    assert tables.time_entries["hours"].to_list() == [2.0, 1.0, 3.0]
    assert tables.failures == [failure]
    for name, schema in SCHEMAS.items():
        assert dict(tables.table(name).schema) == schema


def test_only_the_clients_asked_for_are_built():
    clients = random_clients(11, 30)
    tables = tables_from_clients(clients)
    wanted = [clients[3].id, clients[17].id, "no-such-client"]
    assert list(clients_from_tables(tables, wanted)) == [clients[3], clients[17]]
    assert list(clients_from_tables(tables, [])) == []


def test_empty_tables_hold_no_clients():
    tables = HistoryTables()
    assert list(clients_from_tables(tables)) == []
    assert tables.invoices.schema["issued_on"] == pl.Date
    assert day("2026-01-01") not in tables.time_entries["date"].to_list()
