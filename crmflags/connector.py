"""The interface every connector implements, built-in or third-party.

A connector is a class registered through the ``register_connectors`` hook. It reads
canonical clients (:mod:`crmflags.model`) from its source and writes changed risk
fields back. The core decides *what* changed; the connector only stores it.
"""

from __future__ import annotations

import abc
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from crmflags.errors import InputError, did_you_mean, place
from crmflags.model import Client, RecordFailure
from crmflags.settings import Settings


@dataclass(frozen=True)
class ConnectorOptions:
    """What a connector is given when it is created.

    ``source`` and ``base_url`` come from the command line (``--source``,
    ``--base-url``); ``config`` is the connector's own section of ``crmflags.yaml``
    (``csv:``, ``hubspot:``, ...), ``config_path`` the file it came from (for error
    messages); ``settings`` holds the business hours and time zone that naive
    timestamps are read in.
    """

    settings: Settings
    source: Path | None = None
    base_url: str | None = None
    config: Mapping[str, Any] = field(default_factory=dict)
    config_path: Path | None = None

    def check_keys(self, connector: str, allowed: tuple[str, ...]) -> None:
        """Raise InputError (crmflags.yaml:line, closest name) for a setting not in ``allowed``."""
        for key in self.config:
            if key not in allowed:
                raise InputError(
                    f"unknown {connector} setting {key!r}{did_you_mean(key, allowed)}; "
                    f"settings are {', '.join(allowed)}",
                    self.place_of(self.config, key),
                )

    def path_setting(self, key: str, what: str) -> Path | None:
        """Return the path a setting names, relative to crmflags.yaml's folder; None if unset.

        ``what`` says what the path must be ("a folder", "a file holding the token") for
        the error when the value is not a path.
        """
        value = self.config.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise InputError(f"{key} must be the path of {what}", self.place_of(self.config, key))
        path = Path(value).expanduser()
        if self.config_path is not None and not path.is_absolute():
            path = Path(self.config_path).parent / path
        return path

    def place_of(self, mapping: Any, key: Any) -> str:
        """Return ``crmflags.yaml:line`` of ``key`` in a mapping of the connector's section.

        For error messages about a setting: the line is known for mappings read from
        the file, and left out otherwise.
        """
        line_of = getattr(mapping, "line_of", None)
        return place(self.config_path or "crmflags.yaml", line_of(key) if line_of else None)


@dataclass(frozen=True)
class ClientChange:
    """New values for some risk fields of one client (only those that differ)."""

    client_id: str
    fields: Mapping[str, str]


@dataclass
class WriteReport:
    """What a connector did with a batch of changes."""

    written: int = 0
    failures: list[RecordFailure] = field(default_factory=list)


@dataclass
class ChangedClients:
    """What :meth:`Connector.read_changed` found in the source since a cursor.

    ``clients`` yields each new or changed client whole (all its history, as
    :meth:`Connector.read` would), or a RecordFailure for one that could not be read.
    ``removed`` names clients that are gone from the source (deleted, archived, merged
    into another); ``cursor`` is where the next incremental read starts. The core reads
    ``removed`` and ``cursor`` only after it has exhausted ``clients``, so a connector
    may fill them in while it reads (e.g. merges it notices on the way).
    """

    clients: Iterable[Client | RecordFailure]
    removed: set[str] = field(default_factory=set)
    cursor: str = ""


class Connector(abc.ABC):
    """Base class of connectors.

    Subclasses set ``name`` (what ``--connector`` takes) and ``description`` (one
    line for ``crmflags connectors``), and implement :meth:`read` and :meth:`write`.
    Configuration problems found in ``__init__`` or :meth:`read` raise
    :class:`crmflags.errors.InputError` (exit 2, nothing written); a refused token
    raises :class:`crmflags.errors.AuthError` (exit 3).
    """

    name: ClassVar[str]
    description: ClassVar[str] = ""

    def __init__(self, options: ConnectorOptions):
        self.options = options

    @abc.abstractmethod
    def read(self) -> Iterator[Client | RecordFailure]:
        """Yield every client of the source, in the source's order.

        A client whose own data is broken is yielded as a :class:`RecordFailure`
        naming it and the place of the fault; the others are still yielded.
        """

    @abc.abstractmethod
    def write(self, changes: Iterable[ClientChange]) -> WriteReport:
        """Store the given risk field values; touch nothing else.

        Each change names one client and only the fields whose values differ from
        what :meth:`read` returned. A change the source rejects for one client is
        reported in the returned :class:`WriteReport`, and the rest are still written.
        """

    def stored_value(self, field: str, value: str) -> str:
        """Return the text :meth:`read` will give back once ``value`` is written to ``field``.

        For a source that keeps less than crmflags sends, such as a date field given
        ``risk_changed_at``'s timestamp: the sync then plans, writes and audits that
        text, so a value the source shortened is not taken for a person's edit. The
        default is the value itself.
        """
        return value

    #: How many API calls the connector made so far (the sync's summary reports it).
    api_calls: int = 0

    def warnings(self) -> list[str]:
        """Return what the last :meth:`read` noticed but could carry on with."""
        return []

    #: True when the connector implements :meth:`start_cursor` and :meth:`read_changed`,
    #: so that ``crmflags sync`` reads only what changed since its last run.
    incremental: ClassVar[bool] = False

    def start_cursor(self) -> str:
        """Return the cursor of a full read that is about to start.

        Called just before :meth:`read` by a sync that reads everything; a later
        :meth:`read_changed` with this cursor must return every client changed after
        this moment (a change made while the full read ran may come again: that is
        harmless). The text is the connector's own (a time, a sequence number); the
        core only stores it. Only called when :attr:`incremental` is True.
        """
        raise NotImplementedError(f"connector {self.name} does not read incrementally")

    def read_changed(self, cursor: str, again: Collection[str]) -> ChangedClients:
        """Return the clients changed in the source since ``cursor``, and those removed.

        A client counts as changed when anything the canonical client is made from
        changed: its own fields, and its invoices, activities, notes and time entries.
        Use a lookback (re-read a margin before the cursor) against clocks that
        disagree. ``again`` names clients whose last read failed: read them too, changed
        or not. Only called when :attr:`incremental` is True; the core keeps the last
        full picture and evaluates every client, so the result must be complete for
        each client it names.
        """
        raise NotImplementedError(f"connector {self.name} does not read incrementally")

    def cursor_after_write(self, cursor: str) -> str:
        """Return the cursor to keep once this run's writes are done (default: ``cursor``).

        In most CRMs a write moves the record's modification time, so with the cursor
        taken before the writes the next :meth:`read_changed` would read every client
        this run wrote. A connector that can tell its own writes from other changes
        (e.g. by the record versions its writes returned) folds that into the cursor
        here. Only called when :attr:`incremental` is True, after :meth:`write`.
        """
        return cursor

    def setup(self) -> list[str]:
        """Create in the source whatever the connector needs to store risk fields.

        Properties, columns...: ``crmflags setup`` calls this. It is idempotent: what
        is there already is left as it is. Return one line per thing created or
        changed (empty when all was there). The default does nothing.
        """
        return []

    def source_key(self) -> str:
        """Return a stable name of the source this connector reads (its state-store key).

        Two connectors reading the same data must give the same key, and different
        data different keys: e.g. ``csv:/home/me/exports``, ``hubspot:portal-123``.
        The default is the connector's name, right for a connector with one source.
        """
        return self.name
