"""Tuning an inherited ruleset: disabled rules, partial overrides, business hours, rules test."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from crmflags.cli import cli
from crmflags.errors import InputError
from crmflags.evaluation.evaluate import metric_units
from crmflags.loading.plugins import load_plugins
from crmflags.rules.ruleset import RulesetLibrary

#: Six invoices, each paid 35 days after it was due: chronic late payment in the base rules.
LATE = "".join(
    f"c-1,inv-{m},2026-0{m}-01,2026-0{m}-10,2026-0{m + 1}-15,1000\n" for m in range(1, 7)
)
#: Eight inbound calls on Saturdays at 11:00: after hours for a Monday-to-Friday business.
SATURDAY_CALLS = "".join(f"c-1,2026-11-{d:02d}T11:00:00,call,inbound\n" for d in (7, 14) * 4)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def library(folder: Path) -> RulesetLibrary:
    plugins = load_plugins()
    paths = [folder, *(path for path, _ in plugins.ruleset_paths)]
    return RulesetLibrary(paths, metric_units(plugins.metrics))


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def bundle(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "clients.csv").write_text("id,name\nc-1,Late Ltd\n")
    (folder / "invoices.csv").write_text(
        "client_id,invoice_id,issued_on,due_on,paid_on,amount\n" + LATE
    )
    (folder / "activities.csv").write_text(
        "client_id,occurred_at,kind,direction\n" + SATURDAY_CALLS
    )
    return folder


def evaluated(bundle: Path, *args: str) -> dict:
    result = run(
        *args, "evaluate", "--source", str(bundle), "--as-of", "2026-11-20", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_a_rule_can_change_only_the_weight_of_the_rule_it_inherits(tmp_path, bundle):
    write(
        tmp_path,
        "strict.yaml",
        """\
        name: strict
        extends: base
        rules:
          - id: chronic-late-payment
            weight: 9
        """,
    )
    base = library(tmp_path).load("base")
    strict = library(tmp_path).load("strict")
    (before,) = [r for r in base.rules if r.id == "chronic-late-payment"]
    (after,) = [r for r in strict.rules if r.id == "chronic-late-payment"]
    assert (after.weight, before.weight) == (9, 4)
    assert (after.tag, after.when, after.message, after.advice) == (
        before.tag,
        before.when,
        before.message,
        before.advice,
    )
    assert [r.id for r in strict.rules] == [r.id for r in base.rules]  # same place
    assert after.source.startswith(f"{tmp_path / 'strict.yaml'}:4, changing ")
    config = write(tmp_path, "c.yaml", "ruleset: strict.yaml\n")
    (client,) = evaluated(bundle, "--config", str(config))["clients"]
    (late,) = [r for r in client["reasons"] if r["rule"] == "chronic-late-payment"]
    assert late["weight"] == 9 and "6 of 6 invoices paid late" in late["message"]


def test_a_partial_rule_needs_an_inherited_rule_and_must_change_something(tmp_path):
    write(tmp_path, "new-id.yaml", "extends: base\nrules:\n  - id: not-in-base\n    weight: 2\n")
    with pytest.raises(InputError) as info:
        library(tmp_path).load("new-id")
    assert f"{tmp_path / 'new-id.yaml'}:3: rule needs 'tag'" in str(info.value)
    write(tmp_path, "same.yaml", "extends: base\nrules:\n  - id: chronic-late-payment\n")
    with pytest.raises(InputError) as info:
        library(tmp_path).load("same")
    assert "repeats an inherited rule and changes nothing" in str(info.value)


def test_a_disabled_rule_is_gone_from_the_ruleset_and_its_tag_from_the_client(tmp_path, bundle):
    write(
        tmp_path,
        "relaxed.yaml",
        """\
        extends: base
        rules:
          - id: chronic-late-payment
            disabled: true
            description: our clients all pay at month end
        """,
    )
    assert "chronic-late-payment" not in {r.id for r in library(tmp_path).load("relaxed").rules}
    config = write(tmp_path, "c.yaml", "ruleset: relaxed.yaml\n")
    (client,) = evaluated(bundle, "--config", str(config))["clients"]
    assert "chronic-late-payment" not in {r["rule"] for r in client["reasons"]}
    law_firm = library(tmp_path).load("law-firm")
    assert "legal-words" not in {r.id for r in law_firm.rules}  # the shipped use of it


def test_a_ruleset_carries_business_hours_that_crmflags_yaml_overrides(tmp_path, bundle):
    write(
        tmp_path,
        "weekend-trade.yaml",
        """\
        extends: base
        business_hours: {start: "09:00", end: "17:00", days: [tue, wed, thu, fri, sat]}
        """,
    )
    write(tmp_path, "child.yaml", "extends: weekend-trade\n")
    plain = evaluated(bundle)
    assert plain["settings"]["business_hours"] == "08:00-18:00 mon-fri"
    assert "after_hours" in plain["clients"][0]["tags"]  # Saturday calls
    for name in ("weekend-trade", "child"):  # inherited by a ruleset that extends it
        config = write(tmp_path, "c.yaml", f"ruleset: {name}.yaml\n")
        own = evaluated(bundle, "--config", str(config))
        assert own["settings"]["business_hours"] == "09:00-17:00 tue-sat"
        assert "after_hours" not in own["clients"][0]["tags"]
    config = write(
        tmp_path,
        "c.yaml",
        'ruleset: weekend-trade.yaml\nbusiness_hours: {start: "07:00", end: "19:00"}\n',
    )
    assert evaluated(bundle, "--config", str(config))["settings"]["business_hours"] == (
        "07:00-19:00 mon-fri"
    )


def test_bad_business_hours_in_a_ruleset_name_its_file_and_line(tmp_path):
    write(tmp_path, "bad.yaml", 'extends: base\nbusiness_hours: {start: "18:00", end: "08:00"}\n')
    with pytest.raises(InputError) as info:
        library(tmp_path).load("bad")
    assert f"{tmp_path / 'bad.yaml'}:2: business_hours start must be before end" in str(info.value)


def test_examples_use_the_rulesets_business_hours(tmp_path):
    path = write(
        tmp_path,
        "weekend-trade.yaml",
        """\
        extends: base
        business_hours: {start: "09:00", end: "17:00", days: [tue, wed, thu, fri, sat]}
        examples:
          - name: saturday calls are work
            as_of: 2026-11-20
            client:
              activities:
                - {at: "2026-11-07 11:00", kind: call, repeat: 8, every_days: 0}
            expect: {not_tags: [after_hours]}
        """,
    )
    result = run("rules", "test", str(path))
    assert result.exit_code == 0, result.output


def test_a_failing_rules_test_prints_the_values_behind_it(tmp_path):
    path = write(
        tmp_path,
        "mine.yaml",
        """\
        extends: base
        examples:
          - name: a late payer
            as_of: 2026-11-20
            client:
              invoices:
                - {issued_on: 2026-03-01, due_on: 2026-03-15, paid_on: 2026-03-20,
                   amount: 1000, repeat: 6, every_days: 30}
            expect: {tags: [late_payer], level: warning}
        """,
    )
    result = run("rules", "test", str(path))
    assert result.exit_code == 1
    out = result.stdout
    assert "expected tag late_payer, which it did not get" in out
    assert "[no] chronic-late-payment  tag late_payer, weight 4" in out
    assert "invoices_paid = 6  >= min_paid_invoices (3)" in out
    assert "avg_days_late = 5  >= late_days (14)" in out  # 5 days late: the reason it failed
    assert "score 0; levels: ok from 0, watch from 2, warning from 5, fire from 9" in out


def test_the_documented_partial_override_and_business_hours_load(tmp_path):
    text = (Path(__file__).resolve().parent.parent / "docs" / "rulesets.md").read_text()
    override = text.split("without copying its condition:\n\n```yaml\n")[1].split("```")[0]
    write(tmp_path, "heavier.yaml", override)
    heavier = library(tmp_path).load("heavier")
    assert next(r.weight for r in heavier.rules if r.id == "chronic-late-payment") == 6
    hours = text.split("in the form `crmflags.yaml` uses:\n\n```yaml\n")[1].split("```")[0]
    write(tmp_path, "hours.yaml", "extends: base\n" + hours)
    assert library(tmp_path).load("hours").business_hours.describe() == "09:00-17:00 tue-sat"
