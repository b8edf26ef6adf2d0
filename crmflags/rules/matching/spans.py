"""Where a set of terms matches in a note: phrases by trie, ``+`` terms part by part."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence

from crmflags.rules.matching.notes import _Note, _Span
from crmflags.rules.matching.patterns import (
    _JOIN,
    _WORD_CHAR,
    _group,
    _key,
    _parts,
    _steps,
    _trie,
    _variants,
)
from crmflags.rules.matching.terms import DEFAULT_WINDOW, MAX_SENTENCES, WHOLE_NOTE


class _TermSet:
    """Terms compiled for searching folded text.

    Phrases are one trie; ``+`` terms are found part by part and joined where all parts
    are within ``window`` words of the rarest one, in one sentence (or ``sentences``
    neighbouring ones, or anywhere in the note: :data:`WHOLE_NOTE`), without overlapping.
    A pattern is tried only where a word of the note starts like one of its terms (the
    prefilter); phrases that start with a sign rather than a letter are searched whole.
    """

    def __init__(
        self, terms: Sequence[str], window: int = DEFAULT_WINDOW, sentences: int | str = 1
    ):
        #: None: the parts of a + term may stand anywhere in the note.
        self.window: int | None = None if sentences == WHOLE_NOTE else window
        self.sentences = sentences if isinstance(sentences, int) else MAX_SENTENCES
        self.alike: dict[int, list[int]] = {i: [i] for i in range(len(terms))}
        # (phrase, term) for every phrase a term without + stands for.
        phrases = [
            (variant, i)
            for i, term in enumerate(terms)
            if _JOIN not in term.split()
            for variant in _variants(term)
        ]
        worded = [(variant, i) for variant, i in phrases if _WORD_CHAR.match(_steps(variant))]
        self._phrases = [
            self._compile(worded),
            self._compile([entry for entry in phrases if entry not in worded]),
        ]
        self._keys = frozenset(_key(variant) for variant, _ in worded)
        part_ids: dict[tuple[str, ...], int] = {}  # the steps of a part's phrases -> its number
        joined: list[tuple[int, tuple[int, ...]]] = []
        for index, term in enumerate(terms):
            if _JOIN in term.split():
                steps = [tuple(sorted({_steps(v) for v in _variants(p)})) for p in _parts(term)]
                ids = tuple(part_ids.setdefault(part, len(part_ids)) for part in steps)
                joined.append((index, ids))
        # A part's steps are phrases of their own: folding them again changes nothing.
        self._part_patterns = [_trie(steps)[0] for steps in part_ids]
        self._part_keys = [frozenset(_key(step) for step in steps) for steps in part_ids]
        self._part_worded = [all(_WORD_CHAR.match(step) for step in steps) for steps in part_ids]
        # Each + term is tried only where the note has a word like its first part's.
        self._joined_by_key: dict[str, list[tuple[int, tuple[int, ...]]]] = {}
        for number, ids in joined:
            for key in self._part_keys[ids[0]]:
                self._joined_by_key.setdefault(key, []).append((number, ids))

    def _compile(self, phrases: list[tuple[str, int]]) -> tuple[re.Pattern[str], list[int]] | None:
        """Return ``(pattern, term index per group)`` of ``(phrase, term)`` pairs, or None."""
        if not phrases:
            return None
        pattern, alike = _trie([phrase for phrase, _ in phrases])
        indexes = [term for _, term in phrases]
        for first, same in alike.items():
            merged = self.alike[indexes[first]]
            merged.extend(t for t in dict.fromkeys(indexes[i] for i in same) if t not in merged)
        return pattern, indexes

    def spans(self, note: _Note) -> list[_Span]:
        """Return every match in the note's folded text, in text order."""
        found: list[_Span] = []
        worded, loose = self._phrases
        if worded is not None:
            pattern, indexes = worded
            for match in _matches(pattern, note, note.starts_like(self._keys)):
                start, end = match.span()
                found.append(_Span(start, end, indexes[_group(match)], ((start, end),)))
        if loose is not None:
            pattern, indexes = loose
            for match in pattern.finditer(note.folded):
                start, end = match.span()
                found.append(_Span(start, end, indexes[_group(match)], ((start, end),)))
        if self._joined_by_key:
            self._joined_spans(note, found)
        if len(found) > 1:
            found.sort()
        return found

    def _joined_spans(self, note: _Note, found: list[_Span]) -> None:
        """Add the matches of the ``+`` terms to ``found``."""
        starts = note.starts
        places: dict[int, list[tuple[int, int]]] = {}
        keys = self._joined_by_key.keys() & starts.keys()
        for term, ids in sorted({joined for key in keys for joined in self._joined_by_key[key]}):
            if not all(
                not self._part_worded[i] or not self._part_keys[i].isdisjoint(starts.keys())
                for i in ids
            ):
                continue
            for i in ids:
                if i not in places:
                    places[i] = self._part_places(note, i)
            found.extend(
                _joined_spans(note, term, [places[i] for i in ids], self.window, self.sentences)
            )

    def _part_places(self, note: _Note, part: int) -> list[tuple[int, int]]:
        """Return where one part of the ``+`` terms matches."""
        pattern = self._part_patterns[part]
        if not self._part_worded[part]:
            return [match.span() for match in pattern.finditer(note.folded)]
        return [
            match.span()
            for match in _matches(pattern, note, note.starts_like(self._part_keys[part]))
        ]


def _matches(pattern: re.Pattern[str], note: _Note, starts: list[int]) -> Iterator[re.Match[str]]:
    """Yield the matches of ``pattern`` at ``starts`` that do not overlap, as finditer would."""
    reached = -1
    for start in starts:
        if start < reached:
            continue
        match = pattern.match(note.folded, start)
        if match is not None:
            reached = match.end()
            yield match


def _joined_spans(
    note: _Note,
    term: int,
    places: list[list[tuple[int, int]]],
    window: int | None,
    sentences: int,
) -> list[_Span]:
    """Return where all parts of a ``+`` term are near each other; ``places`` per part."""
    if not all(places):
        return []
    rarest = min(range(len(places)), key=lambda i: len(places[i]))
    found = []
    for anchor in places[rarest]:
        chosen = {rarest: anchor}
        for index, spans in enumerate(places):
            if index != rarest:
                near = _nearest(note, spans, anchor, list(chosen.values()), window, sentences)
                if near is None:
                    break
                chosen[index] = near
        else:
            parts = tuple(chosen[i] for i in range(len(places)))
            found.append(_Span(min(s for s, _ in parts), max(e for _, e in parts), term, parts))
    return found


def _nearest(
    note: _Note,
    spans: list[tuple[int, int]],
    anchor: tuple[int, int],
    taken: list[tuple[int, int]],
    window: int | None,
    sentences: int,
) -> tuple[int, int] | None:
    """Return the span nearest ``anchor`` within ``window`` words and its sentence (or
    ``sentences`` neighbouring ones; with ``window`` None, anywhere in the note), or None.

    Spans overlapping one already ``taken`` are passed over.
    """
    middle = bisect_left(spans, anchor)
    best, best_words = None, len(note.word_starts) + 1 if window is None else window + 1
    for step, index in ((-1, middle - 1), (1, middle)):
        while 0 <= index < len(spans):
            span = spans[index]
            low, high = sorted((span[0], anchor[0]))
            words = note.words_between(low, high)
            if window is not None and (
                words > window or not note.same_sentence(span[0], anchor[0], sentences)
            ):
                break
            if not any(s < span[1] and span[0] < e for s, e in taken):
                if words < best_words:
                    best, best_words = span, words
                break
            index += step
    return best


class _Covers:
    """Spans of exclude terms, asked whether one covers a match (linear: sorted, running max)."""

    def __init__(self, spans: list[_Span]):
        self._spans = spans
        self._starts = [span.start for span in spans]
        # Per span, the one ending furthest among it and those starting before it.
        self._furthest: list[int] = []
        for index, span in enumerate(spans):
            best = self._furthest[-1] if self._furthest else index
            self._furthest.append(index if span.end > spans[best].end else best)

    def covering_any(self, parts: tuple[tuple[int, int], ...]) -> _Span | None:
        """Return an exclude span over one of a match's parts, or None."""
        for start, end in parts:
            span = self.covering(start, end)
            if span is not None:
                return span
        return None

    def covering(self, start: int, end: int) -> _Span | None:
        """Return an exclude span over ``start..end`` (or more), or None."""
        index = bisect_right(self._starts, start) - 1
        if index < 0:
            return None
        span = self._spans[self._furthest[index]]
        return span if span.end >= end else None


def _covers(terms: _TermSet | None, note: _Note) -> _Covers | None:
    """Return the spans of ``terms`` in the note, ready to ask what they cover."""
    return None if terms is None else _Covers(terms.spans(note))


def _languages(terms: _TermSet, languages: list[str]) -> tuple[frozenset[str], ...]:
    """Return per term the languages of every term that folds like it."""
    return tuple(
        frozenset(languages[i] for i in terms.alike.get(index, [index]))
        for index in range(len(languages))
    )
