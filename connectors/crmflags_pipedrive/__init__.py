"""The built-in pipedrive connector: Pipedrive organizations and their history (docs/connectors/pipedrive.md)."""

from crmflags import hookimpl
from crmflags_pipedrive.connector import PipedriveConnector


@hookimpl
def register_connectors(register):
    """Register the pipedrive connector."""
    register(PipedriveConnector)
