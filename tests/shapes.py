"""Random canonical clients of every shape, for the tables and columnar-metric tests.

Each client is drawn from a seeded generator: empty histories, missing values,
amounts in several currencies (some without a rate, some written as symbols), huge
and tiny numbers, timestamps at many UTC offsets and around the Budapest DST changes
of 2026, records on both edges of the windows before and after :data:`AS_OF`, notes
with markers and with words the shipped term lists find (negated ones too).
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from crmflags.model import ACTIVITY_KINDS, NOTE_MARKERS, Activity, Client, Invoice, Note, TimeEntry

#: The as-of day the random histories lead up to.
AS_OF = date(2026, 11, 20)
ZONES = (
    ZoneInfo("Europe/Budapest"),
    ZoneInfo("America/New_York"),
    ZoneInfo("Asia/Kathmandu"),
    timezone.utc,
    timezone(timedelta(hours=-3, minutes=-30)),
    timezone(timedelta(hours=14)),
)
CURRENCIES = (None, None, "EUR", "eur", "€", "HUF", "Ft", "USD", "XYZ", "")
NOTE_TEXTS = (
    "",
    "Weekly status call, all fine.",
    "He called my colleague an idiot and threatened to sue us.",
    "They are not angry at all, no lawyer involved.",
    "Asked for a discount again, disputes the invoice.",
    "Az ügyfél ügyvédet fogadott, perrel fenyeget.",
    "Asiakas uhkasi haastaa oikeuteen.",
    "Klients draudēja ar tiesu un advokātu.",
    "Their previous agency called them idiots.",
    "They ignored our advice and went with a competitor's offer.",
    "Billing is hourly from now on.",
)
SUBJECTS = ("", "New banner", "Change billed by the hour", "t&m extra work", "Óradíjas módosítás")
#: Days around which records are drawn: the windows' edges, DST changes, the as-of day.
EDGES = (
    AS_OF,
    AS_OF + timedelta(days=1),
    AS_OF - timedelta(days=89),
    AS_OF - timedelta(days=90),
    AS_OF - timedelta(days=364),
    AS_OF - timedelta(days=365),
    date(2026, 3, 29),
    date(2026, 10, 25),
    date(2025, 10, 26),
)


def random_clients(seed: int, count: int) -> list[Client]:
    """Return ``count`` random canonical clients with unique ids."""
    rng = random.Random(seed)
    return [_client(rng, f"c-{seed}-{n}") for n in range(count)]


def _day(rng: random.Random) -> date:
    if rng.random() < 0.3:
        return rng.choice(EDGES) + timedelta(days=rng.choice((-1, 0, 0, 1)))
    return AS_OF - timedelta(days=rng.randint(-20, 420))


def _moment(rng: random.Random) -> datetime:
    zone = rng.choice(ZONES)
    clock = time(rng.randint(0, 23), rng.choice((0, 0, 30, 59)), rng.choice((0, 59)))
    if rng.random() < 0.1:
        clock = clock.replace(microsecond=rng.randint(0, 999_999))
    return datetime.combine(_day(rng), clock, zone)


def _amount(rng: random.Random) -> float:
    roll = rng.random()
    if roll < 0.05:
        return 0.0
    if roll < 0.08:
        return rng.choice((1e16, 3.5e17, 1e-7, 0.1, 0.2))
    return round(rng.uniform(10, 9000), rng.choice((0, 2, 3)))


def _maybe(rng: random.Random, value, chance: float = 0.4):
    return value if rng.random() > chance else None


def _client(rng: random.Random, client_id: str) -> Client:
    shape = rng.random()
    size = 0 if shape < 0.15 else rng.choice((1, 3, 8, 20))
    invoices = []
    for n in range(size if rng.random() > 0.1 else 0):
        issued = _day(rng)
        due = issued + timedelta(days=rng.choice((0, 8, 14, 30)))
        paid = _maybe(rng, due + timedelta(days=rng.randint(-10, 40)))
        invoices.append(
            Invoice(
                invoice_id=f"{client_id}-inv-{n}",
                issued_on=issued,
                due_on=due,
                amount=_amount(rng),
                paid_on=paid,
                currency=rng.choice(CURRENCIES) if rng.random() < 0.5 else None,
                disputed=rng.random() < 0.1,
                credited_amount=rng.choice((0.0, 0.0, 0.0, 10.0, 55.5)),
            )
        )
    activities = [
        Activity(
            occurred_at=_moment(rng),
            kind=rng.choice(ACTIVITY_KINDS),
            direction=rng.choice(("inbound", "inbound", "outbound")),
            subject=rng.choice(SUBJECTS),
            has_time=rng.random() > 0.1,
        )
        for _ in range(size * rng.randint(0, 3))
    ]
    notes = [
        Note(
            created_at=_moment(rng),
            body=rng.choice(NOTE_TEXTS),
            marker=rng.choice(NOTE_MARKERS) if rng.random() < 0.2 else None,
        )
        for _ in range(rng.randint(0, size))
    ]
    entries = [
        TimeEntry(
            date=_day(rng),
            hours=rng.choice((0.0, 0.1, 0.2, 0.25, 1.5, 7.3, 8.0)),
            billable=rng.random() > 0.2,
            in_scope=rng.random() > 0.2,
        )
        for _ in range(size * rng.randint(0, 2))
    ]
    fields = {}
    if rng.random() < 0.3:
        fields["billing"] = rng.choice(("hourly", "fixed", "óradíj", ""))
    if rng.random() < 0.2:
        fields["currency"] = rng.choice(("EUR", "HUF", "USD", "XYZ"))
    risk_shape = rng.random()
    if risk_shape < 0.2:
        risk: dict[str, str | None] = {}
    else:
        risk = {"risk_level": rng.choice(("low", "high", None)), "risk_score": _maybe(rng, "12")}
    return Client(
        id=client_id,
        name=rng.choice(("Acme", "Ügyfél Kft.", "Oy Ab", "")) + client_id,
        email=_maybe(rng, f"{client_id}@example.com"),
        business_type=_maybe(rng, "agency"),
        hourly_rate_target=_maybe(rng, rng.choice((50.0, 80, 25000.0, 1e16))),
        contracted_hours=_maybe(rng, rng.choice((0.0, 10.0, 120.5))),
        gut_feeling=rng.random() < 0.1,
        team_morale=_maybe(rng, float(rng.randint(1, 5))),
        invoices=invoices,
        activities=activities,
        notes=notes,
        time_entries=entries,
        risk=risk,
        fields=fields,
    )
