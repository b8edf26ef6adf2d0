"""Cron-grade sync on the sample bundle: zero writes when unchanged, drift, revert, lock, kill -9."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from crmflags.cli import cli
from crmflags.cli.demo import SAMPLE_AS_OF, prepare
from crmflags.sync.state import StateStore
from crmflags.sync.state.records import APPLIED, PENDING, SUPERSEDED

AS_OF = str(SAMPLE_AS_OF)


@pytest.fixture
def bundle(tmp_path, monkeypatch):
    """The sample bundle in a scratch folder, with its crmflags.yaml (state.db beside it)."""
    monkeypatch.chdir(tmp_path)
    folder, config = prepare(str(tmp_path / "book"))
    return folder, config


def run(config: Path, *args: str):
    return CliRunner().invoke(cli, ["--config", str(config), *args], catch_exceptions=False)


def csv_rows(folder: Path) -> dict[str, dict[str, str]]:
    import csv

    text = (folder / "clients.csv").read_text(encoding="utf-8-sig")
    reader = csv.DictReader(text.splitlines(keepends=True), delimiter=";")
    return {row["ID"]: row for row in reader}


def store(folder: Path) -> StateStore:
    return StateStore(folder / "state.db")


def test_the_second_sync_records_zero_writes(bundle):
    folder, config = bundle
    first = run(config, "sync", "--as-of", AS_OF)
    assert first.exit_code == 0, first.output
    assert "30 changed" in first.stdout and "(run 1," in first.stdout
    before = (folder / "clients.csv").read_bytes()
    second = run(config, "sync", "--as-of", AS_OF)
    assert "0 changed" in second.stdout and "(run 2," in second.stdout
    assert (folder / "clients.csv").read_bytes() == before
    with store(folder) as state:
        assert len(state.audit(1)) > 0 and state.audit(2) == []
        assert state.runs()[0].counts["changed"] == 0
    listed = run(config, "runs").stdout.splitlines()
    assert listed[0].split()[:3] == ["RUN", "STARTED", "(UTC)"]
    assert [line.split()[0] for line in listed[1:]] == ["2", "1"]


def test_a_hand_edit_is_drift_kept_until_overwrite_drift(bundle):
    folder, config = bundle
    run(config, "sync", "--as-of", AS_OF)
    path = folder / "clients.csv"
    data = path.read_bytes().decode("utf-8-sig")
    tags = csv_rows(folder)["c-06"]["risk_tags"]
    assert tags == "late_payer"
    path.write_bytes(
        b"\xef\xbb\xbf" + data.replace(";late_payer;", ";reviewed by Anna;", 1).encode()
    )
    result = run(config, "sync", "--as-of", AS_OF)
    assert result.exit_code == 0
    assert (
        "drift: client c-06 risk_tags was changed in the source to 'reviewed by Anna'"
        in result.stderr
    )
    assert "1 drifted" in result.stdout
    assert csv_rows(folder)["c-06"]["risk_tags"] == "reviewed by Anna"
    dry = run(config, "sync", "--as-of", AS_OF, "--dry-run", "--format", "json")
    plan = json.loads(dry.stdout)
    assert "dry run:" in dry.stderr
    taking_back = json.loads(
        run(
            config, "sync", "--as-of", AS_OF, "--dry-run", "--overwrite-drift", "--format", "json"
        ).stdout
    )
    assert taking_back["changes"] == [
        {
            "client_id": "c-06",
            "fields": {"risk_tags": {"before": "reviewed by Anna", "after": "late_payer"}},
        }
    ]
    assert plan["drift"] == [
        {
            "client_id": "c-06",
            "field": "risk_tags",
            "crmflags_wrote": "late_payer",
            "source_has": "reviewed by Anna",
            "crmflags_wants": "late_payer",
        }
    ]
    run(config, "sync", "--as-of", AS_OF, "--overwrite-drift")
    assert csv_rows(folder)["c-06"]["risk_tags"] == "late_payer"


def test_revert_restores_the_values_the_first_run_wrote_over(bundle):
    folder, config = bundle
    original = csv_rows(folder)
    assert run(config, "sync", "--as-of", AS_OF).exit_code == 0
    assert csv_rows(folder)["c-15"]["risk_level"] == "fire"
    result = run(config, "revert", "1")
    assert result.exit_code == 0, result.output
    assert "reverted run 1: 30 client(s) restored" in result.stdout
    reverted = csv_rows(folder)
    for client_id, row in reverted.items():
        assert {k: v for k, v in row.items() if not k.startswith("risk_")} == original[client_id]
        assert all(row[k] == "" for k in row if k.startswith("risk_"))
    with store(folder) as state:
        assert state.runs()[0].ruleset == "revert of run 1"
    assert run(config, "revert", "99").exit_code == 2


def test_a_second_run_while_one_holds_the_lock_exits_4(bundle):
    folder, config = bundle
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import sys, time
            from pathlib import Path
            from crmflags.sync.lock import RunLock
            with RunLock(Path({str(folder / "state.db.lock")!r})):
                print("held", flush=True)
                time.sleep(30)
        """),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        result = run(config, "sync", "--as-of", AS_OF)
        assert result.exit_code == 4
        assert f"another crmflags run holds the lock: pid {holder.pid}" in result.stderr
        assert time.monotonic() - started < 10
        assert run(config, "sync", "--as-of", AS_OF, "--dry-run").exit_code == 0  # reads only
    finally:
        holder.kill()
        holder.wait()
    assert run(config, "sync", "--as-of", AS_OF).exit_code == 0  # the dead holder's lock is free


DRIVER = """
import os, signal, sys
point = sys.argv[1]
import crmflags.sync.state as state
import crmflags.atomicfile as atomicfile
import crmflags_csv.connector as csv_connector

def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

def after(cls, name):
    original = getattr(cls, name)
    def wrapped(self, *args, **kwargs):
        result = original(self, *args, **kwargs)
        die()
        return result
    setattr(cls, name, wrapped)

if point == "after-plan":
    after(state.StateStore, "plan_writes")
elif point == "during-write":
    atomicfile.os.replace = die
elif point == "after-write":
    after(csv_connector.CsvConnector, "write")
elif point == "after-settle":
    after(state.StateStore, "settle_writes")
elif point == "before-finish":
    state.StateStore.finish_run = die

from crmflags.cli import main
sys.argv = ["crmflags", *sys.argv[2:]]
main()
"""


@pytest.mark.parametrize(
    "point", ["after-plan", "during-write", "after-write", "after-settle", "before-finish"]
)
def test_a_sync_killed_at_any_point_converges_when_run_again(tmp_path, monkeypatch, point):
    monkeypatch.chdir(tmp_path)
    reference, reference_config = prepare(str(tmp_path / "reference"))
    assert run(reference_config, "sync", "--as-of", AS_OF).exit_code == 0
    folder, config = prepare(str(tmp_path / "killed"))
    killed = subprocess.run(
        [sys.executable, "-c", DRIVER, point, "--config", str(config), "sync", "--as-of", AS_OF],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    again = run(config, "sync", "--as-of", AS_OF)
    assert again.exit_code == 0, again.output
    assert (folder / "clients.csv").read_bytes() == (reference / "clients.csv").read_bytes()
    with store(folder) as state, store(reference) as ref:
        source = state.runs()[0].source
        assert state.unsettled(source) == []
        rows = [row for run_ in state.runs(limit=10) for row in state.audit(run_.id)]
        assert all(row.status != PENDING for row in rows)
        written = sorted(
            (r.client_id, r.field, r.after) for r in rows if r.status in (APPLIED, SUPERSEDED)
        )
        expected = sorted((r.client_id, r.field, r.after) for r in ref.audit(1))
        assert written == expected  # every value written once, none lost, none twice
    # one more run changes nothing
    assert "0 changed" in run(config, "sync", "--as-of", AS_OF).stdout
    assert not any(p.name.endswith(".tmp") for p in folder.iterdir())


def test_snooze_and_ack_survive_later_runs(bundle, monkeypatch):
    from crmflags.cli import clients as client_commands

    # As if run on the sample's as-of day: a snooze must end after today.
    monkeypatch.setattr(client_commands, "today_in", lambda zone: SAMPLE_AS_OF)
    folder, config = bundle
    until = "2026-12-01"
    run(config, "sync", "--as-of", AS_OF)
    assert csv_rows(folder)["c-06"]["risk_tags"] == "late_payer"
    snoozed = run(config, "snooze", "c-06", "late_payer", "--until", until)
    assert snoozed.exit_code == 0, snoozed.output
    run(config, "sync", "--as-of", AS_OF)
    row = csv_rows(folder)["c-06"]
    assert (row["risk_tags"], row["risk_level"]) == ("", "ok")
    run(config, "sync", "--as-of", until)  # the snooze is over on its date
    assert csv_rows(folder)["c-06"]["risk_tags"] == "late_payer"
    acked = run(config, "ack", "c-04", "after_hours")
    assert acked.exit_code == 0, acked.output
    run(config, "sync", "--as-of", until)
    run(config, "sync", "--as-of", until)
    assert "after_hours" not in csv_rows(folder)["c-04"]["risk_tags"]
    history = run(config, "history", "c-06")
    levels = [line.split()[6] for line in history.stdout.splitlines()]
    assert levels == ["watch", "ok", "watch", "watch", "watch"]
    assert run(config, "ack", "c-01", "late_payer").exit_code == 2


def test_the_evidence_changing_ends_an_ack(bundle):
    folder, config = bundle
    run(config, "sync", "--as-of", AS_OF)
    run(config, "ack", "c-06", "late_payer")
    run(config, "sync", "--as-of", AS_OF)
    assert csv_rows(folder)["c-06"]["risk_tags"] == ""
    with open(folder / "invoices.csv", "a", encoding="utf-8") as invoices:
        invoices.write('c-06,2026-9999,2026-09-01,2026-09-15,2026-11-10,"500,00",EUR,no,\n')
    run(config, "sync", "--as-of", AS_OF)
    assert csv_rows(folder)["c-06"]["risk_tags"] == "late_payer"


def test_json_log_lines_and_a_log_file(bundle, tmp_path):
    folder, config = bundle
    log = tmp_path / "sync.log"
    arguments = [
        "--config",
        str(config),
        "--log-file",
        str(log),
        "--log-format",
        "json",
        "sync",
        "--as-of",
        AS_OF,
    ]
    assert CliRunner().invoke(cli, arguments, catch_exceptions=False).exit_code == 0
    (folder / "clients.csv").write_bytes(
        (folder / "clients.csv").read_bytes().replace(b";late_payer;", b";x;", 1)
    )
    CliRunner().invoke(cli, arguments, catch_exceptions=False)
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    assert any(
        line["level"] == "WARNING" and line["message"].startswith("drift: client") for line in lines
    )
    assert all({"time", "level", "message"} <= set(line) for line in lines)


def test_init_writes_a_starter_that_loads_and_schedule_prints_absolute_paths(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(cli, ["init"]).exit_code == 0
    again = runner.invoke(cli, ["init"])
    assert again.exit_code == 2 and "never overwrites" in again.stderr
    assert runner.invoke(cli, ["connectors"]).exit_code == 0  # the starter is a valid configuration
    shown = runner.invoke(cli, ["schedule", "--at", "03:05"])
    assert shown.exit_code == 0, shown.output
    config = (tmp_path / "crmflags.yaml").resolve()
    assert "5 3 * * * " in shown.stdout and f"--config {config}" in shown.stdout
    assert "OnCalendar=*-*-* 03:05:00" in shown.stdout
    assert runner.invoke(cli, ["schedule", "--at", "25:00"]).exit_code == 2


def test_a_level_change_reaches_the_webhook_and_a_dead_webhook_never_fails_the_sync(bundle):
    import http.server
    import threading

    folder, config = bundle
    received = []

    class Hook(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/crmflags"
        with open(config, "a", encoding="utf-8") as settings:
            settings.write(
                f"webhook:\n  url: {url}\n  levels: [fire]\n  retries: 0\n  timeout: 2\n"
            )
        assert run(config, "sync", "--as-of", AS_OF).exit_code == 0
    finally:
        server.shutdown()
        server.server_close()
    fired = sorted(body["client"]["id"] for body in received)
    assert fired and all(
        body["new_level"] == "fire" and body["old_level"] is None for body in received
    )
    assert "c-15" in fired
    assert received[0]["event"] == "level_changed" and received[0]["reasons"]
    # The server is gone now: a change that should notify only warns.
    assert run(config, "snooze", "c-15", "--until", "2027-01-01").exit_code == 0
    assert run(config, "sync", "--as-of", AS_OF).exit_code == 0  # c-15 quiet: ok, not notified
    assert run(config, "snooze", "c-15", "--remove").exit_code == 0
    result = run(config, "sync", "--as-of", AS_OF)  # c-15 back to fire: notify a dead server
    assert result.exit_code == 0
    assert "notifier: plugin webhook" in result.stderr and "c-15" in result.stderr
    assert csv_rows(folder)["c-15"]["risk_level"] == "fire"


def test_the_printed_crontab_line_runs_as_written_under_a_bare_environment(bundle, tmp_path):
    folder, config = bundle
    env_file = tmp_path / "crmflags.env"
    env_file.write_text("CRMFLAGS_TEST_TOKEN=not-used-by-csv\n")
    shown = run(
        config, "schedule", "--env-file", str(env_file), "--log-file", str(tmp_path / "cron.log")
    )
    line = next(text for text in shown.stdout.splitlines() if text and text[0].isdigit())
    command = line.split(" ", 5)[5]
    done = subprocess.run(
        ["sh", "-c", command],
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "sync finished: 30 clients read" in done.stdout
    assert "sync finished" in (tmp_path / "cron.log").read_text()
    assert csv_rows(folder)["c-15"]["risk_level"] == "fire"


def test_a_write_that_fails_finishes_its_run_and_is_retried_next_time(bundle, monkeypatch):
    import crmflags.atomicfile as atomicfile

    folder, config = bundle

    def refuse(*args):
        raise PermissionError(13, "Permission denied")

    real_replace = atomicfile.os.replace
    monkeypatch.setattr(atomicfile.os, "replace", refuse)
    failed = run(config, "sync", "--as-of", AS_OF)
    assert failed.exit_code == 2 and "cannot replace it (Permission denied" in failed.stderr
    with store(folder) as state:
        (run_1,) = state.runs()
        assert run_1.exit_code == 2 and run_1.finished_at is not None
        assert run_1.failures[0][0] is None and "Permission denied" in run_1.failures[0][1]
    monkeypatch.setattr(atomicfile.os, "replace", real_replace)
    again = run(config, "sync", "--as-of", AS_OF)
    assert again.exit_code == 0 and "30 changed, 0 drifted" in again.stdout


def test_revert_refuses_a_run_of_another_source(bundle, tmp_path):
    folder, config = bundle
    other, other_config = prepare(str(tmp_path / "other"))
    run(config, "sync", "--as-of", AS_OF)
    result = run(other_config, "revert", "1", "--state", str(folder / "state.db"))
    assert result.exit_code == 2 and "run 1 synced csv:" in result.stderr


def test_a_fresh_export_without_risk_columns_is_written_again_not_drift(bundle):
    folder, config = bundle
    original = (folder / "clients.csv").read_bytes()
    run(config, "sync", "--as-of", AS_OF)
    written = (folder / "clients.csv").read_bytes()
    (folder / "clients.csv").write_bytes(original)  # tonight's export from the CRM
    result = run(config, "sync", "--as-of", AS_OF)
    assert "30 changed, 0 drifted" in result.stdout
    assert (folder / "clients.csv").read_bytes() == written


def test_an_ack_of_late_payment_holds_while_days_pass(bundle):
    folder, config = bundle
    run(config, "sync", "--as-of", "2026-12-05")
    assert csv_rows(folder)["c-27"]["risk_tags"] == "late_payer"
    run(config, "ack", "c-27", "late_payer")
    for day in ("2026-12-05", "2026-12-06", "2026-12-20"):
        run(config, "sync", "--as-of", day)
        assert csv_rows(folder)["c-27"]["risk_tags"] == "", day


def test_snooze_and_ack_refuse_mistakes(bundle):
    folder, config = bundle
    run(config, "sync", "--as-of", AS_OF)
    typo = run(config, "snooze", "c-6", "late_payer", "--until", "2030-01-01")
    assert (
        typo.exit_code == 2 and "no client 'c-6'" in typo.stderr and "did you mean" in typo.stderr
    )
    assert run(config, "snooze", "c-06", "late_payr", "--until", "2030-01-01").exit_code == 2
    nothing = run(config, "snooze", "c-30", "--remove")
    assert nothing.exit_code == 2 and "has no snooze of every tag" in nothing.stderr
    assert "has no acknowledgement" in run(config, "ack", "c-30", "gut_feeling", "--remove").stderr


def test_runs_shows_what_a_run_wrote_and_which_runs_were_killed(bundle, tmp_path):
    folder, config = bundle
    run(config, "sync", "--as-of", AS_OF)
    shown = run(config, "runs", "1")
    assert shown.exit_code == 0
    assert "  c-15  risk_level: (empty) -> fire  [applied]" in shown.stdout
    detail = json.loads(run(config, "runs", "1", "--format", "json").stdout)
    assert detail["state"] != "running" and len({w["client_id"] for w in detail["writes"]}) == 30
    killed = subprocess.run(
        [
            sys.executable,
            "-c",
            DRIVER,
            "after-plan",
            "--config",
            str(config),
            "sync",
            "--as-of",
            "2026-12-20",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert killed.returncode == -signal.SIGKILL
    listing = run(config, "runs").stdout.splitlines()
    assert listing[1].split()[0] == "2" and "killed (did not finish)" in listing[1]
    assert run(config, "runs", "7").exit_code == 2


def test_commands_that_only_read_the_store_need_no_crm_token(tmp_path, monkeypatch):
    from datetime import date

    monkeypatch.delenv("HUBSPOT_TOKEN", raising=False)
    config = tmp_path / "crmflags.yaml"
    config.write_text(f"state: {tmp_path / 'state.db'}\nhubspot:\n  portal: acme\n")
    with StateStore(tmp_path / "state.db") as state:
        run_id = state.start_run("hubspot:acme", "hubspot", "freelancer", date(2026, 11, 20), False)
        state.record_results(run_id, [("1001", 12.0, "watch", ["after_hours"], [])])
        state.record_names("hubspot:acme", {"1001": "Kovács Kft."})
        state.finish_run(run_id, {"changed": 0}, 0)
    shown = run(config, "history", "1001")
    assert shown.exit_code == 0, shown.output
    assert "watch" in shown.stdout and "after_hours" in shown.stdout
    snoozed = run(config, "snooze", "1001", "after_hours", "--until", "2030-01-01")
    assert snoozed.exit_code == 0, snoozed.output
    page = tmp_path / "risk.html"
    reported = run(config, "report", "--output", str(page))
    assert reported.exit_code == 0, reported.output
    assert "Kovács Kft." in page.read_text(encoding="utf-8")
    # A sync does need it, and says so.
    assert "needs a private app token" in run(config, "sync", "--dry-run").stderr
