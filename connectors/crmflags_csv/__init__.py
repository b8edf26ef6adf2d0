"""The built-in csv connector: a folder of CSV files (contracts §1)."""

from crmflags import hookimpl
from crmflags_csv.connector import CsvConnector
from crmflags_csv.presets import PRESET_FOLDER


@hookimpl
def register_connectors(register):
    """Register the csv connector."""
    register(CsvConnector)


@hookimpl
def register_csv_presets(register):
    """Register the shipped presets (hubspot-export, pipedrive-export)."""
    register(PRESET_FOLDER)
