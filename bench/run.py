"""Measure crmflags against the performance targets and print one table (issue 8).

Run it by hand, never in CI (it takes minutes and asserts nothing)::

    python bench/run.py [--clients 20000,100000] [--history short] [--seed 1] [--data DIR]
                        [--runs 5] [--repeat 3] [--no-sync]

For each size it writes (or reuses, in ``--data``) a synthetic CSV bundle with
``bench/generate.py`` (``--history short``, the default: ~24 history rows per client as in a
small business's export, the shape issue 18's targets are stated on; ``long``: ~65), then
measures, ``--repeat`` times side by side (the floors, then
the evaluation, in turn, so that other load on the machine weighs on all of them alike):

* two input floors: the time Python's csv module takes merely to parse all of the
  bundle's files, with ``csv.DictReader`` (THE floor: the target is stated against it)
  and with the bare ``csv.reader``;
* ``crmflags evaluate --format json`` end to end (a subprocess: start-up, read,
  evaluate, print), whose wall time should be at most 3 times the DictReader floor's;
  its ratio to both floors, in wall and CPU time, is printed;
* the peak resident memory of that process (under 600 MB up to 20,000 clients, under
  1 GB beyond);
* how the cost grows: the evaluation's microseconds per client at each size;

and once, on the smallest bundle's clients:

* durable_rules alone: clients per second through ``RuleEngine.match_all`` (its native
  module, batches of 1,000 facts as JSON text, ``cap`` on every rule) and
  ``RuleEngine.match`` (one client per batch) with the freelancer ruleset, next to the
  same rules as pure Python predicates (``crmflags.rules.conditions.holds``);
* memory across runs: the resident memory after each of ``--runs`` read-and-evaluate
  runs in one process (it must not grow once the allocators have warmed up);
* a sync against the fake HubSpot (tests/fakes/hubspot.py) and, when it exists, the
  fake Pipedrive: see ``bench/sync_bench.py``.

Each figure is the median of the runs; the load average before and after is printed,
since the machine may be shared.
"""

from __future__ import annotations

import argparse
import csv
import gc
import os
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date, datetime
from datetime import time as day_time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import AS_OF, HISTORY, generate  # noqa: E402

from crmflags.cli.app import App  # noqa: E402
from crmflags.evaluation.engine import RuleEngine  # noqa: E402
from crmflags.evaluation.evaluate import evaluate  # noqa: E402
from crmflags.rules.conditions import holds  # noqa: E402

FILES = ("clients", "invoices", "activities", "notes", "time_entries")
RULESET = "freelancer"
MB = 2**20


@dataclass
class Row:
    """One line of the table: what was measured, its value, the floor or target, the verdict."""

    measure: str
    value: str
    target: str
    ratio: str = ""
    met: str = ""


def bundle(data: Path, clients: int, seed: int, history: str = "long") -> Path:
    """Return the folder of the bundle of ``clients`` clients, generating it if needed."""
    suffix = "" if history == "long" else f"-{history}"
    folder = data / f"clients-{clients}-seed-{seed}{suffix}"
    done = folder / ".complete"
    if not done.exists():
        start = time.perf_counter()
        generate(folder, clients, seed, history)
        done.touch()
        print(f"generated {folder} in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    return folder


def cpu_seconds() -> float:
    """Return this process's CPU time so far (user + system)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


#: The two floors: parsing every file of the bundle with each of the csv module's readers.
READERS = {"csv.DictReader": csv.DictReader, "csv.reader": csv.reader}


def parse_floor(folder: Path, reader) -> tuple[float, float, int]:
    """Return the CPU and wall seconds ``reader`` takes to parse the bundle, and its rows."""
    rows = 0
    cpu, wall = cpu_seconds(), time.perf_counter()
    for name in FILES:
        with open(folder / f"{name}.csv", encoding="utf-8", newline="") as file:
            for _ in reader(file):
                rows += 1
    return cpu_seconds() - cpu, time.perf_counter() - wall, rows


def run_evaluate(folder: Path) -> tuple[float, float, float, int]:
    """Run ``crmflags evaluate`` on the bundle; return CPU s, wall s, peak RSS in MB, exit code."""
    command = [sys.executable, "-m", "crmflags", "evaluate", "--source", str(folder)]
    command += ["--as-of", AS_OF.isoformat(), "--format", "json"]
    wall = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, env=os.environ.copy())
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - wall
    process.returncode = os.waitstatus_to_exitcode(status)
    rss = usage.ru_maxrss / MB if sys.platform == "darwin" else usage.ru_maxrss / 1024
    return usage.ru_utime + usage.ru_stime, wall, rss, process.returncode


def resident_mb() -> float:
    """Return this process's resident memory now, in MB (Linux; the peak elsewhere)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return pages * os.sysconf("SC_PAGE_SIZE") / MB


def evaluate_in_process(app: App, folder: Path):
    """Read the bundle with the csv connector and evaluate it as ``crmflags evaluate`` does."""
    settings = app.config.settings
    now = datetime.combine(AS_OF, day_time(23, 59, 59), settings.timezone)
    connector = app.connector("csv", str(folder), None)
    ruleset = app.ruleset(RULESET)
    return evaluate(connector.read(), ruleset, settings, AS_OF, now, app.plugins.metrics)


def rss_target(clients: int) -> float:
    """Return the peak RSS allowed for ``clients`` clients, in MB (issue 18)."""
    return 600 if clients <= 20000 else 1024


def size_rows(folder: Path, clients: int, repeat: int) -> tuple[list[Row], float]:
    """Measure both floors, ``crmflags evaluate`` and its peak memory on one bundle, side by
    side ``repeat`` times; return the rows and the evaluation's wall microseconds per client."""
    floors: dict[str, list[tuple[float, float]]] = {name: [] for name in READERS}
    runs: list[tuple[float, float, float, int]] = []
    rows = 0
    for _ in range(repeat):
        for name, reader in READERS.items():
            cpu, wall, rows = parse_floor(folder, reader)
            floors[name].append((cpu, wall))
        runs.append(run_evaluate(folder))
    cpu = statistics.median(run[0] for run in runs)
    wall = statistics.median(run[1] for run in runs)
    rss = max(run[2] for run in runs)
    codes = {run[3] for run in runs} - {0, 1}
    label = f"{clients:,} clients"
    table = []
    for name in READERS:
        floor_cpu = statistics.median(f[0] for f in floors[name])
        floor_wall = statistics.median(f[1] for f in floors[name])
        table.append(
            Row(
                f"{name} parse ({label}, {rows:,} rows)"
                + (" = THE floor" if name == "csv.DictReader" else ""),
                f"{floor_wall:.2f} s wall ({floor_cpu:.2f} s CPU)",
                "input floor",
            )
        )
        pairs = list(zip(runs, floors[name], strict=True))
        ratio = statistics.median(run[1] / floor[1] for run, floor in pairs)
        ratio_cpu = statistics.median(run[0] / floor[0] for run, floor in pairs)
        table.append(
            Row(
                f"  crmflags evaluate against {name}",
                f"{ratio:.2f}x wall, {ratio_cpu:.2f}x CPU",
                f"<= 3x {name} wall" if name == "csv.DictReader" else "(for comparison)",
                f"{ratio:.1f}x",
                _yes(ratio <= 3) if name == "csv.DictReader" else "",
            )
        )
    table.insert(
        0,
        Row(
            f"crmflags evaluate --format json ({label}, median of {repeat})"
            + (f" EXIT {sorted(codes)}" if codes else ""),
            f"{wall:.2f} s wall ({cpu:.2f} s CPU), {clients / wall:,.0f} clients/s",
            "",
        ),
    )
    table.append(
        Row(
            f"peak RSS of crmflags evaluate ({label})",
            f"{rss:,.0f} MB",
            f"< {rss_target(clients):,.0f} MB",
            f"{rss / rss_target(clients):.2f}",
            _yes(rss < rss_target(clients)),
        )
    )
    return table, wall / clients * 1e6


def growth_row(per_client: dict[int, float]) -> Row:
    """Return how the evaluation's wall time per client grows with the number of clients."""
    sizes = sorted(per_client)
    growth = per_client[sizes[-1]] / per_client[sizes[0]]
    return Row(
        "evaluate wall time per client, by size",
        ", ".join(f"{per_client[n]:.0f} us at {n:,}" for n in sizes),
        "linear: the same per client",
        f"{growth:.2f}",
        "",
    )


def engine_rows(app: App, folder: Path) -> list[Row]:
    """Measure durable_rules alone, in batches and one at a time, and pure Python predicates."""
    ruleset = app.ruleset(RULESET)
    batch = [result.metrics.as_dict() for result in evaluate_in_process(app, folder).results]
    params = ruleset.param_values()
    rules = [rule.when for rule in ruleset.rules]
    timings = {}
    with RuleEngine(ruleset) as engine:
        start = cpu_seconds()
        batched = engine.match_all(batch)
        timings["batches"] = cpu_seconds() - start
        start = cpu_seconds()
        single = [engine.match(metrics) for metrics in batch]
        timings["single"] = cpu_seconds() - start
    start = cpu_seconds()
    python = [[i for i, when in enumerate(rules) if holds(when, m, params)] for m in batch]
    timings["python"] = cpu_seconds() - start
    same = "same matches" if batched == single == python else "MATCHES DIFFER"
    rate = {name: len(batch) / seconds for name, seconds in timings.items()}
    name = f"{ruleset.name} ({len(rules)} rules)"
    return [
        Row(
            f"durable_rules native, batches of 1,000 with cap, facts by orjson, {name}",
            f"{rate['batches']:,.0f} clients/s",
            ">= 36,000/s (aim ~100k/s; Host: 15-16k/s)",
            f"{rate['batches'] / 36000:.2f}",
            _yes(rate["batches"] >= 36000),
        ),
        Row(
            "durable_rules native, one client per batch",
            f"{rate['single']:,.0f} clients/s",
            "Host: 8.1k/s",
        ),
        Row(
            f"same rules as pure Python predicates ({same})",
            f"{rate['python']:,.0f} clients/s",
            "reference: 300k/s",
        ),
    ]


def runs_rows(app: App, folder: Path, runs: int) -> list[Row]:
    """Measure the resident memory after each of ``runs`` evaluations in one process.

    The allocators keep some freed memory for reuse, so the first few runs raise the
    resident memory to a plateau; growth is measured over the second half of the runs.
    """
    after = []
    for _ in range(runs):
        evaluation = evaluate_in_process(app, folder)
        del evaluation
        gc.collect()
        after.append(resident_mb())
    growth = after[-1] - after[len(after) // 2]
    return [
        Row(
            f"resident memory after each of {runs} runs in one process",
            ", ".join(f"{mb:.0f}" for mb in after) + " MB",
            "no growth over the second half",
            f"{growth:+.1f} MB",
            _yes(growth < 5),
        )
    ]


def _yes(condition: bool) -> str:
    return "yes" if condition else "NO"


def print_table(rows: list[Row]) -> None:
    """Print the rows as an aligned table."""
    header = Row("measure", "value", "floor / target", "ratio", "met?")
    table = [header, *rows]
    widths = [max(len(getattr(r, f)) for r in table) for f in ("measure", "value", "target")]
    for row in table:
        print(
            f"{row.measure:<{widths[0]}}  {row.value:<{widths[1]}}  {row.target:<{widths[2]}}  "
            f"{row.ratio:>6}  {row.met}"
        )


def main(argv: list[str] | None = None) -> None:
    """Parse the arguments, run every measurement and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", default="20000,100000", help="sizes, comma-separated")
    parser.add_argument(
        "--history", choices=sorted(HISTORY), default="short", help="history rows per client"
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed of the bundles")
    parser.add_argument(
        "--data", type=Path, default=Path("/tmp/crmflags-bench"), help="where bundles are kept"
    )
    parser.add_argument("--runs", type=int, default=8, help="runs for the memory-growth check")
    parser.add_argument("--repeat", type=int, default=3, help="side-by-side runs per size")
    parser.add_argument("--no-sync", action="store_true", help="skip the fake-CRM sync")
    args = parser.parse_args(argv)
    sizes = [int(n) for n in args.clients.split(",")]
    folders = {n: bundle(args.data, n, args.seed, args.history) for n in sizes}
    print(
        f"crmflags benchmark, {date.today()}, Python {sys.version.split()[0]}, "
        f"{os.cpu_count()} CPUs, ruleset {RULESET}, as of {AS_OF}, seed {args.seed}, "
        f"{args.history} history, "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    rows: list[Row] = []
    per_client = {}
    for n in sizes:
        table, per_client[n] = size_rows(folders[n], n, args.repeat)
        rows += table
    if len(sizes) > 1:
        rows.append(growth_row(per_client))
    app = App.start(None)
    smallest = folders[min(sizes)]
    rows += engine_rows(app, smallest)
    rows += runs_rows(app, smallest, args.runs)
    if not args.no_sync:
        from sync_bench import sync_rows

        rows += [Row(*row) for row in sync_rows()]
    print_table(rows)
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
