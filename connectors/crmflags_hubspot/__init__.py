"""The built-in hubspot connector: HubSpot companies and their history (reference: docs)."""

from crmflags import hookimpl
from crmflags_hubspot.connector import HubSpotConnector


@hookimpl
def register_connectors(register):
    """Register the hubspot connector."""
    register(HubSpotConnector)
