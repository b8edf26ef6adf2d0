"""How notes are matched by structure: a note-wide + term, quotes, questions put to us.

Owners tell one behaviour across sentences (the advice in one, the breakage and blame
in the next), quote what the client said, and ask back what the client asked. These
tests pin the matching rules that carry to any writer, whatever the word lists.
"""

from __future__ import annotations

import pytest
from test_ruleset import library, load_error

from crmflags.rules.matching.matcher import TermMatcher
from crmflags.rules.matching.terms import Negation, Speakers, TermList

NEGATION = Negation(
    cues={"en": ("not", "no", "didn't", "never")},
    questions=("you", "your"),
)


def _words(text: str, term: str, **options) -> list[str]:
    """Return the words each counted match of ``term`` covers in ``text``."""
    matcher = TermMatcher([TermList("t", terms={"en": (term,)}, **options)], NEGATION)
    return [match.words for match in matcher.find(text).get("t", [])]


def _why(text: str, term: str, **options) -> list[str]:
    """Return why each match of ``term`` in ``text`` does not count ('' if it counts)."""
    matcher = TermMatcher(
        [TermList("t", terms={"en": (term,)}, **options)],
        NEGATION,
        Speakers(third_party={"en": ("their courier",)}, client={"en": ("he",)}),
    )
    return [match.cancelled for match in matcher.find_all(text).get("t", [])]


STORY = (
    "We advised a proper backup in March. He said it was too expensive. "
    "The disk died last week. Now he blames us."
)


def test_a_note_wide_term_joins_parts_told_in_separate_sentences():
    assert _words(STORY, "advised + blames", sentences=3) == []
    assert _words(STORY, "advised + blames", sentences="note") == [STORY[3:-4]]


def test_a_note_wide_term_ignores_the_window():
    assert _words(STORY, "advised + blames", window=2, sentences="note") != []


def test_a_negated_part_of_a_note_wide_term_cancels_it():
    note = "We advised a staged launch. They took it. No blames anywhere, a smooth launch."
    assert _why(note, "advised + blames", sentences="note") == ["negated by 'No'"]


def test_a_part_told_of_a_third_party_cancels_a_note_wide_term():
    note = "We advised express shipping. Sadly their courier blames the weather."
    assert _why(note, "advised + blames", sentences="note") == [
        "reported as the words of 'their courier', not the client's"
    ]


def test_a_harmless_phrase_by_any_part_cancels_a_note_wide_term():
    note = "We advised a backup, as agreed in the kickoff. Later he blames the host."
    matcher = TermMatcher(
        [
            TermList(
                "t", terms={"en": ("advised + blames",)}, harmless=("the host",), sentences="note"
            )
        ]
    )
    assert matcher.find(note) == {}


def test_a_cue_outside_a_quote_does_not_negate_the_quoted_words():
    assert _words('No greeting just "idiots" again.', "idiots") == ["idiots"]
    assert _words("No greeting just idiots again.", "idiots") == []


def test_a_cue_inside_a_quote_still_negates_the_quoted_words():
    assert _words('He said "we were never idiots to him".', "idiots") == []


def test_an_apostrophe_inside_a_word_is_no_quote():
    assert _words("He didn't idiots anyone.", "idiots") == []


def test_a_cue_in_a_question_put_to_us_is_rhetorical():
    assert _words("Why didn't you idiots test it?", "idiots") == ["idiots"]
    assert _words("Why didn't you idiots test it.", "idiots") == []


def test_a_negated_question_not_put_to_us_stays_negated():
    assert _words("Not rude, just blunt?", "rude") == []


def test_a_quoted_list_counts_only_inside_quoted_speech():
    term = "you're + just + coder"
    assert _words("He told Tom: 'you're just a coder, stay out of it.'", term, quoted=True)
    assert _words("He told Tom: \u201cyou're just a coder\u201d.", term, quoted=True)
    assert _words("I think you're just a coder at heart, Tom.", term, quoted=True) == []
    assert _words("I think you're just a coder at heart, Tom.", term) != []


def test_a_quote_left_open_runs_to_the_end_of_its_line():
    term = "you're + just + coder"
    note = "His reply: 'you're just a coder\nNext call on Monday, you're just a coder."
    assert _words(note, term, quoted=True) == ["you're just a coder"]


def test_a_ruleset_sets_note_wide_and_quoted_lists_and_questions(tmp_path):
    text = """\
    name: structure
    terms:
      story:
        en: [advised + blames]
        sentences: note
      said:
        en: [just + coder]
        quoted: true
    negation:
      en: [didn't]
      questions: [you]
    rules:
      - {id: story, tag: ignores_advice, when: text_story >= 1}
      - {id: said, tag: disrespectful, when: text_said >= 1}
    """
    ruleset = library(tmp_path, structure=text).load("structure")
    assert ruleset.terms["story"].sentences == "note"
    assert ruleset.terms["said"].quoted is True
    assert ruleset.negation is not None and ruleset.negation.questions == ("you",)
    found = ruleset.term_matcher().find(STORY + " 'You are just a coder.' Why didn't you...?")
    assert set(found) == {"story", "said"}


@pytest.mark.parametrize("value", ["always", 1, "[true]"])
def test_a_wrong_quoted_value_names_the_file_and_line(tmp_path, value):
    error = load_error(tmp_path, f"terms:\n  t:\n    en: [x]\n    quoted: {value}\n")
    assert "bad.yaml:4: quoted of term list 't' is true or false" in error


def test_a_wrong_sentences_value_says_note_is_allowed(tmp_path):
    error = load_error(tmp_path, "terms: {t: {en: [x], sentences: paragraph}}\n")
    assert "or 'note' for anywhere in the note" in error
