"""A note as matching sees it: folded once, with its words, sentences, clauses and quotes."""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from functools import cached_property
from typing import NamedTuple

from crmflags.rules.matching.patterns import _KEY_LETTERS, _WORD
from crmflags.rules.matching.terms import TextMatch
from crmflags.text import _FOLD_TABLE, _UNEVEN_TABLE, SNIPPET_CONTEXT, _snippet, _text_bounds, fold

#: How far (characters) a sentence reaches from a match: harmless phrases and speakers
#: further away do not count, however long the sentence runs.
SENTENCE_REACH = 300

#: A sentence ends at . ! ? ; followed by a space or the end, or at a line break.
_SENTENCE_END = re.compile(r"[.!?;]+(?=\s|$)|\n")
#: A clause (a negation's reach) also ends at a comma, colon, bracket or spaced dash.
_CLAUSE_END = re.compile(r"[.!?;]+(?=\s|$)|[\n,:()\[\]]|\s[-\u2013\u2014]\s")
#: A quotation mark: a double one, or a single one not between two letters (*don't*).
_QUOTE = re.compile(r"[\"\u201c\u201d\u201e\u00ab\u00bb]|(?<!\w)'|'(?!\w)")
#: Marks that may open a quote, and marks that may close one (a single quote opens
#: before a word and closes after one: *'my nephew does this for fun,' he said*).
_OPENS = re.compile(r"[\"\u201c\u201e\u00ab]|(?<!\w)'(?=\w)")
_CLOSES = re.compile(r"[\"\u201c\u201d\u00bb]|(?<=\S)'(?!\w)")


class _Note:
    """A text, its folded form, and what matching asks of it, each worked out once."""

    def __init__(self, text: str):
        self.text = text
        self.folded = fold(text)

    @cached_property
    def starts(self) -> dict[str, list[int]]:
        """Return, per key (:func:`_key`) a word starts with, where such words start."""
        found: dict[str, list[int]] = {}
        short = None  # the previous word, while it is shorter than a key
        for match in _WORD.finditer(self.folded):
            word, start = match.group(), match.start()
            for size in range(1, min(len(word), _KEY_LETTERS) + 1):
                found.setdefault(word[:size], []).append(start)
            if short is not None:
                found.setdefault(f"{short[0]} {word[:_KEY_LETTERS]}", []).append(short[1])
            short = (word, start) if len(word) < _KEY_LETTERS else None
        return found

    def starts_like(self, keys: frozenset[str]) -> list[int]:
        """Return, in order, where the words start that begin with one of ``keys``."""
        starts = self.starts
        places = [starts[key] for key in keys.intersection(starts)]
        if len(places) == 1:
            return places[0]
        return sorted({start for found in places for start in found})

    @cached_property
    def word_starts(self) -> array:
        """Return where each word of the folded text starts."""
        return array("q", (m.start() for m in _WORD.finditer(self.folded)))

    @cached_property
    def sentence_ends(self) -> list[int]:
        """Return where each sentence of the folded text ends."""
        return [m.start() for m in _SENTENCE_END.finditer(self.folded)]

    @cached_property
    def quotes(self) -> list[tuple[int, int]]:
        """Return where quoted speech is: from an opening mark to the next closing one.

        A quote left open runs to the end of its line.
        """
        quotes, opened = [], None
        for mark in _QUOTE.finditer(self.folded):
            at = mark.start()
            if opened is not None and _CLOSES.match(self.folded, at):
                quotes.append((opened, at))
                opened = None
            elif opened is None and _OPENS.match(self.folded, at):
                opened = at
        if opened is not None:
            line_end = self.folded.find("\n", opened)
            quotes.append((opened, len(self.folded) if line_end < 0 else line_end))
        return quotes

    def quoted(self, position: int) -> bool:
        """Tell whether ``position`` is inside quoted speech."""
        index = bisect_right(self.quotes, (position, len(self.folded))) - 1
        return index >= 0 and self.quotes[index][0] < position < self.quotes[index][1]

    @cached_property
    def clause_ends(self) -> list[int]:
        """Return where each clause of the folded text ends (punctuation only)."""
        return [m.start() for m in _CLAUSE_END.finditer(self.folded)]

    def words_between(self, start: int, end: int) -> int:
        """Return how many words start in ``folded[start:end]``."""
        return bisect_left(self.word_starts, end) - bisect_left(self.word_starts, start)

    def sentence_of(self, position: int) -> int:
        """Return the number of the sentence a position is in."""
        return bisect_left(self.sentence_ends, position)

    def same_sentence(self, a: int, b: int, sentences: int = 1) -> bool:
        """Tell whether two positions are in one sentence and within its reach of each other.

        With ``sentences`` above 1, they may be that many neighbouring sentences apart.
        """
        if abs(a - b) > SENTENCE_REACH * sentences:
            return False
        return abs(self.sentence_of(a) - self.sentence_of(b)) < sentences

    @cached_property
    def _origins(self) -> array | None:
        """Return, per folded character, the index of the original character it came from.

        None when every character folded to exactly one: positions are then the same.
        """
        if self.text.isascii() or not self.text.translate(_UNEVEN_TABLE):
            return None
        origins = array("q")
        for index, char in enumerate(self.text):
            origins.extend([index] * len(_FOLD_TABLE[ord(char)]))
        origins.append(len(self.text))
        return origins

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Return the span of the original text that folded into ``folded[start:end]``.

        The end takes in combining marks that folded away after the last character; a
        span ending inside one character's expansion (``ß`` → ``ss``) takes that character.
        """
        origins = self._origins
        if origins is None:
            return start, end
        return origins[start], max(origins[end], origins[end - 1] + 1)

    def words(self, start: int, end: int) -> str:
        """Return the original words that folded into ``folded[start:end]``."""
        first, last = self.original_span(start, end)
        return self.text[first:last]

    @cached_property
    def _bounds(self) -> tuple[int, int]:
        """Return where the text's first non-blank character is, and where its last one ends."""
        return _text_bounds(self.text)

    def match(self, span: _Span, term: str, language: str, cancelled: str) -> TextMatch:
        """Return the match at a folded span with its original words and snippet."""
        first, last = self.original_span(span.start, span.end)
        return TextMatch(
            term=term,
            language=language,
            words=self.text[first:last],
            snippet=_snippet(self.text, first, last, SNIPPET_CONTEXT, self._bounds),
            cancelled=cancelled,
        )


class _Span(NamedTuple):
    """Where a term matched in folded text: its whole span, the term, its parts' spans."""

    start: int
    end: int
    term: int
    parts: tuple[tuple[int, int], ...]
