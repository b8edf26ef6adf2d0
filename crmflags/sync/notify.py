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

import difflib
import hashlib
import hmac
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from crmflags.errors import CrmError, CrmflagsError, InputError, place
from crmflags.http import ApiClient
from crmflags.loading.plugins import Plugins
from crmflags.loading.yamlfile import YamlMap, is_finite_number
from crmflags.logs import redact, register_secret, register_url
from crmflags.tags import LEVELS

SIGNATURE_HEADER = "X-Crmflags-Signature"
#: Answers sent again (429 too, after its Retry-After: see ApiClient).
RETRY_STATUSES = (500, 502, 503, 504)
#: Seconds of urllib3's exponential backoff between retries (0 for the first one).
BACKOFF_FACTOR = 0.5
#: The longest a ``Retry-After`` header may make a retry wait, in seconds.
MAX_RETRY_AFTER = 30.0
MAX_RETRIES = 10
WEBHOOK_KEYS = ("url", "levels", "timeout", "retries", "secret_env")

_SECRET_KEY = re.compile(r"(token|secret|password|passwd|api_?key)$", re.IGNORECASE)
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class LevelChange:
    """A client whose level changed in a sync; ``old_level`` is None on the first sync.

    ``reasons`` are dicts as in the JSON result: rule, tag, weight, message,
    evidence, advice.
    """

    source: str
    run_id: int
    client_id: str
    client_name: str
    old_level: str | None
    new_level: str
    tags: list[str]
    reasons: list[dict[str, Any]]

    def to_json(self) -> dict[str, Any]:
        """Return the change as the webhook's JSON body (``"event": "level_changed"``)."""
        return {
            "event": "level_changed",
            "source": self.source,
            "run_id": self.run_id,
            "client": {"id": self.client_id, "name": self.client_name},
            "old_level": self.old_level,
            "new_level": self.new_level,
            "tags": list(self.tags),
            "reasons": [dict(reason) for reason in self.reasons],
        }


class NotifyProblem(Exception):
    """Raised by a ``level_changed`` hook to report a problem in its own words."""


def notify_level_changes(
    plugins: Plugins, changes: list[LevelChange], config: Mapping[str, Any]
) -> list[str]:
    """Call every plugin's ``level_changed`` for each change; return the problems met.

    A hook that raises is reported by the plugin's name and the other hooks and
    changes go on; this function never raises. Registered secrets are redacted.
    """
    problems = []
    for change in changes:
        arguments = {"change": change, "config": config}
        for impl in plugins.manager.hook.level_changed.get_hookimpls():
            try:
                impl.function(*[arguments[name] for name in impl.argnames])
            except NotifyProblem as exc:
                problems.append(f"{_plugin(plugins, impl.plugin_name)}: {exc}")
            except Exception as exc:  # a notifier must not fail the sync
                problems.append(
                    f"{_plugin(plugins, impl.plugin_name)}: level_changed failed for client "
                    f"{change.client_id}: {type(exc).__name__}: {exc}"
                )
    return [redact(problem) for problem in problems]


def _plugin(plugins: Plugins, name: str) -> str:
    info = plugins.infos.get(name)
    return f"plugin {name} ({info.distribution} {info.version})" if info else f"plugin {name}"


@dataclass(frozen=True)
class WebhookConfig:
    """The validated ``webhook:`` section of ``crmflags.yaml``."""

    url: str
    levels: tuple[str, ...] = LEVELS
    timeout: float = 10.0
    retries: int = 3
    secret_env: str | None = None


def validate_webhook_config(section: Mapping[str, Any], path: Path | str) -> WebhookConfig:
    """Check the ``webhook:`` section; raise InputError with ``crmflags.yaml:line`` if wrong."""
    if not isinstance(section, Mapping):
        raise InputError(
            f"webhook must be a mapping of settings: {', '.join(WEBHOOK_KEYS)}",
            place(path, getattr(section, "line", None)),
        )

    def where(key: str) -> str:
        return place(path, section.line_of(key) if isinstance(section, YamlMap) else None)

    for key in section:
        if _SECRET_KEY.search(str(key)) and not str(key).endswith("_env"):
            raise InputError(
                f"{key!r}: secrets never go in crmflags.yaml; put the secret in an "
                "environment variable and give its name as secret_env:",
                where(key),
            )
        if key not in WEBHOOK_KEYS:
            hint = difflib.get_close_matches(str(key), WEBHOOK_KEYS, n=1)
            extra = f" (did you mean {hint[0]!r}?)" if hint else ""
            raise InputError(
                f"unknown webhook setting {key!r}{extra}; settings are {', '.join(WEBHOOK_KEYS)}",
                where(key),
            )
    if "url" not in section:
        raise InputError("webhook needs url: (an http or https address)", where("url"))
    result: dict[str, Any] = {"url": _url(section["url"], where("url"))}
    if "levels" in section:
        result["levels"] = _levels(section["levels"], where("levels"))
    if "timeout" in section:
        timeout = section["timeout"]
        if not is_finite_number(timeout) or timeout <= 0:
            raise InputError("timeout must be a number of seconds above 0", where("timeout"))
        result["timeout"] = float(timeout)
    if "retries" in section:
        retries = section["retries"]
        whole = isinstance(retries, int) and not isinstance(retries, bool)
        if not whole or not 0 <= retries <= MAX_RETRIES:
            raise InputError(f"retries must be a whole number 0-{MAX_RETRIES}", where("retries"))
        result["retries"] = retries
    if "secret_env" in section:
        name = section["secret_env"]
        # The value is not echoed: it may be the secret itself, put in by mistake.
        if not isinstance(name, str) or not _ENV_NAME.fullmatch(name):
            raise InputError(
                "secret_env must be the name of an environment variable (letters, digits, _)",
                where("secret_env"),
            )
        result["secret_env"] = name
    return WebhookConfig(**result)


def _url(value: Any, where: str) -> str:
    good = isinstance(value, str) and not any(c.isspace() for c in value)
    if good:
        try:
            parts = urlsplit(value)
            good = parts.scheme in ("http", "https") and bool(parts.hostname) and parts.port != 0
        except ValueError:  # a port that is not a number, a broken IPv6 address
            good = False
    if not good:
        raise InputError("url must be an http:// or https:// address", where)
    register_url(value)
    return value


def _levels(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise InputError(f"levels must be a list of some of {', '.join(LEVELS)}", where)
    for level in value:
        if level not in LEVELS:
            raise InputError(f"unknown level {level!r}; levels are {', '.join(LEVELS)}", where)
    return tuple(level for level in LEVELS if level in value)


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
