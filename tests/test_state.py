"""The state database: schema and migrations, runs, results, the write audit, snoozes, acks."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest

from crmflags.errors import InputError
from crmflags.sync import state
from crmflags.sync.state import StateStore, schema
from crmflags.sync.state.records import ABANDONED, APPLIED, FAILED, PENDING, SUPERSEDED

SOURCE = "csv:/data/exports"
OTHER = "hubspot:portal-123"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def path(tmp_path) -> Path:
    """Where the store lives: in a folder that does not exist yet."""
    return tmp_path / "state" / "crmflags.db"


@pytest.fixture
def store(path):
    """An open store on a new database."""
    with StateStore(path) as opened:
        yield opened


def start(store: StateStore, source: str = SOURCE, dry_run: bool = False) -> int:
    """Start a run of the csv connector with the freelancer ruleset."""
    return store.start_run(source, "csv", "freelancer", date(2026, 11, 23), dry_run)


def raw(path: Path, sql: str) -> list[tuple]:
    """Run one statement on the database file with a plain connection."""
    db = sqlite3.connect(path, isolation_level=None)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


def statuses(store: StateStore, run_id: int) -> list[tuple[str, str, str]]:
    """Return (client, field, status) of a run's audit rows."""
    return [(row.client_id, row.field, row.status) for row in store.audit(run_id)]


# -- opening and migrations --------------------------------------------------


def test_a_new_database_gets_the_schema_in_wal_mode_readable_by_its_owner_only(store, path):
    assert raw(path, "PRAGMA user_version") == [(len(schema.MIGRATIONS),)]
    assert raw(path, "PRAGMA journal_mode") == [("wal",)]
    tables = {name for (name,) in raw(path, "SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"runs", "results", "score_history", "audit", "snoozes", "acks"} <= tables
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_reopening_keeps_the_data_and_migrates_nothing(path):
    with StateStore(path) as first:
        run_id = start(first)
    with StateStore(path) as again:
        assert [run.id for run in again.runs()] == [run_id]
    assert raw(path, "PRAGMA user_version") == [(len(schema.MIGRATIONS),)]


def test_a_new_migration_upgrades_an_older_database_once(path, monkeypatch):
    with StateStore(path) as old:
        run_id = start(old)
    calls = []

    def add_note(db):
        calls.append(1)
        db.execute("ALTER TABLE runs ADD COLUMN note TEXT")

    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, add_note])
    StateStore(path).close()
    with StateStore(path) as upgraded:
        assert [run.id for run in upgraded.runs()] == [run_id]

    assert calls == [1]
    assert raw(path, "PRAGMA user_version") == [(len(schema.MIGRATIONS),)]
    assert "note" in {row[1] for row in raw(path, "PRAGMA table_info(runs)")}


def test_a_failing_migration_leaves_the_database_as_it_was(path, monkeypatch):
    StateStore(path).close()
    version = len(schema.MIGRATIONS)

    def half_done(db):
        db.execute("CREATE TABLE half (x)")
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, half_done])
    with pytest.raises(RuntimeError, match="disk on fire"):
        StateStore(path)

    assert raw(path, "PRAGMA user_version") == [(version,)]
    assert raw(path, "SELECT name FROM sqlite_master WHERE name = 'half'") == []


def test_a_database_of_a_newer_crmflags_is_refused(path):
    StateStore(path).close()
    raw(path, "PRAGMA user_version = 99")

    with pytest.raises(InputError) as caught:
        StateStore(path)

    message = str(caught.value)
    assert str(path) in message
    assert "newer crmflags" in message and "schema version 99" in message
    assert "upgrade crmflags" in message


def test_a_file_that_is_not_sqlite_is_refused_naming_it(tmp_path):
    path = tmp_path / "clients.csv"
    path.write_text("id;name\nc-1;Késő Kft\n" * 50)

    with pytest.raises(InputError) as caught:
        StateStore(path)

    assert str(caught.value).startswith(
        f"{path}: not a crmflags state database: it is not a SQLite file. If it is your state"
        " store, it is damaged: restore it from your backup of it"
    )
    assert path.read_text().startswith("id;name")


def test_a_sqlite_database_of_another_program_is_refused(tmp_path):
    path = tmp_path / "other.db"
    raw(path, "CREATE TABLE customers (id)")

    with pytest.raises(InputError, match="not a crmflags state database: it holds other tables"):
        StateStore(path)


def test_default_path_follows_xdg_state_home(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    assert state.default_path() == tmp_path / "crmflags" / "state.db"
    monkeypatch.delenv("XDG_STATE_HOME")
    assert state.default_path() == Path.home() / ".local" / "state" / "crmflags" / "state.db"


# -- runs --------------------------------------------------------------------


def test_runs_are_listed_newest_first_with_a_dead_run_unfinished(store):
    finished = start(store)
    store.finish_run(finished, {"evaluated": 12, "changed": 3, "failed": 0}, 0)
    died = start(store, dry_run=True)
    start(store, source=OTHER)

    newest, oldest = store.runs(SOURCE)

    assert (newest.id, oldest.id) == (died, finished)
    assert newest.dry_run and newest.finished_at is None and newest.exit_code is None
    assert newest.counts == {}
    assert newest.pid == os.getpid()
    assert oldest.counts == {"evaluated": 12, "changed": 3, "failed": 0}
    assert oldest.exit_code == 0 and not oldest.dry_run
    assert oldest.started_at <= oldest.finished_at
    assert oldest.started_at.tzinfo is not None
    assert (oldest.connector, oldest.ruleset, oldest.as_of) == (
        "csv",
        "freelancer",
        date(2026, 11, 23),
    )


def test_runs_of_every_source_and_a_limit(store):
    ids = [start(store), start(store, source=OTHER), start(store)]

    assert [run.id for run in store.runs()] == ids[::-1]
    assert [run.id for run in store.runs(limit=2)] == ids[:0:-1]
    assert [run.source for run in store.runs(OTHER)] == [OTHER]


def test_finishing_an_unknown_run_is_an_error(store):
    with pytest.raises(ValueError, match="no run 7"):
        store.finish_run(7, {}, 0)


# -- results and history -----------------------------------------------------


def result(client_id: str, score: float, level: str, *tags: str):
    """A result row with one reason per tag."""
    reasons = [
        {"rule": f"r-{tag}", "tag": tag, "weight": 1.5, "evidence": {"x": None}} for tag in tags
    ]
    return (client_id, score, level, list(tags), reasons)


def test_last_results_keep_the_latest_run_of_each_client(store):
    first = start(store)
    store.record_results(first, [result("c-1", 10, "watch", "late_payer"), result("c-2", 0, "ok")])
    second = start(store)
    store.record_results(second, [result("c-1", 42.5, "fire", "late_payer", "abusive")])

    last = store.last_results(SOURCE)

    assert last["c-1"].run_id == second
    assert (last["c-1"].score, last["c-1"].level) == (42.5, "fire")
    assert last["c-1"].tags == ["late_payer", "abusive"]
    assert last["c-1"].reasons[1] == {
        "rule": "r-abusive",
        "tag": "abusive",
        "weight": 1.5,
        "evidence": {"x": None},
    }
    assert last["c-2"].run_id == first
    assert store.last_results(OTHER) == {}


def test_history_is_oldest_first_with_each_runs_day(store):
    days = [date(2026, 11, 21), date(2026, 11, 22), date(2026, 11, 23)]
    for number, day in enumerate(days):
        run_id = store.start_run(SOURCE, "csv", "freelancer", day, False)
        store.record_results(run_id, [result("c-1", number * 10, "watch", "stalling")])
    other = start(store, source=OTHER)
    store.record_results(other, [result("c-1", 99, "fire")])

    points = store.history(SOURCE, "c-1")

    assert [(point.as_of, point.score) for point in points] == list(
        zip(days, [0, 10, 20], strict=True)
    )
    assert all(point.tags == ["stalling"] and point.at.tzinfo for point in points)
    assert store.history(SOURCE, "c-9") == []


def test_recording_a_client_twice_in_one_run_keeps_one_history_point(store):
    run_id = start(store)
    store.record_results(run_id, [result("c-1", 5, "ok")])
    store.record_results(run_id, [result("c-1", 7, "watch")])

    assert [(point.run_id, point.score) for point in store.history(SOURCE, "c-1")] == [(run_id, 7)]


# -- writes and their audit --------------------------------------------------


def test_planned_writes_are_pending_until_settled(store):
    run_id = start(store)
    store.plan_writes(
        run_id,
        [
            ("c-1", "risk_level", "ok", "fire"),
            ("c-1", "risk_tags", None, "late_payer"),
            ("c-2", "risk_level", "", "watch"),
            ("c-3", "risk_level", "ok", "warning"),
        ],
    )
    assert {row.status for row in store.audit(run_id)} == {PENDING}

    store.settle_writes(run_id, applied={"c-1"}, failed={"c-2": "HTTP 409: record locked"})

    rows = store.audit(run_id)
    assert [(row.client_id, row.field, row.before, row.after, row.status) for row in rows] == [
        ("c-1", "risk_level", "ok", "fire", APPLIED),
        ("c-1", "risk_tags", None, "late_payer", APPLIED),
        ("c-2", "risk_level", "", "watch", FAILED),
        ("c-3", "risk_level", "ok", "warning", PENDING),
    ]
    assert rows[2].reason == "HTTP 409: record locked"
    assert {row.run_id for row in rows} == {run_id} and {row.source for row in rows} == {SOURCE}
    # The connector said nothing of c-3: its outcome is left for the next run to decide.
    assert [row.client_id for row in store.unsettled(SOURCE)] == ["c-3"]


def test_settling_twice_changes_nothing(store):
    run_id = start(store)
    store.plan_writes(run_id, [("c-1", "risk_level", "ok", "fire")])
    store.settle_writes(run_id, applied={"c-1"}, failed={})
    store.settle_writes(run_id, applied=set(), failed={"c-1": "too late"})

    assert statuses(store, run_id) == [("c-1", "risk_level", APPLIED)]


def test_a_client_both_applied_and_failed_is_an_error(store):
    run_id = start(store)
    with pytest.raises(ValueError, match="both applied and failed: c-1"):
        store.settle_writes(run_id, applied={"c-1"}, failed={"c-1": "no"})


def test_a_dry_run_plans_no_writes(store):
    run_id = start(store, dry_run=True)
    with pytest.raises(ValueError, match="dry run"):
        store.plan_writes(run_id, [("c-1", "risk_level", "ok", "fire")])
    assert store.audit(run_id) == []


def test_last_written_is_the_newest_value_that_reached_the_source(store):
    first = start(store)
    store.plan_writes(
        first, [("c-1", "risk_level", None, "watch"), ("c-2", "risk_level", None, "ok")]
    )
    store.settle_writes(first, applied={"c-1", "c-2"}, failed={})
    second = start(store)
    store.plan_writes(
        second, [("c-1", "risk_level", "watch", "fire"), ("c-2", "risk_level", "ok", "fire")]
    )
    store.settle_writes(second, applied={"c-1"}, failed={"c-2": "refused"})
    third = start(store)
    store.plan_writes(
        third,
        [
            ("c-3", "risk_level", "ok", "warning"),  # never settled
            ("c-1", "risk_tags", "", "late_payer"),  # abandoned below
            ("c-2", "risk_tags", "", "abusive"),  # superseded below
        ],
    )
    store.resolve_unsettled(SOURCE, {"c-1": {"risk_tags": ""}, "c-2": {"risk_tags": "gut"}})
    other = start(store, source=OTHER)
    store.plan_writes(other, [("c-1", "risk_level", None, "ok")])
    store.settle_writes(other, applied={"c-1"}, failed={})

    assert store.last_written(SOURCE) == {
        "c-1": {"risk_level": "fire"},
        "c-2": {"risk_level": "ok", "risk_tags": "abusive"},
    }
    assert store.last_written(OTHER) == {"c-1": {"risk_level": "ok"}}


def kill_after_planning(path: Path, rows: list[tuple]) -> int:
    """In another process, start a run, plan ``rows`` and die by SIGKILL; return the run id."""
    script = textwrap.dedent(
        """
        import json, os, signal, sys
        from datetime import date
        from crmflags.sync.state import StateStore

        store = StateStore(sys.argv[1])
        run_id = store.start_run("csv:/data/exports", "csv", "freelancer", date(2026, 11, 23), False)
        store.plan_writes(run_id, json.loads(sys.argv[2]))
        print(run_id, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    child = subprocess.run(
        [sys.executable, "-c", script, str(path), json.dumps(rows)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert child.returncode == -9, child.stderr
    return int(child.stdout)


def test_a_run_killed_between_plan_and_settle_is_resolved_by_what_the_source_holds(path):
    rows = [
        ("c-1", "risk_level", "ok", "fire"),  # written before the kill
        ("c-2", "risk_level", "ok", "fire"),  # never written
        ("c-3", "risk_level", "ok", "fire"),  # written, then edited by a person
        ("c-4", "risk_tags", None, ""),  # an absent field equals an empty one
        ("c-5", "risk_level", "ok", "fire"),  # not read this time
    ]
    run_id = kill_after_planning(path, rows)

    with StateStore(path) as store:
        assert [run.finished_at for run in store.runs()] == [None]
        assert [(row.client_id, row.status) for row in store.unsettled(SOURCE)] == [
            (client_id, PENDING) for client_id, *_ in rows
        ]

        current = {
            "c-1": {"risk_level": "fire"},
            "c-2": {"risk_level": "ok"},
            "c-3": {"risk_level": "warning"},
            "c-4": {"risk_tags": None},
        }
        resolved = store.resolve_unsettled(SOURCE, current)

        assert [(row.client_id, row.status) for row in resolved] == [
            ("c-1", APPLIED),
            ("c-2", ABANDONED),
            ("c-3", SUPERSEDED),
            ("c-4", APPLIED),
        ]
        assert statuses(store, run_id) == [
            ("c-1", "risk_level", APPLIED),
            ("c-2", "risk_level", ABANDONED),
            ("c-3", "risk_level", SUPERSEDED),
            ("c-4", "risk_tags", APPLIED),
            ("c-5", "risk_level", PENDING),
        ]
        assert [row.client_id for row in store.unsettled(SOURCE)] == ["c-5"]
        # c-3 was written by us and then changed: the drift check must see it as edited.
        assert store.last_written(SOURCE) == {
            "c-1": {"risk_level": "fire"},
            "c-3": {"risk_level": "fire"},
            "c-4": {"risk_tags": ""},
        }

        store.resolve_unsettled(SOURCE, {"c-5": {"risk_level": "ok"}})
        assert statuses(store, run_id)[-1] == ("c-5", "risk_level", ABANDONED)
        assert store.unsettled(SOURCE) == []


def test_resolving_touches_only_its_source_and_is_idempotent(store):
    mine, theirs = start(store), start(store, source=OTHER)
    store.plan_writes(mine, [("c-1", "risk_level", "ok", "fire")])
    store.plan_writes(theirs, [("c-1", "risk_level", "ok", "fire")])

    store.resolve_unsettled(SOURCE, {"c-1": {"risk_level": "fire"}})
    assert store.resolve_unsettled(SOURCE, {"c-1": {"risk_level": "ok"}}) == []

    assert statuses(store, mine) == [("c-1", "risk_level", APPLIED)]
    assert statuses(store, theirs) == [("c-1", "risk_level", PENDING)]


def test_no_audit_row_is_ever_lost(store):
    run_ids = []
    for number in range(3):
        run_id = start(store)
        run_ids.append(run_id)
        store.plan_writes(run_id, [(f"c-{n}", "risk_score", "0", str(number)) for n in range(4)])
        store.settle_writes(run_id, applied={"c-0"}, failed={"c-1": "no"})
    store.resolve_unsettled(SOURCE, {"c-2": {"risk_score": "0"}, "c-3": {"risk_score": "2"}})

    assert [len(store.audit(run_id)) for run_id in run_ids] == [4, 4, 4]
    assert raw(store.path, "SELECT count(*) FROM audit") == [(12,)]


# -- snoozes and acks --------------------------------------------------------


def test_a_snooze_is_in_force_until_the_day_before_its_date(store):
    store.snooze(SOURCE, "c-1", "late_payer", date(2026, 12, 1))

    assert store.snoozed(SOURCE, date(2026, 11, 30)) == {"c-1": {"late_payer"}}
    assert store.snoozed(SOURCE, date(2026, 12, 1)) == {}
    assert store.snoozed(OTHER, date(2026, 11, 30)) == {}


def test_snoozes_per_tag_and_of_every_tag(store):
    store.snooze(SOURCE, "c-1", "late_payer", date(2026, 12, 1))
    store.snooze(SOURCE, "c-1", None, date(2026, 11, 25))
    store.snooze(SOURCE, "c-2", "abusive", date(2027, 1, 1))

    assert store.snoozed(SOURCE, date(2026, 11, 24)) == {
        "c-1": {"late_payer", None},
        "c-2": {"abusive"},
    }
    assert store.snoozed(SOURCE, date(2026, 11, 26)) == {"c-1": {"late_payer"}, "c-2": {"abusive"}}

    assert store.unsnooze(SOURCE, "c-1", None)
    assert not store.unsnooze(SOURCE, "c-1", None)
    assert [(s.client_id, s.tag, s.until) for s in store.snoozes(SOURCE)] == [
        ("c-1", "late_payer", date(2026, 12, 1)),
        ("c-2", "abusive", date(2027, 1, 1)),
    ]


def test_a_new_snooze_of_the_same_tag_replaces_the_old_one(store):
    store.snooze(SOURCE, "c-1", "late_payer", date(2026, 12, 1))
    store.snooze(SOURCE, "c-1", "late_payer", date(2026, 11, 24))

    assert store.snoozed(SOURCE, date(2026, 11, 30)) == {}
    assert len(store.snoozes(SOURCE)) == 1


def test_snoozes_and_acks_survive_later_runs_and_reopening(path):
    with StateStore(path) as store:
        store.snooze(SOURCE, "c-1", None, date(2026, 12, 1))
        store.ack(SOURCE, "c-1", "late_payer", "sha256:aaa")
        run_id = start(store)
        store.record_results(run_id, [result("c-1", 3, "ok")])
        store.finish_run(run_id, {"evaluated": 1}, 0)
    with StateStore(path) as store:
        assert store.snoozed(SOURCE, date(2026, 11, 23)) == {"c-1": {None}}
        assert store.acks(SOURCE) == {("c-1", "late_payer"): "sha256:aaa"}


def test_acks_keep_the_latest_evidence_key_per_tag(store):
    store.ack(SOURCE, "c-1", "late_payer", "sha256:aaa")
    store.ack(SOURCE, "c-1", "late_payer", "sha256:bbb")
    store.ack(SOURCE, "c-1", "stalling", "sha256:ccc")
    store.ack(OTHER, "c-1", "late_payer", "sha256:ddd")

    assert store.acks(SOURCE) == {
        ("c-1", "late_payer"): "sha256:bbb",
        ("c-1", "stalling"): "sha256:ccc",
    }
    assert store.unack(SOURCE, "c-1", "stalling")
    assert not store.unack(SOURCE, "c-1", "stalling")
    assert store.acks(SOURCE) == {("c-1", "late_payer"): "sha256:bbb"}


# -- concurrency -------------------------------------------------------------


def test_a_reader_is_not_blocked_by_an_open_write_and_sees_only_committed_data(store, path):
    committed = start(store)
    writer = sqlite3.connect(path, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute(
            "INSERT INTO runs (source, connector, ruleset, as_of, dry_run, pid, host, started_at)"
            " VALUES ('csv:x', 'csv', 'r', '2026-11-23', 0, 1, 'h', '2026-11-23T00:00:00+00:00')"
        )
        with StateStore(path) as reader:
            assert [run.id for run in reader.runs()] == [committed]
        writer.execute("COMMIT")
    finally:
        writer.close()
    assert len(store.runs()) == 2


def test_a_version_1_store_is_migrated_and_keeps_its_runs(tmp_path):
    import sqlite3
    from datetime import date

    path = tmp_path / "old.db"
    db = sqlite3.connect(path)
    schema.MIGRATIONS[0](db)
    db.execute(
        "INSERT INTO runs (source, connector, ruleset, as_of, dry_run, pid, host, started_at,"
        " finished_at, counts, exit_code) VALUES ('csv:/x', 'csv', 'freelancer', '2026-11-20', 0, 1,"
        " 'h', '2026-11-20T02:00:00+00:00', '2026-11-20T02:01:00+00:00', '{\"changed\": 3}', 0)"
    )
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    with state.StateStore(path) as store:
        (old,) = store.runs()
        assert (old.counts, old.failures) == ({"changed": 3}, [])
        run_id = store.start_run("csv:/x", "csv", "freelancer", date(2026, 11, 21), False)
        store.finish_run(
            run_id, {"changed": 0}, 1, [("c-9", "invoices.csv:7: field due_on: empty")]
        )
        assert store.runs()[0].failures == [("c-9", "invoices.csv:7: field due_on: empty")]
        assert store.snapshot("csv:/x") is None  # version 3's tables are there, empty
    assert raw(path, "PRAGMA user_version") == [(len(schema.MIGRATIONS),)]
