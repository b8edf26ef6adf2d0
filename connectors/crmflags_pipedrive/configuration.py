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
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from crmflags.connector import ConnectorOptions
from crmflags.errors import InputError, did_you_mean
from crmflags.model import ACTIVITY_KINDS
from crmflags.sections import (
    ApiSettings,
    At,
    Check,
    field_names,
    names,
    one_of,
    pacing,
    setting,
    whole_number,
)
from crmflags_pipedrive.mapping import DEFAULT_ACTIVITY_TYPES, MANUAL_FIELDS

TOKEN_ENV = {"api_token": "PIPEDRIVE_API_TOKEN", "oauth": "PIPEDRIVE_ACCESS_TOKEN"}
AUTH_KINDS = tuple(TOKEN_ENV)
#: Below the smallest burst limit: 20 requests per 2 s (Lite plan, API token).
DEFAULT_REQUESTS_PER_2S = 18
#: The largest burst limit of any plan (Ultimate, OAuth app).
MAX_REQUESTS_PER_2S = 480
DEFAULT_LOOKBACK_MINUTES = 15
_DOMAIN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")


def _domain(value: Any, at: At) -> str:
    """Accept ``mycompany``, ``mycompany.pipedrive.com`` or ``https://mycompany.pipedrive.com``."""
    text = str(value).strip().lower() if isinstance(value, str) else ""
    if "//" in text:
        text = urlsplit(text).hostname or ""
    text = text.removesuffix("/").removesuffix(".pipedrive.com")
    if not _DOMAIN.match(text):
        raise at.error(
            f"domain must be your Pipedrive company domain (mycompany for "
            f"https://mycompany.pipedrive.com), not {value!r}"
        )
    return text


def _activity_types(value: Any, at: At) -> dict[str, str | None]:
    if not isinstance(value, Mapping):
        raise at.error(
            "activity_types must map Pipedrive activity type keys (call, meeting, ...) to "
            f"crmflags kinds ({', '.join(ACTIVITY_KINDS)}) or null"
        )
    result = dict(DEFAULT_ACTIVITY_TYPES)
    for key, kind in value.items():
        if kind is not None and kind not in ACTIVITY_KINDS:
            raise InputError(
                f"activity type {key!r}: {kind!r} is not a crmflags kind"
                f"{did_you_mean(kind, ACTIVITY_KINDS)}; kinds are {', '.join(ACTIVITY_KINDS)} "
                "(or null to leave the type out)",
                at.where(value, key),
            )
        result[str(key)] = kind
    return result


def _outbound_types(value: Any, at: At) -> frozenset[str]:
    return frozenset(names("activity type key")(value, at))


@dataclass(frozen=True)
class PipedriveSettings(ApiSettings):
    """The settings of one pipedrive connector: ``pipedrive:`` in crmflags.yaml, declared once.

    ``token`` is the environment's (per ``auth``) or the ``token_file``'s; ``base_url``
    is ``--base-url``, else made from ``domain`` (see :class:`~crmflags.sections.ApiSettings`).
    """

    domain: str | None = setting(
        "your company domain, the part before .pipedrive.com; names the source too",
        Check("a company domain", _domain),
        shown_default="required unless --base-url",
    )
    auth: str = setting(
        "api_token: $PIPEDRIVE_API_TOKEN; oauth: $PIPEDRIVE_ACCESS_TOKEN, sent as a bearer token",
        one_of(AUTH_KINDS),
        default="api_token",
    )
    requests_per_2s: int = pacing(
        MAX_REQUESTS_PER_2S, DEFAULT_REQUESTS_PER_2S, "your plan's burst limit"
    )
    lookback_minutes: int = setting(
        "incremental reads start this long before the last run",
        whole_number(1, 7 * 24 * 60),
        default=DEFAULT_LOOKBACK_MINUTES,
        transport=True,
    )
    fields: dict[str, str | None] = setting(
        "the organization field (by name) behind a manual field",
        field_names(MANUAL_FIELDS, "Pipedrive organization field name"),
        default_factory=lambda: dict(MANUAL_FIELDS),
    )
    extra_fields: tuple[str, ...] = setting(
        "other organization fields to read into the client's fields",
        names("organization field"),
        default=(),
    )
    activity_types: dict[str, str | None] = setting(
        "Pipedrive activity type key -> crmflags kind, or null to leave the type out",
        Check("a mapping of type key: crmflags kind", _activity_types),
        default_factory=lambda: dict(DEFAULT_ACTIVITY_TYPES),
        shown_default="call, email, meeting; lunch as meeting; task, deadline left out",
    )
    outbound_types: frozenset[str] = setting(
        "activity types that are outbound (all others count as inbound)",
        Check("a list of activity type keys", _outbound_types),
        default=frozenset(),
    )


def load_settings(options: ConnectorOptions) -> PipedriveSettings:
    """Return the connector's settings; raise InputError (with file:line) for a bad one."""
    values = options.section_values(PipedriveSettings, "pipedrive")
    auth = values.get("auth", "api_token")
    what = "an API token" if auth == "api_token" else "an OAuth access token"
    token = options.secret("pipedrive", TOKEN_ENV[auth], what)
    base_url = options.checked_base_url("https://mycompany.pipedrive.com")
    if base_url is None and values.get("domain"):
        base_url = f"https://{values['domain']}.pipedrive.com"
    elif base_url is None:
        raise InputError(
            "the pipedrive connector needs your company domain: domain: mycompany under "
            "pipedrive: in crmflags.yaml (the part before .pipedrive.com in the app's address), "
            "or --base-url"
        )
    return PipedriveSettings(token=token, base_url=base_url, **values)
