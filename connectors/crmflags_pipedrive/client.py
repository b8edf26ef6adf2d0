"""HTTP to Pipedrive: the token, pacing, 429 waits, the daily budget, the envelope.

The API token goes in the ``x-api-token`` header, an OAuth access token in
``Authorization: Bearer`` (reference §1); never in a URL. The request loop is
:class:`crmflags.http.ApiClient`'s: 5xx answers, timeouts and dropped connections are
retried, each attempt within its deadline, and no redirect takes the token to another
host (requests itself would strip only ``Authorization``). What is Pipedrive's is here:
a 429 (§12) when the daily token budget is spent (its header says 0, or the 429s do
not stop) ends the run with :class:`BudgetSpent` (exit 1), which a later run resumes
from; otherwise it waits out the 2-second burst window and tries again. Requests are
paced below the plan's burst limit. Pipedrive's envelope (``success``, ``error``,
``error_info``) is read for every failure, after the HTTP status (§2, §13), and a
success must say ``success: true`` with its ``data`` in the documented shape.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import requests

from crmflags.errors import CrmError, QuotaSpent
from crmflags.http import Answer, ApiClient, Pacer, json_body, retry_after_seconds
from crmflags.logs import REDACTED, redact

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
        body = json_body(response)
        if not isinstance(body, dict):
            reason = response.reason or "no error message"
            if response.content:
                reason += " (not a JSON answer)"
            return cls(response.status_code, reason)
        return cls.from_body(response.status_code, body, response.reason)

    @classmethod
    def from_body(cls, status: int, body: Mapping[str, Any], reason: str = "") -> ApiProblem:
        """Read the envelope ``success``, ``error``, ``error_info`` of a JSON body (§2)."""
        return cls(
            status=status,
            message=str(body.get("error") or body.get("message") or reason or "")
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


class PipedriveError(CrmError):
    """Pipedrive could not be reached, kept failing or answered in an undocumented shape:
    the run stops (exit 5).

    ``problem`` is Pipedrive's answer (an :class:`ApiProblem`), None when there was none.
    """

    problem: ApiProblem | None

    def __init__(self, message: str, problem: ApiProblem | None = None):
        super().__init__(scrub(message), problem)


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


class PipedriveClient(ApiClient):
    """The API of one company: ``get``, ``post`` and ``patch`` send JSON, answers are checked.

    ``auth`` is ``api_token`` (``x-api-token`` header) or ``oauth`` (bearer token).
    ``sleep`` and ``clock`` are injectable so that tests do not wait; ``on_request`` is
    called once per HTTP request sent (each retry included).
    """

    service = "Pipedrive"
    error = PipedriveError

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
        credentials = (
            {"x-api-token": token} if auth == "api_token" else {"Authorization": f"Bearer {token}"}
        )
        super().__init__(
            base_url.rstrip("/"),
            headers=credentials,
            secrets=[token],
            pacer=Pacer(requests_per_2s, WINDOW_SECONDS, clock, sleep),
            timeout=timeout,
            retries=retries,
            backoff_factor=backoff_factor,
            rate_limit_waits=MAX_RATE_LIMIT_WAITS,
            max_wait=MAX_WAIT,
            sleep=sleep,
            on_request=on_request,
        )
        self.budget_left: int | None = None
        self._budget_warned = False

    def pages_v2(
        self, path: str, params: Mapping[str, Any] | None = None, key: str = "id"
    ) -> Iterator[dict]:
        """Yield every item of a v2 list, following ``additional_data.next_cursor``.

        Each item is an object with a ``key`` (``id``; a field's is ``field_code``, §10)
        whose ``custom_fields`` (v2 entities, §4) is an object when it is there.
        """
        query = {**(params or {}), "limit": PAGE_SIZE}
        while True:
            answer = self.get(path, query)
            yield from answer.records("data", key=key, null_ok=True, objects=("custom_fields",))
            cursor = answer.text("additional_data", "next_cursor")
            if not cursor:
                return
            query["cursor"] = cursor

    def pages_v1(self, path: str, params: Mapping[str, Any] | None = None) -> Iterator[dict]:
        """Yield every item of a v1 list, following ``start``/``limit`` (reference §3).

        v1 answers an empty list with ``data: null``; its pagination sits in
        ``additional_data.pagination``, or right in ``additional_data`` (§3: accept both).
        """
        query = {**(params or {}), "start": 0, "limit": PAGE_SIZE}
        while True:
            answer = self.get(path, query)
            items = answer.records("data", null_ok=True)
            yield from items
            where: tuple[str, ...] = ("additional_data", "pagination")
            if not answer.part(*where):
                where = ("additional_data",)
            if not answer.flag(*where, "more_items_in_collection") or not items:
                return
            following = answer.text(*where, "next_start")
            query["start"] = (
                int(following) if following and following.isdigit() else query["start"] + len(items)
            )

    def before_request(self, method: str, path: str) -> None:
        """Send nothing once Pipedrive said the day's budget is spent."""
        if self.budget_left == 0:
            raise BudgetSpent(
                "Pipedrive's daily API token budget is used up (it said 0 tokens left); "
                "run again after it resets at midnight (Pipedrive's server time): the next "
                "run picks up what this one did not do"
            )

    def after_response(self, response: requests.Response) -> None:
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

    def check(self, answer: Answer) -> None:
        """A 2xx answer says ``success: true`` (§2); ``success: false`` is a failure."""
        success = answer.flag("success")
        if success is None:
            raise answer.fault("success is missing")
        if success is False:
            problem = ApiProblem.from_body(answer.status, answer.body)
            raise PipedriveError(
                f"Pipedrive answered {answer.call} with {problem.describe()}", problem
            )

    def describe(self, response: requests.Response) -> str:
        """Return e.g. ``403 feature_capping_deals_limit: Limit reached (see ...)``."""
        return ApiProblem.from_response(response).describe()

    def problem_of(self, response: requests.Response) -> ApiProblem:
        """Read Pipedrive's error envelope."""
        return ApiProblem.from_response(response)

    def quota_spent(
        self, response: requests.Response, method: str, path: str
    ) -> BudgetSpent | None:
        """A 429 once the budget header said 0, or saying "daily", is the spent budget."""
        problem = ApiProblem.from_response(response)
        if self.budget_left == 0 or "daily" in problem.message.lower():
            return BudgetSpent(_spent(problem), problem)
        return None

    def kept_rate_limiting(
        self, response: requests.Response, method: str, path: str, waits: int
    ) -> BudgetSpent:
        """429s that do not stop mean a spent budget (or another integration's burst)."""
        problem = ApiProblem.from_response(response)
        return BudgetSpent(
            f"Pipedrive kept refusing {method} {path} for the rate limit after {waits} "
            f"waits ({problem.describe()}): the daily token budget may be spent, or "
            "another integration uses the burst limit; run again later (lower "
            "requests_per_2s under pipedrive: if it happens again)",
            problem,
        )

    def rate_limit_wait(self, response: requests.Response, path: str) -> float:
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
        return super().rate_limit_wait(response, path)  # the rest of the 2-second window

    credentials = "the token"
    credentials_hint = (
        "check PIPEDRIVE_API_TOKEN (or PIPEDRIVE_ACCESS_TOKEN with auth: oauth, or the "
        "token_file: under pipedrive:) holds a valid token of this company"
    )

    def permission_hint(self, response: requests.Response) -> str:
        """What the token's user may not do, or Cloudflare's block after ignored 429s."""
        hint = "; the token's user (or the OAuth app's scopes) may not do this"
        if "not a JSON answer" in ApiProblem.from_response(response).message:
            hint += (
                "; a 403 page that is not JSON is Pipedrive's block after ignored 429s: "
                "wait, then lower requests_per_2s"
            )
        return hint

    def failed(self, response: requests.Response, method: str, path: str) -> PipedriveError:
        """402: the account; 410: an endpoint gone; anything else with the envelope."""
        problem = ApiProblem.from_response(response)
        if response.status_code == 402:
            return PipedriveError(
                f"Pipedrive says the company account is not open ({problem.describe()}): "
                "check the subscription",
                problem,
            )
        if response.status_code == 410:
            return PipedriveError(
                f"Pipedrive has removed {method} {path} ({problem.describe()}): this version "
                "of crmflags uses an endpoint Pipedrive no longer serves; upgrade crmflags",
                problem,
            )
        return super().failed(response, method, path)  # type: ignore[return-value]


def scrub(text: str) -> str:
    """Return ``text`` without registered secrets and without any token in a URL's query."""
    return _TOKEN_IN_URL.sub(lambda m: m.group(1) + REDACTED, redact(text))


def _spent(problem: ApiProblem) -> str:
    return (
        f"Pipedrive's daily API token budget is used up ({problem.describe()}); it resets at "
        "midnight (Pipedrive's server time): run again after that, and the next run picks up "
        "what this one did not do"
    )


def _string(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


def _integer(value: str | None) -> int | None:
    try:
        return int(float(value)) if value not in (None, "") else None
    except ValueError:
        return None
