"""The ``rules:`` of a ruleset file: each rule, its condition and its texts, checked.

:func:`read_rules` reads the list into :class:`~crmflags.rules.rule.Rule` objects,
adding every problem to the file's errors (with its line) rather than stopping at the
first; a rule that changes an inherited one gives only the keys it changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from crmflags.errors import did_you_mean, place
from crmflags.rules.conditions import AllOf, AnyOf, Condition, negate, parse_comparison
from crmflags.rules.rule import Param, Rule
from crmflags.rules.templates import template_names
from crmflags.tags import TAGS
from crmflags.text import LANGUAGES
from crmflags.yamlfile import YamlList, YamlMap, is_finite_number

RULE_KEYS = ("id", "tag", "weight", "when", "message", "advice", "description", "disabled")
_RULE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
#: A two-letter language code, as in ``message: {en: ..., hu: ...}``.
_LANGUAGE = re.compile(r"^[a-z]{2}$")


class Errors(Protocol):
    """Where the problems of one ruleset file are collected, each with its line."""

    path: Path
    messages: list[str]

    def add(self, line: int | None, message: str) -> None:
        """Add a problem found at ``line`` of the file."""


@dataclass(frozen=True)
class Scope:
    """What the rules of one file may name: its params and the metrics with their units."""

    params: dict[str, Param]
    units: dict[str, str]


def read_rules(
    data: YamlMap,
    errors: Errors,
    scope: Scope,
    disabled: dict[str, int],
    inherited: dict[str, Rule],
) -> list[Rule]:
    """Return this file's rules; ``disabled`` collects the ids it turns off, with their line.

    A rule with the id of one of the ``inherited`` rules replaces it, and may give
    only the keys it changes (e.g. only ``weight``); the others are inherited.
    """
    raw = data.get("rules")
    if raw is None:
        return []
    if not isinstance(raw, YamlList):
        errors.add(data.line_of("rules"), "rules must be a list")
        return []
    rules, seen = [], {}  # type: ignore[var-annotated]
    for index, item in enumerate(raw):
        line = raw.line_of(index)
        if not isinstance(item, YamlMap):
            errors.add(line, "a rule must be a mapping with id, tag, weight, when")
            continue
        if item.get("disabled") is True:
            _disabled(item, errors, scope, disabled)
            continue
        rule_id = item.get("id")
        base = inherited.get(rule_id) if isinstance(rule_id, str) else None
        rule = _rule(item, errors, scope, base)
        if rule is None:
            continue
        if rule.id in seen:
            errors.add(
                item.line_of("id"),
                f"rule id {rule.id!r} is used twice (first on line {seen[rule.id]})",
            )
            continue
        seen[rule.id] = item.line_of("id")
        rules.append(rule)
    return rules


def _disabled(item: YamlMap, errors: Errors, scope: Scope, disabled: dict[str, int]) -> None:
    """Record ``- {id: x, disabled: true}``: the inherited rule x is switched off."""
    for key in item:
        if key not in ("id", "disabled", "description"):
            errors.add(
                item.line_of(key), f"a disabled rule has only id (and description), not {key!r}"
            )
    if isinstance(item.get("id"), str):
        disabled[item["id"]] = item.line_of("id")
    else:
        errors.add(item.line, "a disabled rule needs the id of the inherited rule it turns off")


def _rule(item: YamlMap, errors: Errors, scope: Scope, base: Rule | None = None) -> Rule | None:
    """Return the rule an item describes; ``base`` is the inherited rule it changes."""
    before = len(errors.messages)
    for key in item:
        if key not in RULE_KEYS:
            errors.add(
                item.line_of(key),
                f"unknown key {key!r}{did_you_mean(key, RULE_KEYS)} in rule; "
                f"keys are {', '.join(RULE_KEYS)}",
            )
    for key in ("id",) if base else ("id", "tag", "when"):
        if key not in item:
            errors.add(item.line, f"rule needs {key!r}")
    if base and not any(key in item for key in RULE_KEYS if key != "id"):
        errors.add(
            item.line,
            f"rule {base.id!r} repeats an inherited rule and changes nothing: give the "
            "keys to change (e.g. weight), or disabled: true to turn it off",
        )
    rule_id = item.get("id")
    if "id" in item and (not isinstance(rule_id, str) or not _RULE_ID.match(rule_id)):
        errors.add(
            item.line_of("id"),
            f"rule id {rule_id!r} must be lower-case letters, digits, - and _",
        )
    tag = item.get("tag", base.tag if base else None)
    if "tag" in item and tag not in TAGS:
        errors.add(
            item.line_of("tag"),
            f"unknown tag {tag!r}{did_you_mean(tag, TAGS)}; tags are listed in docs/rulesets.md",
        )
    weight = item.get("weight", base.weight if base else 1)
    if not is_finite_number(weight) or weight < 0:
        errors.add(item.line_of("weight"), f"weight must be a number of 0 or more, not {weight!r}")
    texts = {}
    translated: dict[str, dict[str, str]] = {"message": {}, "advice": {}}
    for key in ("message", "advice", "description"):
        if key not in item and base:  # a partial override keeps the inherited text
            value = getattr(base, key)
            if key in translated:
                translated[key] = dict(base.messages if key == "message" else base.advices)
        else:
            value = item.get(key, "")
        if key in translated and isinstance(value, YamlMap):
            translated[key] = _per_language(value, key, errors)
            value = translated[key].get("en") or next(iter(translated[key].values()), "")
        elif not isinstance(value, str):
            errors.add(item.line_of(key), f"{key} must be text, or text per language")
            value = ""
        texts[key] = value
    when = (
        _when(item["when"], item.line_of("when"), errors, scope)
        if "when" in item
        else (base.when if base else None)
    )
    templates = {"": texts["message"], **translated["message"]}
    for language, template in templates.items():
        given = item.get("message")
        line = (
            given.line_of(language)
            if language and isinstance(given, YamlMap)
            else item.line_of("message")
        )
        try:
            names = template_names(template)
        except ValueError as exc:
            errors.add(line, str(exc))
            continue
        for name in names:
            if name not in scope.units and name not in scope.params:
                errors.add(
                    line,
                    f"message names {{{name}}}, which is neither a metric "
                    f"nor a param{did_you_mean(name, [*scope.units, *scope.params])}",
                )
    if len(errors.messages) > before or when is None:
        return None
    if base:
        source = f"{place(errors.path, item.line)}, changing {base.source}"
        return replace(
            base,
            tag=str(tag),
            weight=float(weight),
            when=when,
            **texts,
            source=source,
            messages=translated["message"],
            advices=translated["advice"],
        )
    return Rule(
        id=rule_id,  # type: ignore[arg-type]  # checked above, else an error was added
        tag=tag,  # type: ignore[arg-type]
        weight=float(weight),
        when=when,
        message=texts["message"],
        advice=texts["advice"],
        description=texts["description"],
        source=place(errors.path, item.line),
        messages=translated["message"],
        advices=translated["advice"],
    )


def _when(node: Any, line: int, errors: Errors, scope: Scope) -> Condition | None:
    if isinstance(node, str):
        try:
            comparison = parse_comparison(node, line)
        except ValueError as exc:
            errors.add(line, str(exc))
            return None
        ok = True
        if comparison.metric not in scope.units:
            errors.add(
                line,
                f"unknown metric {comparison.metric!r}"
                f"{did_you_mean(comparison.metric, scope.units)}; see docs/metrics.md",
            )
            ok = False
        if comparison.param is not None and comparison.param not in scope.params:
            errors.add(
                line,
                f"unknown param {comparison.param!r}{did_you_mean(comparison.param, scope.params)}; "
                "declare it under params",
            )
            ok = False
        return comparison if ok else None
    if isinstance(node, YamlMap) and len(node) == 1:
        ((key, value),) = node.items()
        key_line = node.line_of(key)
        if key == "not":
            inner = _when(value, key_line, errors, scope)
            return negate(inner) if inner is not None else None
        if key in ("all", "any"):
            if not isinstance(value, YamlList) or not value:
                errors.add(key_line, f"{key} must be a list of conditions")
                return None
            items = [_when(v, value.line_of(i), errors, scope) for i, v in enumerate(value)]
            if any(item is None for item in items):
                return None
            return (AllOf if key == "all" else AnyOf)(tuple(items))  # type: ignore[arg-type]
        errors.add(
            key_line,
            f"unknown condition {key!r}{did_you_mean(key, ['all', 'any', 'not'])}; "
            "use all, any, not or a comparison",
        )
        return None
    errors.add(
        line,
        "a condition is a comparison such as 'avg_days_late > 14', "
        "or a mapping with one of all, any, not",
    )
    return None


def _per_language(value: YamlMap, key: str, errors: Errors) -> dict[str, str]:
    """Read ``message: {en: ..., hu: ...}``: texts by two-letter language code."""
    texts = {}
    before = len(errors.messages)
    for language, text in value.items():
        line = value.line_of(language)
        if not isinstance(language, str) or not _LANGUAGE.match(language):
            errors.add(
                line,
                f"{key} languages are two-letter codes ({', '.join(LANGUAGES)}, ...), "
                f"not {language!r}",
            )
        elif not isinstance(text, str) or not text.strip():
            errors.add(line, f"{key} in {language} must be text")
        else:
            texts[language] = text
    if not texts and len(errors.messages) == before:
        errors.add(value.line, f"{key} gives no text in any language")
    return texts
