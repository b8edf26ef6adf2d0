"""Negation, speakers, harmless phrases and windows in a ruleset: loaded, checked, used.

A ruleset written the way docs/rulesets.md shows is evaluated on notes, and explain
says which matches did not count and why.
"""

from __future__ import annotations

import logging
from datetime import datetime

import pytest
from test_ruleset import library, load_error

from crmflags.evaluation.evaluate import evaluate, metric_units
from crmflags.evaluation.explain import explain, render_explanation
from crmflags.rules.matching.matcher import MAX_TEXT_CHARS

from conftest import client, day, note

AS_OF = day("2026-11-20")
NOW = datetime(2026, 11, 20, 23, 59, 59)

CONTEXT = """\
name: context
params: {urgent_notes: 1}
terms:
  urgency:
    en: [urgent*, asap]
    hu: [sürgős*]
    harmless: [no deadline]
  competitor:
    en: [cheaper quote*, other quotes]
    harmless: [before sign*]
  advice:
    en: [ignor* + advice*]
    window: 4
negation:
  description: words that cancel a term shortly after them
  window: 2
  en: [not, never]
  hu: [nem]
  exclude: [not only]
  boundaries: [but]
speakers:
  third_party:
    en: [their previous agency, their customer*]
  client:
    en: [he, she]
rules:
  - id: rush
    tag: unrealistic_expectations
    weight: 2
    when: text_urgency >= urgent_notes
  - id: shops-around
    tag: plays_competitors
    weight: 2
    when: text_competitor >= 1
  - id: advice
    tag: ignores_advice
    weight: 2
    when: text_advice >= 1
"""


def tags_of(ruleset, settings, *bodies: str) -> list[str]:
    notes = [note(f"2026-11-{10 + i:02d} 10:00", body) for i, body in enumerate(bodies)]
    return evaluate([client(notes=notes)], ruleset, settings, AS_OF, NOW).results[0].tags


@pytest.fixture
def ruleset(tmp_path):
    return library(tmp_path, context=CONTEXT).load("context")


def test_the_sections_load(ruleset):
    assert ruleset.negation.cues == {"en": ("not", "never"), "hu": ("nem",)}
    assert (ruleset.negation.window, ruleset.negation.exclude) == (2, ("not only",))
    assert ruleset.speakers.third_party == {"en": ("their previous agency", "their customer*")}
    assert ruleset.terms["competitor"].harmless == ("before sign*",)
    assert ruleset.terms["advice"].window == 4


@pytest.mark.parametrize(
    "body, tag",
    [
        ("Needs the banner ASAP.", "unrealistic_expectations"),
        ("Not only urgent: everything is.", "unrealistic_expectations"),
        ("Waves a cheaper quote at every call.", "plays_competitors"),
        ("He ignored our advice again.", "ignores_advice"),
    ],
)
def test_what_the_client_says_counts(ruleset, settings, body, tag):
    assert tags_of(ruleset, settings, body) == [tag]


@pytest.mark.parametrize(
    "body",
    [
        "This is not urgent.",
        "Nem sürgős.",
        "Nem surgos.",
        "There is no deadline, so nothing urgent.",
        "Before signing they asked for other quotes.",
        "Their previous agency said everything was urgent.",
        "Their customers need it ASAP, they say.",
        "Our advice was never ignored.",
        "He ignored the one small piece of our advice.",  # wider than the list's window
    ],
)
def test_negated_reported_and_harmless_words_do_not_count(ruleset, settings, body):
    assert tags_of(ruleset, settings, body) == []


def test_a_cue_beyond_the_rulesets_window_does_not_negate(ruleset, settings):
    assert tags_of(ruleset, settings, "Not at all a calm week: urgent fixes.") != []
    assert tags_of(ruleset, settings, "Never said it is really urgent.") != []  # 3 words apart


def test_explain_quotes_the_notes_that_did_not_count_and_why(ruleset, settings):
    notes = [
        note("2026-11-10 10:00", "Their previous agency called everything urgent."),
        note("2026-11-12 10:00", "He said it is not urgent."),
    ]
    evaluation = evaluate([client(notes=notes)], ruleset, settings, AS_OF, NOW)
    data = explain(evaluation, evaluation.results[0], metric_units({}))
    [rush] = [rule for rule in data["rules"] if rule["rule"] == "rush"]
    assert rush["matched"] is False and rush["when"]["value"] == 0
    assert rush["when"]["not_counted"] == [
        {
            "date": "2026-11-12",
            "snippet": "He said it is not urgent.",
            "why": "negated by 'not'",
        },
        {
            "date": "2026-11-10",
            "snippet": "Their previous agency called everything urgent.",
            "why": "reported as the words of 'Their previous agency', not the client's",
        },
    ]
    text = render_explanation(data)
    assert "not counted, note of 2026-11-12: He said it is not urgent. (negated by 'not')" in text


def test_extends_adds_cues_speakers_and_harmless_phrases(tmp_path, settings):
    child = """\
    name: child
    extends: context
    terms:
      urgency:
        harmless: [whenever you can]
    negation:
      fi: [ei]
    speakers:
      third_party:
        hu: [az előző ügynökség*]
    """
    ruleset = library(tmp_path, context=CONTEXT, child=child).load("child")
    assert ruleset.negation.cues["fi"] == ("ei",) and ruleset.negation.cues["en"] == (
        "not",
        "never",
    )
    assert ruleset.negation.window == 2
    assert ruleset.speakers.third_party["hu"] == ("az előző ügynökség*",)
    assert ruleset.terms["urgency"].harmless == ("no deadline", "whenever you can")
    assert tags_of(ruleset, settings, "Urgent-ish, whenever you can.") == []
    assert tags_of(ruleset, settings, "Az előző ügynökség szerint sürgős volt.") == []


def test_a_long_note_is_matched_on_its_start_with_a_warning(ruleset, settings, caplog):
    body = "ASAP! " + "all calm here. " * (4_000_000 // 15)
    caplog.set_level(logging.WARNING, logger="crmflags")
    result = evaluate(
        [client(notes=[note("2026-11-12 10:00", body)])], ruleset, settings, AS_OF, NOW
    )
    assert result.results[0].tags == ["unrealistic_expectations"]
    [warning] = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warning == (
        f"client c-1: the note of 2026-11-12 has {len(body):,} characters; "
        f"only the first {MAX_TEXT_CHARS:,} are read"
    )


def test_words_past_the_first_million_characters_are_not_read(ruleset, settings, caplog):
    body = "all calm here. " * (MAX_TEXT_CHARS // 15 + 10) + "ASAP!"
    result = evaluate(
        [client(notes=[note("2026-11-12 10:00", body)])], ruleset, settings, AS_OF, NOW
    )
    assert result.results[0].tags == []


@pytest.mark.parametrize(
    "section, error",
    [
        (
            "negation: {en: [not + really]}",
            "bad.yaml:1: term 'not + really' in negation.en: '+' joins the parts",
        ),
        ("negation: {window: 0}", "bad.yaml:1: window of negation: a window is a whole number"),
        ("negation: [not]", "bad.yaml:1: negation must be a mapping"),
        ("negation: {cues: [not]}", "bad.yaml:1: unknown key 'cues' in negation"),
        ("negation: {en: not}", "bad.yaml:1: negation.en must be a list"),
        (
            "speakers: {third: {en: [x]}}",
            "bad.yaml:1: unknown key 'third' (did you mean 'third_party'?) in speakers; "
            "keys are description, third_party, client",
        ),
        ("speakers: {client: [he]}", "bad.yaml:1: speakers.client must map languages"),
        (
            "speakers: {client: {english: [he]}}",
            "bad.yaml:1: speakers.client: 'english' is not a two-letter language code",
        ),
        (
            "terms: {t: {en: [x], window: 30}}",
            "bad.yaml:1: window of term list 't': a window is a whole number of words from 1 to 20",
        ),
        (
            "terms: {t: {en: [+ x]}}",
            "bad.yaml:1: term '+ x' in t.en: '+' must stand between two parts",
        ),
        (
            "terms: {t: {en: [x], harmless: [a*]}}",
            "bad.yaml:1: term 'a*' in t.harmless: a stem needs at least 3 letters",
        ),
        ("terms: {t: {en: [x], harmles: [y]}}", "did you mean 'harmless'"),
    ],
)
def test_mistakes_name_the_file_and_line(tmp_path, section, error):
    assert error in load_error(tmp_path, section + "\n")
