"""The built-in csv connector: a folder of CSV files (contracts §1)."""

from crmflags import hookimpl
from crmflags_csv.connector import CsvConnector


@hookimpl
def register_connectors(register):
    """Register the csv connector."""
    register(CsvConnector)
