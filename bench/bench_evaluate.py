"""Benchmark of crmflags' evaluation, and of a full sync through the csv connector.

Run it by hand (it is not part of the test suite and asserts nothing)::

    python bench/bench_evaluate.py --clients 10000 [--seed 1] [--csv]

It generates N synthetic clients with a random history over the year before the
as-of day (5-20 invoices, 20-100 activities, 0-10 notes and 10-60 time entries each;
the same seed gives the same clients), then measures:

* evaluation: ``crmflags.evaluate.evaluate`` with the freelancer ruleset on the
  clients in memory (metrics, portfolio shares, durable_rules matching, reasons), in
  clients per second; then a second, identical run under tracemalloc for the peak of
  the memory the evaluation allocates (tracing slows it down, so it is not timed);
* with ``--csv``: the clients written as a CSV bundle to a temporary folder, then the
  csv connector's read, the evaluation, ``crmflags.changes.plan_changes`` and the
  connector's write-back into clients.csv, each timed, and the whole path in clients
  per second.

It reports the process's peak resident memory (``ru_maxrss``) after each phase and
the level distribution, a sanity check that the rules fire.
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from crmflags.app import App
from crmflags.changes import plan_changes
from crmflags.connector import ConnectorOptions
from crmflags.evaluate import Evaluation, evaluate
from crmflags.model import NOTE_MARKERS, Activity, Client, Invoice, Note, TimeEntry
from crmflags.settings import Settings

AS_OF = date(2026, 11, 20)
ZONE = ZoneInfo("Europe/Budapest")
SETTINGS = Settings(timezone=ZONE, timezone_name="Europe/Budapest")
RULESET = "freelancer"
KINDS = ("call", "email", "meeting", "message", "change_request", "rush_request", "reminder")
KIND_WEIGHTS = (20, 45, 8, 15, 5, 2, 5)


def make_clients(count: int, seed: int) -> list[Client]:
    """Return ``count`` synthetic clients with a history over the year before AS_OF."""
    rng = random.Random(seed)
    return [_client(rng, n) for n in range(1, count + 1)]


def _client(rng: random.Random, n: int) -> Client:
    # Each client has a temper: how late it pays, how often it writes at night,
    # how much work falls outside the scope, what it pays against the target rate.
    late_chance = rng.betavariate(1, 5)
    night_chance = rng.betavariate(1, 8)
    scope_chance = rng.betavariate(1, 25)
    target = rng.choice([45.0, 55.0, 65.0, 75.0])
    rate = target * (rng.uniform(0.4, 0.7) if rng.random() < 0.1 else rng.uniform(1.0, 1.5))

    time_entries = []
    for _ in range(rng.randint(10, 60)):
        in_scope = rng.random() >= scope_chance
        hours = rng.choice([0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0])
        billable = in_scope and rng.random() < 0.95
        time_entries.append(TimeEntry(_workday(rng), hours, billable, in_scope))
    billable_hours = sum(e.hours for e in time_entries if e.billable)

    invoice_count = rng.randint(5, 20)
    invoices = []
    for i in range(invoice_count):
        issued = _day(rng)
        due = issued + timedelta(days=rng.choice([8, 14, 30]))
        late = rng.random() < late_chance
        paid = due + timedelta(days=rng.randint(1, 45) if late else rng.randint(-5, 0))
        amount = round(billable_hours * rate / invoice_count * rng.uniform(0.7, 1.3), 2)
        invoices.append(
            Invoice(
                invoice_id=f"b{n}-{i + 1}",
                issued_on=issued,
                due_on=due,
                amount=amount,
                paid_on=paid if paid <= AS_OF else None,
                currency="EUR",
                disputed=rng.random() < 0.03,
                credited_amount=round(amount * 0.2, 2) if rng.random() < 0.03 else 0.0,
            )
        )

    activities = []
    for _ in range(rng.randint(20, 100)):
        kind = rng.choices(KINDS, KIND_WEIGHTS)[0]
        replied = kind in ("call", "email") and rng.random() < 0.4
        outbound = kind in ("reminder", "meeting") or replied
        if rng.random() < night_chance:
            moment = _moment(_day(rng), rng.choice([6, 19, 21, 22, 23]), rng)
        else:
            moment = _moment(_workday(rng), rng.randint(8, 17), rng)
        activities.append(Activity(moment, kind, "outbound" if outbound else "inbound"))

    notes = []
    for _ in range(rng.randint(0, 10)):
        marker = rng.choice(NOTE_MARKERS) if rng.random() < 0.15 else None
        moment = _moment(_workday(rng), rng.randint(8, 17), rng)
        notes.append(Note(moment, "Synthetic note.", marker))

    total_hours = sum(e.hours for e in time_entries)
    contracted = round(total_hours / rng.uniform(0.6, 1.25)) if rng.random() < 0.3 else None
    return Client(
        id=f"b{n}",
        name=f"Bench Client {n}",
        email=f"client{n}@bench.invalid",
        hourly_rate_target=target,
        contracted_hours=contracted,
        gut_feeling=rng.random() < 0.05,
        team_morale=rng.choices([None, 1, 2, 3, 4, 5], [30, 2, 5, 20, 28, 15])[0],
        invoices=invoices,
        activities=activities,
        notes=notes,
        time_entries=time_entries,
    )


def _day(rng: random.Random) -> date:
    return AS_OF - timedelta(days=rng.randrange(365))


def _workday(rng: random.Random) -> date:
    day = _day(rng)
    while day.weekday() >= 5:
        day = _day(rng)
    return day


def _moment(day: date, hour: int, rng: random.Random) -> datetime:
    return datetime(day.year, day.month, day.day, hour, rng.randrange(0, 60, 5), tzinfo=ZONE)


def write_bundle(clients: list[Client], folder: Path) -> None:
    """Write the clients as a CSV bundle (contracts §1) into ``folder``."""

    def table(name: str, header: list[str], rows) -> None:
        with open(folder / name, "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(header)
            writer.writerows(rows)

    table(
        "clients.csv",
        [
            "id",
            "name",
            "email",
            "hourly_rate_target",
            "contracted_hours",
            "gut_feeling",
            "team_morale",
        ],
        (
            [
                c.id,
                c.name,
                c.email,
                c.hourly_rate_target,
                _text(c.contracted_hours),
                _yes(c.gut_feeling),
                _text(c.team_morale),
            ]
            for c in clients
        ),
    )
    table(
        "invoices.csv",
        [
            "client_id",
            "invoice_id",
            "issued_on",
            "due_on",
            "paid_on",
            "amount",
            "currency",
            "disputed",
            "credited_amount",
        ],
        (
            [
                c.id,
                i.invoice_id,
                i.issued_on,
                i.due_on,
                _text(i.paid_on),
                i.amount,
                i.currency,
                _yes(i.disputed),
                i.credited_amount or "",
            ]
            for c in clients
            for i in c.invoices
        ),
    )
    table(
        "activities.csv",
        ["client_id", "occurred_at", "kind", "direction", "subject"],
        (
            [c.id, a.occurred_at.isoformat(), a.kind, a.direction, a.subject]
            for c in clients
            for a in c.activities
        ),
    )
    table(
        "notes.csv",
        ["client_id", "created_at", "body", "marker"],
        (
            [c.id, n.created_at.isoformat(), n.body, n.marker or ""]
            for c in clients
            for n in c.notes
        ),
    )
    table(
        "time_entries.csv",
        ["client_id", "date", "hours", "billable", "in_scope"],
        (
            [c.id, e.date, e.hours, _yes(e.billable), _yes(e.in_scope)]
            for c in clients
            for e in c.time_entries
        ),
    )


def _text(value) -> object:
    return "" if value is None else value


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def timed(action: Callable[[], object]) -> tuple[object, float]:
    """Run ``action``; return its result and the seconds it took."""
    start = time.perf_counter()
    result = action()
    return result, time.perf_counter() - start


def peak_rss_mb() -> float:
    """Return the process's peak resident memory so far, in MB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10  # bytes on macOS, else KB


def levels_line(evaluation: Evaluation) -> str:
    """Return the level distribution, e.g. ``ok 5017  watch 3853  warning 1034  fire 96``."""
    return "  ".join(f"{level} {count}" for level, count in evaluation.summary().items())


def report(label: str, seconds: float, clients: int | None = None, rss: bool = False) -> None:
    """Print one timing line, with the throughput and the peak RSS so far if asked."""
    line = f"{label:<18}{seconds:8.2f} s"
    if clients:
        line += f"{clients / seconds:10.0f} clients/s"
    if rss:
        line = f"{line:<48}  peak RSS {peak_rss_mb():6.0f} MB"
    print(line)


def main(argv: list[str] | None = None) -> None:
    """Parse the arguments, run the benchmark and print its report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=10000, help="number of synthetic clients")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the synthetic history")
    parser.add_argument(
        "--csv",
        action="store_true",
        help="also time the CSV read, evaluation, changes and write-back",
    )
    args = parser.parse_args(argv)

    app = App.start(None)
    ruleset = app.ruleset(RULESET)
    evaluated_at = datetime(AS_OF.year, AS_OF.month, AS_OF.day, 8, tzinfo=ZONE)
    n = args.clients

    def run(records) -> Evaluation:
        return evaluate(records, ruleset, SETTINGS, AS_OF, evaluated_at)

    print(
        f"crmflags benchmark: {n} clients, seed {args.seed}, ruleset {ruleset.name} "
        f"({len(ruleset.rules)} rules), as of {AS_OF}, Python {sys.version.split()[0]}"
    )
    clients, seconds = timed(lambda: make_clients(n, args.seed))
    sizes = {
        name: sum(len(getattr(c, name)) for c in clients)
        for name in ("invoices", "activities", "notes", "time_entries")
    }
    print(
        "history: "
        + ", ".join(f"{count} {name.replace('_', ' ')}" for name, count in sizes.items())
    )
    report("generate", seconds, rss=True)

    evaluation, seconds = timed(lambda: run(clients))
    report("evaluate", seconds, n, rss=True)
    tracemalloc.start()
    run(clients)
    traced_peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    print(f"{'evaluate, traced':<18}tracemalloc peak {traced_peak:.1f} MB")
    print(f"levels: {levels_line(evaluation)}")

    if args.csv:
        with tempfile.TemporaryDirectory(prefix="crmflags-bench-") as name:
            folder = Path(name)
            _, seconds = timed(lambda: write_bundle(clients, folder))
            size = sum(f.stat().st_size for f in folder.iterdir()) / 2**20
            print(f"{'csv bundle':<18}{seconds:8.2f} s   {size:.1f} MB written (setup)")
            connector_class, _ = app.plugins.connectors["csv"]
            connector = connector_class(ConnectorOptions(settings=SETTINGS, source=folder))
            records, read_s = timed(lambda: list(connector.read()))
            report("csv read", read_s)
            csv_evaluation, evaluate_s = timed(lambda: run(records))
            report("csv evaluate", evaluate_s)
            changes, changes_s = timed(lambda: plan_changes(csv_evaluation).changes)
            report("csv changes", changes_s)
            written, write_s = timed(lambda: connector.write(changes))
            report("csv write-back", write_s)
            report("csv total", read_s + evaluate_s + changes_s + write_s, n, rss=True)
            failures = len(csv_evaluation.failures) + len(written.failures)
            same = csv_evaluation.summary() == evaluation.summary()
            levels = "as in memory" if same else f"DIFFER: {levels_line(csv_evaluation)}"
            print(
                f"csv: {len(changes)} changes, {written.written} written, {failures} failures; "
                f"levels {levels}"
            )

    print(f"peak RSS {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
