"""The run lock: one holder at a time across processes, taken over at once from a dead one."""

from __future__ import annotations

import fcntl
import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from crmflags.errors import EXIT_LOCKED, CrmflagsError
from crmflags.sync.lock import LockHeld, RunLock

ROOT = Path(__file__).resolve().parent.parent

HOLD = textwrap.dedent(
    """
    import sys, time
    from crmflags.sync.lock import RunLock

    with RunLock(sys.argv[1]):
        print("locked", flush=True)
        time.sleep(120)
    """
)


@pytest.fixture
def lock_path(tmp_path) -> Path:
    """Where the lock file goes: in a folder that does not exist yet."""
    return tmp_path / "run" / "sync.lock"


@pytest.fixture
def holder(lock_path):
    """Another process holding the lock; killed at the end of the test."""
    child = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(lock_path)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert child.stdout.readline() == "locked\n"
        yield child
    finally:
        child.kill()
        child.wait()
        child.stdout.close()


def written_holder(path: Path) -> dict:
    """Return the holder recorded in a lock file."""
    return json.loads(path.read_text())


def test_a_second_run_in_another_process_is_refused_naming_the_holder(holder, lock_path):
    with pytest.raises(LockHeld) as caught:
        RunLock(lock_path).acquire()

    error = caught.value
    assert isinstance(error, CrmflagsError) and error.exit_code == EXIT_LOCKED == 4
    assert error.holder.pid == holder.pid
    message = str(error)
    assert message.startswith(
        f"another crmflags run holds the lock: pid {holder.pid} on host {socket.gethostname()}"
        " since "
    )
    assert message.endswith(f" (lock file {lock_path})")
    assert error.holder.since in message


def test_the_lock_of_a_killed_process_is_taken_at_once(holder, lock_path):
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert written_holder(lock_path)["pid"] == holder.pid

    began = time.monotonic()
    with RunLock(lock_path):
        assert time.monotonic() - began < 1
        assert written_holder(lock_path)["pid"] == os.getpid()


def test_a_lock_held_here_refuses_another_process(lock_path):
    script = textwrap.dedent(
        """
        import sys
        from crmflags.sync.lock import LockHeld, RunLock

        try:
            RunLock(sys.argv[1]).acquire()
        except LockHeld as error:
            print(error)
            sys.exit(error.exit_code)
        """
    )
    with RunLock(lock_path):
        child = subprocess.run(
            [sys.executable, "-c", script, str(lock_path)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=60,
        )

    assert child.returncode == 4, child.stderr
    assert f"pid {os.getpid()} on host {socket.gethostname()}" in child.stdout


def test_the_holder_is_recorded_and_the_file_kept_empty_after_release(lock_path):
    with RunLock(lock_path):
        recorded = written_holder(lock_path)
        assert recorded["pid"] == os.getpid()
        assert recorded["host"] == socket.gethostname()
        assert recorded["since"].endswith("+00:00")

    assert lock_path.exists()
    assert lock_path.read_text() == ""
    with RunLock(lock_path):
        assert written_holder(lock_path)["pid"] == os.getpid()


def test_stale_text_of_a_dead_holder_is_overwritten(lock_path):
    lock_path.parent.mkdir()
    stale = {"pid": 999999, "host": "old-box", "since": "2020-01-01T00:00:00+00:00"}
    lock_path.write_text(json.dumps(stale) + "\n" + "x" * 500)

    with RunLock(lock_path):
        assert written_holder(lock_path)["pid"] == os.getpid()


def test_two_locks_in_one_process_exclude_each_other(lock_path):
    with RunLock(lock_path), pytest.raises(LockHeld, match=f"pid {os.getpid()} "):
        RunLock(lock_path).acquire()


def test_a_holder_that_has_not_written_its_name_yet(lock_path):
    lock_path.parent.mkdir()
    with open(lock_path, "w") as taken:
        fcntl.flock(taken, fcntl.LOCK_EX)
        with pytest.raises(LockHeld) as caught:
            RunLock(lock_path).acquire()

    assert caught.value.holder is None
    assert str(caught.value) == (
        "another crmflags run holds the lock: a process that has not written its name yet"
        f" (lock file {lock_path})"
    )


def test_the_lock_is_released_when_the_block_raises(lock_path):
    with pytest.raises(RuntimeError), RunLock(lock_path):
        raise RuntimeError("sync failed")

    with RunLock(lock_path):
        pass


def test_one_object_cannot_take_its_lock_twice(lock_path):
    lock = RunLock(lock_path)
    with lock, pytest.raises(RuntimeError, match="already held"):
        lock.acquire()
