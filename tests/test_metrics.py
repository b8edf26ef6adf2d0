"""Every metric on hand-computed examples, including time zones, weekends and windows."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from crmflags.evaluation.metrics import (
    BUILTIN_METRICS,
    TIME_DRAIN_CAP,
    client_metrics,
    format_value,
    portfolio_metrics,
)
from crmflags.metric import MetricContext
from crmflags.model import Activity
from crmflags.settings import BusinessHours, Settings

from conftest import BUDAPEST, client, contact, day, hours, invoice, note

AS_OF = day("2026-11-20")  # a Friday


def metrics_of(c, settings):
    return client_metrics(c, MetricContext(as_of=AS_OF, settings=settings))


def test_every_catalogued_metric_is_computed(settings):
    computed = metrics_of(client(), settings)
    portfolio_metrics([computed])
    assert set(computed) == set(BUILTIN_METRICS)


def test_payment_metrics_by_hand(settings):
    c = client(
        invoices=[
            invoice("2026-01-10", "2026-01-25", 1000, paid="2026-02-24"),  # 30 days late
            invoice("2026-03-01", "2026-03-15", 500, paid="2026-03-27"),  # 12 days late
            invoice("2026-05-01", "2026-05-15", 800, paid="2026-05-15"),  # on time
            invoice("2026-10-01", "2026-10-15", 300),  # unpaid, 36 days overdue
            invoice("2026-11-10", "2026-11-25", 200),  # unpaid, not yet due
            invoice("2026-11-21", "2026-12-05", 999),  # issued after as-of: ignored
        ]
    )
    m = metrics_of(c, settings)
    assert m["invoices"] == 5
    assert m["invoiced_amount"] == 2800
    assert m["invoices_paid"] == 3
    assert m["paid_amount"] == 2300
    assert m["late_invoices"] == 2
    assert m["late_invoice_share"] == pytest.approx(2 / 3)
    assert m["avg_days_late"] == 21  # (30 + 12) / 2
    assert m["max_days_late"] == 36  # the overdue invoice beats the 30 days paid late
    assert m["overdue_invoices"] == 1
    assert m["overdue_amount"] == 300
    assert m["max_days_overdue"] == 36


def test_payment_after_as_of_counts_as_unpaid_on_that_day(settings):
    c = client(invoices=[invoice("2026-09-01", "2026-10-01", 400, paid="2026-11-25")])
    m = metrics_of(c, settings)
    assert m["invoices_paid"] == 0
    assert m["late_invoice_share"] is None  # nothing paid: no share at all
    assert m["overdue_invoices"] == 1
    assert m["max_days_overdue"] == 50


def test_billing_window_leaves_old_invoices_out_but_not_old_debts(settings):
    old_paid_late = invoice("2025-06-01", "2025-06-15", 100, paid="2025-09-01")
    old_unpaid = invoice("2025-06-01", "2025-06-15", 250)
    m = metrics_of(client(invoices=[old_paid_late, old_unpaid]), settings)
    assert m["invoices"] == 0 and m["late_invoices"] == 0
    assert m["overdue_invoices"] == 1 and m["overdue_amount"] == 250
    assert m["max_days_overdue"] == (AS_OF - day("2025-06-15")).days


def test_disputes_and_credits(settings):
    c = client(
        invoices=[
            invoice(
                "2026-06-01",
                "2026-06-15",
                1000,
                paid="2026-06-10",
                disputed=True,
                credited_amount=150,
            ),
            invoice("2026-07-01", "2026-07-15", 1000, paid="2026-07-10"),
        ]
    )
    m = metrics_of(c, settings)
    assert m["disputed_invoices"] == 1
    assert m["credited_invoices"] == 1
    assert m["credited_share"] == pytest.approx(150 / 2000)
    assert m["paid_amount"] == 1850


def test_hours_scope_budget_and_rate(settings):
    c = client(
        hourly_rate_target=50,
        contracted_hours=40,
        invoices=[invoice("2026-09-01", "2026-09-15", 1500, paid="2026-09-10")],
        time_entries=[
            hours("2026-11-02", 10),
            hours("2026-11-03", 5, in_scope=False),
            hours("2026-11-04", 5, billable=False, in_scope=False),
            hours("2026-06-01", 20),  # billing window only
            hours("2025-01-01", 8),  # before both windows
            hours("2026-11-21", 100),  # after as-of: ignored
        ],
    )
    m = metrics_of(c, settings)
    assert m["hours"] == 20
    assert m["out_of_scope_hours"] == 10 and m["out_of_scope_share"] == 0.5
    assert m["non_billable_hours"] == 5 and m["non_billable_share"] == 0.25
    assert m["billing_hours"] == 40
    assert m["hours_total"] == 48
    assert m["budget_used_share"] == pytest.approx(1.2)
    assert m["hours_over_budget"] == 8
    assert m["effective_hourly_rate"] == pytest.approx(1500 / 40)
    assert m["rate_vs_target"] == pytest.approx(37.5 / 50)


def test_no_hours_means_no_rate_and_no_budget_without_contract(settings):
    m = metrics_of(client(hourly_rate_target=50), settings)
    assert m["effective_hourly_rate"] is None
    assert m["rate_vs_target"] is None
    assert m["budget_used_share"] is None and m["hours_over_budget"] is None


def test_after_hours_in_the_business_time_zone(settings):
    c = client(
        activities=[
            contact("2026-11-16 08:30"),  # Monday, in hours
            contact("2026-11-16 17:59", kind="call"),  # in hours
            contact("2026-11-16 18:00", kind="message"),  # closing time: after hours
            contact("2026-11-17 07:59"),  # before opening
            contact("2026-11-14 11:00"),  # Saturday
            contact("2026-11-15 10:00", has_time=False),  # Sunday, date only
            contact("2026-11-18 10:00", has_time=False),  # weekday, date only: not after hours
            contact("2026-11-18 23:00", direction="outbound"),  # ours: not counted
            contact("2026-11-18 23:00", kind="meeting"),  # meetings are not contacts
        ]
    )
    m = metrics_of(c, settings)
    assert m["inbound_contacts"] == 7
    assert m["after_hours_contacts"] == 4
    assert m["weekend_contacts"] == 2
    assert m["after_hours_share"] == pytest.approx(4 / 7)


def test_utc_timestamp_is_judged_in_local_time(settings):
    # 16:30 UTC on 16 Nov is 17:30 in Budapest (in hours); 17:30 UTC is 18:30 (after hours).
    early = Activity(datetime(2026, 11, 16, 16, 30, tzinfo=timezone.utc), "call")
    late = Activity(datetime(2026, 11, 16, 17, 30, tzinfo=timezone.utc), "call")
    m = metrics_of(client(activities=[early, late]), settings)
    assert m["after_hours_contacts"] == 1
    helsinki = Settings(
        timezone=__import__("zoneinfo").ZoneInfo("Europe/Helsinki"), timezone_name="Europe/Helsinki"
    )
    # In Helsinki both are 18:30 and 19:30: both after hours.
    assert metrics_of(client(activities=[early, late]), helsinki)["after_hours_contacts"] == 2


def test_daylight_saving_time_is_followed(settings):
    # 06:30 UTC is 08:30 in Budapest in summer (CEST) and 07:30 in winter (CET).
    summer = Activity(datetime(2026, 7, 1, 6, 30, tzinfo=timezone.utc), "email")
    winter = Activity(datetime(2026, 11, 18, 6, 30, tzinfo=timezone.utc), "email")
    year = Settings(timezone=BUDAPEST, timezone_name="Europe/Budapest", activity_days=365)
    assert metrics_of(client(activities=[summer]), year)["after_hours_contacts"] == 0
    assert metrics_of(client(activities=[winter]), year)["after_hours_contacts"] == 1


def test_configured_days_and_hours(settings):
    six_days = Settings(
        timezone=BUDAPEST,
        timezone_name="Europe/Budapest",
        business_hours=BusinessHours(
            start=datetime.min.time().replace(hour=7),
            end=datetime.min.time().replace(hour=20),
            days=frozenset(range(6)),
        ),
    )
    c = client(
        activities=[contact("2026-11-14 11:00"), contact("2026-11-16 19:00")]
    )  # Sat, Mon 19:00
    assert metrics_of(c, settings)["after_hours_contacts"] == 2
    assert metrics_of(c, six_days)["after_hours_contacts"] == 0


def test_activity_window_edges(settings):
    first_day = AS_OF - timedelta(days=89)
    inside = contact(f"{first_day} 09:00", kind="change_request")
    outside = contact(f"{first_day - timedelta(days=1)} 09:00", kind="change_request")
    late_on_as_of = contact("2026-11-20 23:59", kind="change_request")
    after = contact("2026-11-21 00:00", kind="change_request")
    m = metrics_of(client(activities=[inside, outside, late_on_as_of, after]), settings)
    assert m["change_requests"] == 2
    assert m["change_requests_per_month"] == pytest.approx(2 / 3)


def test_requests_reminders_and_notes(settings):
    c = client(
        activities=[
            contact("2026-11-02 10:00", kind="rush_request"),
            contact("2026-11-03 10:00", kind="reminder", direction="outbound"),
            contact("2026-11-04 10:00", kind="reminder", direction="outbound"),
        ],
        notes=[
            note("2026-11-05 10:00", "ignored our advice", "advice_ignored"),
            note("2026-11-06 10:00", "fenyegetőzött", "threat"),
            note("2026-11-07 10:00", "plain note"),
            note("2025-11-07 10:00", "too old", "threat"),
        ],
    )
    m = metrics_of(c, settings)
    assert m["rush_requests"] == 1
    assert m["reminders"] == 2
    assert m["notes"] == 3
    assert m["notes_advice_ignored"] == 1 and m["notes_threat"] == 1 and m["notes_legal"] == 0


def test_manual_fields(settings):
    m = metrics_of(client(gut_feeling=True, team_morale=2), settings)
    assert m["gut_feeling"] == 1 and m["team_morale"] == 2
    assert metrics_of(client(), settings)["team_morale"] is None


def test_portfolio_shares_and_time_drain(settings):
    # Revenue is what was billed for the hours (less credits), paid or not yet.
    a = {"billing_hours": 60.0, "billed_amount": 1000.0}
    b = {"billing_hours": 30.0, "billed_amount": 3000.0}
    c = {"billing_hours": 10.0, "billed_amount": 0.0}
    d = {"billing_hours": 0.0, "billed_amount": 0.0}
    portfolio_metrics([a, b, c, d])
    assert a["hours_share"] == pytest.approx(0.6) and a["revenue_share"] == pytest.approx(0.25)
    assert a["time_drain_ratio"] == pytest.approx(2.4)
    assert b["time_drain_ratio"] == pytest.approx(0.3 / 0.75)
    assert c["time_drain_ratio"] == TIME_DRAIN_CAP  # hours but no pay
    assert d["time_drain_ratio"] is None and d["hours_share"] == 0
    # Three clients took hours or were billed: a fair share of the hours is a third each.
    assert a["fair_share"] == pytest.approx(1 / 3)
    assert a["hours_vs_fair_share"] == pytest.approx(1.8)


@pytest.mark.parametrize(
    "value, unit, text",
    [
        (0.8333, "share", "83%"),
        (31.25, "days", "31.2"),
        (5.0, "count", "5"),
        (12.0, "hours", "12"),
        (1234.5, "money", "1,234.50"),  # thousands grouped (issue 15)
        (1.0, "flag", "yes"),
        (None, "count", "n/a"),
        (2.0, "score", "2"),
    ],
)
def test_formatting_in_messages(value, unit, text):
    assert format_value(value, unit) == text


@pytest.mark.parametrize(
    "value, unit, language, currency, text",
    [
        (31.25, "days", "hu", None, "31,2"),
        (1234.5, "hours", "fi", None, "1\u00a0234,5"),
        (0.8333, "share", "fi", None, "83\u00a0%"),
        (0.8333, "share", "lv", None, "83%"),
        (1.0, "flag", "hu", None, "igen"),
        (0.0, "flag", "lv", None, "nē"),
        (None, "money", "fi", "EUR", "ei tietoa"),
        (9500.0, "rate", "hu", "HUF", "9\u00a0500\u00a0Ft"),
        (1200.0, "money", "lv", "EUR", "1\u00a0200,00\u00a0€"),
        (1200.0, "money", "en", "EUR", "€1,200.00"),
        (2.4, "ratio", "hu", None, "2,40"),
    ],
)
def test_formatting_for_the_output_language(value, unit, language, currency, text):
    assert format_value(value, unit, language, currency) == text
