"""Severity from the articles, one piece of evidence counted once, and patterns not lone thresholds."""

from __future__ import annotations

from datetime import datetime

import pytest

from crmflags.cli.app import App
from crmflags.evaluation.evaluate import evaluate
from crmflags.model import Activity

from conftest import at, client, day, hours, invoice, note

AS_OF = day("2026-11-20")
NOW = datetime(2026, 11, 20, 9, 0)


@pytest.fixture(scope="module")
def freelancer():
    return App.start(None).ruleset("freelancer")


def judge(freelancer, settings, *clients):
    return evaluate(list(clients), freelancer, settings, AS_OF, NOW).results


def test_abuse_in_words_alone_is_a_warning_and_outranks_a_credit(freelancer, settings):
    shouting = client("c-abuse", notes=[note("2026-11-03 10:00", "Called the team idiots.")])
    credits = client(
        "c-credit",
        invoices=[
            invoice(
                f"2026-0{m}-01", f"2026-0{m}-15", 1000, paid=f"2026-0{m}-10", credited_amount=50
            )
            for m in (3, 5, 7)
        ],
    )
    abusive, haggler = judge(freelancer, settings, shouting, credits)
    assert abusive.tags == ["abusive"] and abusive.level == "warning"
    assert haggler.tags == ["invoice_disputes"] and haggler.score < abusive.score


def test_one_note_raises_a_tag_once(freelancer, settings):
    # "Threatened us." marked threat matches the abuse words and the marker: 6, not 5 + 6.
    once = client("c-1", notes=[note("2026-11-03 10:00", "Threatened us.", "threat")])
    (result,) = judge(freelancer, settings, once)
    assert result.score == 6 and result.level == "warning"
    weights = {reason.rule: reason.weight for reason in result.reasons}
    assert weights == {"abusive-language": 0, "marked-threat": 6}
    assert result.score == sum(weights.values())


def test_two_notes_are_two_pieces_of_evidence(freelancer, settings):
    twice = client(
        "c-2",
        notes=[
            note("2026-11-03 10:00", "Called us idiots on the phone."),
            note("2026-11-10 10:00", "See the recording of the call.", "threat"),
        ],
    )
    (result,) = judge(freelancer, settings, twice)
    assert result.score == 11 and result.level == "fire"


def test_a_marked_legal_threat_that_names_a_lawyer_counts_once(freelancer, settings):
    legal = client("c-3", notes=[note("2026-11-03 10:00", "His lawyer will write to us.", "legal")])
    (result,) = judge(freelancer, settings, legal)
    assert result.tags == ["legal_risk"] and result.score == 5


def test_a_late_payer_is_not_also_underpaying_for_money_still_owed(freelancer, settings):
    # 40 hours at the target of 50 an hour, invoiced 2,000 and not paid 66 days after due.
    slow = client(
        "c-slow",
        hourly_rate_target=50,
        invoices=[invoice("2026-09-01", "2026-09-15", 2000)],
        time_entries=[hours(f"2026-08-{d}", 10) for d in (24, 25, 26, 27)],
    )
    (result,) = judge(freelancer, settings, slow)
    assert result.tags == ["late_payer"]
    assert result.metrics["effective_hourly_rate"] == 50
    # Billing half of it is underpaying, whether paid or not.
    slow.invoices = [invoice("2026-09-01", "2026-09-15", 1000, paid="2026-09-10")]
    (cheap,) = judge(freelancer, settings, slow)
    assert cheap.tags == ["underpaying"]


def portfolio(drain_hours: float, drain_revenue: float, others: int) -> list:
    """A client taking ``drain_hours`` for ``drain_revenue`` among equal clients of 40 h for 4000."""
    drain = client(
        "c-drain",
        invoices=[invoice("2026-09-01", "2026-09-15", drain_revenue, paid="2026-09-10")],
        time_entries=[hours("2026-09-02", drain_hours)],
    )
    equal = [
        client(
            f"c-{i}",
            invoices=[invoice("2026-09-01", "2026-09-15", 4000, paid="2026-09-10")],
            time_entries=[hours("2026-09-02", 40)],
        )
        for i in range(others)
    ]
    return [drain, *equal]


def test_a_time_drain_among_sixty_clients(freelancer, settings):
    # 13% of the hours for 4% of the revenue: below the old fixed 15%, 7.8 times a fair share.
    clients = portfolio(drain_hours=352.6, drain_revenue=9833, others=59)
    drain = judge(freelancer, settings, *clients)[0]
    assert drain.metrics["hours_share"] == pytest.approx(0.13, abs=0.001)
    assert drain.metrics["revenue_share"] == pytest.approx(0.04, abs=0.001)
    assert drain.metrics["hours_vs_fair_share"] == pytest.approx(7.8, abs=0.05)
    assert "time_drain" in drain.tags


def test_a_client_paying_its_way_is_no_drain_however_many_hours(freelancer, settings):
    # The largest client: 30% of the hours for 30% of the revenue.
    drain = judge(freelancer, settings, *portfolio(400, 40_000, 23))[0]
    assert drain.metrics["hours_share"] > 0.29 and "time_drain" not in drain.tags


def test_a_small_client_paying_a_little_less_is_no_drain(freelancer, settings):
    # A third of a fair share of hours at 40% of the rate: underpaying perhaps, not a drain.
    drain = judge(freelancer, settings, *portfolio(15, 600, 59))[0]
    assert drain.metrics["time_drain_ratio"] == pytest.approx(2.5, abs=0.1)
    assert "time_drain" not in drain.tags


def change_request(when: str, subject: str) -> Activity:
    return Activity(occurred_at=at(when), kind="change_request", subject=subject)


@pytest.mark.parametrize(
    "subject",
    [
        "New gallery layout (billed hourly)",
        "Módosítási kérés: árlista frissítés (óradíjas)",
        "Muutospyyntö: teema (tuntiveloitus)",
        "Izmaiņas: vāka foto (apmaksa pēc stundām)",
        "Izmainas: vaka foto (apmaksa pec stundam)",  # typed without diacritics
    ],
)
def test_changes_billed_by_the_hour_are_no_sign_of_indecision(freelancer, settings, subject):
    weekly = [
        change_request(f"2026-{m:02d}-{d:02d} 10:00", subject)
        for m in (9, 10, 11)
        for d in (2, 9, 16)
    ]
    (result,) = judge(freelancer, settings, client("c-hourly", activities=weekly))
    assert result.metrics["hourly_change_requests"] == 9
    assert "indecisive" not in result.tags


def test_fixed_price_changes_every_week_are_indecision(freelancer, settings):
    weekly = [
        change_request(f"2026-{m:02d}-{d:02d} 10:00", "New colours")
        for m in (9, 10, 11)
        for d in (2, 9, 16)
    ]
    (result,) = judge(freelancer, settings, client("c-fixed", activities=weekly))
    assert result.metrics["unbilled_changes_per_month"] == 3
    assert "indecisive" in result.tags
    # The client row can say the whole client is billed by the hour.
    hourly = client("c-rowhourly", activities=weekly)
    hourly.fields["billing"] = "Hourly"
    (result,) = judge(freelancer, settings, hourly)
    assert result.metrics["billed_by_hour"] == 1 and "indecisive" not in result.tags
