"""Money in one reporting currency: conversion before adding, the one warning, the display."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime

import pytest

from crmflags.cli.app import App
from crmflags.cli.output import to_json
from crmflags.errors import InputError
from crmflags.evaluation.evaluate import evaluate
from crmflags.loading.config import load_config
from crmflags.money import Converter, format_money

from conftest import client, csv_bundle, day, hours, invoice

AS_OF = day("2026-11-20")
NOW = datetime(2026, 11, 20, 9, 0)


@pytest.fixture(scope="module")
def freelancer():
    return App.start(None).ruleset("freelancer")


def forint_client():
    """A target of 15,000 Ft an hour; 10 hours billed 100,000 Ft, two thirds of it."""
    return client(
        "c-hu",
        hourly_rate_target=15_000,
        invoices=[invoice("2026-09-01", "2026-09-15", 100_000, paid="2026-09-10", currency="HUF")],
        time_entries=[hours("2026-09-02", 10)],
    )


def in_euro(settings, **rates):
    return replace(settings, currency="EUR", exchange_rates=tuple(rates.items()))


@pytest.mark.parametrize(
    "value, currency, language, shown",
    [
        (1200, "EUR", "en", "€1,200.00"),
        (1200, "EUR", "hu", "1\u00a0200,00\u00a0€"),
        (1200, "EUR", "fi", "1\u00a0200,00\u00a0€"),
        (1200, "EUR", "lv", "1\u00a0200,00\u00a0€"),
        (9500, "HUF", "hu", "9\u00a0500\u00a0Ft"),  # forints are written without fillér
        (9500, "HUF", "en", "HUF\u00a09,500"),
        (9500, "HUF", "fi", "9\u00a0500\u00a0HUF"),
        (1234567.891, "USD", "en", "$1,234,567.89"),
        (-42.5, "EUR", "lv", "-42,50\u00a0€"),
        (42.5, None, "hu", "42,50"),
    ],
)
def test_amounts_are_written_as_natives_write_them(value, currency, language, shown):
    assert format_money(value, currency, language) == shown


def test_the_converter_takes_rates_and_remembers_what_it_could_not_convert():
    money = Converter("EUR", {"HUF": 0.0025})
    assert money.convert(400_000, "HUF", "c-1") == pytest.approx(1000)
    assert money.convert(50, "eur", "c-1") == 50  # codes in any case
    assert money.convert(50, "€", "c-1") == 50  # and the sign exports write
    assert money.convert(50, None, "c-1") == 50  # no currency: the reporting one
    assert money.convert(100, "PLN", "c-2") is None
    assert money.convert(100, "PLN", "c-3") is None
    warning = money.warning()
    assert "PLN (2 client(s): c-2, c-3)" in warning and "exchange_rates" in warning


def test_without_a_setting_the_datas_only_currency_needs_nothing():
    money = Converter()
    assert money.convert(9500, "HUF", "c-1") == 9500
    assert money.convert(100, "HUF", "c-2") == 100
    assert money.reporting == "HUF" and money.warning() is None


def test_mixed_currencies_convert_before_they_add(freelancer, settings):
    # One client pays in forints, one in euros; 400,000 Ft is 1,000 EUR at 0.0025.
    hungarian = client(
        "c-hu",
        invoices=[invoice("2026-09-01", "2026-09-15", 400_000, paid="2026-09-10", currency="HUF")],
        time_entries=[hours("2026-09-02", 10)],
    )
    finnish = client(
        "c-fi",
        invoices=[invoice("2026-09-01", "2026-09-15", 3000, paid="2026-09-10", currency="EUR")],
        time_entries=[hours("2026-09-02", 30)],
    )
    evaluation = evaluate(
        [hungarian, finnish], freelancer, in_euro(settings, HUF=0.0025), AS_OF, NOW
    )
    hu, fi = (r.metrics for r in evaluation.results)
    assert hu["billed_amount"] == pytest.approx(1000)
    assert hu["revenue_share"] == pytest.approx(0.25)  # not 400000 / 403000
    assert fi["revenue_share"] == pytest.approx(0.75)
    # The forint client takes a quarter of the hours for a quarter of the money: no drain.
    assert hu["time_drain_ratio"] == pytest.approx(1.0)
    assert hu["effective_hourly_rate"] == pytest.approx(100)
    assert evaluation.warnings == [] and evaluation.currency == "EUR"


def test_a_target_rate_is_in_the_clients_own_currency(freelancer, settings):
    hungarian = forint_client()
    result = evaluate([hungarian], freelancer, in_euro(settings, HUF=0.0025), AS_OF, NOW).results[0]
    assert result.metrics["hourly_rate_target"] == pytest.approx(37.5)
    assert result.metrics["rate_vs_target"] == pytest.approx(2 / 3)
    assert "underpaying" in result.tags
    reason = next(r for r in result.reasons if r.tag == "underpaying")
    assert "€25.00" in reason.message and "€37.50" in reason.message
    assert reason.evidence["currency"] == "EUR"
    # Unless the client row says the target is in another currency.
    hungarian.fields["currency"] = "EUR"
    hungarian.hourly_rate_target = 30
    again = evaluate([hungarian], freelancer, in_euro(settings, HUF=0.0025), AS_OF, NOW).results[0]
    assert again.metrics["hourly_rate_target"] == 30
    assert "underpaying" not in again.tags  # 25 of 30 is above the 75% floor


def test_an_amount_without_a_rate_is_left_out_and_named_once(freelancer, settings):
    polish = [
        client(
            f"c-pl{i}",
            invoices=[invoice("2026-09-01", "2026-09-15", 9000, paid="2026-09-10", currency="PLN")],
            time_entries=[hours("2026-09-02", 80)],
        )
        for i in range(3)
    ]
    euro = client(
        "c-eu",
        invoices=[invoice("2026-09-01", "2026-09-15", 2000, paid="2026-09-10", currency="EUR")],
        time_entries=[hours("2026-09-02", 20)],
    )
    evaluation = evaluate([*polish, euro], freelancer, in_euro(settings), AS_OF, NOW)
    assert len(evaluation.warnings) == 1
    assert "PLN (3 client(s): c-pl0, c-pl1, c-pl2)" in evaluation.warnings[0]
    pl, eu = evaluation.results[0], evaluation.results[-1]
    assert pl.metrics["billed_amount"] is None and pl.metrics["revenue_share"] is None
    assert pl.tags == []  # not a time drain for an amount that could not be read
    # The euro client is the whole known portfolio: the zloty hours are not counted.
    assert eu.metrics["hours_share"] == 1 and eu.metrics["revenue_share"] == 1
    document = json.loads(to_json(evaluation))
    assert document["warnings"] == evaluation.warnings
    assert document["settings"]["currency"] == "EUR"


def test_one_currency_needs_no_setting_and_messages_name_it(freelancer, settings):
    overdue = client("c-1", invoices=[invoice("2026-08-01", "2026-08-15", 250_000, currency="HUF")])
    hungarian = replace(settings, language="hu")
    evaluation = evaluate([overdue], freelancer, hungarian, AS_OF, NOW)
    assert evaluation.warnings == [] and evaluation.currency == "HUF"
    reason = evaluation.results[0].reasons[0]
    assert "250\u00a0000\u00a0Ft" in reason.message


@pytest.mark.parametrize(
    "text, problem",
    [
        ("currency: euro\n", "ISO 4217"),
        ("exchange_rates: {HUF: 0.0025}\n", "needs currency"),
        ("currency: EUR\nexchange_rates: [HUF]\n", "must map currency codes"),
        ("currency: EUR\nexchange_rates:\n  HUF: -1\n", "above 0"),
        ("currency: EUR\nexchange_rates:\n  forint: 0.0025\n", "not an ISO 4217"),
        ("currency: EUR\nexchange_rates:\n  EUR: 2\n", "reporting currency"),
        ("language: de\n", "language must be one of en, hu, fi, lv"),
    ],
)
def test_bad_money_settings_name_the_line(tmp_path, text, problem):
    path = tmp_path / "crmflags.yaml"
    path.write_text("ruleset: freelancer\n" + text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_config(path, set())
    assert problem in str(caught.value)
    assert "crmflags.yaml:" in str(caught.value)


def test_money_settings_are_read(tmp_path):
    path = tmp_path / "crmflags.yaml"
    path.write_text("currency: eur\nexchange_rates:\n  huf: 0.0025\nlanguage: fi\n", "utf-8")
    settings = load_config(path, set()).settings
    assert settings.currency == "EUR" and dict(settings.exchange_rates) == {"HUF": 0.0025}
    assert settings.language == "fi"


def test_explain_shows_amounts_with_their_currency_in_the_output_language(freelancer, settings):
    from crmflags.evaluation.evaluate import metric_units
    from crmflags.evaluation.explain import explain, render_explanation

    hungarian = forint_client()
    in_hungarian = replace(settings, language="hu")
    evaluation = evaluate([hungarian], freelancer, in_hungarian, AS_OF, NOW)
    units = {**metric_units({}), **freelancer.text_metrics()}
    text = render_explanation(explain(evaluation, evaluation.results[0], units))
    assert "rate_vs_target = 0,67  < rate_floor (0,75)" in text
    assert "-> a tényleges óradíj 10\u00a0000\u00a0Ft, a cél 15\u00a0000\u00a0Ft" in text


def test_a_mixed_currency_bundle_on_the_command_line(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from crmflags.cli import cli

    monkeypatch.delenv("CRMFLAGS_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    csv_bundle(
        tmp_path,
        clients="id,name,hourly_rate_target\nc-hu,Példa Kft,15000\nc-fi,Esimerkki Oy,60\n"
        "c-pl,Przykład,200\nc-pl2,Drugi,200\n",
        invoices="client_id,invoice_id,issued_on,due_on,paid_on,amount,currency\n"
        'c-hu,1,2026-09-01,2026-09-15,2026-09-10,"1 200 000",HUF\n'
        "c-fi,2,2026-09-01,2026-09-15,2026-09-10,3000,EUR\n"
        "c-pl,3,2026-09-01,2026-09-15,2026-09-10,4000,PLN\n"
        "c-pl2,4,2026-09-01,2026-09-15,2026-09-10,4000,PLN\n",
        time_entries="client_id,date,hours\nc-hu,2026-09-02,80\nc-fi,2026-09-02,50\n"
        "c-pl,2026-09-02,20\nc-pl2,2026-09-02,20\n",
    )
    (tmp_path / "crmflags.yaml").write_text(
        "timezone: Europe/Budapest\ncurrency: EUR\nexchange_rates: {HUF: 0.0025}\n"
        "csv: {source: .}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["evaluate", "--as-of", "2026-11-20", "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    by_id = {c["id"]: c for c in document["clients"]}
    # 1,200,000 Ft is €3,000: the forint client earns €37.50 an hour against €37.50: fine.
    assert by_id["c-hu"]["tags"] == []
    # 80 + 50 hours for €3,000 each: no one is a drain, and the zloty hours are not counted.
    assert all("time_drain" not in c["tags"] for c in document["clients"])
    assert by_id["c-fi"]["tags"] == []
    (warning,) = document["warnings"]
    assert "PLN (2 client(s): c-pl, c-pl2)" in warning
    assert result.stderr.count("have no exchange rate") == 1
