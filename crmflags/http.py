"""HTTP helpers every CRM connector needs: pacing, retries, Retry-After (for plugins too).

- :class:`Pacer` keeps requests at or below N in any sliding window of W seconds (a
  CRM's burst limit), with an injectable clock and sleep so tests never wait.
- :func:`retrying_session` returns a :class:`requests.Session` whose adapter retries
  5xx answers, timeouts and dropped connections with exponential backoff (urllib3's
  ``Retry``), counting each retry, and leaves 429 to the caller: only the connector
  knows whether a 429 means "wait a second" or "the daily budget is spent".
- :func:`retry_after_seconds` reads a ``Retry-After`` header (seconds or an HTTP date).
- :func:`send` sends one request through such a session and turns a timeout or a
  dropped connection (after the retries) into the connector's own error, naming the
  host and path but never the whole URL.
- :func:`json_object` reads the JSON object a successful answer carries.

A connector typically does::

    pacer = Pacer(limit=18, window=2.0)
    session = retrying_session(on_retry=count_call)
    pacer.wait_turn()
    response = send(session, "GET", url, timeout=30, service="MyCRM", error=MyCrmError)
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Collection
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.util import Retry

#: Answers worth sending the same request again for (the server, or a proxy, was down).
RETRY_STATUSES = (500, 502, 503, 504, 521, 522, 523)
#: The methods retried by default: GET reads, and PUT/PATCH that set absolute values.
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS"})
#: The longest one server-requested wait (Retry-After) may be, in seconds.
MAX_WAIT = 60.0


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


def retrying_session(
    *,
    retries: int = 4,
    backoff_factor: float = 0.5,
    statuses: Collection[int] = RETRY_STATUSES,
    methods: Collection[str] = IDEMPOTENT_METHODS,
    on_retry: Callable[[], None] = lambda: None,
    max_retry_after: float = MAX_WAIT,
) -> requests.Session:
    """Return a Session that retries ``statuses``, timeouts and dropped connections.

    Each retry waits ``backoff_factor * 2 ** (n - 1)`` seconds (none before the first),
    or a 503's ``Retry-After`` capped at ``max_retry_after``; ``on_retry`` is called once
    per request sent again. After the last retry the final answer is returned as it is
    (no exception for a status), so the caller reads the server's error body. Only
    ``methods`` are retried: leave POST out unless sending it twice is harmless.
    """
    retry = CountingRetry(
        total=retries,
        backoff_factor=backoff_factor,
        status_forcelist=tuple(statuses),
        allowed_methods=frozenset(m.upper() for m in methods),
        respect_retry_after_header=True,
        raise_on_status=False,
        on_retry=on_retry,
        max_retry_after=max_retry_after,
    )
    adapter = HTTPAdapter(max_retries=retry)
    session = requests.Session()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


class CountingRetry(Retry):
    """urllib3's Retry that counts each retried request, caps Retry-After, leaves 429 alone.

    429 is not retried here even when listed: the caller decides between waiting out
    the burst window and stopping for a spent daily budget.
    """

    RETRY_AFTER_STATUS_CODES = frozenset({503})

    def __init__(
        self,
        *args: Any,
        on_retry: Callable[[], None] = lambda: None,
        max_retry_after: float = MAX_WAIT,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.on_retry = on_retry
        self.max_retry_after = max_retry_after

    def new(self, **kw: Any) -> CountingRetry:
        """Return a copy with the counts changed, keeping the counter and the cap."""
        copy = super().new(**kw)
        copy.on_retry = self.on_retry
        copy.max_retry_after = self.max_retry_after
        return copy

    def is_retry(self, method: str, status_code: int, has_retry_after: bool = False) -> bool:
        """Tell whether to retry; never for 429 (the caller's to handle)."""
        if status_code == 429:
            return False
        return super().is_retry(method, status_code, has_retry_after)

    def increment(self, *args: Any, **kwargs: Any) -> Retry:
        """Count the request urllib3 is about to send again (none when retries are spent)."""
        result = super().increment(*args, **kwargs)
        self.on_retry()
        return result

    def parse_retry_after(self, retry_after: str) -> float:
        """Return the server's Retry-After, capped so a run never waits long."""
        return min(super().parse_retry_after(retry_after), self.max_retry_after)


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


def send(
    session: requests.Session,
    method: str,
    url: str,
    *,
    timeout: float,
    service: str,
    error: Callable[[str], Exception],
    **kwargs: Any,
) -> requests.Response:
    """Send one request and return the answer, whatever its status.

    A timeout or a connection that fails (after the session's retries) raises
    ``error(message)``, the message naming ``service``, the host and the path; the
    query string and the exception's text (which holds the whole URL) are left out,
    since either may carry a token.
    """
    parts = urlsplit(url)
    try:
        return session.request(method, url, timeout=timeout, **kwargs)
    except requests.Timeout:
        raise error(
            f"{service} ({parts.netloc}) did not answer {method} {parts.path} within "
            f"{timeout:g} s, even after retries"
        ) from None
    except requests.RequestException as exc:
        raise error(
            f"could not reach {service} at {parts.netloc} for {method} {parts.path} "
            f"({type(exc).__name__}), even after retries"
        ) from None


def json_object(
    response: requests.Response, *, service: str, error: Callable[[str], Exception]
) -> dict[str, Any]:
    """Return the JSON object body of a successful answer ({} for 204 or no body).

    Raise ``error(message)`` naming ``service``, the method, the path and the status
    when the body is not a JSON object (a proxy's HTML page, a truncated answer).
    """
    if response.status_code == 204 or not response.content:
        return {}
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        request = response.request
        path = urlsplit(request.url or "").path if request is not None else ""
        method = request.method if request is not None else ""
        raise error(
            f"{service} answered {method} {path} with {response.status_code} but no JSON object"
        )
    return body
