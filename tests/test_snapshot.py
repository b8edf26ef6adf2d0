"""Incremental syncs: only what changed is read, yet every client is evaluated every run."""

from __future__ import annotations

import copy
import html
import json
import re
from dataclasses import fields
from datetime import date, datetime, timedelta

import pytest
from click.testing import CliRunner

from crmflags.cli import cli
from crmflags.cli.app import App
from crmflags.cli.demo import SAMPLE_AS_OF, prepare
from crmflags.connector import ChangedClients, IncrementalConnector, WriteReport
from crmflags.errors import CrmflagsError, InputError, QuotaSpent
from crmflags.model import Activity, Client, Invoice, Note, RecordFailure, TimeEntry
from crmflags.sync.snapshot import decode_client, encode_client
from crmflags.sync.state import StateStore

AS_OF = str(SAMPLE_AS_OF)


class Book:
    """The memory connector's source: clients, the tick each last changed at, deletions."""

    def __init__(self, clients: list[Client]):
        self.tick = 1
        self.clients = {c.id: c for c in clients}
        self.changed_at = dict.fromkeys(self.clients, 1)
        self.deleted: dict[str, int] = {}
        self.broken: set[str] = set()
        self.reads: list[list[str]] = []  # the ids each read returned
        self.fail_writes = False
        self.lookback = 0  # ticks read again before the cursor, as CRMs' clocks need
        self.quota: int | None = None  # writes the source takes before its quota runs out
        self.set_up = True

    def touch(self, client_id: str) -> None:
        self.tick += 1
        self.changed_at[client_id] = self.tick

    def delete(self, client_id: str) -> None:
        self.tick += 1
        del self.clients[client_id]
        self.deleted[client_id] = self.tick

    def yield_clients(self, ids):
        got = []
        self.reads.append(got)
        for client_id in ids:
            got.append(client_id)
            if client_id in self.broken:
                yield RecordFailure(client_id, f"memory: client {client_id} is broken")
            else:
                yield copy.deepcopy(self.clients[client_id])


class MemoryConnector(IncrementalConnector):
    """An incremental connector over a Book, like a CRM whose writes change the record."""

    name = "memory"
    description = "clients in memory, read incrementally"
    transport_settings = ("timeout",)
    book: Book

    def read(self):
        return self.book.yield_clients(list(self.book.clients))

    def start_cursor(self):
        return str(self.book.tick)

    def read_changed(self, cursor, again):
        since = int(cursor) - self.book.lookback
        ids = [cid for cid, at in self.book.changed_at.items() if at > since or cid in again]
        ids = [cid for cid in ids if cid in self.book.clients]
        removed = {cid for cid, at in self.book.deleted.items() if at > since}
        return ChangedClients(self.book.yield_clients(ids), removed, str(self.book.tick))

    def write(self, changes):
        if self.book.fail_writes:
            raise CrmflagsError("memory: the source went away")
        if not self.book.set_up:
            raise InputError("memory has no risk fields: run crmflags setup first")
        written = 0
        for change in changes:
            if self.book.quota is not None and written == self.book.quota:
                taken = [c.client_id for c in changes[:written]]
                raise QuotaSpent("memory: the daily quota is spent; run again tomorrow", taken)
            self.book.clients[change.client_id].risk.update(change.fields)
            self.book.touch(change.client_id)  # a write changes the record, as in a CRM
            written += 1
        return WriteReport(written)


@pytest.fixture
def book(tmp_path, monkeypatch, installed):
    """The sample clients in a Book behind the ``memory`` connector, and a crmflags.yaml."""
    monkeypatch.chdir(tmp_path)
    folder, _ = prepare(str(tmp_path / "book"))
    app = App.start(None)
    clients = list(app.connector("csv", str(folder), None).read())
    memory = Book([c for c in clients if isinstance(c, Client)])
    MemoryConnector.book = memory
    installed.connector(MemoryConnector)
    config = tmp_path / "crmflags.yaml"
    config.write_text(f"connector: memory\nstate: {tmp_path / 'state.db'}\nmemory: {{}}\n")
    return memory


def sync(*args: str, as_of: str = AS_OF):
    result = CliRunner().invoke(cli, ["--config", "crmflags.yaml", "sync", "--as-of", as_of, *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def levels(tmp_path) -> dict[str, str]:
    with StateStore(tmp_path / "state.db") as store:
        return {cid: r.level for cid, r in store.last_results("memory").items()}


def test_a_client_encodes_and_decodes_whole():
    moment = datetime.fromisoformat("2026-11-02T19:30:00+02:00")
    client = Client(
        "c-1",
        "Kovács Kft.",
        "a@b.hu",
        "agency",
        95.0,
        20.0,
        True,
        2.5,
        [Invoice("I-1", date(2026, 9, 1), date(2026, 9, 15), 1200.5, None, "HUF", True, 100.0)],
        [Activity(moment, "call", "outbound", "Sürgős!", False)],
        [Note(moment, "ügyvédünk <b>levelet</b> küld", "legal")],
        [TimeEntry(date(2026, 10, 1), 3.5, False, False)],
        {"risk_level": "fire", "risk_tags": None},
        {"outcome": "ended"},
    )
    assert decode_client(encode_client(client)) == client
    # Every field of every model class is encoded: a new field must be added here too.
    encoded = json.loads(encode_client(client))
    assert len(encoded) == len(fields(Client))
    for position, cls in ((8, Invoice), (9, Activity), (10, Note), (11, TimeEntry)):
        assert len(encoded[position][0]) == len(fields(cls)), cls.__name__


def test_the_first_sync_reads_everything_then_only_what_changed(book, tmp_path):
    first = sync()
    assert first.exit_code == 0, first.output
    assert "30 clients read, 30 evaluated, 30 changed" in first.stdout
    assert book.reads == [sorted(book.clients, key=list(book.clients).index)]
    # Its own writes changed the 30 records: the next run reads them back, no more.
    second = sync()
    assert len(book.reads[-1]) == 30 and "0 changed" in second.stdout
    third = sync()
    assert book.reads[-1] == []
    assert "0 clients read (changed since the last run; 30 kept from it)" in third.stdout
    assert "30 evaluated, 0 changed" in third.stdout


def test_a_changed_client_is_read_again_and_the_rest_still_move_with_the_calendar(book, tmp_path):
    sync()
    sync()
    quiet = levels(tmp_path)
    calm = next(cid for cid, level in quiet.items() if level == "ok")
    client = book.clients[calm]
    for n in range(3):
        client.invoices.append(
            Invoice(f"late-{n}", date(2026, 8, 1), date(2026, 8, 15), 900.0, None)
        )
    book.touch(calm)
    result = sync()
    assert book.reads[-1] == [calm]
    assert levels(tmp_path)[calm] != "ok"
    assert "1 client read (changed since the last run; 29 kept from it)" in result.stdout
    # Nothing changes in the source, but 200 days later the open invoices of clients
    # kept from the snapshot are far overdue: they are written without being read.
    later = str(SAMPLE_AS_OF + timedelta(days=200))
    moved = sync(as_of=later)
    assert book.reads[-1] == [calm]  # read back after the last run wrote it; no other
    changed = int(re.search(r"(\d+) changed", moved.stdout).group(1))
    assert changed > 1
    after = sync(as_of=later)
    assert len(book.reads[-1]) == changed and "0 changed" in after.stdout


def test_a_removed_client_is_forgotten_and_never_written(book, tmp_path):
    sync()
    sync()
    gone = next(iter(book.clients))
    with StateStore(tmp_path / "state.db") as store:
        store.snooze("memory", gone, None, date(2030, 1, 1))
    book.delete(gone)
    result = sync()
    assert "29 kept from it, 1 removed" in result.stdout
    assert gone not in levels(tmp_path)
    with StateStore(tmp_path / "state.db") as store:
        assert store.snoozes("memory") == []
        assert gone not in dict(store.snapshot_clients("memory"))
        name = store.client_names("memory")[gone]  # kept: the report says who left
        assert all(row.client_id != gone for row in store.audit(store.runs()[0].id))
    page = tmp_path / "risk.html"
    reported = CliRunner().invoke(cli, ["--config", "crmflags.yaml", "report", "-o", str(page)])
    assert reported.exit_code == 0, reported.output
    changes = re.search(r'<section class="changes".*?</section>', page.read_text(), re.S)
    row = rf"<td[^>]*>{re.escape(html.escape(name))} <span[^>]*>{gone}</span></td>\s*<td[^>]*>no longer in the source"
    assert re.search(row, changes.group(0)), changes.group(0)
    # Read again through a lookback, the removal is old news: nothing more is removed.
    book.lookback = 1_000
    again = sync()
    assert "1 removed" not in again.stdout and "29 evaluated" in again.stdout


def test_a_failed_read_is_retried_next_run_and_a_failed_write_keeps_the_changes(book, tmp_path):
    sync()
    sync()
    flaky = list(book.clients)[3]
    book.broken.add(flaky)
    book.touch(flaky)
    failed = sync()
    assert failed.exit_code == 1 and f"client {flaky}: memory: client {flaky} is broken" in (
        failed.stderr
    )
    page = tmp_path / "risk.html"
    CliRunner().invoke(cli, ["--config", "crmflags.yaml", "report", "-o", str(page)])
    shown = page.read_text()
    changes = re.search(r'<section class="changes".*?</section>', shown, re.S)
    assert changes is None or f">{flaky}</span>" not in changes.group(0)  # failed, not gone
    failures = re.search(r'<section class="failures".*?</section>', shown, re.S).group(0)
    assert f">{flaky}</span>: memory: client {flaky} is broken" in failures
    book.broken.clear()
    sync()
    assert book.reads[-1] == [flaky]  # not changed since, but read again
    # A run that dies while writing keeps nothing: the next one reads the same again.
    other = list(book.clients)[5]
    book.clients[other].invoices.append(
        Invoice("big", date(2026, 6, 1), date(2026, 6, 15), 50_000.0, None)
    )
    book.touch(other)
    book.fail_writes = True
    assert sync().exit_code == 2
    book.fail_writes = False
    sync()
    assert book.reads[-2:] == [[other], [other]]
    assert levels(tmp_path)[other] != "ok"


def test_full_reads_come_back_on_request_after_settings_change_and_when_old(book, tmp_path):
    sync()
    sync()
    sync("--full")
    assert len(book.reads[-1]) == 30
    sync()
    assert book.reads[-1] == []
    config = tmp_path / "crmflags.yaml"
    config.write_text(config.read_text().replace("memory: {}", "memory: {timeout: 9}"))
    sync()
    assert book.reads[-1] == []  # how it talks to the source, not what it reads
    config.write_text(config.read_text().replace("{timeout: 9}", "{timeout: 9, region: eu}"))
    sync()
    assert len(book.reads[-1]) == 30  # the copies were made with other settings
    config.write_text(config.read_text() + "full_read_days: 0\n")
    sync()
    assert len(book.reads[-1]) == 30
    dry = sync("--dry-run")
    assert "dry run:" in dry.stdout


def test_full_read_days_must_be_a_whole_number(book, tmp_path):
    config = tmp_path / "crmflags.yaml"
    config.write_text(config.read_text() + "full_read_days: weekly\n")
    result = sync()
    assert result.exit_code == 2
    assert "crmflags.yaml:4" in result.stderr and "full_read_days must be a whole number" in (
        result.stderr
    )


def test_a_spent_quota_keeps_what_was_written_and_the_next_run_writes_the_rest(book, tmp_path):
    book.quota = 12
    stopped = sync()
    assert stopped.exit_code == 1 and "the daily quota is spent" in stopped.stderr
    with StateStore(tmp_path / "state.db") as store:
        run = store.runs()[0]
        assert run.counts["changed"] == 12 and run.exit_code == 1
        statuses = {}
        for row in store.audit(run.id):
            statuses.setdefault(row.status, set()).add(row.client_id)
    assert len(statuses["applied"]) == 12 and len(statuses["abandoned"]) == 18
    assert set(statuses) == {"applied", "abandoned"}
    book.quota = None
    resumed = sync()
    assert resumed.exit_code == 0 and "18 changed" in resumed.stdout


def test_a_write_refused_for_missing_setup_leaves_no_audit_rows(book, tmp_path):
    book.set_up = False
    refused = sync()
    assert refused.exit_code == 2 and "run crmflags setup first" in refused.stderr
    with StateStore(tmp_path / "state.db") as store:
        assert store.audit(store.runs()[0].id) == []
    book.set_up = True
    assert "30 changed" in sync().stdout


def test_explain_reads_only_what_changed_since_the_last_sync_and_keeps_nothing(book, tmp_path):
    sync()
    sync()
    first = list(book.clients)[0]
    shown = CliRunner().invoke(
        cli, ["--config", "crmflags.yaml", "explain", first, "--as-of", AS_OF]
    )
    assert shown.exit_code == 0, shown.output
    assert book.reads[-1] == [] and first in shown.stdout
    book.touch(first)
    CliRunner().invoke(cli, ["--config", "crmflags.yaml", "explain", first, "--as-of", AS_OF])
    assert book.reads[-1] == [first]
    sync()
    assert book.reads[-1] == [first]  # explain saved no cursor: the sync reads it too


def test_explain_of_a_client_gone_from_the_source_says_so(book, tmp_path):
    sync()
    gone = next(iter(book.clients))
    book.delete(gone)
    sync()
    shown = CliRunner().invoke(cli, ["--config", "crmflags.yaml", "explain", gone])
    assert shown.exit_code == 2
    assert f"client '{gone}' (" in shown.stderr and "is no longer in memory" in shown.stderr
