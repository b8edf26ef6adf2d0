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
which lists it may match (:mod:`crmflags.rules.matching.index`); a list is searched only in those
notes, and there only where the note has a word starting like one of its terms. Work
and memory are linear in the length of the text, of which at most
:data:`MAX_TEXT_CHARS` characters are read.
"""
