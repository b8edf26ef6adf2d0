"""A small, realistic demo database: ``python -m crmflags_sqlite.demo clients.db``.

Three clients of a design studio, seen from 2026-11-20: one who pays on time, one
who pays late and calls at night, and one who keeps changing the brief.
"""

from __future__ import annotations

import sqlite3
import sys
from datetime import date, timedelta
from pathlib import Path

SCHEMA = Path(__file__).with_name("schema.sql")

CLIENTS = [
    ("c1", "Lindgren Bakery", "anna@lindgren.example", 80, 0, 4),
    ("c2", "Harbor Logistics", "ops@harbor.example", 95, 1, 2),
    ("c3", "Nordic Apparel", "mia@nordic.example", 90, 0, 3),
]


def make_demo_database(path: str | Path) -> Path:
    """Create the demo database at ``path`` (which must not exist) and return its path."""
    path = Path(path)
    if path.exists():
        raise FileExistsError(f"{path} exists already")
    with sqlite3.connect(path) as connection:
        connection.executescript(SCHEMA.read_text(encoding="utf-8"))
        connection.executemany(
            "INSERT INTO clients (id, name, email, hourly_rate_target, gut_feeling, team_morale)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            CLIENTS,
        )
        connection.executemany("INSERT INTO invoices VALUES (?, ?, ?, ?, ?, ?)", list(_invoices()))
        connection.executemany("INSERT INTO activities VALUES (?, ?, ?, ?, ?)", list(_activities()))
        connection.execute(
            "INSERT INTO notes VALUES ('c2', '2026-11-12 09:15', "
            "'Said another studio would do it for half the price.', 'competitor')"
        )
    connection.close()
    return path


def _invoices():
    """Monthly invoices: c1 pays on time, c2 a month late with one still open, c3 on time.

    Dates are written as ISO text (what schema.sql's TEXT columns hold), not left to
    sqlite3's default date adapter, which Python 3.12 deprecated.
    """
    for month in range(3, 11):
        issued = date(2026, month, 1)
        due = issued + timedelta(days=14)
        late = None if month == 10 else (due + timedelta(days=30)).isoformat()
        dates = (issued.isoformat(), due.isoformat())
        yield ("c1", f"L-{month:02}", *dates, (due - timedelta(days=1)).isoformat(), 1800)
        yield ("c2", f"H-{month:02}", *dates, late, 2400)
        yield ("c3", f"N-{month:02}", *dates, due.isoformat(), 2100)


def _activities():
    """c1 emails in office hours, c2 calls at night, c3 sends change requests every few days."""
    for day in (2, 4, 6, 10, 12, 16, 18):  # weekdays
        yield ("c1", f"2026-11-{day:02} 10:30", "email", "inbound", "feedback on the menu")
    for day in range(9, 15):
        yield ("c2", f"2026-11-{day:02} 22:30", "call", "inbound", "where is the invoice?")
    start = date(2026, 8, 24)
    for step in range(16):
        when = start + timedelta(days=5 * step)
        yield ("c3", f"{when} 11:00", "change_request", "inbound", "new colours, again")


if __name__ == "__main__":
    print(make_demo_database(sys.argv[1] if len(sys.argv) > 1 else "clients.db"))
