"""Ruleset examples: parsed with file:line errors, run against their ruleset, and all shipped ones pass."""

from __future__ import annotations

import textwrap

import pytest
from click.testing import CliRunner

from crmflags.cli import cli
from crmflags.errors import InputError
from crmflags.evaluation.evaluate import metric_units
from crmflags.evaluation.examples import parse_examples, run_examples
from crmflags.loading.plugins import load_plugins
from crmflags.rules.ruleset import RulesetLibrary

HEAD = """\
rules:
  - {id: late, tag: late_payer, weight: 4, when: late_invoices >= 3}
  - {id: night, tag: after_hours, weight: 2, when: after_hours_contacts >= 2}
examples:
"""


def load(tmp_path, examples: str):
    (tmp_path / "ex.yaml").write_text(HEAD + textwrap.indent(textwrap.dedent(examples), "  "))
    return RulesetLibrary([tmp_path], metric_units({})).load("ex")


def test_repeat_builds_the_history_and_expectations_are_checked(tmp_path):
    ruleset = load(
        tmp_path,
        """\
        - name: late three times
          as_of: 2026-11-20
          client:
            invoices:
              - {issued_on: 2026-01-01, due_on: 2026-01-15, paid_on: 2026-02-01, amount: 10, repeat: 3, every_days: 31}
          expect: {tags: [late_payer], level: watch}
        - name: wrongly expected
          as_of: 2026-11-20
          timezone: Europe/Helsinki
          client:
            activities:
              - {at: "2026-11-16 19:30", kind: call, repeat: 2, every_days: 1}
          expect: {tags: [late_payer], not_tags: [after_hours], level: fire}
    """,
    )
    (example, _) = parse_examples(ruleset)
    assert [i.issued_on.isoformat() for i in example.client.invoices] == [
        "2026-01-01",
        "2026-02-01",
        "2026-03-04",
    ]
    passed, failed = run_examples(ruleset)
    assert passed.problems == [] and passed.tags == ["late_payer"]
    assert failed.problems == [
        "expected tag late_payer, which it did not get",
        "got tag after_hours, which it must not",
        "expected level fire, got watch (score 2)",
    ]
    assert failed.example.where.endswith("ex.yaml:11")


@pytest.mark.parametrize(
    "example, message",
    [
        (
            "- {as_of: 2026-11-20, client: {}, expect: {tags: [late_payr]}}",
            "ex.yaml:5: tags must be a list of tags; not tags: ['late_payr']",
        ),
        (
            "- {as_of: 2026-13-01, client: {}, expect: {level: ok}}",
            "ex.yaml:5: as_of: '2026-13-01' is not a date",
        ),
        (
            "- {as_of: 2026-11-20, client: {invoices: [{issued_on: 2026-01-01, amount: 5}]}, expect: {level: ok}}",
            "ex.yaml:5: due_on is missing",
        ),
        (
            "- {as_of: 2026-11-20, client: {activities: [{at: '2026-11-01 10:00', kind: fax}]}, expect: {level: ok}}",
            "ex.yaml:5: kind must be one of call, email",
        ),
        (
            "- {as_of: 2026-11-20, client: {colour: red}, expect: {level: ok}}",
            "ex.yaml:5: unknown key 'colour' in client",
        ),
        ("- {as_of: 2026-11-20, client: {}}", "ex.yaml:5: example needs 'expect'"),
        (
            "- {as_of: 2026-11-20, client: {}, expect: {}}",
            "ex.yaml:5: expect needs tags, not_tags or level",
        ),
        (
            "- {as_of: 2026-11-20, client: {notes: [{at: '2026-11-01 10:00', repeat: 50000000}]},"
            " expect: {level: ok}}",
            "ex.yaml:5: repeat must be a whole number from 1 to 1000",
        ),
        (
            "- {as_of: 2026-11-20, client: {}, expect: {tags: [abusive], not_tags: abusive}}",
            "ex.yaml:5: tags and not_tags both list abusive",
        ),
        (
            "- {as_of: 2026-11-20, client: {time_entries: [{date: 2026-11-01, hours: -8}]},"
            " expect: {level: ok}}",
            "ex.yaml:5: hours must be a number of 0 or more, not -8",
        ),
        (
            "- {as_of: 2026-11-20, client: {invoices: [{issued_on: 2026-02-01, due_on: 2026-01-01,"
            " amount: 5}]}, expect: {level: ok}}",
            "ex.yaml:5: due_on 2026-01-01 is before issued_on 2026-02-01",
        ),
        (
            "- {as_of: 2026-11-20, business_hours: {start: '9'}, client: {}, expect: {level: ok}}",
            "ex.yaml:5: start must be a time of day",
        ),
    ],
)
def test_bad_examples_name_file_and_line(tmp_path, example, message):
    ruleset = load(tmp_path, example + "\n")
    with pytest.raises(InputError) as info:
        parse_examples(ruleset)
    assert message in str(info.value)


def test_an_invalid_expectation_gets_one_message_not_two(tmp_path):
    ruleset = load(tmp_path, "- {as_of: 2026-11-20, client: {}, expect: {level: firee}}\n")
    with pytest.raises(InputError) as info:
        parse_examples(ruleset)
    assert str(info.value).count("\n") == 0 and "level must be one of" in str(info.value)


def test_examples_take_business_hours_and_any_case_of_kind(tmp_path):
    ruleset = load(
        tmp_path,
        """\
        - as_of: 2026-11-20
          business_hours: {start: "07:00", end: "17:00", days: [mon, tue, wed, thu, fri, sat]}
          client:
            activities:
              - {at: "2026-11-14 07:30", kind: Call, repeat: 2, every_days: 0}
          expect: {not_tags: [after_hours]}
    """,
    )
    (outcome,) = run_examples(ruleset)
    assert outcome.problems == []
    assert outcome.example.client.activities[0].kind == "call"


def test_rules_test_and_lint_on_the_command_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    good = load(
        tmp_path,
        """\
        - as_of: 2026-11-20
          client: {}
          expect: {level: ok}
    """,
    ).path
    runner = CliRunner()
    result = runner.invoke(cli, ["rules", "test", str(good)])
    assert result.exit_code == 0 and "ok   ex: example 1 -> ok -" in result.stdout
    good.write_text(good.read_text().replace("level: ok", "level: fire"))
    result = runner.invoke(cli, ["rules", "test", str(good)])
    assert result.exit_code == 1
    assert (
        "FAIL ex: example 1 -> ok -" in result.stdout
        and "expected level fire, got ok" in result.stdout
    )
    good.write_text(good.read_text().replace("level: fire", "level: hot"))
    lint = runner.invoke(cli, ["rules", "lint", str(good)])
    assert (
        lint.exit_code == 2
        and "ex.yaml:7: level must be one of ok, watch, warning, fire" in lint.stderr
    )


def shipped():
    plugins = load_plugins()
    library = RulesetLibrary([p for p, _ in plugins.ruleset_paths], metric_units(plugins.metrics))
    return library, sorted(library.available())


@pytest.mark.parametrize("name", shipped()[1])
def test_every_shipped_ruleset_passes_its_own_examples(name):
    library, _ = shipped()
    outcomes = run_examples(library.load(name))
    failures = {o.example.name: o.problems for o in outcomes if o.problems}
    assert failures == {}
