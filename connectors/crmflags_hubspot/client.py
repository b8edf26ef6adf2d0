"""HTTP to HubSpot: the bearer token, pacing, retries, 429 waits and readable errors.

5xx answers, timeouts and dropped connections are retried by
:func:`crmflags.http.retrying_session` (reference §8.2). A 429 is handled here: a daily limit ends
the run with :class:`crmflags.errors.QuotaSpent` (exit 1: a later run resumes); any
other waits ``Retry-After`` or the rest of the rate window, then tries again
(reference §7). Requests are paced below the app's burst limit of 100 per
10 s; searches, which have their own limit instead (§2.6), at most 4 a second.
Every request made, retries included, is counted through ``on_request``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import requests

from crmflags import __version__
from crmflags.errors import AuthError, CrmflagsError, QuotaSpent
from crmflags.http import (
    MAX_WAIT,
    Pacer,
    json_object,
    retry_after_seconds,
    retrying_session,
    send,
)
from crmflags.logs import redact, register_secret

log = logging.getLogger("crmflags")

#: The rate window when HubSpot does not send X-HubSpot-RateLimit-Interval-Milliseconds.
WINDOW_SECONDS = 10.0
#: Searches per second across all search calls (reference §2.6: design for at most 4).
SEARCHES_PER_SECOND = 4
#: How many 429 answers in a row one request waits through before the run stops.
MAX_RATE_LIMIT_WAITS = 5
#: Searches are reads sent as POST, and PATCH only overwrites the fields sent: sending
#: either again is harmless.
RETRIED_METHODS = ("GET", "POST", "PATCH")


@dataclass(frozen=True)
class ApiProblem:
    """What HubSpot said about a failed request (every field is optional in its body)."""

    status: int
    message: str
    category: str | None = None
    correlation_id: str | None = None
    policy: str | None = None
    scopes: tuple[str, ...] = ()

    @classmethod
    def from_response(cls, response: requests.Response) -> ApiProblem:
        """Read the error body of a response; a body that is not JSON gives its reason."""
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            return cls(response.status_code, response.reason or "no error message")
        return cls(
            status=response.status_code,
            message=str(body.get("message") or response.reason or "no error message"),
            category=_string(body.get("category") or body.get("errorType")),
            correlation_id=_string(body.get("correlationId")),
            policy=_string(body.get("policyName")),
            scopes=_scopes(body),
        )

    def describe(self) -> str:
        """Return e.g. ``403 MISSING_SCOPES: This app lacks ... (correlationId 1f2e...)``."""
        text = f"{self.status}"
        if self.category:
            text += f" {self.category}"
        text += f": {self.message}"
        if self.correlation_id:
            text += f" (correlationId {self.correlation_id})"
        return text


class HubSpotError(CrmflagsError):
    """HubSpot could not be reached or refused a request: the run stops (exit 2).

    ``problem`` is HubSpot's answer, None when there was none.
    """

    def __init__(self, message: str, problem: ApiProblem | None = None):
        self.problem = problem
        super().__init__(redact(message))


class HubSpotClient:
    """A requests session for one portal's API: ``get``, ``post`` and ``patch`` send JSON.

    ``sleep`` and ``clock`` are injectable so that tests do not wait; ``on_request``
    is called once per HTTP request sent (each retry included).
    """

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        requests_per_10s: int = 90,
        timeout: float = 30.0,
        retries: int = 4,
        backoff_factor: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        on_request: Callable[[], None] = lambda: None,
    ) -> None:
        register_secret(token)
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.sleep = sleep
        self.on_request = on_request
        self.pacer = Pacer(requests_per_10s, WINDOW_SECONDS, clock, sleep)
        self.search_pacer = Pacer(SEARCHES_PER_SECOND, 1.0, clock, sleep)
        self.session = retrying_session(
            retries=retries,
            backoff_factor=backoff_factor,
            methods=RETRIED_METHODS,
            on_retry=on_request,
        )
        self.session.headers.update(
            {
                "Authorization": f"Bearer {token}",
                "Accept": "application/json",
                "User-Agent": f"crmflags/{__version__}",
            }
        )

    def get(self, path: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """GET ``path`` (below the base URL) and return the JSON body of a 2xx answer."""
        return self._request("GET", path, params=params)[1]

    def post(self, path: str, body: Mapping[str, Any]) -> tuple[int, dict[str, Any]]:
        """POST a JSON body; return the status (200, 201 or 207) and the JSON answer.

        Raises AuthError for 401/403, QuotaSpent for the daily limit and HubSpotError
        for any other failure.
        """
        return self._request("POST", path, json=body)

    def patch(self, path: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """PATCH a JSON body (the fields to overwrite) and return the JSON answer.

        Raises AuthError for 401/403, QuotaSpent for the daily limit and HubSpotError
        for any other failure.
        """
        return self._request("PATCH", path, json=body)[1]

    def _request(self, method: str, path: str, **kwargs: Any) -> tuple[int, dict[str, Any]]:
        url = f"{self.base_url}{path}"
        for waits in range(MAX_RATE_LIMIT_WAITS + 1):
            response = self._send(method, url, path, **kwargs)
            if response.status_code != 429:
                break
            problem = ApiProblem.from_response(response)
            if problem.policy == "DAILY" or "daily" in problem.message.lower():
                raise QuotaSpent(
                    redact(
                        f"HubSpot's daily API limit is used up ({problem.describe()}); it "
                        "resets at midnight in the account's time zone: run again after that, "
                        "and the next run picks up what this one did not do"
                    )
                )
            if waits == MAX_RATE_LIMIT_WAITS:
                raise HubSpotError(
                    f"HubSpot kept refusing {method} {path} for the rate limit after "
                    f"{waits} waits ({problem.describe()}); lower requests_per_10s under hubspot:",
                    problem,
                )
            wait = min(self._rate_limit_wait(response, self._pacer_of(path)), MAX_WAIT)
            log.info("HubSpot rate limit reached: waiting %.1f s before trying again", wait)
            self.sleep(wait)
        if response.status_code < 300:
            body = json_object(response, service="HubSpot", error=HubSpotError)
            return response.status_code, body
        problem = ApiProblem.from_response(response)
        if response.status_code == 401:
            raise AuthError(
                redact(
                    f"HubSpot refused the token ({problem.describe()}); check HUBSPOT_TOKEN "
                    "(or the token_file: under hubspot:) holds a valid private app token"
                )
            )
        if response.status_code == 403:
            needed = (
                f"; the token needs the scopes {', '.join(problem.scopes)}"
                if problem.scopes
                else "; check the private app's scopes"
            )
            raise AuthError(
                redact(f"HubSpot refused {method} {path} ({problem.describe()}){needed}")
            )
        raise HubSpotError(f"HubSpot answered {method} {path} with {problem.describe()}", problem)

    def _pacer_of(self, path: str) -> Pacer:
        """Searches have their own per-second limit; everything else shares the burst one."""
        return self.search_pacer if path.endswith("/search") else self.pacer

    def _send(self, method: str, url: str, path: str, **kwargs: Any) -> requests.Response:
        self._pacer_of(path).wait_turn()
        self.on_request()
        return send(
            self.session,
            method,
            url,
            timeout=self.timeout,
            service="HubSpot",
            error=HubSpotError,
            **kwargs,
        )

    def _rate_limit_wait(self, response: requests.Response, pacer: Pacer) -> float:
        """Seconds to wait after a 429: Retry-After if given, else the rest of the window.

        The window is the one HubSpot names, else that of the pacer the request went
        through (10 s, or 1 s for a search, whose 429s carry no rate headers, §7.2).
        """
        after = retry_after_seconds(response.headers.get("Retry-After"))
        if after is not None:
            return after
        interval = response.headers.get("X-HubSpot-RateLimit-Interval-Milliseconds")
        try:
            window = float(interval) / 1000 if interval else pacer.window
        except ValueError:
            window = pacer.window
        return pacer.rest_of_window(window)


def _string(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


def _scopes(body: Mapping[str, Any]) -> tuple[str, ...]:
    """Collect the scopes a 403 body names (``context`` or ``errors[].context``)."""
    contexts = [body.get("context")]
    contexts += [e.get("context") for e in body.get("errors") or [] if isinstance(e, dict)]
    found: list[str] = []
    for context in contexts:
        if not isinstance(context, dict):
            continue
        for key in ("missingScopes", "requiredGranularScopes", "requiredScopes"):
            values = context.get(key) or []
            found += [str(v) for v in (values if isinstance(values, list) else [values])]
    return tuple(dict.fromkeys(found))
