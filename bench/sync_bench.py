"""Sync against the fake CRM servers of tests/fakes and count requests, writes and time.

Used by ``bench/run.py``; runs alone too::

    python bench/sync_bench.py [--companies 1000]

For each fake (HubSpot, and Pipedrive), in a temporary folder: ``crmflags setup``, then
two ``crmflags sync`` runs. The connector paces its requests at the configured rate
limit on a virtual clock, so the bench does not wait: the modelled wall time is the
real time plus the time the pacer slept. The fake's own limits are set high, since it
keeps real time. Reported per fake:

* API requests of the first sync against the minimum its batch and page sizes allow
  for what it read and wrote (items per endpoint / batch size, rounded up);
* write calls of the second sync, which changes nothing (must be 0);
* the modelled wall time, the part of it that is rate-limit waiting, and the CPU time
  of the thread that ran crmflags (the fakes serve on other threads).
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from click.testing import CliRunner  # noqa: E402

from crmflags.cli import cli  # noqa: E402

AS_OF = "2026-11-20"


class VirtualTime:
    """A monotonic clock that runs with real time plus every second slept on it."""

    def __init__(self) -> None:
        self.slept = 0.0

    def monotonic(self) -> float:
        """Return real monotonic time plus the time slept so far."""
        return time.monotonic() + self.slept

    def sleep(self, seconds: float) -> None:
        """Advance the clock instead of waiting."""
        self.slept += max(0.0, seconds)


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


def timed_sync(clock: VirtualTime, base_url: str) -> tuple[float, float, float]:
    """Run one sync; return its modelled wall time, the pacing part of it, our thread's CPU."""
    slept, cpu, wall = clock.slept, time.thread_time(), time.perf_counter()
    invoke("sync", "--base-url", base_url, "--as-of", AS_OF)
    cpu, wall = time.thread_time() - cpu, time.perf_counter() - wall
    waited = clock.slept - slept
    return wall + waited, waited, cpu


def hubspot_figures(companies: int) -> dict:
    """Sync ``companies`` fake HubSpot companies twice; return the figures."""
    from fakes.hubspot import FakeHubSpot

    import crmflags_hubspot.connector as module

    clock = VirtualTime()
    defaults = module.HubSpotConnector.__init__.__kwdefaults__
    saved = dict(defaults)
    defaults.update(sleep=clock.sleep, clock=clock.monotonic)  # the CLI builds the connector
    config = (
        "connector: hubspot\ntimezone: Europe/Budapest\nstate: state.db\n"
        "hubspot:\n  portal: '4242'\n"
    )
    try:
        with (
            FakeHubSpot(burst_limit=10**9, search_per_second=10**9) as fake,
            working_folder(config),
        ):
            os.environ["HUBSPOT_TOKEN"] = fake.token
            fake.generate(companies, seed=1)
            invoke("setup", "--base-url", fake.base_url)
            first_request = len(fake.requests)
            first = timed_sync(clock, fake.base_url)
            requests = fake.requests[first_request:]
            second_request = len(fake.requests)
            second = timed_sync(clock, fake.base_url)
            writes = [r for r in fake.requests[second_request:] if r[1].endswith("/batch/update")]
    finally:
        defaults.clear()
        defaults.update(saved)
    return {
        "requests": len(requests),
        "minimum": _hubspot_minimum(requests),
        "second_writes": len(writes),
        "first": first,
        "second": second,
    }


def _hubspot_minimum(requests: list[tuple[str, str, object]]) -> int:
    """Return the fewest requests that carry the same items in batches and pages of 100."""
    items: Counter[str] = Counter()
    for method, path, body in requests:
        if method == "GET" and path.startswith("/crm/v3/objects/"):
            items[path] += 100  # a page of ids: at most 100 each
        elif isinstance(body, dict) and "inputs" in body:
            items[path] += len(body["inputs"])
        else:
            items[path] += 100  # anything else counts as one necessary request
    return sum(math.ceil(count / 100) for count in items.values())


def pipedrive_figures(organizations: int) -> dict | None:
    """Sync ``organizations`` fake Pipedrive organizations twice; None without the fake."""
    try:
        from fakes.pipedrive import FakePipedrive

        import crmflags_pipedrive.connector as module
    except ImportError:
        return None
    from crmflags_pipedrive.client import PAGE_SIZE

    clock = VirtualTime()
    saved = module.time
    module.time = SimpleNamespace(sleep=clock.sleep, monotonic=clock.monotonic)
    config = (
        "connector: pipedrive\ntimezone: Europe/Budapest\nstate: state.db\n"
        "pipedrive:\n  domain: acme\n"
    )
    try:
        with (
            FakePipedrive("bench-token", burst_limit=10**9, daily_budget=10**9) as fake,
            working_folder(config),
        ):
            os.environ["PIPEDRIVE_API_TOKEN"] = fake.token
            fake.seed(organizations, seed=1)
            invoke("setup", "--base-url", fake.base_url)
            start = len(fake.log.entries)
            first = timed_sync(clock, fake.base_url)
            entries = list(fake.log.entries)[start:]
            kinds = ("organizations", "persons", "deals", "activities", "notes")
            sizes = {kind: len(fake.ids(kind)) for kind in kinds}
            writes_before = fake.write_calls()
            second = timed_sync(clock, fake.base_url)
            second_writes = fake.write_calls() - writes_before
    finally:
        module.time = saved
    return {
        "requests": len(entries),
        "minimum": _pipedrive_minimum(entries, sizes, PAGE_SIZE),
        "second_writes": second_writes,
        "first": first,
        "second": second,
    }


def _pipedrive_minimum(entries: list, sizes: dict[str, int], page_size: int) -> int:
    """Return the fewest requests: each list read in full pages, one write per changed item."""
    listed = {e.path.rstrip("/").rsplit("/", 1)[-1] for e in entries if e.method == "GET"}
    pages = sum(math.ceil(max(1, sizes[kind]) / page_size) for kind in sizes if kind in listed)
    others = {(e.method, e.path) for e in entries if e.method == "GET"}
    other_gets = len({p for m, p in others if p.rstrip("/").rsplit("/", 1)[-1] not in sizes})
    writes = sum(1 for e in entries if e.method in ("PATCH", "POST", "PUT", "DELETE"))
    return pages + other_gets + writes


def sync_rows(companies: int = 1000) -> list[tuple[str, str, str, str, str]]:
    """Return the table rows of both fakes: (measure, value, target, ratio, met?)."""
    rows = []
    figures: list[tuple[str, dict | None]] = [
        ("HubSpot", hubspot_figures(companies)),
        ("Pipedrive", pipedrive_figures(companies)),
    ]
    for name, got in figures:
        if got is None:
            rows.append((f"{name} sync", "not measured: no fake server", "", "", ""))
            continue
        ratio = got["requests"] / got["minimum"]
        wall, waited, cpu = got["first"]
        rows += [
            (
                f"{name} sync, {companies:,} clients: API requests",
                f"{got['requests']:,}",
                f"<= 1.05x minimum {got['minimum']:,}",
                f"{ratio:.2f}x",
                _yes(ratio <= 1.05),
            ),
            (
                f"{name} sync again, nothing changed: write calls",
                str(got["second_writes"]),
                "0",
                "",
                _yes(got["second_writes"] == 0),
            ),
            (
                f"{name} sync wall time (modelled at the configured rate)",
                f"{wall:.1f} s, of which rate-limit waits {waited:.1f} s",
                "waits dominate",
                f"{waited / wall:.0%}",
                _yes(waited > cpu),
            ),
            (f"{name} sync, crmflags' own CPU time", f"{cpu:.1f} s", "", "", ""),
        ]
    return rows


def _yes(condition: bool) -> str:
    return "yes" if condition else "NO"


def main(argv: list[str] | None = None) -> None:
    """Run both syncs and print their rows."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--companies", type=int, default=1000, help="clients in each fake CRM")
    args = parser.parse_args(argv)
    show: Callable[[tuple], str] = lambda row: "  ".join(row)  # noqa: E731
    for row in sync_rows(args.companies):
        print(show(row))


if __name__ == "__main__":
    main()
