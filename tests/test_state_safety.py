"""The state store under faults: tombstones, damaged files, a full disk."""

from __future__ import annotations

import sqlite3
import subprocess
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from crmflags.errors import InputError
from crmflags.sync.state import StateStore, schema

SOURCE = "csv:/exports"


def started(store: StateStore, results: dict[str, str]) -> int:
    """Record a finished run with a result (level only) for each client."""
    run_id = store.start_run(SOURCE, "csv", "freelancer", date(2026, 11, 20), False)
    store.record_results(
        run_id, [(cid, 5.0, level, ["late_payer"], []) for cid, level in results.items()]
    )
    store.finish_run(run_id, {"changed": 0}, 0)
    return run_id


def test_a_forgotten_client_keeps_its_decisions_in_a_tombstone_and_gets_them_back(tmp_path):
    with StateStore(tmp_path / "state.db") as store:
        started(store, {"c-1": "fire", "c-2": "ok"})
        store.snooze(SOURCE, "c-1", "late_payer", date(2027, 6, 1))
        store.snooze(SOURCE, "c-1", None, date(2027, 1, 1))
        store.ack(SOURCE, "c-1", "after_hours", "abc123")
        assert store.forget_clients(SOURCE, ["c-1"]) == 1
        # Gone: nothing of it is in force any more.
        assert set(store.last_results(SOURCE)) == {"c-2"}
        assert store.snoozes(SOURCE) == [] and store.acks(SOURCE) == {}
        kept = store.tombstones(SOURCE)["c-1"]
        assert kept.level == "fire" and kept.acks == {"after_hours": "abc123"}
        assert {(s.tag, s.until) for s in kept.snoozes} == {
            ("late_payer", date(2027, 6, 1)),
            (None, date(2027, 1, 1)),
        }
        # Back in the source: everything returns, and the tombstone is spent.
        assert store.restore_clients(SOURCE, ["c-1", "c-9"]) == ["c-1"]
        assert store.last_results(SOURCE)["c-1"].level == "fire"
        assert store.snoozed(SOURCE, date(2026, 12, 1)) == {"c-1": {"late_payer", None}}
        assert store.acks(SOURCE) == {("c-1", "after_hours"): "abc123"}
        assert store.tombstones(SOURCE) == {}


def test_a_decision_made_since_wins_over_the_kept_one(tmp_path):
    with StateStore(tmp_path / "state.db") as store:
        started(store, {"c-1": "fire"})
        store.snooze(SOURCE, "c-1", "late_payer", date(2027, 6, 1))
        store.forget_clients(SOURCE, ["c-1"])
        store.snooze(SOURCE, "c-1", "late_payer", date(2027, 2, 1))
        store.restore_clients(SOURCE, ["c-1"])
        assert [s.until for s in store.snoozes(SOURCE)] == [date(2027, 2, 1)]


def test_old_tombstones_are_purged_and_a_pruned_run_brings_back_only_the_decisions(tmp_path):
    path = tmp_path / "state.db"
    with StateStore(path) as store:
        run_id = started(store, {"c-1": "fire", "c-2": "warning"})
        store.snooze(SOURCE, "c-2", None, date(2027, 6, 1))
        store.forget_clients(SOURCE, ["c-1", "c-2"])
        now = datetime.now(timezone.utc)
        assert store.purge_tombstones(SOURCE, now - timedelta(days=90)) == 0
        assert store.purge_tombstones("csv:/other", now + timedelta(days=1)) == 0
    # The run its result came from is gone (pruned by hand here).
    db = sqlite3.connect(path)
    for table in ("score_history", "runs"):
        db.execute(
            f"DELETE FROM {table} WHERE {'run_id' if table != 'runs' else 'id'} = ?", (run_id,)
        )
    db.commit()
    db.close()
    with StateStore(path) as store:
        assert store.restore_clients(SOURCE, ["c-2"]) == ["c-2"]
        assert store.last_results(SOURCE) == {}
        assert [s.client_id for s in store.snoozes(SOURCE)] == ["c-2"]
        later = datetime.now(timezone.utc) + timedelta(seconds=2)
        assert store.purge_tombstones(SOURCE, later) == 1
        assert store.tombstones(SOURCE) == {}


def test_a_version_3_store_is_migrated_to_tombstones_keeping_its_decisions(tmp_path):
    path = tmp_path / "state.db"
    db = sqlite3.connect(path, isolation_level=None)
    for number, migration in enumerate(schema.MIGRATIONS[:3]):
        migration(db)
        db.execute(f"PRAGMA user_version = {number + 1}")
    db.execute(
        "INSERT INTO snoozes VALUES (?, 'c-1', '', '2027-01-01', '2026-11-01T00:00:00+00:00')",
        (SOURCE,),
    )
    db.close()
    with StateStore(path) as store:
        assert [s.client_id for s in store.snoozes(SOURCE)] == ["c-1"]
        store.forget_clients(SOURCE, ["c-1"])
        assert list(store.tombstones(SOURCE)) == ["c-1"]
    check = sqlite3.connect(path)
    assert check.execute("PRAGMA user_version").fetchone() == (len(schema.MIGRATIONS),)
    check.close()


def a_store_of_many_pages(path: Path) -> None:
    with StateStore(path) as store:
        started(store, {f"c-{n}": "warning" for n in range(2000)})
    assert path.stat().st_size > 100_000 and not Path(f"{path}-wal").exists()


def test_a_truncated_store_is_refused_with_its_path_and_the_backup_advice(tmp_path):
    path = tmp_path / "state.db"
    a_store_of_many_pages(path)
    with path.open("r+b") as file:
        file.truncate(path.stat().st_size // 2)
    with pytest.raises(InputError) as caught:
        with StateStore(path) as store:
            store.check_integrity()
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and "damaged" in message
    assert "restore it from your backup" in message and "--new-state" in message


def test_a_store_with_a_damaged_page_fails_the_integrity_check(tmp_path):
    path = tmp_path / "state.db"
    a_store_of_many_pages(path)
    with path.open("r+b") as file:
        file.seek(8 * 4096)
        file.write(b"\xff" * 4096)
    with pytest.raises(InputError, match=r"the state database is damaged \(.*restore it"):
        with StateStore(path) as store:
            store.check_integrity()


def test_an_intact_store_passes_the_integrity_check(tmp_path):
    path = tmp_path / "state.db"
    a_store_of_many_pages(path)
    with StateStore(path) as store:
        store.check_integrity()
        assert len(store.last_results(SOURCE)) == 2000


def test_a_full_disk_names_the_disk_and_the_file_not_a_rollback_detail(tmp_path):
    path = tmp_path / "state.db"
    with StateStore(path) as store:
        run_id = started(store, {"c-1": "ok"})
        # SQLite's own size limit gives the very error a full disk gives (SQLITE_FULL).
        pages = store._db.execute("PRAGMA page_count").fetchone()[0]
        store._db.execute(f"PRAGMA max_page_count = {pages + 1}")
        big = [{"message": "x" * 5000}] * 50
        with pytest.raises(InputError) as caught:
            store.record_results(run_id, [(f"c-{n}", 1.0, "ok", [], big) for n in range(50)])
        message = str(caught.value)
        assert message.startswith(f"{path}: the disk is full: the state database could not grow")
        assert "on the disk mounted at /" in message
        assert " free" in message and "rollback" not in message
        # Nothing half-written, and the store goes on working once there is room.
        assert set(store.last_results(SOURCE)) == {"c-1"}
        store._db.execute("PRAGMA max_page_count = 1000000")
        store.record_results(run_id, [("c-2", 1.0, "ok", [], [])])
        assert set(store.last_results(SOURCE)) == {"c-1", "c-2"}


@pytest.fixture
def tiny_disk(tmp_path):
    """A 3 MB file system of its own (a tmpfs), when this user may mount one."""
    folder = tmp_path / "tiny"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip("mounting a small tmpfs needs root")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


def test_a_really_full_disk_names_the_disk_not_cannot_rollback(tiny_disk):
    path = tiny_disk / "state.db"
    with StateStore(path) as store:
        run_id = started(store, {"c-1": "ok"})
        # One transaction bigger than the disk: SQLite rolls it back itself (ENOSPC while
        # spilling pages), and a second ROLLBACK said "cannot rollback - no transaction is
        # active", hiding the cause.
        big = [{"message": "ü" * 3000}]
        with pytest.raises(InputError) as caught:
            store.record_results(run_id, [(f"c-{n}", 1.0, "ok", [], big) for n in range(1000)])
        message = str(caught.value)
        assert message.startswith(f"{path}: the disk is full: the state database could not grow")
        assert f"the disk mounted at {tiny_disk} (tmpfs, " in message and "rollback" not in message
        assert set(store.last_results(SOURCE)) == {"c-1"}
