"""The options of every command: --config anywhere, no ignored options, runs, revert, snooze."""

from __future__ import annotations

import json
from datetime import date

import click
import pytest
from click.testing import CliRunner

from crmflags.cli import cli
from crmflags.cli.common import WITHOUT_CONFIG
from crmflags.cli.demo import SAMPLE_AS_OF, prepare
from crmflags.sync.state import StateStore

AS_OF = str(SAMPLE_AS_OF)


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(autouse=True)
def no_user_config(monkeypatch, tmp_path):
    monkeypatch.delenv("CRMFLAGS_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def book(tmp_path):
    """The sample bundle with its crmflags.yaml (state.db beside it), synced once."""
    folder, config = prepare(str(tmp_path / "book"))
    assert run("--config", str(config), "sync", "--as-of", AS_OF).exit_code == 0
    return folder, config


def commands(group: click.Group, path=()):
    for name, command in group.commands.items():
        yield (*path, name), command
        if isinstance(command, click.Group):
            yield from commands(command, (*path, name))


def test_every_command_that_reads_the_configuration_takes_config_after_its_name():
    missing = [
        " ".join(path)
        for path, command in commands(cli)
        if path[-1] not in WITHOUT_CONFIG and "config" not in {p.name for p in command.params}
    ]
    assert missing == []


def test_config_after_runs_rules_and_plugins_is_the_one_used(tmp_path):
    rules = tmp_path / "mine" / "studio-rules.yaml"
    rules.parent.mkdir()
    rules.write_text("name: studio-rules\nextends: freelancer\ndescription: our own\n")
    config = tmp_path / "elsewhere.yaml"
    config.write_text(f"state: {tmp_path / 'kept.db'}\nruleset: mine/studio-rules.yaml\n")
    empty = run("runs", "--config", str(config))
    assert empty.exit_code == 0 and f"no runs recorded in {tmp_path / 'kept.db'}" in empty.stdout
    listed = run("rules", "--config", str(config), "list")
    assert listed.exit_code == 0, listed.output
    line = next(x for x in listed.stdout.splitlines() if x.startswith("studio-rules"))
    assert line.startswith("studio-rules *") and "crmflags.yaml" in line and "our own" in line
    shown = run("rules", "show", "--config", str(config))
    assert shown.exit_code == 0 and shown.stdout.startswith(f"studio-rules  ({rules})")
    assert run("rules", "show", "studio-rules", "--config", str(config)).exit_code == 0
    tested = run("rules", "test", "studio-rules", "--config", str(config))
    assert "--   studio-rules: no examples" in tested.stdout
    assert run("plugins", "list", "--config", str(config)).exit_code == 0


def test_init_writes_where_config_points(tmp_path):
    target = tmp_path / "crm" / "crmflags.yaml"
    target.parent.mkdir()
    result = run("init", "--config", str(target))
    assert result.exit_code == 0, result.output
    assert target.is_file() and not (tmp_path / "crmflags.yaml").exists()


@pytest.mark.parametrize(
    "command",
    [
        ["history", "c-06"],
        ["snooze", "c-06", "--until", "2030-01-01"],
        ["ack", "c-06", "late_payer"],
        ["revert", "1"],
    ],
)
@pytest.mark.parametrize("option", [["--ruleset", "law-firm"], ["--as-of", "2026-01-01"]])
def test_store_commands_do_not_show_options_they_would_ignore(book, command, option):
    _, config = book
    result = CliRunner().invoke(cli, ["--config", str(config), *command, *option])
    assert result.exit_code == 2 and "No such option" in result.stderr
    assert option[0] not in CliRunner().invoke(cli, [command[0], "--help"]).stdout


def test_runs_has_a_header_and_marks_incremental_reads(tmp_path):
    path = tmp_path / "state.db"
    with StateStore(path) as store:
        for counts in (
            {"read": 3000, "evaluated": 3000, "changed": 40},
            {"read": 12, "kept": 2988, "removed": 1, "evaluated": 3000, "changed": 9},
            {"changed": 2, "drift": 0, "failed": 0},
        ):
            run_id = store.start_run("hubspot:acme", "hubspot", "base", date(2026, 11, 20), False)
            store.finish_run(run_id, counts, 0)
    lines = run("runs", "--state", str(path)).stdout.splitlines()
    header = lines[0].split()
    assert header == ["RUN", "STARTED", "(UTC)", "FINISHED", "EXIT", "READ", "RULESET", "SOURCE",
                      "COUNTS"]  # fmt: skip
    read_column = lines[0].index("READ")
    reads = {line.split()[0]: line[read_column:].split()[0] for line in lines[1:]}
    assert reads == {"3": "-", "2": "incremental", "1": "full"}
    assert "read 12, kept 2988, removed 1, evaluated 3000, changed 9" in lines[2]
    listed = json.loads(run("runs", "--state", str(path), "--format", "json").stdout)
    assert [r["incremental"] for r in listed] == [None, True, False]


def test_runs_of_an_empty_store_says_so_and_creates_nothing(tmp_path):
    path = tmp_path / "nowhere" / "state.db"
    result = run("runs", "--state", str(path))
    assert result.exit_code == 0
    assert result.stdout.strip() == f"no runs recorded in {path} yet; `crmflags sync` records one"
    assert not path.exists()
    assert run("runs", "--state", str(path), "--format", "json").stdout.strip() == "[]"


def test_a_revert_that_restores_nothing_is_not_a_run(book):
    folder, config = book
    assert "0 changed" in run("--config", str(config), "sync", "--as-of", AS_OF).stdout
    nothing_written = run("--config", str(config), "revert", "2")
    assert nothing_written.exit_code == 0
    assert "run 2 wrote nothing, so there is nothing to restore" in nothing_written.stdout
    assert "reverted run 1: 30 client(s)" in run("--config", str(config), "revert", "1").stdout
    again = run("--config", str(config), "revert", "1")
    assert again.exit_code == 0
    assert "nothing restored: every value run 1 wrote has changed since" in again.stdout
    assert "no run recorded" in again.stdout
    with StateStore(folder / "state.db") as store:
        assert [r.ruleset for r in store.runs()] == ["revert of run 1", "freelancer", "freelancer"]


def test_a_snooze_until_a_day_already_past_is_refused(book):
    folder, config = book
    result = run("--config", str(config), "snooze", "c-06", "late_payer", "--until", "2026-01-15")
    assert result.exit_code == 2
    assert "--until 2026-01-15 is not after today" in result.stderr
    with StateStore(folder / "state.db") as store:
        assert store.snoozes(f"csv:{folder}") == []


def test_schedule_warns_of_an_env_file_that_is_not_there(book, tmp_path):
    _, config = book
    missing = tmp_path / "no-such.env"
    result = run("--config", str(config), "schedule", "--env-file", str(missing))
    assert result.exit_code == 0
    assert f"--env-file {missing} is not a file" in result.stderr
    assert f". {missing} &&" in result.stdout  # the lines are still printed
    present = tmp_path / "crmflags.env"
    present.write_text("HUBSPOT_TOKEN=x\n")
    quiet = run("--config", str(config), "schedule", "--env-file", str(present))
    assert "--env-file" not in quiet.stderr


def test_store_commands_need_no_connector_when_the_store_knows_the_source(book, tmp_path):
    folder, config = book
    bare = tmp_path / "bare.yaml"
    bare.write_text(f"state: {folder / 'state.db'}\n")  # no connector, no source
    history = run("--config", str(bare), "history", "c-06")
    assert history.exit_code == 0 and "late_payer" in history.stdout
    assert run("--config", str(bare), "ack", "c-06", "late_payer").exit_code == 0
    assert run("--config", str(bare), "runs").exit_code == 0
    unknown = run("--config", str(bare), "revert", "99")
    assert unknown.exit_code == 2 and "no run 99 in the state store" in unknown.stderr
