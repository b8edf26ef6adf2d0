"""What cancels a match from its context: negation cues, third-party speakers, harmless phrases."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import cached_property
from typing import NamedTuple

from crmflags.rules.matching.notes import _QUOTE, _Note, _Span
from crmflags.rules.matching.patterns import _WORD
from crmflags.rules.matching.spans import _covers, _languages, _TermSet
from crmflags.rules.matching.terms import (
    Negation,
    Speakers,
    check_addressed,
    check_term,
    check_window,
)
from crmflags.text import fold

#: Characters a negation cue may stand before the word it cancels, whatever its window.
_CUE_REACH = 120


class _Why(NamedTuple):
    """Why a match does not count: the kind of reason and the folded span of its words."""

    kind: str
    start: int
    end: int


_WHY = {
    "excluded": "excluded by '{}'",
    "harmless": "harmless in its sentence: '{}'",
    "negated": "negated by '{}'",
    "reported": "reported as the words of '{}', not the client's",
}


class _Cues(NamedTuple):
    """Negation compiled: the cues with their languages, what is no cue, what ends a clause."""

    cues: _TermSet
    languages: tuple[frozenset[str], ...]
    not_cues: _TermSet | None
    boundaries: _TermSet | None
    window: int
    questions: _TermSet | None = None


class _Context:
    """The negation cues, clause ends and speakers of one note, found when first asked."""

    def __init__(
        self,
        note: _Note,
        cues: _Cues | None,
        speakers: _TermSet | None,
        third: set,
        addressed: frozenset[str] = frozenset(),
    ):
        self.note = note
        self._cues = cues
        self._speakers = speakers
        self._third = third
        self._addressed = addressed

    @cached_property
    def cue_spans(self) -> list[tuple[int, int, frozenset[str]]]:
        """Return each negation cue of the note (phrases that only look like one left out)."""
        if self._cues is None:
            return []
        not_cues = _covers(self._cues.not_cues, self.note)
        return [
            (span.start, span.end, self._cues.languages[span.term])
            for span in self._cues.cues.spans(self.note)
            if not_cues is None or not_cues.covering(span.start, span.end) is None
        ]

    @cached_property
    def cue_ends(self) -> list[int]:
        """Return where each cue ends, in order."""
        return [end for _, end, _ in self.cue_spans]

    @cached_property
    def clause_ends(self) -> list[int]:
        """Return where clauses end: punctuation, and the boundary words of negation."""
        ends = self.note.clause_ends
        if self._cues is not None and self._cues.boundaries is not None:
            words = [span.start for span in self._cues.boundaries.spans(self.note)]
            ends = sorted(ends + words)
        return ends

    @cached_property
    def speaker_spans(self) -> list[tuple[int, int, bool]]:
        """Return each speaker of the note, and whether it is a third party.

        A client speaker right after an ``addressed`` word is spoken to: it is left out.
        """
        if self._speakers is None:
            return []
        return [
            (s.start, s.end, s.term in self._third)
            for s in self._speakers.spans(self.note)
            if s.term in self._third or self._word_before(s.start) not in self._addressed
        ]

    def _word_before(self, position: int) -> str:
        """Return the folded word before ``position`` ('' at the start of the note)."""
        index = bisect_left(self.note.word_starts, position) - 1
        if index < 0 or not self._addressed:
            return ""
        word = _WORD.match(self.note.folded, self.note.word_starts[index])
        return word.group() if word else ""

    @cached_property
    def speaker_ends(self) -> list[int]:
        """Return where each speaker ends, in order."""
        return [end for _, end, _ in self.speaker_spans]

    def negation(self, span: _Span, languages: frozenset[str]) -> _Why | None:
        """Return the cue that cancels a match: shortly before its head, in its clause.

        A term that itself starts with a cue (*never listens*, *nem hajlandó*) is not
        negated again: *soha nem hallgat ránk* still means he never listens.
        """
        if self._cues is None:
            return None
        position = span.parts[0][0]
        index = bisect_right(self.cue_ends, position) - 1
        if index + 1 < len(self.cue_spans) and self.cue_spans[index + 1][0] == position:
            return None  # the term starts with a negation: "soha nem" is no double negative
        while index >= 0:
            start, end, cue_languages = self.cue_spans[index]
            if position - end > _CUE_REACH:
                return None
            if not any(s <= start and end <= e for s, e in span.parts):
                clause = bisect_left(self.clause_ends, end)
                if clause < len(self.clause_ends) and self.clause_ends[clause] < position:
                    return None
                if self.note.words_between(end, position) > self._cues.window:
                    return None
                if _QUOTE.search(self.note.folded, end, position) or self.asked(start):
                    return None
                if cue_languages & languages:
                    return _Why("negated", start, end)
            index -= 1
        return None

    @cached_property
    def _asking(self) -> list[int]:
        """Return where the words start that make a question one put to us (*you*, *ti*)."""
        if self._cues is None or self._cues.questions is None:
            return []
        return [span.start for span in self._cues.questions.spans(self.note)]

    def asked(self, position: int) -> bool:
        """Tell whether ``position`` is in a question put to us (``?`` and a *you* word)."""
        if not self._asking:
            return False
        ends, folded = self.note.sentence_ends, self.note.folded
        sentence = bisect_left(ends, position)
        if sentence == len(ends) or "?" not in folded[ends[sentence] : ends[sentence] + 3]:
            return False
        start = ends[sentence - 1] if sentence else 0
        index = bisect_left(self._asking, start)
        return index < len(self._asking) and self._asking[index] < ends[sentence]

    def reported(self, span: _Span) -> _Why | None:
        """Return the third party whose words a match reports: the nearest speaker before it."""
        index = bisect_right(self.speaker_ends, span.start) - 1
        if index < 0:
            return None
        start, end, third = self.speaker_spans[index]
        if third and self.note.same_sentence(end, span.start):
            return _Why("reported", start, end)
        return None


class _Harmless:
    """The harmless phrases of one list in a note, asked whether one shares a match's sentence."""

    def __init__(self, terms: _TermSet, note: _Note):
        self._note = note
        self._spans = terms.spans(note)
        self._starts = [span.start for span in self._spans]

    def near(self, position: int) -> _Span | None:
        """Return a harmless phrase in the sentence at ``position`` (the nearest), or None."""
        index = bisect_right(self._starts, position)
        for near in (index - 1, index):
            if 0 <= near < len(self._spans):
                if self._note.same_sentence(self._starts[near], position):
                    return self._spans[near]
        return None


def _compile_negation(negation: Negation) -> _Cues:
    """Return negation compiled; raise ValueError naming the first invalid cue."""
    entries = [(cue, language) for language, cues in negation.cues.items() for cue in cues]
    others = [*negation.exclude, *negation.boundaries, *negation.questions]
    for cue in [cue for cue, _ in entries] + others:
        problem = check_term(cue, parts=False)
        if problem:
            raise ValueError(f"negation cue {cue!r}: {problem}")
    problem = check_window(negation.window)
    if problem:
        raise ValueError(f"window of negation: {problem}")
    cues = _TermSet([cue for cue, _ in entries])
    return _Cues(
        cues=cues,
        languages=_languages(cues, [language for _, language in entries]),
        not_cues=_TermSet(negation.exclude) if negation.exclude else None,
        boundaries=_TermSet(negation.boundaries) if negation.boundaries else None,
        window=negation.window,
        questions=_TermSet(negation.questions) if negation.questions else None,
    )


def _compile_speakers(speakers: Speakers | None) -> tuple[_TermSet | None, set[int]]:
    """Return the speakers as one term set, and the indexes of the third parties in it."""
    if speakers is None:
        return None, set()
    third = [phrase for phrases in speakers.third_party.values() for phrase in phrases]
    client = [phrase for phrases in speakers.client.values() for phrase in phrases]
    for phrase in third + client:
        problem = check_term(phrase, parts=False)
        if problem:
            raise ValueError(f"speaker {phrase!r}: {problem}")
    if not third:
        return None, set()
    return _TermSet(third + client), set(range(len(third)))


def _addressed_words(speakers: Speakers | None) -> frozenset[str]:
    """Return the folded ``addressed`` words of the speakers; raise ValueError on a bad one."""
    words = [word for found in (speakers.addressed if speakers else {}).values() for word in found]
    for word in words:
        problem = check_addressed(word)
        if problem:
            raise ValueError(f"addressed word {word!r}: {problem}")
    return frozenset(fold(word) for word in words)
