"""The hubspot connector: companies and their history in; risk properties out."""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Iterable, Iterator
from urllib.parse import urlsplit

from crmflags.connector import (
    ChangedClients,
    ClientChange,
    ConnectorOptions,
    IncrementalConnector,
    WriteReport,
)
from crmflags.errors import CrmflagsError, InputError
from crmflags.model import Client, RecordFailure
from crmflags.sections import transport_keys
from crmflags_hubspot.client import HubSpotClient
from crmflags_hubspot.configuration import HubSpotSettings, load_settings
from crmflags_hubspot.incremental import Cursor, read_changed
from crmflags_hubspot.mapping import RISK_PROPERTIES
from crmflags_hubspot.reading import ReadNotes, read_clients
from crmflags_hubspot.setup import missing_properties, set_up
from crmflags_hubspot.writing import write_changes


class HubSpotConnector(IncrementalConnector):
    """Reads HubSpot companies with their calls, emails, meetings, notes and invoices.

    The token is ``$HUBSPOT_TOKEN`` or the file named by ``token_file:`` under
    ``hubspot:`` in crmflags.yaml; risk fields are written to the ``crmflags_*``
    company properties. It reads incrementally (:mod:`crmflags_hubspot.incremental`).
    ``sleep`` and ``clock`` (monotonic, for pacing) and ``now`` (the wall clock the
    cursors are taken from) are for tests that must not wait.
    """

    name = "hubspot"
    description = (
        "HubSpot companies with their calls, emails, meetings, notes and invoices; "
        "risk fields go to crmflags_* company properties"
    )
    #: Pacing and timeouts: changing them keeps the clients read so far.
    transport_settings = transport_keys(HubSpotSettings)
    #: Engagements and invoices are kept between syncs (:mod:`crmflags_hubspot.reading`).
    keeps_records = True

    def __init__(
        self,
        options: ConnectorOptions,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], float] = time.time,
        backoff_factor: float = 0.5,
    ):
        super().__init__(options)
        self.settings = load_settings(options)
        self.api_calls = 0
        self.now = now
        self._notes = ReadNotes()
        self._previous: Cursor | None = None  # the cursor of the last read_changed
        self._written: dict[str, int] = {}
        self._set_up = False  # whether the risk properties are known to exist
        self._total: int | None = None  # companies, from one search call; -1: unknown
        self.http = HubSpotClient(
            self.settings.base_url,
            self.settings.token,
            requests_per_10s=self.settings.requests_per_10s,
            timeout=self.settings.timeout,
            backoff_factor=backoff_factor,
            sleep=sleep,
            clock=clock,
            on_request=self._count_call,
        )

    def source_key(self) -> str:
        """Return ``hubspot:<portal>`` when ``portal:`` is set, else ``hubspot:<API host>``."""
        return f"hubspot:{self.settings.portal or urlsplit(self.settings.base_url).netloc}"

    def expected_total(self) -> int | None:
        """Return how many companies the portal holds: the ``total`` of one search call,
        made the first time it is asked (None if that call fails; the read then says why)."""
        if self._total is None:
            body = {"limit": 1, "after": "0", "properties": ["hs_object_id"], "filterGroups": []}
            try:
                answer = self.http.post("/crm/v3/objects/companies/search", body)
                self._total = int(answer["total"])
            except (CrmflagsError, KeyError, TypeError, ValueError):
                self._total = -1
        return self._total if self._total >= 0 else None

    def read(self) -> Iterator[Client | RecordFailure]:
        """Yield every company as a Client, or a RecordFailure when its data is broken.

        Raises AuthError (exit 3) for a refused token or missing scope, QuotaSpent
        (exit 1) when its daily limit is used up, and HubSpotError when HubSpot cannot
        be reached.
        """
        self._notes = ReadNotes()
        self._previous = None
        zone = self.options.settings.timezone
        return read_clients(self.http, self.settings, zone, self._notes, self.record_cache)

    def start_cursor(self) -> str:
        """Return now, in epoch ms: a later read_changed looks from there (less a lookback)."""
        self._written = {}
        return str(self._now_ms())

    def read_changed(self, cursor: str, again: Collection[str]) -> ChangedClients:
        """Return the companies changed since ``cursor``, and those archived or merged away.

        See :mod:`crmflags_hubspot.incremental` for what counts as changed. Raises
        InputError (exit 2) for a cursor this connector did not write.
        """
        self._previous = Cursor.parse(cursor)
        self._notes = ReadNotes()
        self._written = {}
        return read_changed(
            self.http,
            self.settings,
            self.options.settings.timezone,
            self._previous,
            self._now_ms(),
            again,
            self._notes,
            self.record_cache,
        )

    def cursor_after_write(self, cursor: str) -> str:
        """Return ``cursor`` with the versions of the companies this run read and wrote.

        Writing a company moves its modified date: with these versions the next
        read_changed knows those companies did not change since, and leaves them. A
        company someone edited between the read and the write is not among them.
        """
        versions = {**self._notes.versions}
        versions[self.settings.object_type] = {
            **versions.get(self.settings.object_type, {}),
            **self._written,
        }
        return Cursor.parse(cursor).add(versions).text()

    def write(self, changes: Iterable[ClientChange]) -> WriteReport:
        """Write only the given risk fields, as ``crmflags_<field>`` company properties.

        Raises InputError (exit 2) before writing anything when HubSpot lacks any of
        those properties: ``crmflags setup`` creates them.
        """
        changes = list(changes)
        if changes:
            self._check_set_up()
        # Without a read in this run there is no picture to compare the versions with.
        read = self._previous is not None or bool(self._notes.versions)
        return write_changes(
            self.http,
            self.settings.object_type,
            changes,
            self._as_read if read else None,
            self._written,
        )

    def setup(self) -> list[str]:
        """Create the "crmflags" property group and the risk properties; add missing tags.

        Needs the ``crm.schemas.<type>.write`` scope (AuthError, exit 3, without it).
        """
        self._set_up = False
        return set_up(self.http, self.settings.object_type)

    def warnings(self) -> list[str]:
        """Return what the last read carried on with (records gone, undated payments)."""
        return list(self._notes.warnings)

    def _check_set_up(self) -> None:
        """Refuse to write before ``crmflags setup``: every record would fail, at length."""
        if self._set_up:
            return
        seen = self._notes.risk_seen or set()
        if not set(RISK_PROPERTIES.values()) <= seen:
            missing = missing_properties(self.http, self.settings.object_type)
            if missing:
                raise InputError(
                    f"HubSpot has no {self.settings.object_type} properties "
                    f"{', '.join(missing)} yet, so nothing was written: run "
                    "`crmflags setup --connector hubspot` once, then sync again"
                )
        self._set_up = True

    def _as_read(self, company_id: str, version: int) -> bool:
        """Tell whether the company at ``version`` is the one the sync's picture holds:
        the version read this run, else the one the last read knew, or one older than
        the changes it looked for (the picture holds every change before those)."""
        read = self._notes.versions.get(self.settings.object_type, {})
        if company_id in read:
            return read[company_id] == version
        previous = self._previous
        if previous is None:
            return False
        known = previous.known.get(self.settings.object_type, {}).get(company_id)
        return version == known or (known is None and version < previous.since)

    def _now_ms(self) -> int:
        return int(self.now() * 1000)

    def _count_call(self) -> None:
        self.api_calls += 1
