"""Write a synthetic CSV bundle (contracts §1) of N clients with a year of realistic history.

Run it by hand or from ``bench/run.py``::

    python bench/generate.py --clients 100000 --out /tmp/bundle [--seed 1] [--history short]

The same seed gives the same bytes. Each client gets about 10 invoices, 30 activities,
5 notes and 20 time entries over the year before AS_OF (the spread is random); with
``--history short`` about 3 invoices, 12 activities, 2 notes and 7 time entries (~24 rows,
the history of a real small-business bundle). Each client has a temper drawn once: most
clients are clean, and a minority each pays late, writes at night, asks for work outside
the scope, pays under the target rate, runs over a contracted budget or gets rude,
threatening or legal in its notes. Notes are written in
English, Hungarian, Finnish and Latvian. The history files hold each client's rows
together in clients.csv order, except invoices.csv, which is in invoice-number order
across clients as accounting exports are (so a reader cannot assume sorted files).

The rows are written as they are made, so a bundle of 100,000 clients (6.5 million
rows, about 450 MB) takes little memory.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

#: The as-of day the history leads up to; evaluate with ``--as-of 2026-11-20``.
AS_OF = date(2026, 11, 20)
KINDS = ("call", "email", "meeting", "message", "change_request", "rush_request", "reminder")
KIND_WEIGHTS = (20, 45, 8, 15, 5, 2, 5)
MARKERS = ("advice_ignored", "agreement_disputed", "disrespect", "threat", "legal", "competitor")

#: Everyday notes per language; none of them is in a shipped term list.
CLEAN_NOTES = {
    "en": (
        "Weekly status call, the client is happy with the progress.",
        "Sent the draft of the new landing page for review.",
        "Agreed on the spring campaign; material arrives next week.",
        "Invoice questions answered; they will pay on Friday.",
    ),
    "hu": (
        "Átadtuk az új rendelési űrlapot, nagyon elégedettek.",
        "Heti egyeztetés: a tavaszi kampány anyagai jövő héten jönnek.",
        "Kérdés a számláról, megbeszéltük, pénteken fizetnek.",
    ),
    "fi": (
        "Asiakas kiitti uudesta portfoliosivusta; jatkosopimus keväällä.",
        "Viikkopalaveri sujui hyvin, aineistot tulevat ensi viikolla.",
        "Laskusta kysyttiin, selvitimme asian puhelimessa.",
    ),
    "lv": (
        "Klients apstiprināja jauno rezervāciju sistēmu bez iebildumiem.",
        "Iknedēļas zvans: materiāli pienāks nākamnedēļ.",
        "Jautājums par rēķinu atrisināts, maksās piektdien.",
    ),
}
#: Notes that a term list of the shipped rulesets finds (abuse, disrespect, legal, ...).
TROUBLED_NOTES = {
    "en": (
        "He called me an idiot on the phone and yelled at the designer.",
        "Their lawyer sent a letter about the delay; they threaten legal action.",
        "Very condescending again: 'you don't know your job'.",
        "Wants a discount on work that was already agreed.",
    ),
    "hu": (
        "Telefonon ordítozott és idiótának nevezett minket.",
        "Az ügyvédjük levelet küldött, bírósággal fenyegetnek.",
        "Megint lekezelő volt, szerinte kontár munkát végzünk.",
    ),
    "fi": (
        "Asiakas huusi puhelimessa ja uhkaili meitä.",
        "Heidän asianajajansa lähetti kirjeen, uhkaavat käräjillä.",
        "Todella ylimielinen palaveri, vähätteli koko tiimiä.",
    ),
    "lv": (
        "Klients kliedza un nosauca mūs par idiotiem.",
        "Viņu jurists draudēja ar tiesu par kavējumu.",
        "Ļoti augstprātīgs un nepieklājīgs zvans.",
    ),
}
LANGUAGES = tuple(CLEAN_NOTES)
#: How many rows of each kind a client gets (inclusive ranges), per ``--history``.
HISTORY = {
    "long": {
        "time_entries": (10, 30),
        "invoices": (5, 15),
        "activities": (15, 45),
        "notes": (0, 10),
    },
    "short": {"time_entries": (4, 10), "invoices": (2, 5), "activities": (8, 16), "notes": (0, 4)},
}


def generate(folder: Path, clients: int, seed: int = 1, history: str = "long") -> dict[str, int]:
    """Write the bundle of ``clients`` clients into ``folder``; return the rows per file.

    ``history`` names the row counts per client in :data:`HISTORY`.
    """
    sizes = HISTORY[history]
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    counts = dict.fromkeys(("clients", "invoices", "activities", "notes", "time_entries"), 0)
    files = {
        name: open(folder / f"{name}.csv", "w", encoding="utf-8", newline="") for name in counts
    }
    try:
        out = {name: csv.writer(f) for name, f in files.items()}
        out["clients"].writerow(
            ["id", "name", "email", "hourly_rate_target", "contracted_hours", "gut_feeling",
             "team_morale"]
        )  # fmt: skip
        out["activities"].writerow(["client_id", "occurred_at", "kind", "direction", "subject"])
        out["notes"].writerow(["client_id", "created_at", "body", "marker"])
        out["time_entries"].writerow(["client_id", "date", "hours", "billable", "in_scope"])
        invoices: list[tuple] = []
        for n in range(1, clients + 1):
            rows = _client(rng, n, sizes)
            for name, table in rows.items():
                counts[name] += len(table)
                if name == "invoices":
                    invoices += table
                else:
                    out[name].writerows(table)
        out["invoices"].writerow(
            ["client_id", "invoice_id", "issued_on", "due_on", "paid_on", "amount", "currency",
             "disputed", "credited_amount"]
        )  # fmt: skip
        # Accounting exports list invoices by number, which follows the issue date.
        invoices.sort(key=lambda row: row[1])
        out["invoices"].writerows(
            (row[0], f"INV-{i:08d}", *row[1:]) for i, row in enumerate(invoices, start=1)
        )
    finally:
        for f in files.values():
            f.close()
    return counts


def _client(rng: random.Random, n: int, sizes: dict[str, tuple[int, int]]) -> dict[str, list]:
    """Return one client's rows per file; its temper decides what conditions it shows."""
    cid = f"c{n:06d}"
    late = rng.random() < 0.12
    night = rng.random() < 0.10
    scope = rng.random() < 0.08
    cheap = rng.random() < 0.08
    troubled = rng.random() < 0.06
    language = rng.choice(LANGUAGES)
    target = rng.choice((45, 55, 65, 75))
    rate = target * (rng.uniform(0.4, 0.7) if cheap else rng.uniform(1.0, 1.5))
    rnd, randint, day = rng.random, rng.randint, _day_maker(rng)

    entries = []
    total = billable_hours = 0.0
    for _ in range(randint(*sizes["time_entries"])):
        in_scope = rnd() >= (0.4 if scope else 0.02)
        billable = in_scope and rnd() < 0.95
        hours = rng.choice((0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0))
        total += hours
        billable_hours += hours if billable else 0.0
        entries.append((cid, day(True), hours, _yes(billable), _yes(in_scope)))

    invoices = []
    count = randint(*sizes["invoices"])
    for _ in range(count):
        issued = day(True)
        due = issued + timedelta(days=rng.choice((8, 14, 30)))
        paid = due + timedelta(days=randint(5, 45) if late and rnd() < 0.6 else randint(-5, 0))
        amount = round(max(billable_hours, 1.0) * rate / count * rng.uniform(0.8, 1.2), 2)
        credited = round(amount * 0.2, 2) if rnd() < 0.03 else ""
        disputed = "yes" if rnd() < 0.02 else "no"
        invoices.append(
            (cid, issued.isoformat(), due.isoformat(), _text(paid if paid <= AS_OF else None),
             amount, "EUR", disputed, credited)
        )  # fmt: skip

    activities = []
    for _ in range(randint(*sizes["activities"])):
        kind = rng.choices(KINDS, KIND_WEIGHTS)[0]
        outbound = kind in ("reminder", "meeting") or (kind in ("call", "email") and rnd() < 0.4)
        hour = rng.choice((6, 20, 21, 22, 23)) if night and rnd() < 0.5 else randint(8, 16)
        moment = f"{day(not night).isoformat()}T{hour:02d}:{rng.randrange(0, 60, 5):02d}"
        subject = "Re: status" if kind == "email" else ""
        activities.append((cid, moment, kind, "outbound" if outbound else "inbound", subject))

    notes = []
    for _ in range(randint(*sizes["notes"])):
        marker = rng.choice(MARKERS) if troubled and rnd() < 0.3 else ""
        pool = TROUBLED_NOTES if troubled and rnd() < 0.5 else CLEAN_NOTES
        moment = f"{day(True).isoformat()}T{randint(8, 17):02d}:{rng.randrange(0, 60, 5):02d}"
        notes.append((cid, moment, rng.choice(pool[language]), marker))

    contracted = round(total / rng.uniform(0.6, 1.25)) if rnd() < 0.3 else ""
    morale = rng.choices(("", 1, 2, 3, 4, 5), (30, 2, 5, 20, 28, 15))[0]
    client = (cid, f"Client {n}", f"client{n}@example.invalid", target, contracted,
              "yes" if rnd() < 0.04 else "no", morale)  # fmt: skip
    return {
        "clients": [client],
        "invoices": invoices,
        "activities": activities,
        "notes": notes,
        "time_entries": entries,
    }


def _day_maker(rng: random.Random):
    """Return a function giving a random day of the year before AS_OF (a weekday if asked)."""

    def day(workday: bool) -> date:
        while True:
            moment = AS_OF - timedelta(days=rng.randrange(365))
            if not workday or moment.weekday() < 5:
                return moment

    return day


def _text(value) -> str:
    return "" if value is None else str(value)


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def main(argv: list[str] | None = None) -> None:
    """Parse the arguments and write the bundle."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=10000, help="number of clients")
    parser.add_argument("--seed", type=int, default=1, help="random seed")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the bundle to")
    parser.add_argument(
        "--history", choices=sorted(HISTORY), default="long", help="history rows per client"
    )
    args = parser.parse_args(argv)
    start = time.perf_counter()
    counts = generate(args.out, args.clients, args.seed, args.history)
    seconds = time.perf_counter() - start
    rows = ", ".join(f"{count} {name}" for name, count in counts.items())
    print(f"wrote {args.out} in {seconds:.1f} s: {rows}", file=sys.stderr)


if __name__ == "__main__":
    main()
