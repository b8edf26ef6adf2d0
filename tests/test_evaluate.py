"""Evaluation results: score, level, sorted tags, reasons with messages and evidence."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from crmflags.cli.app import App
from crmflags.cli.output import to_json
from crmflags.evaluation.evaluate import evaluate, metric_units
from crmflags.loading.plugins import PluginInfo, PluginMetric
from crmflags.model import RecordFailure
from crmflags.sync.changes import change_for, plan_changes

from conftest import client, contact, day, hours, invoice

AS_OF = day("2026-11-20")
NOW = datetime(2026, 11, 20, 9, 0)


@pytest.fixture(scope="module")
def freelancer():
    return App.start(None).ruleset("freelancer")


def late_payer(client_id="c-late"):
    """Six invoices, each paid exactly 30 days after its due date."""
    return client(
        client_id,
        invoices=[
            invoice(
                f"2026-0{m}-01",
                f"2026-0{m}-15",
                1000,
                paid=str(day(f"2026-0{m}-15") + timedelta(days=30)),
            )
            for m in range(1, 7)
        ],
    )


def night_caller(client_id="c-night"):
    return client(
        client_id, activities=[contact(f"2026-11-{d:02d} 22:30", kind="call") for d in range(2, 8)]
    )


def test_a_clean_ordinary_client_gets_no_tag(freelancer, settings):
    ordinary = client(
        "c-ok",
        activities=[
            contact("2026-11-16 08:30"),
            contact("2026-11-10 10:00", kind="change_request"),
        ],
        invoices=[invoice("2026-10-01", "2026-10-15", 900, paid="2026-10-17")],
        time_entries=[hours("2026-11-02", 6)],
    )
    result = evaluate([ordinary], freelancer, settings, AS_OF, NOW).results[0]
    assert (result.level, result.score, result.tags, result.reasons) == ("ok", 0, [], [])


def test_reasons_carry_message_evidence_and_advice(freelancer, settings):
    result = evaluate([late_payer()], freelancer, settings, AS_OF, NOW).results[0]
    assert result.tags == ["late_payer"]
    (reason,) = result.reasons
    assert reason.rule == "chronic-late-payment" and reason.weight == 4
    assert reason.message == "6 of 6 invoices paid late, 30 days late on average"
    # What the conditions read, then what the message shows.
    assert reason.evidence == {
        "invoices_paid": 6,
        "late_invoice_share": 1,
        "avg_days_late": 30,
        "late_invoices": 6,
    }
    assert reason.advice.startswith("Pause new work")
    assert (result.score, result.level) == (4, "watch")


def test_scores_add_up_and_tags_are_sorted_once(freelancer, settings):
    both = late_payer("c-both")
    both.activities = night_caller().activities
    both.invoices.append(invoice("2026-08-01", "2026-08-15", 500))  # unpaid, 97 days overdue
    result = evaluate([both], freelancer, settings, AS_OF, NOW).results[0]
    assert result.tags == ["after_hours", "late_payer"]
    assert [r.rule for r in result.reasons] == [
        "chronic-late-payment",
        "invoice-long-overdue",
        "night-and-weekend-contact",
    ]
    assert (result.score, result.level) == (9, "fire")


def test_clients_keep_the_source_order_and_failures_are_kept_apart(freelancer, settings):
    records = [
        night_caller("z"),
        RecordFailure("y", "invoices.csv:3: field amount: 'x' is not a number"),
        late_payer("a"),
    ]
    evaluation = evaluate(records, freelancer, settings, AS_OF, NOW)
    assert [r.client.id for r in evaluation.results] == ["z", "a"]
    assert [f.client_id for f in evaluation.failures] == ["y"]
    assert evaluation.summary() == {"ok": 0, "watch": 2, "warning": 0, "fire": 0}


def test_json_document_follows_the_contract(freelancer, settings):
    document = json.loads(to_json(evaluate([late_payer()], freelancer, settings, AS_OF, NOW)))
    assert document["ruleset"] == "freelancer"
    assert document["evaluated_at"] == "2026-11-20T09:00:00"
    entry = document["clients"][0]
    assert set(entry) == {"id", "name", "score", "level", "tags", "reasons"}
    assert entry["score"] == 4 and isinstance(entry["score"], int)
    assert set(entry["reasons"][0]) == {"rule", "tag", "weight", "message", "evidence", "advice"}
    assert document["summary"] == {"ok": 0, "watch": 1, "warning": 0, "fire": 0}
    assert document["settings"]["timezone"] == "Europe/Budapest"


def test_a_plugin_metric_feeds_rules_and_its_failure_fails_one_client(tmp_path, settings):
    from crmflags.evaluation.evaluate import metric_units
    from crmflags.rules.ruleset import RulesetLibrary

    info = PluginInfo("vip", "crmflags-vip", "1.0")

    def compute(c, context):
        if c.id == "broken":
            raise KeyError("tier")
        return 3 if c.id == "big" else 1

    def explode(c, context):
        raise ZeroDivisionError("never used, never computed")

    metrics = {
        "vip_tier": PluginMetric("vip_tier", compute, "score", "tier", info),
        "unused": PluginMetric("unused", explode, "count", "not read by the ruleset", info),
    }
    (tmp_path / "vip.yaml").write_text(
        "rules:\n  - {id: big, tag: gut_feeling, when: vip_tier >= 3, message: 'tier {vip_tier}'}\n"
    )
    ruleset = RulesetLibrary([tmp_path], metric_units(metrics)).load("vip")
    evaluation = evaluate(
        [client("big"), client("small"), client("broken")], ruleset, settings, AS_OF, NOW, metrics
    )
    assert [(r.client.id, r.tags) for r in evaluation.results] == [
        ("big", ["gut_feeling"]),
        ("small", []),
    ]
    assert evaluation.results[0].reasons[0].message == "tier 3"
    assert evaluation.failures == [
        RecordFailure("broken", "metric vip_tier (plugin crmflags-vip) failed: KeyError: 'tier'")
    ]


def test_changes_are_only_what_differs(freelancer, settings):
    first = evaluate([late_payer()], freelancer, settings, AS_OF, NOW)
    (change,) = plan_changes(first).changes
    assert change.fields == {
        "risk_level": "watch",
        "risk_score": "4",
        "risk_tags": "late_payer",
        "risk_reasons": "late_payer: 6 of 6 invoices paid late, 30 days late on average",
        "risk_changed_at": "2026-11-20T09:00:00",
    }
    stored = late_payer()
    stored.risk = dict(change.fields)
    later = evaluate([stored], freelancer, settings, AS_OF, datetime(2026, 11, 21, 9, 0))
    assert plan_changes(later).changes == []


def test_changed_at_moves_only_with_level_or_tags(freelancer, settings):
    stored = late_payer()
    stored.risk = {
        "risk_level": "watch",
        "risk_score": "4",
        "risk_tags": "late_payer",
        "risk_reasons": "late_payer: old words",
        "risk_changed_at": "2026-01-01T00:00:00",
    }
    result = evaluate([stored], freelancer, settings, AS_OF, NOW).results[0]
    assert set(change_for(result, NOW)[0].fields) == {"risk_reasons"}
    stored.risk["risk_tags"] = "after_hours"
    result = evaluate([stored], freelancer, settings, AS_OF, NOW).results[0]
    assert set(change_for(result, NOW)[0].fields) == {
        "risk_tags",
        "risk_reasons",
        "risk_changed_at",
    }


def test_a_rule_without_message_is_explained_by_its_tag(tmp_path, settings):
    from crmflags.rules.ruleset import RulesetLibrary
    from crmflags.sync.changes import risk_values

    (tmp_path / "quiet.yaml").write_text(
        "rules:\n  - {id: hunch, tag: gut_feeling, weight: 3.5, when: gut_feeling == yes}\n"
    )
    ruleset = RulesetLibrary([tmp_path], metric_units({})).load("quiet")
    result = evaluate([client(gut_feeling=True)], ruleset, settings, AS_OF, NOW).results[0]
    assert result.reasons[0].message == "it does not feel right"
    values = risk_values(result)
    assert values["risk_reasons"] == "gut_feeling: it does not feel right"
    assert values["risk_score"] == "3.5"


def test_overflowing_sums_have_no_value_and_json_stays_valid(freelancer, settings):
    huge = client(
        "c-huge",
        invoices=[
            invoice(
                "2026-06-01",
                "2026-06-15",
                1e308,
                paid="2026-06-10",
                disputed=True,
                credited_amount=1e308,
                invoice_id="a",
            ),
            invoice(
                "2026-07-01",
                "2026-07-15",
                1e308,
                paid="2026-07-10",
                disputed=True,
                credited_amount=1e308,
                invoice_id="b",
            ),
        ],
    )
    evaluation = evaluate([huge, late_payer()], freelancer, settings, AS_OF, NOW)
    result = evaluation.results[0]
    assert result.metrics["invoiced_amount"] is None and result.metrics["credited_share"] is None
    assert result.metrics["billed_amount"] is None  # inf - inf
    # The disputes rule's message changed with issue 15 (one judgement over all incidents).
    assert result.reasons[0].message == (
        "2 incident(s) of haggling over the bill: 2 disputed and 2 credited invoice(s), "
        "0 note(s) disputing an invoice or asking for a discount"
    )
    document = json.loads(to_json(evaluation), parse_constant=lambda name: pytest.fail(name))
    assert document["clients"][0]["reasons"][0]["evidence"]["dispute_incidents"] == 2
    assert document["clients"][0]["reasons"][0]["evidence"]["disputed_invoices"] == 2
