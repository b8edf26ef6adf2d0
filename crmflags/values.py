"""Parse the values found in exports: yes/no words, decimal commas, ISO dates and timestamps.

Each parser raises ValueError with a message fit to show the user after the place
of the value (``invoices.csv:7: field due_on: ...``).
"""

from __future__ import annotations

import functools
import math
import re
from datetime import date, datetime, timedelta, timezone, tzinfo

#: yes/no words in English, Hungarian, Finnish and Latvian (contracts §1).
YES = frozenset({"yes", "y", "true", "t", "1", "igen", "i", "kyllä", "kylla", "k", "jā", "ja"})
NO = frozenset({"no", "n", "false", "f", "0", "nem", "ei", "nē", "ne", ""})

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")
_CURRENCY = re.compile(r"^[^\d\-+.,]*|[^\d.,]*$")


def parse_flag(text: str) -> bool:
    """Read a yes/no value; empty means no."""
    word = text.strip().casefold()
    if word in YES:
        return True
    if word in NO:
        return False
    raise ValueError(
        f"{text!r} is not yes or no (yes/no, true/false, 1/0, igen/nem, kyllä/ei, jā/nē)"
    )


def parse_number(text: str) -> float:
    """Read an amount: ``1 234,50``, ``1.234,50``, ``1,234.50``, ``1234.5``, ``€ 12``.

    With both separators the last one is the decimal mark; a lone comma is a
    decimal comma. Spaces, non-breaking spaces and apostrophes group thousands.
    """
    if text.isascii() and text.replace(".", "", 1).isdigit():
        value = float(text)  # the common plain form, ``1234.5``: read as the general path would
        if math.isfinite(value):
            return value
    raw = text
    text = _SPACES.sub("", text)
    sign = -1.0 if text.startswith("-") or (text.startswith("(") and text.endswith(")")) else 1.0
    text = _CURRENCY.sub("", text.strip("()-+"))
    if "," in text and "." in text:
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif "," in text:
        if text.count(",") > 1:
            raise ValueError(f"{raw!r} is not a number")
        text = text.replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{raw!r} is not a number") from None
    if not math.isfinite(value):
        raise ValueError(f"{raw!r} is not a number")
    return sign * value


def parse_date(text: str) -> date:
    """Read an ISO 8601 date, ``YYYY-MM-DD`` (a timestamp is cut to its date)."""
    text = text.strip()
    try:
        if len(text) > 10:
            return parse_timestamp(text, None)[0].date()
        if not _DATE.match(text):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date (expected YYYY-MM-DD)") from None


def parse_timestamp(text: str, zone: tzinfo | None) -> tuple[datetime, bool]:
    """Read an ISO 8601 timestamp; return it timezone-aware, and whether it had a time.

    Accepted: ``YYYY-MM-DD``, then optionally ``T`` or a space and ``HH:MM``,
    ``:SS``, a fraction, and an offset (``Z``, ``+HH:MM``, ``+HHMM``, ``+HH``); the same
    on every Python version. Without an offset the timestamp is taken to be in
    ``zone``; a bare date is midnight in ``zone`` with ``has_time`` False.
    """
    text = text.strip()
    if _COMMON.match(text):
        # The usual export forms, which every supported Python's fromisoformat reads alike.
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            pass
        else:
            return (moment if moment.tzinfo else moment.replace(tzinfo=zone)), True
    match = _TIMESTAMP.match(text)
    try:
        if not match:
            raise ValueError
        year, month, day, hour, minute, second, fraction, offset = match.groups()
        micro = int((fraction or "0")[:6].ljust(6, "0"))
        moment = datetime(
            int(year),
            int(month),
            int(day),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            micro,
            tzinfo=_offset(offset) if offset else zone,
        )
    except ValueError:
        raise ValueError(
            f"{text!r} is not a timestamp (expected YYYY-MM-DDTHH:MM[:SS][+HH:MM])"
        ) from None
    return moment, hour is not None


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_COMMON = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2})?$")
_TIMESTAMP = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})"
    r"(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?)?$"
)


@functools.lru_cache(maxsize=512)
def _offset(text: str) -> tzinfo:
    if text in ("Z", "z"):
        return timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    if hours > 23 or minutes > 59:
        raise ValueError
    return timezone(sign * timedelta(hours=hours, minutes=minutes))
