"""Text helpers plugins use: fold text for comparing, quote a match in a snippet, read HTML.

The term-list matcher that uses them is internal: :mod:`crmflags.rules.matching`.
"""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser

#: The languages term lists are written in.
LANGUAGES = ("en", "hu", "fi", "lv")

#: Characters of original context shown on each side of a match in a snippet.
SNIPPET_CONTEXT = 40

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})
_NON_SPACE = re.compile(r"\S")


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
