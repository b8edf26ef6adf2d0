"""crmflags-sqlite: an example crmflags plugin with a connector and a ruleset.

crmflags loads this module through the entry point ``sqlite`` in the ``crmflags``
group (see pyproject.toml) and calls the hooks below.
"""

from pathlib import Path

from crmflags import hookimpl
from crmflags_sqlite.connector import SqliteConnector


@hookimpl
def register_connectors(register):
    """Register the sqlite connector."""
    register(SqliteConnector)


@hookimpl
def register_rulesets(register):
    """Register the ``studio`` ruleset shipped in this package's rulesets folder."""
    register(Path(__file__).parent / "rulesets")
