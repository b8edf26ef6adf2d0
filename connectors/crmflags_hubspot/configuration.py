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

from dataclasses import dataclass, field
from typing import Any

from crmflags.connector import ConnectorOptions
from crmflags.errors import InputError
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
    result: dict[str, Any] = {
        "token": options.secret("hubspot", TOKEN_ENV, "a private app token"),
        "base_url": options.checked_base_url(DEFAULT_BASE_URL) or DEFAULT_BASE_URL,
    }
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
        result["requests_per_10s"] = options.whole_number_setting(
            "requests_per_10s", 1, MAX_REQUESTS_PER_10S
        )
    if "timeout" in config:
        result["timeout"] = options.seconds_setting("timeout")
    if "properties" in config:
        result["properties"] = options.field_names_setting(
            "properties", MANUAL_PROPERTIES, "HubSpot internal property name"
        )
    if "fields" in config:
        result["fields"] = options.names_setting("fields", "HubSpot property name")
    return HubSpotSettings(**result)
