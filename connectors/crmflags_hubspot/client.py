"""HTTP to HubSpot: the bearer token, pacing, 429 waits and HubSpot's words for failures.

The request loop is :class:`crmflags.http.ApiClient`'s: 5xx answers, timeouts and
dropped connections are retried (reference §8.2), each attempt within its deadline,
and no redirect takes the token to another host. What is HubSpot's is here: a daily
limit 429 ends the run with :class:`crmflags.errors.QuotaSpent` (exit 1: a later run
resumes); any other waits ``Retry-After`` or the rest of the rate window HubSpot names,
then tries again (§7). Requests are paced below the app's burst limit of 100 per 10 s;
searches, which have their own limit instead (§2.6), at most 4 a second. Error bodies
are read for their category, message, correlation id and missing scopes (§8.1).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import requests

from crmflags.errors import CrmError, QuotaSpent
from crmflags.http import RETRY_STATUSES, ApiClient, Pacer, json_body, retry_after_seconds
from crmflags.logs import redact

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
    """What HubSpot said about a failed request (every field is optional in its body).

    ``details`` are the objects of its ``errors`` list (per field or per record, §8.1).
    """

    status: int
    message: str
    category: str | None = None
    correlation_id: str | None = None
    policy: str | None = None
    scopes: tuple[str, ...] = ()
    details: tuple[Mapping[str, Any], ...] = ()

    @classmethod
    def from_response(cls, response: requests.Response) -> ApiProblem:
        """Read the error body of a response; a body that is not JSON gives its reason."""
        body = json_body(response)
        if not isinstance(body, dict):
            return cls(response.status_code, response.reason or "no error message")
        errors = body.get("errors")
        return cls(
            status=response.status_code,
            message=str(body.get("message") or response.reason or "no error message"),
            category=_string(body.get("category") or body.get("errorType")),
            correlation_id=_string(body.get("correlationId")),
            policy=_string(body.get("policyName")),
            scopes=_scopes(body),
            details=tuple(e for e in errors if isinstance(e, Mapping))
            if isinstance(errors, list)
            else (),
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


class HubSpotError(CrmError):
    """HubSpot could not be reached, kept failing or answered in an undocumented shape:
    the run stops (exit 5).

    ``problem`` is HubSpot's answer (an :class:`ApiProblem`), None when there was none.
    """

    def __init__(self, message: str, problem: ApiProblem | None = None):
        super().__init__(redact(message), problem)

    problem: ApiProblem | None


class HubSpotClient(ApiClient):
    """The API of one portal: ``get``, ``post`` and ``patch`` send JSON, answers are checked.

    ``sleep`` and ``clock`` are injectable so that tests do not wait; ``on_request``
    is called once per HTTP request sent (each retry included).
    """

    service = "HubSpot"
    error = HubSpotError

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
        self.burst_pacer = Pacer(requests_per_10s, WINDOW_SECONDS, clock, sleep)
        super().__init__(
            base_url.rstrip("/"),
            headers={"Authorization": f"Bearer {token}"},
            secrets=[token],
            pacer=self.burst_pacer,
            timeout=timeout,
            retries=retries,
            backoff_factor=backoff_factor,
            retry_statuses=RETRY_STATUSES,
            retried_methods=RETRIED_METHODS,
            rate_limit_waits=MAX_RATE_LIMIT_WAITS,
            sleep=sleep,
            on_request=on_request,
        )
        self.search_pacer = Pacer(SEARCHES_PER_SECOND, 1.0, clock, sleep)

    def pacer_for(self, path: str) -> Pacer:
        """Searches have their own per-second limit; everything else shares the burst one."""
        return self.search_pacer if path.endswith("/search") else self.burst_pacer

    def describe(self, response: requests.Response) -> str:
        """Return e.g. ``403 MISSING_SCOPES: This app lacks ... (correlationId 1f2e...)``."""
        return ApiProblem.from_response(response).describe()

    def quota_spent(self, response: requests.Response, method: str, path: str) -> QuotaSpent | None:
        """A 429 of the DAILY policy (or saying "daily") ends the run (reference §7.3)."""
        problem = ApiProblem.from_response(response)
        if problem.policy != "DAILY" and "daily" not in problem.message.lower():
            return None
        return QuotaSpent(
            redact(
                f"HubSpot's daily API limit is used up ({problem.describe()}); it "
                "resets at midnight in the account's time zone: run again after that, "
                "and the next run picks up what this one did not do"
            )
        )

    def problem_of(self, response: requests.Response) -> ApiProblem:
        """Read HubSpot's error body (category, message, correlationId, scopes)."""
        return ApiProblem.from_response(response)

    rate_limit_hint = "; lower requests_per_10s under hubspot:"

    def rate_limit_wait(self, response: requests.Response, path: str) -> float:
        """Seconds to wait after a 429: Retry-After if given, else the rest of the window.

        The window is the one HubSpot names, else that of the pacer the request went
        through (10 s, or 1 s for a search, whose 429s carry no rate headers, §7.2).
        """
        after = retry_after_seconds(response.headers.get("Retry-After"))
        if after is not None:
            return after
        pacer = self.pacer_for(path)
        interval = response.headers.get("X-HubSpot-RateLimit-Interval-Milliseconds")
        try:
            window = float(interval) / 1000 if interval else pacer.window
        except ValueError:
            window = pacer.window
        return pacer.rest_of_window(window)

    credentials = "the token"
    credentials_hint = (
        "check HUBSPOT_TOKEN (or the token_file: under hubspot:) holds a valid private app token"
    )

    def permission_hint(self, response: requests.Response) -> str:
        """A 403 names the scopes the token lacks, when HubSpot says which."""
        scopes = ApiProblem.from_response(response).scopes
        if scopes:
            return f"; the token needs the scopes {', '.join(scopes)}"
        return "; check the private app's scopes"


def _string(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


def _scopes(body: Mapping[str, Any]) -> tuple[str, ...]:
    """Collect the scopes a 403 body names (``context`` or ``errors[].context``)."""
    errors = body.get("errors")
    contexts = [body.get("context")]
    contexts += (
        [e.get("context") for e in errors if isinstance(e, dict)]
        if isinstance(errors, list)
        else []
    )
    found: list[str] = []
    for context in contexts:
        if not isinstance(context, dict):
            continue
        for key in ("missingScopes", "requiredGranularScopes", "requiredScopes"):
            values = context.get(key) or []
            found += [str(v) for v in (values if isinstance(values, list) else [values])]
    return tuple(dict.fromkeys(found))
