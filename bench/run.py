"""Measure crmflags against the performance targets and print one table (issue 8).

Run it by hand, never in CI (it takes minutes and asserts nothing)::

    python bench/run.py [--clients 10000,100000] [--seed 1] [--data DIR] [--runs 5] [--no-sync]

For each size it writes (or reuses, in ``--data``) a synthetic CSV bundle with
``bench/generate.py``, then measures:

* the input floor: the CPU time Python's csv module takes merely to parse the bundle's
  files; ``crmflags evaluate`` end to end (a subprocess: start-up, read, evaluate,
  print) should take no more than 3 times that;
* the peak resident memory of that ``crmflags evaluate`` process (under 1.5 GB);

and once, on the smallest bundle's clients:

* durable_rules alone: clients per second through ``RuleEngine.match_all`` (batches)
  and ``RuleEngine.match`` (one at a time) with the freelancer ruleset, next to the
  same rules as pure Python predicates (``crmflags.rules.conditions.holds``);
* memory across runs: the resident memory after each of ``--runs`` read-and-evaluate
  runs in one process (it must not grow once the allocators have warmed up);
* a sync against the fake HubSpot (tests/fakes/hubspot.py) and, when it exists, the
  fake Pipedrive: see ``bench/sync_bench.py``.

Times are CPU seconds (user + system), so other load on the machine does not skew the
ratios; wall times are printed beside them.
"""

from __future__ import annotations

import argparse
import csv
import gc
import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date, datetime
from datetime import time as day_time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import AS_OF, generate  # noqa: E402

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


def bundle(data: Path, clients: int, seed: int) -> Path:
    """Return the folder of the bundle of ``clients`` clients, generating it if needed."""
    folder = data / f"clients-{clients}-seed-{seed}"
    done = folder / ".complete"
    if not done.exists():
        start = time.perf_counter()
        generate(folder, clients, seed)
        done.touch()
        print(f"generated {folder} in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    return folder


def cpu_seconds() -> float:
    """Return this process's CPU time so far (user + system)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def parse_floor(folder: Path) -> tuple[float, float, int]:
    """Return the CPU and wall seconds the csv module takes to parse the bundle, and its rows."""
    rows = 0
    cpu, wall = cpu_seconds(), time.perf_counter()
    for name in FILES:
        with open(folder / f"{name}.csv", encoding="utf-8", newline="") as file:
            for _ in csv.reader(file):
                rows += 1
    return cpu_seconds() - cpu, time.perf_counter() - wall, rows


def run_evaluate(folder: Path) -> tuple[float, float, float, int]:
    """Run ``crmflags evaluate`` on the bundle; return CPU s, wall s, peak RSS in MB, exit code."""
    command = [sys.executable, "-m", "crmflags", "evaluate", "--source", str(folder)]
    command += ["--as-of", AS_OF.isoformat(), "--format", "csv"]
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


def size_rows(folder: Path, clients: int) -> list[Row]:
    """Measure the floor, ``crmflags evaluate`` and its peak memory on one bundle."""
    floor_cpu, floor_wall, rows = min(parse_floor(folder) for _ in range(2))
    cpu, wall, rss, code = run_evaluate(folder)
    ratio = cpu / floor_cpu
    label = f"{clients:,} clients"
    return [
        Row(
            f"csv module parse ({label}, {rows:,} rows)",
            f"{floor_cpu:.2f} s ({floor_wall:.2f} s wall)",
            "input floor",
        ),
        Row(
            f"crmflags evaluate ({label})" + ("" if code in (0, 1) else f" EXIT {code}"),
            f"{cpu:.2f} s ({wall:.2f} s wall), {clients / cpu:,.0f} clients/s",
            f"<= 3x floor = {3 * floor_cpu:.2f} s",
            f"{ratio:.1f}x",
            _yes(ratio <= 3),
        ),
        Row(
            f"peak RSS of crmflags evaluate ({label})",
            f"{rss:,.0f} MB",
            "< 1,536 MB",
            f"{rss / 1536:.2f}",
            _yes(rss < 1536),
        ),
    ]


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
            f"durable_rules, batches of 1,000, {name}",
            f"{rate['batches']:,.0f} clients/s",
            ">= 10,000/s (reference: 10.1k/s)",
            f"{rate['batches'] / 10000:.2f}",
            _yes(rate["batches"] >= 10000),
        ),
        Row(
            "durable_rules, one client at a time",
            f"{rate['single']:,.0f} clients/s",
            "reference: 8.1k/s",
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
    parser.add_argument("--clients", default="10000,100000", help="sizes, comma-separated")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the bundles")
    parser.add_argument(
        "--data", type=Path, default=Path("/tmp/crmflags-bench"), help="where bundles are kept"
    )
    parser.add_argument("--runs", type=int, default=8, help="runs for the memory-growth check")
    parser.add_argument("--no-sync", action="store_true", help="skip the fake-CRM sync")
    args = parser.parse_args(argv)
    sizes = [int(n) for n in args.clients.split(",")]
    folders = {n: bundle(args.data, n, args.seed) for n in sizes}
    print(
        f"crmflags benchmark, {date.today()}, Python {sys.version.split()[0]}, "
        f"{os.cpu_count()} CPUs, ruleset {RULESET}, as of {AS_OF}, seed {args.seed}"
    )
    rows: list[Row] = []
    for n in sizes:
        rows += size_rows(folders[n], n)
    app = App.start(None)
    smallest = folders[min(sizes)]
    rows += engine_rows(app, smallest)
    rows += runs_rows(app, smallest, args.runs)
    if not args.no_sync:
        from sync_bench import sync_rows

        rows += [Row(*row) for row in sync_rows()]
    print_table(rows)


if __name__ == "__main__":
    main()
