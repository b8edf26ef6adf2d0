"""explain and backtest on fixed data, with numbers checked by hand."""

from __future__ import annotations

import json
import textwrap
from datetime import date, datetime, timedelta

import pytest

from crmflags.errors import InputError
from crmflags.evaluation.backtest import backtest, manual_note, render_backtest, without_manual
from crmflags.evaluation.evaluate import evaluate, metric_units
from crmflags.evaluation.explain import explain, render_explanation
from crmflags.rules.ruleset import RulesetLibrary

from conftest import client, contact, day, invoice

AS_OF = day("2026-11-20")
NOW = datetime(2026, 11, 20, 23, 59, 59)

RULES = """\
params: {late_days: 14, min_contacts: 3}
rules:
  - id: late
    tag: late_payer
    weight: 4
    when:
      all:
        - invoices_paid >= 2
        - avg_days_late > late_days
    message: "{avg_days_late} days late on average"
  - id: night
    tag: after_hours
    weight: 3
    when:
      any:
        - weekend_contacts >= 2
        - all: [inbound_contacts >= min_contacts, after_hours_share >= 50%]
levels: {watch: 2, warning: 4, fire: 7}
"""


@pytest.fixture
def ruleset(tmp_path):
    (tmp_path / "small.yaml").write_text(RULES, encoding="utf-8")
    return RulesetLibrary([tmp_path], metric_units({})).load("small")


def late(client_id, days_late, **fields):
    """Two paid invoices, each ``days_late`` days after its due date."""
    invoices = [
        invoice(
            f"2026-0{m}-01",
            f"2026-0{m}-15",
            100,
            invoice_id=str(m),
            paid=str(day(f"2026-0{m}-15") + timedelta(days=days_late)),
        )
        for m in (5, 6)
    ]
    return client(client_id, invoices=invoices, **fields)


def night_owl(client_id, **fields):
    return client(
        client_id,
        activities=[contact(f"2026-11-{d} 22:00", kind="call") for d in (16, 17, 18)]
        + [contact("2026-11-16 10:00", kind="call")],
        **fields,
    )


def test_explain_shows_every_rule_condition_value_and_threshold(ruleset, settings):
    evaluation = evaluate([late("c-1", 20)], ruleset, settings, AS_OF, NOW)
    data = explain(evaluation, evaluation.results[0], metric_units({}))
    assert (data["score"], data["level"], data["tags"]) == (4, "warning", ["late_payer"])
    assert data["levels"] == {"ok": 0, "watch": 2, "warning": 4, "fire": 7}
    first, second = data["rules"]
    assert first["matched"] and not second["matched"]
    assert first["when"]["all"][1] == {
        "metric": "avg_days_late",
        "value": 20,
        "shown": "20",
        "op": ">",
        "threshold": 14,
        "threshold_shown": "14",
        "param": "late_days",
        "holds": True,
        "notes": [],
    }
    night = second["when"]["any"]
    assert night[0]["holds"] is False and night[0]["value"] == 0
    assert night[1]["all"][1]["value"] is None and night[1]["all"][1]["shown"] == "n/a"
    text = render_explanation(data)
    assert "[MATCHED] late  tag late_payer, weight 4" in text
    assert "yes avg_days_late = 20  > late_days (14)" in text
    assert "-> 20 days late on average" in text
    assert "[no] night  tag after_hours, weight 3" in text
    assert "no  after_hours_share = n/a  >= 50%" in text
    json.dumps(data, allow_nan=False)


def test_backtest_precision_and_recall_by_hand(ruleset, settings):
    # flagged (warning or fire): a (late, ended), b (late + night, ended), c (late, kept)
    # not flagged: d (night only: watch, ended), e (clean, kept), f (clean, no outcome)
    clients = [
        late("a", 20, fields={"ended": "yes"}),
        late("b", 30, fields={"ended": "igen"}),
        late("c", 15, fields={"ended": "no"}),
        night_owl("d", fields={"ended": "yes"}),
        client("e", fields={"ended": "nem"}),
        client("f", fields={}),
        client("g", fields={"ended": "yse"}),
    ]
    clients[1].activities = night_owl("x").activities
    evaluation = evaluate(clients, ruleset, settings, AS_OF, NOW)
    levels = [r.level for r in evaluation.results]
    assert levels == ["warning", "fire", "warning", "watch", "ok", "ok", "ok"]
    report = backtest(evaluation, "Ended")
    assert report.clients == 5 and report.without_outcome == ["f"]
    assert report.unreadable == {"g": "yse"}
    overall = report.overall
    assert (overall.flagged, overall.ended, overall.flagged_and_ended) == (3, 3, 2)
    assert overall.precision == pytest.approx(2 / 3) and overall.recall == pytest.approx(2 / 3)
    late_payer = report.by_tag["late_payer"]
    assert (late_payer.flagged, late_payer.flagged_and_ended, late_payer.ended) == (3, 2, 3)
    after_hours = report.by_tag["after_hours"]
    assert (after_hours.flagged, after_hours.flagged_and_ended) == (1, 1)
    assert after_hours.precision == 1 and after_hours.recall == pytest.approx(1 / 3)
    assert report.kept_rules == {"late": 1} and report.kept_flagged == ["c"]
    text = render_backtest(report, evaluation)
    assert "all clients                      3      3     2        67%     67%" in text
    assert "late                               1 client(s)" in text
    assert "kept although flagged: c" in text
    assert "1 client(s) without an outcome value were left out" in text
    assert "1 client(s) left out whose 'Ended' is not yes or no: g ('yse')" in text


def test_backtest_without_any_outcome_says_what_to_add(ruleset, settings):
    evaluation = evaluate([client("a")], ruleset, settings, AS_OF, NOW)
    with pytest.raises(
        InputError, match="no client has a yes/no value in the outcome column 'ended'"
    ):
        backtest(evaluation, "ended")


def test_backtest_and_explain_on_the_command_line(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from crmflags.cli import cli

    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "clients.csv").write_text("id,name,Ended\nc-1,A,yes\nc-2,B,no\n", encoding="utf-8")
    (folder / "invoices.csv").write_text(
        textwrap.dedent("""\
        client_id,invoice_id,issued_on,due_on,paid_on,amount
        c-1,1,2026-03-01,2026-03-15,2026-04-14,100
        c-1,2,2026-04-01,2026-04-15,2026-05-15,100
        c-1,3,2026-05-01,2026-05-15,2026-06-14,100
        c-1,4,2026-06-01,2026-06-15,,100
    """),
        encoding="utf-8",
    )
    runner = CliRunner()
    result = runner.invoke(
        cli, ["rules", "backtest", "--source", str(folder), "--as-of", "2026-11-20"]
    )
    assert result.exit_code == 0, result.output
    assert "2 clients, 1 ended, 1 flagged" in result.stdout
    assert "late_payer" in result.stdout
    missing = runner.invoke(cli, ["rules", "backtest", "--source", str(folder)])
    assert missing.exit_code == 2 and "needs --as-of" in missing.stderr
    shown = runner.invoke(cli, ["explain", "c-1", "--source", str(folder), "--as-of", "2026-11-20"])
    assert shown.exit_code == 0, shown.output
    assert "[MATCHED] chronic-late-payment" in shown.stdout
    assert "[no] night-and-weekend-contact" in shown.stdout
    unknown = runner.invoke(cli, ["explain", "c-3", "--source", str(folder)])
    assert unknown.exit_code == 2 and "no client with id 'c-3'" in unknown.stderr


def test_backtest_leaves_out_manual_fields_of_the_past_or_says_it_used_todays(
    tmp_path, monkeypatch
):
    from click.testing import CliRunner

    from crmflags.cli import cli

    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "b"
    folder.mkdir()
    # Both were let go; the gut feeling and the morale were typed in after the as-of day.
    (folder / "clients.csv").write_text(
        "id,name,gut_feeling,team_morale,ended\nc-1,A,yes,1,yes\nc-2,B,no,,yes\n",
        encoding="utf-8",
    )
    past = ["rules", "backtest", "--source", str(folder), "--as-of", "2026-01-31"]
    omitted = CliRunner().invoke(cli, past)
    assert omitted.exit_code == 0, omitted.output
    assert "2 clients, 2 ended, 0 flagged" in omitted.stdout
    assert "gut_feeling and team_morale have no history, so they are left out as of 2026-01-31" in (
        omitted.stdout
    )
    today = CliRunner().invoke(cli, [*past, "--manual-fields", "today"])
    assert "2 clients, 2 ended, 1 flagged" in today.stdout  # gut feeling 3 + morale 2
    assert "gut_feeling and team_morale are today's values, not those of 2026-01-31" in today.stdout
    assert manual_note(date(2026, 1, 31), date(2026, 1, 31), False) == ""  # as of today


def test_without_manual_clears_only_the_fields_without_history():
    kept = client("a", gut_feeling=True, team_morale=1.0, hourly_rate_target=50.0)
    (cleared,) = list(without_manual([kept]))
    assert cleared.gut_feeling is False and cleared.team_morale is None
    assert cleared.hourly_rate_target == 50
