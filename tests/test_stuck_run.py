"""A run stuck past its deadline is shown as stuck and ended by the next sync, safely."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
import time
from datetime import timedelta

import pytest
from click.testing import CliRunner

from crmflags.cli import cli
from crmflags.cli.demo import SAMPLE_AS_OF, prepare
from crmflags.sync import lock as lock_module
from crmflags.sync.state import StateStore

AS_OF = str(SAMPLE_AS_OF)

#: A sync that hangs (a server that never finishes its answer): it has opened its run in
#: the store and holds the lock with a deadline of ``argv[2]`` seconds, then waits forever.
HUNG = textwrap.dedent(
    """
    import signal, sys, time
    from datetime import date, timedelta
    from pathlib import Path
    from crmflags.sync.lock import RunLock
    from crmflags.sync.state import StateStore

    state = Path(sys.argv[1])
    if sys.argv[3] == "ignore-term":
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    with StateStore(state) as store:
        store.start_run("csv:hung", "csv", "freelancer", date(2026, 11, 20), False)
    with RunLock(f"{state}.lock", timedelta(seconds=float(sys.argv[2]))):
        print("held", flush=True)
        time.sleep(120)
    """
)


@pytest.fixture
def bundle(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return prepare(str(tmp_path / "book"))


@pytest.fixture
def hung(bundle):
    """Start a hung sync with a deadline (seconds) on the bundle's store; kill it at the end."""
    folder, _ = bundle
    started = []

    def start(deadline: float, ignore_term: bool = False) -> subprocess.Popen:
        mode = "ignore-term" if ignore_term else "-"
        child = subprocess.Popen(
            [sys.executable, "-c", HUNG, str(folder / "state.db"), str(deadline), mode],
            stdout=subprocess.PIPE,
            text=True,
        )
        started.append(child)
        assert child.stdout.readline() == "held\n"
        return child

    yield start
    for child in started:
        child.kill()
        child.wait()
        child.stdout.close()


def run(config, *args: str):
    return CliRunner().invoke(cli, ["--config", str(config), *args], catch_exceptions=False)


def past(seconds: float) -> None:
    """Wait until a deadline ``seconds`` after the lock was taken has surely passed."""
    time.sleep(seconds + 1.1)  # the lock file counts in whole seconds


def test_a_run_past_its_deadline_is_shown_stuck_and_the_next_sync_ends_it(bundle, hung):
    folder, config = bundle
    child = hung(deadline=3)  # at least 2 s: the lock file counts in whole seconds
    listed = run(config, "runs", "--format", "json")
    assert json.loads(listed.stdout)[0]["state"] == "running"  # within its deadline
    past(3)
    shown = run(config, "runs")
    assert "stuck (past its deadline)" in shown.stdout.splitlines()[1]  # under the header
    assert json.loads(run(config, "runs", "--format", "json").stdout)[0]["state"] == (
        "stuck (past its deadline)"
    )
    synced = run(config, "sync", "--as-of", AS_OF)
    assert synced.exit_code == 0, synced.output
    assert f"ending the stuck run pid {child.pid} on host " in synced.stderr
    assert child.wait(timeout=15) == -signal.SIGTERM
    assert "30 changed" in synced.stdout
    with StateStore(folder / "state.db") as store:
        hung_run = store.runs(limit=10)[-1]
        assert hung_run.source == "csv:hung" and hung_run.finished_at is None
    assert "killed (did not finish)" in run(config, "runs").stdout.splitlines()[-1]


def test_a_stuck_run_that_ignores_sigterm_is_killed(bundle, hung, monkeypatch):
    _, config = bundle
    monkeypatch.setattr(lock_module, "END_GRACE", (0.5, 10.0))
    child = hung(deadline=1, ignore_term=True)
    past(1)
    synced = run(config, "sync", "--as-of", AS_OF)
    assert synced.exit_code == 0, synced.output
    assert child.wait(timeout=15) == -signal.SIGKILL


def test_a_run_within_its_deadline_is_left_alone_and_the_next_sync_exits_4(bundle, hung):
    _, config = bundle
    child = hung(deadline=3600)
    refused = run(config, "sync", "--as-of", AS_OF)
    assert refused.exit_code == 4
    assert f"another crmflags run holds the lock: pid {child.pid}" in refused.stderr
    assert "stuck" not in refused.stderr
    assert child.poll() is None


def test_a_stuck_run_on_another_machine_is_named_not_ended(bundle, tmp_path):
    folder, config = bundle
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                """
                import fcntl, json, os, sys, time
                with open(sys.argv[1], "w") as lock:
                    fcntl.flock(lock, fcntl.LOCK_EX)
                    lock.write(json.dumps({"pid": os.getpid(), "host": "office-nas",
                        "since": "2026-11-23T02:17:03+00:00",
                        "deadline": "2026-11-23T08:17:03+00:00"}))
                    lock.flush()
                    print("held", flush=True)
                    time.sleep(120)
                """
            ),
            str(folder / "state.db.lock"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline() == "held\n"
        refused = run(config, "sync", "--as-of", AS_OF)
        assert refused.exit_code == 4
        assert "on host office-nas since 2026-11-23T02:17:03+00:00, stuck: past its deadline" in (
            refused.stderr
        )
        assert f"end it on host office-nas (kill {holder.pid})" in refused.stderr
        assert holder.poll() is None
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()


def test_a_lock_this_process_holds_past_its_deadline_is_never_ended_by_itself(tmp_path):
    path = tmp_path / "state.db.lock"
    with lock_module.RunLock(path, timedelta(seconds=-1)):
        with pytest.raises(lock_module.LockHeld, match="stuck: past its deadline"):
            lock_module.RunLock(path, timedelta(minutes=5), end_stuck=True).acquire()
