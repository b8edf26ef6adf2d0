"""The term matcher: term lists compiled once, each note's matches and why some do not count."""

from __future__ import annotations

from dataclasses import dataclass

from crmflags.rules.matching.context import (
    _WHY,
    _addressed_words,
    _compile_negation,
    _compile_speakers,
    _Context,
    _Harmless,
    _Why,
)
from crmflags.rules.matching.index import ListSteps, TermIndex
from crmflags.rules.matching.notes import _Note, _Span
from crmflags.rules.matching.patterns import _JOIN, _parts, _steps, _variants
from crmflags.rules.matching.spans import _covers, _languages, _TermSet
from crmflags.rules.matching.terms import (
    Negation,
    Speakers,
    TermList,
    TextMatch,
    check_sentences,
    check_term,
    check_window,
)

#: A text is matched on its first this many characters (a note of 200 MB is a mistake
#: or an attack, and a person wrote what matters at its start).
MAX_TEXT_CHARS = 1_000_000


@dataclass(frozen=True)
class _CompiledList:
    """One term list compiled: its terms, the language(s) of each, its exclude and harmless."""

    name: str
    terms: _TermSet
    entries: tuple[tuple[str, str], ...]
    languages: tuple[frozenset[str], ...]
    exclude: _TermSet | None
    harmless: _TermSet | None
    quoted: bool = False


#: How many texts, and up to how long, :meth:`TermMatcher.first_matches` remembers.
REMEMBERED_TEXTS = 4096
REMEMBERED_CHARS = 2000


class TermMatcher:
    """Term lists compiled once, for searching many texts.

    ``negation`` and ``speakers`` (optional) cancel matches that a cue negates or that
    report a third party's words.
    """

    def __init__(
        self,
        lists: list[TermList],
        negation: Negation | None = None,
        speakers: Speakers | None = None,
    ):
        for term_list in lists:
            _check_list(term_list)
        self._term_lists = lists
        # A list is compiled when a note first may match it; most notes match none, and
        # the index tells from a note's words which lists it may match.
        self._lists: list[_CompiledList | None] = [None] * len(lists)
        self._index = TermIndex([_list_steps(term_list) for term_list in lists])
        self._remembered: dict[str, dict[str, TextMatch]] = {}
        self._cues = _compile_negation(negation) if negation and negation.cues else None
        self._speakers, self._third = _compile_speakers(speakers)
        self._addressed = _addressed_words(speakers)

    def find(self, text: str) -> dict[str, list[TextMatch]]:
        """Return the matches that count in ``text`` per list (lists without one left out)."""
        found = {}
        for name, matches in self.find_all(text).items():
            counted = [match for match in matches if not match.cancelled]
            if counted:
                found[name] = counted
        return found

    def find_all(self, text: str) -> dict[str, list[TextMatch]]:
        """Return every match in ``text`` per list, those that do not count saying why."""
        note, hits = self._hits(text)
        return {
            name: [self._match(note, compiled, span, why) for span, why in found]
            for name, (compiled, found) in hits.items()
        }

    def first_matches(self, text: str) -> dict[str, TextMatch]:
        """Return per list the first match that counts, or else the first one that does not.

        Only these matches are quoted, so only their snippets are made. A text seen
        before (CRMs log the same "Call logged" many times) is answered from memory:
        the last :data:`REMEMBERED_TEXTS` texts up to :data:`REMEMBERED_CHARS` long.
        """
        if len(text) > REMEMBERED_CHARS:
            return self._first_matches(text)
        found = self._remembered.get(text)
        if found is None:
            found = self._remembered[text] = self._first_matches(text)
            if len(self._remembered) > REMEMBERED_TEXTS:
                del self._remembered[next(iter(self._remembered))]
        return dict(found)

    def _first_matches(self, text: str) -> dict[str, TextMatch]:
        """Return what :meth:`first_matches` returns, working it out."""
        note, hits = self._hits(text)
        first = {}
        for name, (compiled, found) in hits.items():
            span, why = next(((s, w) for s, w in found if w is None), found[0])
            first[name] = self._match(note, compiled, span, why)
        return first

    def _hits(self, text: str) -> tuple[_Note, dict]:
        """Return the note and, per list with a match, ``(list, [(span, why or None)])``."""
        note = _Note(text[:MAX_TEXT_CHARS])
        hits: dict[str, tuple[_CompiledList, list]] = {}
        candidates = self._index.candidates(note.folded)
        if not candidates:
            return note, hits
        context = _Context(note, self._cues, self._speakers, self._third, self._addressed)
        for number in candidates:
            compiled = self._compiled(number)
            spans = compiled.terms.spans(note)
            if compiled.quoted:
                spans = [span for span in spans if note.quoted(span.start)]
            if not spans:
                continue
            excluded = _covers(compiled.exclude, note)
            harmless = _Harmless(compiled.harmless, note) if compiled.harmless else None
            found = []
            for span in spans:
                cover = excluded.covering_any(span.parts) if excluded else None
                near = harmless.near(span.start) if harmless else None
                why: _Why | None
                if cover is not None:
                    why = _Why("excluded", cover.start, cover.end)
                elif near is not None:
                    why = _Why("harmless", near.start, near.end)
                else:
                    why = _context_why(context, compiled, span)
                found.append((span, why))
            hits[compiled.name] = (compiled, found)
        return note, hits

    def _compiled(self, number: int) -> _CompiledList:
        """Return list ``number`` compiled, compiling it the first time it is asked for."""
        compiled = self._lists[number]
        if compiled is None:
            compiled = self._lists[number] = _build_list(self._term_lists[number])
        return compiled

    @staticmethod
    def _match(note: _Note, compiled: _CompiledList, span: _Span, why: _Why | None) -> TextMatch:
        term, language = compiled.entries[span.term]
        cancelled = "" if why is None else _WHY[why.kind].format(note.words(why.start, why.end))
        return note.match(span, term, language, cancelled)


def _list_steps(term_list: TermList) -> ListSteps:
    """Return the folded steps of a list's phrases and ``+`` terms, for the index."""
    terms = [term for terms in term_list.terms.values() for term in terms]
    return ListSteps(
        phrases=tuple(
            _steps(variant)
            for term in terms
            if _JOIN not in term.split()
            for variant in _variants(term)
        ),
        joined=tuple(
            tuple(tuple(sorted({_steps(v) for v in _variants(part)})) for part in _parts(term))
            for term in terms
            if _JOIN in term.split()
        ),
    )


def _context_why(context: _Context, compiled: _CompiledList, span: _Span) -> _Why | None:
    """Return the negation or third party that cancels a match, or None.

    The parts of a whole-note term stand in sentences of their own: each is asked, and
    one negated, reported or harmless part cancels the match (*we suggested a test
    week... no blame anywhere*). Within a window only the first part is asked, as a
    negation inside a later part is often the behaviour itself (*never signed off*).
    """
    languages = compiled.languages[span.term]
    if compiled.terms.window is not None or len(span.parts) == 1:
        return context.negation(span, languages) or context.reported(span)
    harmless = _Harmless(compiled.harmless, context.note) if compiled.harmless else None
    for start, end in span.parts:
        part = _Span(start, end, span.term, ((start, end),))
        near = harmless.near(start) if harmless else None
        if near is not None:
            return _Why("harmless", near.start, near.end)
        why = context.negation(part, languages) or context.reported(part)
        if why is not None:
            return why
    return None


def _check_list(term_list: TermList) -> None:
    """Raise ValueError naming the first invalid term, window or sentences of a list."""
    entries = [term for terms in term_list.terms.values() for term in terms]
    for term in entries + list(term_list.exclude) + list(term_list.harmless):
        problem = check_term(term)
        if problem:
            raise ValueError(f"term {term!r} in {term_list.name}: {problem}")
    problem = check_window(term_list.window)
    if problem:
        raise ValueError(f"window of {term_list.name}: {problem}")
    problem = check_sentences(term_list.sentences)
    if problem:
        raise ValueError(f"sentences of {term_list.name}: {problem}")


def _build_list(term_list: TermList) -> _CompiledList:
    """Return a term list compiled (checked beforehand by :func:`_check_list`)."""
    entries = [(term, language) for language, terms in term_list.terms.items() for term in terms]
    terms = _TermSet([term for term, _ in entries], term_list.window, term_list.sentences)
    return _CompiledList(
        name=term_list.name,
        terms=terms,
        entries=tuple(entries),
        languages=_languages(terms, [language for _, language in entries]),
        exclude=_TermSet(term_list.exclude, term_list.window) if term_list.exclude else None,
        harmless=_TermSet(term_list.harmless, term_list.window) if term_list.harmless else None,
        quoted=term_list.quoted,
    )
