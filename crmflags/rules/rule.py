"""A ruleset's rules as they are loaded: its params and its rules with their conditions."""

from __future__ import annotations

from dataclasses import dataclass, field

from crmflags.rules.conditions import Condition, comparisons
from crmflags.rules.templates import template_names


@dataclass(frozen=True)
class Param:
    """A named threshold with its default and, after configuration, its value."""

    name: str
    value: float
    description: str = ""


@dataclass(frozen=True)
class Rule:
    """One rule: when ``when`` holds, the client gets ``tag`` and ``weight`` points."""

    id: str
    tag: str
    weight: float
    when: Condition
    message: str
    advice: str
    description: str
    source: str
    #: The message and advice per language (``message: {en: ..., hu: ...}``), if given so.
    messages: dict[str, str] = field(default_factory=dict)
    advices: dict[str, str] = field(default_factory=dict)

    def metrics_read(self) -> list[str]:
        """Return the metrics the rule's conditions read, each once, in written order."""
        return list(dict.fromkeys(c.metric for c in comparisons(self.when)))

    def message_names(self) -> list[str]:
        """Return the metric and param names the message shows in any language, each once."""
        templates = [self.message, *self.messages.values()]
        return list(dict.fromkeys(name for text in templates for name in template_names(text)))

    def message_in(self, language: str) -> str:
        """Return the message template in ``language``, or the default one."""
        return self.messages.get(language, self.message)

    def advice_in(self, language: str) -> str:
        """Return the advice in ``language``, or the default one."""
        return self.advices.get(language, self.advice)
