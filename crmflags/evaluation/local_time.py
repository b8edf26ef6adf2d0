"""Timestamps of :mod:`crmflags.tables` read in the business's time zone as Python reads them.

The reference metrics take ``moment.astimezone(zone)`` and compare ``moment >= end``.
Python does both by the wall time when ``moment``'s tzinfo is ``zone`` itself (a
timestamp read without an offset in the business's zone, even one in the hour skipped
in spring), and by the UTC time otherwise; :func:`local_times` does the same on
columns, asking the zone for its offsets once per hour of the data.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

import polars as pl

from crmflags.evaluation.metrics import MetricContext

#: Microseconds in a day and in an hour.
DAY_US = 86_400_000_000
HOUR_US = 3_600_000_000
_EPOCH = date(1970, 1, 1)
_EPOCH_UTC = datetime(1970, 1, 1, tzinfo=timezone.utc)


def local_times(table: pl.DataFrame, column: str, ctx: MetricContext) -> pl.DataFrame:
    """Add each timestamp's local day (days since 1970), time of day (µs) and weekday in
    the business's zone, and whether it is before the end of the as-of day (``before_end``).
    """
    zone = ctx.settings.timezone
    utc = pl.col(column).dt.epoch("us")
    own = pl.col("zone") == zone.key if isinstance(zone, ZoneInfo) else pl.lit(False)
    table = table.with_columns(utc_us=utc, own=own.fill_null(False))
    table = table.with_columns(offset_us=_zone_offsets(table["utc_us"], zone))
    wall = pl.col("utc_us") + pl.col("offset_s").cast(pl.Int64) * 1_000_000
    moved = pl.col("utc_us") + pl.col("offset_us")
    local = pl.when(pl.col("own")).then(wall).otherwise(moved)
    end_wall = (ctx.as_of + timedelta(days=1) - _EPOCH).days * DAY_US
    end_utc = (ctx.end - _EPOCH_UTC) // timedelta(microseconds=1)
    before = pl.when(pl.col("own")).then(wall < end_wall).otherwise(pl.col("utc_us") < end_utc)
    table = table.with_columns(local_us=local, before_end=before)
    day = pl.col("local_us") // DAY_US
    return table.with_columns(
        local_day=day, clock_us=pl.col("local_us") - day * DAY_US, weekday=(day + 3) % 7
    )


def _zone_offsets(utc_us: pl.Series, zone: tzinfo) -> pl.Series:
    """Return the zone's UTC offset (µs) at each moment, asked of the zone once per hour
    of the data (and per moment in an hour where the offset changes)."""
    by_hour: dict[int, int | None] = {}
    for hour in (utc_us // HOUR_US).unique().drop_nulls():
        offset = _offset_at(hour * HOUR_US, zone)
        by_hour[hour] = offset if offset == _offset_at((hour + 1) * HOUR_US - 1, zone) else None
    hourly = (utc_us // HOUR_US).replace_strict(by_hour, default=None, return_dtype=pl.Int64)
    if hourly.null_count() == utc_us.null_count():
        return hourly
    exact = [
        offset if offset is not None or moment is None else _offset_at(moment, zone)
        for moment, offset in zip(utc_us, hourly, strict=True)
    ]
    return pl.Series(exact, dtype=pl.Int64)


def _offset_at(moment_us: int, zone: tzinfo) -> int:
    local = (_EPOCH_UTC + timedelta(microseconds=moment_us)).astimezone(zone)
    offset = local.utcoffset() or timedelta(0)
    return offset // timedelta(microseconds=1)


def days_since_1970(day: date) -> int:
    """Return a day as the number of days since 1970-01-01."""
    return (day - _EPOCH).days


def clock_us(moment: time) -> int:
    """Return a time of day as microseconds since midnight."""
    return (
        (moment.hour * 60 + moment.minute) * 60 + moment.second
    ) * 1_000_000 + moment.microsecond
