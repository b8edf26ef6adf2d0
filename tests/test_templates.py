"""Message templates: names filled in, doubled braces literal, each template worked out once."""

from __future__ import annotations

from crmflags.rules.templates import compiled, render


def test_names_are_filled_and_doubled_braces_stay_literal():
    values = {"late": "3", "paid": "10"}
    text = render("{late} of { paid } paid late {{not a name}} {late}", values.__getitem__)
    assert text == "3 of 10 paid late {not a name} 3"
    assert render("", values.__getitem__) == ""
    assert render("no names at all", values.__getitem__) == "no names at all"


def test_a_template_is_worked_out_once_for_every_client():
    template = "{overdue_invoices} invoices overdue (template seen once)"
    compiled.cache_clear()
    for count in range(500):
        assert (
            render(template, lambda name, n=count: str(n))
            == f"{count} invoices overdue (template seen once)"
        )
    assert compiled.cache_info().misses == 1
