"""Money: invoice amounts in one reporting currency, and amounts shown as people write them.

A business that invoices in forints beside euros sets its reporting currency and the
rates in ``crmflags.yaml`` (``currency: EUR``, ``exchange_rates: {HUF: 0.0025}``: one
forint is 0.0025 euros). :class:`Converter` turns every amount into the reporting
currency before anything adds it up; an amount in a currency without a rate is never
added raw: the converter answers None and remembers the currency and the client, and
the run warns once (:meth:`Converter.warning`). A bundle in one currency needs no
setting: the first currency the data names becomes the reporting one.

:func:`format_money` and :func:`format_decimal` write numbers for the output language:
``€1,200.00`` and ``HUF 9,500`` in English, ``1 200,00 €`` and ``9 500 Ft`` in
Hungarian, ``1 200,00 €`` in Finnish and Latvian (the thousands separated by a
no-break space, a decimal comma). The report and the messages both use them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

#: A currency as crmflags.yaml names it: an ISO 4217 code.
ISO_CODE = re.compile(r"^[A-Z]{3}$")
#: Symbols that exports write in the currency column instead of the code.
SYMBOLS_READ = {"€": "EUR", "$": "USD", "£": "GBP", "FT": "HUF", "HUF": "HUF"}
#: How each language writes a currency, where it has its own sign for it.
SYMBOLS_SHOWN = {
    "en": {"EUR": "€", "USD": "$", "GBP": "£"},
    "hu": {"EUR": "€", "USD": "$", "GBP": "£", "HUF": "Ft"},
    "fi": {"EUR": "€", "USD": "$", "GBP": "£"},
    "lv": {"EUR": "€", "USD": "$", "GBP": "£"},
}
#: Currencies whose amounts are written without decimals (no one writes fillér).
WHOLE_UNITS = frozenset({"HUF", "JPY", "KRW", "ISK", "CLP", "VND", "IDR"})
#: Thousands separator and decimal mark per language.
_MARKS = {"en": (",", "."), "hu": ("\u00a0", ","), "fi": ("\u00a0", ","), "lv": ("\u00a0", ",")}


def currency_code(text: str | None) -> str | None:
    """Return the currency a source wrote (``eur``, ``€``, ``Ft``) as an ISO code; None if blank."""
    if text is None:
        return None
    code = text.strip().upper()
    if not code:
        return None
    return SYMBOLS_READ.get(code, code)


class Converter:
    """Converts amounts into the reporting currency, and remembers what it could not.

    ``reporting`` is the business's currency (None: the first currency seen becomes
    it); ``rates`` give one unit of each other currency in the reporting currency. An
    amount without a currency is taken to be in the reporting currency.
    """

    def __init__(self, reporting: str | None = None, rates: Mapping[str, float] | None = None):
        self.reporting = reporting
        self.rates = dict(rates or {})
        #: Currencies without a rate, each with the clients whose amounts were left out.
        self.missing: dict[str, set[str]] = {}

    def rate(self, currency: str | None) -> float | None:
        """Return one unit of ``currency`` in the reporting currency (None: no rate)."""
        code = currency_code(currency)
        if code is None:
            return 1.0
        if self.reporting is None:
            self.reporting = code
        if code == self.reporting:
            return 1.0
        return self.rates.get(code)

    def convert(self, amount: float, currency: str | None, client_id: str) -> float | None:
        """Return ``amount`` in the reporting currency; None (and remembered) without a rate."""
        rate = self.rate(currency)
        if rate is None:
            self.missing.setdefault(currency_code(currency) or "", set()).add(client_id)
            return None
        return amount * rate

    def warning(self) -> str | None:
        """Return the one warning of a run about currencies without a rate (None if none)."""
        if not self.missing:
            return None
        parts = []
        for code in sorted(self.missing):
            clients = sorted(self.missing[code])
            shown = ", ".join(clients[:5]) + (
                f" and {len(clients) - 5} more" if len(clients) > 5 else ""
            )
            parts.append(f"{code} ({len(clients)} client(s): {shown})")
        reporting = self.reporting or "?"
        return (
            f"amounts in {', '.join(parts)} have no exchange rate to {reporting}; they are left "
            "out of the money metrics and the portfolio shares, never added as they are. Set "
            f"currency: {reporting} and exchange_rates: {{{sorted(self.missing)[0]}: ...}} "
            "(one unit in the reporting currency) in crmflags.yaml"
        )


def format_decimal(value: float, places: int, language: str = "en") -> str:
    """Return ``value`` with ``places`` decimals, thousands grouped, as ``language`` writes it."""
    thousands, decimal = _MARKS.get(language, _MARKS["en"])
    text = f"{abs(value):,.{places}f}"
    whole, _, fraction = text.partition(".")
    whole = whole.replace(",", thousands)
    sign = "-" if value < 0 and float(text.replace(",", "")) != 0 else ""
    return sign + whole + (decimal + fraction if fraction else "")


def format_money(
    value: float, currency: str | None, language: str = "en", places: int | None = None
) -> str:
    """Return an amount with its currency as natives write it: ``€1,200.00``, ``9 500 Ft``.

    ``places`` defaults to 0 for currencies written in whole units (HUF) and 2 for the
    others. Without a currency the number alone is shown.
    """
    code = currency_code(currency)
    if places is None:
        places = 0 if code in WHOLE_UNITS else 2
    number = format_decimal(value, places, language)
    if code is None:
        return number
    symbol = SYMBOLS_SHOWN.get(language, SYMBOLS_SHOWN["en"]).get(code)
    if language == "en" or language not in _MARKS:
        return f"{symbol}{number}" if symbol else f"{code}\u00a0{number}"
    return f"{number}\u00a0{symbol or code}"
