"""The rules for reading a CSV column's dates and numbers: detected from the column, never guessed."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from crmflags_csv.formats import (
    ANY_DATE,
    ANY_NUMBER,
    DAY_FIRST,
    DOTTED,
    HUNGARIAN,
    ISO,
    MONTH_FIRST,
    UNSETTLED_DATE,
    UNSETTLED_NUMBER,
    DateEvidence,
    NumberEvidence,
    NumberForm,
    Unsettled,
    currency_code,
    forced_date_form,
    forced_number_form,
    parse_date,
    parse_money,
    parse_number,
    parse_timestamp,
)

BUDAPEST = ZoneInfo("Europe/Budapest")


@pytest.mark.parametrize(
    "text",
    [
        "2026-09-07",
        "2026.09.07.",
        "2026. 09. 07.",
        "2026.9.7.",
        "07.09.2026",
        "7.9.2026",
        "07.09.2026.",
        "07/09/2026",
    ],
)
def test_every_common_form_of_the_same_day(text):
    form = forced_date_form(DAY_FIRST) if "/" in text else ANY_DATE
    assert parse_date(text, form) == date(2026, 9, 7)


@pytest.mark.parametrize(
    "text, expected, has_time",
    [
        ("2026.09.08. 10:30", datetime(2026, 9, 8, 10, 30), True),
        ("2026. 09. 08. 10:30:15", datetime(2026, 9, 8, 10, 30, 15), True),
        ("08.09.2026 10:30", datetime(2026, 9, 8, 10, 30), True),
        ("13/09/2026 22:05", datetime(2026, 9, 13, 22, 5), True),
        ("9/13/2026 2:30 PM", datetime(2026, 9, 13, 14, 30), True),
        ("9/13/2026 12:10 AM", datetime(2026, 9, 13, 0, 10), True),
        ("2026.09.08.", datetime(2026, 9, 8), False),
    ],
)
def test_local_timestamps_are_in_the_business_time_zone(text, expected, has_time):
    moment, timed = parse_timestamp(text, ANY_DATE, BUDAPEST)

    assert moment == expected.replace(tzinfo=BUDAPEST)
    assert timed is has_time


def test_iso_timestamps_keep_their_offset():
    moment, _ = parse_timestamp("2026-09-08T10:30:00+05:30", ANY_DATE, BUDAPEST)
    assert moment.utcoffset().total_seconds() == 5.5 * 3600


def test_a_slash_date_that_reads_two_ways_waits_for_its_column_then_follows_it():
    with pytest.raises(Unsettled):
        parse_date("03/04/2026", UNSETTLED_DATE)

    day_first, month_first = DateEvidence(), DateEvidence()
    for line, text in enumerate(["03/04/2026", "13/04/2026"], start=2):
        day_first.see(text, line)
    for line, text in enumerate(["03/04/2026", "04/13/2026"], start=2):
        month_first.see(text, line)

    assert parse_date("03/04/2026", day_first.settle()) == date(2026, 4, 3)
    assert parse_date("03/04/2026", month_first.settle()) == date(2026, 3, 4)


def test_a_column_of_only_ambiguous_slash_dates_is_an_error_naming_the_setting():
    evidence = DateEvidence()
    evidence.see("03/04/2026", 2)
    evidence.see("05/06/2026", 3)
    evidence.see("07/07/2026", 4)  # the same either way: says nothing

    with pytest.raises(ValueError, match=r"'03/04/2026' \(line 2\).*csv\.date_format"):
        evidence.settle()


def test_a_column_with_both_orders_is_an_error_naming_both_lines():
    evidence = DateEvidence()
    evidence.see("13/04/2026", 5)
    evidence.see("04/13/2026", 9)

    with pytest.raises(ValueError, match=r"day first \('13/04/2026' on line 5\).*line 9"):
        evidence.settle()


def test_iso_and_unambiguous_local_dates_say_nothing_and_settle_to_any_form():
    evidence = DateEvidence()
    for text in ["2026-01-02", "2026.01.02.", "02.01.2026", ""]:
        evidence.see(text, 2)
    assert evidence.settle() == ANY_DATE


@pytest.mark.parametrize(
    "name, good, bad",
    [
        (ISO, "2026-09-07", "2026.09.07."),
        (HUNGARIAN, "2026.09.07.", "07.09.2026"),
        (DOTTED, "07.09.2026", "2026-09-07"),
        (DAY_FIRST, "07/09/2026", "2026.09.07."),
        (MONTH_FIRST, "09/07/2026", "07.09.2026"),
    ],
)
def test_a_forced_format_reads_only_its_own_form(name, good, bad):
    form = forced_date_form(name)

    assert parse_date(good, form) == date(2026, 9, 7)
    with pytest.raises(ValueError, match=f"not a date in the form {name} \\(csv.date_format\\)"):
        parse_date(bad, form)


@pytest.mark.parametrize("text", ["2026.02.30.", "31.04.2026", "2026-02-30", "abc", "13/13/2026"])
def test_days_that_do_not_exist_are_errors(text):
    with pytest.raises(ValueError, match="not a date"):
        parse_date(text, ANY_DATE)


@pytest.mark.parametrize(
    "text, comma, point",
    [
        ("1.200,00", 1200, 1200),
        ("1,200.00", 1200, 1200),
        ("9.500", 9500, 9.5),
        ("1,234", 1.234, 1234),
        ("1.234.567", 1234567, 1234567),
        ("1,234,567", 1234567, 1234567),
        ("7,5", 7.5, 7.5),
        ("12.5", 12.5, 12.5),
        ("0.500", 0.5, 0.5),
        ("1234.567", 1234.567, 1234.567),
        ("1 234,50", 1234.5, 1234.5),
        ("1\u00a0234.50", 1234.5, 1234.5),
        ("1'234.50", 1234.5, 1234.5),
        (".5", 0.5, 0.5),
        ("-3", -3, -3),
        ("(12)", -12, -12),
    ],
)
def test_a_number_reads_by_its_columns_decimal_mark_only_where_it_must(text, comma, point):
    assert parse_number(text, NumberForm(decimal=",")) == comma
    assert parse_number(text, NumberForm(decimal=".")) == point


@pytest.mark.parametrize("text", ["9.500", "1,234", "100.000"])
def test_a_number_that_reads_two_ways_is_never_guessed(text):
    with pytest.raises(Unsettled):
        parse_number(text, UNSETTLED_NUMBER)
    with pytest.raises(ValueError, match=r"could be .* or .*set csv\.decimal"):
        parse_number(text, ANY_NUMBER)


def test_the_decimal_mark_is_decided_from_the_whole_column():
    hungarian, english, mixed, silent = (NumberEvidence() for _ in range(4))
    for line, text in enumerate(["9.500", "12", "1.200,00"], start=2):
        hungarian.see(text, line)
    for line, text in enumerate(["9.500", "12.25"], start=2):
        english.see(text, line)
    for line, text in enumerate(["9.500", "7,5", "12.5"], start=2):
        mixed.see(text, line)
    for line, text in enumerate(["9.500", "12", ""], start=2):
        silent.see(text, line)

    assert parse_number("9.500", hungarian.settle()) == 9500
    assert parse_number("9.500", english.settle()) == 9.5
    with pytest.raises(
        ValueError, match=r"decimal commas \(line 3\) and decimal points \(line 4\)"
    ):
        parse_number("9.500", mixed.settle())
    assert parse_number("7,5", mixed.settle()) == 7.5  # unambiguous values still read
    with pytest.raises(ValueError, match="no other value in the column has a decimal mark"):
        parse_number("9.500", silent.settle())


def test_a_forced_decimal_mark_refuses_the_other_one():
    with pytest.raises(ValueError, match=r"'12\.5' has a decimal point but csv\.decimal is ','"):
        parse_number("12.5", forced_number_form(","))
    assert parse_number("12,5", forced_number_form(",")) == 12.5


@pytest.mark.parametrize(
    "text, expected",
    [
        ("9.500 Ft", (9500, "HUF")),
        ("€ 1.200,00", (1200, "EUR")),
        ("12 EUR", (12, "EUR")),
        ("HUF 9.500", (9500, "HUF")),
        ("$12.50", (12.5, "USD")),
        ("-5,5 eur", (-5.5, "EUR")),
        ("1.200,00", (1200, None)),
    ],
)
def test_currency_signs_and_codes_are_read_into_the_currency(text, expected):
    assert parse_money(text, NumberForm(decimal=",")) == expected


@pytest.mark.parametrize("text", ["lots", "1.2.3", "12 kr", "EUR 12 EUR", "12,5,5"])
def test_what_is_no_amount_is_an_error(text):
    with pytest.raises(ValueError):
        parse_money(text, ANY_NUMBER)


def test_currency_columns_read_signs_as_codes_and_keep_other_words():
    assert [currency_code(t) for t in ["Ft", "eur", " € ", "HUF", "Euro"]] == [
        "HUF",
        "EUR",
        "EUR",
        "HUF",
        "Euro",
    ]
