"""The hubspot connector: companies and their history in; risk properties out."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from urllib.parse import urlsplit

from crmflags.connector import ClientChange, Connector, ConnectorOptions, WriteReport
from crmflags.model import Client, RecordFailure
from crmflags_hubspot.client import HubSpotClient
from crmflags_hubspot.configuration import load_settings
from crmflags_hubspot.reading import read_clients
from crmflags_hubspot.setup import set_up
from crmflags_hubspot.writing import write_changes


class HubSpotConnector(Connector):
    """Reads HubSpot companies with their calls, emails, meetings, notes and invoices.

    The token is ``$HUBSPOT_TOKEN`` or the file named by ``token_file:`` under
    ``hubspot:`` in crmflags.yaml; risk fields are written to the ``crmflags_*``
    company properties. ``sleep`` and ``clock`` are for tests that must not wait.
    """

    name = "hubspot"
    description = (
        "HubSpot companies with their calls, emails, meetings, notes and invoices; "
        "risk fields go to crmflags_* company properties"
    )

    def __init__(
        self,
        options: ConnectorOptions,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        backoff_factor: float = 0.5,
    ):
        super().__init__(options)
        self.settings = load_settings(options)
        self.api_calls = 0
        self._warnings: list[str] = []
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

    def read(self) -> Iterator[Client | RecordFailure]:
        """Yield every company as a Client, or a RecordFailure when its data is broken.

        Raises AuthError (exit 3) for a refused token or missing scope, and
        HubSpotError when HubSpot cannot be reached or its daily limit is used up.
        """
        self._warnings = []
        return read_clients(
            self.http, self.settings, self.options.settings.timezone, self._warnings
        )

    def write(self, changes: Iterable[ClientChange]) -> WriteReport:
        """Write only the given risk fields, as ``crmflags_<field>`` company properties."""
        return write_changes(self.http, self.settings.object_type, changes)

    def setup(self) -> list[str]:
        """Create the "crmflags" property group and the risk properties; add missing tags.

        Needs the ``crm.schemas.<type>.write`` scope (AuthError, exit 3, without it).
        """
        return set_up(self.http, self.settings.object_type)

    def warnings(self) -> list[str]:
        """Return what the last read carried on with (records gone, undated payments)."""
        return list(self._warnings)

    def _count_call(self) -> None:
        self.api_calls += 1
