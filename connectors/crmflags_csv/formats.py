"""How the dates and numbers of one CSV column are written, and reading them that way.

Every rule for reading a date or a number of a bundle lives here, as two steps that
any reader (row by row, or a whole column at once) can follow to read exactly alike:

1. **Detect** the column's form from all its values: feed each value to a
   :class:`DateEvidence` or :class:`NumberEvidence` with :meth:`see`, then
   :meth:`settle` gives the column's :class:`DateForm` or :class:`NumberForm`. A
   setting (``csv.date_format``, ``csv.decimal``) forces the form instead.
2. **Parse** each value with its column's form: :func:`parse_date`,
   :func:`parse_timestamp`, :func:`parse_number`, :func:`parse_money`.

Only two things are decided per column, because only they are ambiguous in a single
value: whether ``03/04/2026`` has the day or the month first, and whether ``9.500``
(or ``1,234``) groups thousands or marks decimals. Every other form reads the same in
any column: ISO 8601, ``2026.09.07.``, ``2026. 09. 07.``, ``07.09.2026``, ``7.9.2026``,
``13/04/2026``, each with an optional time (``10:30``, ``10:30:15``, ``2:30 PM``);
``1.200,00``, ``1,200.00``, ``7,5``, ``12.5``, ``1 234``, ``€ 12``, ``9.500 Ft``.

A value that only its column can settle, parsed while the column is still being read
(:attr:`DateForm.settled` False), raises :class:`Unsettled`, so the reader can come
back to it once the column is settled. Parsers raise ValueError with a message fit to
show after the value's place (``invoices.csv:7: field amount: ...``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from crmflags import values

#: Date formats ``csv.date_format`` can force; each allows a time after the date.
ISO = "YYYY-MM-DD"
HUNGARIAN = "YYYY.MM.DD."
DOTTED = "DD.MM.YYYY"
DAY_FIRST = "DD/MM/YYYY"
MONTH_FIRST = "MM/DD/YYYY"
#: The family of slash dates, day or month first as the column says.
SLASH = "slash"
DATE_FORMATS = (ISO, HUNGARIAN, DOTTED, DAY_FIRST, MONTH_FIRST)
#: Decimal marks ``csv.decimal`` can force.
DECIMAL_MARKS = (".", ",")

#: Currency symbols and words read into an amount's ISO 4217 code; any three letters
#: are taken as a code themselves.
CURRENCY_SIGNS = {
    "€": "EUR",
    "$": "USD",
    "US$": "USD",
    "£": "GBP",
    "FT": "HUF",
    "FT.": "HUF",
    "ZŁ": "PLN",
    "KČ": "CZK",
}


class Unsettled(ValueError):
    """The value reads two ways, and its column has not been read through yet."""


# --- dates -------------------------------------------------------------------------------

_TIME = r"(?:[ T]\s*(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AaPp])\.?[Mm]\.?)?)?"
_LOCAL = {
    HUNGARIAN: re.compile(rf"^(\d{{4}})\.\s?(\d{{1,2}})\.\s?(\d{{1,2}})\.?{_TIME}$"),
    DOTTED: re.compile(rf"^(\d{{1,2}})\.(\d{{1,2}})\.(\d{{4}})\.?{_TIME}$"),
    SLASH: re.compile(rf"^(\d{{1,2}})/(\d{{1,2}})/(\d{{4}}){_TIME}$"),
}
_EXPECTED_DATE = "YYYY-MM-DD, or a local form such as 2026.09.07., 07.09.2026 or 07/09/2026"
_EXPECTED_TIMESTAMP = (
    "YYYY-MM-DDTHH:MM[:SS][+HH:MM], or a local form such as 2026.09.08. 10:30 or 08.09.2026 10:30"
)


@dataclass(frozen=True)
class DateForm:
    """How the dates of one column are read.

    ``forced`` is a format of DATE_FORMATS that every value must have (None: any
    form). ``day_first`` tells how ``03/04/2026`` reads: True day first, False month
    first, None not known (no slash date of the column tells). ``settled`` is False
    while the column is still being read.
    """

    forced: str | None = None
    day_first: bool | None = None
    settled: bool = True


#: The form of a column of ISO (or unambiguous local) dates.
ANY_DATE = DateForm()
#: The form of a column not read through yet: an ambiguous slash date raises Unsettled.
UNSETTLED_DATE = DateForm(settled=False)


def forced_date_form(name: str) -> DateForm:
    """Return the form ``csv.date_format: name`` forces (``name`` is one of DATE_FORMATS)."""
    return DateForm(forced=name, day_first={DAY_FIRST: True, MONTH_FIRST: False}.get(name))


class DateEvidence:
    """What the values of one date column say about how its slash dates are ordered."""

    __slots__ = ("ambiguous", "day_first", "month_first")

    def __init__(self) -> None:
        self.day_first: tuple[int, str] | None = None  # (line, value) of the first such date
        self.month_first: tuple[int, str] | None = None
        self.ambiguous: tuple[int, str] | None = None

    def see(self, text: str, line: int) -> None:
        """Take one value of the column into account."""
        if "/" not in text:
            return  # only slash dates say anything
        match = _LOCAL[SLASH].match(text.strip())
        if match is None:
            return
        first, second = int(match.group(1)), int(match.group(2))
        if first > 12 >= second:
            self.day_first = self.day_first or (line, text.strip())
        elif second > 12 >= first:
            self.month_first = self.month_first or (line, text.strip())
        elif first != second and first <= 12 and second <= 12:
            self.ambiguous = self.ambiguous or (line, text.strip())

    def settle(self) -> DateForm:
        """Return the column's form; ValueError (saying why) if its slash dates read two ways."""
        if self.day_first and self.month_first:
            (day_line, day), (month_line, month) = self.day_first, self.month_first
            raise ValueError(
                f"it has dates with the day first ({day!r} on line {day_line}) and with the "
                f"month first ({month!r} on line {month_line}); set csv.date_format for it "
                f"({DAY_FIRST} or {MONTH_FIRST})"
            )
        if self.day_first or self.month_first:
            return DateForm(day_first=bool(self.day_first))
        if self.ambiguous:
            line, text = self.ambiguous
            raise ValueError(
                f"{text!r} (line {line}) could have the day or the month first, and no date "
                f"in the column has a day above 12 to tell; set csv.date_format for it "
                f"({DAY_FIRST} or {MONTH_FIRST})"
            )
        return ANY_DATE


def parse_date(text: str, form: DateForm = ANY_DATE) -> date:
    """Read a date written in the column's form; a time after it is left out."""
    text = text.strip()
    if _is_iso(text, form):
        return values.parse_date(text)
    return _local(text, form, None, "date")[0].date()


def parse_timestamp(text: str, form: DateForm, zone: tzinfo) -> tuple[datetime, bool]:
    """Read a timestamp in the column's form; return it timezone-aware and whether it had a time.

    ISO 8601 timestamps may carry an offset; any other form is in ``zone``, as is an ISO
    one without an offset. A date alone is midnight in ``zone`` with no time.
    """
    text = text.strip()
    if _is_iso(text, form):
        return values.parse_timestamp(text, zone)
    return _local(text, form, zone, "timestamp")


def _is_iso(text: str, form: DateForm) -> bool:
    """Tell whether a text is to be read as ISO 8601 in a column of this form."""
    return text[4:5] == "-" and form.forced in (None, ISO)


def _local(text: str, form: DateForm, zone: tzinfo | None, what: str) -> tuple[datetime, bool]:
    """Read a date in a local form (any but ISO), with its time if it has one."""
    allowed = _ALLOWED.get(form.forced, _LOCAL)
    for name in allowed:
        match = _LOCAL[name].match(text)
        if match is not None:
            break
    else:
        if form.forced:
            raise ValueError(
                f"{text!r} is not a {what} in the form {form.forced} (csv.date_format)"
            )
        expected = _EXPECTED_DATE if what == "date" else _EXPECTED_TIMESTAMP
        raise ValueError(f"{text!r} is not a {what} (expected {expected})")
    first, second, third, hour, minute, seconds, half = match.groups()
    if name == HUNGARIAN:
        year, month, day = int(first), int(second), int(third)
    elif name == DOTTED:
        day, month, year = int(first), int(second), int(third)
    else:
        day, month, year = (*_slash_order(text, int(first), int(second), form), int(third))
    try:
        moment = datetime(year, month, day, *_clock(hour, minute, seconds, half), tzinfo=zone)
    except ValueError:
        raise ValueError(f"{text!r} is not a {what}: there is no such day or time") from None
    return moment, hour is not None


#: The local families a forced format allows.
_ALLOWED: dict[str | None, tuple[str, ...]] = {
    ISO: (),
    HUNGARIAN: (HUNGARIAN,),
    DOTTED: (DOTTED,),
    DAY_FIRST: (SLASH,),
    MONTH_FIRST: (SLASH,),
}


def _slash_order(text: str, a: int, b: int, form: DateForm) -> tuple[int, int]:
    """Return (day, month) of a slash date ``a/b/year`` in the column's form."""
    if form.day_first is not None:
        return (a, b) if form.day_first else (b, a)
    if a > 12 or a == b:
        return a, b
    if b > 12:
        return b, a
    if not form.settled:
        raise Unsettled(f"{text!r} could have the day or the month first")
    raise ValueError(
        f"{text!r} could have the day or the month first; set csv.date_format "
        f"({DAY_FIRST} or {MONTH_FIRST})"
    )


def _clock(
    hour: str | None, minute: str | None, second: str | None, half: str | None
) -> tuple[int, int, int]:
    """Return (hour, minute, second) of a time of day; midnight without one."""
    if hour is None or minute is None:  # _TIME matches both or neither
        return 0, 0, 0
    h = int(hour)
    if half:
        if not 1 <= h <= 12:
            raise ValueError
        h = h % 12 + (12 if half in "Pp" else 0)
    return h, int(minute), int(second or 0)


# --- numbers -----------------------------------------------------------------------------

#: What one number says about its column's decimal mark.
PLAIN, COMMA, DOT, AMBIGUOUS = "plain", ",", ".", "ambiguous"

_GROUPING = re.compile(r"[\s\u00a0\u202f\u2009']")
_NUMBER = re.compile(r"^(?P<pre>\D*?)(?P<num>\d[\d.,\s\u00a0\u202f\u2009']*|[.,]\d+)(?P<post>\D*)$")
_GROUPS = re.compile(r"^\d{1,3}(?:X\d{3})+$")


@dataclass(frozen=True)
class NumberForm:
    """How the numbers of one column are read.

    ``decimal`` is the column's decimal mark, ``.`` or ``,`` (None: not known);
    ``forced`` tells that ``csv.decimal`` set it; ``reason`` says, for a message, why
    it is not known (the column has both marks, or neither); ``settled`` is False while
    the column is still being read.
    """

    decimal: str | None = None
    forced: bool = False
    reason: str = "no other value in the column has a decimal mark to tell"
    settled: bool = True


#: The form of a column whose values all read one way (or that has none).
ANY_NUMBER = NumberForm()
#: The form of a column not read through yet: ``9.500`` raises Unsettled.
UNSETTLED_NUMBER = NumberForm(settled=False)


def forced_number_form(mark: str) -> NumberForm:
    """Return the form ``csv.decimal: mark`` forces (``.`` or ``,``)."""
    return NumberForm(decimal=mark, forced=True)


class NumberEvidence:
    """What the values of one number column say about its decimal mark."""

    __slots__ = ("comma", "dot")

    def __init__(self) -> None:
        self.comma: int | None = None  # the line of the first value with a decimal comma
        self.dot: int | None = None

    def see(self, text: str, line: int) -> None:
        """Take one value of the column into account."""
        if text.isdigit():
            return
        kind = number_evidence(text)
        if kind is COMMA:
            self.comma = self.comma or line
        elif kind is DOT:
            self.dot = self.dot or line

    def settle(self) -> NumberForm:
        """Return the column's form."""
        if self.comma and self.dot:
            return NumberForm(
                reason=(
                    f"the column has decimal commas (line {self.comma}) and decimal points "
                    f"(line {self.dot})"
                )
            )
        if self.comma or self.dot:
            return NumberForm(decimal="," if self.comma else ".")
        return ANY_NUMBER


def number_evidence(text: str) -> str | None:
    """Return what a value says about its column's decimal mark (PLAIN, COMMA, DOT or
    AMBIGUOUS); None if it is not a number."""
    if text.isascii() and text.count(".") == 1 and text.replace(".", "", 1).isdigit():
        point = text.index(".")  # the common plain form, 1234.56
        return AMBIGUOUS if _could_group(text[:point], text[point + 1 :]) else DOT
    parts = _parts(text)
    return None if parts is None else _reading(parts[1])[0]


def parse_number(text: str, form: NumberForm = ANY_NUMBER) -> float:
    """Read a number in the column's form; a word before or after it is left out.

    ``1.200,00``, ``1,200.00``, ``7,5``, ``12.5``, ``.5``, ``1 234``, ``1'234.50``,
    ``-3``, ``(12)`` (negative). ``9.500`` and ``1,234`` read by the column's decimal
    mark.
    """
    if text.isascii() and text.replace(".", "", 1).isdigit():
        return _plain(text, form)  # the common plain form, 1234.56: no sign, no word
    parts = _parts(text)
    if parts is None:
        raise ValueError(f"{text.strip()!r} is not a number")
    sign, digits, _ = parts
    return sign * _value(text, digits, form)


def parse_money(text: str, form: NumberForm = ANY_NUMBER) -> tuple[float, str | None]:
    """Read an amount of money: the number (as :func:`parse_number`) and its currency.

    A currency symbol or code before or after the number (``€ 12``, ``9.500 Ft``,
    ``12 EUR``) gives its ISO 4217 code; None without one. ValueError for a word that
    is no currency.
    """
    if text.isascii() and text.replace(".", "", 1).isdigit():
        return _plain(text, form), None  # the common plain form, 1234.56
    parts = _parts(text)
    if parts is None:
        raise ValueError(f"{text.strip()!r} is not a number")
    sign, digits, word = parts
    return sign * _value(text, digits, form), _currency(word, text)


def _plain(text: str, form: NumberForm) -> float:
    """Return the value of digits with at most one point (``1234.56``, ``9.500``)."""
    point = text.find(".")
    if form.forced and point >= 0:
        return _value(text, text, form)  # a point must be the forced mark
    if point < 0 or len(text) - point != 4 or not _could_group(text[:point], text[point + 1 :]):
        return float(text)
    return _value(text, text, form)


def _value(text: str, digits: str, form: NumberForm) -> float:
    """Return the value of a number's digits and marks in the column's form."""
    if digits.isdigit():
        return float(digits)
    kind, whole, fraction = _reading(digits)
    if kind is None:
        raise ValueError(f"{text.strip()!r} is not a number")
    if kind is AMBIGUOUS:
        mark = "." if "." in digits else ","
        if form.decimal is None:
            if not form.settled:
                raise Unsettled(f"{text.strip()!r} reads two ways")
            raise ValueError(
                f"{text.strip()!r} could be {float(whole + '.' + fraction):g} or "
                f"{whole + fraction}: {form.reason}; set csv.decimal for it (. or ,)"
            )
        if form.decimal != mark:
            whole, fraction = whole + fraction, ""
    elif form.forced and kind is not PLAIN and kind != form.decimal:
        name = "comma" if kind is COMMA else "point"
        raise ValueError(
            f"{text.strip()!r} has a decimal {name} but csv.decimal is {form.decimal!r}"
        )
    return float(f"{whole or '0'}.{fraction}" if fraction else whole)


def _parts(text: str) -> tuple[float, str, str] | None:
    """Split a number into its sign, its digits with their marks, and the word around it.

    None if there is no number, or there are words on both sides of it.
    """
    text = text.strip()
    sign = 1.0
    if text.startswith("(") and text.endswith(")"):
        sign, text = -1.0, text[1:-1].strip()
    match = _NUMBER.match(text)
    if match is None:
        return None
    pre, post = match.group("pre").strip(), match.group("post").strip()
    if pre[-1:] in ("-", "+") or pre[:1] in ("-", "+"):
        at = -1 if pre[-1:] in ("-", "+") else 0
        sign = -sign if pre[at] == "-" else sign
        pre = (pre[:-1] if at else pre[1:]).strip()
    if pre and post:
        return None
    return sign, _GROUPING.sub("", match.group("num")), pre or post


def _currency(word: str, text: str) -> str | None:
    """Return the ISO 4217 code a currency symbol or code stands for; None for no word."""
    if not word:
        return None
    key = word.upper()
    if key in CURRENCY_SIGNS:
        return CURRENCY_SIGNS[key]
    if len(key) == 3 and key.isalpha() and key.isascii():
        return key
    raise ValueError(
        f"{text.strip()!r}: {word!r} is not a currency crmflags knows (write its code, e.g. EUR)"
    )


def _reading(digits: str) -> tuple[str | None, str, str]:
    """Return (evidence, whole digits, fraction digits) of digits with marks.

    The evidence is None when it is no number. For an AMBIGUOUS one the whole and the
    fraction are the digits before and after its mark.
    """
    commas, dots = digits.count(","), digits.count(".")
    if not commas and not dots:
        return (PLAIN, digits, "") if digits.isdigit() else (None, "", "")
    if commas and dots:
        decimal = "," if digits.rfind(",") > digits.rfind(".") else "."
        group = "." if decimal == "," else ","
        whole, _, fraction = digits.rpartition(decimal)
        if not fraction.isdigit() or not _GROUPS.match(whole.replace(group, "X")):
            return None, "", ""
        return (COMMA if decimal == "," else DOT), whole.replace(group, ""), fraction
    mark = "," if commas else "."
    runs = digits.split(mark)
    if len(runs) > 2:  # 1.234.567: the mark groups thousands, so the other one is the decimal
        if not _GROUPS.match("X".join(runs)):
            return None, "", ""
        return (DOT if mark == "," else COMMA), "".join(runs), ""
    whole, fraction = runs
    if not fraction.isdigit() or not (whole.isdigit() or whole == ""):
        return None, "", ""
    if _could_group(whole, fraction):
        return AMBIGUOUS, whole, fraction
    return (COMMA if mark == "," else DOT), whole, fraction


def _could_group(whole: str, fraction: str) -> bool:
    """Tell whether ``whole<mark>fraction`` could be a thousands grouping (``9.500``)."""
    return len(fraction) == 3 and 1 <= len(whole) <= 3 and whole[0] != "0"


def currency_code(text: str) -> str:
    """Return a currency column's value as its ISO 4217 code (``Ft`` is HUF, ``eur`` EUR).

    A word that is neither a known symbol nor three letters is kept as written.
    """
    word = text.strip()
    key = word.upper()
    if key in CURRENCY_SIGNS:
        return CURRENCY_SIGNS[key]
    return key if len(key) == 3 and key.isalpha() and key.isascii() else word
