"""The prefilter of note matching: it names every list that matches, and few that do not.

:class:`crmflags.rules.matching.index.TermIndex` decides from a note's words which term lists the
exact matcher tries. Leaving out a list that matches would silently drop a reason, so
the shipped lists are matched with and without it on every note the paraphrase banks,
the judgement sets and the sample data hold, and must give the same matches (cancelled
ones included).
"""

from __future__ import annotations

import ast
import csv
from pathlib import Path

import pytest

from crmflags.evaluation.evaluate import metric_units
from crmflags.rules.matching import matcher as matcher_module
from crmflags.rules.matching.index import ListSteps, TermIndex
from crmflags.rules.matching.matcher import TermMatcher
from crmflags.rules.matching.patterns import _STEPS
from crmflags.rules.matching.terms import TermList
from crmflags.rules.ruleset import RulesetLibrary
from crmflags.text import fold

ROOT = Path(__file__).resolve().parent.parent
#: Test files whose string constants are owners' notes (the banks, the term-list tests).
BANKS = (
    "test_note_paraphrases_notesA.py",
    "test_note_paraphrases_notesB.py",
    "test_text_terms.py",
    "test_text.py",
    "test_term_days_and_addressed.py",
)


def corpus() -> list[str]:
    """Return every note of the paraphrase banks, the judgement sets and the sample data."""
    texts = set()
    for name in BANKS:
        tree = ast.parse((ROOT / "tests" / name).read_text(encoding="utf-8"))
        texts |= {
            node.value
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
        }
    files = [*ROOT.glob("bench/judgement/*/notes.csv"), ROOT / "crmflags/sample_data/notes.csv"]
    for path in files:
        with open(path, encoding="utf-8", newline="") as file:
            texts |= {row["body"] for row in csv.DictReader(file)}
    return sorted(texts)


@pytest.fixture(scope="module")
def matchers() -> tuple[TermMatcher, TermMatcher]:
    """The shipped lists compiled twice: with the prefilter, and trying every list."""
    ruleset = RulesetLibrary([ROOT / "rulesets"], metric_units({})).load("freelancer")
    filtered = ruleset.term_matcher()
    # A matcher of its own (term_matcher() hands out one per process), to change below.
    every = TermMatcher(list(ruleset.terms.values()), ruleset.negation, ruleset.speakers)
    assert filtered is not None and filtered is not every
    numbers = list(range(len(ruleset.terms)))
    every._index.candidates = lambda folded: numbers  # type: ignore[method-assign]
    return filtered, every


def test_the_prefilter_changes_no_match_of_any_known_note(matchers):
    filtered, every = matchers
    texts = corpus()
    assert len(texts) > 2000  # the banks were found
    differ = [text for text in texts if filtered.find_all(text) != every.find_all(text)]
    assert differ == []
    # Not vacuous: many of these notes match, and many match nothing.
    matched = sum(1 for text in texts if every.find_all(text))
    assert 500 < matched < len(texts) - 500


def test_the_prefilter_lets_through_few_notes_that_match_nothing(matchers):
    filtered, every = matchers
    quiet = [text for text in corpus() if not every.find_all(text)]
    passed = [text for text in quiet if filtered._index.candidates(fold(text))]
    assert len(passed) < len(quiet) / 2


def index(*lists: ListSteps) -> TermIndex:
    return TermIndex(list(lists))


def test_a_stem_needs_a_word_starting_with_it_and_a_word_the_whole_word():
    found = index(ListSteps(("idiot*",)), ListSteps(("court",)))
    assert found.candidates("you idiotak") == [0]
    assert found.candidates("the courtyard") == []
    assert found.candidates("see you in court.") == [1]
    assert found.candidates("an idiot in court") == [0, 1]


def test_a_phrase_needs_every_word_and_a_joined_term_every_part():
    found = index(ListSteps(("shut up",)), ListSteps((), ((("ignor*",), ("advice", "advis*")),)))
    assert found.candidates("shut the door") == []
    assert found.candidates("up, shut it") == [0]  # the words are there: the matcher decides
    assert found.candidates("they ignored it") == []
    assert found.candidates("they ignored our advisor") == [1]


def test_punctuation_splits_words_and_a_phrase_without_letters_is_always_tried():
    found = index(ListSteps(("don't care",)), ListSteps((":(",)))
    assert found.candidates("i don't care") == [0, 1]
    assert found.candidates("i do care") == [1]


def test_the_index_knows_every_special_step_of_the_tries():
    """The index reads steps as words, spaces and ``*``: a new special step must be taught."""
    assert set(_STEPS) == {" ", "*"}


def test_a_list_is_compiled_only_when_a_note_may_match_it():
    lists = [
        TermList("legal", terms={"en": ("lawyer*",)}),
        TermList("abuse", terms={"en": ("idiot*",)}),
    ]
    matcher = TermMatcher(lists)
    assert matcher.find("Their lawyer wrote.")["legal"][0].words == "lawyer"
    assert [compiled is not None for compiled in matcher._lists] == [True, False]


def test_an_invalid_term_fails_at_once_though_lists_compile_later():
    with pytest.raises(ValueError, match="in abuse"):
        TermMatcher([TermList("abuse", terms={"en": ("*idiot",)})])


def test_a_text_seen_before_gets_the_same_answer_and_a_callers_change_stays_its_own():
    matcher = TermMatcher([TermList("legal", terms={"en": ("lawyer*",)})])
    first = matcher.first_matches("Their lawyer wrote.")
    first.clear()
    assert matcher.first_matches("Their lawyer wrote.")["legal"].words == "lawyer"
    for n in range(matcher_module.REMEMBERED_TEXTS + 10):
        matcher.first_matches(f"note {n}")
    assert len(matcher._remembered) == matcher_module.REMEMBERED_TEXTS
    long = "Their lawyer wrote. " + "x" * matcher_module.REMEMBERED_CHARS
    assert matcher.first_matches(long)["legal"].words == "lawyer"
    assert long not in matcher._remembered
