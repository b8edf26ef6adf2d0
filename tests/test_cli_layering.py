"""The CLI asks the layers below for what it shows: one run by its id, a dry run's line."""

from __future__ import annotations

import json
from datetime import date

from click.testing import CliRunner

from crmflags.cli import cli
from crmflags.cli.demo import SAMPLE_AS_OF, prepare
from crmflags.logs import summary_line
from crmflags.sync.state import StateStore


def test_a_run_is_looked_up_by_its_id(tmp_path):
    with StateStore(tmp_path / "state.db") as store:
        first = store.start_run("csv:x", "csv", "freelancer", date(2026, 11, 20), False)
        for _ in range(30):
            store.start_run("csv:y", "csv", "freelancer", date(2026, 11, 20), False)
        assert store.run(first).source == "csv:x"
        assert store.run(first + 30).source == "csv:y"
        assert store.run(999) is None


def test_runs_and_revert_name_a_run_the_store_lacks(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _, config = prepare(str(tmp_path / "book"))
    runner = CliRunner()
    sync = runner.invoke(cli, ["--config", str(config), "sync", "--as-of", str(SAMPLE_AS_OF)])
    assert sync.exit_code == 0, sync.output
    shown = runner.invoke(cli, ["--config", str(config), "runs", "1", "--format", "json"])
    assert json.loads(shown.stdout)["id"] == 1 and json.loads(shown.stdout)["writes"]
    for command in (["runs", "7"], ["revert", "7"]):
        missing = runner.invoke(cli, ["--config", str(config), *command])
        assert missing.exit_code == 2
        assert "no run 7 in the state store" in missing.stderr


def test_a_dry_runs_line_says_what_it_would_change():
    counts = {"read": 3, "kept": 27, "evaluated": 30, "changed": 2, "failed": 0, "api_calls": 4}
    assert summary_line(counts, dry_run=True) == (
        "dry run: 3 clients read (changed since the last run; 27 kept from it), 30 evaluated, "
        "2 would change, 0 failed, 4 API calls; nothing was written"
    )
