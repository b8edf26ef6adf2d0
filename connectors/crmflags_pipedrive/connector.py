"""The pipedrive connector: organizations and their history in; risk fields out."""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from datetime import datetime, timezone
from typing import Any

from crmflags.connector import (
    ChangedClients,
    ClientChange,
    ConnectorOptions,
    IncrementalConnector,
    WriteReport,
)
from crmflags.errors import InputError
from crmflags.model import Client, RecordFailure
from crmflags.sections import transport_keys
from crmflags_pipedrive.client import PipedriveClient
from crmflags_pipedrive.configuration import PipedriveSettings, load_settings
from crmflags_pipedrive.cursor import Cursor
from crmflags_pipedrive.fields import FieldMap
from crmflags_pipedrive.kept import apply_changes
from crmflags_pipedrive.mapping import RISK_FIELDS, Mapper
from crmflags_pipedrive.reading import (
    cached_histories,
    find_changes,
    map_one,
    read_clients,
    read_histories,
    read_organizations,
    rfc3339,
)
from crmflags_pipedrive.setup import set_up
from crmflags_pipedrive.writing import write_changes


class PipedriveConnector(IncrementalConnector):
    """Reads Pipedrive organizations with their persons, deals, activities and notes.

    The token is ``$PIPEDRIVE_API_TOKEN`` (or ``$PIPEDRIVE_ACCESS_TOKEN`` with ``auth:
    oauth``) or the file named by ``token_file:`` under ``pipedrive:`` in crmflags.yaml;
    ``domain:`` there gives the API address. Risk fields are written to the "crmflags
    risk ..." organization fields. ``sleep`` and ``clock`` are for tests that must not
    wait, ``now`` for tests of incremental reads.
    """

    name = "pipedrive"
    description = (
        "Pipedrive organizations with their persons, deals, activities and notes; "
        'risk fields go to "crmflags risk ..." organization fields'
    )
    #: Pacing, timeouts and how far back an incremental read looks: changing them keeps
    #: the clients read so far.
    transport_settings = transport_keys(PipedriveSettings)
    #: The history read is kept between syncs (:mod:`crmflags_pipedrive.kept`).
    keeps_records = True

    def __init__(
        self,
        options: ConnectorOptions,
        *,
        sleep: Callable[[float], None] | None = None,
        clock: Callable[[], float] | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
        backoff_factor: float = 0.5,
    ):
        super().__init__(options)
        self.settings = load_settings(options)
        self.api_calls = 0
        self.now = now
        self._warnings: list[str] = []
        self._mapper: Mapper | None = None
        #: The own fields (Mapper.own_fields) of each organization this run read.
        self._seen: dict[str, tuple] = {}
        #: How many organizations the read in progress listed (None: not yet).
        self._listed: int | None = None
        #: The update_time our write gave each organization unchanged since this run read it.
        self._written: dict[str, str] = {}
        self.http = PipedriveClient(
            self.settings.base_url,
            self.settings.token,
            auth=self.settings.auth,
            requests_per_2s=self.settings.requests_per_2s,
            timeout=self.settings.timeout,
            backoff_factor=backoff_factor,
            sleep=sleep or time.sleep,
            clock=clock or time.monotonic,
            on_request=self._count_call,
        )

    def source_key(self) -> str:
        """Return ``pipedrive:<domain>`` when ``domain:`` is set, else ``pipedrive:<API host>``."""
        return f"pipedrive:{self.settings.domain or self.http.host}"

    def read(self) -> Iterator[Client | RecordFailure]:
        """Yield every organization as a Client, or a RecordFailure when its data is broken.

        Raises AuthError (exit 3) for a refused token, InputError for a field named in
        crmflags.yaml that Pipedrive lacks, PipedriveError when Pipedrive cannot be
        reached and BudgetSpent (a QuotaSpent, exit 1) when the daily token budget is
        used up.
        """
        self._warnings = []
        self._seen = {}
        self._listed = None
        self._warn_of_missing_setup()
        yield from read_clients(
            self.http,
            self.mapper(),
            self._warnings,
            self._seen,
            self._set_listed,
            self.record_cache,
        )

    def expected_total(self) -> int | None:
        """Return how many organizations the read in progress found, once they are listed
        (before their persons, deals, activities and notes are read); None until then."""
        return self._listed

    def _set_listed(self, count: int) -> None:
        self._listed = count

    def start_cursor(self) -> str:
        """Return now (UTC, RFC 3339): the moment a full read starts."""
        self._written = {}
        return rfc3339(self.now())

    def read_changed(self, cursor: str, again: Collection[str]) -> ChangedClients:
        """Return the organizations changed since ``cursor`` (less the lookback), whole.

        An organization counts as changed when it, or one of its persons, deals,
        activities or notes, was updated; one still at the update time our last write gave
        it (the cursor keeps those) does not count by itself. ``again`` are read too.
        Deleted organizations (soft-deleted, or no longer listed) are in ``removed``.
        Their history comes from the record cache with the changes folded in; without a
        complete cache, from the history lists read whole (which then fill the cache).
        """
        lookback = self.settings.lookback_minutes
        try:
            previous = Cursor.parse(cursor)
        except ValueError:
            raise InputError(
                f"the state store's cursor {cursor[:60]!r} is not a Pipedrive cursor; run "
                "crmflags sync --full once"
            ) from None
        next_cursor = Cursor(rfc3339(self.now()), previous.written).with_written({}, lookback)
        self._warnings = []
        self._seen = {}
        self._written = {}
        self._warn_of_missing_setup()
        mapper = self.mapper()
        cache = self.record_cache
        changes = find_changes(self.http, mapper, previous, lookback, cache)
        if cache.complete:
            links = changes.links
            moved = apply_changes(cache, changes.records, links["persons"], links["deals"])
            changes.changed |= moved - changes.removed
        wanted = (changes.changed | {i for i in again if i.isdigit()}) - changes.removed
        organizations = {i: org for i, org in changes.organizations.items() if i in wanted}
        missing = wanted - set(organizations)
        organizations.update(read_organizations(self.http, mapper, missing))
        removed = changes.removed | (wanted - set(organizations))
        clients: list[Client | RecordFailure] = []
        if organizations:
            if cache.complete:
                histories = cached_histories(cache, set(organizations))
            else:
                cache.clear()
                histories = read_histories(self.http, only=set(organizations), cache=cache)
            if warning := histories.unowned_warning():
                self._warnings.append(warning)
            ordered = sorted(organizations.values(), key=lambda o: int(o["id"]))
            for org in ordered:
                self._seen[str(org["id"])] = mapper.own_fields(org)
                clients.append(map_one(mapper, org, histories.of(str(org["id"]))))
        return ChangedClients(clients, removed, next_cursor.text())

    def cursor_after_write(self, cursor: str) -> str:
        """Return ``cursor`` remembering the update time this run's writes gave each
        organization, so the next read_changed leaves those organizations alone.

        Only organizations this run read, and whose own fields the PATCH answer shows
        unchanged since, are remembered: one someone edited between the read and the
        write, or edits after it (a later update time), is read again.
        """
        return (
            Cursor.parse(cursor).with_written(self._written, self.settings.lookback_minutes).text()
        )

    def write(self, changes: Iterable[ClientChange]) -> WriteReport:
        """Write only the given risk fields to the crmflags organization fields."""
        answers: dict[str, Mapping[str, Any]] = {}
        report = write_changes(self.http, self.mapper().risk, changes, answers)
        for org_id, org in answers.items():
            stamp = org.get("update_time")
            if isinstance(stamp, str) and self._seen.get(org_id) == self.mapper().own_fields(org):
                self._written[org_id] = stamp
        return report

    def stored_value(self, field: str, value: str) -> str:
        """Return risk_changed_at as the day only: its Pipedrive field is a date field."""
        if RISK_FIELDS.get(field, ("", ""))[1] == "date":
            return value[:10]
        return value

    def setup(self) -> list[str]:
        """Create the crmflags organization fields; add missing tag and level options.

        Raises AuthError (exit 3) when the token's user may not change fields.
        """
        lines = set_up(self.http)
        self._mapper = None  # the fields changed: resolve them again
        return lines

    def mapper(self) -> Mapper:
        """Return the mapping with this company's fields resolved (read once per connector)."""
        if self._mapper is None:
            self._mapper = Mapper.resolve(
                FieldMap.read(self.http),
                self.settings,
                self.options.config,
                self.options.settings.timezone,
                self.options.place_of,
            )
        return self._mapper

    def warnings(self) -> list[str]:
        """Return what the last read carried on with (history without an organization)."""
        return list(self._warnings)

    def _warn_of_missing_setup(self) -> None:
        """Say which crmflags risk fields Pipedrive lacks, from the fields read anyway."""
        missing = [RISK_FIELDS[name][0] for name, found in self.mapper().risk.items() if not found]
        if missing:
            self._warnings.append(
                f"Pipedrive has no organization fields {', '.join(repr(m) for m in missing)} "
                "yet: run `crmflags setup --connector pipedrive` before the first sync"
            )

    def _count_call(self) -> None:
        self.api_calls += 1
