"""Shared helpers: business settings and quick builders of canonical clients."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from crmflags.model import Activity, Client, Invoice, Note, TimeEntry
from crmflags.settings import Settings

BUDAPEST = ZoneInfo("Europe/Budapest")


@pytest.fixture(autouse=True)
def private_state(tmp_path, monkeypatch):
    """Keep every test's state store (and its lock) in its own folder, never the user's."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))


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
