"""Read the records of one history file into canonical columns, a column at a time.

Each column is read as the quick builders read its cells (:func:`crmflags_csv.quick.
cell_readers`), so every value is the one :mod:`crmflags_csv.formats` gives: the
commonest forms (an ISO timestamp without an offset, a plain number, an id without
spaces around it) are read by polars itself, and every other cell by the column's
reader, once per distinct text. A record is *read* (``ok``) when each of its cells is
and the checks between cells pass (an invoice due before it is issued, credited above
its amount, in two currencies); the others are left to the careful row builders, which
name every fault.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

import polars as pl

from crmflags_csv.column_forms import ColumnForms
from crmflags_csv.columns import ACTIVITIES, INVOICES, NOTES, Layout
from crmflags_csv.formats import ISO
from crmflags_csv.frames import cell
from crmflags_csv.quick import DECLINED, cell_readers

#: The name of the column telling whether a record was read.
OK = "_ok"

_UTC = pl.Datetime("us", "UTC")
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MICROSECOND = timedelta(microseconds=1)
#: Digits with at most one point, short enough to read alike as a float anywhere.
_PLAIN_NUMBER = r"^[0-9]{1,15}(?:\.[0-9]{1,15})?$"
#: ``9.500``: a point that may group thousands; its column's form says how it reads.
_GROUPED = r"^[1-9][0-9]{0,2}\.[0-9]{3}$"
#: An ISO timestamp without an offset, each part in range: Python and polars read it alike.
_PLAIN_MOMENT = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ](?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9])?$"
#: A text that ``str.strip`` leaves as it is: a visible ASCII character at both ends.
_UNSPACED = r"^[!-~](?s:.*[!-~])?$"
_VISIBLE = r"[!-~]"


def text_of(frame: pl.DataFrame, layout: Layout, column: str) -> pl.Series:
    """Return the values of a canonical column ("" for every record if the file lacks it)."""
    index = layout.index.get(column)
    if index is None:
        return pl.Series(column, [""] * frame.height, dtype=pl.Utf8)
    return frame[cell(index)].alias(column)


def stripped(texts: pl.Series) -> pl.Series:
    """Return the texts as Python's ``str.strip`` leaves them."""
    plain = texts.str.contains(_UNSPACED)
    if plain.all():
        return texts
    others = texts.filter(~plain).unique().to_list()
    table = pl.DataFrame(
        {"t": pl.Series(others, dtype=pl.Utf8), "v": [t.strip() for t in others]},
        schema={"t": pl.Utf8, "v": pl.Utf8},
    )
    looked_up = _looked_up(texts, table)["v"]
    return pl.select(pl.when(plain).then(texts).otherwise(looked_up)).to_series().alias(texts.name)


def read_columns(
    frame: pl.DataFrame, layout: Layout, zone: tzinfo, forms: ColumnForms
) -> pl.DataFrame:
    """Return the canonical columns of a history file's records (without ``client_id``)
    and OK telling, for each record, whether it was read."""
    readers = cell_readers(layout.canonical, zone, forms)
    reading = ColumnReading(frame, layout, readers)
    if layout.canonical == INVOICES.file:
        return _invoices(reading, forms)
    if layout.canonical == ACTIVITIES.file:
        return _activities(reading, forms, zone)
    if layout.canonical == NOTES.file:
        return _notes(reading, forms, zone)
    return _time_entries(reading, forms)


class ColumnReading:
    """The records being read, their columns' readers, and what has been read of them."""

    def __init__(self, frame: pl.DataFrame, layout: Layout, readers: dict[str, Callable]):
        self.frame, self.layout, self.readers = frame, layout, readers
        self.oks: list[pl.Series] = []

    def texts(self, column: str) -> pl.Series:
        return text_of(self.frame, self.layout, column)

    def memo(
        self,
        column: str,
        schema: dict[str, Any],
        convert: Callable[[Any], tuple] = lambda value: (value,),
        done: pl.Series | None = None,
    ) -> pl.DataFrame:
        """Read the column's cells with its reader, each distinct text once (only the
        records not ``done`` already); return ``schema``'s columns of ``convert(value)``,
        null where the reader declines, and note which records it declined."""
        texts = self.texts(column)
        todo = texts if done is None else texts.filter(~done)
        uniques = todo.unique().to_list()
        read = self.readers[column]
        rows: list[tuple] = []
        oks: list[bool] = []
        for text in uniques:
            try:
                rows.append(convert(read(text)))
                oks.append(True)
            except DECLINED:
                rows.append((None,) * len(schema))
                oks.append(False)
        table = pl.DataFrame(rows, schema=schema, orient="row").with_columns(
            t=pl.Series(uniques, dtype=pl.Utf8), ok=pl.Series(oks, dtype=pl.Boolean)
        )
        result = _looked_up(texts, table)
        ok = result["ok"].fill_null(False)
        self.oks.append(ok if done is None else ok | done)
        return result.drop("t", "ok")

    def checked(self, check: pl.Expr | pl.Series) -> None:
        """Note a condition every record read must meet."""
        self.oks.append(check if isinstance(check, pl.Series) else pl.select(check).to_series())

    def result(self, columns: dict[str, pl.Series | pl.Expr]) -> pl.DataFrame:
        """Return the columns read and OK, all of the records' cells and checks."""
        ok = pl.Series(OK, [True] * self.frame.height, dtype=pl.Boolean)
        for one in self.oks:
            ok = ok & one.fill_null(False)
        table = pl.DataFrame({OK: ok})
        return table.with_columns(**columns).select(*columns, OK)


def _looked_up(texts: pl.Series, table: pl.DataFrame) -> pl.DataFrame:
    """Return the rows of ``table`` (keyed by its column ``t``) for each text, in order."""
    return texts.alias("t").to_frame().join(table, on="t", how="left", maintain_order="left")


def _numbers(reading: ColumnReading, column: str, forms: ColumnForms, money: bool) -> pl.DataFrame:
    """Read a number (or money) column: ``value`` and, for money, ``currency``."""
    texts = reading.texts(column)
    form = forms.number(column)
    if form.forced:
        fast = pl.Series([False] * len(texts), dtype=pl.Boolean)
    else:
        fast = texts.str.contains(_PLAIN_NUMBER) & ~texts.str.contains(_GROUPED)
    schema = {"value": pl.Float64, "currency": pl.Utf8} if money else {"value": pl.Float64}
    read = reading.memo(column, schema, _money if money else _one, fast)
    value = pl.when(fast).then(texts.cast(pl.Float64, strict=False)).otherwise(read["value"])
    read = read.with_columns(value=pl.select(value).to_series())
    if money:
        read = read.with_columns(currency=pl.when(fast).then(None).otherwise(read["currency"]))
    return read


def _one(value: Any) -> tuple:
    return (value,)


def _money(value: tuple[float, str | None] | None) -> tuple:
    return (None, None) if value is None else value


def _dates(reading: ColumnReading, column: str) -> pl.Series:
    return reading.memo(column, {"value": pl.Date})["value"].alias(column)


def _flags(reading: ColumnReading, column: str) -> pl.Series:
    return reading.memo(column, {"value": pl.Boolean})["value"].alias(column)


def _words(reading: ColumnReading, column: str) -> pl.Series:
    return reading.memo(column, {"value": pl.Utf8})["value"].alias(column)


def _invoices(reading: ColumnReading, forms: ColumnForms) -> pl.DataFrame:
    ids = reading.texts("invoice_id")
    plain = ids.str.contains(_UNSPACED)
    invoice_id = reading.memo("invoice_id", {"value": pl.Utf8}, done=plain)["value"]
    issued, due = _dates(reading, "issued_on"), _dates(reading, "due_on")
    amount = _numbers(reading, "amount", forms, money=True)
    credited = _numbers(reading, "credited_amount", forms, money=True)
    currency = _words(reading, "currency")
    # The currency is the column's, else the one written with the amount, then the credit.
    first = pl.coalesce(currency, amount["currency"])
    settled = pl.coalesce(first, credited["currency"])
    credited_amount = credited["value"].fill_null(0.0)
    reading.checked(
        pl.select(
            ~(amount["currency"].is_not_null() & (amount["currency"] != first))
            & ~(credited["currency"].is_not_null() & (credited["currency"] != settled))
            & (due >= issued)
            & (credited_amount <= amount["value"])
        ).to_series()
    )
    return reading.result(
        {
            "invoice_id": pl.select(pl.when(plain).then(ids).otherwise(invoice_id)).to_series(),
            "issued_on": issued,
            "due_on": due,
            "amount": amount["value"],
            "paid_on": _dates(reading, "paid_on"),
            "currency": pl.select(settled).to_series(),
            "disputed": _flags(reading, "disputed"),
            "credited_amount": credited_amount,
        }
    )


def _moments(reading: ColumnReading, column: str, forms: ColumnForms, zone: tzinfo) -> pl.DataFrame:
    """Read a timestamp column: the UTC time, ``offset_s``, ``zone`` and ``has_time``."""
    texts = reading.texts(column)
    schema = {"at": _UTC, "offset_s": pl.Int32, "zone": pl.Utf8, "has_time": pl.Boolean}
    if forms.date(column).forced in (None, ISO) and isinstance(zone, ZoneInfo):
        fast_table = _plain_moments(texts, zone)
        fast = fast_table["at"].is_not_null()
    else:
        fast_table, fast = None, pl.Series([False] * len(texts), dtype=pl.Boolean)
    if column == "created_at":
        read = reading.memo(column, schema, lambda m: _moment((m, True)), fast)
    else:
        read = reading.memo(column, schema, _moment, fast)
    if fast_table is None:
        return read
    return pl.DataFrame(
        {
            name: pl.select(pl.when(fast).then(fast_table[name]).otherwise(read[name])).to_series()
            for name in schema
        }
    )


def _plain_moments(texts: pl.Series, zone: ZoneInfo) -> pl.DataFrame:
    """Read the ISO timestamps without an offset in ``zone``; null where one is not plain
    or does not exist there (the hour skipped in spring: Python reads those)."""
    plain = texts.str.contains(_PLAIN_MOMENT)
    days = texts.str.slice(0, 10)
    seen = days.filter(plain).unique().to_list()
    table = pl.DataFrame(
        {"t": seen, "day": [_iso_day(text) for text in seen]},
        schema={"t": pl.Utf8, "day": pl.Date},
    )
    day: pl.Series = _looked_up(days, table)["day"]
    part = {at: pl.lit(texts.str.slice(at, 2).cast(pl.Int64, strict=False)) for at in (11, 14, 17)}
    seconds = pl.when(pl.lit(texts.str.len_chars()) == 19).then(part[17]).otherwise(0)
    naive = pl.select(
        pl.when(plain).then(
            day.cast(pl.Datetime("us"))
            + pl.duration(hours=part[11], minutes=part[14], seconds=seconds, time_unit="us")
        )
    ).to_series()
    local = naive.dt.replace_time_zone(zone.key, ambiguous="earliest", non_existent="null")
    at = local.dt.convert_time_zone("UTC")
    offset = (naive - at.dt.replace_time_zone(None)).dt.total_seconds().cast(pl.Int32)
    known = at.is_not_null()
    return pl.DataFrame(
        {
            "at": at,
            "offset_s": offset,
            "zone": pl.select(pl.when(known).then(pl.lit(zone.key))).to_series(),
            "has_time": pl.select(pl.when(known).then(True)).to_series(),
        }
    )


def _iso_day(text: str) -> date | None:
    """Return the day of an ISO date, None if there is no such day."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _moment(value: tuple[datetime, bool]) -> tuple:
    """Return a timestamp read by Python as the table holds it."""
    moment, has_time = value
    offset = moment.utcoffset()
    zone = moment.tzinfo.key if isinstance(moment.tzinfo, ZoneInfo) else None
    utc = _EPOCH + ((moment - _EPOCH) // _MICROSECOND) * _MICROSECOND
    return utc, int(offset.total_seconds()) if offset else 0, zone, has_time


def _activities(reading: ColumnReading, forms: ColumnForms, zone: tzinfo) -> pl.DataFrame:
    moments = _moments(reading, "occurred_at", forms, zone)
    kind, direction = _words(reading, "kind"), _words(reading, "direction")
    default = pl.when(kind == "reminder").then(pl.lit("outbound")).otherwise(pl.lit("inbound"))
    return reading.result(
        {
            "occurred_at": moments["at"],
            "offset_s": moments["offset_s"],
            "zone": moments["zone"],
            "kind": kind,
            "direction": pl.select(pl.coalesce(direction, default)).to_series(),
            "subject": reading.texts("subject"),
            "has_time": moments["has_time"],
        }
    )


def _notes(reading: ColumnReading, forms: ColumnForms, zone: tzinfo) -> pl.DataFrame:
    moments = _moments(reading, "created_at", forms, zone)
    body = reading.texts("body")
    reading.memo("body", {"value": pl.Utf8}, done=body.str.contains(_VISIBLE))
    return reading.result(
        {
            "created_at": moments["at"],
            "offset_s": moments["offset_s"],
            "zone": moments["zone"],
            "body": body,
            "marker": _words(reading, "marker"),
        }
    )


def _time_entries(reading: ColumnReading, forms: ColumnForms) -> pl.DataFrame:
    return reading.result(
        {
            "date": _dates(reading, "date"),
            "hours": _numbers(reading, "hours", forms, money=False)["value"],
            "billable": _flags(reading, "billable"),
            "in_scope": _flags(reading, "in_scope"),
        }
    )
