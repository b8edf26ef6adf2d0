"""A marked note lasts as long as the words of its behaviour (the term list's `markers`).

The owner marks a note `threat` to flag abuse by hand. Abuse is a reason to part, not a
mood of the quarter (001 §3, 003 §1): the words of abuse count for 365 days, so a note
marked `threat` five months ago must still count, and marking a note must never make it
fade sooner than leaving its words to the lists.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from test_ruleset import library, load_error

from crmflags.evaluation.evaluate import evaluate, metric_units
from crmflags.rules.ruleset import RulesetLibrary
from crmflags.settings import Settings

from conftest import client, day, note

RULESETS = Path(__file__).parent.parent / "rulesets"
AS_OF = day("2026-11-20")
NOW = datetime(2026, 11, 20, 23, 59, 59)
SETTINGS = Settings(timezone=ZoneInfo("Europe/Budapest"), timezone_name="Europe/Budapest")


def _judge(ruleset, when: str, marker: str, body: str = "Phone call about the launch."):
    [result] = evaluate(
        [client("c-1", notes=[note(when, body, marker)])], ruleset, SETTINGS, AS_OF, NOW
    ).results
    return result


@pytest.fixture(scope="module")
def freelancer():
    return RulesetLibrary([RULESETS], metric_units({})).load("freelancer")


@pytest.mark.parametrize(
    "marker, tag",
    [
        ("threat", "abusive"),
        ("legal", "legal_risk"),
        ("competitor", "plays_competitors"),
        ("disrespect", "disrespectful"),
        ("advice_ignored", "ignores_advice"),
        ("agreement_disputed", "dishonest"),
    ],
)
def test_a_note_marked_five_months_ago_still_counts(freelancer, marker, tag):
    result = _judge(freelancer, "2026-06-20 10:00", marker)
    assert tag in result.tags


def test_a_marked_threat_five_months_ago_is_still_a_warning(freelancer):
    assert _judge(freelancer, "2026-06-20 10:00", "threat").level == "warning"


def test_a_marked_threat_more_than_a_year_ago_has_faded(freelancer):
    result = _judge(freelancer, "2025-10-01 10:00", "threat")
    assert "abusive" not in result.tags


def test_the_marked_note_is_quoted_as_evidence(freelancer):
    result = _judge(freelancer, "2026-06-20 10:00", "threat", "He said we would regret it.")
    [reason] = [r for r in result.reasons if r.rule == "marked-threat"]
    assert reason.evidence["notes_threat"] == 1
    assert [(n.date, n.term_list) for n in reason.matched_notes] == [
        ("2026-06-20", "marker:threat")
    ]


def test_a_marker_never_fades_sooner_than_the_activity_window(tmp_path):
    text = """\
    name: short
    terms:
      threats: {en: [threaten*], days: 30, markers: [threat]}
    rules:
      - {id: marked, tag: abusive, weight: 6, when: notes_threat >= 1}
    """
    ruleset = library(tmp_path, short=text).load("short")
    assert "abusive" in _judge(ruleset, "2026-09-20 10:00", "threat").tags


def test_a_marker_without_a_list_counts_over_the_activity_window(tmp_path):
    text = """\
    name: plain
    rules:
      - {id: marked, tag: abusive, weight: 6, when: notes_threat >= 1}
    """
    ruleset = library(tmp_path, plain=text).load("plain")
    assert "abusive" in _judge(ruleset, "2026-09-20 10:00", "threat").tags
    assert "abusive" not in _judge(ruleset, "2026-06-20 10:00", "threat").tags


@pytest.mark.parametrize(
    "value, problem",
    [
        ("[threats]", "unknown marker 'threats'; markers are advice_ignored,"),
        ("threat", "must be a list of note markers"),
        ("[1]", "must be a list of note markers"),
    ],
)
def test_a_wrong_marker_names_the_file_and_line(tmp_path, value, problem):
    error = load_error(tmp_path, f"terms: {{t: {{en: [x], markers: {value}}}}}\n")
    assert "bad.yaml:1: markers of term list 't'" in error
    assert problem in error
