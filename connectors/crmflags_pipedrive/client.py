"""HTTP to Pipedrive: the token, pacing, retries, 429 waits, the daily budget and errors.

The API token goes in the ``x-api-token`` header, an OAuth access token in
``Authorization: Bearer`` (reference §1); never in a URL. 5xx answers, timeouts and
dropped connections are retried by :func:`crmflags.http.retrying_session`. A 429 is
handled here (§12): when the daily token budget is spent (its header says 0, or the
429s do not stop) the run ends with :class:`BudgetSpent` (exit 1), which a later run
resumes from; otherwise it waits out the 2-second burst window and tries again.
Requests are paced below the plan's burst limit. Pipedrive's envelope (``success``, ``error``,
``error_info``) is read for every failure, after the HTTP status (§2, §13).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests

from crmflags import __version__
from crmflags.errors import AuthError, CrmflagsError, QuotaSpent
from crmflags.http import Pacer, json_object, retry_after_seconds, retrying_session, send
from crmflags.logs import REDACTED, redact, register_secret

log = logging.getLogger("crmflags")

#: Pipedrive's burst window (reference §12).
WINDOW_SECONDS = 2.0
#: How many burst-limit 429s in a row one request waits through before the run stops.
MAX_RATE_LIMIT_WAITS = 5
#: The longest one 429 wait may be, in seconds.
MAX_WAIT = 30.0
#: The largest page Pipedrive gives (v1 and v2).
PAGE_SIZE = 500
BUDGET_LEFT = "x-daily-ratelimit-token-remaining"
BUDGET_LIMIT = "x-daily-ratelimit-token-limit"
#: The share of the daily budget below which the run says so once.
LOW_BUDGET_SHARE = 0.1
_TOKEN_IN_URL = re.compile(r"((?:api_token|access_token)=)[^&\s'\"]+", re.IGNORECASE)


@dataclass(frozen=True)
class ApiProblem:
    """What Pipedrive said about a failed request (its envelope; every part optional)."""

    status: int
    message: str
    info: str | None = None
    code: str | None = None

    @classmethod
    def from_response(cls, response: requests.Response) -> ApiProblem:
        """Read the error envelope; a body that is not JSON (Cloudflare's page) says so."""
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            reason = response.reason or "no error message"
            if response.content:
                reason += " (not a JSON answer)"
            return cls(response.status_code, reason)
        return cls(
            status=response.status_code,
            message=str(body.get("error") or body.get("message") or response.reason or "")
            or "no error message",
            info=_string(body.get("error_info")),
            code=_string(body.get("code") or body.get("errorCode")),
        )

    def describe(self) -> str:
        """Return e.g. ``403 feature_capping_deals_limit: Limit reached (see ...)``."""
        text = f"{self.status}"
        if self.code and self.code != str(self.status):
            text += f" {self.code}"
        text += f": {self.message}"
        if self.info:
            text += f" ({self.info})"
        return scrub(text)


class PipedriveError(CrmflagsError):
    """Pipedrive could not be reached or refused a request: the run stops (exit 2).

    ``problem`` is Pipedrive's answer, None when there was none.
    """

    def __init__(self, message: str, problem: ApiProblem | None = None):
        self.problem = problem
        super().__init__(scrub(message))


class BudgetSpent(QuotaSpent):
    """The company's daily API token budget is used up: the run stops (exit 1), a later
    run resumes.

    ``problem`` is Pipedrive's answer, None when there was none; ``written`` the
    organizations written before the budget ran out (see QuotaSpent).
    """

    def __init__(
        self, message: str, problem: ApiProblem | None = None, written: Iterable[str] = ()
    ):
        self.problem = problem
        super().__init__(scrub(message), written)


class PipedriveClient:
    """A requests session for one company's API: ``get``, ``post`` and ``patch`` send JSON.

    ``auth`` is ``api_token`` (``x-api-token`` header) or ``oauth`` (bearer token).
    ``sleep`` and ``clock`` are injectable so that tests do not wait; ``on_request`` is
    called once per HTTP request sent (each retry included).
    """

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        auth: str = "api_token",
        requests_per_2s: int = 18,
        timeout: float = 30.0,
        retries: int = 4,
        backoff_factor: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        on_request: Callable[[], None] = lambda: None,
    ) -> None:
        register_secret(token)
        self.base_url = base_url.rstrip("/")
        self.host = urlsplit(self.base_url).netloc
        self.timeout = timeout
        self.sleep = sleep
        self.on_request = on_request
        self.pacer = Pacer(requests_per_2s, WINDOW_SECONDS, clock, sleep)
        self.budget_left: int | None = None
        self._budget_warned = False
        self.session = retrying_session(
            retries=retries, backoff_factor=backoff_factor, on_retry=on_request
        )
        auth_header = (
            {"x-api-token": token} if auth == "api_token" else {"Authorization": f"Bearer {token}"}
        )
        self.session.headers.update(
            {
                **auth_header,
                "Accept": "application/json",
                "User-Agent": f"crmflags/{__version__}",
            }
        )

    def get(self, path: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """GET ``path`` (below the base URL) and return the JSON body of a 2xx answer."""
        return self._request("GET", path, params=params)

    def post(self, path: str, body: Any) -> dict[str, Any]:
        """POST a JSON body and return the JSON answer.

        Raises AuthError for 401/403, BudgetSpent when the daily budget is used up and
        PipedriveError for any other failure.
        """
        return self._request("POST", path, json=body)

    def patch(self, path: str, body: Any) -> dict[str, Any]:
        """PATCH a JSON body (the fields to overwrite) and return the JSON answer.

        Raises AuthError for 401/403, BudgetSpent when the daily budget is used up and
        PipedriveError for any other failure.
        """
        return self._request("PATCH", path, json=body)

    def pages_v2(self, path: str, params: Mapping[str, Any] | None = None) -> Iterator[dict]:
        """Yield every item of a v2 list, following ``additional_data.next_cursor``."""
        query = {**(params or {}), "limit": PAGE_SIZE}
        while True:
            body = self.get(path, query)
            yield from _items(body)
            cursor = (body.get("additional_data") or {}).get("next_cursor")
            if not cursor:
                return
            query["cursor"] = cursor

    def pages_v1(self, path: str, params: Mapping[str, Any] | None = None) -> Iterator[dict]:
        """Yield every item of a v1 list, following ``start``/``limit`` (reference §3)."""
        query = {**(params or {}), "start": 0, "limit": PAGE_SIZE}
        while True:
            body = self.get(path, query)
            items = _items(body)
            yield from items
            extra = body.get("additional_data") or {}
            pagination = extra.get("pagination") or extra
            if not pagination.get("more_items_in_collection") or not items:
                return
            following = pagination.get("next_start")
            query["start"] = (
                int(following) if following is not None else query["start"] + len(items)
            )

    def _request(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        url = f"{self.base_url}{path}"
        for waits in range(MAX_RATE_LIMIT_WAITS + 1):
            response = self._send(method, url, **kwargs)
            if response.status_code != 429:
                break
            problem = ApiProblem.from_response(response)
            if self.budget_left == 0 or "daily" in problem.message.lower():
                raise BudgetSpent(_spent(problem), problem)
            if waits == MAX_RATE_LIMIT_WAITS:
                raise BudgetSpent(
                    f"Pipedrive kept refusing {method} {path} for the rate limit after {waits} "
                    f"waits ({problem.describe()}): the daily token budget may be spent, or "
                    "another integration uses the burst limit; run again later (lower "
                    "requests_per_2s under pipedrive: if it happens again)",
                    problem,
                )
            wait = min(self._rate_limit_wait(response), MAX_WAIT)
            log.info("Pipedrive rate limit reached: waiting %.1f s before trying again", wait)
            self.sleep(wait)
        if response.status_code < 300:
            return _success(response, method, path)
        problem = ApiProblem.from_response(response)
        status = response.status_code
        if status == 401:
            raise AuthError(
                scrub(
                    f"Pipedrive refused the token ({problem.describe()}); check "
                    "PIPEDRIVE_API_TOKEN (or PIPEDRIVE_ACCESS_TOKEN with auth: oauth, or the "
                    "token_file: under pipedrive:) holds a valid token of this company"
                )
            )
        if status == 403:
            raise AuthError(
                scrub(
                    f"Pipedrive refused {method} {path} ({problem.describe()}); the token's "
                    "user (or the OAuth app's scopes) may not do this"
                    + (
                        "; a 403 page that is not JSON is Pipedrive's block after ignored "
                        "429s: wait, then lower requests_per_2s"
                        if "not a JSON answer" in problem.message
                        else ""
                    )
                )
            )
        if status == 402:
            raise PipedriveError(
                f"Pipedrive says the company account is not open ({problem.describe()}): "
                "check the subscription",
                problem,
            )
        if status == 410:
            raise PipedriveError(
                f"Pipedrive has removed {method} {path} ({problem.describe()}): this version "
                "of crmflags uses an endpoint Pipedrive no longer serves; upgrade crmflags",
                problem,
            )
        raise PipedriveError(
            f"Pipedrive answered {method} {path} with {problem.describe()}", problem
        )

    def _send(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        if self.budget_left == 0:
            raise BudgetSpent(
                "Pipedrive's daily API token budget is used up (it said 0 tokens left); "
                "run again after it resets at midnight (Pipedrive's server time): the next "
                "run picks up what this one did not do"
            )
        self.pacer.wait_turn()
        self.on_request()
        response = send(
            self.session,
            method,
            url,
            timeout=self.timeout,
            service="Pipedrive",
            error=PipedriveError,
            **kwargs,
        )
        self._watch_budget(response)
        return response

    def _watch_budget(self, response: requests.Response) -> None:
        """Remember the daily budget the headers report; say once when it runs low."""
        left = _integer(response.headers.get(BUDGET_LEFT))
        if left is None:
            return
        self.budget_left = left
        limit = _integer(response.headers.get(BUDGET_LIMIT))
        if limit and left < limit * LOW_BUDGET_SHARE and not self._budget_warned:
            self._budget_warned = True
            log.warning(
                "Pipedrive's daily API token budget is low: %d of %d tokens left", left, limit
            )

    def _rate_limit_wait(self, response: requests.Response) -> float:
        """Seconds to wait after a burst 429: Retry-After, x-ratelimit-reset, else the window."""
        after = retry_after_seconds(response.headers.get("Retry-After"))
        if after is not None:
            return after
        reset = response.headers.get("x-ratelimit-reset")
        try:
            if reset is not None:
                return max(0.0, float(reset))
        except ValueError:
            pass
        return self.pacer.rest_of_window(WINDOW_SECONDS)


def scrub(text: str) -> str:
    """Return ``text`` without registered secrets and without any token in a URL's query."""
    return _TOKEN_IN_URL.sub(lambda m: m.group(1) + REDACTED, redact(text))


def _spent(problem: ApiProblem) -> str:
    return (
        f"Pipedrive's daily API token budget is used up ({problem.describe()}); it resets at "
        "midnight (Pipedrive's server time): run again after that, and the next run picks up "
        "what this one did not do"
    )


def _items(body: Mapping[str, Any]) -> list[dict]:
    data = body.get("data")
    return [item for item in data if isinstance(item, dict)] if isinstance(data, list) else []


def _success(response: requests.Response, method: str, path: str) -> dict[str, Any]:
    """Return the JSON body of a 2xx answer; a ``success: false`` envelope is a failure."""
    body = json_object(response, service="Pipedrive", error=PipedriveError)
    if body.get("success") is False:
        problem = ApiProblem.from_response(response)
        raise PipedriveError(
            f"Pipedrive answered {method} {path} with {problem.describe()}", problem
        )
    return body


def _string(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


def _integer(value: str | None) -> int | None:
    try:
        return int(float(value)) if value not in (None, "") else None
    except ValueError:
        return None
