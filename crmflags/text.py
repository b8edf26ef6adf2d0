"""Find a ruleset's term lists in note text, in English, Hungarian, Finnish and Latvian.

Terms and text are compared folded (:func:`fold`): case-insensitive and
accent-insensitive, so ``ügyvéd`` also matches a note typed as ``UGYVED``. Each term
list is compiled into one regular expression; a match never starts or ends inside a
word, and is reported with the words as the note wrote them and their context.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

#: The languages term lists are written in.
LANGUAGES = ("en", "hu", "fi", "lv")

#: Characters of original context shown on each side of a match in a snippet.
SNIPPET_CONTEXT = 40

_STEM_LETTERS = 3
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})
_WORD_CHAR = re.compile(r"\w")


@dataclass(frozen=True)
class TermList:
    """Named terms per language, and the words that must never count as a match.

    A term is a word (``court``), a stem with ``*`` that matches any word starting with
    it (``idiót*`` matches ``idiótának``), or a phrase of such words (``shut up``,
    ``haasta* oikeu*``). Matching ignores case and accents and never starts inside a word.
    """

    name: str
    description: str = ""
    terms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class TextMatch:
    """One place a term list matched: the term, the words as written, and their context."""

    term: str
    language: str
    words: str
    snippet: str


def fold(text: str) -> str:
    """Return ``text`` casefolded, compatibility-decomposed and without combining marks.

    ``Ügyvéd`` becomes ``ugyved``, ``Straße`` becomes ``strasse``; typographic
    apostrophes become ``'``.
    """
    return "".join(_fold_char(char) for char in text)


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    """Return the folded form of one character (possibly empty, possibly longer)."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", char).casefold())
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return kept.translate(_APOSTROPHES)


def check_term(term: str) -> str | None:
    """Return what is wrong with a term as written, or None if it is fine."""
    words = term.split()
    if not words:
        return "empty term"
    for word in words:
        stem = word.removesuffix("*")
        if "*" in stem:
            return "'*' may only end a word"
        if not _WORD_CHAR.search(fold(stem)):
            return f"{word!r} needs a letter or digit"
        if word.endswith("*") and len(fold(stem)) < _STEM_LETTERS:
            return f"a stem needs at least {_STEM_LETTERS} letters before '*'"
    return None


def term_pattern(term: str) -> str:
    """Return the regular expression, on folded text, of a valid term."""
    words = [_word_pattern(word) for word in term.split()]
    return r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)"


def _word_pattern(word: str) -> str:
    """Return the pattern of one term word: literal, or a stem when it ends in ``*``."""
    if word.endswith("*"):
        return re.escape(fold(word[:-1])) + r"\w*"
    return re.escape(fold(word))


def _compile(terms: list[str]) -> re.Pattern[str] | None:
    """Return one alternation of ``terms`` (group ``t<i>`` is ``terms[i]``), or None if empty.

    Phrases come before single words and longer terms before shorter ones, so the
    longest reading wins where terms start alike.
    """
    if not terms:
        return None
    order = sorted(range(len(terms)), key=lambda i: (-len(terms[i].split()), -len(terms[i])))
    return re.compile("|".join(f"(?P<t{i}>{term_pattern(terms[i])})" for i in order))


class _FoldedText:
    """A text, its folded form, and the way back from folded to original positions."""

    def __init__(self, text: str):
        self.text = text
        if text.isascii():
            self.folded = text.lower()
            self._origins: list[int] | None = None
            return
        parts: list[str] = []
        origins: list[int] = []
        for index, char in enumerate(text):
            folded = _fold_char(char)
            parts.append(folded)
            origins.extend([index] * len(folded))
        origins.append(len(text))
        self.folded = "".join(parts)
        self._origins = origins

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Return the span of the original text that folded into ``folded[start:end]``.

        The end takes in combining marks that folded away after the last character; a
        span ending inside one character's expansion (``ß`` → ``ss``) takes that character.
        """
        if self._origins is None:
            return start, end
        first = self._origins[start]
        last = max(self._origins[end], self._origins[end - 1] + 1)
        return first, last


@dataclass(frozen=True)
class _CompiledList:
    """One term list as a pattern, with the term and language behind each group."""

    name: str
    pattern: re.Pattern[str] | None
    entries: tuple[tuple[str, str], ...]
    exclude: re.Pattern[str] | None

    def spans(self, folded: str) -> list[tuple[int, int, str, str]]:
        """Return ``(start, end, term, language)`` of each match in folded text, not excluded."""
        if self.pattern is None:
            return []
        found = []
        excluded: list[tuple[int, int]] | None = None
        for match in self.pattern.finditer(folded):
            start, end = match.span()
            if self.exclude is not None:
                if excluded is None:
                    excluded = [m.span() for m in self.exclude.finditer(folded)]
                if any(s <= start and end <= e for s, e in excluded):
                    continue
            term, language = self.entries[int(match.lastgroup[1:])]
            found.append((start, end, term, language))
        return found


class TermMatcher:
    """Term lists compiled once, for searching many texts."""

    def __init__(self, lists: list[TermList]):
        self._lists = [_compile_list(term_list) for term_list in lists]

    def find(self, text: str) -> dict[str, list[TextMatch]]:
        """Return the matches in ``text`` per term list name (lists without a match left out)."""
        source = _FoldedText(text)
        result: dict[str, list[TextMatch]] = {}
        for compiled in self._lists:
            matches = [
                _text_match(source, start, end, term, language)
                for start, end, term, language in compiled.spans(source.folded)
            ]
            if matches:
                result[compiled.name] = matches
        return result


def _compile_list(term_list: TermList) -> _CompiledList:
    """Return a term list compiled; raise ValueError naming the first invalid term."""
    entries = [(term, language) for language, terms in term_list.terms.items() for term in terms]
    for term in [term for term, _ in entries] + list(term_list.exclude):
        problem = check_term(term)
        if problem:
            raise ValueError(f"term {term!r} in {term_list.name}: {problem}")
    return _CompiledList(
        name=term_list.name,
        pattern=_compile([term for term, _ in entries]),
        entries=tuple(entries),
        exclude=_compile(list(term_list.exclude)),
    )


def _text_match(source: _FoldedText, start: int, end: int, term: str, language: str) -> TextMatch:
    """Return the match at ``folded[start:end]`` with its original words and snippet."""
    first, last = source.original_span(start, end)
    return TextMatch(
        term=term,
        language=language,
        words=source.text[first:last],
        snippet=snippet(source.text, first, last),
    )


def snippet(text: str, start: int, end: int, context: int = SNIPPET_CONTEXT) -> str:
    """Return ``text[start:end]`` with about ``context`` characters around it on one line.

    Context is cut at word boundaries, whitespace (newlines too) becomes single spaces,
    and ``…`` marks each side where text was left out.
    """
    before, cut_before = _context_before(text, start, context)
    after, cut_after = _context_after(text, end, context)
    middle = " ".join((before + text[start:end] + after).split())
    return ("…" if cut_before else "") + middle + ("…" if cut_after else "")


def _context_before(text: str, start: int, context: int) -> tuple[str, bool]:
    """Return up to ``context`` characters before ``start`` without a partial first word."""
    begin = max(0, start - context)
    if begin > 0 and not text[begin - 1].isspace():
        while begin < start and not text[begin].isspace():
            begin += 1
    return text[begin:start], bool(text[:begin].strip())


def _context_after(text: str, end: int, context: int) -> tuple[str, bool]:
    """Return up to ``context`` characters after ``end`` without a partial last word."""
    finish = min(len(text), end + context)
    if finish < len(text) and not text[finish].isspace():
        while finish > end and not text[finish - 1].isspace():
            finish -= 1
    return text[end:finish], bool(text[finish:].strip())
