"""HTTP for every connector and notifier that calls a web API (plugins included).

- :class:`ApiClient` is THE client: paced, retrying, deadline-bound requests whose
  failures become crmflags' errors (401/403 exit 3, a spent quota exit 1, everything
  else exit 5), credentials that never follow a redirect to another host, and
  registered secrets masked in every message. Subclass it and override its hooks
  (``quota_spent``, ``refused``, ``failed``, ``check``...) for an API's own words.
- :class:`Answer` is the JSON object an API answered; its ``records``, ``part``,
  ``text`` and ``flag`` read the documented parts and refuse any other shape (exit 5),
  so a proxy's ``{"ok": true}`` is never taken for "no records".
- :class:`Pacer` keeps requests at or below N in any sliding window of W seconds.
- :func:`retrying_session` is the requests Session underneath: urllib3's ``Retry`` for
  5xx answers, timeouts and dropped connections, each attempt within its deadline.
- :func:`retry_after_seconds` reads a ``Retry-After`` header (seconds or an HTTP date).

A connector typically does::

    class MyCrmClient(ApiClient):
        service = "MyCRM"

    http = MyCrmClient("https://api.mycrm.com", headers={"Authorization": f"Bearer {token}"},
                       secrets=[token], pacer=Pacer(limit=18, window=2.0), timeout=30)
    for record in http.get("/v1/clients", {"page": 1}).records("data"):
        ...
"""

from crmflags.http.answers import Answer, json_body
from crmflags.http.client import ApiClient, retries_of
from crmflags.http.deadline import Deadline, deadline
from crmflags.http.pacing import Pacer, retry_after_seconds
from crmflags.http.retrying import (
    IDEMPOTENT_METHODS,
    MAX_WAIT,
    RETRY_STATUSES,
    CountingRetry,
    retrying_session,
)

__all__ = [
    "IDEMPOTENT_METHODS",
    "MAX_WAIT",
    "RETRY_STATUSES",
    "Answer",
    "ApiClient",
    "CountingRetry",
    "Deadline",
    "Pacer",
    "deadline",
    "json_body",
    "retries_of",
    "retry_after_seconds",
    "retrying_session",
]
