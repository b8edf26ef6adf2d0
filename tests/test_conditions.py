"""Every condition of the articles is raised by the freelancer ruleset, in four languages."""

from __future__ import annotations

from datetime import datetime

import pytest

from crmflags.cli.app import App
from crmflags.evaluation.evaluate import evaluate
from crmflags.evaluation.examples import parse_examples
from crmflags.tags import TAGS

from conftest import client, contact, day, hours, invoice, note

AS_OF = day("2026-11-20")
NOW = datetime(2026, 11, 20, 23, 59)


@pytest.fixture(scope="module")
def app():
    return App.start(None)


@pytest.fixture(scope="module")
def freelancer(app):
    return app.ruleset("freelancer")


def base_examples(app):
    return {example.name: example for example in parse_examples(app.ruleset("base"))}


def test_each_of_the_17_tags_is_raised_by_freelancer_on_a_client_built_for_it(app, freelancer):
    raised = set()
    for example in base_examples(app).values():
        if not example.tags:
            continue
        evaluation = evaluate(
            [example.client, *example.others], freelancer, example.settings, example.as_of, NOW
        )
        tags = evaluation.results[0].tags
        assert set(example.tags) <= set(tags), example.name
        raised.update(example.tags)
    assert raised == set(TAGS)


def test_a_clean_client_with_ordinary_data_gets_no_tag(freelancer, settings):
    ordinary = client(
        activities=[
            contact("2026-11-16 08:30"),
            contact("2026-11-10 10:00", kind="change_request"),
        ],
        invoices=[invoice("2026-10-01", "2026-10-15", 900, paid="2026-10-17")],
        time_entries=[hours("2026-11-02", 6)],
        notes=[note("2026-11-16 09:00", "Sent the brief; the issue with the logo is fixed.")],
    )
    result = evaluate([ordinary], freelancer, settings, AS_OF, NOW).results[0]
    assert (result.tags, result.level) == ([], "ok")


NOTES = {
    "abusive": {
        "en": "He called us idiots and shouted for ten minutes.",
        "hu": "Azt mondta, hogy idiótának tart minket, és üvöltözött.",
        "fi": "Asiakas kutsui meitä idiooteiksi puhelimessa.",
        "lv": "Viņš nosauca mūs par idiotiem un kliedza.",
    },
    "legal_risk": {
        "en": "Says his lawyer will be in touch about the delay.",
        "hu": "Közölte, hogy beperelnek minket a csúszás miatt.",
        "fi": "Uhkasi haastaa meidät oikeuteen viivästyksestä.",
        "lv": "Draudēja mūs iesūdzēt tiesā par kavēšanos.",
    },
    "plays_competitors": {
        "en": "Forwarded a cheaper quote from another agency.",
        "hu": "Mutatott egy olcsóbb árajánlatot a konkurenciától.",
        "fi": "Kertoi, että kilpailijan tarjous oli halvempi.",
        "lv": "Teica, ka konkurenta piedāvājums bija lētāks.",
    },
}


@pytest.mark.parametrize("tag, language", [(t, lang) for t in NOTES for lang in NOTES[t]])
def test_notes_in_each_language_raise_the_tag_and_quote_the_words(
    freelancer, settings, tag, language
):
    body = NOTES[tag][language]
    result = evaluate(
        [client(notes=[note("2026-11-12 10:00", body)])], freelancer, settings, AS_OF, NOW
    ).results[0]
    assert tag in result.tags
    reason = next(r for r in result.reasons if r.tag == tag)
    quoted = reason.matched_notes[0]
    assert quoted.date == "2026-11-12"
    assert quoted.words in body and quoted.words in quoted.snippet
    assert "matched_notes" not in reason.evidence  # the metrics only


@pytest.mark.parametrize(
    "body",
    [
        "The issue with the suede sofa photos is solved.",
        "Courtesy call: they liked the draft.",
        "Egy perc alatt megírom a választ.",
        "Oikeus lomaan on sovittu.",
        "Tā ir tiesa, ka dizains viņiem patika.",
        "Kiitos, kaikki meni hyvin.",
    ],
)
def test_everyday_notes_raise_nothing(freelancer, settings, body):
    result = evaluate(
        [client(notes=[note("2026-11-12 10:00", body)])], freelancer, settings, AS_OF, NOW
    ).results[0]
    assert result.tags == []


def test_a_marked_note_is_quoted_in_the_evidence(freelancer, settings):
    marked = note("2026-11-12 10:00", "Phone call; he said we would regret it.", "threat")
    result = evaluate([client(notes=[marked])], freelancer, settings, AS_OF, NOW).results[0]
    reason = next(r for r in result.reasons if r.rule == "marked-threat")
    assert reason.evidence_json()["matched_notes"] == [
        {
            "date": "2026-11-12",
            "list": "marker:threat",
            "words": "",
            "snippet": "Phone call; he said we would regret it.",
        }
    ]
