"""Client metrics: every number a ruleset can compare, derived from the canonical model.

Metrics are computed ``as_of`` a date over two windows ending on that day: the
activity window (default 90 days: hours, calls, emails, change requests, notes) and
the billing window (default 365 days: invoices and the hours they paid for).
Timestamps are read in the business's time zone. A metric is None where the client
has no value (a share of nothing, a rate without hours); a ruleset comparison on
None is false, and so is its negation. ``docs/metrics.md`` catalogues them all.
"""

from __future__ import annotations

import logging
import math
from array import array
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from crmflags.model import NOTE_MARKERS, Client
from crmflags.settings import Settings
from crmflags.text import MAX_TEXT_CHARS, TermMatcher, TextMatch, snippet

#: Share of hours / share of revenue is capped here (a client who paid nothing).
TIME_DRAIN_CAP = 100.0
CONTACT_KINDS = frozenset({"call", "email", "message"})


@dataclass(frozen=True)
class MetricInfo:
    """A metric's name, unit, window and meaning (what ``docs/metrics.md`` lists)."""

    name: str
    unit: str
    window: str
    description: str


def _m(name: str, unit: str, window: str, description: str) -> tuple[str, MetricInfo]:
    return name, MetricInfo(name, unit, window, description)


BUILTIN_METRICS: dict[str, MetricInfo] = dict(
    [
        _m("invoices", "count", "billing", "invoices issued in the window"),
        _m(
            "invoiced_amount",
            "money",
            "billing",
            "total amount of the invoices issued in the window",
        ),
        _m(
            "invoices_paid",
            "count",
            "billing",
            "invoices issued in the window and paid by the as-of date",
        ),
        _m(
            "paid_amount",
            "money",
            "billing",
            "amount paid (less credits) for invoices issued in the window",
        ),
        _m(
            "late_invoices", "count", "billing", "paid invoices that were paid after their due date"
        ),
        _m("late_invoice_share", "share", "billing", "late_invoices / invoices_paid"),
        _m(
            "avg_days_late",
            "days",
            "billing",
            "average days past due of the invoices paid late (0 if none)",
        ),
        _m(
            "max_days_late",
            "days",
            "billing",
            "most days past due of any invoice: paid late, or still unpaid and overdue (0 if none)",
        ),
        _m(
            "overdue_invoices",
            "count",
            "all",
            "invoices unpaid on the as-of date and past their due date",
        ),
        _m("overdue_amount", "money", "all", "amount (less credits) of the overdue invoices"),
        _m(
            "max_days_overdue",
            "days",
            "all",
            "days past due of the oldest overdue invoice (0 if none)",
        ),
        _m("disputed_invoices", "count", "billing", "invoices marked disputed"),
        _m(
            "credited_invoices",
            "count",
            "billing",
            "invoices with a credit note or discount after issue",
        ),
        _m("credited_share", "share", "billing", "credited amount / invoiced amount"),
        _m("hours", "hours", "activity", "hours worked for the client"),
        _m("non_billable_hours", "hours", "activity", "hours marked not billable"),
        _m("non_billable_share", "share", "activity", "non_billable_hours / hours"),
        _m("out_of_scope_hours", "hours", "activity", "hours marked out of scope"),
        _m("out_of_scope_share", "share", "activity", "out_of_scope_hours / hours"),
        _m("billing_hours", "hours", "billing", "hours worked in the billing window"),
        _m("hours_total", "hours", "all", "all hours worked for the client up to the as-of date"),
        _m(
            "contracted_hours",
            "hours",
            "manual",
            "hours the contract covers (clients.csv contracted_hours)",
        ),
        _m("budget_used_share", "share", "all", "hours_total / contracted_hours"),
        _m(
            "hours_over_budget",
            "hours",
            "all",
            "hours_total beyond contracted_hours (0 within budget)",
        ),
        _m(
            "hourly_rate_target",
            "rate",
            "manual",
            "the rate the business aims for with this client",
        ),
        _m("effective_hourly_rate", "rate", "billing", "paid_amount / billing_hours"),
        _m("rate_vs_target", "ratio", "billing", "effective_hourly_rate / hourly_rate_target"),
        _m("inbound_contacts", "count", "activity", "inbound calls, emails and messages"),
        _m(
            "after_hours_contacts",
            "count",
            "activity",
            "inbound contacts outside business hours or on a non-working day",
        ),
        _m("after_hours_share", "share", "activity", "after_hours_contacts / inbound_contacts"),
        _m("weekend_contacts", "count", "activity", "inbound contacts on a non-working day"),
        _m("change_requests", "count", "activity", "change requests"),
        _m(
            "change_requests_per_month",
            "count",
            "activity",
            "change requests per 30 days of the window",
        ),
        _m(
            "rush_requests",
            "count",
            "activity",
            "rush requests (deadlines shorter than you can do)",
        ),
        _m("reminders", "count", "activity", "reminders we had to send for approvals or material"),
        _m("notes", "count", "activity", "notes written about the client"),
        *(
            _m(f"notes_{marker}", "count", "activity", f"notes marked {marker}")
            for marker in NOTE_MARKERS
        ),
        _m(
            "gut_feeling",
            "flag",
            "manual",
            "the owner's manual 'something is off' flag (1 yes, 0 no)",
        ),
        _m(
            "team_morale",
            "score",
            "manual",
            "the team's rating of working with the client, 1 (worst) to 5",
        ),
        _m("hours_share", "share", "billing", "the client's share of all clients' billing_hours"),
        _m("revenue_share", "share", "billing", "the client's share of all clients' paid_amount"),
        _m(
            "time_drain_ratio",
            "ratio",
            "billing",
            f"hours_share / revenue_share ({TIME_DRAIN_CAP:g} when the client took hours but paid nothing)",
        ),
    ]
)


@dataclass(frozen=True)
class MetricContext:
    """When and how metrics are computed: the as-of date, settings and window starts."""

    as_of: date
    settings: Settings

    @property
    def activity_start(self) -> date:
        """First day of the activity window (the window ends on ``as_of``)."""
        return self.as_of - timedelta(days=self.settings.activity_days - 1)

    @property
    def billing_start(self) -> date:
        """First day of the billing window (the window ends on ``as_of``)."""
        return self.as_of - timedelta(days=self.settings.billing_days - 1)

    @property
    def end(self) -> datetime:
        """The first moment after the as-of day, in the business's time zone."""
        return datetime.combine(self.as_of + timedelta(days=1), time.min, self.settings.timezone)


def client_metrics(client: Client, ctx: MetricContext) -> dict[str, float | None]:
    """Compute every built-in per-client metric (not the portfolio shares)."""
    metrics: dict[str, float | None] = {}
    _invoice_metrics(client, ctx, metrics)
    _time_metrics(client, ctx, metrics)
    _activity_metrics(client, ctx, metrics)
    _note_metrics(client, ctx, metrics)
    metrics["hourly_rate_target"] = client.hourly_rate_target
    metrics["rate_vs_target"] = _ratio(metrics["effective_hourly_rate"], client.hourly_rate_target)
    metrics["gut_feeling"] = 1.0 if client.gut_feeling else 0.0
    metrics["team_morale"] = client.team_morale
    return metrics


def portfolio_metrics(all_metrics: list[dict[str, float | None]]) -> None:
    """Add hours_share, revenue_share and time_drain_ratio, which compare each client with all."""
    total_hours, total_revenue = portfolio_totals(
        [m["billing_hours"] for m in all_metrics], [m["paid_amount"] for m in all_metrics]
    )
    for m in all_metrics:
        add_portfolio_shares(m, total_hours, total_revenue)


def portfolio_totals(
    billing_hours: list[float | None], paid_amounts: list[float | None]
) -> tuple[float, float]:
    """Return all clients' billing_hours and paid_amount, summed in the clients' order."""
    return sum(h or 0.0 for h in billing_hours), sum(p or 0.0 for p in paid_amounts)


def add_portfolio_shares(m: dict, total_hours: float, total_revenue: float) -> None:
    """Add one client's hours_share, revenue_share and time_drain_ratio, given the totals."""
    hours_share = _ratio(m["billing_hours"], total_hours)
    revenue_share = _ratio(m["paid_amount"], total_revenue)
    m["hours_share"] = hours_share
    m["revenue_share"] = revenue_share
    if not hours_share:
        m["time_drain_ratio"] = None
    elif not revenue_share:
        m["time_drain_ratio"] = TIME_DRAIN_CAP
    else:
        m["time_drain_ratio"] = min(hours_share / revenue_share, TIME_DRAIN_CAP)


class MetricValues(Mapping[str, float | None]):
    """One client's metric values by name, read-only, in about a tenth of a dict's memory.

    The names and their order are shared by every client of an evaluation (a ``keys``
    index); the values are stored as doubles, NaN standing for "no value" (None),
    which a metric never otherwise has.
    """

    __slots__ = ("_index", "_values")

    def __init__(self, index: dict[str, int], values: dict[str, float | None]):
        self._index = index
        self._values = array(
            "d", [_NAN if values[name] is None else values[name] for name in index]
        )

    def __getitem__(self, name: str) -> float | None:
        value = self._values[self._index[name]]
        return None if value != value else value

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)

    def __repr__(self) -> str:
        return f"MetricValues({self.as_dict()!r})"

    def as_dict(self) -> dict[str, float | None]:
        """Return the values as a new dict."""
        return {
            name: None if v != v else v for name, v in zip(self._index, self._values, strict=True)
        }


_NAN = float("nan")


@dataclass(frozen=True)
class NoteMatch:
    """A note in the activity window that matched a term list, with where it matched.

    ``note`` is the note's position in the client's notes: the same note backing two
    rules is one piece of evidence.
    """

    date: date
    term_list: str
    match: TextMatch
    note: int = -1


#: Key prefix of :func:`note_matches` for the notes whose every match in a list was
#: cancelled (negated, a third party's words, harmless there): they count for nothing,
#: and ``explain`` shows them with the reason.
CANCELLED = "cancelled:"

log = logging.getLogger("crmflags")


def note_matches(
    client: Client, ctx: MetricContext, matcher: TermMatcher | None
) -> dict[str, list[NoteMatch]]:
    """Return the notes of the activity window that back a text or marker metric, newest first.

    Keys are a term list's name (the note's first match in it that counts),
    ``cancelled:<list>`` (the first cancelled match of a note where none counts), and
    ``marker:<marker>`` (the note as a whole, for notes with that marker). A note longer
    than ``MAX_TEXT_CHARS`` is matched on its start, with a warning.
    """
    zone, start, end = ctx.settings.timezone, ctx.activity_start, ctx.end
    found: dict[str, list[NoteMatch]] = {}
    notes = sorted(enumerate(client.notes), key=lambda item: item[1].created_at, reverse=True)
    for position, note in notes:
        if note.created_at >= end:
            continue
        day = note.created_at.astimezone(zone).date()
        if day < start:
            continue
        if note.marker:
            key = f"marker:{note.marker}"
            whole = TextMatch(term="", language="", words="", snippet=snippet(note.body, 0, 0, 120))
            found.setdefault(key, []).append(NoteMatch(day, key, whole, position))
        if matcher is not None:
            if len(note.body) > MAX_TEXT_CHARS:
                log.warning(
                    "client %s: the note of %s has %s characters; only the first %s are read",
                    client.id,
                    day.isoformat(),
                    f"{len(note.body):,}",
                    f"{MAX_TEXT_CHARS:,}",
                )
            for term_list, match in matcher.first_matches(note.body).items():
                key = CANCELLED + term_list if match.cancelled else term_list
                found.setdefault(key, []).append(NoteMatch(day, term_list, match, position))
    return found


def clean_value(value) -> float | None:
    """Return a metric value as a finite float, or None (booleans become 1.0/0.0)."""
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def format_value(value: float | None, unit: str) -> str:
    """Format a metric value for a message: ``83%`` for shares, ``31.2`` for days, ..."""
    if value is None:
        return "n/a"
    if unit == "share":
        return f"{value * 100:.0f}%"
    if unit == "flag":
        return "yes" if value else "no"
    if unit in ("money", "rate", "ratio"):
        return f"{value:.2f}"
    if unit in ("count", "score") and float(value).is_integer():
        return str(int(value))
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _ratio(part: float | None, whole: float | None) -> float | None:
    if part is None or not whole:
        return None
    return part / whole


def _invoice_metrics(client: Client, ctx: MetricContext, m: dict) -> None:
    as_of, start = ctx.as_of, ctx.billing_start
    invoices = paid = late = disputed = credited_count = 0
    invoiced = paid_amount = credited = 0.0
    days_late: list[int] = []
    overdue = 0
    overdue_amount = 0.0
    max_overdue = 0
    for inv in client.invoices:
        if inv.issued_on > as_of:
            continue
        paid_by_now = inv.paid_on is not None and inv.paid_on <= as_of
        if not paid_by_now and inv.due_on < as_of:
            overdue += 1
            overdue_amount += inv.amount - inv.credited_amount
            max_overdue = max(max_overdue, (as_of - inv.due_on).days)
        if inv.issued_on < start:
            continue
        invoices += 1
        invoiced += inv.amount
        credited += inv.credited_amount
        disputed += inv.disputed
        credited_count += inv.credited_amount > 0
        if paid_by_now:
            paid += 1
            paid_amount += inv.amount - inv.credited_amount
            if inv.paid_on > inv.due_on:
                late += 1
                days_late.append((inv.paid_on - inv.due_on).days)
    m["invoices"] = float(invoices)
    m["invoiced_amount"] = invoiced
    m["invoices_paid"] = float(paid)
    m["paid_amount"] = paid_amount
    m["late_invoices"] = float(late)
    m["late_invoice_share"] = _ratio(float(late), float(paid))
    m["avg_days_late"] = sum(days_late) / len(days_late) if days_late else 0.0
    m["max_days_late"] = float(max(days_late + [max_overdue]))
    m["overdue_invoices"] = float(overdue)
    m["overdue_amount"] = overdue_amount
    m["max_days_overdue"] = float(max_overdue)
    m["disputed_invoices"] = float(disputed)
    m["credited_invoices"] = float(credited_count)
    m["credited_share"] = _ratio(credited, invoiced)


def _time_metrics(client: Client, ctx: MetricContext, m: dict) -> None:
    as_of, activity_start, billing_start = ctx.as_of, ctx.activity_start, ctx.billing_start
    hours = non_billable = out_of_scope = billing_hours = total = 0.0
    for entry in client.time_entries:
        if entry.date > as_of:
            continue
        total += entry.hours
        if entry.date >= billing_start:
            billing_hours += entry.hours
        if entry.date >= activity_start:
            hours += entry.hours
            if not entry.billable:
                non_billable += entry.hours
            if not entry.in_scope:
                out_of_scope += entry.hours
    m["hours"] = hours
    m["non_billable_hours"] = non_billable
    m["non_billable_share"] = _ratio(non_billable, hours)
    m["out_of_scope_hours"] = out_of_scope
    m["out_of_scope_share"] = _ratio(out_of_scope, hours)
    m["billing_hours"] = billing_hours
    m["hours_total"] = total
    m["contracted_hours"] = client.contracted_hours
    m["budget_used_share"] = _ratio(total, client.contracted_hours)
    m["hours_over_budget"] = (
        None if client.contracted_hours is None else max(0.0, total - client.contracted_hours)
    )
    m["effective_hourly_rate"] = _ratio(m["paid_amount"], billing_hours)


def _activity_metrics(client: Client, ctx: MetricContext, m: dict) -> None:
    zone, hours = ctx.settings.timezone, ctx.settings.business_hours
    start, end = ctx.activity_start, ctx.end
    inbound = after_hours = weekend = changes = rush = reminders = 0
    for activity in client.activities:
        if activity.occurred_at >= end:
            continue
        local = activity.occurred_at.astimezone(zone)
        if local.date() < start:
            continue
        kind = activity.kind
        if kind == "change_request":
            changes += 1
        elif kind == "rush_request":
            rush += 1
        elif kind == "reminder":
            reminders += 1
        elif kind in CONTACT_KINDS and activity.direction == "inbound":
            inbound += 1
            if hours.is_outside(local, activity.has_time):
                after_hours += 1
                weekend += local.weekday() not in hours.days
    m["inbound_contacts"] = float(inbound)
    m["after_hours_contacts"] = float(after_hours)
    m["after_hours_share"] = _ratio(float(after_hours), float(inbound))
    m["weekend_contacts"] = float(weekend)
    m["change_requests"] = float(changes)
    m["change_requests_per_month"] = changes / (ctx.settings.activity_days / 30)
    m["rush_requests"] = float(rush)
    m["reminders"] = float(reminders)


def _note_metrics(client: Client, ctx: MetricContext, m: dict) -> None:
    zone, start, end = ctx.settings.timezone, ctx.activity_start, ctx.end
    counts = dict.fromkeys(NOTE_MARKERS, 0)
    total = 0
    for note in client.notes:
        if note.created_at >= end or note.created_at.astimezone(zone).date() < start:
            continue
        total += 1
        if note.marker in counts:
            counts[note.marker] += 1
    m["notes"] = float(total)
    for marker, count in counts.items():
        m[f"notes_{marker}"] = float(count)
