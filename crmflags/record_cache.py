"""Records a connector keeps between syncs, so a nightly read fetches only what changed.

An :class:`~crmflags.connector.IncrementalConnector` that sets ``keeps_records = True``
is handed a :class:`RecordCache` by ``crmflags sync`` (its ``record_cache``) before each
read. The connector puts the raw records a client is made from (engagements, invoices,
activities...) into it, each under a *kind* (the connector's own names), by id, with
the source's mark of its last modification (*version*) and, if it likes, a *group* to
find it by later (the client it belongs to). On the next incremental read it takes
from the cache what did not change instead of fetching it again.

The sync keeps the cache in its state store, one per source, and saves the run's puts
and drops in the same transaction as the snapshot and cursor: a run that dies leaves
the cache as the last finished run left it, consistent with the cursor the next run
starts from. A full read (the first sync, ``--full``, every ``full_read_days``, or
changed connector settings) starts from an empty cache, so what the source deleted is
gone after it at the latest. Outside ``crmflags sync`` (``crmflags evaluate``) the
connector gets a cache that keeps nothing.

Versions and groups are text; the data is anything :func:`json.dumps` takes. When a
new release of a connector changes the layout of what it keeps, it names its kinds
anew (``calls/2``): records of the old kinds are then never found, and the next full
read drops them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class CachedRecord:
    """One record of the source as a connector keeps it.

    ``version`` is the source's mark of the record's last modification (a timestamp,
    a revision number), ``data`` the record itself (JSON-serialisable), ``group`` an
    optional key to find records by (:meth:`RecordCache.in_groups`).
    """

    record_id: str
    version: str
    data: Any
    group: str = ""


class KeptRecords(Protocol):
    """The records a cache starts from: what the last finished sync saved (the core's)."""

    complete: bool

    def get(self, kind: str, ids: list[str]) -> dict[str, CachedRecord]:
        """Return the kept records of ``kind`` among ``ids``, by id."""

    def in_groups(self, kind: str, groups: list[str]) -> dict[str, CachedRecord]:
        """Return the kept records of ``kind`` whose group is one of ``groups``, by id."""


@dataclass
class CacheChanges:
    """What a run changed in a cache: the core saves it with the snapshot.

    ``cleared``: drop every record kept first; ``records``: by (kind, id), the record to
    keep, or None to drop it.
    """

    cleared: bool = False
    records: dict[tuple[str, str], CachedRecord | None] = field(default_factory=dict)


class RecordCache:
    """The records a connector keeps between syncs of one source (module doc).

    Reads see what the last finished sync kept (``kept``) with this run's puts and
    drops on top. ``keep=False`` makes a cache that keeps nothing: puts are forgotten,
    and it is never :attr:`complete`.
    """

    def __init__(self, kept: KeptRecords | None = None, *, keep: bool = True) -> None:
        self._kept = kept
        self._keep = keep
        self._changes = CacheChanges()

    @property
    def complete(self) -> bool:
        """Tell whether the cache holds every record the connector put since a full read
        and kept up since (True after :meth:`clear`): then a record it lacks is one the
        source did not have. False for a new or a non-keeping cache."""
        if not self._keep:
            return False
        if self._changes.cleared:
            return True
        return self._kept is not None and self._kept.complete

    def get(self, kind: str, ids: Iterable[str]) -> dict[str, CachedRecord]:
        """Return the records of ``kind`` the cache holds among ``ids``, by id."""
        wanted = list(dict.fromkeys(ids))
        found = {} if self._kept is None or self._changes.cleared else self._kept.get(kind, wanted)
        for record_id in wanted:
            if (kind, record_id) in self._changes.records:
                record = self._changes.records[(kind, record_id)]
                if record is None:
                    found.pop(record_id, None)
                else:
                    found[record_id] = record
        return found

    def in_groups(self, kind: str, groups: Iterable[str]) -> dict[str, CachedRecord]:
        """Return the records of ``kind`` in any of ``groups``, by id."""
        wanted = list(dict.fromkeys(groups))
        found = (
            {}
            if self._kept is None or self._changes.cleared
            else self._kept.in_groups(kind, wanted)
        )
        chosen = set(wanted)
        for (record_kind, record_id), record in self._changes.records.items():
            if record_kind != kind:
                continue
            if record is not None and record.group in chosen:
                found[record_id] = record
            else:
                found.pop(record_id, None)
        return found

    def put(self, kind: str, records: Iterable[CachedRecord]) -> None:
        """Keep ``records`` of ``kind``, replacing those kept under the same ids."""
        if self._keep:
            for record in records:
                self._changes.records[(kind, record.record_id)] = record

    def drop(self, kind: str, ids: Iterable[str]) -> None:
        """Forget the records of ``kind`` with these ids (deleted in the source)."""
        if self._keep:
            for record_id in ids:
                self._changes.records[(kind, str(record_id))] = None

    def clear(self) -> None:
        """Forget every record kept: the connector is about to put every record again.

        Once saved, the cache counts as :attr:`complete`.
        """
        self._changes = CacheChanges(cleared=True)

    def changes(self) -> CacheChanges:
        """Return what this run changed (for the core, which saves it with the snapshot)."""
        return self._changes
