"""Reasons in another language: a reason's message and advice written again from its rule.

A reason is written in the configuration's ``language`` when it is evaluated, and kept
so in the state store. The report is read in the language its reader picks
(``report --lang``), so its reasons are written again from the rule's text in that
language, filled with the values the reason's evidence kept. A reason whose rule is gone,
or whose evidence lacks a value the template needs, keeps the text it has.
"""

from __future__ import annotations

from typing import Any

from crmflags.evaluation.evaluate import Texts
from crmflags.rules.ruleset import Ruleset


def reasons_in(
    reasons: list[dict[str, Any]], ruleset: Ruleset, units: dict[str, str], language: str
) -> list[dict[str, Any]]:
    """Return reasons (as in the JSON output) with message and advice in ``language``."""
    rules = {rule.id: rule for rule in ruleset.rules}
    params = ruleset.param_values()
    written = []
    for reason in reasons:
        rule = rules.get(str(reason.get("rule")))
        if rule is None:
            written.append(reason)
            continue
        evidence = reason.get("evidence") or {}
        texts = Texts(units, params, language, evidence.get("currency"))
        template = rule.message_in(language)
        needed = [name for name in rule.message_names() if name in units]
        message = reason.get("message", "")
        if template and all(name in evidence for name in needed):
            message = texts.render(template, evidence)
        written.append({**reason, "message": message, "advice": rule.advice_in(language)})
    return written
