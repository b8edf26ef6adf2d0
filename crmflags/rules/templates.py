"""Message templates: ``"{late_invoices} of {invoices_paid} invoices paid late"``.

A template can only name metrics and params between braces; ``{{`` and ``}}`` stand
for literal braces. Nothing else is evaluated: no attributes, indexes, calls or
format specs, so a ruleset from anywhere cannot reach into the program.
"""

from __future__ import annotations

import functools
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
    return "".join(
        text if name is None else text + value_of(name) for text, name in compiled(template)
    )


@functools.lru_cache(maxsize=1024)
def compiled(template: str) -> tuple[tuple[str, str | None], ...]:
    """Return a validated template as (literal text, name or None) pieces, worked out once
    per template however many clients' messages are filled with it."""
    pieces: list[tuple[str, str | None]] = []
    position = 0
    for match in _PART.finditer(template):
        text = template[position : match.start()]
        token = match.group(0)
        if token in ("{{", "}}"):
            pieces.append((text + token[0], None))
        else:
            pieces.append((text, match.group(1).strip()))
        position = match.end()
    pieces.append((template[position:], None))
    return tuple(pieces)
