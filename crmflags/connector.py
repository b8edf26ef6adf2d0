"""The interface every connector implements, built-in or third-party.

A connector is a class registered through the ``register_connectors`` hook. It reads
canonical clients (:mod:`crmflags.model`) from its source and writes changed risk
fields back. The core decides *what* changed; the connector only stores it.
"""

from __future__ import annotations

import abc
import os
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit

from crmflags import sections
from crmflags.errors import InputError, did_you_mean, place
from crmflags.logs import register_secret
from crmflags.model import Client, RecordFailure
from crmflags.record_cache import RecordCache
from crmflags.settings import Settings

if TYPE_CHECKING:  # polars is imported only by the commands that read tables
    from crmflags.tables import HistoryTables


@dataclass(frozen=True)
class ConnectorOptions:
    """What a connector is given when it is created.

    ``source`` and ``base_url`` come from the command line (``--source``,
    ``--base-url``); ``config`` is the connector's own section of ``crmflags.yaml``
    (``csv:``, ``hubspot:``, ...), ``config_path`` the file it came from (for error
    messages); ``settings`` holds the business hours and time zone that naive
    timestamps are read in; ``presets`` the csv connector's presets by name.
    """

    settings: Settings
    source: Path | None = None
    base_url: str | None = None
    config: Mapping[str, Any] = field(default_factory=dict)
    config_path: Path | None = None
    #: The csv connector's presets the plugins registered (``register_csv_presets``), by name.
    presets: Mapping[str, Path] = field(default_factory=dict)

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
        return None if value is None else sections.path(what)(value, self._at(key))

    def secret(self, connector: str, env_var: str, what: str, file_key: str = "token_file") -> str:
        """Return a secret from the environment variable ``env_var``, else the file named.

        The file is the one the ``file_key`` setting names (relative to crmflags.yaml's
        folder). ``what`` names the secret for the error when there is none ("an API
        token"); an unreadable or empty file is an InputError with crmflags.yaml:line.
        The secret is registered with :func:`crmflags.logs.register_secret`, so it is
        masked in every log line and message from then on.
        """
        value = os.environ.get(env_var, "").strip()
        if not value:
            value = self._secret_file(connector, env_var, what, file_key)
        register_secret(value)
        return value

    def _secret_file(self, connector: str, env_var: str, what: str, file_key: str) -> str:
        path = self.path_setting(file_key, f"a file holding {what}")
        if path is None:
            raise InputError(
                f"the {connector} connector needs {what}: set the environment variable "
                f"{env_var}, or name a file holding it as {file_key}: under {connector}: in "
                "crmflags.yaml"
            )
        where = self.place_of(self.config, file_key)
        try:
            value = path.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or "not UTF-8 text"
            raise InputError(f"cannot read {file_key}: {path} ({reason})", where) from None
        if not value:
            raise InputError(f"{file_key}: {path} is empty", where)
        return value

    def checked_base_url(self, example: str) -> str | None:
        """Return ``--base-url`` without its trailing slash; None when it was not given.

        Raise InputError unless it is an http:// or https:// address with a host and no
        query string, fragment or user name; the message does not repeat the address
        (a query string may hold a token) and shows ``example`` instead.
        """
        url = self.base_url
        if not url:
            return None
        try:
            parts = urlsplit(url)
            good = parts.scheme in ("http", "https") and bool(parts.hostname)
            good = good and not (parts.query or parts.fragment or parts.username or parts.password)
        except ValueError:
            good = False
        if not good:
            raise InputError(
                "--base-url must be an http:// or https:// address without a query string, "
                f"e.g. {example}"
            )
        return url.rstrip("/")

    def field_names_setting(
        self, key: str, defaults: Mapping[str, str | None], what: str
    ) -> dict[str, str | None]:
        """Return the ``key:`` mapping of crmflags fields to the source's field names.

        The crmflags fields are the keys of ``defaults``, which also gives the names of
        those the mapping leaves out; a value may be null (the field is not kept).
        ``what`` names a source field ("HubSpot property name") in error messages, which
        carry crmflags.yaml:line and the closest crmflags field to a misspelt one.
        """
        return sections.field_names(defaults, what)(self.config[key], self._at(key))

    def names_setting(self, key: str, what: str) -> tuple[str, ...]:
        """Return the ``key:`` list of names (``what`` names one in the error), stripped."""
        return sections.names(what)(self.config[key], self._at(key))

    def whole_number_setting(self, key: str, low: int, high: int) -> int:
        """Return the ``key:`` setting, a whole number from ``low`` to ``high``; else
        InputError with crmflags.yaml:line."""
        return sections.whole_number(low, high)(self.config[key], self._at(key))

    def seconds_setting(self, key: str) -> float:
        """Return the ``key:`` setting, a number of seconds above 0 (a timeout); else
        InputError with crmflags.yaml:line."""
        return sections.seconds()(self.config[key], self._at(key))

    def section_values(self, declaration: type, connector: str) -> dict[str, Any]:
        """Return the values the connector's section sets, checked against ``declaration``.

        ``declaration`` is a dataclass of :func:`crmflags.sections.setting` fields; see
        :func:`crmflags.sections.section_values` (errors carry crmflags.yaml:line).
        """
        return sections.section_values(declaration, self.config, connector, self.config_path)

    def read_settings(self, declaration: type, connector: str, **given: Any) -> Any:
        """Return the connector's section read into ``declaration`` (a dataclass of
        :func:`crmflags.sections.setting` fields); ``given`` fills its other fields."""
        return declaration(**given, **self.section_values(declaration, connector))

    def _at(self, key: str) -> sections.At:
        return sections.At(key, self.config, self.config_path)

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
    """What :meth:`IncrementalConnector.read_changed` found in the source since a cursor.

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
    line for ``crmflags connectors``), and implement :meth:`read` and :meth:`write`;
    a connector that can read only what changed subclasses
    :class:`IncrementalConnector` instead. Configuration problems found in
    ``__init__`` or :meth:`read` raise :class:`crmflags.errors.InputError` (exit 2,
    nothing written); a refused token raises :class:`crmflags.errors.AuthError` (exit 3).

    The order of calls is part of the contract: a command makes one connector and
    reads through it (:meth:`read`, or :meth:`IncrementalConnector.read_changed`) to
    the end before it calls :meth:`write`, at most once, on that same connector. So a
    connector may keep what it read (record versions, resolved field names) to write
    with; :meth:`write` without a read is not a call the core makes.
    """

    #: What ``--connector`` takes, and the name of the connector's section of crmflags.yaml.
    name: ClassVar[str]
    #: One line for ``crmflags connectors``.
    description: ClassVar[str] = ""

    #: How many API calls the connector made so far (the sync's summary reports it).
    api_calls: int = 0

    #: Settings of the connector's section that change how it talks to the source, not
    #: what it reads (pacing, timeouts): changing them keeps the clients read so far.
    #: Any other setting changed means the next sync reads everything again.
    transport_settings: ClassVar[tuple[str, ...]] = ()

    def __init__(self, options: ConnectorOptions):
        """Keep the options (``self.options``); a subclass reads its settings from them."""
        self.options = options

    @abc.abstractmethod
    def read(self) -> Iterator[Client | RecordFailure]:
        """Yield every client of the source, in the source's order.

        A client whose own data is broken is yielded as a :class:`RecordFailure`
        naming it and the place of the fault; the others are still yielded. The core
        checks every record (:func:`crmflags.canonical.checked`).
        """

    @abc.abstractmethod
    def write(self, changes: Iterable[ClientChange]) -> WriteReport:
        """Store the given risk field values; touch nothing else.

        Each change names one client and only the fields whose values differ from
        what this connector's read returned (see the class doc for the order of
        calls). A change the source rejects for one client is reported in the returned
        :class:`WriteReport`, and the rest are still written.
        """

    def stored_value(self, field: str, value: str) -> str:
        """Return the text :meth:`read` will give back once ``value`` is written to ``field``.

        For a source that keeps less than crmflags sends, such as a date field given
        ``risk_changed_at``'s timestamp: the sync then plans, writes and audits that
        text, so a value the source shortened is not taken for a person's edit. The
        default is the value itself.
        """
        return value

    def expected_total(self) -> int | None:
        """Return how many records (clients and failures) the full :meth:`read` yields.

        Optional, for the progress bar a sync draws on a terminal: the core asks just
        before :meth:`read` and then again while the read goes on, only when a bar is
        drawn, so it may cost one cheap API call (cache the answer). Return None while
        the number is unknown, e.g. until the ids are listed; the bar then counts
        without a total. An approximate number is fine. The default is None.
        """
        return None

    def read_tables(self) -> HistoryTables | None:
        """Return every client of the source as tables, or None to be read by :meth:`read`.

        Optional, for a source that is columns already (files): the core then computes
        the built-in metrics on the columns, much faster than client by client. The
        tables (:class:`crmflags.tables.HistoryTables`) hold exactly what :meth:`read`
        would yield: the same clients, canonical, in the same order (each history table
        in the source's order), and the same RecordFailures in ``failures``;
        :func:`crmflags.tables.clients_from_tables` gives back clients equal to
        :meth:`read`'s. :meth:`warnings` then tells what this read noticed. The default
        is None.
        """
        return None

    def warnings(self) -> list[str]:
        """Return what the last :meth:`read` noticed but could carry on with."""
        return []

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


class IncrementalConnector(Connector):
    """A connector that can also read only what changed since a cursor.

    ``crmflags sync`` then reads it whole once (:meth:`start_cursor`, then
    :meth:`read`), keeps every client, and afterwards asks only for changes
    (:meth:`read_changed`); see :mod:`crmflags.sync.snapshot`. After the writes it
    asks for the cursor to keep (:meth:`cursor_after_write`).

    A connector that sets ``keeps_records`` is handed, before each read, a
    :class:`~crmflags.record_cache.RecordCache` as ``record_cache``: the raw records it
    put there in earlier syncs, saved with the cursor, so :meth:`read_changed` can
    fetch only the records that changed. A full read starts from an empty cache.
    """

    #: Whether ``crmflags sync`` keeps a record cache for this connector (see above).
    keeps_records: ClassVar[bool] = False
    #: The records kept between syncs (a cache that keeps nothing outside a sync).
    record_cache: RecordCache

    def __init__(self, options: ConnectorOptions):
        """Keep the options; ``record_cache`` keeps nothing until the sync hands one."""
        super().__init__(options)
        self.record_cache = RecordCache(keep=False)

    @abc.abstractmethod
    def start_cursor(self) -> str:
        """Return the cursor of a full read that is about to start.

        Called just before :meth:`read` by a sync that reads everything; a later
        :meth:`read_changed` with this cursor must return every client changed after
        this moment (a change made while the full read ran may come again: that is
        harmless). The text is the connector's own (a time, a sequence number); the
        core only stores it.
        """

    @abc.abstractmethod
    def read_changed(self, cursor: str, again: Collection[str]) -> ChangedClients:
        """Return the clients changed in the source since ``cursor``, and those removed.

        A client counts as changed when anything the canonical client is made from
        changed: its own fields, and its invoices, activities, notes and time entries.
        Use a lookback (re-read a margin before the cursor) against clocks that
        disagree. ``again`` names clients whose last read failed: read them too, changed
        or not. The core keeps the last full picture and evaluates every client, so
        the result must be complete for each client it names.
        """

    def cursor_after_write(self, cursor: str) -> str:
        """Return the cursor to keep once this run's writes are done (default: ``cursor``).

        In most CRMs a write moves the record's modification time, so with the cursor
        taken before the writes the next :meth:`read_changed` would read every client
        this run wrote. A connector that can tell its own writes from other changes
        (e.g. by the record versions its writes returned) folds that into the cursor
        here. Called after :meth:`write` (also when there was nothing to write).
        """
        return cursor
