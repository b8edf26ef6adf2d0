"""The ``when`` tree of a rule: all/any/not over metric comparisons.

A comparison is written ``METRIC OP VALUE``: ``late_invoice_share >= 50%``,
``avg_days_late > late_days`` (a ruleset param), ``gut_feeling == yes``. OP is one
of ``< <= > >= == !=``. A comparison on a metric with no value (None) is false,
and so is its negation: ``not`` is applied by flipping the comparisons beneath it
(De Morgan), so ``not: avg_days_late > 14`` means ``avg_days_late <= 14``.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Mapping
from dataclasses import dataclass

OPS = ("<=", ">=", "==", "!=", "<", ">")
NEGATED = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}
_COMPARISON = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(<=|>=|==|!=|<|>|=)\s*(\S.*?)\s*$")
_NUMBER = re.compile(r"^[-+]?(\d+(\.\d*)?|\.\d+)(%?)$")
_WORDS = {"yes": 1.0, "true": 1.0, "no": 0.0, "false": 0.0}
_COMPARE = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}


@dataclass(frozen=True)
class Comparison:
    """``metric op value``; ``param`` names the ruleset param the value comes from."""

    metric: str
    op: str
    value: float | None
    param: str | None
    line: int

    def negated(self) -> Comparison:
        """Return the comparison with the opposite operator."""
        return Comparison(self.metric, NEGATED[self.op], self.value, self.param, self.line)

    def threshold(self, params: dict[str, float]) -> float:
        """Return the number compared with: the literal, or the param's value."""
        return params[self.param] if self.param is not None else self.value  # type: ignore[return-value]

    def text(self) -> str:
        """Return the comparison as written (with the param's name, if any)."""
        right = self.param if self.param is not None else f"{self.value:g}"
        return f"{self.metric} {self.op} {right}"

    def holds(self, value: float | None, params: dict[str, float]) -> bool:
        """Evaluate the comparison on one metric value in Python (None is false)."""
        if value is None:
            return False
        return _COMPARE[self.op](value, self.threshold(params))


@dataclass(frozen=True)
class AllOf:
    """True when every item is true."""

    items: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    """True when at least one item is true."""

    items: tuple[Condition, ...]


Condition = Comparison | AllOf | AnyOf


def parse_comparison(text: str, line: int) -> Comparison:
    """Parse ``METRIC OP VALUE``; raise ValueError saying what is wrong.

    The metric and param names are checked later, against the catalogue and the
    ruleset's params.
    """
    match = _COMPARISON.match(text)
    if not match:
        raise ValueError(
            f"cannot read condition {text!r}: write METRIC OP VALUE, e.g. 'avg_days_late > 14'"
        )
    metric, op, right = match.groups()
    if op == "=":
        raise ValueError(f"condition {text!r}: use == to compare for equality")
    number = _NUMBER.match(right)
    if number:
        value = float(right.rstrip("%"))
        return Comparison(metric, op, value / 100 if number.group(3) else value, None, line)
    if right.lower() in _WORDS:
        return Comparison(metric, op, _WORDS[right.lower()], None, line)
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", right):
        return Comparison(metric, op, None, right, line)
    raise ValueError(f"condition {text!r}: {right!r} is neither a number, yes/no, nor a param name")


def negate(condition: Condition) -> Condition:
    """Return the negation of a condition, pushed down to its comparisons."""
    if isinstance(condition, Comparison):
        return condition.negated()
    if isinstance(condition, AllOf):
        return AnyOf(tuple(negate(item) for item in condition.items))
    return AllOf(tuple(negate(item) for item in condition.items))


def comparisons(condition: Condition) -> list[Comparison]:
    """Return the comparisons of a condition, in the order they are written."""
    if isinstance(condition, Comparison):
        return [condition]
    return [c for item in condition.items for c in comparisons(item)]


def holds(
    condition: Condition, metrics: Mapping[str, float | None], params: dict[str, float]
) -> bool:
    """Evaluate a condition in Python, with the same meaning the rule engine gives it."""
    if isinstance(condition, Comparison):
        return condition.holds(metrics.get(condition.metric), params)
    if isinstance(condition, AllOf):
        return all(holds(item, metrics, params) for item in condition.items)
    return any(holds(item, metrics, params) for item in condition.items)


def describe(condition: Condition) -> str:
    """Return a condition as one line: ``all(a > 1, any(b < 2, c == 1))``."""
    if isinstance(condition, Comparison):
        return condition.text()
    word = "all" if isinstance(condition, AllOf) else "any"
    return f"{word}({', '.join(describe(item) for item in condition.items)})"
