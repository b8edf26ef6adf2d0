"""A streamed evaluation: the same results, written per batch, never all held at once."""

from __future__ import annotations

import gc
import json
import sys
import weakref
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from crmflags.cli import cli
from crmflags.cli.app import App
from crmflags.cli.output import to_csv, to_json
from crmflags.evaluation import engine as engine_module
from crmflags.evaluation import evaluate as evaluate_module
from crmflags.evaluation.evaluate import evaluate

from conftest import client, contact, day

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from generate import AS_OF, generate  # noqa: E402

NOW = datetime(2026, 11, 20, 9, 0)


@pytest.fixture(scope="module")
def freelancer():
    return App.start(None).ruleset("freelancer")


def clients(count: int) -> list:
    """Clients of whom every third calls at night six times (a tag), the others are quiet."""
    night = [contact(f"2026-11-{d:02d} 22:30", kind="call") for d in range(2, 8)]
    return [client(f"c{n:03d}", activities=night if n % 3 == 0 else []) for n in range(count)]


@pytest.fixture
def small_batches(monkeypatch):
    """Batches of 4 clients, so that a few clients make several batches."""
    monkeypatch.setattr(evaluate_module, "BATCH_FACTS", 4)
    monkeypatch.setattr(engine_module, "BATCH_FACTS", 4)


def test_a_streamed_evaluation_gives_the_held_ones_results_and_holds_none(
    freelancer, settings, small_batches
):
    held = evaluate(clients(10), freelancer, settings, day("2026-11-20"), NOW)
    streamed = evaluate(clients(10), freelancer, settings, day("2026-11-20"), NOW, stream=True)
    assert streamed.results == []
    batches = list(streamed.batches())
    assert [len(batch) for batch in batches] == [4, 4, 2]
    results = [result for batch in batches for result in batch]
    assert [(r.client.id, r.score, r.tags, r.reasons) for r in results] == [
        (r.client.id, r.score, r.tags, r.reasons) for r in held.results
    ]
    assert streamed.results == [] and streamed.summary() == held.summary()
    assert held.summary()["ok"] == 6
    assert list(streamed.batches()) == []  # each result is yielded once


def test_a_batch_written_out_is_let_go_before_the_next_is_made(freelancer, settings, small_batches):
    streamed = evaluate(clients(12), freelancer, settings, day("2026-11-20"), NOW, stream=True)
    batches = streamed.batches()
    first = weakref.ref(next(batches)[0])
    assert len(next(batches)) == 4
    gc.collect()
    assert first() is None  # once the caller asked for the next batch, the first was let go


def test_streamed_json_and_csv_are_the_held_evaluations_bytes(freelancer, settings, small_batches):
    def run(stream: bool):
        return evaluate(clients(10), freelancer, settings, day("2026-11-20"), NOW, stream=stream)

    assert to_json(run(True)) == to_json(run(False))
    assert to_csv(run(True), ";", ",") == to_csv(run(False), ";", ",")
    document = json.loads(to_json(run(True)))
    assert len(document["clients"]) == 10
    assert document["summary"] == {"ok": 6, "watch": 4, "warning": 0, "fire": 0}


def test_a_client_the_engine_fails_on_while_streaming_is_among_the_failures(
    freelancer, settings, small_batches, monkeypatch
):
    native_assert = engine_module._native.assert_facts

    def refuse_night_callers(handle, text):
        if '"m_after_hours_share":1.0' in text:
            raise RuntimeError("Could not assert facts, error code: 202")
        return native_assert(handle, text)

    monkeypatch.setattr(engine_module._native, "assert_facts", refuse_night_callers)
    streamed = evaluate(clients(10), freelancer, settings, day("2026-11-20"), NOW, stream=True)
    assert streamed.failures == []  # the rules have not run yet
    document = json.loads(to_json(streamed))
    assert [entry["id"] for entry in document["clients"]] == [
        f"c{n:03d}" for n in range(10) if n % 3
    ]
    assert [f["client_id"] for f in document["failures"]] == ["c000", "c003", "c006", "c009"]
    assert document["summary"]["ok"] == 6


def test_the_commands_json_and_csv_do_not_depend_on_the_batch_size(tmp_path, monkeypatch):
    """The CLI streams: batches of 7 clients give the bytes batches of 1,000 give."""
    generate(tmp_path / "bundle", 30, 5)
    command = ["evaluate", "--source", str(tmp_path / "bundle"), "--as-of", AS_OF.isoformat()]
    streamed = {
        fmt: CliRunner().invoke(cli, [*command, "--format", fmt]) for fmt in ("json", "csv")
    }
    monkeypatch.setattr(evaluate_module, "BATCH_FACTS", 7)
    monkeypatch.setattr(engine_module, "BATCH_FACTS", 7)
    small = {fmt: CliRunner().invoke(cli, [*command, "--format", fmt]) for fmt in ("json", "csv")}
    for fmt in ("json", "csv"):
        assert streamed[fmt].exit_code == small[fmt].exit_code == 0, streamed[fmt].output
        assert streamed[fmt].stdout == small[fmt].stdout
    assert len(json.loads(streamed["json"].stdout)["clients"]) == 30
    assert len(streamed["csv"].stdout.splitlines()) == 31
