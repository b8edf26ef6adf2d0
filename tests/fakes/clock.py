"""A fake monotonic clock for connectors' pacing and 429 waits: tests never really wait."""

from __future__ import annotations


class FakeTime:
    """A clock that only moves when slept on (or when a test moves ``now``).

    ``clock`` (also ``monotonic``, for code that calls ``time.monotonic``) reads it;
    ``sleep`` advances it and remembers every wait in ``sleeps``.
    """

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now
        self.sleeps: list[float] = []

    def clock(self) -> float:
        """Return the current fake time in seconds."""
        return self.now

    monotonic = clock

    def sleep(self, seconds: float) -> None:
        """Move the clock on by ``seconds`` and remember the wait."""
        self.sleeps.append(seconds)
        self.now += seconds
