"""Ruleset loading and validation: every error names file:line, with a suggestion."""

from __future__ import annotations

import textwrap

import pytest

from crmflags.errors import InputError
from crmflags.evaluation.evaluate import metric_units
from crmflags.rules.conditions import AllOf, AnyOf, Comparison
from crmflags.rules.ruleset import RulesetLibrary


def library(tmp_path, **files) -> RulesetLibrary:
    for name, text in files.items():
        (tmp_path / f"{name}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return RulesetLibrary([tmp_path], metric_units({}))


def load_error(tmp_path, text: str) -> str:
    with pytest.raises(InputError) as info:
        library(tmp_path, bad=text).load("bad")
    return str(info.value)


GOOD = """\
name: good
params:
  late_days: {default: 14, description: days late}
rules:
  - id: late
    tag: late_payer
    weight: 4
    when:
      all:
        - avg_days_late > late_days
        - not: {any: [invoices_paid < 3, late_invoice_share < 50%]}
    message: "{late_invoices} late, {avg_days_late} days, limit {late_days}"
levels: {watch: 2, warning: 4, fire: 8}
"""


def test_a_good_ruleset_loads(tmp_path):
    ruleset = library(tmp_path, good=GOOD).load("good")
    assert [r.id for r in ruleset.rules] == ["late"]
    rule = ruleset.rules[0]
    assert rule.weight == 4 and rule.tag == "late_payer"
    # `not any(a < 3, b < 0.5)` is pushed down to `all(a >= 3, b >= 0.5)`.
    assert rule.when == AllOf(
        (
            Comparison("avg_days_late", ">", None, "late_days", 10),
            AllOf(
                (
                    Comparison("invoices_paid", ">=", 3.0, None, 11),
                    Comparison("late_invoice_share", ">=", 0.5, None, 11),
                )
            ),
        )
    )
    assert rule.metrics_read() == ["avg_days_late", "invoices_paid", "late_invoice_share"]
    assert ruleset.params["late_days"].value == 14
    assert [ruleset.level_for(s) for s in (0, 1.9, 2, 4, 7.5, 8, 30)] == [
        "ok",
        "ok",
        "watch",
        "warning",
        "warning",
        "fire",
        "fire",
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("name: bad\nrules: []\nsurprise: 1\n", "bad.yaml:3: unknown key 'surprise'"),
        (
            "rules:\n  - id: a\n    tag: late_payer\n    when: avg_days_lat > 3\n",
            "bad.yaml:4: unknown metric 'avg_days_lat' (did you mean 'avg_days_late'?)",
        ),
        (
            "rules:\n  - id: a\n    tag: late_payr\n    when: avg_days_late > 3\n",
            "bad.yaml:3: unknown tag 'late_payr' (did you mean 'late_payer'?)",
        ),
        (
            "rules:\n  - id: a\n    tag: late_payer\n    weight: heavy\n    when: avg_days_late > 3\n",
            "bad.yaml:4: weight must be a number",
        ),
        (
            "rules:\n  - id: a\n    tag: late_payer\n    when: avg_days_late > 3\n"
            "  - id: a\n    tag: late_payer\n    when: avg_days_late > 5\n",
            "bad.yaml:5: rule id 'a' is used twice (first on line 2)",
        ),
        (
            "rules:\n  - id: a\n    tag: late_payer\n    when: avg_days_late > limit\n",
            "bad.yaml:4: unknown param 'limit'",
        ),
        (
            "rules:\n  - id: a\n    tag: late_payer\n    when: avg_days_late = 3\n",
            "bad.yaml:4: condition 'avg_days_late = 3': use == to compare",
        ),
        (
            "rules:\n  - id: a\n    tag: late_payer\n    when:\n      every: [avg_days_late > 3]\n",
            "bad.yaml:5: unknown condition 'every'",
        ),
        (
            "rules:\n  - id: a\n    tag: late_payer\n    when: avg_days_late > 3\n    message: '{overdue}'\n",
            "bad.yaml:5: message names {overdue}, which is neither a metric nor a param",
        ),
        (
            "rules:\n  - id: a\n    tag: late_payer\n    when: avg_days_late > 3\n    message: '{x.__class__}'\n",
            "bad.yaml:5: {x.__class__} in message: only a metric or param name may stand in braces",
        ),
        (
            "rules:\n  - id: a\n    tag: late_payer\n    when: avg_days_late > 3\n    mesage: hi\n",
            "bad.yaml:5: unknown key 'mesage' (did you mean 'message'?)",
        ),
        ("rules:\n  - id: a\n    tag: late_payer\n", "bad.yaml:2: rule needs 'when'"),
        ("levels: {watch: 5, warning: 3}\n", "bad.yaml:1: levels must rise"),
        ("params:\n  hours: 3\n", "bad.yaml:2: param 'hours' has the name of a metric"),
        ("params:\n  x: lots\n", "bad.yaml:2: param 'x' must be a finite number"),
        ("params:\n  x: .inf\n", "bad.yaml:2: param 'x' must be a finite number"),
        (
            "rules:\n  - {id: a, tag: late_payer, weight: .nan, when: hours > 1}\n",
            "bad.yaml:2: weight must be a number",
        ),
        ("levels: {fire: .inf}\n", "bad.yaml:1: level fire must be a score above 0"),
        ("name: bad\nname: again\n", "bad.yaml:2: key 'name' is given twice"),
        ("rules: [\n", "bad.yaml:2: not valid YAML"),
        ("extends: nowhere\n", "bad.yaml:1: cannot extend 'nowhere': no ruleset named 'nowhere'"),
    ],
)
def test_errors_name_file_and_line(tmp_path, text, expected):
    assert expected in load_error(tmp_path, text)


def test_all_errors_of_a_file_are_reported_together(tmp_path):
    message = load_error(tmp_path, "rules:\n  - id: a\n    tag: nope\n    when: nope > 1\n")
    assert "bad.yaml:3: unknown tag 'nope'" in message
    assert "bad.yaml:4: unknown metric 'nope'" in message


def test_yaml_tags_cannot_build_python_objects(tmp_path):
    message = load_error(tmp_path, "name: !!python/object/apply:os.system ['echo hacked']\n")
    assert "bad.yaml:1: not valid YAML" in message


def test_extends_inherits_overrides_and_replaces(tmp_path):
    lib = library(
        tmp_path,
        base="""\
            params: {late_days: 14, min_paid: 3}
            rules:
              - {id: late, tag: late_payer, weight: 4, when: avg_days_late > late_days}
              - {id: night, tag: after_hours, weight: 2, when: after_hours_share > 0.3}
            levels: {watch: 2, warning: 5, fire: 9}
        """,
        agency="""\
            extends: base
            params: {late_days: 30}
            rules:
              - {id: night, tag: after_hours, weight: 1, when: after_hours_share > 0.5}
              - {id: rush, tag: unrealistic_expectations, when: rush_requests >= 2}
            levels: {fire: 12}
        """,
    )
    ruleset = lib.load("agency")
    assert ruleset.lineage == ["base"]
    assert ruleset.param_values() == {"late_days": 30, "min_paid": 3}
    assert [(r.id, r.weight) for r in ruleset.rules] == [("late", 4), ("night", 1), ("rush", 1)]
    assert ruleset.levels == {"watch": 2, "warning": 5, "fire": 12}


def test_extends_checks_bands_against_the_parent(tmp_path):
    lib = library(
        tmp_path,
        base="levels: {watch: 10, warning: 20, fire: 30}\n",
        higher_watch="extends: base\nlevels: {watch: 15}\n",
        low_fire="extends: base\nlevels: {fire: 8}\n",
    )
    assert lib.load("higher_watch").levels == {"watch": 15, "warning": 20, "fire": 30}
    with pytest.raises(InputError, match=r"low_fire.yaml:2: levels must rise.*fire 8"):
        lib.load("low_fire")


def test_an_unknown_top_level_key_does_not_hide_the_other_errors(tmp_path):
    message = load_error(
        tmp_path, "descripton: x\nrules:\n  - {id: a, tag: nope, when: hours > 1}\n"
    )
    assert "bad.yaml:1: unknown key 'descripton' (did you mean 'description'?)" in message
    assert "bad.yaml:3: unknown tag 'nope'" in message


def test_extends_in_a_circle_is_an_error(tmp_path):
    lib = library(tmp_path, a="extends: b\n", b="extends: a\n")
    with pytest.raises(InputError, match="circle"):
        lib.load("a")


def test_config_params_override_and_unknown_ones_are_named(tmp_path):
    ruleset = library(tmp_path, good=GOOD).load("good")
    ruleset.override_params({"late_days": 21}, {"late_days": "crmflags.yaml:4"})
    assert ruleset.params["late_days"].value == 21
    with pytest.raises(
        InputError,
        match=r"crmflags.yaml:5: ruleset 'good' has no param 'late_dys' \(did you mean 'late_days'\?\)",
    ):
        ruleset.override_params({"late_dys": 21}, {"late_dys": "crmflags.yaml:5"})


def test_unknown_ruleset_name_lists_the_available_ones(tmp_path):
    with pytest.raises(
        InputError, match="no ruleset named 'goood' .did you mean 'good'.*available: good"
    ):
        library(tmp_path, good=GOOD).load("goood")


def test_any_and_percent_values(tmp_path):
    lib = library(
        tmp_path,
        r="rules:\n  - id: x\n    tag: after_hours\n"
        "    when: {any: [after_hours_share >= 30%, weekend_contacts > 2]}\n",
    )
    rule = lib.load("r").rules[0]
    assert rule.when == AnyOf(
        (
            Comparison("after_hours_share", ">=", 0.3, None, 4),
            Comparison("weekend_contacts", ">", 2.0, None, 4),
        )
    )


def test_shipped_rulesets_are_valid():
    from crmflags.loading.plugins import load_plugins
    from crmflags.rules.ruleset import RulesetLibrary as Library

    plugins = load_plugins()
    lib = Library([p for p, _ in plugins.ruleset_paths], metric_units(plugins.metrics))
    assert "freelancer" in lib.available()
    for name in lib.available():
        assert lib.load(name).rules


def test_a_child_adds_terms_and_a_new_language_to_a_term_list(tmp_path):
    lib = library(
        tmp_path,
        parent="terms:\n  abuse:\n    en: [idiot*]\n    hu: [idiót*]\n",
        child="extends: parent\nterms:\n  abuse:\n    en: [jerk]\n    de: [trottel*]\n    exclude: [idiotproof]\n",
        empty="terms:\n  quiet: {description: nothing here}\n",
        odd="terms:\n  abuse: {english: [idiot*]}\n",
    )
    abuse = lib.load("child").terms["abuse"]
    assert abuse.terms == {"en": ("idiot*", "jerk"), "hu": ("idiót*",), "de": ("trottel*",)}
    assert abuse.exclude == ("idiotproof",)
    with pytest.raises(InputError, match=r"empty.yaml:2: term list 'quiet' has no terms"):
        lib.load("empty")
    with pytest.raises(InputError, match=r"odd.yaml:2: unknown key 'english' in term list 'abuse'"):
        lib.load("odd")


def test_a_child_can_disable_an_inherited_rule(tmp_path):
    lib = library(
        tmp_path,
        base="rules:\n  - {id: words, tag: legal_risk, when: notes_legal >= 1}\n"
        "  - {id: night, tag: after_hours, when: after_hours_share > 0.3}\n",
        quiet="extends: base\nrules:\n  - {id: words, disabled: true}\n",
        wrong="extends: base\nrules:\n  - {id: nothing, disabled: true, tag: abusive}\n",
    )
    assert [r.id for r in lib.load("quiet").rules] == ["night"]
    with pytest.raises(InputError) as info:
        lib.load("wrong")
    assert "wrong.yaml:3: a disabled rule has only id (and description), not 'tag'" in str(
        info.value
    )
    assert "wrong.yaml:3: rule 'nothing' is not inherited, so it cannot be disabled" in str(
        info.value
    )


def test_the_same_term_lists_are_compiled_once_and_a_change_is_seen(tmp_path):
    """A ruleset loaded again (each example, each sync in one process) reuses its matcher."""
    terms = "terms:\n  abuse:\n    en: [idiot*]\n"
    first = library(tmp_path, words=terms).load("words").term_matcher()
    again = library(tmp_path, words=terms).load("words").term_matcher()
    assert first is not None and again is first
    assert list(first.find("What an idiot.")) == ["abuse"]
    changed = library(tmp_path, words=terms.replace("idiot*", "jerk")).load("words")
    matcher = changed.term_matcher()
    assert matcher is not first
    assert list(matcher.find("What a jerk.")) == ["abuse"] and matcher.find("idiot") == {}
