"""The connector contract the core keeps: incremental reading is a type of its own, the
read comes before the write on the same connector, and what a sync hands on is read once."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from crmflags.cli import cli
from crmflags.cli.demo import SAMPLE_AS_OF
from crmflags.connector import ChangedClients, Connector, IncrementalConnector, WriteReport
from crmflags.evaluation.evaluate import QuotedNote, Reason
from crmflags.sync.run import evidence_key, stored_evidence_key
from crmflags.sync.snapshot import OnePass

from conftest import client, invoice


def test_an_incremental_connector_must_implement_the_incremental_methods():
    class HalfDone(IncrementalConnector):
        name = "half"

        def read(self):
            return iter(())

        def write(self, changes):
            return WriteReport()

        def start_cursor(self):
            return "0"

    with pytest.raises(TypeError, match="read_changed"):
        HalfDone(None)


def test_a_plain_connector_has_no_incremental_methods():
    assert not hasattr(Connector, "read_changed") and not hasattr(Connector, "start_cursor")
    assert not issubclass(Connector, IncrementalConnector)


class Careful(IncrementalConnector):
    """Refuses a write unless this same connector read everything first (the contract)."""

    name = "careful"
    description = "checks the order of calls"
    clients = [
        client(f"c-{n}", invoices=[invoice("2026-01-01", "2026-01-10", 50.0)]) for n in (1, 2)
    ]
    calls: list[str] = []

    def __init__(self, options):
        super().__init__(options)
        self.exhausted = False

    def _records(self, what):
        Careful.calls.append(what)
        yield from (
            client(c.id, invoices=list(c.invoices), risk=dict(c.risk)) for c in self.clients
        )
        self.exhausted = True

    def read(self):
        return self._records("read")

    def start_cursor(self):
        return "1"

    def read_changed(self, cursor, again):
        return ChangedClients(self._records("read_changed"), set(), "2")

    def write(self, changes):
        assert self.exhausted, "write before this connector's read was exhausted"
        Careful.calls.append("write")
        for change in changes:
            next(c for c in self.clients if c.id == change.client_id).risk.update(change.fields)
        return WriteReport(written=len(changes))


@pytest.fixture
def careful(installed, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    installed.connector(Careful)
    Careful.calls = []
    Careful.clients = [
        client(f"c-{n}", invoices=[invoice("2026-01-01", "2026-01-10", 50.0)]) for n in (1, 2)
    ]
    (tmp_path / "crmflags.yaml").write_text(f"connector: careful\nstate: {tmp_path / 's.db'}\n")


def crmflags(*args):
    result = CliRunner().invoke(cli, ["--config", "crmflags.yaml", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def test_sync_and_revert_write_only_after_reading_through_the_same_connector(careful):
    assert crmflags("sync", "--as-of", str(SAMPLE_AS_OF)).exit_code == 0
    assert crmflags("revert", "1").exit_code == 0
    assert crmflags("sync", "--as-of", str(SAMPLE_AS_OF)).exit_code == 0  # writes again
    assert Careful.calls == ["read", "write", "read", "write", "read_changed", "write"]


def test_a_streamed_read_cannot_be_gone_over_twice():
    records = OnePass(iter([client("c-1")]))
    assert [c.id for c in records] == ["c-1"]
    with pytest.raises(RuntimeError, match="read already"):
        list(records)


def test_matched_notes_have_their_own_field_and_acks_keep_their_fingerprint():
    quoted = QuotedNote("2026-11-12", "threat", "regret", "he said we would regret it")
    reason = Reason("r", "threatening", 2.0, "m", {"notes_threat": 1}, "a", (quoted,))
    assert reason.evidence == {"notes_threat": 1}
    stored = {"rule": "r", "tag": "threatening", "weight": 2, "message": "m", "advice": "a"}
    stored["evidence"] = reason.evidence_json()
    assert stored["evidence"]["matched_notes"][0]["list"] == "threat"
    assert Reason.from_json(stored) == reason
    # An ack recorded from the state store's JSON matches the live reason, as before.
    assert stored_evidence_key([stored], "threatening") == evidence_key([reason])
    other = Reason("r", "threatening", 2.0, "m", {"notes_threat": 1}, "a", ())
    assert evidence_key([other]) != evidence_key([reason])
