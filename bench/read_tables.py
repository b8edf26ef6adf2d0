"""Time the csv connector's read_tables() against csv.DictReader over the same files.

Run it by hand, one way per process, so whole-process time and peak memory compare::

    python bench/read_tables.py dictreader /tmp/bundle
    python bench/read_tables.py tables /tmp/bundle    # read_tables(), the columnar read
    python bench/read_tables.py rows /tmp/bundle      # read(), a Client per client

Each prints the seconds its read took and what it read.
"""

from __future__ import annotations

import csv
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

from crmflags.connector import ConnectorOptions
from crmflags.settings import Settings
from crmflags_csv.connector import CsvConnector


def dictreader(folder: Path) -> str:
    """Read every file of the bundle with csv.DictReader: the floor a read is measured by."""
    rows = 0
    for path in sorted(folder.glob("*.csv")):
        with open(path, newline="", encoding="utf-8-sig") as file:
            rows += sum(1 for _ in csv.DictReader(file))
    return f"{rows} rows"


def connector(folder: Path) -> CsvConnector:
    zone = ZoneInfo("Europe/Budapest")
    settings = Settings(timezone=zone, timezone_name="Europe/Budapest")
    return CsvConnector(ConnectorOptions(settings=settings, source=folder))


def tables(folder: Path) -> str:
    """Read the bundle as tables."""
    read = connector(folder).read_tables()
    return f"{read.clients.height} clients, {read.activities.height} activities"


def rows(folder: Path) -> str:
    """Read the bundle as Client objects."""
    return f"{sum(1 for _ in connector(folder).read())} records"


def main() -> None:
    """Run the way named on the command line over the bundle folder given."""
    way, folder = sys.argv[1], Path(sys.argv[2])
    start = time.perf_counter()
    what = {"dictreader": dictreader, "tables": tables, "rows": rows}[way](folder)
    print(f"{way}: {time.perf_counter() - start:.2f} s, {what}")


if __name__ == "__main__":
    main()
