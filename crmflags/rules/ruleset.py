"""Rulesets: YAML files of rules, validated completely before anything runs.

A ruleset names the metrics it compares, the tag each rule raises, the rule's weight,
a message template and advice, and the score bands of the levels. ``extends`` takes
another ruleset's params, rules and levels and changes some of them. Every error
names ``file:line``; all errors of a file are reported together. The format is
documented in ``docs/rulesets.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crmflags.errors import InputError, did_you_mean, place
from crmflags.loading.config import parse_business_hours
from crmflags.model import NOTE_MARKERS
from crmflags.rules.matching.matcher import TermMatcher
from crmflags.rules.matching.terms import (
    DEFAULT_NEGATION_WINDOW,
    Negation,
    Speakers,
    TermList,
    check_addressed,
    check_sentences,
    check_term,
    check_window,
)
from crmflags.rules.rule import Param, Rule
from crmflags.rules.rule_items import Scope, read_rules
from crmflags.settings import BusinessHours
from crmflags.tags import LEVELS
from crmflags.text import LANGUAGES
from crmflags.yamlfile import YamlList, YamlMap, is_finite_number, load_yaml

#: durable_rules fails past about 480 rules in one ruleset (docs/decisions.md).
MAX_RULES = 400
DEFAULT_LEVELS = {"watch": 2.0, "warning": 5.0, "fire": 9.0}
TOP_KEYS = (
    "name",
    "description",
    "extends",
    "params",
    "terms",
    "negation",
    "speakers",
    "rules",
    "levels",
    "business_hours",
    "examples",
)
TERM_KEYS = (
    "description",
    *LANGUAGES,
    "exclude",
    "harmless",
    "window",
    "days",
    "sentences",
    "markers",
    "quoted",
)
NEGATION_KEYS = ("description", *LANGUAGES, "exclude", "boundaries", "questions", "window")
SPEAKER_KEYS = ("description", "third_party", "client", "addressed")
#: The furthest back (days) a term list may count notes: ten years.
MAX_DAYS = 3650
_DAYS_PROBLEM = f"a whole number of days from 1 to {MAX_DAYS}"
_LANGUAGE = re.compile(r"^[a-z]{2}$")

#: How many compiled term matchers a process keeps (the least recently used goes first).
MATCHERS_KEPT = 4
#: Compiled term matchers by what they compile (see :meth:`Ruleset.term_matcher`).
_MATCHERS: dict[str, TermMatcher] = {}


@dataclass
class Ruleset:
    """A validated ruleset with ``extends`` resolved."""

    name: str
    description: str
    path: Path
    params: dict[str, Param]
    rules: list[Rule]
    levels: dict[str, float]
    lineage: list[str] = field(default_factory=list)
    terms: dict[str, TermList] = field(default_factory=dict)
    examples: YamlList | None = None
    negation: Negation | None = None
    speakers: Speakers | None = None

    def term_matcher(self) -> TermMatcher | None:
        """Return the term lists compiled with the ruleset's negation and speakers (None: no lists).

        Compiling the shipped lists takes seconds and a matcher never changes once made,
        so the same lists, negation and speakers are compiled once per process: a
        ruleset's examples, each evaluated on its own, share one matcher.
        """
        if not self.terms:
            return None
        lists = list(self.terms.values())
        key = repr((lists, self.negation, self.speakers))
        matcher = _MATCHERS.pop(key, None) or TermMatcher(lists, self.negation, self.speakers)
        _MATCHERS[key] = matcher  # the most recently used last
        while len(_MATCHERS) > MATCHERS_KEPT:
            del _MATCHERS[next(iter(_MATCHERS))]
        return matcher

    #: The trade's usual business hours; ``business_hours:`` in crmflags.yaml wins.
    business_hours: BusinessHours | None = None

    def text_metrics(self) -> dict[str, str]:
        """Return the metrics the term lists give (``text_<list>``, a count of notes) with units."""
        return {text_metric(name): "count" for name in self.terms}

    def param_values(self) -> dict[str, float]:
        """Return each param's value by name."""
        return {name: p.value for name, p in self.params.items()}

    def level_for(self, score: float) -> str:
        """Return the level whose band the score falls in."""
        level = LEVELS[0]
        for name in LEVELS[1:]:
            if score >= self.levels[name]:
                level = name
        return level

    def metrics_read(self) -> list[str]:
        """Return every metric the rules' conditions read, each once."""
        return list(dict.fromkeys(m for rule in self.rules for m in rule.metrics_read()))

    def metrics_used(self) -> list[str]:
        """Return every metric the rules read or show in a message, each once."""
        shown = (n for rule in self.rules for n in rule.message_names() if n not in self.params)
        return list(dict.fromkeys([*self.metrics_read(), *shown]))

    def override_params(self, values: dict[str, Any], where: dict[str, str]) -> None:
        """Set params from the configuration; ``where`` gives each name's file:line."""
        for name, value in values.items():
            if name not in self.params:
                raise InputError(
                    f"ruleset {self.name!r} has no param {name!r}{did_you_mean(name, self.params)}",
                    where.get(name),
                )
            self.params[name] = Param(name, float(value), self.params[name].description)


class _Errors:
    """Collects the errors of one file, to report them all at once."""

    def __init__(self, path: Path):
        self.path = path
        self.messages: list[str] = []

    def add(self, line: int | None, message: str) -> None:
        self.messages.append(f"{place(self.path, line)}: {message}")

    def raise_if_any(self) -> None:
        if self.messages:
            raise InputError("\n".join(self.messages))


def names_a_file(name_or_path: str) -> bool:
    """Tell a ruleset's file (``my-rules.yaml``, ``rules/x``) from a ruleset's name."""
    return name_or_path.endswith((".yaml", ".yml")) or "/" in name_or_path or "\\" in name_or_path


def text_metric(term_list: str) -> str:
    """Return the name of the metric that counts the notes matching a term list."""
    return f"text_{term_list}"


def _markers(value: object, name: str, line: int | None, errors: _Errors) -> tuple[str, ...]:
    """Return the note markers a term list stands for, or () after naming the problem."""
    if not isinstance(value, YamlList) or not all(isinstance(m, str) for m in value):
        errors.add(line, f"markers of term list {name!r} must be a list of note markers")
        return ()
    unknown = [m for m in value if m not in NOTE_MARKERS]
    if unknown:
        errors.add(
            line,
            f"markers of term list {name!r}: unknown marker {unknown[0]!r}; markers are "
            f"{', '.join(NOTE_MARKERS)}",
        )
        return ()
    return tuple(value)


def _add_terms(
    value: YamlList, target: list[str], where: str, errors: _Errors, parts: bool, check=None
) -> None:
    """Add the valid terms of a YAML list to ``target`` (once each); report the others.

    A term is checked with ``check`` if given, else as a term (with ``+`` parts or not).
    """
    for index, term in enumerate(value):
        problem: str | None
        if not isinstance(term, str):
            problem = "a term must be text"
        else:
            problem = check(term) if check else check_term(term, parts)
        if problem:
            errors.add(value.line_of(index), f"term {term!r} in {where}: {problem}")
        elif term not in target:
            target.append(term)


def _section(
    data: YamlMap, key: str, keys: tuple[str, ...], errors: _Errors, languages: bool
) -> YamlMap | None:
    """Return the mapping under ``key``, reporting unknown keys in it; None if absent or wrong.

    With ``languages``, any two-letter language code is a key too.
    """
    raw = data.get(key)
    if raw is None:
        return None
    if not isinstance(raw, YamlMap):
        errors.add(data.line_of(key), f"{key} must be a mapping (see docs/rulesets.md)")
        return None
    named = ", ".join(k for k in keys if k not in LANGUAGES)
    for name in raw:
        language = languages and isinstance(name, str) and _LANGUAGE.match(name)
        if name not in keys and not language:
            errors.add(
                raw.line_of(name),
                f"unknown key {name!r}{did_you_mean(name, keys)} in {key}; keys are {named}"
                + (" and two-letter language codes" if languages else ""),
            )
    return raw


def _negation(data: YamlMap, errors: _Errors, inherited: Negation | None) -> Negation | None:
    """Return the inherited negation with this file's cues, exclusions and boundaries added."""
    raw = _section(data, "negation", NEGATION_KEYS, errors, languages=True)
    if raw is None:
        return inherited
    base = inherited or Negation()
    cues = {language: list(found) for language, found in base.cues.items()}
    lists = {
        "exclude": list(base.exclude),
        "boundaries": list(base.boundaries),
        "questions": list(base.questions),
    }
    window = base.window if inherited else DEFAULT_NEGATION_WINDOW
    for key, value in raw.items():
        if key == "description" or not isinstance(key, str):
            continue
        if key == "window":
            problem = check_window(value)
            if problem:
                errors.add(raw.line_of(key), f"window of negation: {problem}")
            else:
                window = value
        elif key in lists or key in LANGUAGES or _LANGUAGE.match(key):
            if not isinstance(value, YamlList):
                errors.add(raw.line_of(key), f"negation.{key} must be a list of words or phrases")
                continue
            target = lists[key] if key in lists else cues.setdefault(key, [])
            _add_terms(value, target, f"negation.{key}", errors, parts=False)
    return Negation(
        cues={language: tuple(found) for language, found in cues.items() if found},
        exclude=tuple(lists["exclude"]),
        boundaries=tuple(lists["boundaries"]),
        window=window,
        questions=tuple(lists["questions"]),
    )


def _speakers(data: YamlMap, errors: _Errors, inherited: Speakers | None) -> Speakers | None:
    """Return the inherited speakers with this file's third parties and client words added."""
    raw = _section(data, "speakers", SPEAKER_KEYS, errors, languages=False)
    if raw is None:
        return inherited
    base = inherited or Speakers()
    found = {
        "third_party": {lang: list(words) for lang, words in base.third_party.items()},
        "client": {lang: list(words) for lang, words in base.client.items()},
        "addressed": {lang: list(words) for lang, words in base.addressed.items()},
    }
    for key in ("third_party", "client", "addressed"):
        value = raw.get(key)
        if value is None:
            continue
        if not isinstance(value, YamlMap):
            errors.add(raw.line_of(key), f"speakers.{key} must map languages to lists of words")
            continue
        for language, words in value.items():
            line = value.line_of(language)
            if not isinstance(language, str) or not _LANGUAGE.match(language):
                errors.add(line, f"speakers.{key}: {language!r} is not a two-letter language code")
            elif not isinstance(words, YamlList):
                errors.add(line, f"speakers.{key}.{language} must be a list of words or phrases")
            else:
                target = found[key].setdefault(language, [])
                check = check_addressed if key == "addressed" else None
                _add_terms(words, target, f"speakers.{key}.{language}", errors, False, check)
    return Speakers(
        third_party={lang: tuple(w) for lang, w in found["third_party"].items() if w},
        client={lang: tuple(w) for lang, w in found["client"].items() if w},
        addressed={lang: tuple(w) for lang, w in found["addressed"].items() if w},
    )


class RulesetLibrary:
    """Finds rulesets by name in the folders and files plugins registered, and loads them."""

    def __init__(self, paths: list[Path], metric_units: dict[str, str]):
        self.paths = paths
        self.metric_units = metric_units

    def available(self) -> dict[str, Path]:
        """Return every ruleset name found, with its file (the first found wins)."""
        found: dict[str, Path] = {}
        for path in self.paths:
            files = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
            for file in files:
                found.setdefault(file.stem, file)
        return found

    def resolve(self, name_or_path: str, near: Path | None = None) -> Path:
        """Return the file of a ruleset given by name or by path."""
        if names_a_file(name_or_path):
            path = Path(name_or_path)
            if not path.is_file():
                raise InputError(f"ruleset file {name_or_path} does not exist")
            return path
        if near is not None:
            sibling = near.parent / f"{name_or_path}.yaml"
            if sibling.is_file():
                return sibling
        available = self.available()
        if name_or_path not in available:
            names = ", ".join(sorted(available)) or "none"
            raise InputError(
                f"no ruleset named {name_or_path!r}{did_you_mean(name_or_path, available)}; available: {names}"
            )
        return available[name_or_path]

    def load(self, name_or_path: str) -> Ruleset:
        """Load, validate and resolve one ruleset (and those it extends)."""
        return self._load(self.resolve(name_or_path), [])

    def _load(self, path: Path, chain: list[Path]) -> Ruleset:
        path = path.resolve()
        if path in chain:
            cycle = " -> ".join(p.stem for p in chain + [path])
            raise InputError(f"extends goes round in a circle: {cycle}", str(chain[-1]))
        data = load_yaml(path)
        errors = _Errors(path)
        if not isinstance(data, YamlMap):
            errors.add(1, "a ruleset must be a mapping with name, rules and levels")
            errors.raise_if_any()
        for key in data:
            if key not in TOP_KEYS:
                errors.add(
                    data.line_of(key),
                    f"unknown key {key!r}{did_you_mean(key, TOP_KEYS)}; keys are {', '.join(TOP_KEYS)}",
                )
        name = data.get("name", path.stem)
        if not isinstance(name, str) or not name:
            errors.add(data.line_of("name"), "name must be text")
        parent = None
        if "extends" in data:
            extends = data["extends"]
            if not isinstance(extends, str):
                errors.add(data.line_of("extends"), "extends must be the name of a ruleset")
            else:
                try:
                    parent = self._load(self.resolve(extends, near=path), chain + [path])
                except InputError as exc:
                    # Without the parent its params are unknown: report what we have.
                    errors.add(data.line_of("extends"), f"cannot extend {extends!r}: {exc}")
                    errors.raise_if_any()
        params = dict(parent.params) if parent else {}
        params.update(self._params(data, errors, parent))
        levels = self._levels(data, errors, dict(parent.levels) if parent else dict(DEFAULT_LEVELS))
        terms = self._terms(data, errors, parent)
        negation = _negation(data, errors, parent.negation if parent else None)
        speakers = _speakers(data, errors, parent.speakers if parent else None)
        units = {**self.metric_units, **{text_metric(name): "count" for name in terms}}
        disabled: dict[str, int] = {}
        rules = list(parent.rules) if parent else []
        own_rules = read_rules(
            data, errors, Scope(params, units), disabled, {r.id: r for r in rules}
        )
        for rule_id, id_line in disabled.items():
            if not any(r.id == rule_id for r in rules):
                errors.add(id_line, f"rule {rule_id!r} is not inherited, so it cannot be disabled")
        rules = [r for r in rules if r.id not in disabled]
        for rule in own_rules:
            same = [i for i, r in enumerate(rules) if r.id == rule.id]
            if same:
                rules[same[0]] = rule
            else:
                rules.append(rule)
        if len(rules) > MAX_RULES:
            errors.add(
                data.line_of("rules"), f"{len(rules)} rules; a ruleset may have at most {MAX_RULES}"
            )
        examples = data.get("examples")
        if examples is not None and not isinstance(examples, YamlList):
            errors.add(data.line_of("examples"), "examples must be a list (see docs/rulesets.md)")
        business_hours = self._business_hours(data, errors, parent)
        errors.raise_if_any()
        description = data.get("description", parent.description if parent else "")
        return Ruleset(
            name=name,
            description=str(description or ""),
            path=path,
            params=params,
            rules=rules,
            levels=levels,
            lineage=(parent.lineage + [parent.name]) if parent else [],
            terms=terms,
            examples=examples,
            negation=negation,
            speakers=speakers,
            business_hours=business_hours,
        )

    def _business_hours(
        self, data: YamlMap, errors: _Errors, parent: Ruleset | None
    ) -> BusinessHours | None:
        """Return the file's ``business_hours`` (as in crmflags.yaml), else the parent's."""
        if "business_hours" not in data:
            return parent.business_hours if parent else None
        try:
            return parse_business_hours(
                data["business_hours"], errors.path, data.line_of("business_hours")
            )
        except InputError as exc:
            errors.messages.append(str(exc))
            return None

    def _terms(self, data: YamlMap, errors: _Errors, parent: Ruleset | None) -> dict[str, TermList]:
        """Return the parent's term lists with this file's terms added to them."""
        terms = dict(parent.terms) if parent else {}
        raw = data.get("terms")
        if raw is None:
            return terms
        if not isinstance(raw, YamlMap):
            errors.add(data.line_of("terms"), "terms must map list names to their terms")
            return terms
        for name, spec in raw.items():
            line = raw.line_of(name)
            if not isinstance(name, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", name):
                errors.add(line, f"term list name {name!r} must be lower_snake_case")
                continue
            if not isinstance(spec, YamlMap):
                errors.add(
                    line,
                    f"term list {name!r} must map languages ({', '.join(LANGUAGES)}) "
                    "and exclude to lists of terms",
                )
                continue
            base = terms.get(name, TermList(name))
            words = {language: list(found) for language, found in base.terms.items()}
            lists = {"exclude": list(base.exclude), "harmless": list(base.harmless)}
            window, days, sentences = base.window, base.days, base.sentences
            markers = base.markers
            quoted = base.quoted
            for key, value in spec.items():
                key_line = spec.line_of(key)
                if key not in TERM_KEYS and not (isinstance(key, str) and _LANGUAGE.match(key)):
                    errors.add(
                        key_line,
                        f"unknown key {key!r}{did_you_mean(key, TERM_KEYS)} in term list {name!r}; "
                        "keys are description, exclude, harmless, window, days, sentences, markers, "
                        "quoted "
                        "and two-letter "
                        f"language codes ({', '.join(LANGUAGES)}, ...)",
                    )
                elif key == "description":
                    continue
                elif key == "window":
                    problem = check_window(value)
                    if problem:
                        errors.add(key_line, f"window of term list {name!r}: {problem}")
                    else:
                        window = value
                elif key == "days":
                    whole = isinstance(value, int) and not isinstance(value, bool)
                    if not whole or not 1 <= value <= MAX_DAYS:
                        errors.add(key_line, f"days of term list {name!r}: {_DAYS_PROBLEM}")
                    else:
                        days = value
                elif key == "markers":
                    markers = _markers(value, name, key_line, errors) or markers
                elif key == "sentences":
                    problem = check_sentences(value)
                    if problem:
                        errors.add(key_line, f"sentences of term list {name!r}: {problem}")
                    else:
                        sentences = value
                elif key == "quoted":
                    if not isinstance(value, bool):
                        errors.add(key_line, f"quoted of term list {name!r} is true or false")
                    else:
                        quoted = value
                elif not isinstance(value, YamlList):
                    errors.add(key_line, f"{key} of term list {name!r} must be a list of terms")
                else:
                    target = lists[key] if key in lists else words.setdefault(key, [])
                    _add_terms(value, target, f"{name}.{key}", errors, parts=True)
            if not any(words.values()):
                errors.add(line, f"term list {name!r} has no terms")
                continue
            terms[name] = TermList(
                name=name,
                description=str(spec.get("description", base.description) or ""),
                terms={language: tuple(w) for language, w in words.items() if w},
                exclude=tuple(lists["exclude"]),
                harmless=tuple(lists["harmless"]),
                window=window,
                days=days,
                sentences=sentences,
                markers=markers,
                quoted=quoted,
            )
        return terms

    def _params(self, data: YamlMap, errors: _Errors, parent: Ruleset | None) -> dict[str, Param]:
        raw = data.get("params")
        if raw is None:
            return {}
        if not isinstance(raw, YamlMap):
            errors.add(data.line_of("params"), "params must be a mapping of name: number")
            return {}
        params = {}
        for name, spec in raw.items():
            line = raw.line_of(name)
            description = ""
            if isinstance(spec, YamlMap):
                for key in spec:
                    if key not in ("default", "description"):
                        errors.add(
                            spec.line_of(key),
                            f"unknown key {key!r} in param {name!r}; "
                            "a param has default and description",
                        )
                description = str(spec.get("description", ""))
                if "default" not in spec:
                    errors.add(line, f"param {name!r} needs a default")
                    continue
                spec = spec["default"]
            if not isinstance(name, str) or not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
                errors.add(line, f"param name {name!r} must be lower_snake_case")
            elif name in self.metric_units:
                errors.add(line, f"param {name!r} has the name of a metric; choose another name")
            elif not is_finite_number(spec):
                errors.add(line, f"param {name!r} must be a finite number, not {spec!r}")
            else:
                if not description and parent and name in parent.params:
                    description = parent.params[name].description
                params[name] = Param(name, float(spec), description)
        return params

    def _levels(
        self, data: YamlMap, errors: _Errors, inherited: dict[str, float]
    ) -> dict[str, float]:
        """Return the inherited bands with this file's bands put over them."""
        raw = data.get("levels")
        if raw is None:
            return inherited
        if not isinstance(raw, YamlMap):
            errors.add(data.line_of("levels"), "levels must map watch, warning and fire to a score")
            return inherited
        levels = {}
        for key, value in raw.items():
            if key not in LEVELS[1:]:
                errors.add(
                    raw.line_of(key),
                    f"unknown level {key!r}; levels are watch, warning, fire "
                    "(ok is every score below watch)",
                )
            elif not is_finite_number(value) or value <= 0:
                errors.add(raw.line_of(key), f"level {key} must be a score above 0")
            else:
                levels[key] = float(value)
        merged = {**inherited, **levels}
        if not merged["watch"] < merged["warning"] < merged["fire"]:
            bands = ", ".join(f"{name} {merged[name]:g}" for name in LEVELS[1:])
            errors.add(raw.line, f"levels must rise: watch < warning < fire (here {bands})")
        return merged
