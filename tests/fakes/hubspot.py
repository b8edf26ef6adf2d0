"""A stateful fake of the HubSpot CRM API on 127.0.0.1, for the connector's integration tests.

Every rule the fake enforces cites the section of ``/work/shared/reference/hubspot.md`` it
comes from (``§n.m``), so it can be corrected when the reference is.  Facts the reference
marks UNCONFIRMED are implemented as the reference's best guess and say so in a comment.
The HTTP server, request log, failure injection and rolling windows are the shared
toolkit's (:mod:`fakes.server`); what is here is HubSpot's.
"""

from __future__ import annotations

import json
import math
import random
import re
import threading
import time
import uuid
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
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

OBJECT_TYPES = ("companies", "deals", "invoices", "calls", "emails", "meetings", "notes")
ENGAGEMENT_TYPES = ("calls", "emails", "meetings", "notes")

# §7.1: Free/Starter tier, 100 requests per 10 s per app and 250,000 per day.
DEFAULT_BURST_LIMIT = 100
DEFAULT_BURST_WINDOW = 10.0
DEFAULT_DAILY_LIMIT = 250_000
# §2.6: "Design for <= 4 req/s across all search calls."
DEFAULT_SEARCH_PER_SECOND = 4
# §2.6: 10,000 results max per search query.
SEARCH_CAP = 10_000

# Property types per object: a type name, or a tuple of options for an enumeration (select).
_COMMON = {"hs_object_id": "number", "hs_lastmodifieddate": "datetime"}
_BUILTIN_PROPERTIES: dict[str, dict[str, Any]] = {
    "companies": {
        "name": "string",
        "domain": "string",
        "industry": "string",
        "city": "string",
        # §2.7: the survivor of a merge lists the absorbed ids here, ';'-separated.
        "hs_merged_object_ids": "string",
    },
    "deals": {
        "hs_merged_object_ids": "string",  # §2.7
        "dealname": "string",
        "amount": "number",
        "closedate": "datetime",
        "pipeline": "string",
        "dealstage": "string",
    },
    # §6: invoice properties; status values draft/open/paid/voided.
    "invoices": {
        "hs_invoice_status": ("draft", "open", "paid", "voided"),
        "hs_due_date": "date",
        "hs_invoice_date": "date",
        "hs_amount_billed": "number",
        "hs_balance_due": "number",
        "hs_currency": "string",
        "hs_number": "string",
    },
    # §3: engagement properties crmflags reads.
    "calls": {
        "hs_timestamp": "datetime",
        "hs_call_direction": ("INBOUND", "OUTBOUND"),
        "hs_call_title": "string",
        "hs_call_body": "string",
        "hs_call_duration": "number",
        "hs_call_status": "string",
        "hubspot_owner_id": "string",
    },
    "emails": {
        "hs_timestamp": "datetime",
        "hs_email_direction": ("EMAIL", "INCOMING_EMAIL", "FORWARDED_EMAIL"),
        "hs_email_subject": "string",
        "hs_email_text": "string",
        "hs_email_status": ("BOUNCED", "FAILED", "SCHEDULED", "SENDING", "SENT"),
        "hubspot_owner_id": "string",
    },
    "meetings": {
        "hs_timestamp": "datetime",
        "hs_meeting_title": "string",
        "hs_meeting_body": "string",
        "hs_meeting_start_time": "datetime",
        "hs_meeting_end_time": "datetime",
        "hs_meeting_outcome": "string",
        "hubspot_owner_id": "string",
    },
    "notes": {"hs_timestamp": "datetime", "hs_note_body": "string", "hubspot_owner_id": "string"},
}
# §2.2 (companies, deals) and §6 (invoices): properties returned when `properties` is omitted.
_DEFAULT_RETURNED = {
    "companies": ("name", "domain"),
    "deals": ("dealname", "amount", "closedate", "pipeline", "dealstage"),
}
# §2.1: all create/modify stamps are read-only; §2.4 says writing them is an error.
_READ_ONLY = {
    "hs_object_id",
    "hs_lastmodifieddate",
    "createdate",
    "hs_createdate",
    "hs_merged_object_ids",
}
# §2.1: merge exists for companies, contacts and deals (the fake has no contacts).
_MERGEABLE = ("companies", "deals")

# §5: property type / fieldType enums and the valid pairs.
_FIELD_TYPES = {
    "enumeration": {"booleancheckbox", "checkbox", "radio", "select", "calculation_equation"},
    "bool": {"booleancheckbox", "calculation_equation"},
    "date": {"date"},
    "datetime": {"date"},
    "string": {"text", "textarea", "html", "file", "phonenumber"},
    "phone_number": {"phonenumber", "text"},
    "number": {"number", "calculation_equation"},
}
# §4: association type ids are UNCONFIRMED; these numbers are illustrative only.
_ASSOCIATION_TYPE_ID = {
    "calls": 181,
    "emails": 185,
    "meetings": 187,
    "notes": 189,
    "invoices": 179,
    "deals": 341,
}


class ApiError(Exception):
    """An error answered with HubSpot's error body (§8.1)."""

    def __init__(self, status: int, category: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.headers: dict[str, str] = {}
        self.body = {"status": "error", "message": message, "category": category, **extra}


@dataclass(slots=True)
class _Record:
    id: str
    properties: dict[str, str | None]
    created: str
    archived_at: str | None = None


@dataclass
class _Request:
    query: dict[str, list[str]]
    body: Any
    params: dict[str, str]
    token: str = ""


def _iso(ms: int) -> str:
    """``2024-03-01T22:33:09.011Z`` from epoch milliseconds (§2.2 datetime format)."""
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms // 1000)) + f".{ms % 1000:03d}Z"


@lru_cache(maxsize=200_000)
def _as_ms(value: str) -> int:
    """Epoch ms from epoch-ms text, an ISO datetime or a date (§2.6 date filter values)."""
    if value.lstrip("-").isdigit():
        return int(value)
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return int(parsed.timestamp() * 1000)


def _new_id() -> str:
    return str(uuid.uuid4())


def _created_property(object_type: str) -> str:
    """§2.2/§6: companies and deals use ``createdate``, the other objects ``hs_createdate``."""
    return "createdate" if object_type in ("companies", "deals") else "hs_createdate"


def _require_type(object_type: str) -> None:
    if object_type not in OBJECT_TYPES:
        raise ApiError(400, "VALIDATION_ERROR", f"Unable to infer object type from: {object_type}")


def _read_scopes(object_type: str) -> list[str]:
    """§1.3: any one of these scopes allows reading the object type."""
    if object_type in ENGAGEMENT_TYPES:
        # §1.3: calls/meetings/notes need contacts.read; emails also accept sales-email-read.
        extra = ["sales-email-read"] if object_type == "emails" else []
        return ["crm.objects.contacts.read", *extra]
    return [f"crm.objects.{object_type}.read"]


def _write_scopes(object_type: str) -> list[str]:
    """§1.3: companies/deals write scopes; invoice and engagement write scopes are guesses."""
    if object_type in ENGAGEMENT_TYPES:
        return ["crm.objects.contacts.write"]  # UNCONFIRMED, by analogy with the read scope.
    return [f"crm.objects.{object_type}.write"]


def _input_cap(inputs: Any, cap: int, what: str) -> list[dict]:
    if not isinstance(inputs, list):
        raise ApiError(400, "VALIDATION_ERROR", f"{what}: 'inputs' must be an array")
    if len(inputs) > cap:
        raise ApiError(
            400,
            "VALIDATION_ERROR",
            f"Batch input limit exceeded: {len(inputs)} inputs, at most {cap} allowed",
            context={"maxInputs": [str(cap)]},
        )
    return inputs


def _page_limit(raw: Any, default: int, maximum: int) -> int:
    try:
        limit = default if raw is None else int(raw)
    except (TypeError, ValueError):
        raise ApiError(400, "VALIDATION_ERROR", f"Invalid limit: {raw!r}") from None
    if not 1 <= limit <= maximum:
        raise ApiError(400, "VALIDATION_ERROR", f"limit must be between 1 and {maximum}")
    return limit


def _standard_error(category: str, message: str, ids: list[str], **extra: Any) -> dict:
    """§8.3: a per-item error inside a 207 body."""
    return {
        "status": "error",
        "category": category,
        "message": message,
        "context": {"ids": ids},
        "errors": [],
        "links": {},
        **extra,
    }


def _batch_body(results: list, errors: list, started: str, completed: str) -> tuple[int, dict]:
    """§2.3/§2.4: 200 with results, or 207 adding ``errors`` and ``numErrors``."""
    body = {
        "status": "COMPLETE",
        "results": results,
        "startedAt": started,
        "completedAt": completed,
    }
    if errors:
        body.update(errors=errors, numErrors=len(errors))
        return 207, body
    return 200, body


def _query_list(query: dict[str, list[str]], name: str) -> list[str] | None:
    """§2.2: ``properties`` as repeated params or one comma-joined value."""
    if name not in query:
        return None
    return [part for value in query[name] for part in value.split(",") if part]


def _schema_read_scopes(request: _Request) -> list[str]:
    """§1.3: any of many read scopes allows reading properties."""
    object_type = request.params["type"]
    return _read_scopes(object_type) + [f"crm.schemas.{object_type}.read"]


def _schema_write_scopes(request: _Request) -> list[str]:
    """§1.3: creating or changing properties and groups needs crm.schemas.{type}.write."""
    return [f"crm.schemas.{request.params['type']}.write"]


def _route_info(kind: str, scopes: Callable[[_Request], list[str]]):
    """Mark a handler with its rate-limit kind and the scopes any one of which allows it."""

    def mark(handler):
        handler.kind = kind
        handler.scopes = scopes
        return handler

    return mark


class FakeHubSpot:
    """A fake HubSpot CRM API served over HTTP on 127.0.0.1.

    Use as a context manager (or call :meth:`start` / :meth:`stop`); ``base_url`` is then
    ``http://127.0.0.1:<port>``.  ``tokens`` maps each accepted bearer token to its granted
    scopes (``None`` grants every scope); by default ``token`` (``"test-token"``) has all scopes.
    Limits are plain attributes and may be changed between requests: ``burst_limit`` per
    ``burst_window`` seconds, ``daily_limit``, ``search_per_second`` per ``search_window``,
    ``search_cap``, ``association_page_size`` and ``retry_after`` (send ``Retry-After`` on 429s).
    ``log`` (:class:`fakes.server.RequestLog`) holds every request answered; ``requests``,
    ``calls``, ``statuses`` and :meth:`count` read it.
    """

    def __init__(
        self,
        tokens: dict[str, list[str] | None] | None = None,
        *,
        burst_limit: int = DEFAULT_BURST_LIMIT,
        burst_window: float = DEFAULT_BURST_WINDOW,
        daily_limit: int = DEFAULT_DAILY_LIMIT,
        search_per_second: int = DEFAULT_SEARCH_PER_SECOND,
        search_window: float = 1.0,
        retry_after: bool = False,
    ) -> None:
        self.tokens: dict[str, set[str] | None] = {}
        for token, scopes in (tokens or {"test-token": None}).items():
            self.add_token(token, scopes)
        self.token = next(iter(self.tokens))
        self.burst_limit = burst_limit
        self.burst_window = burst_window
        self.daily_limit = daily_limit
        self.search_per_second = search_per_second
        self.search_window = search_window
        self.search_cap = SEARCH_CAP
        # §4: the single-record association endpoint pages at 500; the batch size is a guess.
        self.association_page_size = 500
        # §7.2: Retry-After on 429 is UNCONFIRMED, so it is off unless a test asks for it.
        self.retry_after = retry_after
        # §2.2/§2.6: ``after`` is an opaque cursor in the spec; observed ones are numbers.
        # With opaque_cursors every ``after`` handed out is a random token instead.
        self.opaque_cursors = False
        # §8.4 / §8.3: "no associations" as observed (subCategory the string
        # crm.associations.NO_ASSOCIATIONS_FOUND) or, with "spec", as the spec's
        # StandardError allows: OBJECT_NOT_FOUND, an empty subCategory object, and the
        # from-object's id in context.fromObjectId.
        self.association_errors = "observed"
        self._cursors: dict[str, str] = {}
        #: Every request answered (secrets redacted), with counts per path and status.
        self.log = RequestLog()
        self.base_url = ""
        self._lock = threading.RLock()
        self._server = FakeServer(self.handle)
        self._failures = Failures()
        self._delays = Failures()
        self._burst = SlidingWindow(burst_limit, burst_window)
        self._search_hits = SlidingWindow(search_per_second, search_window)
        self._daily: Counter[str] = Counter()
        self._last_ms = 0
        self._version = 0  # bumped on every change to records, for the search cache
        self._search_cache: tuple[tuple, list[_Record]] | None = None
        self._next_id = 1000
        self._objects: dict[str, dict[str, _Record]] = {t: {} for t in OBJECT_TYPES}
        self._order: dict[str, list[int]] = {t: [] for t in OBJECT_TYPES}
        self._links: dict[tuple[str, str], dict[str, list[str]]] = {}
        self._groups: dict[str, dict[str, dict]] = {}
        self._properties: dict[str, dict[str, dict]] = {}
        for object_type in OBJECT_TYPES:
            self._seed_schema(object_type)

    # ----- lifecycle -------------------------------------------------------------------

    def start(self) -> FakeHubSpot:
        """Serve on a free port of 127.0.0.1 in a background thread; sets ``base_url``."""
        self.base_url = self._server.start().base_url
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self._server.stop()

    def __enter__(self) -> FakeHubSpot:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ----- test controls ---------------------------------------------------------------

    def add_token(self, token: str, scopes: list[str] | None = None) -> None:
        """Accept ``token``, granting ``scopes`` (``None``: every scope)."""
        self.tokens[token] = None if scopes is None else set(scopes)

    def fail_next(
        self,
        status: int = 503,
        times: int = 1,
        path_prefix: str = "/",
        headers: dict[str, str] | None = None,
    ) -> None:
        """Answer the next ``times`` requests under ``path_prefix`` with ``status`` (§8.2).

        The failure comes before authentication and rate limiting and does not count
        against either; ``headers`` (e.g. ``Retry-After`` for a 477) are added to it."""
        self._failures.add(Injection(times, status, path_prefix, headers=dict(headers or {})))

    def answer_next(self, injection: Injection) -> None:
        """Answer the requests ``injection`` matches with its own answer (a hostile one from
        :mod:`fakes.server`: wrong shapes, malformed JSON, a redirect, a trickle), before
        authentication and rate limiting."""
        self._failures.add(injection)

    def slow_next(self, seconds: float, times: int = 1, path_prefix: str = "/") -> None:
        """Delay the next ``times`` requests under ``path_prefix`` by ``seconds``."""
        self._delays.add(Injection(times, 200, path_prefix, delay=seconds))

    def count(self, path_prefix: str = "/", method: str | None = None) -> int:
        """How many requests (any outcome) hit paths starting with ``path_prefix``."""
        return self.log.count(path_prefix, method)

    @property
    def requests(self) -> list[tuple[str, str, Any]]:
        """``(method, path, body)`` of every request answered, in order."""
        return [(e.method, e.path, e.body) for e in list(self.log.entries)]

    @property
    def calls(self) -> Counter[tuple[str, str]]:
        """How many requests each ``(method, path)`` got."""
        return self.log.calls

    @property
    def statuses(self) -> Counter[int]:
        """How many answers of each HTTP status the fake gave (injected failures included)."""
        return self.log.statuses

    def reset_limits(self) -> None:
        """Forget burst, search and daily usage (as after midnight, §7.1)."""
        with self._lock:
            self._burst.clear()
            self._search_hits.clear()
            self._daily.clear()

    # ----- seeding and inspection ------------------------------------------------------

    def add_company(self, props: dict[str, str] | None = None) -> str:
        """Create a company; returns its id."""
        return self._create("companies", props or {})

    def add_engagement(
        self, kind: str, company_id: str, props: dict[str, str] | None = None
    ) -> str:
        """Create a call/email/meeting/note associated with ``company_id``; returns its id."""
        if kind not in ENGAGEMENT_TYPES:
            raise ValueError(f"not an engagement type: {kind}")
        return self._create_linked(kind, company_id, props or {})

    def add_invoice(self, company_id: str, props: dict[str, str] | None = None) -> str:
        """Create an invoice associated with ``company_id``; returns its id."""
        return self._create_linked("invoices", company_id, props or {})

    def add_deal(self, company_id: str, props: dict[str, str] | None = None) -> str:
        """Create a deal associated with ``company_id``; returns its id."""
        return self._create_linked("deals", company_id, props or {})

    def modify(
        self, object_id: str, props: dict[str, str] | None = None, object_type: str = "companies"
    ) -> None:
        """Set properties on a record (a company by default) and bump its
        ``hs_lastmodifieddate`` to now."""
        with self._lock:
            record = self._objects[object_type][object_id]
            record.properties.update(props or {})
            record.properties["hs_lastmodifieddate"] = _iso(self._now_ms())
            self._version += 1

    def archive(self, object_type: str, object_id: str) -> None:
        """Archive (delete) a record, as ``DELETE /crm/v3/objects/{type}/{id}`` would (§2.7)."""
        with self._lock:
            self._objects[object_type][object_id].archived_at = _iso(self._now_ms())
            self._version += 1

    def advance(self, seconds: float) -> None:
        """Move the portal's clock on: later changes get modification stamps at least this
        much later than any handed out so far (as the next night's edits would)."""
        with self._lock:
            self._last_ms = max(int(time.time() * 1000), self._last_ms) + int(seconds * 1000)

    def relink(self, object_type: str, object_id: str, company_id: str) -> None:
        """Associate a record with another company instead of its own (§4).

        Whether an association change alone moves the record's ``hs_lastmodifieddate`` is
        not documented (§4 says nothing): it does not here; call :meth:`modify` too to
        model an edit in the app that does."""
        with self._lock:
            links = self._links.setdefault(("companies", object_type), {})
            for linked in links.values():
                if object_id in linked:
                    linked.remove(object_id)
            links.setdefault(company_id, []).append(object_id)
            self._links.setdefault((object_type, "companies"), {})[object_id] = [company_id]
            self._version += 1

    def touch(self, object_ids: list[str], object_type: str = "companies") -> None:
        """Give records one and the same new ``hs_lastmodifieddate``, as a bulk import does."""
        with self._lock:
            stamp = _iso(self._now_ms())
            for object_id in object_ids:
                self._objects[object_type][object_id].properties["hs_lastmodifieddate"] = stamp
            self._version += 1

    def merge(self, primary_id: str, absorbed_id: str, object_type: str = "companies") -> None:
        """Merge one record into another, as ``POST /crm/v3/objects/{type}/merge`` would (§2.7)."""
        with self._lock:
            self._merge_records(object_type, primary_id, absorbed_id)

    def get(self, object_type: str, object_id: str) -> dict[str, str | None]:
        """A copy of a record's stored properties."""
        with self._lock:
            return dict(self._objects[object_type][object_id].properties)

    def ids(self, object_type: str = "companies") -> list[str]:
        """Ids of the live (not archived) records of a type, in creation order."""
        with self._lock:
            return [i for i, r in self._objects[object_type].items() if r.archived_at is None]

    def associated(self, from_type: str, from_id: str, to_type: str) -> list[str]:
        """Ids of ``to_type`` records associated with a record."""
        with self._lock:
            return list(self._links.get((from_type, to_type), {}).get(from_id, []))

    def generate(
        self,
        n_companies: int,
        seed: int = 0,
        days: int = 365,
        now_ms: int | None = None,
        *,
        invoices: int | None = None,
        engagements: int | None = None,
    ) -> list[str]:
        """Seed ``n_companies`` companies with invoices, deals and engagements spread over
        the ``days`` days before ``now_ms`` (default: now), reproducibly from ``seed`` and
        ``now_ms``; returns the company ids.

        ``invoices`` and ``engagements`` give each company that many (a year of a real
        client is ~10 and ~35); by default it gets 0-2 and 0-3."""
        rng = random.Random(seed)
        now = now_ms or int(time.time() * 1000)
        span = days * 86_400_000
        company_ids = []
        with self._lock:
            for n in range(n_companies):
                modified = now - rng.randrange(span)
                created = modified - rng.randrange(span)
                props = {
                    "name": f"Company {n} {rng.choice(_WORDS)}",
                    "domain": f"company{n}.example.com",
                    "industry": rng.choice(("SOFTWARE", "RETAIL", "CONSTRUCTION", "")),
                    "city": rng.choice(("Budapest", "Berlin", "Lisbon", "")),
                }
                company_id = self._create("companies", props, created, modified)
                company_ids.append(company_id)
                for kind, props in _random_children(rng, now, span, invoices, engagements):
                    self._create_linked(kind, company_id, props, created, modified)
        return company_ids

    # ----- state helpers ---------------------------------------------------------------

    def _now_ms(self) -> int:
        """Now in epoch ms, strictly increasing so modification stamps never tie."""
        self._last_ms = max(int(time.time() * 1000), self._last_ms + 1)
        return self._last_ms

    def _create(
        self,
        object_type: str,
        props: dict[str, str],
        created_ms: int | None = None,
        modified_ms: int | None = None,
    ) -> str:
        with self._lock:
            created_ms = created_ms or self._now_ms()
            self._next_id += 1
            object_id = str(self._next_id)
            stamp = _created_property(object_type)
            # Seeds may set the create/modify stamps themselves; the id is always the fake's.
            properties = {
                stamp: _iso(created_ms),
                "hs_lastmodifieddate": _iso(modified_ms or created_ms),
                **props,
                "hs_object_id": object_id,
            }
            record = _Record(object_id, properties, properties[stamp])
            self._objects[object_type][object_id] = record
            self._order[object_type].append(self._next_id)
            self._version += 1
            return object_id

    def _create_linked(
        self,
        object_type: str,
        company_id: str,
        props: dict[str, str],
        created_ms: int | None = None,
        modified_ms: int | None = None,
    ) -> str:
        with self._lock:
            if company_id not in self._objects["companies"]:
                raise KeyError(f"no company {company_id}")
            object_id = self._create(object_type, props, created_ms, modified_ms)
            self._links.setdefault(("companies", object_type), {}).setdefault(
                company_id, []
            ).append(object_id)
            self._links.setdefault((object_type, "companies"), {})[object_id] = [company_id]
            return object_id

    def _seed_schema(self, object_type: str) -> None:
        group = (
            "companyinformation" if object_type == "companies" else object_type[:-1] + "information"
        )
        self._groups[object_type] = {
            group: {"name": group, "label": "Information", "displayOrder": -1, "archived": False}
        }
        self._properties[object_type] = {}
        stamp = _created_property(object_type)
        types = {**_COMMON, stamp: "datetime", **_BUILTIN_PROPERTIES[object_type]}
        for name, kind in types.items():
            options = list(kind) if isinstance(kind, tuple) else []
            self._properties[object_type][name] = {
                "name": name,
                "label": name,
                "groupName": group,
                "type": "enumeration" if options else kind,
                "fieldType": "select" if options else _DEFAULT_FIELD_TYPE.get(kind, "text"),
                "options": [
                    {"label": o.title(), "value": o, "hidden": False, "displayOrder": i}
                    for i, o in enumerate(options)
                ],
                "hubspotDefined": True,
                "modificationMetadata": {
                    "archivable": False,
                    "readOnlyDefinition": True,
                    "readOnlyOptions": True,
                    "readOnlyValue": name in _READ_ONLY,
                },
                "archived": False,
            }

    def _shape(self, object_type: str, record: _Record, names: list[str] | None) -> dict:
        """§2.2: a SimplePublicObject with string property values."""
        if names is None:
            stamp = _created_property(object_type)
            names = [
                *_DEFAULT_RETURNED.get(object_type, ()),
                stamp,
                "hs_lastmodifieddate",
                "hs_object_id",
            ]
        defined = self._properties[object_type]
        # §2.2: names that do not exist are ignored; defined but unset ones come back null.
        props = {
            n: record.properties.get(n) for n in names if n in defined or n in record.properties
        }
        shaped = {
            "id": record.id,
            "properties": props,
            "createdAt": record.created,
            "updatedAt": record.properties["hs_lastmodifieddate"],
            "archived": record.archived_at is not None,
        }
        if record.archived_at is not None:
            shaped["archivedAt"] = record.archived_at
        return shaped

    # ----- HTTP dispatch ---------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        """Answer one request (called by the server thread)."""
        delay = self._delays.take(request)
        if delay:
            time.sleep(delay.delay)
        correlation = {"X-HubSpot-Correlation-Id": _new_id()}
        failure = self._failures.take(request)
        if failure and (failure.body is not None or failure.raw is not None):
            response = failure.response()  # a hostile answer, given as it is
        elif failure:
            error = ApiError(failure.status, "UNAVAILABLE", "Injected failure.")
            response = json_response(
                failure.status, self._error_body(error), {**correlation, **failure.headers}
            )
        else:
            with self._lock:
                try:
                    if request.json_error:
                        raise ApiError(400, "VALIDATION_ERROR", "Invalid input JSON on line 1")
                    status, payload, extra = self._route(request)
                except ApiError as error:
                    status, payload, extra = error.status, self._error_body(error), error.headers
            response = json_response(status, payload, {**correlation, **extra})
        self.log.record(request, response.status)
        return response

    @staticmethod
    def _error_body(error: ApiError) -> dict:
        # §8.1: every error carries a correlationId.
        return {**error.body, "correlationId": _new_id()}

    def _route(self, http: Request):
        method, path = http.method, http.path
        allowed = False
        for route_method, pattern, name in _ROUTES:
            match = pattern.match(path)
            allowed = allowed or bool(match)
            if not match or route_method != method:
                continue
            request = _Request(http.query, http.body, match.groupdict())
            route = getattr(self, name)
            request.token = self._authenticate(http.headers, route.scopes(request))
            limit_headers = self._rate_limit(request.token, route.kind)
            status, payload, extra = route(request)
            return status, payload, {**limit_headers, **extra}
        if allowed:
            raise ApiError(405, "VALIDATION_ERROR", f"{method} is not supported on {path}")
        raise ApiError(404, "OBJECT_NOT_FOUND", f"No route for {method} {path}")

    def _authenticate(self, headers: dict[str, str], needed: list[str]) -> str:
        """§1.1: ``Authorization: Bearer <token>``; §1.3/§8.2: 403 MISSING_SCOPES."""
        auth = headers.get("authorization", "")
        token = auth[len("Bearer ") :] if auth.startswith("Bearer ") else ""
        if token not in self.tokens:
            # §8.2: 401 with category INVALID_AUTHENTICATION.
            raise ApiError(
                401,
                "INVALID_AUTHENTICATION",
                "Authentication credentials not found. This API supports OAuth 2.0 authentication.",
            )
        granted = self.tokens[token]
        if granted is not None and not granted.intersection(needed):
            # §8.1 context.missingScopes; §8.2 errors[].context.requiredGranularScopes.
            raise ApiError(
                403,
                "MISSING_SCOPES",
                "This app hasn't been granted all required scopes to make this call.",
                errors=[
                    {
                        "message": "One or more of the following scopes are required.",
                        "context": {"requiredGranularScopes": needed},
                    }
                ],
                context={"missingScopes": needed},
            )
        return token

    def _rate_limit(self, token: str, kind: str) -> dict[str, str]:
        """§7: the daily limit, then the 10-second burst or the search per-second limit."""
        if self._daily[token] >= self.daily_limit:
            # §7.3: daily 429 body with policyName DAILY.
            # §7.1: the daily limit resets at midnight (the account's zone; UTC here).
            until_midnight = 86_400 - time.time() % 86_400
            raise self._too_many("You have reached your daily limit.", "DAILY", until_midnight)
        if kind == "search":
            # §2.6: search has its own per-second limit instead of the 10-second one.
            searches = self._search_hits
            searches.limit, searches.seconds = self.search_per_second, self.search_window
            if not searches.hit(token)[0]:
                # §7.3: recorded search 429s carry category RATE_LIMITS and no policyName.
                error = ApiError(429, "RATE_LIMITS", "You have reached your secondly limit.")
                error.headers = self._retry_headers(self.search_window)
                raise error
            self._daily[token] += 1
            # §7.2: search responses carry no X-HubSpot-RateLimit-* headers.
            return {}
        # §7.1: the burst limit is per app; each token stands for one app here.
        # §7.3 TEN_SECONDLY_ROLLING: a rolling window.
        burst = self._burst
        burst.limit, burst.seconds = self.burst_limit, self.burst_window
        if kind == "burst":
            allowed, remaining, reset = burst.hit(token)
            if not allowed:
                raise self._too_many(
                    "You have reached your ten_secondly_rolling limit.",
                    "TEN_SECONDLY_ROLLING",
                    reset,
                )
        else:  # §4: v4 association batch reads are ten-secondly exempt.
            remaining, _ = burst.peek(token)
        self._daily[token] += 1
        return self._limit_headers(token, remaining)

    def _limit_headers(self, token: str, remaining: int) -> dict[str, str]:
        """§7.2: the X-HubSpot-RateLimit-* headers."""
        return {
            "X-HubSpot-RateLimit-Daily": str(self.daily_limit),
            "X-HubSpot-RateLimit-Daily-Remaining": str(
                max(0, self.daily_limit - self._daily[token])
            ),
            "X-HubSpot-RateLimit-Interval-Milliseconds": str(int(self.burst_window * 1000)),
            "X-HubSpot-RateLimit-Max": str(self.burst_limit),
            "X-HubSpot-RateLimit-Remaining": str(remaining),
        }

    def _too_many(self, message: str, policy: str, wait: float) -> ApiError:
        # §7.3: 429 body with errorType RATE_LIMIT, policyName and requestId.
        error = ApiError(
            429,
            "RATE_LIMITS",
            message,
            errorType="RATE_LIMIT",
            policyName=policy,
            requestId=_new_id(),
        )
        error.headers = {
            "X-HubSpot-RateLimit-Interval-Milliseconds": str(int(self.burst_window * 1000)),
            "X-HubSpot-RateLimit-Max": str(self.burst_limit),
            "X-HubSpot-RateLimit-Remaining": "0",
            **self._retry_headers(wait),
        }
        return error

    def _retry_headers(self, wait: float) -> dict[str, str]:
        # §7.2: Retry-After on 429 is UNCONFIRMED; only sent when the test enables it.
        return {"Retry-After": str(max(1, math.ceil(wait)))} if self.retry_after else {}

    # ----- objects (§2) ----------------------------------------------------------------

    def _objects_of(self, request: _Request) -> dict[str, _Record]:
        _require_type(request.params["type"])
        return self._objects[request.params["type"]]

    @_route_info("burst", lambda r: _read_scopes(r.params["type"]))
    def _list_objects(self, request: _Request):
        """§2.2: ``GET /crm/v3/objects/{type}`` with ``limit``/``after`` paging."""
        records = self._objects_of(request)
        object_type = request.params["type"]
        # §2.2: limit default 10; maximum 100 is UNCONFIRMED, larger values are refused here.
        limit = _page_limit(_first(request.query, "limit"), 10, 100)
        archived = _first(request.query, "archived") == "true"  # §2.7
        names = _query_list(request.query, "properties")
        order = self._order[object_type]
        after = self._position(_first(request.query, "after"))
        if after is not None and not after.isdigit():
            raise ApiError(400, "VALIDATION_ERROR", f"Invalid after cursor: {after!r}")
        start = bisect_left(order, int(after)) if after else 0
        page: list[_Record] = []
        position = start
        while position < len(order) and len(page) <= limit:
            record = records[str(order[position])]
            if (record.archived_at is not None) == archived:
                page.append(record)
            position += 1
        body: dict[str, Any] = {
            "results": [self._shape(object_type, r, names) for r in page[:limit]]
        }
        if len(page) > limit:
            # §2.2: paging.next.after continues; absent on the last page.
            next_id = self._cursor(page[limit].id)
            link = f"?after={next_id}&limit={limit}"
            body["paging"] = {"next": {"after": next_id, "link": link}}
        return 200, body, {}

    @_route_info("burst", lambda r: _read_scopes(r.params["type"]))
    def _batch_read(self, request: _Request):
        """§2.3: ``POST /crm/v3/objects/{type}/batch/read``."""
        records = self._objects_of(request)
        body = request.body if isinstance(request.body, dict) else {}
        # §2.3: at most 100 inputs per batch read, 50 when propertiesWithHistory is used.
        cap = 50 if body.get("propertiesWithHistory") else 100
        inputs = _input_cap(body.get("inputs"), cap, "batch read")
        archived = _first(request.query, "archived") == "true"  # §2.7
        started = _iso(self._now_ms())
        names = body.get("properties") or None
        results, missing = [], []
        for item in inputs:
            record = records.get(str(item.get("id")))
            if record is None or (record.archived_at is not None) != archived:
                missing.append(str(item.get("id")))
            else:
                results.append(self._shape(request.params["type"], record, names))
        # §2.3: ids not found are reported in the body (207 + errors), not as an HTTP error.
        errors = []
        if missing:
            message = f"Could not get some {request.params['type']} objects, they may be deleted or not exist."
            errors.append(_standard_error("OBJECT_NOT_FOUND", message, missing))
        return (*_batch_body(results, errors, started, _iso(self._now_ms())), {})

    @_route_info("burst", lambda r: _write_scopes(r.params["type"]))
    def _batch_update(self, request: _Request):
        """§2.4: ``POST /crm/v3/objects/{type}/batch/update`` with per-item 207 errors."""
        records = self._objects_of(request)
        object_type = request.params["type"]
        body = request.body if isinstance(request.body, dict) else {}
        # §2.4: at most 100 inputs per batch update.
        inputs = _input_cap(body.get("inputs"), 100, "batch update")
        for item in inputs:
            values = item.get("properties")
            # §2.4: property values must be JSON strings; anything else fails schema validation.
            if not isinstance(values, dict) or not all(isinstance(v, str) for v in values.values()):
                raise ApiError(
                    400, "VALIDATION_ERROR", "Invalid input JSON: property values must be strings"
                )
        started = _iso(self._now_ms())
        results, errors = [], []
        for item in inputs:
            object_id = str(item.get("id"))
            trace = (
                {"objectWriteTraceId": item["objectWriteTraceId"]}
                if "objectWriteTraceId" in item
                else {}
            )
            record = records.get(object_id)
            if record is None or record.archived_at is not None:
                # §8.3: per-item OBJECT_NOT_FOUND, identified by context.ids.
                errors.append(
                    _standard_error(
                        "OBJECT_NOT_FOUND", f"Object {object_id} not found.", [object_id], **trace
                    )
                )
                continue
            problem = self._invalid_value(object_type, item["properties"])
            if problem:
                errors.append(_standard_error("VALIDATION_ERROR", problem, [object_id], **trace))
                continue
            # §2.4: an empty string clears a value.
            for name, value in item["properties"].items():
                record.properties[name] = value if value != "" else None
            record.properties["hs_lastmodifieddate"] = _iso(self._now_ms())
            self._version += 1
            results.append({**self._shape(object_type, record, list(item["properties"])), **trace})
        return (*_batch_body(results, errors, started, _iso(self._now_ms())), {})

    def _invalid_value(self, object_type: str, values: dict[str, str]) -> str | None:
        """§2.4/§5: unknown or read-only names and values that are not options are errors."""
        defined = self._properties[object_type]
        for name, value in values.items():
            prop = defined.get(name)
            if prop is None or prop["archived"]:
                return f'Property "{name}" does not exist'
            if prop["modificationMetadata"]["readOnlyValue"]:
                return f'Property "{name}" is read-only'
            if value == "":
                continue
            if prop["type"] == "enumeration":
                # §5: multi-checkbox values are option values joined with ';' (400 UNCONFIRMED).
                allowed = {o["value"] for o in prop["options"]}
                parts = value.split(";") if prop["fieldType"] == "checkbox" else [value]
                bad = [p for p in parts if p not in allowed]
                if bad:
                    return f'{bad[0]!r} was not one of the allowed options for "{name}"'
            if prop["type"] == "number" and not _is_number(value):
                return f'{value!r} is not a valid number for "{name}"'
        return None

    @_route_info("burst", lambda r: _write_scopes(r.params["type"]))
    def _merge(self, request: _Request):
        """§2.7: ``POST /crm/v3/objects/{type}/merge`` with ``primaryObjectId`` and
        ``objectIdToMerge`` returns the surviving record."""
        object_type = request.params["type"]
        if object_type not in _MERGEABLE:
            raise ApiError(400, "VALIDATION_ERROR", f"Merging {object_type} is not supported")
        body = _require_fields(request.body, ("primaryObjectId", "objectIdToMerge"))
        survivor = self._merge_records(
            object_type, str(body["primaryObjectId"]), str(body["objectIdToMerge"])
        )
        return 200, self._shape(object_type, survivor, None), {}

    def _merge_records(self, object_type: str, primary_id: str, absorbed_id: str) -> _Record:
        records = self._objects[object_type]
        primary, absorbed = records.get(primary_id), records.get(absorbed_id)
        for object_id, record in ((primary_id, primary), (absorbed_id, absorbed)):
            if record is None or record.archived_at is not None:
                raise ApiError(404, "OBJECT_NOT_FOUND", f"Object {object_id} not found.")
        if primary_id == absorbed_id:
            raise ApiError(400, "VALIDATION_ERROR", "Cannot merge a record into itself")
        # §2.7: the absorbed id is not returned as archived; what reading it returns is
        # UNCONFIRMED: here it is simply gone (not found).
        del records[absorbed_id]
        order = self._order[object_type]
        order.pop(bisect_left(order, int(absorbed_id)))
        # §2.7: the survivor's hs_merged_object_ids holds the absorbed ids, ';'-separated
        # (with those the absorbed record had itself absorbed).
        merged = [
            *(primary.properties.get("hs_merged_object_ids") or "").split(";"),
            absorbed_id,
            *(absorbed.properties.get("hs_merged_object_ids") or "").split(";"),
        ]
        primary.properties["hs_merged_object_ids"] = ";".join(m for m in merged if m)
        primary.properties["hs_lastmodifieddate"] = _iso(self._now_ms())
        # Not in the reference: the survivor keeps the absorbed record's associations
        # (its calls, notes, invoices...), as merging in HubSpot's UI shows. UNCONFIRMED.
        for (from_type, to_type), links in self._links.items():
            if from_type == object_type and absorbed_id in links:
                moved = links.pop(absorbed_id)
                kept = links.setdefault(primary_id, [])
                kept += [t for t in moved if t not in kept]
            elif to_type == object_type:
                for targets in links.values():
                    if absorbed_id in targets:
                        targets[:] = list(
                            dict.fromkeys(primary_id if t == absorbed_id else t for t in targets)
                        )
        self._version += 1
        return primary

    # ----- search (§2.6) ---------------------------------------------------------------

    @_route_info("search", lambda r: _read_scopes(r.params["type"]))
    def _search(self, request: _Request):
        """§2.6: ``POST /crm/v3/objects/{type}/search`` with filters, sorts and offset paging."""
        object_type = request.params["type"]
        _require_type(object_type)
        body = request.body if isinstance(request.body, dict) else {}
        groups = body.get("filterGroups") or []
        _check_filter_counts(groups)
        # §2.6: limit up to 200 per page, default 10.
        limit = _page_limit(body.get("limit"), 10, 200)
        after = self._position(str(body.get("after") or "0"))
        if not after.isdigit():
            raise ApiError(400, "VALIDATION_ERROR", f"Invalid after: {after!r}")
        offset = int(after)
        # §2.6: 10,000 results max per query; asking for a page beyond that returns 400.
        if offset >= self.search_cap:
            raise ApiError(
                400,
                "VALIDATION_ERROR",
                f"Paging beyond {self.search_cap} results is not supported; narrow the query.",
            )
        matches = self._matches(object_type, groups, body.get("sorts") or [])
        end = min(offset + limit, self.search_cap)
        names = body.get("properties") or None
        payload: dict[str, Any] = {
            "total": len(matches),
            "results": [self._shape(object_type, r, names) for r in matches[offset:end]],
        }
        if end < len(matches):
            # §2.6: the search cursor is a numeric offset; it is still offered at the cap,
            # and following it gets the 400 above, as the real API does.
            payload["paging"] = {"next": {"after": self._cursor(str(end))}}
        return 200, payload, {}

    def _matches(self, object_type: str, groups: list[dict], sorts: list) -> list[_Record]:
        """Filtered, sorted records; cached while nothing changes, so paging stays fast."""
        key = (object_type, json.dumps([groups, sorts], sort_keys=True), self._version)
        if self._search_cache and self._search_cache[0] == key:
            return self._search_cache[1]
        defined = self._properties[object_type]
        # §2.6 (Incremental sync): search is not expected to return archived records.
        # Records are kept in id order, which breaks ties between equal sort values.
        matches = [
            r
            for r in self._objects[object_type].values()
            if r.archived_at is None
            and (not groups or any(_group_matches(g, r, defined) for g in groups))
        ]
        for sort in reversed(sorts):
            name, descending = _sort_spec(sort)
            matches.sort(
                key=lambda r, n=name: _sort_key(r.properties.get(n), defined.get(n)),
                reverse=descending,
            )
        self._search_cache = (key, matches)
        return matches

    # ----- associations v4 (§4) --------------------------------------------------------

    @_route_info(
        "exempt", lambda r: _read_scopes(r.params["from_type"]) + _read_scopes(r.params["to_type"])
    )
    def _association_batch_read(self, request: _Request):
        """§4: ``POST /crm/v4/associations/{from}/{to}/batch/read`` with per-record paging."""
        from_type, to_type = request.params["from_type"], request.params["to_type"]
        _require_type(from_type)
        _require_type(to_type)
        body = request.body if isinstance(request.body, dict) else {}
        # §4: the input cap is 100 or 1,000 depending on the changelog version; use 100.
        inputs = _input_cap(body.get("inputs"), 100, "association batch read")
        links = self._links.get((from_type, to_type), {})
        started = _iso(self._now_ms())
        results, errors = [], []
        size = self.association_page_size
        for item in inputs:
            from_id = str(item.get("id"))
            targets = [
                t for t in links.get(from_id, []) if self._objects[to_type][t].archived_at is None
            ]
            if not targets:
                # §8.4: no associations come back as a 207 error, not an empty `to` list.
                errors.append(self._no_associations(from_type, to_type, from_id))
                continue
            position = self._position(str(item.get("after", "")))
            start = int(position) if position.isdigit() else 0
            result: dict[str, Any] = {
                "from": {"id": from_id},
                "to": [
                    {
                        # §8.4: toObjectId arrives as a number in practice (spec: string).
                        "toObjectId": int(target),
                        "associationTypes": [
                            {
                                "category": "HUBSPOT_DEFINED",
                                "typeId": _ASSOCIATION_TYPE_ID.get(to_type, 1),
                                "label": None,
                            }
                        ],
                    }
                    for target in targets[start : start + size]
                ],
            }
            if start + size < len(targets):
                # §4: paging only when the record has more; resend the id with this `after`.
                result["paging"] = {"next": {"after": self._cursor(str(start + size))}}
            results.append(result)
        return (*_batch_body(results, errors, started, _iso(self._now_ms())), {})

    def _no_associations(self, from_type: str, to_type: str, from_id: str) -> dict:
        """§8.4 as observed, or §8.3's StandardError as the spec declares it (see __init__)."""
        if self.association_errors == "spec":
            return {
                "status": "error",
                "category": "OBJECT_NOT_FOUND",
                "subCategory": {},
                "message": "Object not found.",
                "context": {"fromObjectId": [from_id]},
                "errors": [],
                "links": {},
            }
        return _standard_error(
            "OBJECT_NOT_FOUND",
            f"No {to_type} associated with {from_type} {from_id}.",
            [from_id],
            subCategory="crm.associations.NO_ASSOCIATIONS_FOUND",
        )

    # ----- cursors (§2.2, §2.6, §4) ----------------------------------------------------

    def _cursor(self, position: str) -> str:
        """The ``after`` to hand out for a position: itself, or an opaque token for it."""
        if not self.opaque_cursors:
            return position
        token = uuid.uuid4().hex
        self._cursors[token] = position
        return token

    def _position(self, after: str | None) -> str | None:
        """The position an ``after`` stands for (an unknown opaque token stays as it is)."""
        if after is None or not self.opaque_cursors:
            return after
        return self._cursors.get(after, after if after == "0" else f"unknown:{after}")

    # ----- properties (§5) -------------------------------------------------------------

    @_route_info("burst", _schema_read_scopes)
    def _list_groups(self, request: _Request):
        """§5: ``GET /crm/v3/properties/{type}/groups``."""
        _require_type(request.params["type"])
        groups = [g for g in self._groups[request.params["type"]].values() if not g["archived"]]
        return 200, {"results": groups}, {}

    @_route_info("burst", _schema_read_scopes)
    def _get_group(self, request: _Request):
        """§5: ``GET /crm/v3/properties/{type}/groups/{name}``; 404 when missing."""
        _require_type(request.params["type"])
        group = self._groups[request.params["type"]].get(request.params["name"])
        if group is None or group["archived"]:
            raise ApiError(
                404, "OBJECT_NOT_FOUND", f"Property group {request.params['name']} not found"
            )
        return 200, group, {}

    @_route_info("burst", _schema_write_scopes)
    def _create_group(self, request: _Request):
        """§5: ``POST /crm/v3/properties/{type}/groups`` -> 201; 409 when the name exists."""
        _require_type(request.params["type"])
        body = _require_fields(request.body, ("name", "label"))  # §5: PropertyGroupCreate
        groups = self._groups[request.params["type"]]
        if body["name"] in groups:
            # §8.2: 409 for an existing definition (details UNCONFIRMED).
            raise _exists("Property group", body["name"])
        groups[body["name"]] = {
            "name": body["name"],
            "label": body["label"],
            "displayOrder": body.get("displayOrder", -1),
            "archived": False,
        }
        return 201, groups[body["name"]], {}

    @_route_info("burst", _schema_read_scopes)
    def _list_properties(self, request: _Request):
        """§5: ``GET /crm/v3/properties/{type}`` -> ``{"results": [Property...]}``."""
        _require_type(request.params["type"])
        archived = _first(request.query, "archived") == "true"
        props = [
            p
            for p in self._properties[request.params["type"]].values()
            if p["archived"] == archived
        ]
        return 200, {"results": props}, {}

    @_route_info("burst", _schema_read_scopes)
    def _get_property(self, request: _Request):
        """§5: ``GET /crm/v3/properties/{type}/{name}``; 404 when missing."""
        return 200, self._property(request), {}

    @_route_info("burst", _schema_write_scopes)
    def _create_property(self, request: _Request):
        """§5: ``POST /crm/v3/properties/{type}`` -> 201 + Location; 409 on a duplicate name."""
        object_type = request.params["type"]
        _require_type(object_type)
        # §5: PropertyCreate requires name, label, type, fieldType, groupName.
        body = _require_fields(request.body, ("name", "label", "type", "fieldType", "groupName"))
        props = self._properties[object_type]
        if body["name"] in props:
            # §5: creating a name that already exists: expected 409 (UNCONFIRMED).
            raise _exists("Property", body["name"])
        if body["groupName"] not in self._groups[object_type]:
            raise ApiError(
                400, "VALIDATION_ERROR", f"Property group {body['groupName']} does not exist"
            )
        _check_type_pair(body)
        options = _check_options(body)
        prop = {
            **{k: v for k, v in body.items() if k != "options"},
            "options": options,
            "hubspotDefined": False,
            "modificationMetadata": {
                "archivable": True,
                "readOnlyDefinition": False,
                "readOnlyOptions": False,
                "readOnlyValue": False,
            },
            "createdAt": _iso(self._now_ms()),
            "archived": False,
        }
        props[body["name"]] = prop
        location = f"{self.base_url}/crm/v3/properties/{object_type}/{body['name']}"
        return 201, prop, {"Location": location}

    @_route_info("burst", _schema_write_scopes)
    def _update_property(self, request: _Request):
        """§5: ``PATCH /crm/v3/properties/{type}/{name}``: sent fields (whole ``options``) overwrite."""
        prop = self._property(request)
        body = request.body if isinstance(request.body, dict) else {}
        if "options" in body and prop["modificationMetadata"]["readOnlyOptions"]:
            # §5: HubSpot-defined properties with readOnlyOptions cannot be changed.
            raise ApiError(400, "VALIDATION_ERROR", f"Options of {prop['name']} are read-only")
        updated = {**prop, **{k: v for k, v in body.items() if k != "name"}}
        _check_type_pair(updated)
        updated["options"] = _check_options(updated)
        updated["updatedAt"] = _iso(self._now_ms())
        prop.update(updated)
        return 200, prop, {}

    def _property(self, request: _Request) -> dict:
        _require_type(request.params["type"])
        prop = self._properties[request.params["type"]].get(request.params["name"])
        if prop is None or prop["archived"]:
            raise ApiError(
                404, "OBJECT_NOT_FOUND", f"Property {request.params['name']} does not exist"
            )
        return prop


_DEFAULT_FIELD_TYPE = {
    "number": "number",
    "date": "date",
    "datetime": "date",
    "bool": "booleancheckbox",
}
_WORDS = ("Ltd", "Kft", "GmbH", "Studio", "Labs", "Partners", "Group", "Digital")
_OPERATORS = {
    "EQ", "NEQ", "LT", "LTE", "GT", "GTE", "BETWEEN", "IN", "NOT_IN",
    "HAS_PROPERTY", "NOT_HAS_PROPERTY", "CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN",
}  # fmt: skip

_ROUTES = [
    (method, re.compile(pattern), handler)
    for method, pattern, handler in (
        ("GET", r"^/crm/v3/objects/(?P<type>[^/]+)$", "_list_objects"),
        ("POST", r"^/crm/v3/objects/(?P<type>[^/]+)/batch/read$", "_batch_read"),
        ("POST", r"^/crm/v3/objects/(?P<type>[^/]+)/batch/update$", "_batch_update"),
        ("POST", r"^/crm/v3/objects/(?P<type>[^/]+)/search$", "_search"),
        ("POST", r"^/crm/v3/objects/(?P<type>[^/]+)/merge$", "_merge"),
        (
            "POST",
            r"^/crm/v4/associations/(?P<from_type>[^/]+)/(?P<to_type>[^/]+)/batch/read$",
            "_association_batch_read",
        ),
        ("GET", r"^/crm/v3/properties/(?P<type>[^/]+)/groups$", "_list_groups"),
        ("POST", r"^/crm/v3/properties/(?P<type>[^/]+)/groups$", "_create_group"),
        ("GET", r"^/crm/v3/properties/(?P<type>[^/]+)/groups/(?P<name>[^/]+)$", "_get_group"),
        ("GET", r"^/crm/v3/properties/(?P<type>[^/]+)$", "_list_properties"),
        ("POST", r"^/crm/v3/properties/(?P<type>[^/]+)$", "_create_property"),
        ("GET", r"^/crm/v3/properties/(?P<type>[^/]+)/(?P<name>[^/]+)$", "_get_property"),
        ("PATCH", r"^/crm/v3/properties/(?P<type>[^/]+)/(?P<name>[^/]+)$", "_update_property"),
    )
]


def _first(query: dict[str, list[str]], name: str) -> str | None:
    values = query.get(name)
    return values[0] if values else None


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def _check_filter_counts(groups: Any) -> None:
    """§2.6: design limits of <= 5 filter groups, <= 6 filters per group, <= 18 in total."""
    if not isinstance(groups, list) or not all(isinstance(g, dict) for g in groups):
        raise ApiError(400, "VALIDATION_ERROR", "filterGroups must be an array of objects")
    sizes = [len(g.get("filters") or []) for g in groups]
    if len(groups) > 5 or any(n > 6 for n in sizes) or sum(sizes) > 18:
        raise ApiError(
            400,
            "VALIDATION_ERROR",
            "Too many filters: at most 5 filterGroups, 6 filters per group and 18 filters in total",
        )
    for group in groups:
        for spec in group.get("filters") or []:
            if spec.get("operator") not in _OPERATORS:  # §2.6: the spec's operator enum
                raise ApiError(
                    400, "VALIDATION_ERROR", f"Unknown operator {spec.get('operator')!r}"
                )


def _comparable(value: str, prop: dict | None) -> Any:
    """Dates compare as epoch ms (§2.6 accepts ms or ISO), numbers as numbers, the rest as text."""
    kind = prop["type"] if prop else "string"
    if kind in ("date", "datetime"):
        return _as_ms(value)
    if kind == "number" and _is_number(value):
        return float(value)
    return value


def _filter_matches(spec: dict, record: _Record, defined: dict[str, dict]) -> bool:
    """§2.6: one filter (propertyName, operator, value / values / highValue)."""
    name, operator = spec.get("propertyName"), spec["operator"]
    actual = record.properties.get(name)
    if operator in ("HAS_PROPERTY", "NOT_HAS_PROPERTY"):
        return (actual not in (None, "")) == (operator == "HAS_PROPERTY")
    if actual in (None, ""):
        return operator in ("NEQ", "NOT_IN", "NOT_CONTAINS_TOKEN")
    prop = defined.get(name)
    if operator in ("CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN"):
        found = str(spec.get("value", "")).lower().strip("*") in actual.lower()
        return found == (operator == "CONTAINS_TOKEN")
    have = _comparable(actual, prop)
    if operator in ("IN", "NOT_IN"):
        wanted = {_comparable(str(v), prop) for v in spec.get("values") or []}
        return (have in wanted) == (operator == "IN")
    value = _comparable(str(spec.get("value")), prop)
    if operator == "BETWEEN":
        return value <= have <= _comparable(str(spec.get("highValue")), prop)
    return {
        "EQ": have == value,
        "NEQ": have != value,
        "LT": have < value,
        "LTE": have <= value,
        "GT": have > value,
        "GTE": have >= value,
    }[operator]


def _group_matches(group: dict, record: _Record, defined: dict[str, dict]) -> bool:
    """§2.6: filters in one group are ANDed (groups are ORed by the caller)."""
    return all(_filter_matches(spec, record, defined) for spec in group.get("filters") or [])


def _sort_spec(sort: Any) -> tuple[str, bool]:
    """§2.6: sorts as ``{"propertyName", "direction"}`` objects, or plain names (the spec's strings)."""
    if isinstance(sort, str):
        return sort, False
    return sort.get("propertyName"), sort.get("direction") == "DESCENDING"


def _sort_key(value: str | None, prop: dict | None) -> tuple:
    """Missing values sort last; typed values compare by their type."""
    if value in (None, ""):
        return (1, 0)
    comparable = _comparable(value, prop)
    return (0, comparable) if not isinstance(comparable, str) else (0, 0, comparable)


def _require_fields(body: Any, names: tuple[str, ...]) -> dict:
    missing = [n for n in names if not isinstance(body, dict) or body.get(n) in (None, "")]
    if missing:
        raise ApiError(
            400,
            "VALIDATION_ERROR",
            f"Missing required fields: {', '.join(missing)}",
            errors=[
                {"message": f"{n} is required", "in": n, "code": "REQUIRED_FIELD"} for n in missing
            ],
        )
    return body


def _exists(what: str, name: str) -> ApiError:
    """§5/§8.2: 409 for a duplicate name; the category is a guess (details UNCONFIRMED)."""
    return ApiError(
        409,
        "OBJECT_ALREADY_EXISTS",
        f"{what} named '{name}' already exists.",
        context={"name": [name]},
    )


def _check_type_pair(body: dict) -> None:
    """§5: ``type`` and ``fieldType`` enums and their valid pairs."""
    allowed = _FIELD_TYPES.get(body["type"])
    if allowed is None:
        raise ApiError(400, "VALIDATION_ERROR", f"Invalid property type {body['type']!r}")
    if body["fieldType"] not in allowed:
        raise ApiError(
            400,
            "VALIDATION_ERROR",
            f"fieldType {body['fieldType']!r} is not valid for type {body['type']!r}",
        )


def _check_options(body: dict) -> list[dict]:
    """§5: enumerations need options; each option needs label, value and hidden; <= 5,000."""
    options = body.get("options") or []
    if (
        body["type"] == "enumeration"
        and body["fieldType"] != "calculation_equation"
        and not options
    ):
        raise ApiError(400, "VALIDATION_ERROR", "Options are required for enumeration properties")
    if len(options) > 5000:
        raise ApiError(400, "VALIDATION_ERROR", "At most 5000 options per property")
    for option in options:
        if not isinstance(option, dict) or any(
            k not in option for k in ("label", "value", "hidden")
        ):
            raise ApiError(400, "VALIDATION_ERROR", "Each option needs label, value and hidden")
    values = [o["value"] for o in options]
    if len(set(values)) != len(values):
        raise ApiError(400, "VALIDATION_ERROR", "Option values must be unique")
    return [dict(o) for o in options]


def _random_children(
    rng: random.Random, now: int, span: int, invoices: int | None, engagements: int | None
):
    """Invoices, deals and engagements for one generated company: ``(type, props)`` pairs."""
    for _ in range(rng.randrange(3) if invoices is None else invoices):
        issued = now - rng.randrange(span)
        status = rng.choice(("open", "paid", "paid", "draft", "voided"))
        billed = rng.randrange(100, 20_000)
        yield (
            "invoices",
            {
                "hs_invoice_status": status,
                "hs_invoice_date": _iso(issued)[:10],
                "hs_due_date": _iso(issued + 30 * 86_400_000)[:10],
                "hs_amount_billed": f"{billed}.00",
                "hs_balance_due": f"{billed if status == 'open' else 0}.00",
                "hs_currency": "EUR",
            },
        )
    if rng.random() < 0.5:
        yield (
            "deals",
            {
                "dealname": "Retainer",
                "amount": str(rng.randrange(1000, 50_000)),
                "dealstage": "closedwon",
            },
        )
    for _ in range(rng.randrange(4) if engagements is None else engagements):
        kind = rng.choice(ENGAGEMENT_TYPES)
        yield kind, _random_engagement(rng, kind, now - rng.randrange(span))


def _random_engagement(rng: random.Random, kind: str, at: int) -> dict[str, str]:
    """§3: the properties crmflags reads for each engagement type."""
    props = {"hs_timestamp": _iso(at), "hubspot_owner_id": str(rng.randrange(1, 6))}
    if kind == "calls":
        props.update(
            hs_call_direction=rng.choice(("INBOUND", "OUTBOUND")),
            hs_call_duration=str(rng.randrange(10_000, 1_800_000)),  # §3: milliseconds
            hs_call_status="COMPLETED",
            hs_call_title="Check-in",
        )
    elif kind == "emails":
        props.update(
            hs_email_direction=rng.choice(("EMAIL", "INCOMING_EMAIL")),
            hs_email_subject="Re: project",
            hs_email_text="Thanks, see attached.",
            hs_email_status="SENT",
        )
    elif kind == "meetings":
        props.update(
            hs_meeting_title="Review",
            hs_meeting_start_time=_iso(at),
            hs_meeting_outcome="COMPLETED",
        )
    else:
        props.update(
            hs_note_body=rng.choice(
                ("<p>Call went fine.</p>", "<p>Client unhappy with delays.</p>")
            )
        )
    return props
