"""Text from a source made safe to print on a terminal.

Client names, notes, reasons and field values come from CSV files and CRMs that anyone
can type into. Printed raw, an escape sequence in a name can retitle the window, clear
the screen, hide the lines before it or fake a "nothing failed" line (and cron mails
the same bytes). Everything crmflags prints for people passes its data through
:func:`terminal_safe`; JSON and CSV output keep the data exactly as it is.
"""

from __future__ import annotations

import re

#: ESC sequences: CSI (colours, cursor moves, clearing), OSC (window title, hyperlinks,
#: up to BEL or ST), the string controls DCS/SOS/PM/APC (up to ST), and two-byte escapes.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"
    r"|\x1b[ -/]*[0-~]"
    r"|\x9b[0-?]*[ -/]*[@-~]"
)
#: Every other control character: C0 (but tab and newline), DEL, C1, and the Unicode
#: bidirectional overrides that make text read differently than it is stored.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
#: Characters that end or break a line.
_BREAKS = re.compile("[\t\n\u2028\u2029]")


def terminal_safe(text: object, lines: bool = False) -> str:
    """Return ``text`` as printable: escape sequences and control characters removed.

    A tab, newline or Unicode line separator becomes a space, so one value stays on
    one line; with ``lines``, newlines are kept (for text of several lines, such as an
    explanation) and tabs still become spaces.
    """
    text = _ESCAPES.sub("", str(text))
    text = _CONTROLS.sub("", text)
    if lines:
        return _BREAKS.sub(lambda m: "\n" if m.group() in "\n\u2028\u2029" else " ", text)
    return _BREAKS.sub(" ", text)
