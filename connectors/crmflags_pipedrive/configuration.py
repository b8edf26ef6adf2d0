"""The pipedrive connector's settings: token, company domain, pacing and field names.

From the environment and the ``pipedrive:`` section of crmflags.yaml::

    pipedrive:
      domain: mycompany              # https://mycompany.pipedrive.com: names the source too
      auth: api_token                # or oauth (an access token, sent as a bearer token)
      token_file: ~/.config/crmflags/pipedrive-token   # when the environment has none
      requests_per_2s: 18            # pacing, below the plan's burst limit (Lite: 20)
      timeout: 30                    # seconds per request
      lookback_minutes: 15           # incremental reads start this long before the last run
      fields:                        # the organization field behind a manual field, by name
        hourly_rate_target: Hourly rate
        business_type: Industry
      extra_fields: [Outcome]        # other organization fields to read into Client.fields
      activity_types:                # Pipedrive activity type key -> crmflags kind (null: skip)
        lunch: meeting
      outbound_types: [outgoing_call]   # activity types that are outbound (others inbound)

The token is ``$PIPEDRIVE_API_TOKEN`` (``auth: api_token``) or ``$PIPEDRIVE_ACCESS_TOKEN``
(``auth: oauth``), else the file ``token_file:`` names. ``--base-url`` replaces
``https://<domain>.pipedrive.com`` (a sandbox, a proxy, the tests' fake).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from crmflags.connector import ConnectorOptions
from crmflags.errors import InputError, did_you_mean
from crmflags.model import ACTIVITY_KINDS
from crmflags_pipedrive.mapping import DEFAULT_ACTIVITY_TYPES, MANUAL_FIELDS

TOKEN_ENV = {"api_token": "PIPEDRIVE_API_TOKEN", "oauth": "PIPEDRIVE_ACCESS_TOKEN"}
AUTH_KINDS = tuple(TOKEN_ENV)
SETTINGS = (
    "domain",
    "auth",
    "token_file",
    "requests_per_2s",
    "timeout",
    "lookback_minutes",
    "fields",
    "extra_fields",
    "activity_types",
    "outbound_types",
)
#: Below the smallest burst limit: 20 requests per 2 s (Lite plan, API token).
DEFAULT_REQUESTS_PER_2S = 18
#: The largest burst limit of any plan (Ultimate, OAuth app).
MAX_REQUESTS_PER_2S = 480
DEFAULT_LOOKBACK_MINUTES = 15
_DOMAIN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")


@dataclass(frozen=True)
class PipedriveSettings:
    """The validated settings of one pipedrive connector."""

    token: str
    base_url: str
    domain: str | None = None
    auth: str = "api_token"
    requests_per_2s: int = DEFAULT_REQUESTS_PER_2S
    timeout: float = 30.0
    lookback_minutes: int = DEFAULT_LOOKBACK_MINUTES
    fields: dict[str, str | None] = field(default_factory=lambda: dict(MANUAL_FIELDS))
    extra_fields: tuple[str, ...] = ()
    activity_types: dict[str, str | None] = field(
        default_factory=lambda: dict(DEFAULT_ACTIVITY_TYPES)
    )
    outbound_types: frozenset[str] = frozenset()


def load_settings(options: ConnectorOptions) -> PipedriveSettings:
    """Return the connector's settings; raise InputError (with file:line) for a bad one."""
    config = options.config
    options.check_keys("pipedrive", SETTINGS)
    result: dict[str, Any] = {}
    if "auth" in config:
        if config["auth"] not in AUTH_KINDS:
            raise InputError(
                f"auth must be one of {', '.join(AUTH_KINDS)}, not {config['auth']!r}"
                f"{did_you_mean(config['auth'], AUTH_KINDS)}",
                options.place_of(config, "auth"),
            )
        result["auth"] = config["auth"]
    auth = result.get("auth", "api_token")
    what = "an API token" if auth == "api_token" else "an OAuth access token"
    result["token"] = options.secret("pipedrive", TOKEN_ENV[auth], what)
    if "domain" in config:
        result["domain"] = _domain(options, config["domain"])
    if options.base_url:
        result["base_url"] = options.checked_base_url("https://mycompany.pipedrive.com")
    elif result.get("domain"):
        result["base_url"] = f"https://{result['domain']}.pipedrive.com"
    else:
        raise InputError(
            "the pipedrive connector needs your company domain: domain: mycompany under "
            "pipedrive: in crmflags.yaml (the part before .pipedrive.com in the app's address), "
            "or --base-url"
        )
    for key, top in (
        ("requests_per_2s", MAX_REQUESTS_PER_2S),
        ("lookback_minutes", 7 * 24 * 60),
    ):
        if key in config:
            result[key] = options.whole_number_setting(key, 1, top)
    if "timeout" in config:
        result["timeout"] = options.seconds_setting("timeout")
    if "fields" in config:
        result["fields"] = options.field_names_setting(
            "fields", MANUAL_FIELDS, "Pipedrive organization field name"
        )
    if "extra_fields" in config:
        result["extra_fields"] = options.names_setting("extra_fields", "organization field")
    if "activity_types" in config:
        result["activity_types"] = _activity_types(options, config["activity_types"])
    if "outbound_types" in config:
        result["outbound_types"] = frozenset(
            options.names_setting("outbound_types", "activity type key")
        )
    return PipedriveSettings(**result)


def _domain(options: ConnectorOptions, value: Any) -> str:
    """Accept ``mycompany``, ``mycompany.pipedrive.com`` or ``https://mycompany.pipedrive.com``."""
    text = str(value).strip().lower() if isinstance(value, str) else ""
    if "//" in text:
        text = urlsplit(text).hostname or ""
    text = text.removesuffix("/").removesuffix(".pipedrive.com")
    if not _DOMAIN.match(text):
        raise InputError(
            f"domain must be your Pipedrive company domain (mycompany for "
            f"https://mycompany.pipedrive.com), not {value!r}",
            options.place_of(options.config, "domain"),
        )
    return text


def _activity_types(options: ConnectorOptions, value: Any) -> dict[str, str | None]:
    if not isinstance(value, Mapping):
        raise InputError(
            "activity_types must map Pipedrive activity type keys (call, meeting, ...) to "
            f"crmflags kinds ({', '.join(ACTIVITY_KINDS)}) or null",
            options.place_of(options.config, "activity_types"),
        )
    result = dict(DEFAULT_ACTIVITY_TYPES)
    for key, kind in value.items():
        if kind is not None and kind not in ACTIVITY_KINDS:
            raise InputError(
                f"activity type {key!r}: {kind!r} is not a crmflags kind"
                f"{did_you_mean(kind, ACTIVITY_KINDS)}; kinds are {', '.join(ACTIVITY_KINDS)} "
                "(or null to leave the type out)",
                options.place_of(value, key),
            )
        result[str(key)] = kind
    return result
