"""One client for every web API crmflags talks to: the connectors', the webhook's, plugins'.

:class:`ApiClient` sends each request paced below the service's burst limit, retries
5xx answers, timeouts and dropped connections (urllib3's ``Retry``), waits out 429s
(``Retry-After``, else the rest of the window), bounds every attempt by a wall-clock
deadline, and maps what went wrong to crmflags' errors and exit codes:

- 401 and 403 raise :class:`crmflags.errors.AuthError` (exit 3);
- a 429 the subclass recognises as a spent daily quota raises its
  :class:`crmflags.errors.QuotaSpent` (exit 1); 429s that do not stop, any other
  failing status, no connection, no (whole) answer in time and an answer that is not a
  JSON object raise :attr:`ApiClient.error`, a :class:`crmflags.errors.CrmError` (exit 5).

Credentials stay on their host: a redirect to another scheme, host or port is never
followed (the error names where it pointed, not the query), and one on the same host
is followed only when it keeps the method and body (307/308, or any for GET and HEAD).
Messages name the host and the path, never the query string, and registered secrets
are masked. A connector subclasses it and overrides the hooks below for its API's words.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from urllib3.exceptions import NewConnectionError, ProtocolError

from crmflags import __version__
from crmflags.errors import AuthError, CrmError, CrmflagsError, QuotaSpent
from crmflags.http.answers import Answer, json_body
from crmflags.http.deadline import deadline
from crmflags.http.pacing import Pacer, retry_after_seconds
from crmflags.http.retrying import IDEMPOTENT_METHODS, MAX_WAIT, RETRY_STATUSES, retrying_session
from crmflags.logs import redact, register_secret

log = logging.getLogger("crmflags")

#: How many redirects on the same host one request follows.
MAX_REDIRECTS = 5
#: Redirects that keep the method and the body.
KEEPING_REDIRECTS = (307, 308)
DEFAULT_PORTS = {"http": 80, "https": 443}


class ApiClient:
    """A paced, retrying, deadline-bound client of one web API (see the module doc).

    ``base_url`` is put before each path; ``headers`` go with every request (the
    credentials among them), ``secrets`` are registered for masking. ``pacer`` keeps
    requests below the burst limit (None: no pacing). ``timeout`` bounds each attempt,
    the whole answer included; ``retries`` and ``backoff_factor`` drive urllib3's
    ``Retry`` for ``retry_statuses`` and for ``retried_methods``; ``rate_limit_waits``
    429s in a row are waited out, each at most ``max_wait`` seconds. ``sleep`` is
    injectable so that tests do not wait; ``on_request`` is called once per request
    sent (each retry included). ``follow_redirects=False`` makes every redirect a failure.
    """

    #: What messages call the service.
    service = "the service"
    #: The error raised when the service cannot be reached or keeps failing.
    error: type[CrmError] = CrmError
    #: Whether messages show the path of a call (not when the path is itself a secret).
    show_path = True

    def __init__(
        self,
        base_url: str,
        *,
        headers: Mapping[str, str] | None = None,
        secrets: Iterable[str] = (),
        pacer: Pacer | None = None,
        timeout: float = 30.0,
        retries: int = 4,
        backoff_factor: float = 0.5,
        retry_statuses: Collection[int] = RETRY_STATUSES,
        retried_methods: Collection[str] = IDEMPOTENT_METHODS,
        rate_limit_waits: int = 5,
        max_wait: float = MAX_WAIT,
        follow_redirects: bool = True,
        sleep: Callable[[float], None] = time.sleep,
        on_request: Callable[[], None] = lambda: None,
    ) -> None:
        for secret in secrets:
            register_secret(secret)
        self.base_url = base_url
        self.host = urlsplit(base_url).netloc
        self.pacer = pacer
        self.timeout = timeout
        self.retries = retries
        self.retried_methods = frozenset(m.upper() for m in retried_methods)
        self.rate_limit_waits = rate_limit_waits
        self.max_wait = max_wait
        self.follow_redirects = follow_redirects
        self.sleep = sleep
        self.on_request = on_request
        self.session = retrying_session(
            retries=retries,
            backoff_factor=backoff_factor,
            statuses=retry_statuses,
            methods=retried_methods,
            on_retry=on_request,
            max_retry_after=max_wait,
        )
        self.session.headers.update(
            {"Accept": "application/json", "User-Agent": f"crmflags/{__version__}"}
        )
        self.session.headers.update(headers or {})

    # ----- the calls ---------------------------------------------------------------------

    def get(self, path: str, params: Mapping[str, Any] | None = None) -> Answer:
        """GET ``path`` (below the base URL) and return the JSON object of a 2xx answer."""
        return self.call("GET", path, params=params)

    def post(self, path: str, body: Any) -> Answer:
        """POST a JSON body and return the JSON object of a 2xx answer."""
        return self.call("POST", path, json=body)

    def patch(self, path: str, body: Any) -> Answer:
        """PATCH a JSON body (the fields to overwrite) and return the JSON object answered."""
        return self.call("PATCH", path, json=body)

    def call(self, method: str, path: str, **kwargs: Any) -> Answer:
        """Send one request (:meth:`request`) and return its checked JSON object."""
        response = self.request(method, path, **kwargs)
        answer = Answer.of(
            response, call=self.call_name(method, path), service=self.service, error=self.error
        )
        self.check(answer)
        return answer

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """Send one request (``kwargs`` as for requests) and return its 2xx response.

        Raises AuthError for 401/403, the subclass's QuotaSpent for a spent quota and
        :attr:`error` for everything else that is not a success (module doc).
        """
        url = self.base_url + path
        for waits in range(self.rate_limit_waits + 1):
            response = self._send(method, url, **kwargs)
            if response.status_code != 429:
                break
            spent = self.quota_spent(response, method, path)
            if spent is not None:
                raise spent
            if waits == self.rate_limit_waits:
                raise self.kept_rate_limiting(response, method, path, waits)
            wait = min(self.rate_limit_wait(response, path), self.max_wait)
            log.info(
                "%s rate limit reached: waiting %.1f s before trying again", self.service, wait
            )
            self.sleep(wait)
        if response.status_code < 300:
            return response
        if response.status_code in (401, 403):
            raise self.refused(response, method, path)
        raise self.failed(response, method, path)

    # ----- hooks for a subclass ----------------------------------------------------------

    def pacer_for(self, path: str) -> Pacer | None:
        """Return the pacer a request to ``path`` waits its turn with (default: ``pacer``)."""
        return self.pacer

    def before_request(self, method: str, path: str) -> None:
        """Called before each request is sent; raise to send nothing (e.g. a spent budget)."""

    def after_response(self, response: requests.Response) -> None:
        """Called with each answer, redirects and 429s included (e.g. to read quota headers)."""

    def check(self, answer: Answer) -> None:
        """Refuse a 2xx answer that is a failure all the same (e.g. ``success: false``)."""

    def describe(self, response: requests.Response) -> str:
        """Return what the service said about a failure: ``503: Service Unavailable``."""
        body = json_body(response)
        said = None
        if isinstance(body, Mapping):
            said = body.get("message") or body.get("error")
        return f"{response.status_code}: {said or response.reason or 'no error message'}"

    def problem_of(self, response: requests.Response) -> Any:
        """Return what the service said, kept on the error raised (default: None)."""
        return None

    def quota_spent(self, response: requests.Response, method: str, path: str) -> QuotaSpent | None:
        """Return the QuotaSpent a 429 means when the daily quota is used up, else None."""
        return None

    def rate_limit_wait(self, response: requests.Response, path: str) -> float:
        """Seconds to wait after a 429: Retry-After if given, else the rest of the window."""
        after = retry_after_seconds(response.headers.get("Retry-After"))
        if after is not None:
            return after
        pacer = self.pacer_for(path)
        return pacer.rest_of_window() if pacer is not None else 1.0

    def kept_rate_limiting(
        self, response: requests.Response, method: str, path: str, waits: int
    ) -> CrmflagsError:
        """Return the error for 429s that did not stop after ``waits`` waits."""
        return self.error(
            redact(
                f"{self.service} kept refusing {self.call_name(method, path)} for the rate "
                f"limit after {waits} waits ({self.describe(response)}){self.rate_limit_hint}"
            ),
            self.problem_of(response),
        )

    #: What the message of 429s that did not stop adds (e.g. which setting paces the run).
    rate_limit_hint = ""

    def refused(self, response: requests.Response, method: str, path: str) -> CrmflagsError:
        """Return the error for a 401 or 403 (AuthError, exit 3).

        A 401 refuses the credentials (:attr:`credentials_hint` says where they come
        from); a 403 refuses this call (:meth:`permission_hint` says what may be missing).
        """
        if response.status_code == 401:
            text = (
                f"{self.service} refused {self.credentials} ({self.describe(response)}); "
                f"{self.credentials_hint}"
            )
        else:
            text = (
                f"{self.service} refused {self.call_name(method, path)} "
                f"({self.describe(response)}){self.permission_hint(response)}"
            )
        return AuthError(redact(text))

    #: What a 401 message calls the credentials, and what it tells the user to check.
    credentials = "the credentials"
    credentials_hint = "check them"

    def permission_hint(self, response: requests.Response) -> str:
        """Return what a 403 message adds, e.g. ``; the token needs the scopes ...``."""
        return "; check what the credentials may do"

    def failed(self, response: requests.Response, method: str, path: str) -> CrmflagsError:
        """Return the error for any other status that is not a success (exit 5)."""
        return self.error(
            redact(
                f"{self.service} answered {self.call_name(method, path)} with "
                f"{self.describe(response)}{_after_retries(retries_of(response))}"
            ),
            self.problem_of(response),
        )

    def call_name(self, method: str, path: str) -> str:
        """Name a call in messages: ``GET /crm/v3/objects/companies`` (never the query)."""
        shown = urlsplit(path).path if self.show_path else ""
        return f"{method} {shown}" if shown else method

    # ----- sending -----------------------------------------------------------------------

    def _send(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        """Send one request, following redirects that keep the credentials on their host."""
        path = urlsplit(url).path
        for _ in range(MAX_REDIRECTS + 1):
            self.before_request(method, path)
            pacer = self.pacer_for(path)
            if pacer is not None:
                pacer.wait_turn()
            self.on_request()
            response = self._attempt(method, url, **kwargs)
            self.after_response(response)
            if not response.is_redirect:
                return response
            url = self._redirect_target(response, method, url)
            kwargs.pop("params", None)  # the new address carries its own query
        raise self.error(
            redact(
                f"{self.service} redirected {self.call_name(method, path)} more than "
                f"{MAX_REDIRECTS} times"
            )
        )

    def _attempt(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        """Send one request through the retrying session, each attempt within the deadline."""
        with deadline(self.timeout) as clock:
            try:
                response = self.session.request(
                    method, url, timeout=self.timeout, allow_redirects=False, **kwargs
                )
            except requests.RequestException as exc:
                raise self._unreachable(method, url, exc, clock.expired) from None
            if clock.expired:  # the answer ended at the deadline: it is not whole
                raise self._unreachable(method, url, None, True)
        return response

    def _unreachable(
        self, method: str, url: str, exc: requests.RequestException | None, expired: bool
    ) -> CrmError:
        """The error for no (whole) answer: host and path, never the URL or exc's text."""
        call = self.call_name(method, urlsplit(url).path)
        retried = ", even after retries" if self.retries and method in self.retried_methods else ""
        where = f"{self.service} ({self.host})"
        if expired or isinstance(exc, requests.Timeout):
            text = f"{where} did not answer {call} in full within {self.timeout:g} s{retried}"
        elif isinstance(exc, requests.exceptions.SSLError):
            text = f"could not reach {where} for {call}: the TLS connection failed{retried}"
        else:
            text = f"could not reach {where} for {call} ({_cause(exc)}){retried}"
        return self.error(redact(text))

    def _redirect_target(self, response: requests.Response, method: str, url: str) -> str:
        """Return where a redirect may be followed to; raise when it must not be."""
        target = urljoin(url, response.headers.get("Location", ""))
        call = self.call_name(method, urlsplit(url).path)
        status = response.status_code
        if _origin(target) != _origin(url):
            parts = urlsplit(target)
            raise self.error(
                redact(
                    f"{self.service} redirected {call} ({status}) to another address "
                    f"({parts.scheme}://{parts.netloc}): not followed, so the credentials "
                    f"stay with {self.host}; check the base URL"
                )
            )
        if not self.follow_redirects:
            raise self.error(redact(f"{self.service} answered {call} with a redirect ({status})"))
        if status not in KEEPING_REDIRECTS and method not in ("GET", "HEAD"):
            raise self.error(
                redact(
                    f"{self.service} answered {call} with a redirect ({status}) that would "
                    f"send it again as a GET without its body: not followed"
                )
            )
        return target


def retries_of(response: requests.Response) -> int:
    """Return how many times urllib3 sent the request again before this answer."""
    retries = getattr(getattr(response, "raw", None), "retries", None)
    history = getattr(retries, "history", None)
    return len(history) if history else 0


def _after_retries(count: int) -> str:
    if not count:
        return ""
    return f" after {count} {'retry' if count == 1 else 'retries'}"


def _origin(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) of a URL: what a credential is bound to."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower(), port or DEFAULT_PORTS.get(scheme)


def _cause(exc: requests.RequestException | None) -> str:
    """Say what failed without the exception's text (it holds the whole URL)."""
    inner = exc.args[0] if exc is not None and exc.args else None
    reason = getattr(inner, "reason", inner)
    if isinstance(reason, NewConnectionError):
        return "no connection"
    if isinstance(reason, ProtocolError):
        return "the connection was dropped"
    return type(reason if isinstance(reason, BaseException) else exc).__name__
