"""The built-in metrics as group-bys on :class:`~crmflags.tables.HistoryTables`.

:mod:`crmflags.evaluation.metrics` is the one definition of every metric; this module
computes the same values from columns, for all clients at once, and a differential test
(tests/test_columnar.py) holds them equal, client by client, float for float:

* amounts and hours are added in the source's order, as the reference adds them (a
  cumulative sum: polars' own ``sum`` adds in another order and changes last digits);
* timestamps are read in the business's time zone as Python reads them: one written in
  that zone by its wall time (Python compares and converts such a datetime without its
  UTC offset), any other by its UTC time and the zone's offset at that moment, asked of
  the zone itself (:func:`_zone_offsets`);
* currencies go through the run's :class:`~crmflags.money.Converter`, which picks the
  reporting currency and remembers what it could not convert as client by client;
* note metrics come from the reference :func:`~crmflags.evaluation.metrics.note_matches`
  on each client's notes of the window, hourly cues from the reference
  :func:`~crmflags.evaluation.metrics.says_hourly`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from datetime import timedelta
from typing import Any

import polars as pl

from crmflags.evaluation.local_time import DAY_US, clock_us, days_since_1970, local_times
from crmflags.evaluation.metrics import (
    BILLING_FIELD,
    CONTACT_KINDS,
    DISPUTE_LISTS,
    RATE_CURRENCY_FIELD,
    NoteMatch,
    client_metrics,
    note_matches,
    says_hourly,
)
from crmflags.metric import MetricContext
from crmflags.model import NOTE_MARKERS, Client
from crmflags.money import currency_code
from crmflags.rules.matching.matcher import TermMatcher
from crmflags.tables import SCHEMAS, HistoryTables, clients_from_tables

#: A client, its built-in metrics and its note matches (what :func:`metric_rows` yields).
Measured = tuple[Client, dict[str, float | None], dict[str, list[NoteMatch]]]


def metric_rows(
    tables: HistoryTables,
    ctx: MetricContext,
    matcher: TermMatcher | None,
    days: Mapping[str, int] | None = None,
    whole_clients: bool = False,
) -> Iterator[Measured]:
    """Yield each client of the tables with its built-in metrics and note matches, in order.

    The metrics are :func:`~crmflags.evaluation.metrics.client_metrics`' (the same
    names in the same order) as :func:`~crmflags.evaluation.metrics.clean_value`
    leaves them (finite or None), the matches
    :func:`~crmflags.evaluation.metrics.note_matches`'; ``ctx`` changes as they change
    it (the converter's reporting currency and missing rates, the UTC offsets seen).
    The client comes without its history unless ``whole_clients`` (for plugin metrics).
    """
    index = tables.clients.select(pl.col("id").alias("client_id")).with_row_index("i")
    names = list(client_metrics(Client("", ""), MetricContext.of(ctx.as_of, ctx.settings)))
    rows = metric_frame(tables, ctx, index).select(names).iter_rows()
    matches = _note_matches(tables, index, ctx, matcher, days)
    clients = clients_from_tables(tables, history=whole_clients)
    for position, (client, values) in enumerate(zip(clients, rows, strict=True)):
        found = matches.get(position, {})
        metrics = dict(zip(names, values, strict=True))
        # As client_metrics counts them: the marked notes note_matches kept, over their days.
        for marker in NOTE_MARKERS:
            metrics[f"notes_{marker}"] = float(len(found.get(f"marker:{marker}", ())))
        disputes = {m.note for name in DISPUTE_LISTS for m in found.get(name, ())}
        metrics["dispute_notes"] = float(len(disputes))
        metrics["dispute_incidents"] = (metrics["contested_invoices"] or 0.0) + len(disputes)
        yield client, metrics, found


def metric_frame(tables: HistoryTables, ctx: MetricContext, index: pl.DataFrame) -> pl.DataFrame:
    """Return one row per client, in order, with every built-in metric but those of the
    term lists (``dispute_notes`` and ``dispute_incidents`` are None here)."""
    clients = tables.clients.with_row_index("i").with_columns(
        billing=_field(BILLING_FIELD), rate_currency=_field(RATE_CURRENCY_FIELD)
    )
    invoices = _joined(tables.invoices, index)
    rates, targets = _currencies(clients, invoices, ctx)
    hourly = clients.select("i", all_hourly=_each(pl.col("billing").fill_null(""), says_hourly))
    frame = clients.select("i", "contracted_hours", "gut_feeling", "team_morale")
    for part in (
        _invoice_metrics(invoices, rates, ctx),
        _time_metrics(_joined(tables.time_entries, index), ctx),
        _activity_metrics(
            _joined(tables.activities, index).join(hourly, on="i", maintain_order="left"), ctx
        ),
        _note_counts(_joined(tables.notes, index), ctx),
        hourly,
        targets,
    ):
        frame = frame.join(part, on="i", how="left", maintain_order="left")
    derived = _derived(frame, ctx)
    # As clean_value leaves them: a value that overflowed (inf, NaN) is no value.
    return derived.with_columns(
        pl.when(pl.col(name).is_finite()).then(pl.col(name)).alias(name)
        for name, kind in derived.schema.items()
        if kind == pl.Float64
    )


def _field(name: str) -> pl.Expr:
    """Return the value of each client's field ``name`` (None when it has none)."""
    values = pl.col("fields").list.eval(
        pl.element().filter(pl.element().struct.field("name") == name).struct.field("value")
    )
    return values.list.first()


def _joined(table: pl.DataFrame, index: pl.DataFrame) -> pl.DataFrame:
    """Return a history table with each row's number (``row``) and client position (``i``).

    The position is looked up, not joined, so the table's columns are not copied.
    """
    positions = pl.col("client_id").replace_strict(
        index["client_id"], index["i"], default=None, return_dtype=pl.UInt32
    )
    found = table.with_row_index("row").with_columns(i=positions)
    return found.filter(pl.col("i").is_not_null()) if found["i"].null_count() else found


def _each(texts: pl.Expr, test: Callable[[str], bool]) -> pl.Expr:
    """Return ``test`` of each text, asked once per distinct text."""
    return texts.map_batches(lambda s: _mapped(s, test, pl.Boolean), return_dtype=pl.Boolean)


def _mapped(values: pl.Series, function: Callable, dtype: Any) -> pl.Series:
    """Return ``function`` of each value, called once per distinct value."""
    if not len(values):
        return pl.Series(values.name, [], dtype=dtype)
    found = {value: function(value) for value in values.unique()}
    return values.replace_strict(found, return_dtype=dtype)


def _total(values: pl.Expr) -> pl.Expr:
    """Return a group's sum added in order from 0.0, as the reference adds it."""
    return values.cum_sum().last().fill_null(0.0) + 0.0


def _ratio(part: pl.Expr, whole: pl.Expr) -> pl.Expr:
    """Return part / whole; None without a part or with no (zero) whole."""
    return pl.when(part.is_not_null() & whole.is_not_null() & (whole != 0.0)).then(part / whole)


def _divided(counts: pl.Expr, by: float) -> pl.Expr:
    """Return counts / by, divided as Python divides (polars multiplies by 1 / by)."""
    return counts.map_batches(
        lambda s: _mapped(s, lambda n: n / by, pl.Float64), return_dtype=pl.Float64
    )


def _named(currency: pl.Expr) -> pl.Expr:
    return currency.is_not_null() & (currency != "")


def _currencies(
    clients: pl.DataFrame, invoices: pl.DataFrame, ctx: MetricContext
) -> tuple[dict[str, float | None], pl.DataFrame]:
    """Return each currency as written with its rate (None: no rate), and each client's
    target rate in the reporting currency (``target_rate``).

    The converter is asked as the reference asks it, so it picks the same reporting
    currency (the first one named by an invoice issued by the as-of date or, for a
    client without one, by its target rate) and remembers the same missing rates.
    """
    money, target = ctx.money, pl.col("hourly_rate_target")
    asked = invoices.filter(_named(pl.col("currency")) & (pl.col("issued_on") <= ctx.as_of))
    targets = clients.join(_majority(invoices), on="i", how="left", maintain_order="left")
    targets = targets.select(
        "i",
        "id",
        target,
        currency=pl.when(_named(pl.col("rate_currency")))
        .then(pl.col("rate_currency"))
        .otherwise(pl.col("majority")),
    ).with_columns(asked=target.is_not_null() & _named(pl.col("currency")))
    if money.reporting is None:
        first = pl.concat(
            [
                asked.select("i", "row", "currency"),
                targets.filter("asked").select(
                    "i", row=pl.lit(None, pl.UInt32), currency="currency"
                ),
            ]
        ).filter(_each(pl.col("currency"), lambda raw: currency_code(raw) is not None))
        if len(first):
            money.rate(first.sort("i", "row", nulls_last=True)["currency"][0])
    written = {*asked["currency"], *targets.filter("asked")["currency"]}
    rates = {raw: money.rate(raw) for raw in sorted(written)}
    rate = pl.col("currency").replace_strict(rates, default=None, return_dtype=pl.Float64)
    lost = pl.concat(
        [
            asked.filter(rate.is_null()).select("currency", "client_id"),
            targets.filter(pl.col("asked") & rate.is_null()).select("currency", client_id="id"),
        ]
    )
    for raw, client_id in lost.unique().iter_rows():
        money.convert(0.0, raw, client_id)  # remembered for the warning
    converted = pl.when(pl.col("asked")).then(target * rate).otherwise(target)
    return rates, targets.select("i", target_rate=converted)


def _majority(invoices: pl.DataFrame) -> pl.DataFrame:
    """Return each client's invoicing currency (``majority``): the one most of its invoices
    name, the first named of equals."""
    named = invoices.filter(_named(pl.col("currency")))
    counts = named.group_by("i", "currency").agg(pl.len().alias("n"), pl.col("row").min())
    best = counts.sort(["i", "n", "row"], descending=[False, True, False])
    return best.group_by("i", maintain_order=True).first().select("i", majority="currency")


def _invoice_metrics(invoices: pl.DataFrame, rates: dict, ctx: MetricContext) -> pl.DataFrame:
    as_of, start = ctx.as_of, ctx.billing_start
    rate = (
        pl.when(_named(pl.col("currency")))
        .then(pl.col("currency").replace_strict(rates, default=None, return_dtype=pl.Float64))
        .otherwise(1.0)
    )
    issued = invoices.filter(pl.col("issued_on") <= as_of).with_columns(rate=rate)
    r, amount, credit = pl.col("rate").fill_null(0.0), pl.col("amount"), pl.col("credited_amount")
    paid = pl.col("paid_on").is_not_null() & (pl.col("paid_on") <= as_of)
    overdue = ~paid & (pl.col("due_on") < as_of)
    billing = pl.col("issued_on") >= start
    late = billing & paid & (pl.col("paid_on") > pl.col("due_on"))
    days_late = (pl.col("paid_on") - pl.col("due_on")).dt.total_days()
    days_over = (pl.lit(as_of) - pl.col("due_on")).dt.total_days()
    return issued.group_by("i").agg(
        convertible=pl.col("rate").is_not_null().all(),
        overdue_invoices=overdue.sum(),
        overdue_total=_total(((amount - credit) * r).filter(overdue)),
        max_days_overdue=days_over.filter(overdue).max(),
        invoices=billing.sum(),
        invoiced=_total((amount * r).filter(billing)),
        credited=_total((credit * r).filter(billing)),
        disputed_invoices=(billing & pl.col("disputed")).sum(),
        credited_invoices=(billing & (credit > 0)).sum(),
        contested_invoices=(billing & (pl.col("disputed") | (credit > 0))).sum(),
        invoices_paid=(billing & paid).sum(),
        paid_total=_total(((amount - credit) * r).filter(billing & paid)),
        late_invoices=late.sum(),
        days_late_sum=days_late.filter(late).sum(),
        days_late_max=days_late.filter(late).max(),
    )


def _time_metrics(entries: pl.DataFrame, ctx: MetricContext) -> pl.DataFrame:
    hours, day = pl.col("hours"), pl.col("date")
    recent = day >= ctx.activity_start
    return (
        entries.filter(day <= ctx.as_of)
        .group_by("i")
        .agg(
            hours_total=_total(hours),
            billing_hours=_total(hours.filter(day >= ctx.billing_start)),
            hours=_total(hours.filter(recent)),
            non_billable_hours=_total(hours.filter(recent & ~pl.col("billable"))),
            out_of_scope_hours=_total(hours.filter(recent & ~pl.col("in_scope"))),
        )
    )


def _activity_metrics(activities: pl.DataFrame, ctx: MetricContext) -> pl.DataFrame:
    hours = ctx.settings.business_hours
    seen = local_times(activities, "occurred_at", ctx).filter("before_end")
    # Only the columns needed: a filter or a sort of the whole table would copy its texts.
    shifted = seen.select("i", "row", "offset_s").filter(pl.col("offset_s") != 0).sort("i", "row")
    for offset, count in shifted.group_by("offset_s", maintain_order=True).len().iter_rows():
        ctx.offsets[timedelta(seconds=offset)] += count
    kind, clock = pl.col("kind"), pl.col("clock_us")
    workday = pl.col("weekday").is_in(sorted(hours.days))
    within = (clock >= clock_us(hours.start)) & (clock < clock_us(hours.end))
    outside = ~workday | (pl.col("has_time") & ~within)
    contact = kind.is_in(sorted(CONTACT_KINDS)) & (pl.col("direction") == "inbound")
    change = kind == "change_request"
    hourly = pl.col("all_hourly") | _each(pl.col("subject").fill_null(""), says_hourly)
    counted = {
        "inbound_contacts": contact,
        "after_hours_contacts": contact & outside,
        "weekend_contacts": contact & ~workday,
        "change_requests": change,
        "hourly_change_requests": change & hourly,
        "rush_requests": kind == "rush_request",
        "reminders": kind == "reminder",
    }
    recent = seen.lazy().filter(pl.col("local_day") >= days_since_1970(ctx.activity_start))
    # Each test is made on the whole column first: a Python one inside a group-by would
    # be called once per client. Lazily, so that only the columns tested are filtered.
    flags = recent.select("i", **counted).collect()
    return flags.group_by("i").agg(pl.col(name).sum() for name in counted)


def _note_counts(notes: pl.DataFrame, ctx: MetricContext) -> pl.DataFrame:
    # Lazily, so that the filter copies no note's body.
    seen = (
        local_times(notes, "created_at", ctx)
        .lazy()
        .filter(pl.col("before_end") & (pl.col("local_day") >= days_since_1970(ctx.activity_start)))
    )
    return (
        seen.group_by("i")
        .agg(
            notes=pl.len(),
            **{f"notes_{m}": (pl.col("marker") == m).sum() for m in NOTE_MARKERS},
        )
        .collect()
    )


def _derived(frame: pl.DataFrame, ctx: MetricContext) -> pl.DataFrame:
    """Return the metrics of the per-client sums and counts, named as the reference names them."""
    c = pl.col
    known = c("convertible").fill_null(True)

    def count(name: str) -> pl.Expr:
        return c(name).fill_null(0).cast(pl.Float64)

    def money(name: str) -> pl.Expr:
        return pl.when(known).then(c(name).fill_null(0.0))

    months = ctx.settings.activity_days / 30
    late, paid = count("late_invoices"), count("invoices_paid")
    hours, total, contracted = (
        c("hours").fill_null(0.0),
        c("hours_total").fill_null(0.0),
        c("contracted_hours"),
    )
    billed = money("invoiced") - c("credited").fill_null(0.0)
    billing_hours = c("billing_hours").fill_null(0.0)
    over = total - contracted
    effective = _ratio(billed, billing_hours)
    changes, hourly_changes = count("change_requests"), count("hourly_change_requests")
    inbound, after = count("inbound_contacts"), count("after_hours_contacts")
    max_overdue = c("max_days_overdue").fill_null(0)
    return frame.select(
        invoices=count("invoices"),
        invoiced_amount=money("invoiced"),
        invoices_paid=paid,
        paid_amount=money("paid_total"),
        billed_amount=billed,
        late_invoices=late,
        late_invoice_share=_ratio(late, paid),
        avg_days_late=pl.when(late > 0).then(c("days_late_sum") / late).otherwise(0.0),
        max_days_late=pl.max_horizontal(c("days_late_max"), max_overdue).cast(pl.Float64),
        overdue_invoices=count("overdue_invoices"),
        overdue_amount=money("overdue_total"),
        max_days_overdue=max_overdue.cast(pl.Float64),
        disputed_invoices=count("disputed_invoices"),
        credited_invoices=count("credited_invoices"),
        contested_invoices=count("contested_invoices"),
        credited_share=pl.when(known).then(_ratio(c("credited").fill_null(0.0), money("invoiced"))),
        hours=hours,
        non_billable_hours=c("non_billable_hours").fill_null(0.0),
        non_billable_share=_ratio(c("non_billable_hours").fill_null(0.0), hours),
        out_of_scope_hours=c("out_of_scope_hours").fill_null(0.0),
        out_of_scope_share=_ratio(c("out_of_scope_hours").fill_null(0.0), hours),
        billing_hours=billing_hours,
        hours_total=total,
        contracted_hours=contracted,
        budget_used_share=_ratio(total, contracted),
        hours_over_budget=pl.when(contracted.is_not_null()).then(
            pl.when(over > 0.0).then(over).otherwise(0.0)
        ),
        effective_hourly_rate=effective,
        inbound_contacts=inbound,
        after_hours_contacts=after,
        after_hours_share=_ratio(after, inbound),
        weekend_contacts=count("weekend_contacts"),
        change_requests=changes,
        change_requests_per_month=_divided(changes, months),
        hourly_change_requests=hourly_changes,
        unbilled_changes_per_month=_divided(changes - hourly_changes, months),
        rush_requests=count("rush_requests"),
        reminders=count("reminders"),
        notes=count("notes"),
        **{f"notes_{m}": count(f"notes_{m}") for m in NOTE_MARKERS},
        dispute_notes=pl.lit(None, pl.Float64),
        dispute_incidents=pl.lit(None, pl.Float64),
        hourly_rate_target=c("target_rate"),
        rate_vs_target=_ratio(effective, c("target_rate")),
        billed_by_hour=c("all_hourly").fill_null(False).cast(pl.Float64),
        gut_feeling=c("gut_feeling").fill_null(False).cast(pl.Float64),
        team_morale=c("team_morale"),
    )


def _note_matches(
    tables: HistoryTables,
    index: pl.DataFrame,
    ctx: MetricContext,
    matcher: TermMatcher | None,
    days: Mapping[str, int] | None,
) -> dict[int, dict[str, list[NoteMatch]]]:
    """Return the note matches of each client (by position) that has notes in a window.

    The reference :func:`note_matches` reads each such client's notes that may be in a
    window (those two days around its edges included); a match keeps the note's
    position among all the client's notes.
    """
    starts = [
        ctx.activity_start,
        *(ctx.as_of - timedelta(days=n - 1) for n in (days or {}).values()),
    ]
    first_us = (days_since_1970(min(starts)) - 2) * DAY_US
    last_us = (days_since_1970(ctx.as_of) + 3) * DAY_US
    notes = _joined(tables.notes, index).with_columns(position=pl.int_range(pl.len()).over("i"))
    moment = pl.col("created_at").dt.epoch("us")
    near = notes.filter((moment >= first_us) & (moment < last_us)).sort("i", "row")
    if not len(near):
        return {}
    subset = HistoryTables(
        clients=tables.clients.filter(pl.col("id").is_in(near["client_id"].unique().implode())),
        notes=near.select(list(SCHEMAS["notes"])),
    )
    positions = near.group_by("i", maintain_order=True).agg("position").iter_rows()
    found = {}
    for client, (i, places) in zip(clients_from_tables(subset), positions, strict=True):
        matches = note_matches(client, ctx, matcher, days)
        found[i] = {
            key: [replace(m, note=places[m.note]) for m in listed]
            for key, listed in matches.items()
        }
    return found
