"""Term lists, negation and speakers as a ruleset writes them, their checks, and a match."""

from __future__ import annotations

from dataclasses import dataclass, field

from crmflags.rules.matching.patterns import _ALTERNATIVE, _JOIN, _WORD, _WORD_CHAR, _parts
from crmflags.text import fold

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

_STEM_LETTERS = 3
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


def check_addressed(word: str) -> str | None:
    """Return what is wrong with an ``addressed`` word of speakers, or None if it is fine."""
    return None if _WORD.fullmatch(fold(word)) else "one word, without '*' or spaces"
