"""Tell plugins when a client's level changes, and the built-in webhook notifier.

After a sync has written its changes, :func:`notify_level_changes` calls every
plugin's ``level_changed`` hook once per changed client. A notifier never fails the
sync: whatever it raises becomes a problem line naming the plugin.

The webhook notifier POSTs :meth:`LevelChange.to_json` to the ``url`` of the
``webhook:`` section of ``crmflags.yaml``, retried through urllib3's ``Retry``, and
signs the body with HMAC-SHA256 when ``secret_env`` names a variable holding a secret.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.util import Retry

from crmflags import __version__
from crmflags.events import LevelChange, NotifyProblem
from crmflags.loading.plugins import Plugins, raise_plugin_errors
from crmflags.logs import redact, register_secret
from crmflags.sections import env_var, http_url, seconds, setting, some_of, whole_number
from crmflags.tags import LEVELS

SIGNATURE_HEADER = "X-Crmflags-Signature"
RETRY_STATUSES = (429, 500, 502, 503, 504)
#: Seconds of urllib3's exponential backoff between retries (0 for the first one).
BACKOFF_FACTOR = 0.5
#: The longest a ``Retry-After`` header may make a retry wait, in seconds.
MAX_RETRY_AFTER = 30.0
MAX_RETRIES = 10


def notify_level_changes(
    plugins: Plugins,
    changes: list[LevelChange],
    config: Mapping[str, Any],
    sections: Mapping[str, Any] | None = None,
) -> list[str]:
    """Call every plugin's ``level_changed`` for each change; return the problems met.

    ``config`` is crmflags.yaml as a mapping, ``sections`` the plugins' sections read
    from it (:attr:`crmflags.loading.config.Config.plugin_settings`).

    A hook that raises is reported by the plugin's name and the other hooks and
    changes go on; this function never raises. Registered secrets are redacted.
    """
    problems = []
    callers = plugins.each_caller("level_changed")
    for change in changes:
        for name, call in callers:
            try:
                call(change=change, config=config, sections=sections or {})
            except NotifyProblem as exc:
                problems.append(f"{plugins.describe(name)}: {exc}")
            except Exception as exc:  # a notifier must not fail the sync
                if raise_plugin_errors():
                    raise
                problems.append(
                    f"{plugins.describe(name)}: level_changed failed for client "
                    f"{change.client_id}: {type(exc).__name__}: {exc}"
                )
    return [redact(problem) for problem in problems]


@dataclass(frozen=True)
class WebhookConfig:
    """The ``webhook:`` section of ``crmflags.yaml``, declared for ``register_sections``."""

    url: str = setting("where the changes are POSTed", http_url(), required=True)
    levels: tuple[str, ...] = setting(
        "only changes to these levels are sent", some_of(LEVELS, "level"), default=LEVELS
    )
    timeout: float = setting("how long one request may take", seconds(), default=10.0)
    retries: int = setting(
        "how often a 429, 5xx or timeout is retried", whole_number(0, MAX_RETRIES), default=3
    )
    secret_env: str | None = setting(
        "signs each body (HMAC-SHA256) with the secret this variable holds", env_var()
    )


def shown_url(url: str) -> str:
    """Return ``scheme://host[:port]/path`` of a URL: no user, password, query or fragment."""
    parts = urlsplit(url)
    host = f"[{parts.hostname}]" if ":" in (parts.hostname or "") else parts.hostname
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


def sign(body: bytes, secret: str) -> str:
    """Return the signature header value of a body: ``sha256=<hex HMAC-SHA256>``."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


class _CappedRetry(Retry):
    """urllib3's Retry, with a server's Retry-After capped so that cron never waits long."""

    def parse_retry_after(self, retry_after: str) -> float:
        return min(super().parse_retry_after(retry_after), MAX_RETRY_AFTER)


class WebhookNotifier:
    """POSTs level changes to one webhook; a failure is returned as a problem, never raised.

    After a final failure (no connection, no answer, or a retried status to the
    end) the rest of that run's changes are skipped rather than waited for.
    """

    def __init__(self, config: WebhookConfig, backoff_factor: float = BACKOFF_FACTOR) -> None:
        self.config = config
        self.target = f"webhook {shown_url(config.url)}"
        self.session = requests.Session()
        retry = _CappedRetry(
            total=config.retries,
            backoff_factor=backoff_factor,
            status_forcelist=RETRY_STATUSES,
            allowed_methods=frozenset({"POST"}),
            respect_retry_after_header=True,
            raise_on_status=False,
        )
        adapter = HTTPAdapter(max_retries=retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self._failed_run: str | None = None

    def send(self, change: LevelChange) -> str | None:
        """POST the change if its new level is one of ``levels``; return a problem or None."""
        if change.new_level not in self.config.levels:
            return None
        client = f"client {change.client_id}"
        if change.run_id == self._failed_run:
            return f"{self.target} skipped for {client}: it failed earlier in this run"
        body = json.dumps(change.to_json(), ensure_ascii=False, separators=(",", ":"))
        data = body.encode("utf-8")
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": f"crmflags/{__version__}",
        }
        if self.config.secret_env:
            secret = os.environ.get(self.config.secret_env, "")
            if not secret:
                return (
                    f"{self.target} not called for {client}: the environment variable "
                    f"{self.config.secret_env} (secret_env) is not set"
                )
            register_secret(secret)
            headers[SIGNATURE_HEADER] = sign(data, secret)
        try:
            response = self.session.post(
                self.config.url, data=data, headers=headers, timeout=self.config.timeout
            )
        except requests.RequestException as exc:
            self._failed_run = change.run_id
            return f"{self.target} failed for {client}: {self._describe(exc)}"
        if 200 <= response.status_code < 300:
            return None
        if response.status_code in RETRY_STATUSES:
            self._failed_run = change.run_id
        retried = len(response.raw.retries.history) if response.raw.retries else 0
        return f"{self.target} failed for {client}: {response.status_code}{_after(retried)}"

    def _describe(self, exc: requests.RequestException) -> str:
        """Say what went wrong without the exception's text, which holds the full URL."""
        reason = getattr(exc.args[0], "reason", None) if exc.args else None
        retries = _after(self.config.retries)
        # urllib3's NewConnectionError subclasses its TimeoutError: test it first.
        refused = isinstance(reason, urllib3.exceptions.NewConnectionError)
        if not refused and (
            isinstance(exc, requests.Timeout) or isinstance(reason, urllib3.exceptions.TimeoutError)
        ):
            return f"no answer within {self.config.timeout:g} s{retries}"
        if isinstance(exc, requests.exceptions.SSLError):
            return f"TLS failed{retries}"
        if isinstance(exc, requests.ConnectionError):
            return f"could not connect{retries}"
        return type(exc).__name__


def _after(retries: int) -> str:
    if not retries:
        return ""
    return f" after {retries} {'retry' if retries == 1 else 'retries'}"
