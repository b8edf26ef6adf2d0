"""The HubSpot connector (not built yet): registered so that it is listed, and says so when used."""

from crmflags import hookimpl
from crmflags.connector import Connector
from crmflags.errors import InputError


class HubSpotConnector(Connector):
    """Placeholder until the HubSpot connector is written; every use explains that."""

    name = "hubspot"
    description = "HubSpot (not available yet in this version: use csv)"

    def __init__(self, options):
        raise InputError(
            "the hubspot connector is not available yet in this version of crmflags; "
            "export your HubSpot data to CSV and use --connector csv (see docs/csv-bundle.md)"
        )

    def read(self):
        """Never reached: creating the connector already fails."""
        raise NotImplementedError

    def write(self, changes):
        """Never reached: creating the connector already fails."""
        raise NotImplementedError


@hookimpl
def register_connectors(register):
    """Register the HubSpot connector."""
    register(HubSpotConnector)
