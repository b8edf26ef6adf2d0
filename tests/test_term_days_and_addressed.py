"""How far back a term list reads notes (``days``), and whose words a sentence reports
when a client word is the one spoken to (``speakers.addressed``).

Abuse does not fade in a quarter: a threat in April still counts in November, while a
rush request from April does not. And in *their previous agency called their manager an
idiot* the insult is the agency's: the manager is spoken to, not speaking.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from test_ruleset import library, load_error

from crmflags.evaluation.evaluate import evaluate, metric_units
from crmflags.evaluation.explain import explain
from crmflags.rules.ruleset import RulesetLibrary

from conftest import client, day, note

AS_OF = day("2026-11-20")
NOW = datetime(2026, 11, 20, 23, 59, 59)
RULESETS = Path(__file__).parent.parent / "rulesets"

AGES = """\
name: ages
terms:
  abuse:
    en: [idiot*, yelled]
    days: 365
  urgency:
    en: [asap]
  mood:
    en: [grumpy]
    days: 30
speakers:
  third_party:
    en: [their previous agency]
  client:
    en: [he, their manager]
  addressed:
    en: [called, at]
rules:
  - {id: abuse, tag: abusive, weight: 5, when: text_abuse >= 1}
  - {id: rush, tag: unrealistic_expectations, weight: 2, when: text_urgency >= 1}
  - {id: mood, tag: gut_feeling, weight: 3, when: text_mood >= 1}
"""


def tags_on(ruleset, settings, when: str, body: str) -> list[str]:
    notes = [note(f"{when} 10:00", body)]
    return evaluate([client(notes=notes)], ruleset, settings, AS_OF, NOW).results[0].tags


@pytest.fixture
def ruleset(tmp_path):
    return library(tmp_path, ages=AGES).load("ages")


def test_days_loads_and_defaults_to_the_activity_window(ruleset):
    assert ruleset.terms["abuse"].days == 365
    assert ruleset.terms["urgency"].days is None


@pytest.mark.parametrize(
    "when, body, tags",
    [
        ("2026-04-02", "He yelled at Anna.", ["abusive"]),  # 232 days ago, within 365
        ("2025-11-21", "He yelled at Anna.", ["abusive"]),  # the 365th day
        ("2025-11-20", "He yelled at Anna.", []),  # a day too old
        ("2026-04-02", "Needs it ASAP.", []),  # rush requests fade after 90 days
        ("2026-09-01", "Needs it ASAP.", ["unrealistic_expectations"]),
        ("2026-10-01", "A grumpy call.", []),  # 50 days ago: past the list's 30
        ("2026-11-01", "A grumpy call.", ["gut_feeling"]),
    ],
)
def test_a_note_counts_for_as_many_days_as_its_list_says(ruleset, settings, when, body, tags):
    assert tags_on(ruleset, settings, when, body) == tags


def test_an_old_note_past_every_window_is_not_read(ruleset, settings):
    notes = [note("2024-01-10 10:00", "He yelled, idiots everywhere, ASAP.")]
    result = evaluate([client(notes=notes)], ruleset, settings, AS_OF, NOW).results[0]
    assert result.tags == [] and result.note_matches == {}


def test_extends_keeps_or_replaces_the_days(tmp_path):
    child = "name: child\nextends: ages\nterms:\n  abuse: {days: 180}\n  mood: {en: [sulky]}\n"
    ruleset = library(tmp_path, ages=AGES, child=child).load("child")
    assert ruleset.terms["abuse"].days == 180
    assert ruleset.terms["mood"].days == 30


@pytest.mark.parametrize(
    "days",
    ["0", "4000", "a year", "true", "1.5"],
)
def test_days_must_be_a_whole_number_of_days(tmp_path, days):
    error = load_error(tmp_path, f"terms: {{t: {{en: [x], days: {days}}}}}\n")
    assert "bad.yaml:1: days of term list 't': a whole number of days from 1 to 3650" in error


@pytest.mark.parametrize(
    "body, tags",
    [
        ("Their previous agency called their manager an idiot.", []),
        ("Their previous agency yelled at their manager.", []),
        ("Their previous agency quit because their manager yelled at them.", ["abusive"]),
        ("He called their manager an idiot.", ["abusive"]),
    ],
)
def test_a_client_word_spoken_to_does_not_make_the_words_the_clients(ruleset, settings, body, tags):
    assert tags_on(ruleset, settings, "2026-11-10", body) == tags


def test_explain_names_the_third_party_past_the_one_spoken_to(ruleset, settings):
    notes = [note("2026-11-10 10:00", "Their previous agency called their manager an idiot.")]
    evaluation = evaluate([client(notes=notes)], ruleset, settings, AS_OF, NOW)
    data = explain(evaluation, evaluation.results[0], metric_units({}))
    [abuse] = [rule for rule in data["rules"] if rule["rule"] == "abuse"]
    [why] = [item["why"] for item in abuse["when"]["not_counted"]]
    assert why == "reported as the words of 'Their previous agency', not the client's"


@pytest.mark.parametrize("word", ["call*", "shouted at", "+"])
def test_an_addressed_word_is_one_plain_word(tmp_path, word):
    error = load_error(tmp_path, f"speakers: {{addressed: {{en: ['{word}']}}}}\n")
    assert f"bad.yaml:1: term {word!r} in speakers.addressed.en: one word" in error


def test_the_shipped_lists_of_abuse_team_and_unease_count_for_a_year(settings):
    """A harassed colleague in spring is still a reason in autumn (001 §3, §6; 003 §1)."""
    freelancer = RulesetLibrary([RULESETS], metric_units({})).load("freelancer")
    assert {freelancer.terms[name].days for name in ("abuse", "harassment")} == {365}
    assert {freelancer.terms[name].days for name in ("team_dread", "unease")} == {365}
    assert freelancer.terms["urgency"].days is None
    spring = tags_on(freelancer, settings, "2026-04-15", "Invited Anna up to his hotel room.")
    assert spring == ["abusive"]
    assert tags_on(freelancer, settings, "2025-10-15", "Invited Anna up to his hotel room.") == []
