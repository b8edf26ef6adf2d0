"""Shared helpers: business settings, quick builders of canonical clients, and plugins.

The tests load only crmflags' own plugins and those a test installs (the ``installed``
fixture), whatever else the environment has: ``CRMFLAGS_LOAD_PLUGINS`` is empty for
every test, subprocesses included.
"""

from __future__ import annotations

import re
import types
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from crmflags import hookimpl
from crmflags.loading import plugins as plugins_module
from crmflags.model import Activity, Client, Invoice, Note, TimeEntry
from crmflags.settings import Settings

BUDAPEST = ZoneInfo("Europe/Budapest")
PLUGIN_DOCS = Path(__file__).resolve().parent.parent / "docs" / "plugins.md"


def public_api() -> dict[str, list[str]]:
    """Return the public API docs/plugins.md declares: module -> the names it lists."""
    text = PLUGIN_DOCS.read_text(encoding="utf-8")
    table = text.split("## The public API", 1)[1].split("\n### ", 1)[0]
    rows = re.findall(r"^\| `([\w.]+)` \| (.+) \|$", table, re.MULTILINE)
    return {module: re.findall(r"`(\w+)`", names) for module, names in rows}


@pytest.fixture(autouse=True)
def private_state(tmp_path, monkeypatch):
    """Keep every test's state store (and its lock) in its own folder, never the user's."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))


@pytest.fixture(autouse=True)
def only_our_plugins(monkeypatch):
    """Load no third-party plugin the environment happens to have (llm and datasette do so)."""
    monkeypatch.setenv(plugins_module.LOAD_ENV, "")


@pytest.fixture(autouse=True)
def csv_tables_twin(monkeypatch):
    """Check every read of a CSV bundle against the columnar reader (tables_twin.py)."""
    from tables_twin import twin_read

    from crmflags_csv.connector import CsvConnector

    monkeypatch.setattr(CsvConnector, "read", twin_read)


class Installed(list):
    """Entry points a test installs beside the environment's; only they load beside ours."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch):
        super().__init__()
        self.monkeypatch = monkeypatch

    def append(self, entry_point) -> None:
        """Install one more entry point (anything with ``name``, ``dist`` and ``load()``)."""
        super().append(entry_point)
        self.monkeypatch.setenv(plugins_module.LOAD_ENV, ",".join(ep.name for ep in self))

    def connector(self, connector_class) -> None:
        """Install a plugin that registers ``connector_class``, named after the connector."""
        plugin = types.ModuleType(f"{connector_class.name}_plugin")
        plugin.register_connectors = hookimpl(lambda register: register(connector_class))

        class EntryPoint:
            name, dist = connector_class.name, None

            def load(self):
                return plugin

        self.append(EntryPoint())


@pytest.fixture
def installed(monkeypatch) -> Installed:
    """Add entry points to the ``crmflags`` group for this test, as if installed."""
    extra = Installed(monkeypatch)
    real = plugins_module.importlib.metadata.entry_points

    def entry_points(group):
        return list(real(group=group)) + list(extra)

    monkeypatch.setattr(plugins_module.importlib.metadata, "entry_points", entry_points)
    return extra


@pytest.fixture
def settings() -> Settings:
    """Budapest business: 08:00-18:00 Monday to Friday, default windows."""
    return Settings(timezone=BUDAPEST, timezone_name="Europe/Budapest")


def at(text: str) -> datetime:
    """A Budapest timestamp from ``YYYY-MM-DD HH:MM``."""
    return datetime.fromisoformat(text).replace(tzinfo=BUDAPEST)


def day(text: str) -> date:
    """A date from ``YYYY-MM-DD``."""
    return date.fromisoformat(text)


def invoice(issued: str, due: str, amount: float, paid: str | None = None, **extra) -> Invoice:
    """An invoice from ISO dates."""
    return Invoice(
        invoice_id=extra.pop("invoice_id", f"inv-{issued}-{amount}"),
        issued_on=day(issued),
        due_on=day(due),
        amount=amount,
        paid_on=day(paid) if paid else None,
        **extra,
    )


def contact(
    when: str, kind: str = "email", direction: str = "inbound", has_time: bool = True
) -> Activity:
    """An activity at a Budapest time."""
    return Activity(occurred_at=at(when), kind=kind, direction=direction, has_time=has_time)


def note(when: str, body: str = "", marker: str | None = None) -> Note:
    """A note at a Budapest time."""
    return Note(created_at=at(when), body=body, marker=marker)


def hours(on: str, amount: float, billable: bool = True, in_scope: bool = True) -> TimeEntry:
    """A time entry."""
    return TimeEntry(date=day(on), hours=amount, billable=billable, in_scope=in_scope)


def client(client_id: str = "c-1", **fields) -> Client:
    """A client with the given history."""
    return Client(id=client_id, name=fields.pop("name", f"Client {client_id}"), **fields)


def csv_bundle(folder: Path, **files: str) -> Path:
    """Write a CSV bundle into ``folder``: ``clients="id,name\n..."`` becomes clients.csv."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder


def bank_cases(bank: dict[str, dict[str, list[str]]]) -> list:
    """A paraphrase bank ``{tag: {language: [note, ...]}}`` as pytest cases ``(tag, body)``."""
    return [
        pytest.param(tag, body, id=f"{tag}-{language}-{index}")
        for tag, languages in bank.items()
        for language, bodies in languages.items()
        for index, body in enumerate(bodies)
    ]
