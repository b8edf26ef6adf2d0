"""Tell plugins when a client's level changes, and the built-in webhook notifier.

After a sync has written its changes, :func:`notify_level_changes` calls every
plugin's ``level_changed`` hook once per changed client. A notifier never fails the
sync: whatever it raises becomes a problem line naming the plugin.

The webhook notifier POSTs :meth:`LevelChange.to_json` to the ``url`` of the
``webhook:`` section of ``crmflags.yaml`` through :class:`crmflags.http.ApiClient`
(retried, each attempt within ``timeout``, no redirect followed), and signs the body
with HMAC-SHA256 when ``secret_env`` names a variable holding a secret. The URL is a
secret (Slack, Discord and Teams put the key in its path): it is registered for
masking, and messages name only its scheme, host and port.
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

from crmflags.errors import CrmError, CrmflagsError
from crmflags.events import LevelChange, NotifyProblem
from crmflags.http import ApiClient
from crmflags.loading.plugins import Plugins, raise_plugin_errors
from crmflags.logs import redact, register_secret, register_url
from crmflags.sections import env_var, http_url, seconds, setting, some_of, whole_number
from crmflags.tags import LEVELS

SIGNATURE_HEADER = "X-Crmflags-Signature"
#: Answers sent again (429 too, after its Retry-After: see ApiClient).
RETRY_STATUSES = (500, 502, 503, 504)
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
    """Return ``scheme://host[:port]`` of a URL: its path and query may be the secret."""
    parts = urlsplit(url)
    host = f"[{parts.hostname}]" if ":" in (parts.hostname or "") else parts.hostname
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}"


def sign(body: bytes, secret: str) -> str:
    """Return the signature header value of a body: ``sha256=<hex HMAC-SHA256>``."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


class WebhookClient(ApiClient):
    """The webhook's HTTP: POSTs retried, no redirect followed, and the path kept secret.

    Every failure is a :class:`crmflags.errors.CrmError` whose ``problem`` is the
    status answered (None when there was no answer): a refusal (401/403) is a failed
    delivery like any other, never an exit code of the sync.
    """

    service = "the webhook"
    show_path = False

    def problem_of(self, response: Any) -> int:
        """The status of a failed delivery."""
        return response.status_code

    def refused(self, response: Any, method: str, path: str) -> CrmflagsError:
        """A 401 or 403 is a failed delivery, reported like the others."""
        return self.failed(response, method, path)


class WebhookNotifier:
    """POSTs level changes to one webhook; a failure is returned as a problem, never raised.

    After a failure the receiver will not get over within the run (no answer, a
    redirect, a retried status to the end) the rest of that run's changes are
    skipped rather than waited for.
    """

    def __init__(self, config: WebhookConfig, backoff_factor: float = BACKOFF_FACTOR) -> None:
        self.config = config
        self.target = f"webhook {shown_url(config.url)}"
        register_url(config.url)
        self.client = WebhookClient(
            config.url,
            headers={"Content-Type": "application/json; charset=utf-8"},
            timeout=config.timeout,
            retries=config.retries,
            backoff_factor=backoff_factor,
            retry_statuses=RETRY_STATUSES,
            retried_methods=("POST",),
            rate_limit_waits=config.retries,
            max_wait=MAX_RETRY_AFTER,
            follow_redirects=False,
        )
        self._failed_run: int | None = None

    def send(self, change: LevelChange) -> str | None:
        """POST the change if its new level is one of ``levels``; return a problem or None."""
        if change.new_level not in self.config.levels:
            return None
        client = f"client {change.client_id}"
        if change.run_id == self._failed_run:
            return f"{self.target} skipped for {client}: it failed earlier in this run"
        body = json.dumps(change.to_json(), ensure_ascii=False, separators=(",", ":"))
        data = body.encode("utf-8")
        headers = {}
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
            self.client.request("POST", "", data=data, headers=headers)
        except CrmError as exc:
            status = exc.problem
            if not isinstance(status, int) or status >= 500 or status == 429:
                self._failed_run = change.run_id
            return redact(f"{self.target} failed for {client}: {exc}")
        return None
