"""Sync against the fake CRM servers of tests/fakes and count requests per step.

Used by ``bench/run.py``; runs alone too::

    python bench/sync_bench.py [--companies 5000] [--engagements 35] [--invoices 10]

For each fake (HubSpot, and Pipedrive), in a temporary folder, with a history the size
of a real client's year (``--engagements`` calls, emails, meetings and notes, or
Pipedrive activities, and ``--invoices`` invoices, or Pipedrive notes, per client):
``crmflags setup``, then three ``crmflags sync`` runs, a day apart on the fake's and
the connector's clocks:

* the first sync, which reads everything;
* a sync with nothing changed (it must write nothing);
* a nightly sync after 10% of the clients were touched: each got one new engagement
  (Pipedrive: a done activity), and every third also a changed invoice (Pipedrive: a
  new note).

Each run's requests are grouped into steps, and each step is compared with the fewest
requests its batch and page sizes allow for what truly had to be read or written
(the bench knows what it changed): e.g. for a nightly HubSpot run, one search per
object type, the changed records and the touched companies' associations in batches
of 100, and no re-read of an unchanged engagement. The connector paces its requests at
the configured rate limit on a virtual clock, so the bench does not wait: the modelled
wall time is the real time plus the time the pacer slept.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from click.testing import CliRunner  # noqa: E402

from crmflags.cli import cli  # noqa: E402

AS_OF = "2026-11-20"
#: A real client's year (issue 18): about 35 engagements and 10 invoices.
ENGAGEMENTS = 35
INVOICES = 10
#: The share of clients a night's work touches.
TOUCHED = 0.10
DAY = 86_400
#: HubSpot's related record types, as the connector reads them (reference §3).
HUBSPOT_RELATED = ("calls", "emails", "meetings", "notes", "invoices")
HUBSPOT_ENGAGEMENTS = ("calls", "emails", "meetings", "notes")
#: HubSpot batch size, and results per search page (reference §2.3, §2.6).
BATCH = 100
SEARCH_PAGE = 200


class VirtualTime:
    """A clock that runs with real time plus every second slept on it, plus ``offset``
    (days the bench lets pass between runs)."""

    def __init__(self) -> None:
        self.slept = 0.0
        self.offset = 0.0

    def monotonic(self) -> float:
        """Return real monotonic time plus the time slept so far."""
        return time.monotonic() + self.slept

    def sleep(self, seconds: float) -> None:
        """Advance the clock instead of waiting."""
        self.slept += max(0.0, seconds)

    def wall(self) -> float:
        """Return the wall clock (epoch seconds) moved on by ``offset``."""
        return time.time() + self.offset

    def utc(self) -> datetime:
        """Return :meth:`wall` as an aware UTC datetime."""
        return datetime.now(timezone.utc) + timedelta(seconds=self.offset)


@dataclass
class SyncRun:
    """One sync: its requests per step against the minimum, and its times."""

    name: str
    steps: Counter[str] = field(default_factory=Counter)
    minimum: Counter[str] = field(default_factory=Counter)
    wall: float = 0.0
    waited: float = 0.0
    cpu: float = 0.0
    #: Write calls, and the records they wrote.
    writes: int = 0
    written: int = 0

    @property
    def requests(self) -> int:
        """All requests of the run."""
        return sum(self.steps.values())

    @property
    def least(self) -> int:
        """The fewest requests the run could have made."""
        return sum(self.minimum.values())


@contextmanager
def working_folder(config: str) -> Iterator[Path]:
    """Run inside a temporary folder holding ``config`` as crmflags.yaml."""
    previous = Path.cwd()
    with tempfile.TemporaryDirectory(prefix="crmflags-sync-bench-") as name:
        os.chdir(name)
        try:
            (Path(name) / "crmflags.yaml").write_text(config)
            yield Path(name)
        finally:
            os.chdir(previous)


def invoke(*args: str) -> None:
    """Run a crmflags command; raise if it fails."""
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    if result.exit_code != 0:
        raise RuntimeError(f"crmflags {' '.join(args)} exited {result.exit_code}: {result.output}")


def timed_sync(clock: VirtualTime, base_url: str, run: SyncRun) -> None:
    """Run one sync; note its modelled wall time, the pacing part of it, our thread's CPU."""
    slept, cpu, wall = clock.slept, time.thread_time(), time.perf_counter()
    invoke("sync", "--base-url", base_url, "--as-of", AS_OF)
    run.cpu, wall = time.thread_time() - cpu, time.perf_counter() - wall
    run.waited = clock.slept - slept
    run.wall = wall + run.waited


def _pages(count: int, size: int) -> int:
    """Requests to carry ``count`` items ``size`` at a time (at least one to ask)."""
    return max(1, math.ceil(count / size))


# -- HubSpot -------------------------------------------------------------------------


def hubspot_runs(companies: int, engagements: int, invoices: int) -> list[SyncRun]:
    """Sync a fake HubSpot portal three times (module doc); return the runs."""
    from fakes.hubspot import FakeHubSpot

    import crmflags_hubspot.connector as module

    clock = VirtualTime()
    defaults = module.HubSpotConnector.__init__.__kwdefaults__
    saved = dict(defaults)
    # The CLI builds the connector: its pacing sleeps on the virtual clock.
    defaults.update(sleep=clock.sleep, clock=clock.monotonic, now=clock.wall)
    config = (
        "connector: hubspot\ntimezone: Europe/Budapest\nstate: state.db\n"
        "hubspot:\n  portal: '4242'\n"
    )
    runs = []
    try:
        with (
            FakeHubSpot(burst_limit=10**9, search_per_second=10**9) as fake,
            working_folder(config),
        ):
            os.environ["HUBSPOT_TOKEN"] = fake.token
            # The history ends a day ago: nothing in it falls in the next read's lookback.
            yesterday = int((time.time() - DAY) * 1000)
            ids = fake.generate(
                companies, seed=1, now_ms=yesterday, invoices=invoices, engagements=engagements
            )
            invoke("setup", "--base-url", fake.base_url)
            everything = {kind: len(fake.ids(kind)) for kind in HUBSPOT_RELATED}
            runs.append(_hubspot_run(fake, clock, "first sync", companies, everything, None))
            for name, share in (("nothing changed", 0.0), (f"{TOUCHED:.0%} touched", TOUCHED)):
                clock.offset += DAY
                fake.advance(DAY)
                changed, touched = _touch_hubspot(fake, ids, share)
                # The companies the last run wrote are modified since its start, too.
                changed["companies"] = runs[-1].written
                runs.append(_hubspot_run(fake, clock, name, touched, changed, changed))
    finally:
        defaults.clear()
        defaults.update(saved)
    return runs


def _touch_hubspot(fake: Any, ids: list[str], share: float) -> tuple[dict[str, int], int]:
    """Log one engagement on ``share`` of the companies and change an invoice of every
    third; return the records changed per type and the companies touched."""
    rng = random.Random(7)
    touched = rng.sample(ids, round(len(ids) * share))
    changed: Counter[str] = Counter()
    today = datetime.fromtimestamp(time.time(), timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    for number, company in enumerate(touched):
        kind = rng.choice(HUBSPOT_ENGAGEMENTS)
        fake.add_engagement(kind, company, {"hs_timestamp": today, "hubspot_owner_id": "1"})
        changed[kind] += 1
        linked = fake.associated("companies", company, "invoices")
        if number % 3 == 0 and linked:
            paid = {"hs_invoice_status": "paid", "hs_balance_due": "0.00"}
            fake.modify(linked[0], paid, object_type="invoices")
            changed["invoices"] += 1
    return dict(changed), len(touched)


def _hubspot_run(
    fake: Any,
    clock: VirtualTime,
    name: str,
    companies: int,
    records: dict[str, int],
    changed: dict[str, int] | None,
) -> SyncRun:
    """Sync once; group its requests into steps, against the fewest each step needs.

    ``companies`` and ``records`` (per related type) are what had to be read;
    ``changed`` is None for a full read, else the records changed per type.
    """
    run = SyncRun(name)
    start = len(fake.log.entries)
    timed_sync(clock, fake.base_url, run)
    written = 0
    for entry in list(fake.log.entries)[start:]:
        step = _hubspot_step(entry.method, entry.path, entry.query)
        run.steps[step] += 1
        if step == "write risk fields":
            written += len(entry.body.get("inputs", []))
        elif step == "other":
            run.minimum[step] += 1  # setup checks and the like: each one necessary
    run.writes, run.written = run.steps["write risk fields"], written
    if written:
        run.minimum["write risk fields"] = _pages(written, BATCH)
        # Before each batch of writes, one batch read of the versions (writing.py's doc).
        run.minimum["read companies"] += run.minimum["write risk fields"]
    if changed is None:
        run.minimum["list companies"] = _pages(companies, BATCH)
    else:
        run.minimum["search changes"] = sum(
            _pages(changed.get(kind, 0), SEARCH_PAGE) for kind in ("companies", *HUBSPOT_RELATED)
        )
        run.minimum["list archived"] = 1
        run.minimum["associations of changed records"] = sum(
            math.ceil(changed.get(kind, 0) / BATCH) for kind in HUBSPOT_RELATED
        )
    if companies:
        run.minimum["read companies"] += math.ceil(companies / BATCH)
        run.minimum["associations of companies"] = len(HUBSPOT_RELATED) * math.ceil(
            companies / BATCH
        )
    run.minimum["read engagements and invoices"] = sum(
        math.ceil(records.get(kind, 0) / BATCH) for kind in HUBSPOT_RELATED
    )
    return run


def _hubspot_step(method: str, path: str, query: dict[str, list[str]]) -> str:
    """Name the step of a HubSpot request."""
    parts = path.strip("/").split("/")
    if path.endswith("/search"):
        return "search changes"
    if path.startswith("/crm/v4/associations/"):
        from_companies = parts[3] == "companies"
        return "associations of companies" if from_companies else "associations of changed records"
    if path.endswith("/batch/read"):
        return "read companies" if parts[3] == "companies" else "read engagements and invoices"
    if path.endswith("/batch/update"):
        return "write risk fields"
    if method == "GET" and path == "/crm/v3/objects/companies":
        return "list archived" if query.get("archived") == ["true"] else "list companies"
    return "other"


# -- Pipedrive -----------------------------------------------------------------------

PIPEDRIVE_KINDS = ("organizations", "persons", "deals", "activities", "notes")


def pipedrive_runs(organizations: int, activities: int, notes: int) -> list[SyncRun] | None:
    """Sync a fake Pipedrive company three times (module doc); None without the fake."""
    try:
        from fakes.pipedrive import FakePipedrive

        import crmflags_pipedrive.connector as module
    except ImportError:
        return None
    from crmflags_pipedrive.client import PAGE_SIZE

    clock = VirtualTime()
    saved_time = module.time
    module.time = SimpleNamespace(sleep=clock.sleep, monotonic=clock.monotonic)
    defaults = module.PipedriveConnector.__init__.__kwdefaults__
    saved = dict(defaults)
    defaults.update(now=clock.utc)
    config = (
        "connector: pipedrive\ntimezone: Europe/Budapest\nstate: state.db\n"
        "pipedrive:\n  domain: acme\n"
    )
    runs = []
    try:
        with (
            FakePipedrive("bench-token", burst_limit=10**9, daily_budget=10**9) as fake,
            working_folder(config),
        ):
            os.environ["PIPEDRIVE_API_TOKEN"] = fake.token
            yesterday = int(time.time()) - DAY  # nothing seeded falls in the next lookback
            ids = fake.seed(
                organizations, seed=1, now=yesterday, activities=activities, notes=notes
            )
            invoke("setup", "--base-url", fake.base_url)
            done = sum(1 for i in fake.ids("activities") if fake.activity(i)["done"])
            everything = {kind: len(fake.ids(kind)) for kind in PIPEDRIVE_KINDS}
            everything["activities"] = done
            runs.append(_pipedrive_run(fake, clock, "first sync", everything, None, PAGE_SIZE))
            for name, share in (("nothing changed", 0.0), (f"{TOUCHED:.0%} touched", TOUCHED)):
                clock.offset += DAY
                fake.advance(DAY)
                changed = _touch_pipedrive(fake, ids, share)
                changed["written"] = runs[-1].writes  # listed as updated since the last run
                runs.append(_pipedrive_run(fake, clock, name, changed, changed, PAGE_SIZE))
    finally:
        module.time = saved_time
        defaults.clear()
        defaults.update(saved)
    return runs


def _touch_pipedrive(fake: Any, ids: list[int], share: float) -> dict[str, int]:
    """Log a done call on ``share`` of the organizations and a note on every third;
    return the records changed per kind (``organizations``: those touched)."""
    rng = random.Random(7)
    touched = rng.sample(ids, round(len(ids) * share))
    day = (datetime.now(timezone.utc) - timedelta(days=1)).strftime("%Y-%m-%d")
    for number, org in enumerate(touched):
        fake.add_activity(org, "call", day, "10:00", done=True)
        if number % 3 == 0:
            fake.add_note(org, "<p>Asked again for a discount.</p>")
    return {
        "organizations": len(touched),
        "activities": len(touched),
        "notes": math.ceil(len(touched) / 3),
    }


def _pipedrive_run(
    fake: Any,
    clock: VirtualTime,
    name: str,
    records: dict[str, int],
    changed: dict[str, int] | None,
    page_size: int,
) -> SyncRun:
    """Sync once; group its requests into steps, against the fewest each step needs.

    ``records`` are what had to be read per kind (for a nightly run, ``organizations``
    are those touched); ``changed`` is None for a full read.
    """
    run = SyncRun(name)
    start = len(fake.log.entries)
    writes_before = fake.write_calls()
    timed_sync(clock, fake.base_url, run)
    for entry in list(fake.log.entries)[start:]:
        step = _pipedrive_step(entry.method, entry.path, entry.query)
        run.steps[step] += 1
        if step in ("other", "look up links by id"):
            run.minimum[step] += 1  # fields, users/me, links of unowned records: necessary
    run.writes = fake.write_calls() - writes_before
    if run.writes:
        run.minimum["write risk fields"] = run.steps["write risk fields"]  # no batch update
    if changed is None:
        run.minimum["list organizations"] = _pages(records["organizations"], page_size)
        run.minimum["list history"] = sum(
            _pages(records[kind], page_size) for kind in PIPEDRIVE_KINDS[1:]
        )
    else:
        # The organizations were touched through their history, not edited themselves.
        run.minimum["list changes (updated_since)"] = sum(
            _pages(
                changed["written"] if kind == "organizations" else changed.get(kind, 0), page_size
            )
            for kind in PIPEDRIVE_KINDS
        )
        if changed.get("organizations"):
            run.minimum["organizations by id"] = math.ceil(changed["organizations"] / 100)
    return run


def _pipedrive_step(method: str, path: str, query: dict[str, list[str]]) -> str:
    """Name the step of a Pipedrive request."""
    if method in ("PATCH", "PUT", "POST", "DELETE"):
        return "write risk fields" if "/organizations/" in path else "other"
    if not path.startswith("/api/"):
        return "other"
    kind = path.rstrip("/").rsplit("/", 1)[-1]
    if kind not in PIPEDRIVE_KINDS:
        return "other"
    if "updated_since" in query:
        return "list changes (updated_since)"
    if "ids" in query:
        return "organizations by id" if kind == "organizations" else "look up links by id"
    return "list organizations" if kind == "organizations" else "list history"


# -- report --------------------------------------------------------------------------


def sync_rows(
    companies: int = 5000, engagements: int = ENGAGEMENTS, invoices: int = INVOICES
) -> list[tuple[str, str, str, str, str]]:
    """Return the table rows of both fakes: (measure, value, target, ratio, met?)."""
    rows = []
    fakes: list[tuple[str, list[SyncRun] | None]] = [
        ("HubSpot", hubspot_runs(companies, engagements, invoices)),
        ("Pipedrive", pipedrive_runs(companies, engagements, invoices)),
    ]
    for name, runs in fakes:
        if runs is None:
            rows.append((f"{name} sync", "not measured: no fake server", "", "", ""))
            continue
        for run in runs:
            ratio = run.requests / max(1, run.least)
            rows.append(
                (
                    f"{name}, {companies:,} clients, {run.name}: API requests",
                    f"{run.requests:,}",
                    f"<= 1.05x minimum {run.least:,}",
                    f"{ratio:.2f}x",
                    _yes(ratio <= 1.05),
                )
            )
            for step in sorted(run.steps.keys() | run.minimum.keys()):
                rows.append(
                    (
                        f"    {step}",
                        f"{run.steps[step]:,}",
                        f"minimum {run.minimum[step]:,}",
                        "",
                        "",
                    )
                )
            if run.name == "nothing changed":
                rows.append(
                    (
                        f"{name}, nothing changed: write calls",
                        str(run.writes),
                        "0",
                        "",
                        _yes(run.writes == 0),
                    )
                )
            first = run is runs[0]
            rows.append(
                (
                    f"{name}, {run.name}: modelled wall / rate-limit waits / crmflags' CPU",
                    f"{run.wall:.1f} s / {run.waited:.1f} s / {run.cpu:.1f} s",
                    "waits dominate" if first else "",
                    f"{run.waited / max(run.wall, 1e-9):.0%}",
                    _yes(run.waited > run.cpu) if first else "",
                )
            )
    return rows


def _yes(condition: bool) -> str:
    return "yes" if condition else "NO"


def main(argv: list[str] | None = None) -> None:
    """Run both syncs and print their rows."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--companies", type=int, default=5000, help="clients in each fake CRM")
    parser.add_argument(
        "--engagements", type=int, default=ENGAGEMENTS, help="engagements (activities) a client"
    )
    parser.add_argument(
        "--invoices", type=int, default=INVOICES, help="invoices (Pipedrive: notes) a client"
    )
    args = parser.parse_args(argv)
    show: Callable[[tuple], str] = lambda row: "  ".join(row)  # noqa: E731
    for row in sync_rows(args.companies, args.engagements, args.invoices):
        print(show(row), flush=True)


if __name__ == "__main__":
    main()
