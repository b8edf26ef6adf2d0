"""The table ``evaluate`` and ``demo`` print: wrapped at word boundaries, tags with labels."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone

import pytest

from crmflags.cli.output import PLAIN_WIDTH, to_table
from crmflags.evaluation.evaluate import ClientResult, Evaluation, Reason
from crmflags.model import Client
from crmflags.report.vocabulary import TAG_LABELS, tag_label
from crmflags.rules.ruleset import Ruleset
from crmflags.settings import Settings
from crmflags.tags import TAGS

LONG_REASON = (
    "8 of 9 invoices paid late, 26.8 days late on average, and the client answered every "
    "reminder with a counter-proposal about the scope of the original statement-of-work"
)


def evaluation() -> Evaluation:
    ruleset = Ruleset("freelancer", "", None, {}, [], {"watch": 2, "warning": 5, "fire": 9})
    client = Client(id="c-15", name="Dunapart Ingatlanfejlesztő és Vagyonkezelő Kft.")
    reasons = [
        Reason("chronic-late-payment", "late_payer", 4, LONG_REASON, {}, ""),
        Reason("abuse-words", "abusive", 5, "1 note(s) with insults, threats or shouting", {}, ""),
    ]
    result = ClientResult(client, 9, "fire", ["abusive", "late_payer"], reasons, {})
    settings = Settings(timezone=timezone.utc, timezone_name="UTC")
    moment = datetime(2026, 11, 20, 23, 59, tzinfo=timezone.utc)
    return Evaluation(ruleset, moment, date(2026, 11, 20), settings, [result])


@pytest.mark.parametrize("width", [60, 80, PLAIN_WIDTH, 160])
def test_the_table_fits_the_width_and_cuts_no_word(width):
    table = to_table(evaluation(), width)
    lines = [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in table.splitlines()]
    assert max(len(line) for line in lines) <= width
    start = next(i for i, line in enumerate(lines) if "- late_payer: 8 of 9" in line)
    end = next(i for i, line in enumerate(lines) if "- abusive:" in line)
    assert " ".join(lines[start:end]).split() == ["-", "late_payer:", *LONG_REASON.split()]
    assert "Dunapart" in table and "Kft." in table and "…" not in table
    if width < 170:  # the reason is longer than the line: it goes on, indented under it
        assert end > start + 1 and all(line.startswith(" " * 8) for line in lines[start + 1 : end])


def test_tags_show_their_label_in_the_configured_language_beside_the_name():
    table = to_table(evaluation(), 160)
    assert "abusive (Insults and threats), late_payer (Pays late)" in table
    hungarian = to_table(evaluation(), 160, "hu")
    assert "late_payer (Késve fizet)" in hungarian and "abusive (Sértegető, fenyegető)" in hungarian


def test_every_tag_has_a_label_in_every_language():
    for lang, labels in TAG_LABELS.items():
        assert set(labels) == set(TAGS), lang
        assert all(label.strip() for label in labels.values())
    assert tag_label("late_payer", "xx") == "Pays late"
