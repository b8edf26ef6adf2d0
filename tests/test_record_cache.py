"""The record cache connectors keep between syncs: the public class, and its table in the
state store (migration, saved with the snapshot, emptied by a full read)."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

import pytest

from crmflags.record_cache import CachedRecord, RecordCache
from crmflags.sync.state import StateStore, schema
from crmflags.sync.state.records import Snapshot

SOURCE = "hubspot:77"
OTHER = "pipedrive:acme"
SNAPSHOT = Snapshot("cursor-1", "print", datetime(2026, 11, 20, tzinfo=timezone.utc), [])


def call(record_id: str, version: str = "1", group: str = "") -> CachedRecord:
    return CachedRecord(record_id, version, {"id": record_id, "v": version}, group)


def save(store: StateStore, cache: RecordCache, source: str = SOURCE) -> None:
    store.save_snapshot(source, SNAPSHOT, {}, records=cache.changes())


def kept(store: StateStore, source: str = SOURCE) -> RecordCache:
    return RecordCache(store.kept_records(source))


def test_puts_and_drops_are_seen_at_once_over_what_was_kept(tmp_path):
    with StateStore(tmp_path / "s.db") as store:
        first = RecordCache(store.kept_records(SOURCE))
        first.clear()
        first.put("calls", [call("1", group="A"), call("2", group="A"), call("3", group="B")])
        save(store, first)

        cache = kept(store)
        cache.put("calls", [call("2", "5", group="B")])  # modified, and moved to B
        cache.drop("calls", ["3"])
        assert cache.get("calls", ["1", "2", "3", "9"]) == {
            "1": call("1", group="A"),
            "2": call("2", "5", group="B"),
        }
        assert set(cache.in_groups("calls", ["A"])) == {"1"}
        assert set(cache.in_groups("calls", ["B"])) == {"2"}
        assert cache.get("emails", ["1"]) == {}
        # Nothing reached the store before the save.
        assert set(kept(store).in_groups("calls", ["A", "B"])) == {"1", "2", "3"}
        save(store, cache)
        assert kept(store).get("calls", ["1", "2", "3"]) == cache.get("calls", ["1", "2", "3"])


def test_a_cache_is_complete_only_once_a_cleared_one_was_saved(tmp_path):
    with StateStore(tmp_path / "s.db") as store:
        partial = kept(store)
        partial.put("calls", [call("1")])
        save(store, partial)
        assert not kept(store).complete  # filled piecemeal: records may be missing

        full = kept(store)
        full.clear()
        assert full.complete and full.get("calls", ["1"]) == {}
        full.put("calls", [call("2")])
        save(store, full)
        again = kept(store)
        assert again.complete
        assert set(again.get("calls", ["1", "2"])) == {"2"}  # the clear dropped record 1
        assert not kept(store, OTHER).complete  # each source has its own cache


def test_a_cache_that_keeps_nothing_forgets_every_put():
    cache = RecordCache(keep=False)
    cache.clear()
    cache.put("calls", [call("1")])
    assert cache.get("calls", ["1"]) == {} and not cache.complete
    assert cache.changes().records == {}


def test_a_store_of_the_previous_schema_gains_an_empty_cache_and_keeps_its_snapshot(tmp_path):
    path = tmp_path / "old.db"
    db = sqlite3.connect(path)
    for migrate in schema.MIGRATIONS[:5]:
        migrate(db)
    db.execute(
        "INSERT INTO snapshots (source, cursor, fingerprint, full_read_at, again)"
        " VALUES (?, 'c-5', 'print', '2026-11-20T00:00:00+00:00', '[]')",
        (SOURCE,),
    )
    db.execute("PRAGMA user_version = 5")
    db.commit()
    db.close()
    with StateStore(path) as store:
        snapshot = store.snapshot(SOURCE)
        assert snapshot is not None and snapshot.cursor == "c-5"
        cache = kept(store)
        assert not cache.complete and cache.get("calls", ["1"]) == {}
        cache.put("calls", [call("1")])
        save(store, cache)
        assert set(kept(store).get("calls", ["1"])) == {"1"}
    version = sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0]
    assert version == len(schema.MIGRATIONS) == 6


def test_a_save_that_fails_keeps_neither_the_cursor_nor_the_cache_changes(tmp_path, monkeypatch):
    with StateStore(tmp_path / "s.db") as store:
        first = kept(store)
        first.clear()
        first.put("calls", [call("1")])
        save(store, first)

        cache = kept(store)
        cache.put("calls", [call("1", "2"), call("7")])
        bad = Snapshot(object(), "print", SNAPSHOT.full_read_at, [])  # type: ignore[arg-type]
        with pytest.raises(sqlite3.Error):  # the cursor cannot be stored: all rolls back
            store.save_snapshot(SOURCE, bad, {}, records=cache.changes())
        after = kept(store)
        assert after.get("calls", ["1", "7"]) == {"1": call("1")}
        assert store.snapshot(SOURCE).cursor == "cursor-1"  # type: ignore[union-attr]
