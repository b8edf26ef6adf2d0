"""The state store as commands name it: ``--state``, the source's key, today's date."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import click

from crmflags.cli.app import App
from crmflags.cli.common import read_tables_or_whole
from crmflags.connector import IncrementalConnector
from crmflags.errors import CrmflagsError
from crmflags.sync.snapshot import read_source
from crmflags.sync.state import StateStore, default_path


def state_option(command):
    """Add ``--state PATH`` (the state store) to a command."""
    return click.option(
        "--state",
        "state",
        metavar="PATH",
        help="State store file (default: state: in crmflags.yaml, else ~/.local/state/crmflags/state.db).",
    )(command)


def state_path(app: App, option: str | None) -> Path:
    """Return the state store to use: --state, else state: in crmflags.yaml, else the default."""
    if option:
        return Path(option).expanduser().resolve()
    return app.config.state_path or default_path()


def stored_source(app: App, store: StateStore, connector, source, base_url) -> str:
    """Return the state-store key of the source the options name, for store-only commands.

    history, snooze, ack and report make no API call, so they must work without the
    CRM's token: when the connector cannot be created (no token in a shell that is not
    cron's), the store's only source of that connector is taken.
    """
    try:
        return app.connector(connector, source, base_url).source_key()
    except CrmflagsError:
        known = store.sources(app.connector_name(connector, source))
        if len(known) != 1:
            raise
        return known[0]


def read_as_last_synced(app: App, path: Path):
    """Return a ``read`` for :func:`run_evaluation` that reuses the last sync's snapshot.

    For commands that evaluate without writing (explain, report): a connector that
    reads incrementally is asked only for what changed since the last sync, as
    ``sync --dry-run`` would, instead of reading the whole CRM; nothing is saved.
    Without a state store, or for other connectors, it reads everything.
    """

    def read(connector, progress):
        if not isinstance(connector, IncrementalConnector) or not path.exists():
            return read_tables_or_whole(connector, progress)
        with StateStore(path) as store:
            return read_source(
                connector, store, full_read_days=app.config.full_read_days, progress=progress
            ).records

    return read


def today_in(zone) -> date:
    """Return today's date in the business's time zone."""
    return datetime.now(zone).date()
