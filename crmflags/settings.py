"""Business hours, time zone and metric windows: the settings metrics are computed with."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime, time, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class BusinessHours:
    """When the business is reachable: from ``start`` to ``end`` on ``days``.

    ``days`` holds weekday numbers (Monday is 0).
    """

    start: time = time(8, 0)
    end: time = time(18, 0)
    days: frozenset[int] = frozenset(range(5))

    def is_outside(self, local: datetime, has_time: bool = True) -> bool:
        """Tell whether a local timestamp falls outside business hours.

        A timestamp known only to the day counts as outside only on a non-working day.
        """
        if local.weekday() not in self.days:
            return True
        if not has_time:
            return False
        moment = local.time()
        return not (self.start <= moment < self.end)

    def describe(self) -> str:
        """Return e.g. ``08:00-18:00 mon-fri``."""
        names = [WEEKDAYS[d] for d in sorted(self.days)]
        numbers = sorted(self.days)
        if len(numbers) > 2 and numbers == list(range(numbers[0], numbers[-1] + 1)):
            days = f"{names[0]}-{names[-1]}"
        else:
            days = ",".join(names)
        return f"{self.start:%H:%M}-{self.end:%H:%M} {days}"


@dataclass(frozen=True)
class Settings:
    """The settings an evaluation runs with; the output says which were used."""

    timezone: tzinfo = field(default_factory=lambda: local_timezone()[0])
    timezone_name: str = field(default_factory=lambda: local_timezone()[1])
    business_hours: BusinessHours = BusinessHours()
    activity_days: int = 90
    billing_days: int = 365
    #: The reporting currency (crmflags.yaml ``currency``; None: the data's only currency).
    currency: str | None = None
    #: One unit of each other currency in the reporting currency (``exchange_rates``).
    exchange_rates: tuple[tuple[str, float], ...] = ()
    #: The language of reasons and advice (``language``: en, hu, fi, lv).
    language: str = "en"
    #: False when the time zone is the machine's, not set in crmflags.yaml.
    timezone_configured: bool = False

    def describe(self) -> dict:
        """Return the settings as plain data for the JSON result and the table footer."""
        described = {
            "timezone": self.timezone_name,
            "business_hours": self.business_hours.describe(),
            "activity_window_days": self.activity_days,
            "billing_window_days": self.billing_days,
        }
        if self.currency:
            described["currency"] = self.currency
        if self.language != "en":
            described["language"] = self.language
        return described


def local_timezone() -> tuple[tzinfo, str]:
    """Return the machine's local time zone and its name.

    Taken from ``TZ``, then ``/etc/localtime``; failing both, the current UTC offset
    (which does not follow daylight saving time: set ``timezone`` in crmflags.yaml).
    """
    candidates = []
    if os.environ.get("TZ"):
        candidates.append(os.environ["TZ"].lstrip(":"))
    try:
        target = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    except OSError:
        pass
    for name in candidates:
        try:
            return ZoneInfo(name), name
        except (ZoneInfoNotFoundError, ValueError):
            continue
    if Path("/etc/timezone").is_file():
        name = Path("/etc/timezone").read_text(encoding="utf-8").strip()
        try:
            return ZoneInfo(name), name
        except (ZoneInfoNotFoundError, ValueError):
            pass
    fixed = datetime.now().astimezone().tzinfo
    assert fixed is not None  # astimezone() always gives one
    return fixed, str(fixed)
