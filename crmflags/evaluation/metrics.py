"""Client metrics: every number a ruleset can compare, derived from the canonical model.

Metrics are computed ``as_of`` a date over two windows ending on that day: the
activity window (default 90 days: hours, calls, emails, change requests, notes) and
the billing window (default 365 days: invoices and the hours they paid for).
Timestamps are read in the business's time zone. Amounts are converted into the
reporting currency (:mod:`crmflags.money`) before they are added; a client with an
amount that cannot be converted has no money metrics. A metric is None where the client
has no value (a share of nothing, a rate without hours); a ruleset comparison on
None is false, and so is its negation. ``docs/metrics.md`` catalogues them all.
"""

from __future__ import annotations

import logging
import math
import re
from array import array
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from crmflags.metric import MetricContext
from crmflags.model import NOTE_MARKERS, Client
from crmflags.money import format_decimal, format_money
from crmflags.rules.matching.matcher import MAX_TEXT_CHARS, TermMatcher
from crmflags.rules.matching.terms import TextMatch
from crmflags.text import fold, snippet

#: Share of hours / share of revenue is capped here (a client who paid nothing).
TIME_DRAIN_CAP = 100.0
CONTACT_KINDS = frozenset({"call", "email", "message"})
#: Term lists whose notes count as incidents of invoice disputes (``dispute_notes``).
DISPUTE_LISTS = ("dispute", "discount")
#: Client fields (clients.csv columns, CRM fields read by name) the metrics read.
RATE_CURRENCY_FIELD = "currency"
BILLING_FIELD = "billing"
#: Words that say work is billed by the hour, in en, hu, fi and lv, folded (no accents,
#: lower case); each starts a word and may go on (``oradij`` is óradíj, óradíjas,
#: óradíjban). Read in the client's ``billing`` field and in change requests' subjects.
HOURLY_CUES = (
    "hourly",
    "by the hour",
    "per hour",
    "time and material",
    "t&m",
    "oradij",
    "oraber",
    "orankent",
    "oraalap",
    "ledolgozott orak szerint",
    "tuntiveloit",
    "tuntilaskut",
    "tuntihinn",
    "tuntihinta",
    "tuntiperust",
    "tunneittain",
    "laskutetaan tunnit",
    "stundas likm",
    "stundu likm",
    "stundas apmaks",
    "stundu apmaks",
    "pec stundam",
    "par stundam",
    "pec nostradatajam stundam",
)
_HOURLY = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(cue) for cue in HOURLY_CUES) + ")")


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
            "billed_amount",
            "money",
            "billing",
            "amount invoiced less credits for invoices issued in the window, paid or not",
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
        _m(
            "contested_invoices",
            "count",
            "billing",
            "invoices disputed or credited (each invoice once)",
        ),
        _m(
            "dispute_notes",
            "count",
            "activity",
            "notes matching the ruleset's dispute or discount term lists (each note once)",
        ),
        _m(
            "dispute_incidents",
            "count",
            "mixed",
            "contested_invoices + dispute_notes: every incident of haggling over the bill",
        ),
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
        _m("effective_hourly_rate", "rate", "billing", "billed_amount / billing_hours"),
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
            "billed_by_hour",
            "flag",
            "manual",
            "the client pays by the hour, so its changes are billed (clients.csv billing: hourly)",
        ),
        _m(
            "hourly_change_requests",
            "count",
            "activity",
            "change requests billed by the hour (all of them when billed_by_hour)",
        ),
        _m(
            "unbilled_changes_per_month",
            "count",
            "activity",
            "change requests not billed by the hour, per 30 days of the window",
        ),
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
            _m(
                f"notes_{marker}",
                "count",
                "activity",
                f"notes marked {marker} (over the days of the list whose markers name it, if any)",
            )
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
        _m("revenue_share", "share", "billing", "the client's share of all clients' billed_amount"),
        _m(
            "time_drain_ratio",
            "ratio",
            "billing",
            f"hours_share / revenue_share ({TIME_DRAIN_CAP:g} when the client took hours but was billed nothing)",
        ),
        _m(
            "fair_share",
            "share",
            "billing",
            "1 / the number of clients with hours or bills in the billing window",
        ),
        _m(
            "hours_vs_fair_share",
            "ratio",
            "billing",
            "hours_share / fair_share (2: twice the hours of an average client)",
        ),
    ]
)


def client_metrics(
    client: Client, ctx: MetricContext, matches: Mapping[str, list[NoteMatch]] | None = None
) -> dict[str, float | None]:
    """Compute every built-in per-client metric (not the portfolio shares).

    ``matches`` are the client's notes matched by the ruleset's term lists
    (:func:`note_matches`); without them no note counts as a dispute.
    """
    metrics: dict[str, float | None] = {}
    _invoice_metrics(client, ctx, metrics)
    _time_metrics(client, ctx, metrics)
    _activity_metrics(client, ctx, metrics)
    _note_metrics(client, ctx, metrics)
    if matches is not None:
        # the marked notes as note_matches counted them, over their lists' days
        for marker in NOTE_MARKERS:
            metrics[f"notes_{marker}"] = float(len(matches.get(f"marker:{marker}", ())))
    disputes = {m.note for name in DISPUTE_LISTS for m in (matches or {}).get(name, ())}
    metrics["dispute_notes"] = float(len(disputes))
    metrics["dispute_incidents"] = (metrics["contested_invoices"] or 0.0) + len(disputes)
    metrics["hourly_rate_target"] = _target_rate(client, ctx)
    metrics["rate_vs_target"] = _ratio(
        metrics["effective_hourly_rate"], metrics["hourly_rate_target"]
    )
    metrics["billed_by_hour"] = 1.0 if _billed_by_hour(client) else 0.0
    metrics["gut_feeling"] = 1.0 if client.gut_feeling else 0.0
    metrics["team_morale"] = client.team_morale
    return metrics


@dataclass(frozen=True)
class Portfolio:
    """What every client of a run adds up to: the hours, the billed amount and how many."""

    hours: float = 0.0
    revenue: float = 0.0
    clients: int = 0


def portfolio_metrics(all_metrics: list[dict[str, float | None]]) -> None:
    """Add hours_share, revenue_share, time_drain_ratio and the fair share to every client."""
    total = portfolio_totals(
        [m["billing_hours"] for m in all_metrics], [m["billed_amount"] for m in all_metrics]
    )
    for m in all_metrics:
        add_portfolio_shares(m, total)


def portfolio_totals(
    billing_hours: list[float | None], billed_amounts: list[float | None]
) -> Portfolio:
    """Return the portfolio of the clients whose billed amount is known, summed in order.

    A client whose amounts could not be converted (billed amount None) is left out of
    the portfolio, its hours too: half of its picture would make it look unpaid.
    """
    hours = revenue = 0.0
    clients = 0
    for h, billed in zip(billing_hours, billed_amounts, strict=True):
        if billed is None:
            continue
        hours += h or 0.0
        revenue += billed
        clients += bool(h or billed)
    return Portfolio(hours, revenue, clients)


def add_portfolio_shares(m: dict, total: Portfolio) -> None:
    """Add one client's hours_share, revenue_share, time_drain_ratio and fair-share metrics."""
    if m["billed_amount"] is None:
        for name in ("hours_share", "revenue_share", "time_drain_ratio", "fair_share"):
            m[name] = None
        m["hours_vs_fair_share"] = None
        return
    hours_share = _ratio(m["billing_hours"], total.hours)
    revenue_share = _ratio(m["billed_amount"], total.revenue)
    m["hours_share"] = hours_share
    m["revenue_share"] = revenue_share
    if not hours_share:
        m["time_drain_ratio"] = None
    elif not revenue_share:
        m["time_drain_ratio"] = TIME_DRAIN_CAP
    else:
        m["time_drain_ratio"] = min(hours_share / revenue_share, TIME_DRAIN_CAP)
    m["fair_share"] = 1 / total.clients if total.clients else None
    m["hours_vs_fair_share"] = None if hours_share is None else hours_share * total.clients


class MetricValues(Mapping[str, float | None]):
    """One client's metric values by name, read-only, in about a tenth of a dict's memory.

    The names and their order are shared by every client of an evaluation (a ``keys``
    index); the values are stored as doubles, NaN standing for "no value" (None),
    which a metric never otherwise has.
    """

    __slots__ = ("_index", "_values")

    def __init__(self, index: dict[str, int], values: dict[str, float | None]):
        self._index = index
        self._values = array("d", [_NAN if (v := values[name]) is None else v for name in index])

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
    client: Client,
    ctx: MetricContext,
    matcher: TermMatcher | None,
    days: Mapping[str, int] | None = None,
) -> dict[str, list[NoteMatch]]:
    """Return the notes that back a text or marker metric, newest first.

    Keys are a term list's name (the note's first match in it that counts),
    ``cancelled:<list>`` (the first cancelled match of a note where none counts), and
    ``marker:<marker>`` (the note as a whole, for notes with that marker). Notes count
    over the activity window, or for a list (or ``marker:<marker>``) named in ``days`` over
    that many days. A note
    longer than ``MAX_TEXT_CHARS`` is matched on its start, with a warning.
    """
    zone, start, end = ctx.settings.timezone, ctx.activity_start, ctx.end
    starts = {name: ctx.as_of - timedelta(days=n - 1) for name, n in (days or {}).items()}
    earliest = min([start, *starts.values()])
    found: dict[str, list[NoteMatch]] = {}
    notes = sorted(enumerate(client.notes), key=lambda item: item[1].created_at, reverse=True)
    for position, note in notes:
        if note.created_at >= end:
            continue
        day = note.created_at.astimezone(zone).date()
        if day < earliest:
            continue
        if note.marker and day >= min(start, starts.get(f"marker:{note.marker}", start)):
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
                if day < starts.get(term_list, start):
                    continue
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


#: Words for "no value", yes and no in each output language.
_WORDS = {
    "en": ("n/a", "yes", "no"),
    "hu": ("nincs adat", "igen", "nem"),
    "fi": ("ei tietoa", "kyllä", "ei"),
    "lv": ("nav datu", "jā", "nē"),
}


def format_value(
    value: float | None, unit: str, language: str = "en", currency: str | None = None
) -> str:
    """Format a metric value for a message in ``language``.

    ``83%`` for shares, ``31.2`` days (``31,2`` in hu, fi, lv), ``€1,234.50`` or
    ``1 234,50 €`` for money and rates in the reporting ``currency``, ``yes``/``igen``
    for flags.
    """
    none, yes, no = _WORDS.get(language, _WORDS["en"])
    if value is None:
        return none
    if unit == "share":
        return f"{value * 100:.0f}{chr(0xA0) if language == 'fi' else ''}%"
    if unit == "flag":
        return yes if value else no
    if unit in ("money", "rate"):
        return format_money(value, currency, language)
    if unit == "ratio":
        return format_decimal(value, 2, language)
    if unit in ("count", "score") and float(value).is_integer():
        return str(int(value))
    rounded = round(value, 1)
    return format_decimal(rounded, 0 if float(rounded).is_integer() else 1, language)


def _ratio(part: float | None, whole: float | None) -> float | None:
    if part is None or not whole:
        return None
    return part / whole


def _invoice_metrics(client: Client, ctx: MetricContext, m: dict) -> None:
    as_of, start = ctx.as_of, ctx.billing_start
    invoices = paid = late = disputed = credited_count = contested = 0
    invoiced = paid_amount = credited = 0.0
    days_late: list[int] = []
    overdue = 0
    overdue_amount = 0.0
    max_overdue = 0
    convertible = True
    for inv in client.invoices:
        if inv.issued_on > as_of:
            continue
        rate = ctx.money.rate(inv.currency) if inv.currency else 1.0
        if rate is None:
            ctx.money.convert(inv.amount, inv.currency, client.id)  # remembered for the warning
            convertible, rate = False, 0.0
        paid_by_now = inv.paid_on is not None and inv.paid_on <= as_of
        if not paid_by_now and inv.due_on < as_of:
            overdue += 1
            overdue_amount += (inv.amount - inv.credited_amount) * rate
            max_overdue = max(max_overdue, (as_of - inv.due_on).days)
        if inv.issued_on < start:
            continue
        invoices += 1
        invoiced += inv.amount * rate
        credited += inv.credited_amount * rate
        disputed += inv.disputed
        credited_count += inv.credited_amount > 0
        contested += inv.disputed or inv.credited_amount > 0
        if paid_by_now:
            paid += 1
            paid_amount += (inv.amount - inv.credited_amount) * rate
            if inv.paid_on > inv.due_on:  # type: ignore[operator]  # paid_by_now: paid_on set
                late += 1
                days_late.append((inv.paid_on - inv.due_on).days)  # type: ignore[operator]

    def known(amount: float) -> float | None:
        return amount if convertible else None  # never a sum with an amount left out

    m["invoices"] = float(invoices)
    m["invoiced_amount"] = known(invoiced)
    m["invoices_paid"] = float(paid)
    m["paid_amount"] = known(paid_amount)
    m["billed_amount"] = known(invoiced - credited)
    m["late_invoices"] = float(late)
    m["late_invoice_share"] = _ratio(float(late), float(paid))
    m["avg_days_late"] = sum(days_late) / len(days_late) if days_late else 0.0
    m["max_days_late"] = float(max(days_late + [max_overdue]))
    m["overdue_invoices"] = float(overdue)
    m["overdue_amount"] = known(overdue_amount)
    m["max_days_overdue"] = float(max_overdue)
    m["disputed_invoices"] = float(disputed)
    m["credited_invoices"] = float(credited_count)
    m["contested_invoices"] = float(contested)
    m["credited_share"] = _ratio(credited, invoiced) if convertible else None


def _target_rate(client: Client, ctx: MetricContext) -> float | None:
    """Return the client's target rate in the reporting currency.

    The target is in the client's own invoicing currency (the one most of its invoices
    are in), unless the client's ``currency`` field names another.
    """
    target = client.hourly_rate_target
    if target is None:
        return None
    currency = client.fields.get(RATE_CURRENCY_FIELD) or _invoicing_currency(client)
    if not currency:
        return target
    return ctx.money.convert(target, currency, client.id)


def _invoicing_currency(client: Client) -> str | None:
    """Return the currency most of the client's invoices are in (None: none names one)."""
    counts = Counter(inv.currency for inv in client.invoices if inv.currency)
    return counts.most_common(1)[0][0] if counts else None


def _billed_by_hour(client: Client) -> bool:
    """Tell whether the client's ``billing`` field says it pays by the hour."""
    return says_hourly(client.fields.get(BILLING_FIELD) or "")


def says_hourly(text: str) -> bool:
    """Tell whether a text (a ``billing`` value, a subject) says the work is billed by the hour."""
    return bool(text) and _HOURLY.search(fold(text)) is not None


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
    m["effective_hourly_rate"] = _ratio(m["billed_amount"], billing_hours)


def _activity_metrics(client: Client, ctx: MetricContext, m: dict) -> None:
    zone, hours = ctx.settings.timezone, ctx.settings.business_hours
    start, end = ctx.activity_start, ctx.end
    inbound = after_hours = weekend = changes = hourly_changes = rush = reminders = 0
    all_hourly = _billed_by_hour(client)
    for activity in client.activities:
        if activity.occurred_at >= end:
            continue
        offset = activity.occurred_at.utcoffset()
        if offset:
            ctx.offsets[offset] += 1
        local = activity.occurred_at.astimezone(zone)
        if local.date() < start:
            continue
        kind = activity.kind
        if kind == "change_request":
            changes += 1
            hourly_changes += all_hourly or says_hourly(activity.subject)
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
    months = ctx.settings.activity_days / 30
    m["change_requests_per_month"] = changes / months
    m["hourly_change_requests"] = float(hourly_changes)
    m["unbilled_changes_per_month"] = (changes - hourly_changes) / months
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
