"""Keeping below a service's burst limit, and reading the waits a server asks for."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from email.utils import parsedate_to_datetime


class Pacer:
    """Keeps requests at or below ``limit`` in any sliding ``window`` seconds.

    Call :meth:`wait_turn` before each request; it sleeps (through ``sleep``) when the
    window is full. ``clock`` is a monotonic clock in seconds.
    """

    def __init__(
        self,
        limit: int,
        window: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("a pacer needs a limit of at least 1 and a window above 0")
        self.limit = limit
        self.window = window
        self.clock = clock
        self.sleep = sleep
        self.sent: deque[float] = deque()

    def wait_turn(self) -> None:
        """Sleep until one more request fits in the window, then record it."""
        now = self.clock()
        self._forget_before(now)
        if len(self.sent) >= self.limit:
            self.sleep(max(0.0, self.sent[0] + self.window - now))
            now = self.clock()
            self.sent.popleft()
            self._forget_before(now)
        self.sent.append(now)

    def rest_of_window(self, window: float | None = None) -> float:
        """Seconds until the oldest request of the current window leaves it (at least 1).

        ``window`` is the server's window when it differs from the pacer's; with no
        request in it, the whole window.
        """
        window = self.window if window is None else window
        now = self.clock()
        recent = [t for t in self.sent if t > now - window]
        if not recent:
            return window
        return max(1.0, recent[0] + window - now)

    def _forget_before(self, now: float) -> None:
        while self.sent and self.sent[0] <= now - self.window:
            self.sent.popleft()


def retry_after_seconds(value: str | None, now: Callable[[], float] = time.time) -> float | None:
    """Return the seconds a ``Retry-After`` header asks for (0 or more); None if absent or bad.

    The header is either a number of seconds or an HTTP date; ``now`` gives the wall
    clock the date is compared with.
    """
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - now())
