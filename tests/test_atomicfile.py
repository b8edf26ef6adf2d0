"""Atomic file replacement: the old file or the new one, never half of either."""

from __future__ import annotations

import os
import stat

import pytest

from crmflags.atomicfile import write_atomic


def mode_of(path) -> int:
    """Return the permission bits of a file."""
    return stat.S_IMODE(os.stat(path).st_mode)


def test_replaces_the_content_and_keeps_the_permission_bits(tmp_path):
    path = tmp_path / "clients.csv"
    path.write_bytes(b"old")
    os.chmod(path, 0o640)

    write_atomic(path, b"new")

    assert path.read_bytes() == b"new"
    assert mode_of(path) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["clients.csv"]


def test_a_new_file_gets_the_usual_permissions(tmp_path):
    umask = os.umask(0o022)
    try:
        write_atomic(tmp_path / "new.csv", b"data")
    finally:
        os.umask(umask)

    assert (tmp_path / "new.csv").read_bytes() == b"data"
    assert mode_of(tmp_path / "new.csv") == 0o644


def test_a_symbolic_link_is_followed(tmp_path):
    real = tmp_path / "real.csv"
    real.write_bytes(b"old")
    link = tmp_path / "link.csv"
    link.symlink_to(real)

    write_atomic(link, b"new")

    assert link.is_symlink()
    assert real.read_bytes() == b"new"


@pytest.mark.parametrize("failing", ["replace", "fsync"])
def test_a_failure_leaves_the_old_file_and_no_temp_file(tmp_path, monkeypatch, failing):
    path = tmp_path / "clients.csv"
    path.write_bytes(b"old content")

    def fail(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, failing, fail)
    with pytest.raises(OSError, match="No space left"):
        write_atomic(path, b"new content")

    assert path.read_bytes() == b"old content"
    assert [p.name for p in tmp_path.iterdir()] == ["clients.csv"]


def test_an_interrupted_write_leaves_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "clients.csv"
    path.write_bytes(b"old content")
    real_fdopen = os.fdopen

    class Interrupted:
        def __init__(self, stream):
            self.stream = stream

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.stream.close()

        def write(self, data):
            self.stream.write(data[:3])
            raise KeyboardInterrupt

    monkeypatch.setattr(os, "fdopen", lambda fd, mode: Interrupted(real_fdopen(fd, mode)))
    with pytest.raises(KeyboardInterrupt):
        write_atomic(path, b"new content")

    assert path.read_bytes() == b"old content"
    assert [p.name for p in tmp_path.iterdir()] == ["clients.csv"]
