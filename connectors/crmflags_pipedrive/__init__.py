"""The Pipedrive connector (not built yet): registered so that it is listed, and says so when used."""

from crmflags import hookimpl
from crmflags.connector import Connector
from crmflags.errors import InputError


class PipedriveConnector(Connector):
    """Placeholder until the Pipedrive connector is written; every use explains that."""

    name = "pipedrive"
    description = "Pipedrive (not available yet in this version: use csv)"

    def __init__(self, options):
        raise InputError(
            "the pipedrive connector is not available yet in this version of crmflags; "
            "export your Pipedrive data to CSV and use --connector csv (see docs/csv-bundle.md)"
        )

    def read(self):
        """Never reached: creating the connector already fails."""
        raise NotImplementedError

    def write(self, changes):
        """Never reached: creating the connector already fails."""
        raise NotImplementedError


@hookimpl
def register_connectors(register):
    """Register the Pipedrive connector."""
    register(PipedriveConnector)
