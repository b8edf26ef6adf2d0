"""``crmflags sync`` as a person at a terminal sees it, and as cron sees it.

At a terminal (a real pseudo-terminal here): a determinate progress bar with counts from
the start, warnings and errors without log timestamps. Under cron (pipes, a log file):
no bar, and the log gets a start line and a finish line with the duration; the run is
recorded with the start time its lock file showed.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import textwrap
import time
from pathlib import Path

import pytest

from crmflags.cli.demo import SAMPLE_AS_OF, prepare

AS_OF = str(SAMPLE_AS_OF)
CRMFLAGS = [sys.executable, "-m", "crmflags"]


@pytest.fixture
def book(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CRMFLAGS_CONFIG", raising=False)
    return prepare(str(tmp_path / "book"))


def in_a_terminal(*args: str, columns: int = 120) -> str:
    """Run crmflags with stdin, stdout and stderr on a pseudo-terminal; return what it showed."""
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    process = subprocess.Popen(
        [*CRMFLAGS, *args], stdin=terminal, stdout=terminal, stderr=terminal, env=env
    )
    os.close(terminal)
    shown = b""
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([controller], [], [], 1)
            if not ready:
                if process.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # the other side closed: the process is done
                break
            if not chunk:
                break
            shown += chunk
        assert process.wait(timeout=60) in (0, 1), shown.decode(errors="replace")
    finally:
        os.close(controller)
        if process.poll() is None:
            process.kill()
    return shown.decode("utf-8", errors="replace")


def test_a_sync_at_a_terminal_draws_a_determinate_bar_with_counts(book):
    folder, config = book
    shown = in_a_terminal("--config", str(config), "sync", "--as-of", AS_OF)
    frames = re.split(r"\r|\n", shown)
    reading = [f for f in frames if f.startswith("reading csv  [")]
    evaluating = [f for f in frames if f.startswith("evaluating  [")]
    assert reading and evaluating, shown
    bar = re.compile(r"\[[#-]{24}\]  (\d+)/(\d+) clients  (\d+)%  ETA (\d+:\d\d|--:--)")
    first = bar.search(reading[0])  # the total is known (from clients.csv's lines) at once
    assert first and first.group(1) == "0" and int(first.group(2)) >= 30, reading[0]
    counts = [bar.search(f).group(1, 2) for f in evaluating]
    assert counts[-1] == ("30", "30") and counts == sorted(counts, key=lambda c: int(c[0]))
    assert "sync finished: 30 clients read, 30 evaluated, 30 changed" in shown
    assert "sync started" not in shown  # the start line is for the log, not the screen


def test_warnings_at_a_terminal_carry_no_log_timestamp(book):
    folder, config = book
    in_a_terminal("--config", str(config), "sync", "--as-of", AS_OF)
    path = folder / "clients.csv"
    path.write_bytes(path.read_bytes().replace(b";late_payer;", b";reviewed by Anna;", 1))
    shown = in_a_terminal("--config", str(config), "sync", "--as-of", AS_OF)
    lines = re.split(r"\r|\n", shown.replace("\x1b[K", ""))  # the bar is cleared first
    assert any(line.startswith("warning: drift: client c-06 risk_tags was") for line in lines)
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} WARNING", shown)
    assert "WARNING" not in shown


def test_under_cron_there_is_no_bar_and_the_log_has_start_and_finish_lines(book, tmp_path):
    folder, config = book
    log = tmp_path / "crmflags.log"
    done = subprocess.run(
        [*CRMFLAGS, "--config", str(config), "--log-file", str(log), "sync", "--as-of", AS_OF],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr
    assert "\r" not in done.stdout + done.stderr and "[#" not in done.stderr
    lines = log.read_text(encoding="utf-8").splitlines()
    start = re.fullmatch(
        r"\S+ INFO sync started at (\S+) \(pid \d+ on \S+\), state .*state\.db", lines[0]
    )
    assert start, lines[0]
    finish = re.fullmatch(
        # logs.duration: "4.2 s" under ten seconds, "14 s" or "1 min 05 s" on a loaded machine
        r"\S+ INFO sync finished: 30 clients read, .* \(run 1, state .*\)"
        r" in (\d+\.\d s|\d+ s|\d+ min \d\d s)",
        lines[-1],
    )
    assert finish, lines[-1]
    assert done.stdout.strip() == lines[-1].split(" INFO ", 1)[1]  # cron mails the same line
    (run,) = json.loads(
        subprocess.run(
            [*CRMFLAGS, "--config", str(config), "runs", "--format", "json"],
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout
    )
    assert run["started_at"] == start.group(1)


KILL_AFTER_PLANNING = textwrap.dedent("""
    import os, signal, sys
    import crmflags.sync.state as state
    original = state.StateStore.plan_writes
    def plan_then_die(self, *args, **kwargs):
        original(self, *args, **kwargs)
        os.kill(os.getpid(), signal.SIGKILL)
    state.StateStore.plan_writes = plan_then_die
    from crmflags.cli import main
    sys.argv = ["crmflags", *sys.argv[1:]]
    main()
""")


def test_runs_shows_the_start_time_the_lock_file_showed(book):
    folder, config = book
    killed = subprocess.run(
        [sys.executable, "-c", KILL_AFTER_PLANNING, "--config", str(config), "sync"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    holder = json.loads(Path(f"{folder / 'state.db'}.lock").read_text())  # left by the killed run
    listed = subprocess.run(
        [*CRMFLAGS, "--config", str(config), "runs", "--format", "json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    (run,) = json.loads(listed.stdout)
    assert run["state"] == "killed (did not finish)"
    assert run["started_at"] == holder["since"]


def test_the_table_takes_the_terminal_width_and_100_columns_off_one(book):
    _, config = book
    evaluate = ["--config", str(config), "evaluate", "--as-of", AS_OF]
    narrow = re.sub(r"\x1b\[[0-9;]*[mK]", "", in_a_terminal(*evaluate, columns=72))
    lines = [line for line in re.split(r"\r|\n", narrow) if line.strip()]
    table = lines[lines.index(next(x for x in lines if x.startswith("ID "))) :]
    assert max(len(line) for line in table) <= 72
    piped = subprocess.run([*CRMFLAGS, *evaluate], capture_output=True, text=True, timeout=120)
    plain = piped.stdout.splitlines()
    assert max(len(line) for line in plain) <= 100 and "\x1b[" not in piped.stdout
    credited = next(i for i, line in enumerate(plain) if "- invoice_disputes: " in line)
    assert plain[credited + 1].startswith(" " * 8)  # wrapped under itself, not cut
    assert "asking for a discount" in " ".join(plain[credited : credited + 3])


def test_a_crm_sync_at_a_terminal_knows_its_total_from_the_start(tmp_path, monkeypatch):
    from click.testing import CliRunner
    from fakes.hubspot import FakeHubSpot

    from crmflags.cli import cli

    with FakeHubSpot() as fake:
        fake.generate(40, seed=4)
        monkeypatch.setenv("HUBSPOT_TOKEN", fake.token)
        monkeypatch.chdir(tmp_path)
        config = tmp_path / "crmflags.yaml"
        config.write_text(
            "connector: hubspot\nstate: state.db\nhubspot:\n  portal: '4242'\n"
            "  requests_per_10s: 250\n"
        )
        setup = CliRunner().invoke(
            cli, ["--config", str(config), "setup", "--base-url", fake.base_url]
        )
        assert setup.exit_code == 0, setup.output
        shown = in_a_terminal(
            "--config", str(config), "sync", "--base-url", fake.base_url, "--as-of", AS_OF
        )
    frames = [f for f in re.split(r"\r|\n", shown) if f.startswith("reading hubspot  [")]
    assert frames, shown
    assert all("/40 clients" in f for f in frames)  # HubSpot's total, from the first frame
    assert re.search(r"\d+ API calls", frames[-1])
    assert "sync finished: 40 clients read" in shown
