"""A requests Session that retries 5xx answers, timeouts and dropped connections.

urllib3's ``Retry`` does the retrying, with exponential backoff, counting each request
sent again and capping a 503's ``Retry-After``. 429 is left to the caller, which knows
whether it means "wait a second" or "the daily budget is spent". The session's adapter
keeps each attempt within its deadline (:mod:`crmflags.http.deadline`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any, cast

import requests
from urllib3.util import Retry

from crmflags.http.deadline import DeadlineAdapter, current

#: Answers worth sending the same request again for (the server, or a proxy, was down).
RETRY_STATUSES = (500, 502, 503, 504, 521, 522, 523)
#: The methods retried by default: GET reads, and PUT/PATCH that set absolute values.
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS"})
#: The longest one server-requested wait (Retry-After) may be, in seconds.
MAX_WAIT = 60.0


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
    Redirects are not retried here (``redirect=0``): the caller decides about them.
    """
    retry = CountingRetry(
        total=retries,
        redirect=0,
        backoff_factor=backoff_factor,
        status_forcelist=tuple(statuses),
        allowed_methods=frozenset(m.upper() for m in methods),
        respect_retry_after_header=True,
        raise_on_status=False,
        raise_on_redirect=False,
        on_retry=on_retry,
        max_retry_after=max_retry_after,
    )
    adapter = DeadlineAdapter(max_retries=retry)
    session = requests.Session()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


class CountingRetry(Retry):
    """urllib3's Retry that counts each retried request, caps Retry-After, leaves 429 alone.

    429 is not retried here even when listed: the caller decides between waiting out
    the burst window and stopping for a spent daily budget. The request's deadline is
    paused during the backoff: only the server's time counts against it.
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

    def increment(self, *args: Any, **kwargs: Any) -> CountingRetry:
        """Count the request urllib3 is about to send again (none when retries are spent)."""
        result = cast(CountingRetry, super().increment(*args, **kwargs))
        self.on_retry()
        return result

    def sleep(self, response: Any = None) -> None:
        """Wait before the next attempt, with the request's deadline paused meanwhile."""
        clock = current()
        if clock is not None:
            clock.pause()
        super().sleep(response)

    def parse_retry_after(self, retry_after: str) -> float:
        """Return the server's Retry-After, capped so a run never waits long."""
        return min(super().parse_retry_after(retry_after), self.max_retry_after)
