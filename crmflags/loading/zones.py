"""Which time zone a business works in, told from the UTC offsets its timestamps carry.

A CSV export writes ``2026-03-01T22:10:00+01:00`` in winter and ``+02:00`` in summer:
only the zones that have exactly those offsets on those days fit (Europe/Budapest and
its neighbours). ``crmflags init`` proposes the best-known of them. A timestamp in UTC
(``Z``, ``+00:00``) or without an offset says nothing about where the business is, so
it is not counted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

#: Zones proposed first when several fit the data equally (the articles' countries
#: first, then their neighbours and the common business zones).
PREFERRED = (
    "Europe/Budapest",
    "Europe/Helsinki",
    "Europe/Riga",
    "Europe/Vienna",
    "Europe/Berlin",
    "Europe/Warsaw",
    "Europe/Prague",
    "Europe/Tallinn",
    "Europe/Vilnius",
    "Europe/Stockholm",
    "Europe/Paris",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Lisbon",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
)


@dataclass(frozen=True)
class ZoneGuess:
    """The zone that fits the offsets seen (None: none fits, or no offset was seen)."""

    zone: str | None
    offsets: tuple[str, ...]
    others: tuple[str, ...] = ()


def offset_text(offset: timedelta) -> str:
    """Return an offset as ``+02:00``."""
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def guess_zone(moments: Iterable[datetime]) -> ZoneGuess:
    """Return the zone whose offsets match every timestamp that carried a non-UTC offset."""
    first: dict[tuple[date, timedelta], datetime] = {}  # one moment per day and offset
    for moment in moments:
        if not isinstance(moment.tzinfo, timezone):
            continue  # no offset written: it was given the business's zone when read
        offset = moment.utcoffset()
        if offset:
            utc = moment.astimezone(timezone.utc)
            first.setdefault((utc.date(), offset), utc)
    samples = [(moment, offset) for (_, offset), moment in first.items()]
    offsets = tuple(offset_text(o) for o in sorted({offset for _, offset in samples}))
    if not samples:
        return ZoneGuess(None, ())
    fitting = [name for name in _zones() if _fits(name, samples)]
    ranked = sorted(fitting, key=_rank)
    if not ranked:
        return ZoneGuess(None, offsets)
    return ZoneGuess(ranked[0], offsets, tuple(ranked[1:4]))


@lru_cache(maxsize=1)
def _zones() -> tuple[str, ...]:
    """Return the zones worth proposing: named places, not ``Etc/GMT-2`` or aliases."""
    return tuple(
        sorted(
            name
            for name in available_timezones()
            if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/", "posix/", "right/"))
        )
    )


def _fits(name: str, samples: list[tuple[datetime, timedelta]]) -> bool:
    zone = ZoneInfo(name)
    return all(moment.astimezone(zone).utcoffset() == offset for moment, offset in samples)


def _rank(name: str) -> tuple[int, str]:
    return (PREFERRED.index(name) if name in PREFERRED else len(PREFERRED), name)
