"""A term's phrases as folded steps, and the tries of regular expressions made of them."""

from __future__ import annotations

import re
from collections.abc import Sequence

from crmflags.text import fold

_KEY_LETTERS = 3
_WORD_CHAR = re.compile(r"\w")
_WORD = re.compile(r"\w+")
#: Pattern steps other than a literal character: any whitespace, the rest of a word.
_STEPS = {" ": r"\s+", "*": r"\w*"}
_JOIN = "+"
_ALTERNATIVE = "|"


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
    first index to the indexes of all of them.
    """
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
