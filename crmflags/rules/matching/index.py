"""Tell from a folded text's words which term lists may match it (the prefilter of matching).

:class:`crmflags.rules.matching.matcher.TermMatcher` runs its exact matching (tries, ``+`` terms, exclude,
harmless, negation, speakers) only on the lists this index names for a note; most
notes of a day's work name none. The index never leaves out a list that matches.

A phrase is a trie of folded steps (``crmflags.rules.matching.patterns._steps``) whose only special
characters are ``" "`` (any whitespace) and ``"*"`` (the rest of a word); it matches
only at the start of a word. So each run of word characters (``\\w``) in a phrase must
be a word of the text: the whole word when the run ends a word of the phrase or stands
before punctuation (``shut up`` needs ``shut`` and ``up``; ``don't`` needs ``don`` and
``t``), and else a word starting with it (``idiót*`` needs a word starting with
``idiot``). A ``+`` term needs one of each part's phrases. The index keys every phrase
by its most telling word (its longest) and checks the others only when that one is
there. A phrase without a word character (``:(``) may match anywhere: its list is then
always a candidate.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_WORD = re.compile(r"\w+")

#: A word a text must have: the word, and whether whole (else a word starting with it).
Need = tuple[str, bool]
#: What else a phrase needs once its telling word is there: per clause, one of its needs.
Clauses = tuple[tuple[Need, ...], ...]


@dataclass(frozen=True)
class ListSteps:
    """The folded steps of one term list: its phrases, and its ``+`` terms part by part.

    ``phrases`` holds the steps of every phrase a term without ``+`` stands for;
    ``joined`` holds, per ``+`` term, per part, the steps of that part's phrases.
    """

    phrases: tuple[str, ...]
    joined: tuple[tuple[tuple[str, ...], ...], ...] = ()


class TermIndex:
    """The words every phrase of every list needs, to name the lists a text may match."""

    def __init__(self, lists: Sequence[ListSteps]):
        self._whole: dict[str, list[tuple[int, Clauses]]] = {}  # a word -> what it may start
        self._stems: dict[str, list[tuple[int, Clauses]]] = {}  # a word's start -> the same
        self._always = 0  # the lists (bits) any text may match
        for number, steps in enumerate(lists):
            bit = 1 << number
            for phrase in steps.phrases:
                needs = _needs(phrase)
                self._add(bit, needs[0] if needs else None, tuple((n,) for n in needs[1:]))
            for parts in steps.joined:
                self._add_joined(bit, parts)
        self._lengths = sorted({len(stem) for stem in self._stems})
        # Most words start like no stem: their first letters tell so at once.
        self._head = self._lengths[0] if self._lengths else 0
        self._heads = {stem[: self._head] for stem in self._stems}

    def _add_joined(self, bit: int, parts: tuple[tuple[str, ...], ...]) -> None:
        """Index a ``+`` term by the phrases of its most telling part."""
        needs = [[_needs(phrase) for phrase in part] for part in parts]
        # A part with a phrase that needs no word may be anywhere: it tells nothing.
        telling = [part for part in needs if all(part)]
        if not telling:
            self._always |= bit
            return
        best = max(telling, key=lambda part: min(_rarity(phrase[0]) for phrase in part))
        others = tuple(
            tuple(dict.fromkeys(p[0] for p in part)) for part in telling if part is not best
        )
        for phrase in best:
            self._add(bit, phrase[0], tuple((n,) for n in phrase[1:]) + others)

    def _add(self, bit: int, key: Need | None, clauses: Clauses) -> None:
        """Record that a text with word ``key`` may match list ``bit`` if it meets the clauses."""
        if key is None:
            self._always |= bit
            return
        table = self._whole if key[1] else self._stems
        table.setdefault(key[0], []).append((bit, clauses))

    def candidates(self, folded: str) -> list[int]:
        """Return, in order, the numbers of the lists that may match the folded text."""
        found = self._always
        words = set(_WORD.findall(folded))
        pending: list[tuple[int, Clauses]] = []
        for word in words:
            pending += self._whole.get(word, ())
            if word[: self._head] not in self._heads:
                continue
            for length in self._lengths:
                if length > len(word):
                    break
                pending += self._stems.get(word[:length], ())
        starts: set[str] | None = None  # every start of every word, made when first needed
        for bit, clauses in pending:
            if found & bit:
                continue
            for clause in clauses:
                for word, whole in clause:
                    if whole:
                        if word in words:
                            break
                    else:
                        if starts is None:
                            starts = {w[:n] for w in words for n in range(1, len(w) + 1)}
                        if word in starts:
                            break
                else:
                    break  # no need of this clause is met
            else:
                found |= bit
        return [number for number in range(found.bit_length()) if found >> number & 1]


def _needs(phrase: str) -> list[Need]:
    """Return the words a phrase (its steps) needs, the most telling (longest) first."""
    runs = {
        (run.group(), phrase[run.end() : run.end() + 1] != "*") for run in _WORD.finditer(phrase)
    }
    return sorted(runs, key=_rarity, reverse=True)


def _rarity(need: Need) -> tuple[int, bool, str]:
    """Return how rare a needed word is likely to be: longer is rarer, a whole word too."""
    return len(need[0]), need[1], need[0]
