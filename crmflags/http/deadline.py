"""A wall-clock bound on each attempt of a request, the whole answer included.

A socket timeout bounds one wait for bytes; a server that sends one byte a second never
trips it and holds a run (and its lock) for good. Here every attempt of a request gets
a deadline: when it passes, a watchdog thread shuts the attempt's socket down, the read
that waits on it ends at once, and :attr:`Deadline.expired` tells the caller why.

- :func:`deadline` starts the clock of one request in this thread (a context manager);
- :class:`DeadlineAdapter` is the ``requests`` adapter whose connections report their
  socket and start each attempt's clock (urllib3 retries each get a fresh one);
- without a :func:`deadline` around it, the adapter behaves as requests' own.
"""

from __future__ import annotations

import heapq
import itertools
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool


class Deadline:
    """The clock of one request: each attempt (:meth:`start`) must end within ``seconds``."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        #: Whether the current attempt ran out of time (its socket was shut down).
        self.expired = False
        self._due: float | None = None
        self._socket: socket.socket | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        """Start the clock of a new attempt (the one before it is forgotten)."""
        with self._lock:
            self.expired = False
            self._due = time.monotonic() + self.seconds
            due = self._due
        _WATCHDOG.watch(self, due)

    def pause(self) -> None:
        """Stop the clock between attempts (a retry's backoff is not the server's time)."""
        with self._lock:
            self._due = None

    def attach(self, sock: socket.socket | None) -> None:
        """Remember the socket the current attempt talks through."""
        with self._lock:
            self._socket = sock

    def expire(self, due: float) -> None:
        """Called by the watchdog at ``due``: shut the socket if that attempt still runs."""
        with self._lock:
            if self._due != due:
                return
            self.expired = True
            self._due = None
            sock = self._socket
        if sock is not None:
            try:
                # The plain socket's shutdown, also for TLS: it only wakes the reader.
                socket.socket.shutdown(sock, socket.SHUT_RDWR)
            except OSError:
                pass


_CURRENT = threading.local()


@contextmanager
def deadline(seconds: float) -> Iterator[Deadline]:
    """Bound each attempt of the requests sent in this block (this thread) to ``seconds``."""
    clock = Deadline(seconds)
    outer = getattr(_CURRENT, "deadline", None)
    _CURRENT.deadline = clock
    try:
        yield clock
    finally:
        clock.pause()
        _CURRENT.deadline = outer


def current() -> Deadline | None:
    """Return the deadline of the request this thread is sending, None outside one."""
    return getattr(_CURRENT, "deadline", None)


class _Watchdog:
    """One daemon thread that expires deadlines when they are due."""

    def __init__(self) -> None:
        self._due: list[tuple[float, int, Deadline]] = []
        self._order = itertools.count()
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None

    def watch(self, clock: Deadline, due: float) -> None:
        """Expire ``clock`` at ``due`` (unless it was started again or paused by then)."""
        with self._wake:
            heapq.heappush(self._due, (due, next(self._order), clock))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="crmflags-deadlines", daemon=True
                )
                self._thread.start()
            self._wake.notify()

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._due:
                    self._wake.wait()
                due, _, clock = self._due[0]
                left = due - time.monotonic()
                if left > 0:
                    self._wake.wait(left)
                    continue
                heapq.heappop(self._due)
            clock.expire(due)


_WATCHDOG = _Watchdog()


class _Attempts:
    """What both connection classes add: report the socket, start each attempt's clock."""

    sock: socket.socket | None

    def connect(self) -> None:
        super().connect()  # type: ignore[misc]
        clock = current()
        if clock is not None:
            clock.attach(self.sock)

    def request(self, *args: Any, **kwargs: Any) -> None:
        clock = current()
        if clock is not None:
            clock.start()
            clock.attach(self.sock)
        super().request(*args, **kwargs)  # type: ignore[misc]


class _HTTPConnection(_Attempts, HTTPConnection):
    pass


class _HTTPSConnection(_Attempts, HTTPSConnection):
    pass


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


_POOLS = {"http": _HTTPPool, "https": _HTTPSPool}


class DeadlineAdapter(HTTPAdapter):
    """requests' adapter, with connections that keep each attempt within its deadline."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        """Set up the pools as requests does, with the deadline-aware connections."""
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = dict(_POOLS)

    def proxy_manager_for(self, proxy: str, **kwargs: Any) -> Any:
        """Return requests' proxy manager, with the deadline-aware connections (not SOCKS)."""
        manager = super().proxy_manager_for(proxy, **kwargs)
        if not proxy.lower().startswith("socks"):
            manager.pool_classes_by_scheme = dict(_POOLS)
        return manager
