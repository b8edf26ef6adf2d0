"""Message templates: ``"{late_invoices} of {invoices_paid} invoices paid late"``.

A template can only name metrics and params between braces; ``{{`` and ``}}`` stand
for literal braces. Nothing else is evaluated: no attributes, indexes, calls or
format specs, so a ruleset from anywhere cannot reach into the program.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_PART = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


def template_names(template: str) -> list[str]:
    """Return the names a template uses; raise ValueError if it is malformed."""
    names = []
    for match in _PART.finditer(template):
        token = match.group(0)
        if token in ("{{", "}}"):
            continue
        name = match.group(1)
        if name is None:
            raise ValueError(
                f"unmatched {token!r} in message (write {token * 2} for a literal brace)"
            )
        if not _NAME.match(name.strip()):
            raise ValueError(
                f"{{{name}}} in message: only a metric or param name may stand in braces"
            )
        names.append(name.strip())
    return names


def render(template: str, value_of: Callable[[str], str]) -> str:
    """Fill a validated template, asking ``value_of(name)`` for each name's text."""

    def replace(match: re.Match) -> str:
        token = match.group(0)
        if token in ("{{", "}}"):
            return token[0]
        return value_of(match.group(1).strip())

    return _PART.sub(replace, template)
