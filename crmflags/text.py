"""Find a ruleset's term lists in note text, in English, Hungarian, Finnish and Latvian.

Terms and text are compared folded (:func:`fold`): case-insensitive and
accent-insensitive, so ``ügyvéd`` also matches a note typed as ``UGYVED``. Each term
list is compiled into one regular expression, shaped as a trie of its terms so that a
search tries only the terms that start like the text, and one more of all the terms
tells at once that a note matches none. A match never starts or ends inside a word,
and is reported with the words as the note wrote them and their context.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from html.parser import HTMLParser

#: The languages term lists are written in.
LANGUAGES = ("en", "hu", "fi", "lv")

#: Characters of original context shown on each side of a match in a snippet.
SNIPPET_CONTEXT = 40

_STEM_LETTERS = 3
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})
_WORD_CHAR = re.compile(r"\w")
#: Pattern steps other than a literal character: any whitespace, the rest of a word.
_STEPS = {" ": r"\s+", "*": r"\w*"}


@dataclass(frozen=True)
class TermList:
    """Named terms per language, and the words that must never count as a match.

    A term is a word (``court``), a stem with ``*`` that matches any word starting with
    it (``idiót*`` matches ``idiótának``), or a phrase of such words (``shut up``,
    ``haasta* oikeu*``). Matching ignores case and accents and never starts inside a word.
    A match that an ``exclude`` term also matches, over the same words or more, is dropped.
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


_FOLD_TABLE = _FoldTable()


def check_term(term: str) -> str | None:
    """Return what is wrong with a term as written, or None if it is fine."""
    words = term.split()
    if not words:
        return "empty term"
    for word in words:
        stem = word.removesuffix("*")
        if "*" in stem:
            return "'*' may only end a word"
        if word.endswith("*") and len(fold(stem)) < _STEM_LETTERS:
            return f"a stem needs at least {_STEM_LETTERS} letters before '*'"
        if not _WORD_CHAR.search(fold(stem)):
            return f"{word!r} needs a letter or digit"
    return None


def _steps(term: str) -> str:
    """Return a valid term folded, one step a character: ``" "`` between words, ``"*"`` ends a stem."""
    return " ".join(
        fold(word.removesuffix("*")) + ("*" if word.endswith("*") else "") for word in term.split()
    )


def _compile(terms: list[str]) -> re.Pattern[str] | None:
    """Return one pattern for ``terms`` (group ``t<i>`` marks ``terms[i]``), None if empty.

    Terms that fold alike keep the first one's group.
    """
    if not terms:
        return None
    root: dict = {}
    for index, term in enumerate(terms):
        node = root
        for step in _steps(term):
            node = node.setdefault(step, {})
        node.setdefault(None, index)
    return re.compile(r"(?<!\w)" + _trie_pattern(root) + r"(?!\w)")


def _trie_pattern(node: dict) -> str:
    """Return the pattern of a trie node: longer readings first, then the term ending here."""
    # Letters first, then the next word of a phrase, then the rest of a stem.
    steps = sorted((step for step in node if step is not None), key=lambda s: " *".find(s) + 1)
    branches = [_STEPS.get(step, re.escape(step)) + _trie_pattern(node[step]) for step in steps]
    if None in node:
        branches.append(f"(?P<t{node[None]}>)")
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


class _FoldedText:
    """A text, its folded form, and the way back from folded to original positions."""

    def __init__(self, text: str):
        self.text = text
        self.folded = fold(text)

    @cached_property
    def _origins(self) -> list[int]:
        """Return, per folded character, the index of the original character it came from."""
        origins = [i for i, char in enumerate(self.text) for _ in fold(char)]
        return origins + [len(self.text)]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Return the span of the original text that folded into ``folded[start:end]``.

        The end takes in combining marks that folded away after the last character; a
        span ending inside one character's expansion (``ß`` → ``ss``) takes that character.
        """
        if self.text.isascii():
            return start, end
        origins = self._origins
        return origins[start], max(origins[end], origins[end - 1] + 1)


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
            term, language = self.entries[int(str(match.lastgroup)[1:])]
            found.append((start, end, term, language))
        return found


class TermMatcher:
    """Term lists compiled once, for searching many texts."""

    def __init__(self, lists: list[TermList]):
        self._lists = [_compile_list(term_list) for term_list in lists]
        # Most notes match no list: one search with every term tells so in one pass.
        self._any = _compile(
            [term for term_list in lists for terms in term_list.terms.values() for term in terms]
        )

    def find(self, text: str) -> dict[str, list[TextMatch]]:
        """Return the matches in ``text`` per term list name (lists without a match left out)."""
        source = _FoldedText(text)
        result: dict[str, list[TextMatch]] = {}
        if self._any is None or not self._any.search(source.folded):
            return result
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
