"""The hubspot connector's settings: token, base URL, portal, pacing and property names.

From the environment and the ``hubspot:`` section of crmflags.yaml::

    hubspot:
      token_file: ~/.config/crmflags/hubspot-token   # used when HUBSPOT_TOKEN is not set
      portal: 1234567            # the portal (hub) id: names the state store's source
      object_type: companies     # the only type in this version
      requests_per_10s: 90       # pacing, below the app's burst limit
      timeout: 30                # seconds per request
      properties:                # the HubSpot property behind a manual field
        hourly_rate_target: crmflags_hourly_rate_target
        team_morale: morale_score
      fields: [lifecyclestage]   # other properties to read into Client.fields

``--base-url`` replaces ``https://api.hubapi.com`` (a sandbox or a fake server).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from crmflags.connector import ConnectorOptions
from crmflags.errors import InputError, did_you_mean
from crmflags_hubspot.mapping import MANUAL_PROPERTIES

TOKEN_ENV = "HUBSPOT_TOKEN"
DEFAULT_BASE_URL = "https://api.hubapi.com"
OBJECT_TYPES = ("companies",)
SETTINGS = (
    "token_file",
    "portal",
    "object_type",
    "requests_per_10s",
    "timeout",
    "properties",
    "fields",
)
#: HubSpot's smallest burst limit is 100 requests per 10 s (Free and Starter).
DEFAULT_REQUESTS_PER_10S = 90
MAX_REQUESTS_PER_10S = 250


@dataclass(frozen=True)
class HubSpotSettings:
    """The validated settings of one hubspot connector."""

    token: str
    base_url: str = DEFAULT_BASE_URL
    portal: str | None = None
    object_type: str = "companies"
    requests_per_10s: int = DEFAULT_REQUESTS_PER_10S
    timeout: float = 30.0
    properties: dict[str, str | None] = field(default_factory=lambda: dict(MANUAL_PROPERTIES))
    fields: tuple[str, ...] = ()


def load_settings(options: ConnectorOptions) -> HubSpotSettings:
    """Return the connector's settings; raise InputError (with file:line) for a bad one."""
    config = options.config
    options.check_keys("hubspot", SETTINGS)
    result: dict[str, Any] = {"token": _token(options)}
    result["base_url"] = _base_url(options.base_url or DEFAULT_BASE_URL)
    if "portal" in config:
        portal = config["portal"]
        if isinstance(portal, bool) or not isinstance(portal, (int, str)) or not str(portal):
            raise InputError(
                "portal must be the portal (hub) id", options.place_of(config, "portal")
            )
        result["portal"] = str(portal).strip()
    if "object_type" in config:
        if config["object_type"] not in OBJECT_TYPES:
            raise InputError(
                f"object_type must be one of {', '.join(OBJECT_TYPES)} in this version",
                options.place_of(config, "object_type"),
            )
        result["object_type"] = config["object_type"]
    if "requests_per_10s" in config:
        value = config["requests_per_10s"]
        if not _whole(value) or not 1 <= value <= MAX_REQUESTS_PER_10S:
            raise InputError(
                f"requests_per_10s must be a whole number 1-{MAX_REQUESTS_PER_10S}",
                options.place_of(config, "requests_per_10s"),
            )
        result["requests_per_10s"] = value
    if "timeout" in config:
        value = config["timeout"]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
            raise InputError(
                "timeout must be a number of seconds above 0", options.place_of(config, "timeout")
            )
        result["timeout"] = float(value)
    if "properties" in config:
        result["properties"] = _properties(options, config["properties"])
    if "fields" in config:
        result["fields"] = _fields(options, config["fields"])
    return HubSpotSettings(**result)


def _token(options: ConnectorOptions) -> str:
    token = os.environ.get(TOKEN_ENV, "").strip()
    if token:
        return token
    path = options.path_setting("token_file", "a file holding the token")
    if path is None:
        raise InputError(
            f"the hubspot connector needs a private app token: set the environment variable "
            f"{TOKEN_ENV}, or name a file holding it as token_file: under hubspot: in "
            "crmflags.yaml"
        )
    where = options.place_of(options.config, "token_file")
    try:
        token = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or "not UTF-8 text"
        raise InputError(f"cannot read the token file {path} ({reason})", where) from None
    if not token:
        raise InputError(f"the token file {path} is empty", where)
    return token


def _base_url(url: str) -> str:
    try:
        parts = urlsplit(url)
        good = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        good = False
    if not good or parts.query or parts.fragment or parts.username or parts.password:
        raise InputError(f"--base-url must be an http:// or https:// address, not {url!r}")
    return url.rstrip("/")


def _properties(options: ConnectorOptions, value: Any) -> dict[str, str | None]:
    where = options.place_of(options.config, "properties")
    if not isinstance(value, Mapping):
        raise InputError(
            f"properties must map fields ({', '.join(MANUAL_PROPERTIES)}) to HubSpot "
            "property names",
            where,
        )
    result = dict(MANUAL_PROPERTIES)
    for name, prop in value.items():
        if name not in MANUAL_PROPERTIES:
            raise InputError(
                f"unknown field {name!r}{did_you_mean(name, MANUAL_PROPERTIES)} under properties; "
                f"fields are {', '.join(MANUAL_PROPERTIES)}",
                options.place_of(value, name),
            )
        if prop is not None and (not isinstance(prop, str) or not prop.strip()):
            raise InputError(
                f"the property for {name} must be a HubSpot internal property name (or null)",
                options.place_of(value, name),
            )
        result[name] = prop.strip() if prop else None
    return result


def _fields(options: ConnectorOptions, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise InputError(
            "fields must be a list of HubSpot property names",
            options.place_of(options.config, "fields"),
        )
    return tuple(v.strip() for v in value)


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
