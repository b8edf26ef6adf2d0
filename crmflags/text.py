"""Find a ruleset's term lists in note text, in English, Hungarian, Finnish and Latvian.

Terms and text are compared folded (:func:`fold`): case-insensitive and
accent-insensitive, so ``ügyvéd`` also matches a note typed as ``UGYVED``. A term is a
word, a stem (``idiót*``), a phrase of such words (``shut up``), or parts joined by
``+`` that may come in any order within a few words of each other in one sentence
(``ignor* + advice*``). A match never starts or ends inside a word.

A match counts against the client unless its context cancels it, and then the match
says why (:attr:`TextMatch.cancelled`):

* an ``exclude`` term of its list covers it (a false friend: *food court*);
* a ``harmless`` phrase of its list is in the same sentence (*before signing*);
* a negation cue of its language comes shortly before it in the same clause
  (*not urgent*, *nem sürgős*, *ei kiireellinen*, *nav steidzami*);
* the nearest speaker before it in the sentence is a third party (*their previous
  agency called them idiots*), not the client (*he called my colleague an idiot*).

Each term list is compiled, when a note first may match it, into one regular expression
shaped as a trie of its terms (``+`` terms are found part by part). A note's words tell
which lists it may match (:mod:`crmflags.termindex`); a list is searched only in those
notes, and there only where the note has a word starting like one of its terms. Work
and memory are linear in the length of the text, of which at most
:data:`MAX_TEXT_CHARS` characters are read.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from html.parser import HTMLParser
from typing import NamedTuple

from crmflags.termindex import ListSteps, TermIndex

#: The languages term lists are written in.
LANGUAGES = ("en", "hu", "fi", "lv")

#: Characters of original context shown on each side of a match in a snippet.
SNIPPET_CONTEXT = 40

#: A text is matched on its first this many characters (a note of 200 MB is a mistake
#: or an attack, and a person wrote what matters at its start).
MAX_TEXT_CHARS = 1_000_000

#: Words a ``+`` term's parts may be apart, unless its list says otherwise.
DEFAULT_WINDOW = 6
#: The widest window a list or negation may set.
MAX_WINDOW = 20
#: The most sentences a list may let the parts of a ``+`` term span.
MAX_SENTENCES = 3
#: The ``sentences`` of a list whose ``+`` terms' parts may stand anywhere in one note.
WHOLE_NOTE = "note"
#: Words a negation cue may stand before the word it cancels.
DEFAULT_NEGATION_WINDOW = 3
#: How far (characters) a sentence reaches from a match: harmless phrases and speakers
#: further away do not count, however long the sentence runs.
SENTENCE_REACH = 300

_STEM_LETTERS = 3
_KEY_LETTERS = 3
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})
_WORD_CHAR = re.compile(r"\w")
_WORD = re.compile(r"\w+")
_NON_SPACE = re.compile(r"\S")
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
#: Pattern steps other than a literal character: any whitespace, the rest of a word.
_STEPS = {" ": r"\s+", "*": r"\w*"}
_JOIN = "+"
_ALTERNATIVE = "|"
#: The most phrases one part of a term may stand for, its alternatives multiplied out.
MAX_VARIANTS = 256


@dataclass(frozen=True)
class TermList:
    """Named terms per language, and the words and contexts that keep them from counting.

    A term is a word (``court``), a stem with ``*`` that matches any word starting with
    it (``idiót*`` matches ``idiótának``), a phrase of such words (``shut up``,
    ``haasta* oikeu*``), or parts joined by ``+`` that match in any order within
    ``window`` words of each other in one sentence, or in ``sentences`` neighbouring
    ones (``warned + anyway``: *We warned him. He did it anyway.*), or anywhere in
    the note with ``sentences: note`` (for terms whose parts are each specific enough
    that two of them in one note tell the behaviour). Matching
    ignores case and accents and never starts inside a word. A match that an
    ``exclude`` term also matches, over the same words or more (over one of its parts,
    for a ``+`` term), does not count; nor does one in a sentence with a ``harmless``
    phrase. With ``quoted``, a term counts only inside quoted speech: words a client
    says to us (*'you just draw, leave the thinking to me'*) that would be too common
    in the owner's own sentences. ``days`` is how far back a note counts for the list
    (None: the activity window), so that abuse need not fade as fast as a rush request;
    a note carrying one of the list's ``markers`` (the owner's own mark for the same
    behaviour) counts as long as the list's words do.
    """

    name: str
    description: str = ""
    terms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    exclude: tuple[str, ...] = ()
    harmless: tuple[str, ...] = ()
    window: int = DEFAULT_WINDOW
    days: int | None = None
    sentences: int | str = 1
    markers: tuple[str, ...] = ()
    quoted: bool = False


@dataclass(frozen=True)
class Negation:
    """Negation cues per language: a cue shortly before a term of its language cancels it.

    A cue reaches ``window`` words forward within its clause (a comma, colon or a
    ``boundaries`` word such as *but* ends it), and never across a quotation mark: a
    cue outside a quote does not negate the quoted words, nor one inside it the words
    after it. ``exclude`` lists phrases that start like a cue but do not negate (*not
    only*, *nem csak*). In a question put to us (one with a ``questions`` word such as
    *you*, *ti*, *te*, *jūs*), a cue is rhetorical and cancels nothing: *why didn't you
    idiots test it?*
    """

    cues: dict[str, tuple[str, ...]] = field(default_factory=dict)
    exclude: tuple[str, ...] = ()
    boundaries: tuple[str, ...] = ()
    window: int = DEFAULT_NEGATION_WINDOW
    questions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Speakers:
    """Who says or does what a sentence reports, per language.

    A match whose nearest speaker before it in the sentence is a ``third_party`` (the
    client's previous supplier, their own customer) does not count against the client;
    a ``client`` speaker (*he*, *the client*) in between makes it count again, unless
    one of the ``addressed`` words comes right before it: in *their previous agency
    called their manager an idiot*, the manager is spoken to, not speaking.
    """

    third_party: dict[str, tuple[str, ...]] = field(default_factory=dict)
    client: dict[str, tuple[str, ...]] = field(default_factory=dict)
    addressed: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class TextMatch:
    """One place a term list matched: the term, the words as written, and their context.

    ``cancelled`` is empty for a match that counts, and otherwise says why it does not
    (``negated by 'not'``).
    """

    term: str
    language: str
    words: str
    snippet: str
    cancelled: str = ""


def fold(text: str) -> str:
    """Return ``text`` casefolded, compatibility-decomposed and without combining marks.

    ``Ügyvéd`` becomes ``ugyved``, ``Straße`` becomes ``strasse``, and typographic
    apostrophes become ``'``. Each character folds on its own, so positions map back.
    """
    return text.lower() if text.isascii() else text.translate(_FOLD_TABLE)


def _fold_char(char: str) -> str:
    """Return the folded form of one character (possibly empty, possibly longer)."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", char).casefold())
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return kept.translate(_APOSTROPHES)


class _FoldTable(dict):
    """Code point to folded text for ``str.translate``, filled in as characters are seen."""

    def __missing__(self, code_point: int) -> str:
        folded = self[code_point] = _fold_char(chr(code_point))
        return folded


class _UnevenTable(dict):
    """Code point to ``""`` if it folds to one character, else to itself (``ß``, marks)."""

    def __missing__(self, code_point: int) -> str:
        uneven = self[code_point] = "" if len(_FOLD_TABLE[code_point]) == 1 else chr(code_point)
        return uneven


_FOLD_TABLE = _FoldTable()
_UNEVEN_TABLE = _UnevenTable()


def check_term(term: str, parts: bool = True) -> str | None:
    """Return what is wrong with a term as written, or None if it is fine.

    With ``parts`` false (negation cues, speakers), ``+`` may not join parts. A word may
    be alternatives joined by ``|`` (``tell*|told``), each a word or a stem.
    """
    words = term.split()
    if not words:
        return "empty term"
    if _JOIN in words:
        if not parts:
            return "'+' joins the parts of a term-list term; write a phrase here"
        if words[0] == _JOIN or words[-1] == _JOIN or f"{_JOIN} {_JOIN}" in " ".join(words):
            return "'+' must stand between two parts"
    for word in words:
        if word == _JOIN:
            continue
        alternatives = word.split(_ALTERNATIVE)
        if "" in alternatives:
            return f"'{_ALTERNATIVE}' must stand between two alternatives of a word"
        for alternative in alternatives:
            problem = _check_word(alternative)
            if problem:
                return problem
    for part in _parts(term) if parts else [term]:
        variants = 1
        for word in part.split():
            variants *= len(word.split(_ALTERNATIVE))
        if variants > MAX_VARIANTS:
            return f"its alternatives make {variants} phrases, more than {MAX_VARIANTS}"
    return None


def _check_word(word: str) -> str | None:
    """Return what is wrong with one word or stem of a term, or None."""
    stem = word.removesuffix("*")
    if "*" in stem:
        return "'*' may only end a word"
    if word.endswith("*") and len(fold(stem)) < _STEM_LETTERS:
        return f"a stem needs at least {_STEM_LETTERS} letters before '*'"
    if not _WORD_CHAR.search(fold(stem)):
        return f"{word!r} needs a letter or digit"
    return None


def _parts(term: str) -> list[str]:
    """Return the phrases a valid term is made of (one, unless ``+`` joins several)."""
    return [" ".join(part.split()) for part in f" {term} ".split(f" {_JOIN} ")]


def _variants(phrase: str) -> list[str]:
    """Return the phrases a phrase with alternatives stands for: ``tell*|told us`` gives
    ``tell* us`` and ``told us``."""
    variants = [""]
    for word in phrase.split():
        variants = [f"{done} {alt}" for done in variants for alt in word.split(_ALTERNATIVE)]
    return [variant.strip() for variant in variants]


def _steps(phrase: str) -> str:
    """Return a phrase folded, one step a character: ``" "`` between words, ``"*"`` ends a stem."""
    return " ".join(
        fold(word.removesuffix("*")) + ("*" if word.endswith("*") else "")
        for word in phrase.split()
    )


def _key(phrase: str) -> str:
    """Return what the text must start with, at a word, for the phrase to match there.

    That is the first three letters of the phrase's first word or, when the first word
    is shorter (*a*, *no*, *ei*), that word and the first three letters of the next:
    a key that most notes have (*a*) would make the prefilter let every note through.
    """
    words = _steps(phrase).split(" ")
    first = _first_word(words[0])
    if len(first) >= _KEY_LETTERS or first != words[0] or len(words) == 1:
        return first[:_KEY_LETTERS]
    return f"{first} {_first_word(words[1])[:_KEY_LETTERS]}"


def _group(match: re.Match[str]) -> int:
    """Return the number of the phrase a match of a compiled trie matched (its ``_N`` group)."""
    return int(str(match.lastgroup)[1:])


def _first_word(text: str) -> str:
    """Return the first word of ``text`` (the text itself when it has none)."""
    found = _WORD.search(text)
    return found.group() if found else text


def _trie(phrases: Sequence[str]) -> tuple[re.Pattern[str], dict[int, list[int]]]:
    """Return one pattern for ``phrases`` (group ``t<i>`` marks ``phrases[i]``).

    Phrases that fold alike share the first one's group; the second value maps that
    first index to the indexes of all of them (read it, never change it: it is shared).
    """
    return _compiled_trie(tuple(phrases))


@lru_cache(maxsize=8192)
def _compiled_trie(phrases: tuple[str, ...]) -> tuple[re.Pattern[str], dict[int, list[int]]]:
    """:func:`_trie`, compiled once per process: a process that loads the same ruleset
    again (the scheduler of a long-running host, a test suite) does not pay the
    regular-expression compiler again, which is most of a small run's time."""
    root: dict = {}
    alike: dict[int, list[int]] = {}
    for index, phrase in enumerate(phrases):
        node = root
        for step in _steps(phrase):
            node = node.setdefault(step, {})
        first = node.setdefault(None, index)
        alike.setdefault(first, []).append(index)
    return re.compile(r"(?<!\w)" + _trie_pattern(root) + r"(?!\w)"), alike


def _trie_pattern(node: dict) -> str:
    """Return the pattern of a trie node: longer readings first, then the term ending here."""
    # Letters first, then the next word of a phrase, then the rest of a stem.
    steps = sorted((step for step in node if step is not None), key=lambda s: " *".find(s) + 1)
    branches = [_STEPS.get(step, re.escape(step)) + _trie_pattern(node[step]) for step in steps]
    if None in node:
        branches.append(f"(?P<t{node[None]}>)")
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


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


def _covers(terms: _TermSet | None, note: _Note) -> _Covers | None:
    """Return the spans of ``terms`` in the note, ready to ask what they cover."""
    return None if terms is None else _Covers(terms.spans(note))


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


def check_sentences(sentences: object) -> str | None:
    """Return what is wrong with how many sentences a ``+`` term may span, or None."""
    if sentences == WHOLE_NOTE:
        return None
    if (
        not isinstance(sentences, int)
        or isinstance(sentences, bool)
        or not 1 <= sentences <= MAX_SENTENCES
    ):
        return (
            f"sentences is a whole number from 1 to {MAX_SENTENCES}, "
            f"or '{WHOLE_NOTE}' for anywhere in the note"
        )
    return None


def check_window(window: object) -> str | None:
    """Return what is wrong with a window (words), or None if it is fine."""
    if isinstance(window, bool) or not isinstance(window, int) or not 1 <= window <= MAX_WINDOW:
        return f"a window is a whole number of words from 1 to {MAX_WINDOW}"
    return None


def _languages(terms: _TermSet, languages: list[str]) -> tuple[frozenset[str], ...]:
    """Return per term the languages of every term that folds like it."""
    return tuple(
        frozenset(languages[i] for i in terms.alike.get(index, [index]))
        for index in range(len(languages))
    )


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


def check_addressed(word: str) -> str | None:
    """Return what is wrong with an ``addressed`` word of speakers, or None if it is fine."""
    return None if _WORD.fullmatch(fold(word)) else "one word, without '*' or spaces"


def _addressed_words(speakers: Speakers | None) -> frozenset[str]:
    """Return the folded ``addressed`` words of the speakers; raise ValueError on a bad one."""
    words = [word for found in (speakers.addressed if speakers else {}).values() for word in found]
    for word in words:
        problem = check_addressed(word)
        if problem:
            raise ValueError(f"addressed word {word!r}: {problem}")
    return frozenset(fold(word) for word in words)


def snippet(text: str, start: int, end: int, context: int = SNIPPET_CONTEXT) -> str:
    """Return ``text[start:end]`` with about ``context`` characters around it on one line.

    Context is cut at word boundaries, whitespace (newlines too) becomes single spaces,
    and ``…`` marks each side where text was left out.
    """
    return _snippet(text, start, end, context, _text_bounds(text))


def _snippet(text: str, start: int, end: int, context: int, bounds: tuple[int, int]) -> str:
    """Return a snippet, given where the text's non-blank part starts and ends."""
    before, cut_before = _context_before(text, start, context, bounds[0])
    after, cut_after = _context_after(text, end, context, bounds[1])
    middle = " ".join((before + text[start:end] + after).split())
    return ("…" if cut_before else "") + middle + ("…" if cut_after else "")


def _text_bounds(text: str) -> tuple[int, int]:
    """Return where the first non-blank character is and where the last one ends.

    Reads only the blanks at either end, never copying the text.
    """
    first = _NON_SPACE.search(text)
    if first is None:
        return len(text), len(text)
    last = len(text)
    while last > first.start():
        chunk = text[max(first.start(), last - 4096) : last]
        stripped = len(chunk.rstrip())
        if stripped:
            return first.start(), last - len(chunk) + stripped
        last -= len(chunk)
    return first.start(), last


def _context_before(text: str, start: int, context: int, first: int) -> tuple[str, bool]:
    """Return up to ``context`` characters before ``start`` without a partial first word."""
    begin = max(0, start - context)
    if begin > 0 and not text[begin - 1].isspace():
        while begin < start and not text[begin].isspace():
            begin += 1
    return text[begin:start], first < begin


def _context_after(text: str, end: int, context: int, last: int) -> tuple[str, bool]:
    """Return up to ``context`` characters after ``end`` without a partial last word."""
    finish = min(len(text), end + context)
    if finish < len(text) and not text[finish].isspace():
        while finish > end and not text[finish - 1].isspace():
            finish -= 1
    return text[end:finish], last > finish


#: Elements whose content is code or layout, never text a person wrote.
_HIDDEN_ELEMENTS = frozenset({"script", "style"})
#: Elements that start or end a line of text.
_LINE_ELEMENTS = frozenset({"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"})
_BLANKS = re.compile(r"[ \t\r\f\v]+")


def html_to_text(body: str) -> str:
    """Return the text a person reads in an HTML note body, one line per paragraph.

    Tags go; the contents of ``<script>`` and ``<style>`` elements go with them;
    ``<br>``, ``<p>``, ``<div>`` and ``<li>`` break lines; entities are decoded once
    (``&amp;lt;`` stays ``&lt;``). Runs of blanks become one space and empty lines go.
    Plain text without tags comes back as it was, less the extra blanks.
    """
    parser = _TextOfHtml()
    parser.feed(body)
    parser.close()
    lines = (_BLANKS.sub(" ", line).strip() for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


class _TextOfHtml(HTMLParser):
    """Collects the text of an HTML fragment for :func:`html_to_text`."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0  # how deep inside script/style elements the parser is

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN_ELEMENTS:
            self.hidden += 1
        elif tag in _LINE_ELEMENTS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _LINE_ELEMENTS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN_ELEMENTS:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _LINE_ELEMENTS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)
