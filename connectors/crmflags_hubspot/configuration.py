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

from dataclasses import dataclass
from typing import Any

from crmflags.connector import ConnectorOptions
from crmflags.sections import ApiSettings, At, Check, field_names, names, one_of, pacing, setting
from crmflags_hubspot.mapping import MANUAL_PROPERTIES

TOKEN_ENV = "HUBSPOT_TOKEN"
DEFAULT_BASE_URL = "https://api.hubapi.com"
OBJECT_TYPES = ("companies",)
#: HubSpot's smallest burst limit is 100 requests per 10 s (Free and Starter).
DEFAULT_REQUESTS_PER_10S = 90
MAX_REQUESTS_PER_10S = 250


def _portal(value: Any, at: At) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).strip():
        raise at.error("portal must be the portal (hub) id")
    return str(value).strip()


@dataclass(frozen=True)
class HubSpotSettings(ApiSettings):
    """The settings of one hubspot connector: ``hubspot:`` in crmflags.yaml, declared once.

    ``token`` is $HUBSPOT_TOKEN or the ``token_file``'s; ``base_url`` is ``--base-url``,
    else :data:`DEFAULT_BASE_URL` (see :class:`~crmflags.sections.ApiSettings`).
    """

    portal: str | None = setting(
        "your portal (hub) id: names this source in the state store",
        Check("a portal id", _portal),
        shown_default="the API host",
    )
    object_type: str = setting(
        "the HubSpot object read as clients", one_of(OBJECT_TYPES), default="companies"
    )
    requests_per_10s: int = pacing(
        MAX_REQUESTS_PER_10S, DEFAULT_REQUESTS_PER_10S, "your app's burst limit"
    )
    properties: dict[str, str | None] = setting(
        "the HubSpot property behind a manual field, for those not at the default",
        field_names(MANUAL_PROPERTIES, "HubSpot internal property name"),
        default_factory=lambda: dict(MANUAL_PROPERTIES),
    )
    fields: tuple[str, ...] = setting(
        "other properties to read into the client's fields (e.g. for rules backtest)",
        names("HubSpot property name"),
        default=(),
    )


def load_settings(options: ConnectorOptions) -> HubSpotSettings:
    """Return the connector's settings; raise InputError (with file:line) for a bad one."""
    values = options.section_values(HubSpotSettings, "hubspot")
    return HubSpotSettings(
        token=options.secret("hubspot", TOKEN_ENV, "a private app token"),
        base_url=options.checked_base_url(DEFAULT_BASE_URL) or DEFAULT_BASE_URL,
        **values,
    )
