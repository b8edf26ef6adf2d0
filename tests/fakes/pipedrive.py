"""A stateful fake of the Pipedrive API on 127.0.0.1, for the connector's integration tests.

Every rule the fake enforces cites the section of ``/work/shared/reference/pipedrive.md`` it
comes from (``§n``); facts the reference marks UNCONFIRMED are implemented as its best guess and
say so in a comment.  The OpenAPI files in ``/work/shared/specs/pipedrive/`` are ``[v1]``/``[v2]``.

Public API (the connector tests use only this)::

    from fakes.pipedrive import FakePipedrive

    with FakePipedrive() as fake:              # token "test-token", plan "lite", 1 seat
        org_ids = fake.seed(10_000, seed=1)    # orgs + persons, deals, activities, notes
        fake.base_url                          # "http://127.0.0.1:PORT"; the API lives under
                                               # /api/v2/... and /api/v1/... (or /v1/...)
        fake.token                             # send as x-api-token (or ?api_token=, or
                                               # Authorization: Bearer for fake.oauth_token)

Starting: ``FakePipedrive(token="test-token", *, plan="lite", seats=1, burst_limit=None,
burst_window=2.0, daily_budget=None, oauth_token="test-oauth-token")``.  ``burst_limit`` (API
token) and ``oauth_burst_limit`` default to the plan's burst (§12: lite 20/80, growth 40/160,
premium 100/400, ultimate 120/480 per 2 s); a ``burst_limit`` given sets both.  ``daily_budget``
defaults to 30,000 x plan multiplier x seats (§12).  These are plain attributes a test may change
(e.g. ``fake.burst_limit = 10_000`` for a fast 10k sync).  Token costs follow §14, so a full
sync of ``seed(10_000)`` plus one PATCH per organization costs about 52,000 tokens: more than a
lite single seat's 30,000 (give ``daily_budget=`` or ``plan=``/``seats=`` when a test needs it).
``fake.retry_after = True`` adds ``Retry-After`` to 429s (UNCONFIRMED in §12: off by default);
``fake.daily_token_headers = False`` drops the UNCONFIRMED ``x-daily-ratelimit-token-*`` headers;
``fake.list_deleted = True`` makes the v2 list endpoints return soft-deleted items (§9 UNCONFIRMED;
off by default); ``fake.accept_query_token = False`` refuses ``?api_token=`` (§1 UNCONFIRMED).

Seeding and state (all thread-safe; dicts returned are copies in the API's shape):
  ``seed(n, seed=0, now=None, days=365)`` -> org ids; deterministic for the same seed and now.
  ``add_organization(name, **fields)``, ``add_person(org_id, name, **fields)``,
  ``add_deal(org_id, title, **fields)``, ``add_activity(org_id, type, due_date, due_time, **f)``,
  ``add_note(org_id, content, **fields)`` -> new id.
  ``organization(id)``, ``person(id)``, ``deal(id)``, ``activity(id)``, ``note(id)``, or
  ``get(kind, id)`` -> dict (v2 shape; notes v1 shape).
  ``ids(kind="organizations")`` -> live ids; kinds: organizations, persons, deals, activities,
  notes.
  ``touch(kind, id, **fields)`` changes fields (``custom_fields={...}`` merges) and bumps
  ``update_time`` as a user edit in the app would; ``delete(kind, id)`` soft-deletes (§4, §9).
  ``fields(entity="organization")`` -> list of v2 field dicts; ``field_by_name(name, entity)``;
  ``custom_value(org_id, field_name)`` -> stored value of a custom field (ids for enum/set).
  ``add_field(name, field_type, options=(), entity="organization")`` -> field_code.

Failures on demand (injected before authentication and rate limiting; they cost no tokens):
  ``fail_next(status=502, times=1, path_prefix="/", method=None)``: 502/504 come with an HTML
  gateway page (never assume JSON, §2/§13), other statuses with the error envelope (§2); a 429
  comes with the rate-limit headers at 0 (§12).  ``burst_next(times, path_prefix="/")`` is
  ``fail_next(429, ...)``.  ``block_next(times)`` answers 403 with a Cloudflare HTML page (§12).

Counters:
  ``fake.log`` (:class:`fakes.server.RequestLog`): ``log.entries`` (method, path, query, body,
  headers with the token redacted, status), ``log.statuses`` (Counter of statuses answered).
  ``count(path_prefix="/", method=None, status=None)``; ``write_calls(path_prefix="/")``
  counts POST/PATCH/PUT/DELETE that got a 2xx; ``tokens_used`` (§14 costs).
  ``reset_limits()`` forgets burst windows and daily token use (as after midnight, §12).

Best guesses a connector test may trip over (all UNCONFIRMED in the reference):
  a PATCH always moves ``update_time``, even when no value changes, so an incremental read right
  after a sync sees the organizations it wrote; a second field with an existing name is created
  (new key), not refused; validation errors (wrong types, ``[]`` for a set, unknown custom-field
  key, unknown body key, ``limit`` > 500) are 400 with the §2 envelope; removed v1 entity
  endpoints (``/api/v1/organizations`` ...) are 410.
"""

from __future__ import annotations

import base64
import json
import random
import re
import secrets
import threading
import time
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from fakes.server import (
    Failures,
    FakeServer,
    Injection,
    Request,
    RequestLog,
    Response,
    SlidingWindow,
    json_response,
)

# §12: burst per 2-second window by plan (API token, OAuth) and the daily-budget multiplier.
PLANS = {
    "lite": (20, 80, 1),
    "growth": (40, 160, 2),
    "premium": (100, 400, 5),
    "ultimate": (120, 480, 7),
}
DAILY_TOKENS_PER_SEAT = 30_000  # §12: 30,000 x plan multiplier x seats
# §12 [C-post]: the older fair-use cap reported in x-daily-requests-left (not enforced here).
DAILY_POST_PUT = 10_000
MAX_LIMIT = 500  # §3: limit maximum 500 (both pagination styles)
DEFAULT_LIMIT = 100  # §3

ENTITIES = ("organizations", "persons", "deals", "activities")
KINDS = (*ENTITIES, "notes")
WRITE_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})

# §0: the v1 entity endpoints are gone from the Aug 2026 v1 file; answered 410 Gone (§13).
_REMOVED_V1 = re.compile(r"^/(organizations|persons|deals|activities|pipelines|stages|products)\b")

# §4-§7: the sort_by values each v2 list endpoint accepts.
_SORT_BY = {
    "organizations": ("id", "update_time", "add_time"),
    "persons": ("id", "update_time", "add_time"),
    "deals": ("id", "update_time", "add_time"),
    "activities": ("id", "update_time", "add_time", "due_date"),
}
# §4-§7: integer id filters each v2 list endpoint accepts.
_ID_FILTERS = {
    "organizations": ("owner_id",),
    "persons": ("owner_id", "org_id", "deal_id"),
    "deals": ("owner_id", "person_id", "org_id", "pipeline_id", "stage_id"),
    "activities": ("owner_id", "deal_id", "person_id", "org_id"),
}
# §8: v1 notes filters on ids and the sort fields.
_NOTE_ID_FILTERS = ("user_id", "deal_id", "person_id", "org_id", "lead_id", "project_id")
_NOTE_SORT = (
    "id",
    "user_id",
    "deal_id",
    "person_id",
    "org_id",
    "content",
    "add_time",
    "update_time",
)
# §11 [v2 PATCH /organizations/{id}]: the body keys the v2 PATCH accepts.
_PATCHABLE = {
    "organizations": (
        "name",
        "owner_id",
        "visible_to",
        "label_ids",
        "address",
        "website",
        "linkedin",
        "industry",
        "annual_revenue",
        "employee_count",
        "custom_fields",
    ),
    "persons": (
        "name",
        "owner_id",
        "org_id",
        "emails",
        "phones",
        "visible_to",
        "label_ids",
        "custom_fields",
    ),
}
# §10: types a v2 POST .../organizationFields may create.
_CREATABLE_TYPES = frozenset(
    "varchar text double phone date daterange time timerange set enum varchar_auto address "
    "monetary org people user".split()
)
# §7: activity types (key_string) of a fresh account, served by GET /v1/activityTypes.
_ACTIVITY_TYPES = ("call", "meeting", "task", "deadline", "email", "lunch")
_OWNER_IDS = (101, 102, 103)

_GATEWAY_HTML = (
    b"<html><head><title>{status} Bad Gateway</title></head>"
    b"<body><center><h1>{status}</h1></center><hr><center>nginx</center></body></html>"
)
_CLOUDFLARE_HTML = (
    b"<!DOCTYPE html><html><head><title>Attention Required! | Cloudflare</title></head>"
    b"<body><h1>Sorry, you have been blocked</h1></body></html>"
)


class ApiError(Exception):
    """An error answered with Pipedrive's error envelope (§2)."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.headers = dict(headers or {})
        # §2: {"success": false, "error", "error_info", "data": null, "additional_data": null}.
        self.body: dict[str, Any] = {
            "success": False,
            "error": message,
            "error_info": "Please check developers.pipedrive.com",
            "data": None,
            "additional_data": None,
        }


@dataclass(frozen=True)
class _Route:
    method: str
    version: str
    pattern: re.Pattern[str]
    handler: str
    cost: int  # §14: x-token-cost


def _route(method: str, version: str, pattern: str, handler: str, cost: int) -> _Route:
    return _Route(method, version, re.compile(pattern), handler, cost)


_ENTITY = r"(?P<kind>organizations|persons|deals|activities)"
_FIELDS = r"(?P<entity>organization|person)Fields"
_ROUTES = (
    # §4-§7, §14: v2 lists 10 tokens, one item 1, PATCH 5, DELETE 3.
    _route("GET", "v2", rf"^/{_ENTITY}$", "_list_entities", 10),
    _route("GET", "v2", rf"^/{_ENTITY}/(?P<id>[^/]+)$", "_get_entity", 1),
    _route("PATCH", "v2", r"^/(?P<kind>organizations|persons)/(?P<id>[^/]+)$", "_patch_entity", 5),
    _route("DELETE", "v2", rf"^/{_ENTITY}/(?P<id>[^/]+)$", "_delete_entity", 3),
    # §10, §14: v2 field metadata: list 10, one 1, create 5, options 5.
    _route("GET", "v2", rf"^/{_FIELDS}$", "_list_fields", 10),
    _route("GET", "v2", rf"^/{_FIELDS}/(?P<code>[^/]+)$", "_get_field", 1),
    _route("POST", "v2", rf"^/{_FIELDS}$", "_create_field", 5),
    _route("POST", "v2", rf"^/{_FIELDS}/(?P<code>[^/]+)/options$", "_add_options", 5),
    _route("PATCH", "v2", rf"^/{_FIELDS}/(?P<code>[^/]+)/options$", "_rename_options", 5),
    # §8, §14: v1 notes 20 tokens a page, one note 2.
    _route("GET", "v1", r"^/notes$", "_list_notes", 20),
    _route("GET", "v1", r"^/notes/(?P<id>[^/]+)$", "_get_note", 2),
    # Addendum / §1: users/me (2 tokens [v1]); §7: activityTypes (20 tokens [v1]).
    _route("GET", "v1", r"^/users/me$", "_users_me", 2),
    _route("GET", "v1", r"^/activityTypes$", "_activity_types", 20),
)


def _rfc3339(epoch: int) -> str:
    """§2 v2 timestamps: ``2025-01-01T10:20:00Z``."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def _v1_time(epoch: int) -> str:
    """§2 v1 timestamps: ``YYYY-MM-DD HH:MM:SS`` in UTC."""
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(epoch))


def _parse_rfc3339(value: str, name: str) -> int:
    """Epoch seconds from an RFC 3339 query value (§9); 400 when it is not one."""
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ApiError(400, f"Invalid {name}: expected an RFC 3339 date-time") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return int(parsed.timestamp())


def _field_code() -> str:
    """§10: a random 40-character hex key, like Pipedrive's custom-field keys."""
    return secrets.token_hex(20)


def _encode_cursor(sort_by: str, value: Any, direction: str, item_id: int) -> str:
    """An opaque cursor shaped like the [v2] example: base64url JSON without padding."""
    raw = json.dumps(
        {"field": sort_by, "fieldValue": value, "sortDirection": direction, "id": item_id},
        separators=(",", ":"),
    )
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str, sort_by: str, direction: str) -> tuple[Any, int]:
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if data["field"] != sort_by or data["sortDirection"] != direction:
            raise ValueError("cursor made for another sort")
        return data["fieldValue"], int(data["id"])
    except (ValueError, KeyError, TypeError):
        # §3: the cursor is opaque; a wrong one is a bad request (status UNCONFIRMED).
        raise ApiError(400, "Invalid cursor") from None


def _int_param(request: Request, name: str) -> int | None:
    value = request.param(name)
    if value is None or value == "":
        return None
    try:
        return int(value)
    except ValueError:
        # §0 [D-mig]: v2 validates types strictly.
        raise ApiError(400, f"Parameter '{name}' must be an integer") from None


def _limit(request: Request) -> int:
    """§3: ``limit`` defaults to 100, maximum 500 (a larger one is refused: UNCONFIRMED)."""
    limit = _int_param(request, "limit")
    if limit is None:
        return DEFAULT_LIMIT
    if not 1 <= limit <= MAX_LIMIT:
        raise ApiError(400, f"Parameter 'limit' must be between 1 and {MAX_LIMIT}")
    return limit


class FakePipedrive:
    """A fake Pipedrive company account served over HTTP on 127.0.0.1 (see the module doc)."""

    def __init__(
        self,
        token: str = "test-token",
        *,
        plan: str = "lite",
        seats: int = 1,
        burst_limit: int | None = None,
        burst_window: float = 2.0,
        daily_budget: int | None = None,
        oauth_token: str = "test-oauth-token",
    ) -> None:
        api_burst, oauth_burst, multiplier = PLANS[plan]
        self.token = token
        self.oauth_token = oauth_token
        self.plan = plan
        self.burst_limit = burst_limit or api_burst
        self.oauth_burst_limit = burst_limit or oauth_burst
        self.burst_window = burst_window
        self.daily_budget = daily_budget or DAILY_TOKENS_PER_SEAT * multiplier * seats
        self.retry_after = False
        self.daily_token_headers = True
        self.list_deleted = False
        self.accept_query_token = True
        self.tokens_used = 0
        self.post_put_today = 0
        self.log = RequestLog()
        self.failures = Failures()
        self._server = FakeServer(self.handle)
        self._lock = threading.RLock()
        self._burst = SlidingWindow(self.burst_limit, burst_window)
        self._clock_floor = 0
        self._next_id = {kind: 1 for kind in KINDS}
        self._records: dict[str, dict[int, dict[str, Any]]] = {kind: {} for kind in KINDS}
        self._version = 0  # bumped on every change, to invalidate the sorted-list cache
        self._sorted: dict[tuple, tuple[int, list, list]] = {}
        self._fields: dict[str, list[dict[str, Any]]] = {
            "organization": _builtin_fields("organization"),
            "person": _builtin_fields("person"),
        }
        self._next_option_id = 1

    # ----- lifecycle -------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>`` once started; the API is under ``/api/v2`` etc."""
        return self._server.base_url

    def start(self) -> FakePipedrive:
        """Serve on a free port of 127.0.0.1 in a background thread."""
        self._server.start()
        return self

    def stop(self) -> None:
        """Stop serving."""
        self._server.stop()

    def __enter__(self) -> FakePipedrive:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ----- test controls ---------------------------------------------------------------

    def fail_next(
        self,
        status: int = 502,
        times: int = 1,
        path_prefix: str = "/",
        method: str | None = None,
    ) -> None:
        """Answer the next ``times`` requests under ``path_prefix`` with ``status``."""
        if status == 429:
            injection = Injection(
                times,
                status,
                path_prefix,
                method,
                headers=self._limit_headers(0, self.burst_window),
                body=ApiError(429, "Request over limit").body,  # §12: body UNCONFIRMED
            )
        elif status in (502, 504):
            # §2/§13: gateway errors come from the proxy in front of the API: HTML, not JSON
            # (the exact page is UNCONFIRMED).
            page = _GATEWAY_HTML.replace(b"{status}", str(status).encode())
            injection = Injection(
                times, status, path_prefix, method, raw=page, content_type="text/html"
            )
        else:
            message = "Internal server error" if status >= 500 else "Injected failure"
            injection = Injection(
                times, status, path_prefix, method, body=ApiError(status, message).body
            )
        self.failures.add(injection)

    def answer_next(self, injection: Injection) -> None:
        """Answer the requests ``injection`` matches with its own answer (a hostile one from
        :mod:`fakes.server`: wrong shapes, malformed JSON, a redirect, a trickle)."""
        self.failures.add(injection)

    def burst_next(self, times: int = 1, path_prefix: str = "/") -> None:
        """Answer the next ``times`` requests under ``path_prefix`` with a burst 429 (§12)."""
        self.fail_next(429, times, path_prefix)

    def block_next(self, times: int = 1) -> None:
        """§12: the Cloudflare abuse block: 403 with an HTML page, not JSON."""
        self.failures.add(
            Injection(times, 403, "/", raw=_CLOUDFLARE_HTML, content_type="text/html")
        )

    def count(
        self, path_prefix: str = "/", method: str | None = None, status: int | None = None
    ) -> int:
        """How many requests under ``path_prefix`` (any outcome unless ``status``)."""
        return self.log.count(path_prefix, method, status)

    def write_calls(self, path_prefix: str = "/") -> int:
        """How many POST/PATCH/PUT/DELETE requests under ``path_prefix`` succeeded (2xx)."""
        return sum(
            1
            for e in list(self.log.entries)
            if e.method in WRITE_METHODS and e.path.startswith(path_prefix) and e.status < 300
        )

    @property
    def statuses(self):
        """Counter of the statuses answered (injected failures included)."""
        return self.log.statuses

    def reset_limits(self) -> None:
        """Forget burst windows and today's token use (as after midnight, §12)."""
        with self._lock:
            self._burst.clear()
            self.tokens_used = 0
            self.post_put_today = 0

    # ----- seeding and inspection ------------------------------------------------------

    def seed(
        self,
        n: int,
        seed: int = 0,
        now: int | None = None,
        days: int = 365,
        *,
        activities: int | None = None,
        notes: int | None = None,
    ) -> list[int]:
        """Create ``n`` organizations, each with persons, deals, activities and notes spread
        over the ``days`` before ``now`` (epoch seconds; default: now); deterministic for the
        same ``seed`` and ``now``.  Returns the organization ids.

        ``activities`` and ``notes`` give each organization that many (a real client's year
        is tens of activities); by default it gets 0-8 and 0-4."""
        rng = random.Random(seed)
        now = int(now if now is not None else time.time())
        span = days * 86_400
        with self._lock:
            self._clock_floor = max(self._clock_floor, now)
            sizes = (activities, notes)
            org_ids = [_seed_org(self, rng, i, now, span, sizes) for i in range(n)]
            self._version += 1
        return org_ids

    def add_organization(self, name: str, **fields: Any) -> int:
        """Create an organization; returns its id."""
        with self._lock:
            return self._insert("organizations", _organization(name, self._now()), fields)

    def add_person(self, org_id: int | None, name: str, **fields: Any) -> int:
        """Create a person in ``org_id``; returns its id."""
        with self._lock:
            return self._insert("persons", _person(name, org_id, self._now()), fields)

    def add_deal(self, org_id: int | None, title: str, **fields: Any) -> int:
        """Create a deal of ``org_id``; returns its id."""
        with self._lock:
            return self._insert("deals", _deal(title, org_id, self._now()), fields)

    def add_activity(
        self, org_id: int | None, type: str, due_date: str, due_time: str = "", **fields: Any
    ) -> int:
        """Create an activity (``type`` e.g. call/meeting/email) of ``org_id``; returns its id."""
        with self._lock:
            base = _activity(type, org_id, due_date, due_time, self._now())
            return self._insert("activities", base, fields)

    def add_note(self, org_id: int | None, content: str, **fields: Any) -> int:
        """Create a note (HTML ``content``) on ``org_id``; returns its id."""
        with self._lock:
            base = _note(content, org_id, self._now())
            self._embed_note(base)
            return self._insert("notes", base, fields)

    def get(self, kind: str, item_id: int) -> dict[str, Any]:
        """A copy of a stored record in the API's shape (v2; notes v1)."""
        with self._lock:
            return self._shape(kind, self._records[kind][int(item_id)], None, False)

    def organization(self, org_id: int) -> dict[str, Any]:
        """A copy of an organization (v2 shape, ``custom_fields`` with every custom field)."""
        return self.get("organizations", org_id)

    def person(self, person_id: int) -> dict[str, Any]:
        """A copy of a person (v2 shape)."""
        return self.get("persons", person_id)

    def deal(self, deal_id: int) -> dict[str, Any]:
        """A copy of a deal (v2 shape)."""
        return self.get("deals", deal_id)

    def activity(self, activity_id: int) -> dict[str, Any]:
        """A copy of an activity (v2 shape)."""
        return self.get("activities", activity_id)

    def note(self, note_id: int) -> dict[str, Any]:
        """A copy of a note (v1 shape)."""
        return self.get("notes", note_id)

    def ids(self, kind: str = "organizations") -> list[int]:
        """Ids of the records of ``kind`` that are not deleted, in id order."""
        with self._lock:
            return [i for i, r in self._records[kind].items() if not _is_deleted(kind, r)]

    def advance(self, seconds: int) -> None:
        """Move the account's clock on: later changes get update times at least this much
        later than any handed out so far (update times are whole seconds, §2)."""
        with self._lock:
            self._clock_floor = max(int(time.time()), self._clock_floor) + seconds

    def touch(self, kind: str, item_id: int, **fields: Any) -> None:
        """Change fields of a record as a user would in the app, bumping ``update_time``.

        ``custom_fields={code: value}`` merges into the stored custom fields."""
        with self._lock:
            record = self._records[kind][int(item_id)]
            custom = fields.pop("custom_fields", None)
            record.update(fields)
            if custom:
                record.setdefault("custom_fields", {}).update(custom)
            self._bump(kind, record)

    def delete(self, kind: str, item_id: int) -> None:
        """Soft-delete a record (§4: ``is_deleted``, ``update_time`` = delete time)."""
        with self._lock:
            record = self._records[kind][int(item_id)]
            if kind == "notes":
                record["active_flag"] = False
            else:
                record["is_deleted"] = True
                if kind == "deals":
                    record["status"] = "deleted"  # §6: status=deleted lists deleted deals
            self._bump(kind, record)

    def fields(self, entity: str = "organization") -> list[dict[str, Any]]:
        """Copies of the v2 field definitions of ``entity`` (organization or person)."""
        with self._lock:
            return json.loads(json.dumps(self._fields[entity]))

    def field_by_name(self, name: str, entity: str = "organization") -> dict[str, Any] | None:
        """The first field named ``name`` (v2 shape), or ``None``."""
        return next((f for f in self.fields(entity) if f["field_name"] == name), None)

    def add_field(
        self,
        name: str,
        field_type: str,
        options: Iterable[str] = (),
        entity: str = "organization",
    ) -> str:
        """Create a custom field as the app would; returns its ``field_code``."""
        with self._lock:
            return self._new_field(entity, name, field_type, list(options))["field_code"]

    def custom_value(self, org_id: int, field_name: str, kind: str = "organizations") -> Any:
        """The stored value of the custom field named ``field_name`` on a record."""
        entity = "organization" if kind == "organizations" else "person"
        field = self.field_by_name(field_name, entity)
        if field is None:
            raise KeyError(field_name)
        with self._lock:
            return (
                self._records[kind][int(org_id)].get("custom_fields", {}).get(field["field_code"])
            )

    # ----- state helpers ---------------------------------------------------------------

    def _now(self) -> int:
        """Now in epoch seconds, never earlier than the newest stamp handed out."""
        self._clock_floor = max(int(time.time()), self._clock_floor)
        return self._clock_floor

    def _insert(self, kind: str, record: dict[str, Any], fields: dict[str, Any]) -> int:
        record.update(fields)
        item_id = self._next_id[kind]
        self._next_id[kind] = item_id + 1
        record["id"] = item_id
        self._records[kind][item_id] = record
        self._version += 1
        return item_id

    def _bump(self, kind: str, record: dict[str, Any]) -> None:
        stamp = self._now()
        record["update_time"] = _v1_time(stamp) if kind == "notes" else _rfc3339(stamp)
        self._version += 1

    def _embed_note(self, note: dict[str, Any]) -> None:
        """§8: notes embed ``organization: {name}`` etc."""
        org = self._records["organizations"].get(note.get("org_id"))
        note["organization"] = {"name": org["name"]} if org else None

    def _custom_codes(self, kind: str) -> list[dict[str, Any]]:
        if kind not in ("organizations", "persons"):
            return []
        entity = "organization" if kind == "organizations" else "person"
        return [f for f in self._fields[entity] if f["is_custom_field"]]

    def _shape(
        self, kind: str, record: dict[str, Any], only: set[str] | None, labels: bool
    ) -> dict[str, Any]:
        """A copy of ``record`` as the API sends it."""
        out = json.loads(json.dumps(record))
        if kind in ("organizations", "persons"):
            stored = record.get("custom_fields", {})
            custom = {}
            for field in self._custom_codes(kind):
                code = field["field_code"]
                if only is not None and code not in only:
                    continue
                value = stored.get(code)
                if labels and value is not None and field["field_type"] in ("enum", "set"):
                    value = _with_labels(field, value)
                custom[code] = value
            # §10/§11: v2 custom fields live in a `custom_fields` object; every custom field
            # of the entity appears, null when unset (UNCONFIRMED).
            out["custom_fields"] = custom
        return out

    # ----- the HTTP side ---------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        """Answer one request (called by the server thread)."""
        injection = self.failures.take(request)
        if injection is not None:
            response = injection.response()
        else:
            with self._lock:
                try:
                    response = self._answer(request)
                except ApiError as error:
                    response = json_response(error.status, error.body, error.headers)
        self.log.record(request, response.status)
        return response

    def _answer(self, request: Request) -> Response:
        version, path = _split_version(request.path)
        auth = self._authenticate(request)
        if version is None:
            raise ApiError(404, "Unknown method .")
        if version == "v1" and _REMOVED_V1.match(path):
            # §0: the v1 entity endpoints left the spec in Aug 2026; 410 Gone with only
            # `success` and `error` (§2, §13). Real answers may still vary: UNCONFIRMED.
            error = ApiError(410, "This endpoint is deprecated and no longer available.")
            error.body = {"success": False, "error": error.body["error"]}
            raise error
        if request.json_error:
            raise ApiError(400, "Invalid JSON in request body")
        route, params, allowed = None, {}, False
        for candidate in _ROUTES:
            if candidate.version != version:
                continue
            match = candidate.pattern.match(path)
            if match is None:
                continue
            allowed = True
            if candidate.method == request.method:
                route, params = candidate, match.groupdict()
                break
        if route is None:
            if allowed:
                raise ApiError(405, f"Method {request.method} not allowed")
            raise ApiError(404, f"Unknown method {path}")
        headers = self._rate_limit(request, auth, route.cost)
        status, body = getattr(self, route.handler)(request, params)
        return json_response(status, body, headers)

    def _authenticate(self, request: Request) -> str:
        """§1: ``x-api-token`` header, ``api_token`` query (UNCONFIRMED) or OAuth Bearer."""
        header = request.headers.get("x-api-token")
        if header is not None:
            if header == self.token:
                return "api_token"
        elif request.headers.get("authorization", "").startswith("Bearer "):
            if request.headers["authorization"][len("Bearer ") :] == self.oauth_token:
                return "oauth"
        elif self.accept_query_token and request.param("api_token") == self.token:
            return "api_token"
        # §2 [v1 /users/me 401 example]: {"success": false, "error": "unauthorized access",
        # "errorCode": 401}.
        error = ApiError(401, "unauthorized access")
        error.body = {"success": False, "error": "unauthorized access", "errorCode": 401}
        raise error

    def _rate_limit(self, request: Request, auth: str, cost: int) -> dict[str, str]:
        """§12: the daily token budget, then the rolling 2-second burst per token."""
        if self.tokens_used >= self.daily_budget:
            # §12: an exhausted budget answers 429 to every request until the reset.
            headers = self._limit_headers(0, self.burst_window)
            raise ApiError(429, "Request over limit", headers)
        limit = self.burst_limit if auth == "api_token" else self.oauth_burst_limit
        self._burst.limit, self._burst.seconds = limit, self.burst_window
        allowed, remaining, reset = self._burst.hit(auth)
        if not allowed:
            raise ApiError(429, "Request over limit", self._limit_headers(0, reset, limit))
        self.tokens_used = min(self.daily_budget, self.tokens_used + cost)
        headers = self._limit_headers(remaining, reset, limit)
        if auth == "api_token":
            if request.method in ("POST", "PUT"):
                self.post_put_today += 1
            # §12 [C-post]: POST/PUT requests left today, only for API-token requests.
            headers["x-daily-requests-left"] = str(max(0, DAILY_POST_PUT - self.post_put_today))
        return headers

    def _limit_headers(
        self, remaining: int, reset: float, limit: int | None = None
    ) -> dict[str, str]:
        """§12: x-ratelimit-* (reset in seconds: UNCONFIRMED) and the daily-budget headers."""
        headers = {
            "x-ratelimit-limit": str(limit or self.burst_limit),
            "x-ratelimit-remaining": str(remaining),
            "x-ratelimit-reset": str(max(1, round(reset))) if remaining == 0 else str(round(reset)),
        }
        if self.daily_token_headers:
            # §12: x-daily-ratelimit-token-* are UNCONFIRMED (third-party reports).
            headers["x-daily-ratelimit-token-limit"] = str(self.daily_budget)
            headers["x-daily-ratelimit-token-remaining"] = str(
                max(0, self.daily_budget - self.tokens_used)
            )
        if self.retry_after and remaining == 0:
            # §12: Retry-After on 429 is UNCONFIRMED; only sent when a test asks for it.
            headers["Retry-After"] = str(max(1, round(reset)))
        return headers

    # ----- v2 entities (§4-§7, §9) -----------------------------------------------------

    def _list_entities(self, request: Request, params: dict[str, str]):
        kind = params["kind"]
        limit = _limit(request)
        sort_by = request.param("sort_by") or "id"
        if sort_by not in _SORT_BY[kind]:
            raise ApiError(400, f"Invalid sort_by: {sort_by}")
        direction = request.param("sort_direction") or "asc"
        if direction not in ("asc", "desc"):
            raise ApiError(400, f"Invalid sort_direction: {direction}")
        filters = self._entity_filters(kind, request)
        items, keys = self._sorted_items(kind, filters, sort_by)
        cursor = request.param("cursor")
        after = _decode_cursor(cursor, sort_by, direction) if cursor else None
        page = _page(items, keys, after, direction, limit)
        only = _custom_field_filter(request)
        labels = request.param("include_option_labels") == "true"
        data = [self._shape(kind, item, only, labels) for item in page]
        next_cursor = None
        if page:
            last_key = _sort_key(page[-1], sort_by)
            if direction == "asc":
                more = bisect_right(keys, last_key) < len(keys)
            else:
                more = bisect_left(keys, last_key) > 0
            if more:
                next_cursor = _encode_cursor(sort_by, last_key[0], direction, page[-1]["id"])
        # §3: additional_data.next_cursor, null on the last page.
        return 200, {"success": True, "data": data, "additional_data": {"next_cursor": next_cursor}}

    def _entity_filters(self, kind: str, request: Request) -> tuple:
        """The filters of a v2 list request as a hashable tuple (§4-§7, §9)."""
        since = request.param("updated_since")
        until = request.param("updated_until")
        ids = request.param("ids")
        id_list = None
        if ids:
            try:
                id_list = tuple(sorted(int(i) for i in ids.split(",")))
            except ValueError:
                raise ApiError(
                    400, "Parameter 'ids' must be a comma-separated list of integers"
                ) from None
            if len(id_list) > 100:
                raise ApiError(400, "Parameter 'ids' accepts at most 100 ids")  # §4
        by_id = tuple((name, _int_param(request, name)) for name in _ID_FILTERS[kind])
        status = request.param("status") if kind == "deals" else None
        done = request.param("done") if kind == "activities" else None
        if done is not None and done not in ("true", "false"):
            raise ApiError(400, "Parameter 'done' must be a boolean")  # §0: true/false only
        return (
            _rfc3339(_parse_rfc3339(since, "updated_since")) if since else None,
            _rfc3339(_parse_rfc3339(until, "updated_until")) if until else None,
            id_list,
            tuple((n, v) for n, v in by_id if v is not None),
            status,
            done,
        )

    def _sorted_items(self, kind: str, filters: tuple, sort_by: str) -> tuple[list, list]:
        """The records matching ``filters`` in ascending sort order, and their sort keys
        (cached until the data changes, so paging 100k records stays fast)."""
        cache_key = (kind, filters, sort_by, self.list_deleted)
        cached = self._sorted.get(cache_key)
        if cached is not None and cached[0] == self._version:
            return cached[1], cached[2]
        since, until, id_list, by_id, status, done = filters
        wanted_ids = set(id_list) if id_list else None
        statuses = set(status.split(",")) if status else None
        items = []
        for record in self._records[kind].values():
            if wanted_ids is not None and record["id"] not in wanted_ids:
                continue
            # §9: update_time >= since and < until.
            if since and record["update_time"] < since:
                continue
            if until and record["update_time"] >= until:
                continue
            if any(record.get(name) != value for name, value in by_id):
                continue
            if kind == "deals":
                # §6: default = every status but deleted; status=deleted lists deleted deals.
                if statuses is None and record["is_deleted"]:
                    continue
                if statuses is not None and record["status"] not in statuses:
                    continue
            elif record["is_deleted"] and not self.list_deleted:
                # §9: whether lists return soft-deleted items is UNCONFIRMED; not by default.
                continue
            if done is not None and record["done"] != (done == "true"):
                continue
            items.append(record)
        items.sort(key=lambda r: _sort_key(r, sort_by))
        keys = [_sort_key(r, sort_by) for r in items]
        if len(self._sorted) > 64:
            self._sorted.clear()
        self._sorted[cache_key] = (self._version, items, keys)
        return items, keys

    def _record(self, kind: str, raw_id: str) -> dict[str, Any]:
        try:
            item_id = int(raw_id)
        except ValueError:
            raise ApiError(400, f"Invalid id: {raw_id}") from None
        record = self._records[kind].get(item_id)
        if record is None:
            # §13: 404 for a missing (e.g. purged) record.
            raise ApiError(404, f"{kind[:-1].capitalize()} not found")
        return record

    def _get_entity(self, request: Request, params: dict[str, str]):
        record = self._record(params["kind"], params["id"])
        labels = request.param("include_option_labels") == "true"
        data = self._shape(params["kind"], record, _custom_field_filter(request), labels)
        return 200, {"success": True, "data": data, "additional_data": None}

    def _patch_entity(self, request: Request, params: dict[str, str]):
        """§11: PATCH with top-level fields and a `custom_fields` object of our keys."""
        kind = params["kind"]
        record = self._record(kind, params["id"])
        if record["is_deleted"]:
            raise ApiError(404, f"{kind[:-1].capitalize()} not found")  # UNCONFIRMED
        body = request.body
        if not isinstance(body, dict):
            raise ApiError(400, "Request body must be a JSON object")  # §1: JSON bodies only
        unknown = sorted(set(body) - set(_PATCHABLE[kind]))
        if unknown:
            # UNCONFIRMED: whether v2 refuses or ignores unknown body keys; refused here.
            raise ApiError(400, f"Unknown field(s): {', '.join(unknown)}")
        custom = body.get("custom_fields")
        updates = {k: v for k, v in body.items() if k != "custom_fields"}
        _check_top_level(updates)
        checked = self._check_custom_values(kind, custom) if custom is not None else {}
        record.update(updates)
        stored = record.setdefault("custom_fields", {})
        for code, value in checked.items():
            if value is None:
                stored.pop(code, None)
            else:
                stored[code] = value
        # §11: a PATCH changes update_time; whether an unchanged value still bumps it is
        # UNCONFIRMED: it does here (the harder case for a "no-change sync" check).
        self._bump(kind, record)
        data = self._shape(kind, record, None, False)
        return 200, {"success": True, "data": data, "additional_data": None}

    def _check_custom_values(self, kind: str, custom: Any) -> dict[str, Any]:
        """§10/§11: v2 custom-field values: enum = option id, set = non-empty id list,
        double = number, varchar/text = string, null clears."""
        if not isinstance(custom, dict):
            raise ApiError(400, "custom_fields must be an object")  # §11 (status UNCONFIRMED)
        defined = {f["field_code"]: f for f in self._custom_codes(kind)}
        checked = {}
        for code, value in custom.items():
            field = defined.get(code)
            if field is None:
                raise ApiError(400, f"Unknown custom field: {code}")  # UNCONFIRMED
            if value is not None:
                _check_value(field, value)
            checked[code] = value
        return checked

    def _delete_entity(self, request: Request, params: dict[str, str]):
        """§4: DELETE soft-deletes (``is_deleted``, ``update_time`` = delete time)."""
        record = self._record(params["kind"], params["id"])
        self.delete(params["kind"], record["id"])
        return 200, {"success": True, "data": {"id": record["id"]}, "additional_data": None}

    # ----- v2 fields (§10) -------------------------------------------------------------

    def _list_fields(self, request: Request, params: dict[str, str]):
        limit = _limit(request)
        fields = self._fields[params["entity"]]
        start = 0
        cursor = request.param("cursor")
        if cursor:
            _, last_index = _decode_cursor(cursor, "index", "asc")
            start = last_index + 1
        page = fields[start : start + limit]
        more = start + limit < len(fields)
        next_cursor = _encode_cursor("index", None, "asc", start + limit - 1) if more else None
        data = json.loads(json.dumps(page))
        return 200, {"success": True, "data": data, "additional_data": {"next_cursor": next_cursor}}

    def _field(self, entity: str, code: str) -> dict[str, Any]:
        for field in self._fields[entity]:
            if field["field_code"] == code:
                return field
        # §13: 410 for a deleted field is documented; an unknown code is a 404 here.
        raise ApiError(404, "Field not found")

    def _get_field(self, request: Request, params: dict[str, str]):
        field = self._field(params["entity"], params["code"])
        return 200, {
            "success": True,
            "data": json.loads(json.dumps(field)),
            "additional_data": None,
        }

    def _create_field(self, request: Request, params: dict[str, str]):
        """§10: POST {field_name, field_type, options: [{label}]}; options needed for set/enum."""
        body = request.body
        if not isinstance(body, dict):
            raise ApiError(400, "Request body must be a JSON object")
        name, field_type = body.get("field_name"), body.get("field_type")
        if not isinstance(name, str) or not 1 <= len(name) <= 255:
            raise ApiError(400, "field_name is required (1-255 characters)")
        if field_type not in _CREATABLE_TYPES:
            raise ApiError(400, f"Invalid field_type: {field_type}")
        options = body.get("options")
        if field_type in ("set", "enum"):
            labels = _option_labels(options)
            if not labels:
                raise ApiError(400, "options are required for set and enum fields")
        else:
            labels = []
        # UNCONFIRMED: Pipedrive is not documented to refuse a second field with the same
        # name; this fake creates a second one (with a new key), as the app allows.
        field = self._new_field(params["entity"], name, field_type, labels)
        return 200, {
            "success": True,
            "data": json.loads(json.dumps(field)),
            "additional_data": None,
        }

    def _add_options(self, request: Request, params: dict[str, str]):
        """§10: POST .../options [{label}] appends atomically and returns only the added ones."""
        field = self._field(params["entity"], params["code"])
        if field["field_type"] not in ("set", "enum"):
            raise ApiError(400, "Options can only be added to set and enum fields")
        labels = _option_labels(request.body)
        if not labels:
            raise ApiError(400, "Request body must be a non-empty array of {label}")
        added = [self._new_option(label) for label in labels]
        field["options"].extend(added)
        data = [{"id": o["id"], "label": o["label"]} for o in added]
        return 200, {"success": True, "data": data, "additional_data": None}

    def _rename_options(self, request: Request, params: dict[str, str]):
        """§10: PATCH .../options [{id, label}] renames existing options."""
        field = self._field(params["entity"], params["code"])
        body = request.body
        if not isinstance(body, list) or not body:
            raise ApiError(400, "Request body must be a non-empty array of {id, label}")
        by_id = {o["id"]: o for o in field["options"] or []}
        for item in body:
            if not isinstance(item, dict) or item.get("id") not in by_id:
                raise ApiError(400, f"Unknown option: {item}")
            if not isinstance(item.get("label"), str) or not item["label"]:
                raise ApiError(400, "label must be a non-empty string")
        for item in body:
            by_id[item["id"]]["label"] = item["label"]
            by_id[item["id"]]["update_time"] = _rfc3339(self._now())
        data = [{"id": item["id"], "label": item["label"]} for item in body]
        return 200, {"success": True, "data": data, "additional_data": None}

    def _new_field(
        self, entity: str, name: str, field_type: str, labels: list[str]
    ) -> dict[str, Any]:
        field = {
            "field_name": name,
            "field_code": _field_code(),
            "field_type": field_type,
            "options": [self._new_option(label) for label in labels]
            if field_type in ("set", "enum")
            else None,
            "subfields": None,
            "is_custom_field": True,
            "is_optional_response_field": False,
        }
        self._fields[entity].append(field)
        self._version += 1
        return field

    def _new_option(self, label: str) -> dict[str, Any]:
        """§10: option ids are integers for custom fields."""
        option_id = self._next_option_id
        self._next_option_id += 1
        stamp = _rfc3339(self._now())
        return {
            "id": option_id,
            "label": label,
            "color": None,
            "add_time": stamp,
            "update_time": stamp,
        }

    # ----- v1 (§8, addendum) -----------------------------------------------------------

    def _list_notes(self, request: Request, params: dict[str, str]):
        """§8: GET /v1/notes with start/limit pagination (§3) and updated_since."""
        start = _int_param(request, "start") or 0
        limit = _limit(request)
        since = request.param("updated_since")
        since_v1 = _v1_time(_parse_rfc3339(since, "updated_since")) if since else None
        filters = [(n, _int_param(request, n)) for n in _NOTE_ID_FILTERS]
        filters = [(n, v) for n, v in filters if v is not None]
        start_date, end_date = request.param("start_date"), request.param("end_date")
        items = [
            r
            for r in self._records["notes"].values()
            if r["active_flag"]
            and (since_v1 is None or r["update_time"] >= since_v1)  # [v1]: later or equal
            and all(r.get(n) == v for n, v in filters)
            and (not start_date or r["add_time"][:10] >= start_date)
            and (not end_date or r["add_time"][:10] <= end_date)
        ]
        items.sort(key=_note_sort(request.param("sort")))
        page = items[start : start + limit]
        more = start + limit < len(items)
        pagination = {"start": start, "limit": limit, "more_items_in_collection": more}
        if more:
            pagination["next_start"] = start + limit  # §3: only when more items exist
        data = [json.loads(json.dumps(r)) for r in page]
        return 200, {"success": True, "data": data, "additional_data": {"pagination": pagination}}

    def _get_note(self, request: Request, params: dict[str, str]):
        record = self._record("notes", params["id"])
        return 200, {
            "success": True,
            "data": json.loads(json.dumps(record)),
            "additional_data": None,
        }

    def _users_me(self, request: Request, params: dict[str, str]):
        """Addendum: the user's zone is ``timezone_name``; §1: ``company_domain``."""
        data = {
            "id": _OWNER_IDS[0],
            "name": "Test Owner",
            "email": "owner@example.com",
            "company_id": 4242,
            "company_name": "Fake Company",
            "company_domain": "fakecompany",
            "timezone_name": "Europe/Budapest",
            "timezone_offset": "+01:00",
            "locale": "en_US",
            "lang": 1,
            "is_admin": 1,
            "active_flag": True,
        }
        return 200, {"success": True, "data": data}

    def _activity_types(self, request: Request, params: dict[str, str]):
        """§7: the account's activity types; ``key_string`` is the activities' ``type``."""
        data = [
            {
                "id": n,
                "order_nr": n,
                "name": key.capitalize(),
                "key_string": key,
                "icon_key": key,
                "active_flag": True,
                "is_custom_flag": False,
                "color": None,
                "add_time": "2020-01-01 00:00:00",
                "update_time": None,
            }
            for n, key in enumerate(_ACTIVITY_TYPES, start=1)
        ]
        return 200, {"success": True, "data": data}


# ----- helpers ---------------------------------------------------------------------------


def _split_version(path: str) -> tuple[str | None, str]:
    """§0/§1: only ``/api/v2`` reaches v2; v1 answers on ``/api/v1`` and ``/v1``."""
    for prefix, version in (("/api/v2/", "v2"), ("/api/v1/", "v1"), ("/v1/", "v1")):
        if path.startswith(prefix):
            return version, path[len(prefix) - 1 :]
    return None, path


def _is_deleted(kind: str, record: dict[str, Any]) -> bool:
    return not record["active_flag"] if kind == "notes" else record["is_deleted"]


def _sort_key(record: dict[str, Any], sort_by: str) -> tuple:
    value = record.get(sort_by)
    return (value if value is not None else "", record["id"])


def _page(items: list, keys: list, after: tuple | None, direction: str, limit: int) -> list:
    """One page of ``items`` (sorted ascending by ``keys``) after the cursor position."""
    if direction == "asc":
        start = bisect_right(keys, tuple(after)) if after else 0
        return items[start : start + limit]
    end = bisect_left(keys, tuple(after)) if after else len(items)
    return items[max(0, end - limit) : end][::-1]


def _custom_field_filter(request: Request) -> set[str] | None:
    """§4: ``custom_fields`` = comma list of keys (max 15) to shrink the payload."""
    raw = request.param("custom_fields")
    if not raw:
        return None
    keys = {k for k in raw.split(",") if k}
    if len(keys) > 15:
        raise ApiError(400, "custom_fields accepts at most 15 keys")
    return keys


def _with_labels(field: dict[str, Any], value: Any) -> Any:
    """§4 include_option_labels: enum/set values as ``{id, label}``."""
    labels = {o["id"]: o["label"] for o in field["options"] or []}
    if isinstance(value, list):
        return [{"id": v, "label": labels.get(v)} for v in value]
    return {"id": value, "label": labels.get(value)}


def _option_labels(options: Any) -> list[str]:
    if not isinstance(options, list):
        return []
    labels = []
    for option in options:
        if not isinstance(option, dict) or not isinstance(option.get("label"), str):
            raise ApiError(400, "Each option must be an object with a string label")
        if not 1 <= len(option["label"]) <= 255:
            raise ApiError(400, "Option labels must have 1-255 characters")
        labels.append(option["label"])
    return labels


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_value(field: dict[str, Any], value: Any) -> None:
    """§10 value table (v2 column); §0: numbers must be JSON numbers, never strings."""
    code, field_type = field["field_code"], field["field_type"]
    option_ids = {o["id"] for o in field["options"] or []}
    if field_type == "enum":
        if not isinstance(value, int) or isinstance(value, bool) or value not in option_ids:
            raise ApiError(400, f"Invalid value for {code}: expected one of its option ids")
    elif field_type == "set":
        if not isinstance(value, list) or not value:
            # §10: an empty array for a set is rejected; send null to clear.
            raise ApiError(400, f"Invalid value for {code}: expected a non-empty array of ids")
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
            raise ApiError(400, f"Invalid value for {code}: option ids must be integers")
        if not set(value) <= option_ids:
            raise ApiError(400, f"Invalid value for {code}: unknown option id")
    elif field_type == "double":
        if not _is_number(value):
            raise ApiError(400, f"Invalid value for {code}: expected a number")
    elif field_type in ("varchar", "text", "varchar_auto", "phone"):
        if not isinstance(value, str):
            raise ApiError(400, f"Invalid value for {code}: expected a string")
        if field_type == "varchar" and len(value) > 255:
            raise ApiError(400, f"Invalid value for {code}: at most 255 characters")  # §10


def _check_top_level(updates: dict[str, Any]) -> None:
    """§0 [D-mig]: v2 is strict: ints must be JSON numbers, strings strings."""
    for name in ("owner_id", "org_id", "visible_to", "employee_count"):
        if (
            name in updates
            and updates[name] is not None
            and (not isinstance(updates[name], int) or isinstance(updates[name], bool))
        ):
            raise ApiError(400, f"{name} must be an integer")
    if "name" in updates and (not isinstance(updates["name"], str) or not updates["name"]):
        raise ApiError(400, "name must be a non-empty string")
    if "label_ids" in updates and not isinstance(updates["label_ids"], list):
        raise ApiError(400, "label_ids must be an array of integers")


def _note_sort(spec: str | None) -> Callable[[dict[str, Any]], tuple]:
    """§8: ``sort`` = ``"field ASC"`` (first field only here); default id ascending."""
    if not spec:
        return lambda r: (r["id"],)
    name, _, order = spec.split(",")[0].strip().partition(" ")
    if name not in _NOTE_SORT or order.strip().upper() not in ("", "ASC", "DESC"):
        raise ApiError(400, f"Invalid sort: {spec}")
    if order.strip().upper() == "DESC":
        # Negating strings is impossible; sort keys for DESC use a reversed rank instead.
        return _DescendingKey(name)
    return lambda r: (r.get(name) if r.get(name) is not None else "", r["id"])


class _DescendingKey:
    """A sort key that orders records by ``name`` descending (ties by id descending)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, record: dict[str, Any]) -> _Reversed:
        value = record.get(self.name)
        return _Reversed((value if value is not None else "", record["id"]))


class _Reversed:
    __slots__ = ("value",)

    def __init__(self, value: tuple) -> None:
        self.value = value

    def __lt__(self, other: _Reversed) -> bool:
        return self.value > other.value


# ----- record builders (v2 shapes §4-§7, v1 notes §8) --------------------------------------


def _builtin_fields(entity: str) -> list[dict[str, Any]]:
    """A few built-in fields (§10: readable keys, ``is_custom_field: false``)."""
    names = {
        "organization": (
            ("name", "Name", "varchar"),
            ("owner_id", "Owner", "user"),
            ("address", "Address", "address"),
            ("website", "Website", "varchar"),
        ),
        "person": (
            ("name", "Name", "varchar"),
            ("owner_id", "Owner", "user"),
            ("org_id", "Organization", "org"),
            ("emails", "Email", "varchar"),
        ),
    }[entity]
    return [
        {
            "field_name": label,
            "field_code": code,
            "field_type": field_type,
            "options": None,
            "subfields": None,
            "is_custom_field": False,
            "is_optional_response_field": False,
        }
        for code, label, field_type in names
    ]


def _organization(name: str, stamp: int, owner: int = _OWNER_IDS[0]) -> dict[str, Any]:
    """§4: a v2 organization."""
    return {
        "id": 0,
        "name": name,
        "owner_id": owner,
        "add_time": _rfc3339(stamp),
        "update_time": _rfc3339(stamp),
        "is_deleted": False,
        "visible_to": 3,
        "address": None,
        "label_ids": [],
        "website": None,
        "linkedin": None,
        "industry": None,
        "annual_revenue": None,
        "employee_count": None,
        "custom_fields": {},
    }


def _person(name: str, org_id: int | None, stamp: int, owner: int = _OWNER_IDS[0]):
    """§5: a v2 person."""
    first, _, last = name.partition(" ")
    email = f"{first.lower()}.{last.lower() or 'x'}@example.com"
    return {
        "id": 0,
        "name": name,
        "first_name": first,
        "last_name": last,
        "owner_id": owner,
        "org_id": org_id,
        "emails": [{"value": email, "primary": True, "label": "work"}],
        "phones": [],
        "add_time": _rfc3339(stamp),
        "update_time": _rfc3339(stamp),
        "is_deleted": False,
        "visible_to": 3,
        "label_ids": [],
        "picture_id": None,
        "custom_fields": {},
    }


def _deal(title: str, org_id: int | None, stamp: int, owner: int = _OWNER_IDS[0]):
    """§6: a v2 deal."""
    return {
        "id": 0,
        "title": title,
        "value": 0,
        "currency": "EUR",
        "status": "open",
        "org_id": org_id,
        "person_id": None,
        "owner_id": owner,
        "creator_user_id": owner,
        "stage_id": 1,
        "pipeline_id": 1,
        "probability": None,
        "lost_reason": None,
        "add_time": _rfc3339(stamp),
        "update_time": _rfc3339(stamp),
        "stage_change_time": None,
        "close_time": None,
        "won_time": None,
        "lost_time": None,
        "expected_close_date": None,
        "is_archived": False,
        "archive_time": None,
        "is_deleted": False,
        "label_ids": [],
        "visible_to": 3,
        "custom_fields": {},
    }


def _activity(type_: str, org_id, due_date: str, due_time: str, stamp: int, owner=_OWNER_IDS[0]):
    """§7: a v2 activity (``due_time`` in UTC per the v1 spec; v2 UNCONFIRMED)."""
    return {
        "id": 0,
        "subject": f"{type_.capitalize()} with client",
        "type": type_,
        "owner_id": owner,
        "creator_user_id": owner,
        "org_id": org_id,
        "person_id": None,
        "deal_id": None,
        "lead_id": None,
        "due_date": due_date,
        "due_time": due_time,
        "duration": "00:30" if due_time else "",
        "done": False,
        "marked_as_done_time": None,
        "add_time": _rfc3339(stamp),
        "update_time": _rfc3339(stamp),
        "busy": True,
        "note": None,
        "public_description": None,
        "priority": None,
        "location": None,
        "participants": [],
        "is_deleted": False,
    }


def _note(content: str, org_id: int | None, stamp: int, user: int = _OWNER_IDS[0]):
    """§8: a v1 note (times ``YYYY-MM-DD HH:MM:SS`` UTC)."""
    return {
        "id": 0,
        "content": content,
        "org_id": org_id,
        "person_id": None,
        "deal_id": None,
        "lead_id": None,
        "project_id": None,
        "user_id": user,
        "add_time": _v1_time(stamp),
        "update_time": _v1_time(stamp),
        "active_flag": True,
        "pinned_to_deal_flag": False,
        "pinned_to_person_flag": False,
        "pinned_to_organization_flag": False,
        "organization": None,
        "person": None,
        "deal": None,
        "user": {
            "email": "owner@example.com",
            "name": "Test Owner",
            "icon_url": None,
            "is_you": True,
        },
    }


_WORDS = ("Ltd", "Kft", "GmbH", "Studio", "Labs", "Partners", "Group", "Digital")
_FIRST = ("Anna", "Bence", "Clara", "David", "Eva", "Ferenc", "Greta", "Hugo")
_LAST = ("Kovacs", "Nagy", "Muller", "Silva", "Horvath", "Weber", "Costa", "Szabo")
_NOTES = (
    "<p>Call went fine.</p>",
    "<p>Client <b>unhappy</b> with delays.</p>",
    "<p>Asked again for a discount &amp; extra scope.</p>",
    "<ul><li>Invoice disputed</li><li>Promised to pay next week</li></ul>",
    "<p>Very friendly meeting.</p>",
)


def _seed_org(
    fake: FakePipedrive,
    rng: random.Random,
    n: int,
    now: int,
    span: int,
    sizes: tuple[int | None, int | None] = (None, None),
) -> int:
    """One seeded organization with its persons, deals, activities and notes (``sizes``:
    how many activities and notes, None for a random few)."""
    activities, notes = sizes
    created = now - span - rng.randrange(span)
    modified = now - rng.randrange(span)
    owner = rng.choice(_OWNER_IDS)
    org = _organization(f"Org {n} {rng.choice(_WORDS)}", created, owner)
    org["update_time"] = _rfc3339(modified)
    org["website"] = f"https://org{n}.example.com"
    org_id = fake._insert("organizations", org, {})
    person_ids = []
    for _ in range(rng.randint(1, 3)):
        name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
        person = _person(name, org_id, created + rng.randrange(span), owner)
        person["update_time"] = _rfc3339(max(modified - rng.randrange(86_400), created))
        person_ids.append(fake._insert("persons", person, {}))
    for d in range(rng.randint(0, 3)):
        at = created + rng.randrange(span)
        deal = _deal(f"Deal {n}.{d}", org_id, at, owner)
        deal["value"] = rng.randrange(500, 50_000, 100)
        deal["person_id"] = rng.choice(person_ids)
        deal["status"] = rng.choice(("open", "won", "won", "lost"))
        if deal["status"] != "open":
            closed = _rfc3339(at + rng.randrange(30 * 86_400))
            deal["close_time"] = closed
            deal[f"{deal['status']}_time"] = closed
        deal["update_time"] = _rfc3339(max(at, modified - rng.randrange(86_400)))
        fake._insert("deals", deal, {})
    for _ in range(rng.randint(0, 8) if activities is None else activities):
        at = now - rng.randrange(span)
        type_ = rng.choice(("call", "meeting", "email", "call", "email"))
        timed = rng.random() < 0.85
        due_time = f"{rng.randrange(6, 23):02d}:{rng.choice((0, 15, 30, 45)):02d}" if timed else ""
        activity = _activity(type_, org_id, _rfc3339(at)[:10], due_time, at - 86_400, owner)
        activity["person_id"] = rng.choice(person_ids)
        activity["participants"] = [{"person_id": activity["person_id"], "primary": True}]
        if at < now and rng.random() < 0.8:
            activity["done"] = True
            activity["marked_as_done_time"] = _rfc3339(at + rng.randrange(3_600))
        activity["update_time"] = _rfc3339(max(at - 86_400, min(now, at + 3_600)))
        fake._insert("activities", activity, {})
    for _ in range(rng.randint(0, 4) if notes is None else notes):
        at = now - rng.randrange(span)
        note = _note(rng.choice(_NOTES), org_id, at, owner)
        note["organization"] = {"name": org["name"]}
        fake._insert("notes", note, {})
    return org_id
