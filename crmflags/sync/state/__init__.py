"""The memory of unattended syncs: one embedded SQLite file, no server.

The store keeps the runs (start, end, connector, ruleset, counts, exit code), each
client's last result, its score history, an audit row for every value written to a
source, and the snoozes and acks people set. Everything is keyed by a *source*
string the caller chooses (``csv:/abs/path``, ``hubspot:portal-123``), so one store
serves several sources.

Apart from the *snapshot* below, nothing but ids, names and risk values is stored:
client ids and names, scores, levels, tags, rule reasons, the risk field values
written, ruleset and connector names. Never a token or password; callers must not pass such things in.

For connectors that read incrementally (HubSpot, Pipedrive), the store also keeps a
snapshot: the last-read copy of every client of the source with its history (as
encoded by :mod:`crmflags.sync.snapshot`), and the connector's cursor. It is as private as
the CRM data it copies; the file is created readable by its owner only.

The file is opened in WAL mode: readers never wait for a writer, and every write
method is one transaction, durable when it returns (``synchronous=FULL``). The
schema version is ``PRAGMA user_version``; :data:`.schema.MIGRATIONS` brings a database
from any older version to the current one, each step inside the same transaction as the
version bump, so a later crmflags adds one function to the list.

A client gone from a source is *tombstoned*, not erased (:meth:`StateStore.forget_clients`):
its last result, snoozes and acks are set aside for a while and come back if the client
does (:meth:`StateStore.restore_clients`), so no single run can erase what people decided.

Writes to a source go through the audit in two steps, so a run killed at any moment
loses nothing: :meth:`StateStore.plan_writes` records *pending* rows before the
source is touched, :meth:`StateStore.settle_writes` marks them once the source
answered, and :meth:`StateStore.resolve_unsettled` decides, from what the source
holds now, what became of the rows of a run that died in between.

The store is one class, :class:`StateStore`, made of one part per job, each in its
module: :mod:`.database` (the file, its integrity and transactions), :mod:`.schema`
(tables and migrations), :mod:`.runs` (runs, results, score history), :mod:`.audit`
(writes), :mod:`.snapshots`, :mod:`.tombstones` and :mod:`.decisions` (snoozes, acks,
keeps and what runs left alone). :mod:`.records` holds what they hand back.
"""

from __future__ import annotations

import os
from pathlib import Path

from crmflags.sync.state.audit import AuditStore
from crmflags.sync.state.decisions import DecisionStore
from crmflags.sync.state.runs import RunsStore
from crmflags.sync.state.snapshots import SnapshotStore
from crmflags.sync.state.tombstones import TombstoneStore

__all__ = ["StateStore", "default_path"]


def default_path() -> Path:
    """Return where the state database lives unless configured otherwise.

    ``$XDG_STATE_HOME/crmflags/state.db``, or ``~/.local/state/crmflags/state.db``
    when ``XDG_STATE_HOME`` is not set.
    """
    base = os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state"
    return Path(base) / "crmflags" / "state.db"


class StateStore(RunsStore, AuditStore, SnapshotStore, TombstoneStore, DecisionStore):
    """The state database of crmflags (see the module documentation).

    Opening creates the file (readable by its owner only) and its folder if needed and
    migrates an older schema. A file that is not a crmflags state database, or one
    written by a newer crmflags, raises :class:`~crmflags.errors.InputError`.
    Use it as a context manager, or call :meth:`close`.
    """
