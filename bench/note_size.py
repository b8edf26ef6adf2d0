"""How long matching one huge note takes, and how much memory it needs (issue 17 item 7).

Builds notes of the given sizes (default 1 MB, 4 MB and 200 MB of text) and matches
each with the shipped freelancer ruleset's term lists, negation and speakers, the way
``crmflags evaluate`` matches a note. Two kinds of note: abusive (an insult in every
sentence, so every sentence is a match to check) and clean (no match at all). A note
is read on its first ``MAX_TEXT_CHARS`` characters, so time and memory stay flat past
that size; the peak is measured with tracemalloc, the note itself not counted.

    python bench/note_size.py                 # 1, 4 and 200 MB
    python bench/note_size.py 1 4             # sizes in MB
"""

from __future__ import annotations

import argparse
import time
import tracemalloc

from crmflags.cli.app import App
from crmflags.rules.matching.matcher import MAX_TEXT_CHARS

SENTENCES = {
    "abusive": "He called us idiots and yelled at Anna again, then hung up. ",
    "clean": "Sent the revised mockups; the client liked the new colours. ",
}


def note_of(kind: str, megabytes: float) -> str:
    """Return a note of about ``megabytes`` million characters of one repeated sentence."""
    sentence = SENTENCES[kind]
    return sentence * int(megabytes * 1_000_000 / len(sentence))


def measure(matcher, note: str) -> tuple[float, float, int]:
    """Return seconds, peak MB allocated while matching, and the matches that count."""
    tracemalloc.start()
    start = time.perf_counter()
    found = matcher.first_matches(note)
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    counted = sum(1 for match in found.values() if not match.cancelled)
    return seconds, peak / 1_000_000, counted


def main() -> None:
    """Print one line per note size and kind."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=float, default=[1, 4, 200], help="sizes in MB")
    args = parser.parse_args()
    matcher = App.start(None).ruleset("freelancer").term_matcher()
    print(f"a note is read on its first {MAX_TEXT_CHARS:,} characters")
    print(f"{'size':>8}  {'kind':8} {'seconds':>8} {'peak MB':>8}  lists matched")
    for megabytes in args.sizes:
        for kind in SENTENCES:
            note = note_of(kind, megabytes)
            seconds, peak, counted = measure(matcher, note)
            print(f"{megabytes:>6g}MB  {kind:8} {seconds:8.2f} {peak:8.1f}  {counted}")
            del note


if __name__ == "__main__":
    main()
