"""Reasons and advice in the owner's language: the CRM, the output, and the report page."""

from __future__ import annotations

import csv
import html
import json
import re

import pytest
from click.testing import CliRunner

from crmflags.cli import cli
from crmflags.cli.app import App
from crmflags.errors import InputError
from crmflags.text import LANGUAGES

from conftest import csv_bundle

#: Words each language's shipped advice on an overdue invoice must use (not English).
OVERDUE_ADVICE = {
    "en": "Pause work until the invoices are paid.",
    "hu": "Állítsd le a munkát, amíg ki nem fizetik a számlákat.",
    "fi": "Keskeytä työ, kunnes laskut on maksettu.",
    "lv": "Aptur darbu, līdz rēķini ir apmaksāti.",
}
#: The overdue message's amount of 250,000 forints as each language writes it.
AMOUNT = {
    "en": "HUF\u00a0250,000",
    "hu": "250\u00a0000\u00a0Ft",
    "fi": "250\u00a0000\u00a0HUF",
    "lv": "250\u00a0000\u00a0HUF",
}


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def bundle(tmp_path, monkeypatch):
    """A client paying a month late, with an invoice 80 days overdue, configured in Hungarian."""
    monkeypatch.delenv("CRMFLAGS_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    folder = csv_bundle(
        tmp_path / "exports",
        clients="id,name\nc-1,Példa Kft\n",
        invoices="client_id,invoice_id,issued_on,due_on,paid_on,amount,currency\n"
        "c-1,i-1,2026-08-15,2026-09-01,,250000,HUF\n"
        "c-1,i-2,2026-03-01,2026-03-15,2026-04-14,100000,HUF\n"
        "c-1,i-3,2026-04-01,2026-04-15,2026-05-15,100000,HUF\n"
        "c-1,i-4,2026-05-01,2026-05-15,2026-06-14,100000,HUF\n",
    )
    config = tmp_path / "crmflags.yaml"
    config.write_text(
        "timezone: Europe/Budapest\nlanguage: hu\ncsv:\n  source: exports\nstate: state.db\n",
        encoding="utf-8",
    )
    return folder, config


def test_every_shipped_rule_speaks_four_languages():
    app = App.start(None)
    for name in app.library().available():
        for rule in app.ruleset(name).rules:
            assert set(rule.messages) >= set(LANGUAGES), (name, rule.id)
            assert set(rule.advices) >= set(LANGUAGES), (name, rule.id)
            assert len(set(rule.advices.values())) == len(rule.advices), (name, rule.id)


def test_the_configured_language_is_what_is_printed_and_written(bundle):
    folder, config = bundle
    result = run("--config", str(config), "evaluate", "--as-of", "2026-11-20", "--format", "json")
    reasons = json.loads(result.stdout)["clients"][0]["reasons"]
    reason = next(r for r in reasons if r["rule"] == "invoice-long-overdue")
    assert reason["advice"].startswith(OVERDUE_ADVICE["hu"])
    assert reason["message"] == (
        "1 kifizetetlen számla, 250\u00a0000\u00a0Ft tartozás, a legrégebbi 80 napja lejárt"
    )
    assert reason["tag"] == "late_payer"  # tag names stay English
    assert run("--config", str(config), "sync", "--as-of", "2026-11-20").exit_code == 0
    with open(folder / "clients.csv", encoding="utf-8") as file:
        (row,) = list(csv.DictReader(file))
    assert "late_payer: " + reason["message"] in row["risk_reasons"]
    assert (
        "3 kifizetett számlából 3 késve érkezett, átlagosan 30 napos késéssel"
        in row["risk_reasons"]
    )
    assert row["risk_tags"] == "late_payer"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_report_is_written_in_the_pages_language(bundle, tmp_path, lang):
    _, config = bundle
    assert run("--config", str(config), "sync", "--as-of", "2026-11-20").exit_code == 0
    page = tmp_path / f"risk-{lang}.html"
    # From the state store (written in Hungarian) and evaluated now: both in the page's language.
    for extra in ([], ["--connector", "csv", "--as-of", "2026-11-20"]):
        result = run("--config", str(config), "report", "-o", str(page), "--lang", lang, *extra)
        assert result.exit_code == 0, result.output
        shown = html.unescape(re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8")))
        assert OVERDUE_ADVICE[lang] in shown
        assert AMOUNT[lang] in shown
        others = [advice for other, advice in OVERDUE_ADVICE.items() if other != lang]
        assert not any(advice in shown for advice in others)


def ruleset_file(tmp_path, message: str) -> str:
    path = tmp_path / "mine.yaml"
    path.write_text(
        "extends: base\nrules:\n  - id: mine\n    tag: late_payer\n    when: invoices >= 1\n"
        f"    message:\n{message}",
        encoding="utf-8",
    )
    return str(path)


@pytest.mark.parametrize(
    "message, problem",
    [
        ("      english: hello\n", "two-letter codes"),
        ('      hu: "{invoicez} számla"\n', "neither a metric nor a param"),
        ("      fi: 3\n", "must be text"),
    ],
)
def test_a_bad_message_per_language_names_its_line(tmp_path, message, problem):
    with pytest.raises(InputError) as caught:
        App.start(None).ruleset(ruleset_file(tmp_path, message))
    assert problem in str(caught.value) and "mine.yaml:7" in str(caught.value)


def test_a_language_the_rule_lacks_falls_back_to_english(tmp_path):
    path = ruleset_file(
        tmp_path, '      en: "{invoices} invoice(s)"\n      hu: "{invoices} számla"\n'
    )
    rule = App.start(None).ruleset(path).rules[-1]
    assert rule.message_in("hu") == "{invoices} számla"
    assert rule.message_in("lv") == "{invoices} invoice(s)" == rule.message
